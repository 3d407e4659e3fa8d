"""Unit tests of the Example fast path (io/example_fast.py) and the chunked TFRecord reader:
fast path vs the protobuf (general) path, varint decoding, layout refusals, reader chunking."""

import struct

import numpy as np
import pytest

import tfjax as tf
from tfjax._src import errors
from tfjax._src.io import example as ex
from tfjax._src.io import example_fast, parsing, tfrecord


def _serialize(feats):
    def feat(kind, v):
        if kind == "f":
            return ex.Feature(float_list=ex.FloatList(value=v))
        if kind == "i":
            return ex.Feature(int64_list=ex.Int64List(value=v))
        return ex.Feature(bytes_list=ex.BytesList(value=v))
    return ex.Example(features=ex.Features(feature={k: feat(*kv) for k, kv in feats.items()})).SerializeToString()


@pytest.fixture
def general_only(monkeypatch):
    """Runs parsing with the fast path switched off (the reference)."""
    def run(fn):
        with monkeypatch.context() as m:
            m.setattr(example_fast, "match_batch", lambda recs: ([], np.arange(len(recs))))
            m.setattr(example_fast, "match_one", lambda rec: None)
            return fn()
    return run


def _plain(d):
    out = {}
    for k, v in d.items():
        if isinstance(v, tf.SparseTensor):
            out[k] = (v.indices.numpy().tolist(), v.values.numpy().tolist(), v.dense_shape.numpy().tolist())
        else:
            out[k] = (v.numpy().tolist(), v.numpy().dtype, v.shape)
    return out


def _outcome(fn):
    try:
        return ("ok", _plain(fn()))
    except Exception as e:  # noqa: BLE001
        return ("err", type(e).__name__, str(e))


def _random_batch(rng, n):
    recs = []
    for i in range(n):
        odd = i % 9 == 4  # a few records with another layout
        recs.append(_serialize({
            "img": ("f", rng.standard_normal(5 if odd else 4).astype(np.float32).tolist()),
            "lab": ("i", [int(rng.integers(-2**63, 2**63 - 1))] if i % 3 == 0 else [int(rng.integers(0, 300))]),
            "ids": ("i", rng.integers(0, 5, int(rng.integers(0, 3))).tolist()),
            "name": ("b", [bytes(rng.integers(0, 256, 4, dtype=np.uint8)), b""]),
        }))
    return recs


SPECS = [
    {"img": tf.io.FixedLenFeature([4], tf.float32), "lab": tf.io.FixedLenFeature([], tf.int64)},
    {"img": tf.io.FixedLenSequenceFeature([], tf.float32, allow_missing=True),
     "ids": tf.io.VarLenFeature(tf.int64), "name": tf.io.FixedLenFeature([2], tf.string),
     "nope": tf.io.FixedLenFeature([2], tf.int64, default_value=[-1, 5])},
    {"name": tf.io.VarLenFeature(tf.string), "lab": tf.io.VarLenFeature(tf.int64),
     "nope": tf.io.VarLenFeature(tf.float32)},
    {"lab": tf.io.FixedLenFeature([], tf.float32)},  # wrong dtype: an error
    {"nope": tf.io.FixedLenFeature([], tf.float32)},  # missing, no default: an error
]


@pytest.mark.parametrize("spec_i", range(len(SPECS)))
def test_fast_path_equals_general_path(general_only, spec_i):
    rng = np.random.default_rng(spec_i)
    recs = _random_batch(rng, 40)
    spec = SPECS[spec_i]
    fast = _outcome(lambda: tf.io.parse_example(recs, spec))
    ref = general_only(lambda: _outcome(lambda: tf.io.parse_example(recs, spec)))
    assert fast == ref
    for r in recs[:10]:
        fast = _outcome(lambda: tf.io.parse_single_example(r, spec))
        ref = general_only(lambda: _outcome(lambda: tf.io.parse_single_example(r, spec)))
        assert fast == ref


def test_fast_path_is_taken(monkeypatch):
    # fresh counters: earlier tests may have throttled layout building (see example_fast._may_build)
    monkeypatch.setattr(example_fast, "_STATS", {"built": 0, "hits": 0, "misses": 0})
    recs = [_serialize({"a": ("f", [float(i), 2.0]), "b": ("i", [i])}) for i in range(64)]
    before = example_fast._STATS["hits"]
    out = tf.io.parse_example(recs, {"a": tf.io.FixedLenFeature([2], tf.float32),
                                     "b": tf.io.FixedLenFeature([], tf.int64)})
    assert example_fast._STATS["hits"] - before >= 63
    assert out["a"].numpy()[:, 0].tolist() == list(range(64))
    assert out["b"].numpy().tolist() == list(range(64))
    groups, fb = example_fast.match_batch(recs)
    assert len(groups) == 1 and len(fb) == 0


def test_float_bits_are_preserved():
    vals = np.array([0.0, -0.0, np.inf, -np.inf, 1e-45, 3.4e38], np.float32)
    rec = _serialize({"a": ("f", vals.tolist())})
    out = tf.io.parse_example([rec, rec], {"a": tf.io.FixedLenFeature([6], tf.float32)})["a"].numpy()
    assert out.view(np.uint32).tolist() == [vals.view(np.uint32).tolist()] * 2


def _encode_varint(v):
    v &= (1 << 64) - 1
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        out.append(b | (0x80 if v else 0))
        if not v:
            return bytes(out)


def test_decode_varints():
    rng = np.random.default_rng(0)
    vals = [0, 1, 127, 128, 300, 2**62, 2**63 - 1, -1, -2**63, -5] + rng.integers(-2**63, 2**63 - 1, 20).tolist()
    rows = [vals[i:i + 3] for i in range(0, 27, 3)]
    payloads = [b"".join(_encode_varint(v) for v in r) for r in rows]
    width = max(map(len, payloads))
    same = [p for p in payloads if len(p) == width]
    block = np.frombuffer(b"".join(same), np.uint8).reshape(len(same), width)
    ok, got = example_fast.decode_varints(block, 3)
    assert ok.all()
    assert got.tolist() == [r for r, p in zip(rows, payloads) if len(p) == width]
    # wrong count, unterminated, overlong (valid), 11 bytes (invalid), 10th byte > 1 (wraps)
    cases = [(b"\x01\x02", 1, None), (b"\x81\x82", 1, None), (b"\x80\x00", 1, [0]),
             (b"\xff" * 10 + b"\x01", 1, None), (b"\xff" * 9 + b"\x02", 1, [2**63 - 1]),
             (b"\xff" * 9 + b"\x7f", 1, [-1])]
    for payload, count, want in cases:
        ok, got = example_fast.decode_varints(np.frombuffer(payload, np.uint8).reshape(1, -1), count)
        assert bool(ok[0]) == (want is not None), payload
        if want is not None:
            assert got[0].tolist() == want


def _ld(tag, body):
    return bytes([tag]) + _encode_varint(len(body)) + body


def test_layout_walk_refuses_unusual_structures():
    fl = _ld(0x12, _ld(0x12, _ld(0x0A, struct.pack("<2f", 1.0, 2.0))))  # entry value: Feature{float_list}
    entry = _ld(0x0A, _ld(0x0A, b"a") + fl)
    assert example_fast.build_layout(_ld(0x0A, entry)) is not None
    refused = {
        "duplicate key": _ld(0x0A, entry + entry),
        "value before key": _ld(0x0A, _ld(0x0A, fl + _ld(0x0A, b"a"))),
        "unpacked": _ld(0x0A, _ld(0x0A, _ld(0x0A, b"a") + _ld(0x12, _ld(0x12, b"\x0d" + struct.pack("<f", 1.0))))),
        "bad utf-8 key": _ld(0x0A, _ld(0x0A, _ld(0x0A, b"\xff") + fl)),
        "feature without kind": _ld(0x0A, _ld(0x0A, _ld(0x0A, b"a") + _ld(0x12, b""))),
        "extra top-level field": _ld(0x0A, entry) + b"\x10\x01",
        "truncated": _ld(0x0A, entry)[:-1],
        "float payload not a multiple of 4":
            _ld(0x0A, _ld(0x0A, _ld(0x0A, b"a") + _ld(0x12, _ld(0x12, _ld(0x0A, b"abc"))))),
    }
    for what, rec in refused.items():
        assert example_fast.build_layout(rec) is None, what


def test_many_layouts_and_unique_lengths(general_only):
    rng = np.random.default_rng(5)
    recs = [_serialize({"v": ("f", rng.random(int(rng.integers(0, 50))).tolist()),
                        "k": ("b", [b"x" * int(rng.integers(0, 30))])}) for _ in range(300)]
    spec = {"v": tf.io.VarLenFeature(tf.float32), "k": tf.io.FixedLenFeature([], tf.string)}
    for batch in (recs, recs[:1], recs[::7]):
        assert _outcome(lambda: tf.io.parse_example(batch, spec)) == \
            general_only(lambda: _outcome(lambda: tf.io.parse_example(batch, spec)))


def test_empty_batch_and_empty_records(general_only):
    spec = {"a": tf.io.FixedLenFeature([2], tf.float32, default_value=[1.0, 2.0]),
            "b": tf.io.VarLenFeature(tf.int64),
            "c": tf.io.FixedLenSequenceFeature([2], tf.int64, allow_missing=True)}
    for batch in ([], [b""] * 3, [b"", _serialize({"b": ("i", [1]), "c": ("i", [1, 2, 3, 4])}), b""]):
        assert _outcome(lambda: tf.io.parse_example(batch, spec)) == \
            general_only(lambda: _outcome(lambda: tf.io.parse_example(batch, spec)))


# --- reader ------------------------------------------------------------------------------------

def _frame(recs):
    return b"".join(tfrecord.encode_record(r) for r in recs)


@pytest.mark.parametrize("chunk", [1, 13, 100, 1 << 22])
def test_chunked_reader_boundaries(tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(tfrecord, "_CHUNK", chunk)
    rng = np.random.default_rng(chunk)
    recs = [bytes(rng.integers(0, 256, int(n), dtype=np.uint8)) for n in rng.integers(0, 300, 50)]
    recs += [b"", b"x" * 5000]
    p = str(tmp_path / "r.tfrecord")
    open(p, "wb").write(_frame(recs))
    assert list(tfrecord.read_records(p)) == recs
    gz = str(tmp_path / "r.gz")
    with tf.io.TFRecordWriter(gz, "GZIP") as w:
        for r in recs:
            w.write(r)
    assert list(tfrecord.read_records(gz, "GZIP")) == recs


@pytest.mark.parametrize("chunk", [7, 1 << 22])
def test_corruption_yields_records_before_it(tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(tfrecord, "_CHUNK", chunk)
    recs = [b"r%03d" % i * (i % 5 + 1) for i in range(40)]
    data = _frame(recs)
    starts = np.cumsum([0] + [16 + len(r) for r in recs])
    for k, field, msg in [(0, 13, "corrupted record at 0"), (17, 2, f"corrupted record at {starts[17]}"),
                          (39, 9, f"corrupted record at {starts[39]}"), (25, 15, "corrupted")]:
        bad = bytearray(data)
        bad[starts[k] + field] ^= 0x10
        p = str(tmp_path / "bad.tfrecord")
        open(p, "wb").write(bytes(bad))
        got = []
        with pytest.raises(errors.DataLossError, match=msg):
            for r in tfrecord.read_records(p):
                got.append(r)
        assert got == recs[:k]
    p = str(tmp_path / "trunc.tfrecord")
    open(p, "wb").write(data[:-3])
    got = []
    with pytest.raises(errors.DataLossError, match="truncated"):
        for r in tfrecord.read_records(p):
            got.append(r)
    assert got == recs[:-1]
    # no CRC checks: a corrupt payload is returned as is
    bad = bytearray(data)
    bad[starts[3] + 13] ^= 0x10
    open(p, "wb").write(bytes(bad))
    assert len(list(tfrecord.read_records(p, check_crc=False))) == len(recs)


def test_fused_batch_matches_element_path(tmp_path):
    paths = []
    for f in range(3):
        p = str(tmp_path / f"f{f}.tfrecord")
        with tf.io.TFRecordWriter(p) as w:
            for i in range(7 + f):
                w.write(b"%d-%d" % (f, i))
        paths.append(p)
    for drop in (False, True):
        fused = [b.numpy().tolist() for b in tf.data.TFRecordDataset(paths).batch(4, drop_remainder=drop)]
        plain = [b.numpy().tolist() for b in
                 tf.data.TFRecordDataset(paths).map(lambda s: s).batch(4, drop_remainder=drop)]
        assert fused == plain
        inter = [b.numpy().tolist() for b in
                 tf.data.TFRecordDataset(paths, num_parallel_reads=2).batch(4, drop_remainder=drop)]
        assert sorted(sum(inter, [])) == sorted(sum(plain, []))
    ds = tf.data.TFRecordDataset(paths).batch(5)
    assert ds.element_spec.shape.as_list() == [None]
    assert [len(b) for b in ds] == [5, 5, 5, 5, 4]


def test_layout_building_is_throttled_without_hits(monkeypatch):
    monkeypatch.setattr(example_fast, "_STATS", {"built": 0, "hits": 0, "misses": 0})
    monkeypatch.setattr(example_fast, "_CACHE", {})
    # every record a new length: layouts never get reused
    recs = [_serialize({"a": ("f", [1.0] * n)}) for n in range(300)]
    for r in recs:
        example_fast.match_one(r)
    st = example_fast._STATS
    assert 16 <= st["built"] < 20 and st["misses"] >= 250
    out = tf.io.parse_single_example(recs[-1], {"a": tf.io.VarLenFeature(tf.float32)})
    assert out["a"].values.numpy().tolist() == [1.0] * 299  # the general path still answers


def test_host_to_device_does_not_alias():
    from tfjax._src.io import host
    buf = np.empty(128 * 784 * 4 + 64, np.uint8)
    off = (-buf.ctypes.data) % 64  # 64-byte aligned: what jax.device_put would alias
    a = buf[off:off + 128 * 784 * 4].view(np.float32).reshape(128, 784)
    a[:] = 1.0
    x = host.to_device(a)
    a[0, 0] = 5.0
    assert float(x[0, 0]) == 1.0
    b = np.arange(6, dtype=">i4").reshape(2, 3)  # non-native byte order
    assert host.to_device(b).tolist() == [[0, 1, 2], [3, 4, 5]]
