"""tf.sparse ops against real TF: structure ops, value ops, reductions, matmul (with gradients),
segment reductions, errors, and use inside tf.data map / tf.function."""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _plain import plain  # noqa: E402
from _tfdiff import check  # noqa: E402

D = np.array([[0, 1.5, 0, -2], [0, 0, 0, 0], [3, 0, 4, 0]], np.float32)
D3 = np.arange(24).reshape(2, 3, 4) % 3 - 1


def _sp(tf, x=D, dtype=None):
    return tf.sparse.from_dense(tf.constant(x, dtype))


def _unordered(tf):
    return tf.SparseTensor([[2, 0], [0, 1], [1, 3]], [1.0, 2.0, -3.0], [3, 4])


CASES = {
    "reorder": lambda tf: tf.sparse.reorder(_unordered(tf)),
    "reorder_3d": lambda tf: tf.sparse.reorder(tf.SparseTensor([[1, 0, 2], [0, 2, 1], [0, 1, 5]], [1, 2, 3], [2, 3, 6])),
    "reset_shape_none": lambda tf: tf.sparse.reset_shape(_sp(tf)),
    "reset_shape_bigger": lambda tf: tf.sparse.reset_shape(_sp(tf), [5, 6]),
    "reshape": lambda tf: tf.sparse.reshape(_sp(tf), [2, 6]),
    "reshape_infer": lambda tf: tf.sparse.reshape(_sp(tf), [-1, 3, 2]),
    "reshape_err": lambda tf: tf.sparse.reshape(_sp(tf), [-1, 5]),
    "expand_dims": lambda tf: [tf.sparse.expand_dims(_sp(tf), 0), tf.sparse.expand_dims(_sp(tf), -1),
                               tf.sparse.expand_dims(_sp(tf), 1)],
    "transpose": lambda tf: tf.sparse.transpose(_sp(tf)),
    "transpose_perm": lambda tf: tf.sparse.transpose(_sp(tf, D3), [2, 0, 1]),
    "retain": lambda tf: tf.sparse.retain(_sp(tf), [True, False, True, False]),
    "slice": lambda tf: tf.sparse.slice(_sp(tf), [0, 1], [3, 2]),
    "slice_clipped": lambda tf: tf.sparse.slice(_sp(tf), [1, 2], [10, 10]),
    "split": lambda tf: tf.sparse.split(sp_input=_sp(tf), num_split=3, axis=1),
    "split_rows": lambda tf: tf.sparse.split(sp_input=_sp(tf), num_split=2, axis=0),
    "concat_axis1": lambda tf: tf.sparse.concat(1, [_sp(tf), _sp(tf, D * 2)]),
    "concat_axis0": lambda tf: tf.sparse.concat(0, [_sp(tf), _sp(tf, D[:1])]),
    "concat_expand": lambda tf: tf.sparse.concat(1, [_sp(tf), _sp(tf, D[:2, :2])], expand_nonconcat_dims=True),
    "concat_err_shape": lambda tf: tf.sparse.concat(1, [_sp(tf), _sp(tf, D[:2])]),
    "eye": lambda tf: [tf.sparse.eye(3), tf.sparse.eye(2, 4, dtype=tf.int32), tf.sparse.eye(4, 2)],
    "fill_empty_rows": lambda tf: tf.sparse.fill_empty_rows(_sp(tf), -1.0),
    "fill_empty_rows_strings": lambda tf: tf.sparse.fill_empty_rows(
        tf.SparseTensor([[1, 0]], ["x"], [3, 2]), "pad"),
    "to_indicator": lambda tf: tf.sparse.to_indicator(tf.SparseTensor([[0, 0], [0, 1], [2, 0]], [1, 3, 0], [3, 2]), 4),
    "to_indicator_int64": lambda tf: tf.sparse.to_indicator(_sp(tf, [[0, 2], [1, 0]], tf.int64), 3),
    "map_values": lambda tf: [tf.sparse.map_values(tf.math.square, _sp(tf)),
                              tf.sparse.map_values(tf.add, _sp(tf), _sp(tf))],
    "map_values_err": lambda tf: tf.sparse.map_values(tf.add, _sp(tf), _sp(tf, D * 0 + 1)),
    "maximum": lambda tf: tf.sparse.maximum(_sp(tf), _sp(tf, -D + np.eye(3, 4, dtype=np.float32))),
    "minimum": lambda tf: tf.sparse.minimum(_sp(tf), _sp(tf, -D + np.eye(3, 4, dtype=np.float32))),
    "add_sparse": lambda tf: tf.sparse.add(_sp(tf), _sp(tf, np.eye(3, 4, dtype=np.float32) - D)),
    "add_threshold": lambda tf: tf.sparse.add(_sp(tf), _sp(tf, np.eye(3, 4, dtype=np.float32) * 0.5), threshold=1.0),
    "add_dense": lambda tf: [tf.sparse.add(_sp(tf), tf.ones([3, 4])), tf.sparse.add(tf.ones([3, 4]), _sp(tf))],
    "add_err_dense_dense": lambda tf: tf.sparse.add(tf.ones([2]), tf.ones([2])),
    "reduce_sum": lambda tf: [tf.sparse.reduce_sum(_sp(tf)), tf.sparse.reduce_sum(_sp(tf), axis=1),
                              tf.sparse.reduce_sum(_sp(tf), axis=0, keepdims=True),
                              tf.sparse.reduce_sum(_sp(tf, D3), axis=[0, 2])],
    "reduce_sum_sparse_out": lambda tf: [tf.sparse.reduce_sum(_sp(tf), axis=1, output_is_sparse=True),
                                         tf.sparse.reduce_sum(_sp(tf), axis=0, keepdims=True, output_is_sparse=True)],
    "reduce_max": lambda tf: [tf.sparse.reduce_max(_sp(tf)), tf.sparse.reduce_max(_sp(tf), axis=1),
                              tf.sparse.reduce_max(_sp(tf, D3), axis=-1, keepdims=True)],
    "reduce_max_sparse_out": lambda tf: tf.sparse.reduce_max(_sp(tf), axis=0, output_is_sparse=True),
    "reduce_int": lambda tf: [tf.sparse.reduce_sum(_sp(tf, D3)), tf.sparse.reduce_max(_sp(tf, D3), 1)],
    "softmax": lambda tf: tf.sparse.softmax(_sp(tf)),
    "matmul": lambda tf: tf.sparse.sparse_dense_matmul(_sp(tf), tf.constant(np.arange(8.0).reshape(4, 2), tf.float32)),
    "matmul_adjoint": lambda tf: [
        tf.sparse.sparse_dense_matmul(_sp(tf), tf.constant(np.arange(6.0).reshape(3, 2), tf.float32), adjoint_a=True),
        tf.sparse.sparse_dense_matmul(_sp(tf), tf.constant(np.arange(8.0).reshape(2, 4), tf.float32), adjoint_b=True)],
    "matmul_dense_sparse": lambda tf: tf.sparse.sparse_dense_matmul(tf.ones([2, 3]), _sp(tf)),
    "matmul_err_inner": lambda tf: tf.sparse.sparse_dense_matmul(_sp(tf), tf.ones([3, 2])),
    "matmul_err_dtype": lambda tf: tf.sparse.sparse_dense_matmul(_sp(tf), tf.ones([4, 2], tf.float64)),
    "segment_sum": lambda tf: tf.sparse.segment_sum(tf.constant(D), [0, 2, 2], [0, 0, 1]),
    "segment_mean_sqrt": lambda tf: [tf.sparse.segment_mean(tf.constant(D), [0, 2, 1], [0, 0, 2]),
                                     tf.sparse.segment_sqrt_n(tf.constant(D), [0, 2, 1], [0, 0, 2]),
                                     tf.sparse.segment_sum(tf.constant(D), [0, 1], [0, 1], num_segments=4)],
    "segment_err_index": lambda tf: tf.sparse.segment_sum(tf.constant(D), [0, 5], [0, 1]),
    "bincount_dense": lambda tf: [tf.sparse.bincount(tf.constant([[1, 2, 2], [0, 5, 1]])),
                                  tf.sparse.bincount(tf.constant([[1, 2, 2], [0, 5, 1]]), axis=-1),
                                  tf.sparse.bincount(tf.constant([1, 2, 2, 7]), minlength=9, binary_output=True)],
    "bincount_sparse_weights": lambda tf: tf.sparse.bincount(
        _sp(tf, [[1, 0, 2], [3, 3, 0]]), weights=_sp(tf, [[0.5, 0, 2.0], [1.0, 1.0, 0]]), axis=-1),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_sparse_ops(name):
    check(lambda tf: plain(CASES[name](tf)))


def test_sparse_mask():
    def snippet(tf):
        s = tf.IndexedSlices(tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]), tf.constant([12, 26, 37]),
                             tf.constant([40, 2]))
        m = tf.sparse.mask(s, [12, 45])
        return [m.values, m.indices, m.dense_shape]
    check(snippet)


def test_sparse_dense_matmul_gradient():
    def snippet(tf):
        sp = _sp(tf)
        b = tf.Variable(np.arange(8.0, dtype=np.float32).reshape(4, 2))
        with tf.GradientTape() as t:
            y = tf.reduce_sum(tf.sparse.sparse_dense_matmul(sp, b) ** 2)
        return t.gradient(y, b)
    check(snippet)


def test_segment_sum_gradient():
    def snippet(tf):
        x = tf.Variable(D)
        with tf.GradientTape() as t:
            y = tf.reduce_sum(tf.sparse.segment_mean(x, [0, 2, 2], [0, 0, 1]) * tf.constant([[1.0], [2.0]]))
        return t.gradient(y, x)
    check(snippet)


def test_sparse_in_tf_function():
    def snippet(tf):
        sp = _sp(tf)

        @tf.function
        def f(b):
            return tf.sparse.sparse_dense_matmul(sp, b) + 1.0
        return [f(tf.ones([4, 2])), f(tf.ones([4, 3]))]
    check(snippet)


def test_sparse_in_dataset_map():
    def snippet(tf):
        ds = tf.data.Dataset.from_tensor_slices(D).map(
            lambda r: tf.sparse.to_dense(tf.sparse.reshape(tf.sparse.from_dense(r), [2, 2])))
        return [x for x in ds]
    check(snippet)


def test_unsupported_cross():
    import tfjax
    from tfjax._src.errors import UnsupportedError  # noqa: F401
    with pytest.raises(AttributeError, match="not supported by tfjax"):
        tfjax.sparse.cross
