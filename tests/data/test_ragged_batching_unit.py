"""Unit tests of tfjax._src.data.ragged_batching and RaggedTensor elements (expected values from real TF)."""

from __future__ import annotations

import pytest

import tfjax as tfx

tf = pytest.importorskip("tensorflow")


def _lists(ds):
    return [e.to_list() if hasattr(e, "to_list") else e.numpy().tolist() for e in ds]


def _pipeline(t):
    return (t.data.Dataset.from_tensor_slices(["a b c", "d", "", "e f"]).map(t.strings.split)
            .ragged_batch(3).map(lambda r: r.to_tensor(default_value="?")))


def test_pipeline_split_ragged_batch_to_tensor():
    got, want = _pipeline(tfx), _pipeline(tf)
    assert repr(got.element_spec).replace("tfjax", "tf") == repr(want.element_spec)
    assert _lists(got) == _lists(want)


def test_ragged_elements_survive_shuffle_take_and_repeat():
    def make(t):
        rt = t.ragged.constant([[1, 2], [], [3], [4, 5, 6]])
        return t.data.Dataset.from_tensor_slices(rt).repeat(2).take(6).ragged_batch(4)
    assert _lists(make(tfx)) == _lists(make(tf))


def test_ragged_batch_validates_arguments():
    ds = tfx.data.Dataset.range(3)
    with pytest.raises(tfx.errors.InvalidArgumentError):
        ds.ragged_batch(0)
    with pytest.raises(ValueError):
        ds.ragged_batch(2, row_splits_dtype=tfx.float32)


def test_as_numpy_iterator_gives_tf_numpy_encoding():
    def make(t, rows):
        return list(t.data.Dataset.from_tensor_slices(t.ragged.constant(rows)).ragged_batch(2).as_numpy_iterator())
    for rows in ([[1, 2], [], [3]], [[1, 2], [3, 4]]):
        got, want = make(tfx, rows), make(tf, rows)
        assert [repr(g) for g in got] == [repr(w) for w in want]
