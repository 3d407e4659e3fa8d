"""``tf.io.serialize_sparse / serialize_many_sparse / deserialize_many_sparse``.

A SparseTensor serializes as three ``tf.io.serialize_tensor`` strings: indices (int64), values,
dense_shape (int64). ``serialize_many_sparse`` does that per entry of the first dimension (that
dimension dropped from indices and shape); ``deserialize_many_sparse`` stacks them back.
"""

from __future__ import annotations

import numpy as np

from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src.io import host
from tfjax._src.io.example import TensorProto
from tfjax._src.io.file_io import proto_to_array, tensor_to_proto


def _np(x):
    v = getattr(x, "_value", x)
    return v if isinstance(v, np.ndarray) else np.asarray(v)


def _sparse(sp_input):
    from tfjax._src.sparse_tensor import SparseTensor  # noqa: PLC0415
    if not isinstance(sp_input, SparseTensor):
        if hasattr(sp_input, "indices") and hasattr(sp_input, "dense_shape"):
            sp_input = SparseTensor(sp_input.indices, sp_input.values, sp_input.dense_shape)
        else:
            raise TypeError(f"Input must be a SparseTensor, got {type(sp_input).__name__}.")
    return (_np(sp_input.indices).astype(np.int64), _np(sp_input.values),
            _np(sp_input.dense_shape).astype(np.int64), sp_input.values.dtype)


def _varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | 0x80 if n else b)
        if not n:
            return bytes(out)


def _ser(arr, dtype):
    """TensorProto bytes with ``tensor_content`` (TF's AsProtoTensorContent, also for strings:
    every length as a varint, then the bytes)."""
    from tfjax._src import tensor as tensor_lib  # noqa: PLC0415
    if arr.dtype == object:
        p = tensor_to_proto(tensor_lib.Tensor(np.zeros(arr.shape, np.int64)))
        p.dtype = dtypes.string.as_datatype_enum
        items = [x if isinstance(x, bytes) else str(x).encode() for x in arr.reshape(-1).tolist()]
        p.tensor_content = b"".join(_varint(len(x)) for x in items) + b"".join(items)
        return p.SerializeToString()
    t = tensor_lib.convert_to_tensor(arr, dtype=dtype)
    return tensor_to_proto(t).SerializeToString()


def _string_content(p):
    """Decodes a string TensorProto's ``tensor_content`` (varint lengths, then the bytes)."""
    n = 1
    for d in p.tensor_shape.dim:
        n *= d.size
    buf = p.tensor_content
    pos, lens = 0, []
    for _ in range(n):
        shift = v = 0
        while True:
            b = buf[pos]
            pos += 1
            v |= (b & 0x7F) << shift
            shift += 7
            if b < 0x80:
                break
        lens.append(v)
    out = np.empty(n, dtype=object)
    for i, ln in enumerate(lens):
        out[i] = bytes(buf[pos:pos + ln])
        pos += ln
    return out.reshape([d.size for d in p.tensor_shape.dim])


def _check_out_type(out_type):
    dt = dtypes.as_dtype(out_type)
    if dt == dtypes.string:
        return
    if dt.name == "variant":
        raise errors.unsupported("serialize_sparse(out_type=tf.variant)", "tfjax has no DT_VARIANT tensors")
    raise TypeError(f"Value for attr 'out_type' of {dt.name} is not in the list of allowed values: string, variant")


def _strings(items, shape):
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return host.wrap(out.reshape(shape))


def serialize_sparse(sp_input, out_type=dtypes.string, name=None):
    """``tf.io.serialize_sparse``: a ``[3]`` string vector."""
    _check_out_type(out_type)
    ind, val, shp, vdt = _sparse(sp_input)
    return _strings([_ser(ind, dtypes.int64), _ser(val, vdt), _ser(shp, dtypes.int64)], (3,))


def serialize_many_sparse(sp_input, out_type=dtypes.string, name=None):
    """``tf.io.serialize_many_sparse``: ``[N, 3]`` strings, one row per entry of dimension 0."""
    _check_out_type(out_type)
    ind, val, shp, vdt = _sparse(sp_input)
    if shp.size < 2:
        raise errors.InvalidArgumentError("Rank of input SparseTensor should be > 1, but saw rank: "
                                          f"{shp.size} [Op:SerializeManySparse]")
    n = int(shp[0])
    rows = []
    for i in range(n):
        sel = ind[:, 0] == i
        rows += [_ser(np.ascontiguousarray(ind[sel][:, 1:]), dtypes.int64), _ser(val[sel], vdt),
                 _ser(shp[1:], dtypes.int64)]
    return _strings(rows, (n, 3))


def _parse(data, want, what):
    p = TensorProto()
    try:
        p.ParseFromString(data)
    except Exception:  # noqa: BLE001
        raise errors.InvalidArgumentError(f"Could not parse serialized {what} [Op:DeserializeManySparse]") from None
    have = dtypes.as_dtype(int(p.dtype))
    if have != want:
        raise errors.InvalidArgumentError(
            f"Requested SparseTensor of type {want.name} but SparseTensor[0].values.dtype() == {have.name} "
            "[Op:DeserializeManySparse]")
    if have == dtypes.string and p.tensor_content:
        return _string_content(p)
    return proto_to_array(p)


def deserialize_many_sparse(serialized_sparse, dtype, rank=None, name=None):
    """``tf.io.deserialize_many_sparse``: ``[N, 3]`` serialized SparseTensors -> one SparseTensor with
    a new leading dimension N (the other dimensions: the maximum over the entries)."""
    from tfjax._src.sparse_tensor import SparseTensor  # noqa: PLC0415
    arr = _np(serialized_sparse)
    if arr.ndim != 2 or arr.shape[1] != 3:
        raise errors.InvalidArgumentError(f"Serialized sparse should be a matrix with 3 columns; got shape "
                                          f"{list(arr.shape)} [Op:DeserializeManySparse]")
    dt = dtypes.as_dtype(dtype)
    inds, vals, shapes = [], [], []
    for i, (si, sv, ss) in enumerate(arr.tolist()):
        ind = _parse(si, dtypes.int64, "indices")
        val = _parse(sv, dt, "values")
        shp = _parse(ss, dtypes.int64, "shape")
        if shapes and shp.size != shapes[0].size:
            raise errors.InvalidArgumentError("Inconsistent rank across SparseTensors: rank prior to "
                                              f"SparseTensor[{i}] was: {shapes[0].size + 1} but rank of "
                                              f"SparseTensor[{i}] is: {shp.size + 1} [Op:DeserializeManySparse]")
        ind = ind.reshape(-1, shp.size)
        inds.append(np.concatenate([np.full((ind.shape[0], 1), i, np.int64), ind], axis=1))
        vals.append(val.reshape(-1))
        shapes.append(shp)
    n = len(shapes)
    r = shapes[0].size if shapes else (0 if rank is None else int(rank) - 1)
    if rank is not None and shapes and int(rank) != r + 1:
        raise ValueError(f"Shapes must have rank {r + 1}, but have rank {int(rank)}")
    dense = np.array([n] + (np.max(np.stack(shapes), axis=0).tolist() if shapes else [0] * r), np.int64)
    all_ind = np.concatenate(inds, axis=0) if inds else np.zeros((0, r + 1), np.int64)
    if vals:
        all_val = np.concatenate(vals, axis=0)
    else:
        all_val = np.zeros((0,), dtype=object if dt == dtypes.string else dt._np)
    return SparseTensor(host.wrap(all_ind), host.wrap(all_val), host.wrap(dense))
