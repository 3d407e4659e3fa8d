"""Unit tests of tfjax._src.ragged: tracing behaviour, specs, round trips. Expected values
come from real TensorFlow (the oracle), run in the same test."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tfjax as tfx
from tfjax._src.ragged.ragged_tensor import RaggedTensor, RaggedTensorSpec

tf = pytest.importorskip("tensorflow")

RT = [[1.0, 2.0], [], [3.0]]


def _same(a, b):
    """A tfjax result equals a TF one (ragged: to_list/dtype/shape; dense: values/dtype)."""
    if isinstance(b, tf.RaggedTensor):
        assert isinstance(a, RaggedTensor)
        assert a.to_list() == b.to_list() and a.dtype.name == b.dtype.name
        assert a.shape.as_list() == b.shape.as_list()
    else:
        assert a.dtype.name == b.dtype.name
        np.testing.assert_allclose(np.asarray(a), b.numpy(), rtol=1e-6)


def test_partition_from_constants_compiles_under_tf_function():
    def body(t, x):
        rt = t.RaggedTensor.from_row_splits(x, [0, 2, 2, 3])
        return t.reduce_sum(rt, axis=1), t.reduce_mean(rt), rt.to_tensor(), (rt * 2.0).flat_values

    with warnings.catch_warnings():
        warnings.simplefilter("error")   # an eager fallback would warn
        got = tfx.function(lambda x: body(tfx, x))(tfx.constant([1.0, 2.0, 3.0]))
    want = tf.function(lambda x: body(tf, x))(tf.constant([1.0, 2.0, 3.0]))
    for a, b in zip(got, want):
        _same(a, b)


def test_ragged_tensor_returned_from_tf_function():
    def body(t, x):
        return {"r": t.RaggedTensor.from_row_splits(x, [0, 2, 3]) + 1.0,
                "s": t.strings.split(t.constant(["a b", "c"]))}
    got = tfx.function(lambda x: body(tfx, x))(tfx.constant([1.0, 2.0, 5.0]))
    want = body(tf, tf.constant([1.0, 2.0, 5.0]))
    _same(got["r"], want["r"])
    assert got["s"].to_list() == want["s"].to_list()
    assert isinstance(got["r"].row_splits._value, np.ndarray)   # concrete after the call


def test_traced_partition_falls_back_to_eager_with_right_answer():
    def body(t, x, lengths):
        return t.reduce_sum(t.RaggedTensor.from_row_lengths(x, lengths), axis=1)
    with pytest.warns(UserWarning, match="runs this input signature eagerly"):
        got = tfx.function(lambda x, n: body(tfx, x, n))(tfx.constant([1.0, 2.0, 3.0]), tfx.constant([1, 2]))
    _same(got, body(tf, tf.constant([1.0, 2.0, 3.0]), tf.constant([1, 2])))


def test_gradient_inside_tf_function_matches_tf():
    def step(t, v):
        with t.GradientTape() as tape:
            rt = t.RaggedTensor.from_row_splits(v * v, [0, 2, 2, 4])
            y = t.reduce_sum(t.reduce_max(rt, axis=1)) + t.reduce_sum(rt.to_tensor(default_value=1.0) ** 2)
        return tape.gradient(y, v)
    vx, vt = tfx.Variable([1.0, -2.0, 3.0, 0.5]), tf.Variable([1.0, -2.0, 3.0, 0.5])
    _same(tfx.function(lambda: step(tfx, vx))(), step(tf, vt))


def test_spec_batch_unbatch_compat_and_hash():
    s, s_tf = RaggedTensorSpec([2, None], tfx.int32), tf.RaggedTensorSpec([2, None], tf.int32)
    assert repr(s._batch(None)) == repr(s_tf._batch(None))
    assert repr(s._batch(None)._unbatch()) == repr(s_tf._batch(None)._unbatch())
    assert s == RaggedTensorSpec([2, None], tfx.int32) and hash(s) == hash(RaggedTensorSpec([2, None], tfx.int32))
    assert repr(s._batch(3)) == repr(tf.RaggedTensorSpec([2, None], tf.int32)._batch(3))
    assert s.is_compatible_with(tfx.ragged.constant([[1], [2, 3]]))
    assert not s.is_compatible_with(tfx.ragged.constant([[1.0]]))
    assert s.most_specific_compatible_type(RaggedTensorSpec([None, None], tfx.int32)).shape.as_list() == [None, None]


def test_sparse_round_trip_matches_tf():
    lists = [[1, 2], [], [3, 4, 5]]
    got = tfx.RaggedTensor.from_sparse(tfx.ragged.constant(lists).to_sparse())
    want = tf.RaggedTensor.from_sparse(tf.ragged.constant(lists).to_sparse())
    _same(got, want)
    sp_x, sp_t = tfx.ragged.constant(lists).to_sparse(), tf.ragged.constant(lists).to_sparse()
    np.testing.assert_array_equal(np.asarray(sp_x.indices), sp_t.indices.numpy())
    np.testing.assert_array_equal(np.asarray(sp_x.dense_shape), sp_t.dense_shape.numpy())


_rows = st.lists(st.lists(st.integers(-5, 5), max_size=4), min_size=1, max_size=5)


@settings(max_examples=25, deadline=None)
@given(_rows, st.sampled_from([None, 0, 1, -1]))
def test_random_ragged_matches_tf(rows, axis):
    a, b = tfx.ragged.constant(rows), tf.ragged.constant(rows)
    assert a.to_list() == b.to_list() and repr(a) == repr(b)
    _same(a.to_tensor(default_value=7), b.to_tensor(default_value=7))
    _same(tfx.reduce_sum(a, axis=axis), tf.reduce_sum(b, axis=axis))
    _same(tfx.reduce_max(a * 2 + 1, axis=axis), tf.reduce_max(b * 2 + 1, axis=axis))
    _same(a[1:], b[1:])
    _same(a[:, :2], b[:, :2])


@settings(max_examples=20, deadline=None)
@given(st.lists(st.lists(st.lists(st.integers(0, 9), max_size=3), max_size=3), min_size=1, max_size=4),
       st.sampled_from([0, 1, 2, (1, 2)]))
def test_random_rank3_reductions_match_tf(rows, axis):
    a, b = tfx.ragged.constant(rows, dtype=tfx.int32, ragged_rank=2), tf.ragged.constant(rows, dtype=tf.int32, ragged_rank=2)
    assert repr(a) == repr(b)
    got, want = tfx.reduce_sum(a, axis=axis), tf.reduce_sum(b, axis=axis)
    if isinstance(want, tf.RaggedTensor):
        assert got.to_list() == want.to_list()
    else:
        np.testing.assert_array_equal(np.asarray(got), want.numpy())
