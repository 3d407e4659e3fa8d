"""Differential tests against real TF: tf.io sparse (de)serialization, decode_json_example,
match_filenames_once, and the unsupported proto/graph writers."""

import pytest

tf = pytest.importorskip("tensorflow")

from _tfx_shim import assert_same, plain, tfx  # noqa: E402


def _both(fn):
    out = []
    for fw in (tf, tfx):
        try:
            out.append(fn(fw))
        except Exception as e:  # noqa: BLE001
            out.append(("raises", type(e).__name__))
    return out


def _sp(fw, indices, values, shape, dtype=None):
    return fw.SparseTensor(indices, fw.constant(values, dtype) if dtype else values, shape)


def _sp_plain(s):
    return plain(s.indices), plain(s.values), plain(s.dense_shape)


SPARSE = [
    ([[0, 1], [2, 3]], [1.5, 2.5], [3, 4], None),
    ([[0, 1, 2], [1, 0, 0], [1, 2, 3]], [1, 2, 3], [2, 3, 4], "int32"),
    ([[0, 0], [3, 1]], [b"a", b"bc"], [4, 2], None),
    ([[1, 0]], [7], [3, 5], "int64"),
]


@pytest.mark.parametrize("i", range(len(SPARSE)))
def test_serialize_sparse_bytes_and_round_trip(i):
    ind, val, shape, dt = SPARSE[i]

    def run(fw):
        d = getattr(fw, dt) if dt else None
        sp = _sp(fw, ind, val, shape, d)
        s = fw.io.serialize_sparse(sp)
        m = fw.io.serialize_many_sparse(sp)
        back = fw.io.deserialize_many_sparse(m, sp.values.dtype, rank=len(shape))
        return plain(s).tolist(), plain(m).tolist(), _sp_plain(back)
    a, b = _both(run)
    assert_same(a, b)


def test_deserialize_many_sparse_from_tf_bytes_and_errors():
    m = tf.io.serialize_many_sparse(tf.SparseTensor([[0, 1], [2, 0]], [1.0, 2.0], [3, 2]))
    got = tfx.io.deserialize_many_sparse(tfx.constant(m.numpy()), tfx.float32)
    want = tf.io.deserialize_many_sparse(m, tf.float32)
    assert_same(_sp_plain(got), _sp_plain(want))
    a, b = _both(lambda fw: fw.io.deserialize_many_sparse(fw.constant(m.numpy()), fw.int32))
    assert a == b == ("raises", "InvalidArgumentError")
    a, b = _both(lambda fw: fw.io.serialize_many_sparse(fw.SparseTensor([[0]], [1.0], [2])))
    assert a[0] == "raises" and a == b


JSON = [
    '{"features": {"feature": {"a": {"int64List": {"value": ["1", "-2", 3]}}, '
    '"b": {"bytesList": {"value": ["aGk=", ""]}}, "c": {"floatList": {"value": [1.5, "NaN", -0.0]}}}}}',
    '{}',
    '{"features": {}}',
    '{"features": {"feature": {"z": {}, "y": {"int64_list": {}}}}}',
]


def test_decode_json_example():
    a, b = _both(lambda fw: plain(fw.io.decode_json_example(JSON)).tolist())
    assert a == b
    a, b = _both(lambda fw: plain(fw.io.decode_json_example([[JSON[0]], [JSON[1]]])).tolist())
    assert a == b
    a, b = _both(lambda fw: fw.io.decode_json_example('{"bad": 1}'))
    assert a == b == ("raises", "InvalidArgumentError")


def test_match_filenames_once(tmp_path):
    for n in ("b.txt", "a.txt", "c.dat"):
        (tmp_path / n).write_text("")
    a, b = _both(lambda fw: plain(fw.io.match_filenames_once(str(tmp_path / "*.txt"))).tolist())
    assert a == b


@pytest.mark.parametrize("name", ["decode_proto", "encode_proto", "write_graph"])
def test_unsupported_raise_clearly(name):
    from tfjax._src.errors import UnsupportedError
    with pytest.raises(UnsupportedError, match=f"tf.io.{name}"):
        getattr(tfx.io, name)(None, None, None)
