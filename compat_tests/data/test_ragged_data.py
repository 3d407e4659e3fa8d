"""tf.data with RaggedTensors (from_tensor_slices, batch, ragged_batch, map) against real TF."""

from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "core"))

from _tfdiff import check  # noqa: E402
from test_ragged import desc  # noqa: E402


def _ds(tf, ds):
    return {"spec": repr(ds.element_spec), "elements": [desc(e) if not isinstance(e, dict) else
                                                         {k: desc(v) for k, v in e.items()} for e in ds]}


RT = [[1, 2], [], [3]]

CASES = {
    "slices": lambda tf: tf.data.Dataset.from_tensor_slices(tf.ragged.constant(RT)),
    "slices_rank3": lambda tf: tf.data.Dataset.from_tensor_slices(tf.ragged.constant([[[1], [2, 3]], [[4]]])),
    "slices_dict": lambda tf: tf.data.Dataset.from_tensor_slices({"a": tf.ragged.constant(RT), "b": [1, 2, 3]}),
    "slices_batch": lambda tf: tf.data.Dataset.from_tensor_slices(tf.ragged.constant(RT)).batch(2),
    "slices_ragged_batch": lambda tf: tf.data.Dataset.from_tensor_slices(tf.ragged.constant(RT)).ragged_batch(2),
    "slices_map": lambda tf: tf.data.Dataset.from_tensor_slices(tf.ragged.constant(RT)).map(lambda x: x * 2),
    "ragged_batch_dense_known_shape": lambda tf: tf.data.Dataset.from_tensor_slices([[1, 2], [3, 4], [5, 6]]).ragged_batch(2),
    "ragged_batch_variable_rows": lambda tf: tf.data.Dataset.range(4).map(lambda x: tf.zeros([x, 2])).ragged_batch(2),
    "ragged_batch_two_unknown_dims": lambda tf: tf.data.Dataset.range(5).map(
        lambda x: tf.zeros([x % 3, x % 2 + 1])).ragged_batch(3, drop_remainder=True),
    "ragged_batch_int32_splits": lambda tf: tf.data.Dataset.range(3).map(lambda x: tf.zeros([x])).ragged_batch(
        2, row_splits_dtype=tf.int32),
    "map_returns_ragged_then_batch": lambda tf: tf.data.Dataset.range(3).map(
        lambda x: tf.ragged.constant([[1], [2, 3]], dtype=tf.int64) * x).batch(2),
    "split_then_ragged_batch": lambda tf: tf.data.Dataset.from_tensor_slices(["a b", "c d e", ""]).map(
        tf.strings.split).ragged_batch(2),
    "dense_variable_batch_fails": lambda tf: tf.data.Dataset.range(3).map(lambda x: tf.zeros([x])).batch(2),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_ragged_datasets(name):
    check(lambda tf: _ds(tf, CASES[name](tf)))
