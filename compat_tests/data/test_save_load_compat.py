"""Differential tests of Dataset.save / Dataset.load / Dataset.cache(filename) files against
real TensorFlow: each framework reads what the other wrote (element_spec, cardinality,
values, order)."""

import collections
import os

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")

from _tfx_shim import assert_same, plain, spec_repr, tfx  # noqa: E402

Point = collections.namedtuple("Point", ["x", "label"])
X = np.arange(24, dtype=np.float32).reshape(6, 4)
S = np.array([b"a", b"", b"ccc", b"\xff\x00b", b"ee", b"f" * 200], dtype=object)

STRUCTS = {
    "scalar_int64": lambda tf: tf.data.Dataset.range(7),
    "tensor_f32": lambda tf: tf.data.Dataset.from_tensor_slices(X),
    "tuple": lambda tf: tf.data.Dataset.from_tensor_slices((X, np.arange(6, dtype=np.int32))),
    "dict_with_strings": lambda tf: tf.data.Dataset.from_tensor_slices(
        {"x": X, "s": S, "b": np.array([True, False] * 3)}),
    "nested": lambda tf: tf.data.Dataset.from_tensor_slices(
        ({"a": X, "b": (S, np.arange(6, dtype=np.uint8))}, np.arange(6, dtype=np.float64))),
    "namedtuple": lambda tf: tf.data.Dataset.from_tensor_slices(Point(X, S)),
    "batched_strings": lambda tf: tf.data.Dataset.from_tensor_slices(S).batch(4),
    "unknown_dim": lambda tf: tf.data.Dataset.from_tensor_slices(X).batch(4),
    "dtypes": lambda tf: tf.data.Dataset.from_tensors((
        np.array([1.5, -2], np.float16), np.array([[1 + 2j]], np.complex64), np.array(3, np.uint64),
        np.array([-1, 2], np.int8), np.array([], np.int16), np.array([7], np.uint32),
        np.array([1.25, 2.5], np.float64), np.array([[True]]))),
    "bfloat16": lambda tf: tf.data.Dataset.from_tensors(tf.cast(tf.constant([1.5, -3.0]), tf.bfloat16)),
    "scalar_string": lambda tf: tf.data.Dataset.from_tensors(b"hello"),
    "empty": lambda tf: tf.data.Dataset.range(0),
}


def _check(loaded, ref_ds):
    assert spec_repr(loaded.element_spec) == spec_repr(ref_ds.element_spec)
    assert int(loaded.cardinality()) == int(ref_ds.cardinality())
    assert_same([plain(e) for e in loaded.as_numpy_iterator()], [plain(e) for e in ref_ds.as_numpy_iterator()])


@pytest.mark.parametrize("name", sorted(STRUCTS))
@pytest.mark.parametrize("compression", [None, "GZIP"])
def test_tf_saves_tfjax_loads(name, compression, tmp_path):
    p = str(tmp_path / "snap")
    STRUCTS[name](tf).save(p, compression=compression)
    _check(tfx.data.Dataset.load(p, compression=compression), STRUCTS[name](tfx))


@pytest.mark.parametrize("name", sorted(STRUCTS))
@pytest.mark.parametrize("compression", [None, "GZIP"])
def test_tfjax_saves_tf_loads(name, compression, tmp_path):
    p = str(tmp_path / "snap")
    STRUCTS[name](tfx).save(p, compression=compression)
    _check(tf.data.Dataset.load(p, compression=compression), STRUCTS[name](tf))


def test_namedtuple_spec_round_trips_by_name(tmp_path):
    p = str(tmp_path / "snap")
    STRUCTS["namedtuple"](tfx).save(p)
    spec = tf.data.Dataset.load(p).element_spec
    assert type(spec).__name__ == "Point" and spec._fields == ("x", "label")


@pytest.mark.parametrize("writer", ["tf", "tfjax"])
def test_shard_func_default_reader_order(writer, tmp_path):
    # several shards: TF's default reader interleaves them (cycle_length = cpu count); both
    # frameworks run on this machine, so the exact order must agree
    p = str(tmp_path / "snap")
    (tf if writer == "tf" else tfx).data.Dataset.range(20).save(p, shard_func=lambda x: x % 3)
    shards = sorted(os.listdir(os.path.join(p, [d for d in os.listdir(p) if d.isdigit()][0])))
    assert shards == ["00000000.shard", "00000001.shard", "00000002.shard"]
    mine = [int(x) for x in tfx.data.Dataset.load(p)]
    ref = [int(x) for x in tf.data.Dataset.load(p)]
    assert mine == ref and sorted(mine) == list(range(20))
    assert int(tfx.data.Dataset.load(p).cardinality()) == 20


@pytest.mark.parametrize("writer", ["tf", "tfjax"])
def test_reader_func(writer, tmp_path):
    p = str(tmp_path / "snap")
    (tf if writer == "tf" else tfx).data.Dataset.range(10).save(p, shard_func=lambda x: x % 2)

    def sequential(fw):
        return lambda dsets: dsets.flat_map(lambda d: d)
    mine = [int(x) for x in tfx.data.Dataset.load(p, reader_func=sequential(tfx))]
    ref = [int(x) for x in tf.data.Dataset.load(p, reader_func=sequential(tf))]
    assert mine == ref == [0, 2, 4, 6, 8, 1, 3, 5, 7, 9]


@pytest.mark.parametrize("writer", ["tf", "tfjax"])
def test_explicit_element_spec(writer, tmp_path):
    p = str(tmp_path / "snap")
    (tf if writer == "tf" else tfx).data.Dataset.from_tensor_slices(X).save(p)
    os.remove(os.path.join(p, "dataset_spec.pb"))
    mine = tfx.data.Dataset.load(p, element_spec=tfx.TensorSpec([4], tfx.float32))
    ref = tf.data.Dataset.load(p, element_spec=tf.TensorSpec([4], tf.float32))
    assert_same([plain(e) for e in mine], [plain(e) for e in ref])


@pytest.mark.parametrize("writer", ["tf", "tfjax"])
def test_sparse_elements(writer, tmp_path):
    p = str(tmp_path / "snap")
    fw = tf if writer == "tf" else tfx
    fw.data.Dataset.from_tensors(fw.SparseTensor([[0, 1], [1, 2]], [5.0, 6.0], [2, 3])).save(p)
    for reader in (tf, tfx):
        ds = reader.data.Dataset.load(p)
        assert spec_repr(ds.element_spec) == ("SparseTensorSpec", (2, 3), "float32")
        (st,) = list(ds)
        assert np.asarray(st.indices).tolist() == [[0, 1], [1, 2]]
        assert np.asarray(st.values).tolist() == [5.0, 6.0]
        assert np.asarray(st.dense_shape).tolist() == [2, 3]


@pytest.mark.parametrize("writer", ["tf", "tfjax"])
def test_snappy(writer, tmp_path):
    pytest.importorskip("cramjam")
    p = str(tmp_path / "snap")
    big = lambda fw: fw.data.Dataset.from_tensor_slices(  # noqa: E731 - spans several snappy blocks
        (np.random.RandomState(0).rand(200, 100).astype(np.float32), np.repeat(S, 200 // 6 + 1)[:200]))
    big(tf if writer == "tf" else tfx).save(p, compression="SNAPPY")
    reader = tfx if writer == "tf" else tf
    _check(reader.data.Dataset.load(p, compression="SNAPPY"), big(reader))


def test_wrong_compression_is_data_loss(tmp_path):
    p = str(tmp_path / "snap")
    tf.data.Dataset.range(3).save(p, compression="GZIP")
    with pytest.raises(tfx.errors.DataLossError):
        list(tfx.data.Dataset.load(p))


# ---------------------------------------------------------------------------
# cache(filename)
# ---------------------------------------------------------------------------

CACHED = {
    "dict_strings": lambda fw: fw.data.Dataset.from_tensor_slices(
        ({"a": np.arange(6, dtype=np.int32), "s": S}, X)),
    "scalar": lambda fw: fw.data.Dataset.range(5),
    "many_components": lambda fw: fw.data.Dataset.from_tensors(tuple(np.int64(i) for i in range(12))),
    "batched": lambda fw: fw.data.Dataset.from_tensor_slices(X).batch(4),
    "empty": lambda fw: fw.data.Dataset.range(0),
}


def _other(fw):
    return tfx if fw is tf else tf


@pytest.mark.parametrize("name", sorted(CACHED))
@pytest.mark.parametrize("writer", ["tf", "tfjax"])
def test_cache_file_read_by_the_other(name, writer, tmp_path):
    fw = tf if writer == "tf" else tfx
    f = str(tmp_path / "cache")
    expected = [plain(e) for e in CACHED[name](fw).as_numpy_iterator()]
    assert_same([plain(e) for e in CACHED[name](fw).cache(f).as_numpy_iterator()], expected)
    assert os.path.exists(f + ".index") and not os.path.exists(f + "_0.lockfile")
    got = [plain(e) for e in CACHED[name](_other(fw)).cache(f).as_numpy_iterator()]
    assert_same(got, expected)


@pytest.mark.parametrize("writer", ["tf", "tfjax"])
def test_cache_file_values_come_from_the_file(writer, tmp_path):
    fw = tf if writer == "tf" else tfx
    f = str(tmp_path / "cache")
    list(fw.data.Dataset.range(4).cache(f))
    reader = _other(fw)
    got = [int(x) for x in reader.data.Dataset.range(100, 110).cache(f)]
    assert got == [0, 1, 2, 3]


@pytest.mark.parametrize("fw_name", ["tf", "tfjax"])
def test_partial_cache_pass_leaves_nothing(fw_name, tmp_path):
    fw = tf if fw_name == "tf" else tfx
    f = str(tmp_path / "cache")
    ds = fw.data.Dataset.range(5).cache(f)
    it = iter(ds)
    next(it)
    assert os.path.exists(f + "_0.lockfile")
    del it
    assert os.listdir(tmp_path) == []
    assert [int(x) for x in ds] == [0, 1, 2, 3, 4]
    assert sorted(os.listdir(tmp_path)) == ["cache.data-00000-of-00001", "cache.index"]
