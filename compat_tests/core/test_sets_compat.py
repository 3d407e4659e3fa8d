"""tf.sets against real TF: dense/sparse combinations, ordering, aminusb, dtypes and errors."""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _plain import plain  # noqa: E402
from _tfdiff import check  # noqa: E402

A = [[1, 2, 3, 2], [4, 5, 5, 0]]
B = [[2, 9], [0, 0]]
SP3 = [[[1, 0, 3], [0, 0, 0]], [[4, 4, 0], [7, 0, 0]]]
D3 = [[[1], [2]], [[3], [4]]]


def _sp(tf, x=SP3, dtype="int32"):
    return tf.sparse.from_dense(tf.constant(x, dtype))


CASES = {
    "intersection": lambda tf: tf.sets.intersection(tf.constant(A), tf.constant(B)),
    "union": lambda tf: tf.sets.union(tf.constant(A), tf.constant(B)),
    "difference": lambda tf: tf.sets.difference(tf.constant(A), tf.constant(B)),
    "difference_b_minus_a": lambda tf: tf.sets.difference(tf.constant(A), tf.constant(B), aminusb=False),
    "union_int64": lambda tf: tf.sets.union(tf.constant(A, tf.int64), tf.constant(B, tf.int64)),
    "union_uint8": lambda tf: tf.sets.union(tf.constant(A, tf.uint8), tf.constant(B, tf.uint8)),
    "negative_ordering": lambda tf: tf.sets.union(tf.constant([[-3, 5, -10]]), tf.constant([[0, -1]])),
    "strings": lambda tf: tf.sets.union(tf.constant([["b", "a"], ["x", "x"]]), tf.constant([["c", "a"], ["B", ""]])),
    "strings_difference": lambda tf: tf.sets.difference(tf.constant([["b", "a", "c"]]), tf.constant([["a"]])),
    "sparse_dense_union": lambda tf: tf.sets.union(_sp(tf), tf.constant(D3)),
    "dense_sparse_difference": lambda tf: tf.sets.difference(tf.constant(D3), _sp(tf)),
    "sparse_dense_difference": lambda tf: tf.sets.difference(_sp(tf), tf.constant(D3)),
    "sparse_dense_difference_bma": lambda tf: tf.sets.difference(_sp(tf), tf.constant(D3), aminusb=False),
    "sparse_sparse_intersection": lambda tf: tf.sets.intersection(
        _sp(tf), _sp(tf, [[[1, 3, 9], [0, 0, 0]], [[4, 0, 0], [0, 0, 7]]])),
    "sparse_sparse_union": lambda tf: tf.sets.union(_sp(tf), _sp(tf, [[[5, 0, 0], [0, 0, 0]], [[0, 0, 0], [2, 0, 0]]])),
    "rank4": lambda tf: tf.sets.intersection(tf.constant(np.arange(24).reshape(2, 1, 3, 4) % 5),
                                             tf.constant(np.arange(12).reshape(2, 1, 3, 2) % 4)),
    "empty_result": lambda tf: tf.sets.intersection(tf.constant([[1, 2]]), tf.constant([[3]])),
    "empty_last_dim": lambda tf: tf.sets.intersection(tf.constant(np.zeros((2, 0), np.int32)),
                                                      tf.constant([[3], [1]])),
    "size_sparse": lambda tf: tf.sets.size(_sp(tf)),
    "size_sparse_int64": lambda tf: tf.sets.size(_sp(tf, dtype="int64")),
    "size_of_result": lambda tf: tf.sets.size(tf.sets.union(tf.constant(A), tf.constant(B))),
    "err_size_dense": lambda tf: tf.sets.size(tf.constant(A)),
    "err_rank1": lambda tf: tf.sets.union(tf.constant([1, 2]), tf.constant([3])),
    "err_float": lambda tf: tf.sets.union(tf.constant([[1.0, 2]]), tf.constant([[3.0]])),
    "err_dtype_mismatch": lambda tf: tf.sets.union(tf.constant([[1, 2]]), tf.constant([[3]], tf.int64)),
    "err_shape_mismatch": lambda tf: tf.sets.union(tf.constant([[1, 2]]), tf.constant([[3], [4]])),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_sets(name):
    check(lambda tf: plain(CASES[name](tf)))


def test_sets_in_dataset_map():
    def snippet(tf):
        ds = tf.data.Dataset.from_tensor_slices((np.array(A), np.array([[2, 9], [0, 5]]))).batch(2)
        ds = ds.map(lambda a, b: tf.sparse.to_dense(tf.sets.intersection(a, b), default_value=-1))
        return [x for x in ds]
    check(snippet)
