"""Unit tests of tf.foldl / tf.foldr in tfjax._src.ops.control_flow (expected values from real TF)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tfjax as tfx
from tfjax._src import tape as tape_lib

tf = pytest.importorskip("tensorflow")


def test_traced_fold_is_one_op_and_compiles():
    calls = []

    def fn(a, x):
        calls.append(1)
        return a * 0.5 + x

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = tfx.function(lambda x: tfx.foldl(fn, x, initializer=tfx.constant(1.0)))(tfx.constant([1.0, 2.0, 3.0]))
    assert len(calls) == 1   # the body is captured once, not unrolled
    want = tf.foldl(lambda a, x: a * 0.5 + x, tf.constant([1.0, 2.0, 3.0]), initializer=tf.constant(1.0))
    np.testing.assert_allclose(np.asarray(got), want.numpy())


def test_eager_fold_records_each_step_on_the_tape():
    v = tfx.Variable([1.0, 2.0])
    with tfx.GradientTape() as t:
        y = tfx.foldr(lambda a, x: a * x, v, initializer=tfx.constant(3.0))
    assert isinstance(t, tape_lib.GradientTape)
    vt = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tt:
        yt = tf.foldr(lambda a, x: a * x, vt, initializer=tf.constant(3.0))
    np.testing.assert_allclose(np.asarray(t.gradient(y, v)), tt.gradient(yt, vt).numpy())
    np.testing.assert_allclose(np.asarray(y), yt.numpy())


@pytest.mark.parametrize("traced", [False, True])
def test_back_prop_false_like_tf(traced):
    def grad(t, v):
        with t.GradientTape() as tape:
            y = t.foldl(lambda a, x: a + x, v, back_prop=False)
        return tape.gradient(y, v)
    vx, vt = tfx.Variable([1.0, 2.0]), tf.Variable([1.0, 2.0])
    got = tfx.function(lambda: grad(tfx, vx))() if traced else grad(tfx, vx)
    want = tf.function(lambda: grad(tf, vt))() if traced else grad(tf, vt)
    assert (got is None) == (want is None)
    if want is not None:
        np.testing.assert_allclose(np.asarray(got), want.numpy())


@settings(max_examples=20, deadline=None)
@given(st.lists(st.floats(-2, 2, width=32), min_size=1, max_size=6), st.booleans(), st.booleans())
def test_random_folds_match_tf(xs, right, traced):
    def fold(t, x):
        f = t.foldr if right else t.foldl
        return f(lambda a, e: a * 0.9 + t.sin(e) * a + e, x)
    arr = np.array(xs, np.float32)
    run = (lambda x: tfx.function(lambda y: fold(tfx, y))(x)) if traced else (lambda x: fold(tfx, x))
    np.testing.assert_allclose(np.asarray(run(tfx.constant(arr))), fold(tf, tf.constant(arr)).numpy(),
                               rtol=1e-5, atol=1e-5)
