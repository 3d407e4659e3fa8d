"""tf.IndexedSlices / tf.IndexedSlicesSpec against real TF: conversion, math by conversion,
clip_by_global_norm and Keras optimizers fed a user-built IndexedSlices."""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from _tfdiff import check  # noqa: E402

VALS = np.array([[1.0, 2.0], [3.0, 4.0], [0.5, -1.0]], np.float32)


def _s(tf, idx=(0, 2, 0), shape=(3, 2)):
    return tf.IndexedSlices(tf.constant(VALS), tf.constant(list(idx)), tf.constant(list(shape)))


CASES = {
    "components": lambda tf: [_s(tf).values, _s(tf).indices, _s(tf).dense_shape],
    "dtype_shape": lambda tf: [_s(tf).dtype.name, _s(tf).shape.as_list()],
    "no_dense_shape": lambda tf: [tf.IndexedSlices(tf.constant(VALS), tf.constant([0, 1, 2])).dense_shape,
                                  tf.IndexedSlices(tf.constant(VALS), tf.constant([0, 1, 2])).shape.rank],
    "int64_indices": lambda tf: tf.IndexedSlices(tf.constant([1, 2]), tf.constant([0, 1], tf.int64),
                                                 tf.constant([4], tf.int64)).shape.as_list(),
    "convert_sums_duplicates": lambda tf: tf.convert_to_tensor(_s(tf)),
    "convert_without_dense_shape": lambda tf: tf.convert_to_tensor(tf.IndexedSlices(tf.constant(VALS), tf.constant([0, 1, 2]))),
    "multiply": lambda tf: tf.multiply(_s(tf), 2.0),
    "reduce_sum": lambda tf: tf.reduce_sum(_s(tf)),
    "add_tensor": lambda tf: tf.add(_s(tf), tf.ones([3, 2])),
    "neg": lambda tf: tf.convert_to_tensor(-_s(tf)),
    "operator_mul_raises": lambda tf: _s(tf) * 2,
    "str": lambda tf: str(_s(tf)),
    "spec": lambda tf: repr(_s(tf)._type_spec),
    "spec_default": lambda tf: repr(tf.IndexedSlicesSpec()),
    "spec_args": lambda tf: repr(tf.IndexedSlicesSpec([None, 4], tf.float64, tf.int32, tf.int64, [7])),
    "clip_by_global_norm": lambda tf: (lambda c: [type(c[0][0]).__name__, c[0][0].values, c[0][0].indices,
                                                  c[0][1], c[1]])(
        tf.clip_by_global_norm([_s(tf), tf.constant([3.0, 4.0])], 2.0)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_indexed_slices(name):
    check(CASES[name])


def _apply(opt_name, **kw):
    def snippet(tf):
        v = tf.Variable(np.zeros((4, 2), np.float32))
        opt = getattr(tf.keras.optimizers, opt_name)(learning_rate=0.1, **kw)
        for _ in range(2):
            # Unique indices: with repeated ones TF's sparse moment updates square each slice
            # separately, tfjax densifies first (docs/differences.md).
            opt.apply_gradients([(tf.IndexedSlices(tf.constant(VALS), tf.constant([2, 0, 1]),
                                                   tf.constant([4, 2])), v)])
        return v
    return snippet


@pytest.mark.parametrize("opt,kw", [("SGD", {}), ("SGD", {"momentum": 0.9}), ("Adam", {}),
                                    ("SGD", {"global_clipnorm": 1.0}), ("RMSprop", {})],
                         ids=["sgd", "momentum", "adam", "sgd_global_clipnorm", "rmsprop"])
def test_optimizers_accept_indexed_slices(opt, kw):
    check(_apply(opt, **kw), rtol=1e-5, atol=1e-6)


def test_gather_gradient_converts_the_same():
    # TF's tape gives IndexedSlices here, tfjax's a dense Tensor; converted, they agree.
    def snippet(tf):
        v = tf.Variable(VALS)
        with tf.GradientTape() as t:
            y = tf.reduce_sum(tf.gather(v, [0, 0, 2]) ** 2)
        return tf.convert_to_tensor(t.gradient(y, v))
    check(snippet)
