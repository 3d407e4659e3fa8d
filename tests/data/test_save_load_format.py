"""Dataset.save / Dataset.load: TF's snapshot layout, golden bytes written by TF 2.21, safety
(no pickle), crash safety and errors. Cross-reading with real TF is in
compat_tests/data/test_save_load_compat.py."""

import collections
import os
import sys

import numpy as np
import pytest

import tfjax as tf
from tfjax._src import errors
from tfjax._src.data import snapshot_format as fmt
from tfjax._src.sparse_tensor import SparseTensor, SparseTensorSpec
from tfjax._src.tensor_spec import TensorSpec
from tfjax.data import Dataset

Point = collections.namedtuple("Point", ["x", "label"])

# bytes TF 2.21 wrote (nested_structure_coder / Dataset.save), used as golden references
TF_SPEC_BYTES = {
    "int64_scalar": ("8a020412001809", TensorSpec([], tf.int64)),
    "tuple": ("a203290a188a02151211120b08ffffffffffffffffff011202080218010a0d8a020a0a026e6d120218011807",
              (TensorSpec([None, 2], tf.float32), TensorSpec(None, tf.string, name="nm"))),
    "namedtuple": ("b2032b0a05506f696e7412100a0178120b8a0208120412020803180412100a056c6162656c12078a0204120018"
                   "0a", Point(TensorSpec([3], tf.uint8), TensorSpec([], tf.bool))),
    "sparse": ("9202360801121ea2031b0a14fa0111120b08ffffffffffffffffff01120208030a038002021a105370617273"
               "6554656e736f72537065632003", SparseTensorSpec([None, 3], tf.float64)),
    "dict": ("aa03100a0e0a016b12098a020612021200180e", {"k": TensorSpec([0], tf.bfloat16)}),
}
# Dataset.from_tensor_slices(({"a": int32, "b": string}, float32[5, 2])).save(p): the spec
# (dict entries b, a) and the first element's three records of 00000000.snapshot
TF_D1_SPEC = ("a2032e0a1faa031c0a0c0a016212078a0204120018070a0c0a016112078a0204120018030a0b8a0208120412"
              "0208021801")
TF_D1_HEAD = ("0a00000000000000aea3bf3a080312002204000000000f14137b0800000000000000ff86240f0807120022020178"
              "48faae711200000000000000241f642508011204120208022208000000000000803fa12a7bbc")


def np_list(ds):
    return list(ds.as_numpy_iterator())


def _d1():
    return Dataset.from_tensor_slices(({"a": np.arange(5, dtype=np.int32),
                                        "b": np.array([b"x", b"yy", b"zzz", b"", b""], object)},
                                       np.arange(10, dtype=np.float32).reshape(5, 2)))


def _run_dir(p):
    (run,) = [d for d in os.listdir(p) if os.path.isdir(os.path.join(p, d))]
    return os.path.join(p, run)


@pytest.mark.parametrize("name", sorted(TF_SPEC_BYTES))
def test_element_spec_codec_matches_tf_bytes(name):
    hexbytes, spec = TF_SPEC_BYTES[name]
    decoded = fmt.decode_element_spec(bytes.fromhex(hexbytes))
    assert decoded == spec
    if name == "namedtuple":
        assert type(decoded).__name__ == "Point" and decoded._fields == ("x", "label")
    assert fmt.encode_element_spec(spec) == bytes.fromhex(hexbytes)


def test_save_writes_tf_layout_and_bytes(tmp_path):
    p = str(tmp_path / "snap")
    _d1().save(p)
    run = _run_dir(p)
    assert sorted(os.listdir(p)) == sorted([os.path.basename(run), "dataset_spec.pb", "snapshot.metadata"])
    assert fmt.decode_element_spec(open(os.path.join(p, "dataset_spec.pb"), "rb").read()) == \
        fmt.decode_element_spec(bytes.fromhex(TF_D1_SPEC))
    assert os.listdir(run) == ["00000000.shard"]
    assert os.listdir(os.path.join(run, "00000000.shard")) == ["00000000.snapshot"]
    data = open(os.path.join(run, "00000000.shard", "00000000.snapshot"), "rb").read()
    assert data.startswith(bytes.fromhex(TF_D1_HEAD))
    meta = fmt.SnapshotMetadataRecord()
    meta.ParseFromString(open(os.path.join(p, "snapshot.metadata"), "rb").read())
    assert meta.run_id == os.path.basename(run) and meta.version == 2 and meta.finalized
    assert list(meta.dtype) == [3, 7, 1] and meta.num_elements == 5 and meta.creation_timestamp > 0


def test_load_tf_written_bytes(tmp_path):
    # a snapshot assembled from TF's own bytes: dataset_spec.pb + first element
    p = tmp_path / "snap"
    (p / "123" / "00000000.shard").mkdir(parents=True)
    (p / "dataset_spec.pb").write_bytes(bytes.fromhex(TF_D1_SPEC))
    (p / "123" / "00000000.shard" / "00000000.snapshot").write_bytes(bytes.fromhex(TF_D1_HEAD))
    meta = fmt.SnapshotMetadataRecord(run_id="123", version=2, num_elements=1, finalized=True)
    meta.dtype.extend([3, 7, 1])
    (p / "snapshot.metadata").write_bytes(meta.SerializeToString())
    ds = Dataset.load(str(p))
    assert int(ds.cardinality()) == 1
    ((d, x),) = np_list(ds)
    assert d == {"a": 0, "b": b"x"} and x.tolist() == [0.0, 1.0]


STRUCTS = {
    "scalar": lambda: Dataset.range(4),
    "tuple": lambda: Dataset.from_tensor_slices((np.arange(6.0).reshape(3, 2), np.arange(3, dtype=np.int32))),
    "dict_nested": lambda: Dataset.from_tensor_slices(
        {"z": np.arange(3), "a": (np.array([b"p", b"", b"qq"], object), np.array([True, False, True]))}),
    "namedtuple": lambda: Dataset.from_tensor_slices(Point(np.float16([1, 2]), np.uint64([3, 4]))),
    "batched_partial": lambda: Dataset.range(5).batch(2),
    "dtypes": lambda: Dataset.from_tensors((np.complex128([1j]), np.int8([-3]), np.uint16(9),
                                            np.array([], np.float32), tf.cast(tf.constant([1.5]), tf.bfloat16))),
    "empty": lambda: Dataset.range(0),
}


def _same(a, b):
    if isinstance(a, dict):
        assert sorted(a) == sorted(b)
        for k in a:
            _same(a[k], b[k])
    elif isinstance(a, (tuple, list)):
        assert type(a).__name__ == type(b).__name__ and len(a) == len(b)
        for x, y in zip(a, b):
            _same(x, y)
    else:
        a, b = np.asarray(a), np.asarray(b)
        assert a.dtype == b.dtype and a.shape == b.shape and a.tolist() == b.tolist()


@pytest.mark.parametrize("compression", [None, "GZIP", "ZLIB"])
@pytest.mark.parametrize("name", sorted(STRUCTS))
def test_round_trip(name, compression, tmp_path):
    p = str(tmp_path / "snap")
    ds = STRUCTS[name]()
    ds.save(p, compression=compression)
    back = Dataset.load(p, compression=compression)
    assert back.element_spec == ds.element_spec
    assert int(back.cardinality()) == int(ds.cardinality())
    _same(np_list(back), np_list(ds))


def test_sparse_round_trip(tmp_path):
    p = str(tmp_path / "snap")
    Dataset.from_tensors((SparseTensor([[0, 0], [1, 2]], [b"a", b"bc"], [2, 3]), np.int32(7))).save(p)
    ((st, n),) = list(Dataset.load(p))
    assert np.asarray(st.indices).tolist() == [[0, 0], [1, 2]]
    assert [bytes(v) for v in np.asarray(st.values._value)] == [b"a", b"bc"]
    assert np.asarray(st.dense_shape).tolist() == [2, 3] and int(n) == 7


def test_shard_func_and_readers(tmp_path):
    p = str(tmp_path / "snap")
    Dataset.range(10).save(p, shard_func=lambda x: x % 3)
    assert sorted(os.listdir(_run_dir(p))) == ["00000000.shard", "00000001.shard", "00000002.shard"]
    loaded = Dataset.load(p)
    assert int(loaded.cardinality()) == 10 and sorted(np_list(loaded)) == list(range(10))
    seq = Dataset.load(p, reader_func=lambda dsets: dsets.flat_map(lambda d: d))
    assert np_list(seq) == [0, 3, 6, 9, 1, 4, 7, 2, 5, 8]
    with pytest.raises(TypeError, match="reader_func"):
        list(Dataset.load(p, reader_func=lambda dsets: 3))


def test_shard_func_must_return_int64(tmp_path):
    with pytest.raises(errors.InvalidArgumentError, match="scalar int64"):
        Dataset.range(3).save(str(tmp_path / "s"), shard_func=lambda x: tf.cast(x, tf.int32))
    assert os.listdir(tmp_path) == []


def test_explicit_element_spec_and_dtype_mismatch(tmp_path):
    p = str(tmp_path / "snap")
    Dataset.range(3).save(p)
    os.remove(os.path.join(p, "dataset_spec.pb"))
    with pytest.raises(errors.NotFoundError, match="element_spec"):
        Dataset.load(p)
    assert np_list(Dataset.load(p, element_spec=TensorSpec([], tf.int64))) == [0, 1, 2]
    with pytest.raises(errors.InvalidArgumentError, match="int64"):
        list(Dataset.load(p, element_spec=TensorSpec([], tf.float32)))


def test_wrong_compression_and_missing_path(tmp_path):
    p = str(tmp_path / "snap")
    Dataset.range(3).save(p, compression="GZIP")
    with pytest.raises(errors.DataLossError):
        list(Dataset.load(p))
    with pytest.raises(errors.NotFoundError):
        Dataset.load(str(tmp_path / "nope"))
    with pytest.raises(errors.InvalidArgumentError, match="compression"):
        Dataset.range(3).save(str(tmp_path / "x"), compression="LZ4")


def test_checkpoint_args_unsupported(tmp_path):
    with pytest.raises(errors.UnsupportedError, match="checkpoint_args"):
        Dataset.range(3).save(str(tmp_path / "s"), checkpoint_args={"directory": str(tmp_path)})


def test_save_is_crash_safe(tmp_path):
    p = str(tmp_path / "snap")
    Dataset.range(3).save(p)

    def boom(x):
        if x == 2:
            raise RuntimeError("boom")
        return x
    with pytest.raises(RuntimeError):
        Dataset.range(5).map(lambda x: tf.py_function(boom, [x], tf.int64)).save(p)
    assert os.listdir(tmp_path) == ["snap"]  # no temporary directory left behind
    assert np_list(Dataset.load(p)) == [0, 1, 2]  # the old save is intact
    Dataset.range(5, 7).save(p)  # a finished save replaces it
    assert np_list(Dataset.load(p)) == [5, 6] and os.listdir(tmp_path) == ["snap"]


def test_old_pickle_saves_are_refused_unread(tmp_path):
    p = tmp_path / "old"
    p.mkdir()
    (p / "dataset_spec.pkl").write_bytes(b"cos\nsystem\n(S'exit 1'\ntR.")  # would run a command
    with pytest.raises(errors.UnimplementedError, match="pickle"):
        Dataset.load(str(p))


def test_no_pickle_in_written_files(tmp_path):
    p = str(tmp_path / "snap")
    STRUCTS["dict_nested"]().save(p)
    for root, _, files in os.walk(p):
        for f in files:
            assert b"\x80\x04\x95" not in open(os.path.join(root, f), "rb").read()


def test_unsupported_components(tmp_path):
    nested = Dataset.range(2).window(1)
    with pytest.raises(errors.UnsupportedError):
        nested.save(str(tmp_path / "s"))


def test_snappy_needs_cramjam(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "cramjam", None)
    with pytest.raises(errors.UnimplementedError, match="cramjam"):
        Dataset.range(3).save(str(tmp_path / "s"), compression="SNAPPY")
    assert os.listdir(tmp_path) == []


def test_snappy_round_trip(tmp_path):
    pytest.importorskip("cramjam")
    p = str(tmp_path / "s")
    ds = Dataset.from_tensor_slices(np.random.RandomState(0).rand(300, 64).astype(np.float32))
    ds.save(p, compression="SNAPPY")
    _same(np_list(Dataset.load(p, compression="SNAPPY")), np_list(ds))
