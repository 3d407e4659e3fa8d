"""Dataset.cache(filename): TF's tensor-bundle cache files, lockfile, and TF's rule that only
a complete pass publishes the cache. Cross-reading with real TF is in
compat_tests/data/test_save_load_compat.py."""

import os

import numpy as np
import pytest

import tfjax as tf
from tfjax._src import errors
from tfjax._src.sparse_tensor import SparseTensor
from tfjax._src.train import bundle
from tfjax.data import Dataset


def np_list(ds):
    return list(ds.as_numpy_iterator())


def test_bundle_layout_and_keys(tmp_path):
    f = str(tmp_path / "c")
    strings = np.array([b"x", b"yy", b""], object)
    ds = Dataset.from_tensor_slices(({"a": np.arange(3, dtype=np.int32), "s": strings},
                                     np.float32([1.5, 2.5, 3.5]))).cache(f)
    assert len(np_list(ds)) == 3
    assert sorted(os.listdir(tmp_path)) == ["c.data-00000-of-00001", "c.index"]
    r = bundle.BundleReader(f)
    assert r.keys() == [f"{i:7d}_{j}" for i in range(3) for j in range(3)]
    assert r.get("      1_1").tolist() == b"yy" and r.get("      2_2") == np.float32(3.5)


def test_key_width_follows_component_count(tmp_path):
    f = str(tmp_path / "c")
    np_list(Dataset.from_tensors(tuple(np.int64(i) for i in range(11))).cache(f))
    assert bundle.BundleReader(f).keys()[:2] == ["      0_ 0", "      0_ 1"]


def test_second_pass_reads_the_file(tmp_path):
    f = str(tmp_path / "c")
    calls = []

    def count(x):
        calls.append(1)
        return x
    ds = Dataset.range(4).map(lambda x: tf.py_function(count, [x], tf.int64)).cache(f)
    ds.element_spec  # noqa: B018 - tfjax infers map specs by running the function on samples
    calls.clear()
    assert np_list(ds) == [0, 1, 2, 3] and len(calls) == 4
    assert np_list(ds) == [0, 1, 2, 3] and len(calls) == 4
    # another pipeline with the same filename reads the file, not its input (as in TF)
    assert np_list(Dataset.range(10, 12).cache(f)) == [0, 1, 2, 3]


def test_partial_pass_is_discarded(tmp_path):
    f = str(tmp_path / "c")
    ds = Dataset.range(5).cache(f)
    it = iter(ds)
    next(it)
    names = sorted(os.listdir(tmp_path))
    assert names[0].startswith("c_0.data-00000-of-00001.tempstate") and names[1] == "c_0.lockfile"
    del it
    assert os.listdir(tmp_path) == []
    assert np_list(ds.take(2)) == [0, 1]
    assert os.listdir(tmp_path) == []
    assert np_list(ds) == [0, 1, 2, 3, 4]
    assert sorted(os.listdir(tmp_path)) == ["c.data-00000-of-00001", "c.index"]


def test_concurrent_writer_and_stale_lockfile(tmp_path):
    f = str(tmp_path / "c")
    ds = Dataset.range(5).cache(f)
    it = iter(ds)
    next(it)
    with pytest.raises(errors.AlreadyExistsError, match="concurrent caching iterator"):
        next(iter(ds))
    del it
    open(f + "_0.lockfile", "w").write("Created at: 1")
    with pytest.raises(errors.AlreadyExistsError, match="Created at: 1"):
        np_list(ds)
    os.remove(f + "_0.lockfile")
    assert np_list(ds) == [0, 1, 2, 3, 4]


def test_empty_dataset_writes_only_the_index(tmp_path):
    f = str(tmp_path / "c")
    assert np_list(Dataset.range(0).cache(f)) == []
    assert os.listdir(tmp_path) == ["c.index"]
    assert np_list(Dataset.range(3).cache(f)) == []


def test_errors(tmp_path):
    with pytest.raises(errors.NotFoundError, match="does not exist"):
        np_list(Dataset.range(2).cache(str(tmp_path / "nodir" / "c")))
    sp = Dataset.from_tensors(SparseTensor([[0]], [1.0], [2]))
    with pytest.raises(errors.UnsupportedError):
        np_list(sp.cache(str(tmp_path / "c")))
    assert os.listdir(tmp_path) == []


def test_memory_cache_unchanged():
    ds = Dataset.range(3).cache()
    assert np_list(ds) == np_list(ds) == [0, 1, 2]
