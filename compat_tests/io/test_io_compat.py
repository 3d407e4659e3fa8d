"""Differential tests of tf.io / TFRecord / tf.train.Example / tf.strings against real TF."""

import gzip
import os

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")

from _tfx_shim import assert_same, plain, tfx  # noqa: E402


def _example(fw, i):
    return fw.train.Example(features=fw.train.Features(feature={
        "id": fw.train.Feature(int64_list=fw.train.Int64List(value=[i])),
        "vec": fw.train.Feature(float_list=fw.train.FloatList(value=[i * 0.5, -1.25, 3.0])),
        "name": fw.train.Feature(bytes_list=fw.train.BytesList(value=[f"n{i}".encode()])),
        "tags": fw.train.Feature(int64_list=fw.train.Int64List(value=list(range(i % 4)))),
    }))


SPEC = lambda fw: {  # noqa: E731
    "id": fw.io.FixedLenFeature([], fw.int64),
    "vec": fw.io.FixedLenFeature([3], fw.float32),
    "name": fw.io.FixedLenFeature([], fw.string),
    "tags": fw.io.VarLenFeature(fw.int64),
    "missing": fw.io.FixedLenFeature([2], fw.float32, default_value=[7.0, 8.0]),
}


def test_example_bytes_identical():
    for i in range(4):
        a = _example(tfx, i).SerializeToString(deterministic=True)
        b = _example(tf, i).SerializeToString(deterministic=True)
        assert a == b
        assert tfx.train.Example.FromString(b) == _example(tfx, i)
    se = lambda fw: fw.train.SequenceExample(  # noqa: E731
        context=fw.train.Features(feature={"c": fw.train.Feature(int64_list=fw.train.Int64List(value=[1]))}),
        feature_lists=fw.train.FeatureLists(feature_list={"f": fw.train.FeatureList(feature=[
            fw.train.Feature(float_list=fw.train.FloatList(value=[1.0, 2.0])),
            fw.train.Feature(float_list=fw.train.FloatList(value=[3.0, 4.0]))])}))
    assert se(tfx).SerializeToString(deterministic=True) == se(tf).SerializeToString(deterministic=True)


def _parsed_plain(d, fw):
    out = {}
    for k, v in d.items():
        if type(v).__name__ == "SparseTensor":
            out[k] = (plain(v.indices), plain(v.values), plain(v.dense_shape), plain(fw.sparse.to_dense(v)))
        else:
            out[k] = plain(v)
    return out


def test_parse_single_example_and_batch():
    blobs = [_example(tf, i).SerializeToString() for i in range(5)]
    for i, b in enumerate(blobs):
        a = _parsed_plain(tfx.io.parse_single_example(b, SPEC(tfx)), tfx)
        r = _parsed_plain(tf.io.parse_single_example(b, SPEC(tf)), tf)
        assert_same(a, r)
    a = _parsed_plain(tfx.io.parse_example(blobs, SPEC(tfx)), tfx)
    r = _parsed_plain(tf.io.parse_example(blobs, SPEC(tf)), tf)
    assert_same(a, r)


def test_parse_errors_match():
    blob = _example(tf, 2).SerializeToString()
    bad = [
        lambda fw: fw.io.parse_single_example(blob, {"id": fw.io.FixedLenFeature([2], fw.int64)}),
        lambda fw: fw.io.parse_single_example(blob, {"id": fw.io.FixedLenFeature([], fw.float32)}),
        lambda fw: fw.io.parse_single_example(blob, {"nope": fw.io.FixedLenFeature([], fw.float32)}),
    ]
    with pytest.raises(tfx.errors.InvalidArgumentError):  # TF itself fails to format this message
        tfx.io.parse_single_example(b"\xff\xff garbage", {"id": tfx.io.FixedLenFeature([], tfx.int64)})
    for c in bad:
        names = []
        for fw in (tf, tfx):
            try:
                c(fw)
                names.append(None)
            except Exception as e:  # noqa: BLE001
                names.append(type(e).__name__)
        assert names[0] == names[1] == "InvalidArgumentError", names


def test_parse_sequence_example():
    def make(fw, n):
        return fw.train.SequenceExample(
            context=fw.train.Features(feature={"len": fw.train.Feature(int64_list=fw.train.Int64List(value=[n]))}),
            feature_lists=fw.train.FeatureLists(feature_list={
                "tok": fw.train.FeatureList(feature=[fw.train.Feature(int64_list=fw.train.Int64List(value=[t, t + 1]))
                                                     for t in range(n)]),
                "w": fw.train.FeatureList(feature=[fw.train.Feature(bytes_list=fw.train.BytesList(value=[b"x"] * (t + 1)))
                                                   for t in range(n)]),
            })).SerializeToString()
    blobs = [make(tf, n) for n in (2, 3)]
    for fw_pair in [(tfx, tf)]:
        outs = []
        for fw in fw_pair:
            ctx = {"len": fw.io.FixedLenFeature([], fw.int64)}
            seq = {"tok": fw.io.FixedLenSequenceFeature([2], fw.int64), "w": fw.io.VarLenFeature(fw.string)}
            c, s = fw.io.parse_single_sequence_example(blobs[1], ctx, seq)
            c2, s2, lens = fw.io.parse_sequence_example(blobs, ctx, seq)
            outs.append((_parsed_plain(c, fw), _parsed_plain(s, fw), _parsed_plain(c2, fw),
                         _parsed_plain(s2, fw), _parsed_plain(lens, fw)))
        assert_same(outs[0], outs[1])


@pytest.mark.parametrize("comp", ["", "GZIP", "ZLIB"])
def test_tfrecord_roundtrip_both_ways(tmp_path, comp):
    recs = [os.urandom(n) for n in (0, 1, 100, 3000)] + [_example(tf, 1).SerializeToString()]
    p1, p2 = str(tmp_path / "mine.tfrecord"), str(tmp_path / "theirs.tfrecord")
    with tfx.io.TFRecordWriter(p1, tfx.io.TFRecordOptions(compression_type=comp)) as w:
        for r in recs:
            w.write(r)
    with tf.io.TFRecordWriter(p2, options=tf.io.TFRecordOptions(compression_type=comp)) as w:
        for r in recs:
            w.write(r)
    if comp == "":
        assert open(p1, "rb").read() == open(p2, "rb").read()
    assert list(tf.data.TFRecordDataset(p1, compression_type=comp).as_numpy_iterator()) == recs
    assert list(tfx.data.TFRecordDataset(p2, compression_type=comp).as_numpy_iterator()) == recs
    assert list(tfx.data.TFRecordDataset([p1, p2], compression_type=comp).as_numpy_iterator()) == recs * 2


def test_tfrecord_parallel_reads_order(tmp_path):
    files = []
    for f in range(3):
        p = str(tmp_path / f"f{f}.tfrecord")
        with tf.io.TFRecordWriter(p) as w:
            for i in range(f + 2):
                w.write(f"{f}-{i}".encode())
        files.append(p)
    a = list(tfx.data.TFRecordDataset(files, num_parallel_reads=2).as_numpy_iterator())
    b = list(tf.data.TFRecordDataset(files, num_parallel_reads=2).as_numpy_iterator())
    assert a == b
    spec = tfx.data.TFRecordDataset(files).element_spec
    assert spec.shape.as_list() == [] and spec.dtype.name == "string"


def test_tfrecord_parse_pipeline(tmp_path):
    p = str(tmp_path / "ex.tfrecord")
    with tf.io.TFRecordWriter(p) as w:
        for i in range(10):
            w.write(_example(tf, i).SerializeToString())

    def pipe(fw):
        def parse(s):
            d = fw.io.parse_single_example(s, {"id": fw.io.FixedLenFeature([], fw.int64),
                                               "vec": fw.io.FixedLenFeature([3], fw.float32)})
            return d["vec"], d["id"]
        return fw.data.TFRecordDataset(p).map(parse, num_parallel_calls=2).batch(4)
    assert_same(list(pipe(tfx).as_numpy_iterator()), list(pipe(tf).as_numpy_iterator()))
    assert repr(pipe(tfx).element_spec) == repr(pipe(tf).element_spec).replace("tf.", "tf.")


def _corrupt_cases(tmp_path):
    good = str(tmp_path / "good.tfrecord")
    with tf.io.TFRecordWriter(good) as w:
        for i in range(3):
            w.write(b"payload-%d" % i)
    data = open(good, "rb").read()
    trunc = str(tmp_path / "trunc.tfrecord")
    open(trunc, "wb").write(data[:-7])
    crc = str(tmp_path / "crc.tfrecord")
    bad = bytearray(data)
    bad[14] ^= 0xFF  # inside the first payload
    open(crc, "wb").write(bytes(bad))
    hdr = str(tmp_path / "hdr.tfrecord")
    bad2 = bytearray(data)
    bad2[9] ^= 0xFF  # length crc
    open(hdr, "wb").write(bytes(bad2))
    gz = str(tmp_path / "trunc.tfrecord.gz")
    open(gz, "wb").write(gzip.compress(data)[:-10])
    return [(trunc, ""), (crc, ""), (hdr, ""), (gz, "GZIP")]


def test_corrupt_records_raise_data_loss(tmp_path):
    for path, comp in _corrupt_cases(tmp_path):
        got = []
        for fw in (tf, tfx):
            try:
                list(fw.data.TFRecordDataset(path, compression_type=comp))
                got.append(None)
            except Exception as e:  # noqa: BLE001
                got.append(type(e).__name__)
        assert got == ["DataLossError", "DataLossError"], (path, got)
    with pytest.raises(tfx.errors.DataLossError, match="corrupted record at 0"):
        list(tfx.data.TFRecordDataset(str(tmp_path / "crc.tfrecord")))
    with pytest.raises(tfx.errors.DataLossError, match="truncated record"):
        list(tfx.data.TFRecordDataset(str(tmp_path / "trunc.tfrecord")))


def test_missing_file_not_found(tmp_path):
    for fw in (tf, tfx):
        with pytest.raises(Exception) as ei:
            list(fw.data.TFRecordDataset(str(tmp_path / "nope")))
        assert type(ei.value).__name__ == "NotFoundError"


@pytest.mark.parametrize("value", [
    np.array([1, 2], np.int32), np.float32(3.5), np.array([b"ab", b"c"], dtype=object),
    np.array([[True, False]]), np.zeros((0, 3), np.float16), np.array([1 + 2j], np.complex64),
    np.arange(6, dtype=np.int64).reshape(2, 3), np.array([1.5], np.float64), np.array([7], np.uint8),
])
def test_serialize_parse_tensor(value):
    a = tfx.io.serialize_tensor(tfx.constant(value)).numpy()
    b = tf.io.serialize_tensor(tf.constant(value)).numpy()
    assert plain(a) == b
    dt = tf.constant(value).dtype.name
    assert_same(plain(tfx.io.parse_tensor(b, dt)), plain(tf.io.parse_tensor(b, dt)))
    with pytest.raises(tfx.errors.InvalidArgumentError):
        tfx.io.parse_tensor(b, "bfloat16")


def test_decode_raw():
    data = [b"\x01\x00\x02\x00", b"\xff\xff\x00\x80"]
    for kw in [{}, {"little_endian": False}]:
        assert_same(plain(tfx.io.decode_raw(data, tfx.int16, **kw)), plain(tf.io.decode_raw(data, tf.int16, **kw)))
    assert_same(plain(tfx.io.decode_raw([b"\x01", b"\x01\x02\x03"], tfx.uint8, fixed_length=2)),
                plain(tf.io.decode_raw([b"\x01", b"\x01\x02\x03"], tf.uint8, fixed_length=2)))
    with pytest.raises(tfx.errors.InvalidArgumentError):
        tfx.io.decode_raw([b"\x01\x00", b"\x01"], tfx.int16)


def test_images_roundtrip():
    rng = np.random.default_rng(0)
    img = rng.integers(0, 256, size=(9, 7, 3), dtype=np.uint8)
    png_tf = tf.io.encode_png(img).numpy()
    png_mine = plain(tfx.io.encode_png(tfx.constant(img)))
    np.testing.assert_array_equal(tfx.io.decode_png(png_tf).numpy(), img)
    np.testing.assert_array_equal(tf.io.decode_png(png_mine).numpy(), img)
    np.testing.assert_array_equal(tfx.io.decode_image(png_tf, channels=1).numpy(),
                                  tf.io.decode_image(png_tf, channels=1).numpy())
    yy, xx = np.mgrid[0:32, 0:24]
    smooth = np.stack([yy * 7, xx * 9, (yy + xx) * 4], -1).astype(np.uint8)
    jpg = tf.io.encode_jpeg(smooth, quality=95).numpy()
    a = tfx.io.decode_jpeg(jpg, channels=3).numpy().astype(int)
    b = tf.io.decode_jpeg(jpg, channels=3).numpy().astype(int)
    # Pillow's libjpeg uses the accurate integer DCT, TF the fast one: small differences.
    assert a.shape == b.shape and np.abs(a - b).mean() <= 1.5 and np.abs(a - b).max() <= 8
    assert tf.io.decode_jpeg(plain(tfx.io.encode_jpeg(tfx.constant(img)))).shape == (9, 7, 3)
    g = tf.io.encode_jpeg(smooth[..., :1]).numpy()
    for ch in (1, 3):
        for r in (1, 2):
            a = tfx.io.decode_jpeg(jpg, channels=ch, ratio=r).numpy().astype(int)
            b = tf.io.decode_jpeg(jpg, channels=ch, ratio=r).numpy().astype(int)
            assert a.shape == b.shape, (ch, r)
            assert np.abs(a - b).mean() <= 2 and np.abs(a - b).max() <= 10, (ch, r)
    assert tfx.io.decode_jpeg(g).shape == tf.io.decode_jpeg(g).shape
    f = tfx.io.decode_image(png_tf, dtype=tfx.float32)
    np.testing.assert_allclose(f.numpy(), tf.io.decode_image(png_tf, dtype=tf.float32).numpy(), atol=1e-6)


def test_read_write_file(tmp_path):
    p = str(tmp_path / "sub" / "x.bin")
    tfx.io.write_file(p, b"hello\x00world")
    assert tf.io.read_file(p).numpy() == b"hello\x00world"
    assert plain(tfx.io.read_file(p)) == b"hello\x00world"
    with pytest.raises(tfx.errors.NotFoundError):
        tfx.io.read_file(str(tmp_path / "none"))


STRING_CASES = {
    "split_scalar": lambda tf: tf.strings.split("a b  c"),
    "split_sep": lambda tf: tf.strings.split("a,b,,c", ","),
    "join": lambda tf: tf.strings.join([["a", "b"], "x"], separator="-"),
    "reduce_join": lambda tf: tf.strings.reduce_join([["a", "b"], ["c", "d"]], axis=1, separator=","),
    "lower": lambda tf: tf.strings.lower(["AbC", "ÉX"]),
    "upper_utf8": lambda tf: tf.strings.upper("aé", encoding="utf-8"),
    "regex_replace": lambda tf: tf.strings.regex_replace(["aaa bbb", "xa"], "a+", "X"),
    "regex_replace_once": lambda tf: tf.strings.regex_replace("aaa", "a", "X", replace_global=False),
    "regex_group": lambda tf: tf.strings.regex_replace("ab-cd", r"(\w+)-(\w+)", r"\2_\1"),
    "to_number": lambda tf: tf.strings.to_number(["1.5", "-2", "1e3"]),
    "to_number_int": lambda tf: tf.strings.to_number(["7", "-3"], tf.int64),
    "to_number_bad": lambda tf: tf.strings.to_number("x1"),
    "length": lambda tf: tf.strings.length(["abc", "é", ""]),
    "length_chars": lambda tf: tf.strings.length("héllo", unit="UTF8_CHAR"),
    "substr": lambda tf: tf.strings.substr(["hello", "ab"], [0, 1], [2, 5]),
    "substr_neg": lambda tf: tf.strings.substr("hello", -3, 2),
    "substr_oob": lambda tf: tf.strings.substr("hello", 7, 1),
    "strip": lambda tf: tf.strings.strip([" a \n", "\tb"]),
    "as_string_float": lambda tf: tf.strings.as_string([1.5, 2.0]),
    "as_string_prec": lambda tf: tf.strings.as_string(tf.constant([3.14159], tf.float64), precision=2),
    "as_string_int": lambda tf: tf.strings.as_string(tf.constant([3, -4])),
    "as_string_bool": lambda tf: tf.strings.as_string([True, False]),
    "as_string_sci": lambda tf: tf.strings.as_string(1234.5, scientific=True),
    "as_string_width": lambda tf: tf.strings.as_string(7, width=4, fill="0"),
    "unicode_decode": lambda tf: tf.strings.unicode_decode("héllo", "UTF-8"),
    "unicode_encode": lambda tf: tf.strings.unicode_encode([104, 233], "UTF-8"),
    "regex_full_match": lambda tf: tf.strings.regex_full_match(["abc", "x"], "a.*"),
}


@pytest.mark.parametrize("name", sorted(STRING_CASES))
def test_strings(name):
    outs = []
    for fw in (tf, tfx):
        try:
            r = STRING_CASES[name](fw)
            outs.append(("ok", r.dtype.name, plain(r)))
        except Exception as e:  # noqa: BLE001
            outs.append(("raises", type(e).__name__))
    assert outs[0][:2] == outs[1][:2], outs
    if outs[0][0] == "ok":
        assert_same(outs[1][2], outs[0][2])


def _ragged_parts(x):
    """(type name, values, row_splits, row_splits dtype) of a parsed ragged/dense result."""
    if hasattr(x, "row_splits"):
        return ("ragged", x.flat_values.numpy().tolist(), x.row_splits.numpy().tolist(), x.row_splits.dtype.name,
                x.dtype.name)
    return ("dense", x.numpy().tolist(), None, None, x.dtype.name)


RAGGED_SPEC = lambda fw: {  # noqa: E731
    "tags": fw.io.RaggedFeature(fw.int64),
    "tags_again": fw.io.RaggedFeature(fw.int64, value_key="tags"),
    "vec": fw.io.RaggedFeature(fw.float32),
    "name": fw.io.RaggedFeature(fw.string, row_splits_dtype=fw.int64),
    "absent": fw.io.RaggedFeature(fw.float32),
    "id": fw.io.FixedLenFeature([], fw.int64),
}


def test_ragged_feature_parse_matches_tf():
    blobs = [_example(tf, i).SerializeToString() for i in range(6)]
    a = tfx.io.parse_example(blobs, RAGGED_SPEC(tfx))
    b = tf.io.parse_example(blobs, RAGGED_SPEC(tf))
    assert sorted(a) == sorted(b)   # (order with value_key aliases is TF-internal; see the order test)
    for k in b:
        assert _ragged_parts(a[k]) == _ragged_parts(b[k]), k
    for blob in blobs[:3]:
        a = tfx.io.parse_single_example(blob, RAGGED_SPEC(tfx))
        b = tf.io.parse_single_example(blob, RAGGED_SPEC(tf))
        for k in b:
            assert _ragged_parts(a[k]) == _ragged_parts(b[k]), k


def test_ragged_feature_arguments_match_tf():
    assert repr(tfx.io.RaggedFeature(tfx.string, value_key="x")) == repr(tf.io.RaggedFeature(tf.string, value_key="x"))
    for fw in (tf, tfx):
        with pytest.raises(ValueError):
            fw.io.RaggedFeature(fw.int32)
    with pytest.raises(tfx.errors.InvalidArgumentError):   # type mismatch, as TF
        tfx.io.parse_example(blobs_of_ids(), {"id": tfx.io.RaggedFeature(tfx.float32)})
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.io.parse_example(blobs_of_ids(), {"id": tf.io.RaggedFeature(tf.float32)})


def test_ragged_feature_conflicts_match_tf():
    for fw in (tf, tfx):
        with pytest.raises(ValueError, match="Conflicting partition type"):
            fw.io.parse_example(blobs_of_ids(), {"a": fw.io.RaggedFeature(fw.int64, value_key="tags"),
                                                 "b": fw.io.RaggedFeature(fw.int64, value_key="tags",
                                                                          row_splits_dtype=fw.int64)})
        with pytest.raises(ValueError, match="Conflicting type"):
            fw.io.parse_example(blobs_of_ids(), {"a": fw.io.RaggedFeature(fw.int64, value_key="tags"),
                                                 "b": fw.io.RaggedFeature(fw.float32, value_key="tags")})


def blobs_of_ids():
    return [_example(tf, i).SerializeToString() for i in range(2)]


def test_parsed_dict_order_matches_tf():
    blob = tf.train.Example().SerializeToString()
    spec = lambda fw: {"z": fw.io.RaggedFeature(fw.int64), "b": fw.io.FixedLenFeature([], fw.int64, default_value=0),  # noqa: E731
                       "a": fw.io.RaggedFeature(fw.int64), "c": fw.io.VarLenFeature(fw.int64),
                       "y": fw.io.FixedLenFeature([], fw.int64, default_value=0)}
    assert list(tfx.io.parse_example([blob], spec(tfx))) == list(tf.io.parse_example([blob], spec(tf)))
    assert list(tfx.io.parse_single_example(blob, spec(tfx))) == list(tf.io.parse_single_example(blob, spec(tf)))
