"""tf.io unit tests (no TensorFlow needed)."""

import gzip
import os
import struct

import numpy as np
import pytest

import tfjax as tf
from tfjax._src import errors
from tfjax._src.io import example, tfrecord
from tfjax._src.io.gfile import GFile

gfile = tf.io.gfile


def test_masked_crc_known_values():
    # Reference values from TF's crc32c tests: crc32c(b"") == 0, crc32c(b"123456789") == 0xE3069283.
    import google_crc32c
    assert google_crc32c.value(b"123456789") == 0xE3069283
    crc = 0xE3069283
    assert tfrecord.masked_crc32c(b"123456789") == (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def test_record_framing(tmp_path):
    p = str(tmp_path / "r.tfrecord")
    with tf.io.TFRecordWriter(p) as w:
        w.write(b"abc")
        w.write("déf")
    raw = open(p, "rb").read()
    (n,) = struct.unpack("<Q", raw[:8])
    assert n == 3 and raw[12:15] == b"abc"
    assert list(tfrecord.read_records(p)) == [b"abc", "déf".encode()]
    gz = str(tmp_path / "r.gz")
    with tf.io.TFRecordWriter(gz, "GZIP") as w:
        w.write(b"xyz")
    assert gzip.decompress(open(gz, "rb").read())[12:15] == b"xyz"
    with pytest.raises(ValueError, match="compression"):
        tf.io.TFRecordWriter(str(tmp_path / "bad"), "LZ4")


def test_corrupt_and_truncated(tmp_path):
    p = str(tmp_path / "r.tfrecord")
    with tf.io.TFRecordWriter(p) as w:
        w.write(b"hello world")
    raw = open(p, "rb").read()
    open(p, "wb").write(raw[:-1])
    with pytest.raises(errors.DataLossError, match="truncated"):
        list(tfrecord.read_records(p))
    bad = bytearray(raw)
    bad[13] ^= 1
    open(p, "wb").write(bytes(bad))
    with pytest.raises(errors.DataLossError, match="corrupted"):
        list(tf.data.TFRecordDataset(p).as_numpy_iterator())


def test_example_messages():
    ex = example.Example(features=example.Features(feature={
        "a": example.Feature(float_list=example.FloatList(value=[1.5]))}))
    data = ex.SerializeToString()
    assert data == b"\n\x0f\n\r\n\x01a\x12\x08\x12\x06\n\x04\x00\x00\xc0?"
    back = example.Example.FromString(data)
    assert back.features.feature["a"].float_list.value[0] == 1.5
    assert back.features.feature["a"].WhichOneof("kind") == "float_list"
    assert type(back).DESCRIPTOR.full_name == "tensorflow.Example"


def test_parse_fixed_len_sequence_and_defaults():
    ex = example.Example(features=example.Features(feature={
        "s": example.Feature(int64_list=example.Int64List(value=[1, 2, 3, 4]))}))
    out = tf.io.parse_single_example(ex.SerializeToString(), {
        "s": tf.io.FixedLenSequenceFeature([2], tf.int64, allow_missing=True),
        "d": tf.io.FixedLenFeature([2], tf.string, default_value=b"q"),
    })
    assert out["s"].numpy().tolist() == [[1, 2], [3, 4]]
    assert out["d"].numpy().tolist() == [b"q", b"q"]


def test_gfile_ops(tmp_path):
    d = str(tmp_path / "a" / "b")
    gfile.makedirs(d)
    gfile.makedirs(d)
    assert gfile.isdir(d) and gfile.exists(d)
    f = os.path.join(d, "x.txt")
    with GFile(f, "w") as fh:
        fh.write("hello\nworld\n")
        assert not os.path.exists(f)  # atomic: appears on close
    assert gfile.GFile(f).read() == "hello\nworld\n"
    assert gfile.GFile(f, "rb").readlines() == [b"hello\n", b"world\n"]
    assert gfile.listdir(d) == ["x.txt"]
    assert gfile.glob(os.path.join(d, "*.txt")) == [f]
    gfile.copy(f, f + ".bak")
    with pytest.raises(errors.AlreadyExistsError):
        gfile.copy(f, f + ".bak")
    with pytest.raises(errors.AlreadyExistsError):
        gfile.rename(f, f + ".bak")
    gfile.rename(f, f + ".bak", overwrite=True)
    assert not gfile.exists(f)
    assert gfile.stat(f + ".bak").length == 12
    walked = list(gfile.walk(str(tmp_path)))
    assert walked[0][0] == str(tmp_path) and walked[-1][2] == ["x.txt.bak"]
    gfile.remove(f + ".bak")
    with pytest.raises(errors.NotFoundError):
        gfile.remove(f + ".bak")
    with pytest.raises(errors.NotFoundError):
        gfile.listdir(str(tmp_path / "nope"))
    with pytest.raises(errors.NotFoundError):
        GFile(str(tmp_path / "nope.txt"))
    gfile.rmtree(str(tmp_path / "a"))
    assert not gfile.exists(str(tmp_path / "a"))


def test_gfile_write_failure_keeps_old_content(tmp_path):
    f = str(tmp_path / "keep.txt")
    with GFile(f, "w") as fh:
        fh.write("old")
    with pytest.raises(RuntimeError):
        with GFile(f, "w") as fh:
            fh.write("new partial")
            raise RuntimeError("crash")
    assert open(f).read() == "old"
    assert os.listdir(tmp_path) == ["keep.txt"]


def test_decode_csv_and_base64():
    a, b, c = tf.io.decode_csv(["1,x,2.5", ",y,"], [[0], [""], [1.0]])
    assert a.numpy().tolist() == [1, 0] and b.numpy().tolist() == [b"x", b"y"]
    np.testing.assert_allclose(c.numpy(), [2.5, 1.0])
    enc = tf.io.encode_base64(tf.constant([b"\xff\xfe data"]))
    assert tf.io.decode_base64(enc).numpy().tolist() == [b"\xff\xfe data"]


def test_strings_split_ragged_and_to_sparse():
    assert tf.strings.split(tf.constant(["a b", "c"])).to_list() == [[b"a", b"b"], [b"c"]]
    sp = tf.strings.split_to_sparse(tf.constant(["a b", "c"]))
    assert sp.dense_shape.numpy().tolist() == [2, 2]


def test_unpacked_and_unknown_fields_parse():
    # unpacked float encoding (valid protobuf)
    unpacked = b"\n\x0e\n\x0c\n\x01a\x12\x07\x12\x05\r\x00\x00\xc0?"
    out = tf.io.parse_single_example(unpacked, {"a": tf.io.FixedLenFeature([1], tf.float32)})
    assert out["a"].numpy().tolist() == [1.5]
    ex = example.Example(features=example.Features(feature={"a": example.Feature(int64_list=example.Int64List(value=[-5]))}))
    data = ex.SerializeToString() + b"\x10\x07"  # an unknown field
    assert tf.io.parse_single_example(data, {"a": tf.io.FixedLenFeature([], tf.int64)})["a"].numpy() == -5


def test_tfrecord_roundtrip_property(tmp_path):
    hypothesis = pytest.importorskip("hypothesis")
    st = hypothesis.strategies

    @hypothesis.settings(max_examples=8, deadline=None)
    @hypothesis.given(st.lists(st.binary(max_size=300), max_size=8), st.sampled_from(["", "GZIP", "ZLIB"]))
    def check(records, comp):
        p = str(tmp_path / f"h{comp}.tfrecord")
        with tf.io.TFRecordWriter(p, comp) as w:
            for r in records:
                w.write(r)
        assert list(tf.data.TFRecordDataset(p, compression_type=comp).as_numpy_iterator()) == records
    check()
