"""Unit tests of tfjax._src.indexed_slices (expected values from real TF)."""

from __future__ import annotations

import numpy as np
import pytest

import tfjax as tfx
from tfjax._src.indexed_slices import IndexedSlices, IndexedSlicesSpec

tf = pytest.importorskip("tensorflow")

VALS = np.array([[1.0, 2.0], [3.0, 4.0]], np.float32)


def _s(t, vals):
    return t.IndexedSlices(vals, t.constant([1, 1]), t.constant([3, 2]))


def test_conversion_is_on_the_tape():
    def grad(t):
        v = t.Variable(VALS)
        with t.GradientTape() as tape:
            y = t.reduce_sum(t.convert_to_tensor(_s(t, v * 1.0)) * t.constant([[1.0, 2.0]] * 3))
        return tape.gradient(y, v)
    np.testing.assert_allclose(np.asarray(grad(tfx)), grad(tf).numpy())


def test_conversion_under_tf_function():
    def body(t, x):
        return t.convert_to_tensor(_s(t, x)) + 1.0
    got = tfx.function(lambda x: body(tfx, x))(tfx.constant(VALS))
    np.testing.assert_allclose(np.asarray(got), body(tf, tf.constant(VALS)).numpy())


def test_numpy_conversion_and_dtype_mismatch():
    s = IndexedSlices(tfx.constant(VALS), tfx.constant([0, 2]), tfx.constant([3, 2]))
    np.testing.assert_array_equal(np.asarray(s), tf.convert_to_tensor(
        tf.IndexedSlices(tf.constant(VALS), tf.constant([0, 2]), tf.constant([3, 2]))).numpy())
    with pytest.raises(ValueError):
        tfx.convert_to_tensor(s, dtype=tfx.int32)
    with pytest.raises(ValueError):
        tf.convert_to_tensor(tf.IndexedSlices(tf.constant(VALS), tf.constant([0, 2]), tf.constant([3, 2])), dtype=tf.int32)


def test_spec():
    spec = IndexedSlicesSpec([None, 2], tfx.float32)
    assert spec == IndexedSlicesSpec([None, 2], tfx.float32)
    assert spec.is_compatible_with(IndexedSlices(tfx.constant(VALS), tfx.constant([0, 1], tfx.int64), tfx.constant([3, 2])))
    assert repr(spec) == repr(tf.IndexedSlicesSpec([None, 2], tf.float32))
    assert spec.value_type is IndexedSlices


def test_optimizer_inside_tf_function_accepts_indexed_slices():
    def run(t):
        v = t.Variable(np.zeros((3, 2), np.float32))
        opt = t.keras.optimizers.SGD(0.5)

        @t.function
        def step():
            opt.apply_gradients([(t.IndexedSlices(t.constant(VALS), t.constant([2, 0]), t.constant([3, 2])), v)])
        step()
        step()
        return v.numpy()
    np.testing.assert_allclose(run(tfx), run(tf))
