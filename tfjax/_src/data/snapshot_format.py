"""The pieces of TensorFlow's ``tf.data`` snapshot format that ``Dataset.save`` / ``load`` need.

No pickle anywhere: a saved directory holds only protobuf messages and tensor bytes, so
loading one made by someone else cannot run code. The layout (TF 2.x ``save``, file
format version 2)::

    path/dataset_spec.pb                      StructuredValue of the element_spec
    path/snapshot.metadata                    SnapshotMetadataRecord (run_id, dtypes, count)
    path/<run_id>/<%08d shard>.shard/<%08d>.snapshot
        TFRecord file (optionally GZIP/ZLIB/SNAPPY compressed) with one record per
        flat component of each element: a TensorProto in ``tensor_content`` form.

The messages are declared here from descriptors in a private pool (the real TF protos
are not importable without TF, and a private pool never clashes with TF's when both
are loaded). TensorProtos are encoded by hand: they are three fields, and writing them
directly avoids building a message object per tensor. Record files (compression) are
in snapshot_records.py.
"""

from __future__ import annotations

import collections

import numpy as np
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

from tfjax._src import dtypes, errors
from tfjax._src.io import example as example_pb
from tfjax._src.io import file_io
from tfjax._src.sparse_tensor import SparseTensor, SparseTensorSpec
from tfjax._src.tensor_shape import TensorShape
from tfjax._src.tensor_spec import TensorSpec

DATASET_SPEC_FILENAME = "dataset_spec.pb"
METADATA_FILENAME = "snapshot.metadata"
FILE_FORMAT_VERSION = 2
DT_STRING = 7
DT_VARIANT = 21
_SPARSE_TENSOR_SPEC = 1  # TypeSpecProto.TypeSpecClass
_RAGGED_TENSOR_SPEC = 3


# ---------------------------------------------------------------------------
# protos
# ---------------------------------------------------------------------------

def _build_pool():
    pool = descriptor_pool.DescriptorPool()
    # TensorShapeProto / TensorProto: the same declarations tfjax.io uses, copied into this
    # pool so StructuredValue can reference them.
    seen = set()

    def add_file(fdesc):
        if fdesc.name in seen:
            return
        for dep in fdesc.dependencies:
            add_file(dep)
        fdp = descriptor_pb2.FileDescriptorProto()
        fdesc.CopyToProto(fdp)
        pool.Add(fdp)
        seen.add(fdesc.name)

    add_file(example_pb.TensorProto.DESCRIPTOR.file)

    F = descriptor_pb2.FieldDescriptorProto
    OPT, REP = F.LABEL_OPTIONAL, F.LABEL_REPEATED
    fd = descriptor_pb2.FileDescriptorProto()
    fd.name = "tfjax/data_snapshot.proto"
    fd.package = "tensorflow"
    fd.syntax = "proto3"
    fd.dependency.extend(["tensorflow/core/framework/tensor_shape.proto"])

    def msg(parent, name, fields, oneof=None):
        m = parent.add()
        m.name = name
        if oneof:
            m.oneof_decl.add().name = oneof
        for fname, num, ftype, label, tname in fields:
            f = m.field.add()
            f.name, f.number, f.type, f.label = fname, num, ftype, label
            if tname:
                f.type_name = tname
            if oneof:
                f.oneof_index = 0
        return m

    SV = ".tensorflow.StructuredValue"
    SHAPE = ".tensorflow.TensorShapeProto"
    # DataType enums are declared int32: identical on the wire, and open to any value.
    msg(fd.message_type, "StructuredValue", [
        ("none_value", 1, F.TYPE_MESSAGE, OPT, ".tensorflow.NoneValue"),
        ("float64_value", 11, F.TYPE_DOUBLE, OPT, None),
        ("int64_value", 12, F.TYPE_SINT64, OPT, None),
        ("string_value", 13, F.TYPE_STRING, OPT, None),
        ("bool_value", 14, F.TYPE_BOOL, OPT, None),
        ("tensor_shape_value", 31, F.TYPE_MESSAGE, OPT, SHAPE),
        ("tensor_dtype_value", 32, F.TYPE_INT32, OPT, None),
        ("tensor_spec_value", 33, F.TYPE_MESSAGE, OPT, ".tensorflow.TensorSpecProto"),
        ("type_spec_value", 34, F.TYPE_MESSAGE, OPT, ".tensorflow.TypeSpecProto"),
        ("bounded_tensor_spec_value", 35, F.TYPE_MESSAGE, OPT, ".tensorflow.TensorSpecProto"),
        ("list_value", 51, F.TYPE_MESSAGE, OPT, ".tensorflow.ListValue"),
        ("tuple_value", 52, F.TYPE_MESSAGE, OPT, ".tensorflow.TupleValue"),
        ("dict_value", 53, F.TYPE_MESSAGE, OPT, ".tensorflow.DictValue"),
        ("named_tuple_value", 54, F.TYPE_MESSAGE, OPT, ".tensorflow.NamedTupleValue"),
    ], oneof="kind")
    msg(fd.message_type, "NoneValue", [])
    msg(fd.message_type, "ListValue", [("values", 1, F.TYPE_MESSAGE, REP, SV)])
    msg(fd.message_type, "TupleValue", [("values", 1, F.TYPE_MESSAGE, REP, SV)])
    dv = msg(fd.message_type, "DictValue", [
        ("fields", 1, F.TYPE_MESSAGE, REP, ".tensorflow.DictValue.FieldsEntry")])
    entry = msg(dv.nested_type, "FieldsEntry", [
        ("key", 1, F.TYPE_STRING, OPT, None), ("value", 2, F.TYPE_MESSAGE, OPT, SV)])
    entry.options.map_entry = True
    msg(fd.message_type, "PairValue", [
        ("key", 1, F.TYPE_STRING, OPT, None), ("value", 2, F.TYPE_MESSAGE, OPT, SV)])
    msg(fd.message_type, "NamedTupleValue", [
        ("name", 1, F.TYPE_STRING, OPT, None),
        ("values", 2, F.TYPE_MESSAGE, REP, ".tensorflow.PairValue")])
    msg(fd.message_type, "TensorSpecProto", [
        ("name", 1, F.TYPE_STRING, OPT, None), ("shape", 2, F.TYPE_MESSAGE, OPT, SHAPE),
        ("dtype", 3, F.TYPE_INT32, OPT, None)])
    msg(fd.message_type, "TypeSpecProto", [
        ("type_spec_class", 1, F.TYPE_INT32, OPT, None), ("type_state", 2, F.TYPE_MESSAGE, OPT, SV),
        ("type_spec_class_name", 3, F.TYPE_STRING, OPT, None),
        ("num_flat_components", 4, F.TYPE_INT32, OPT, None)])
    msg(fd.message_type, "SnapshotMetadataRecord", [
        ("graph_hash", 1, F.TYPE_STRING, OPT, None), ("run_id", 2, F.TYPE_STRING, OPT, None),
        ("creation_timestamp", 3, F.TYPE_INT64, OPT, None), ("version", 4, F.TYPE_INT64, OPT, None),
        ("dtype", 5, F.TYPE_INT32, REP, None), ("num_elements", 6, F.TYPE_INT64, OPT, None),
        ("finalized", 1000, F.TYPE_BOOL, OPT, None)])
    pool.Add(fd)
    return {n: message_factory.GetMessageClass(pool.FindMessageTypeByName("tensorflow." + n))
            for n in ("StructuredValue", "SnapshotMetadataRecord")}


_P = _build_pool()
StructuredValue = _P["StructuredValue"]
SnapshotMetadataRecord = _P["SnapshotMetadataRecord"]


# ---------------------------------------------------------------------------
# element_spec <-> StructuredValue
# ---------------------------------------------------------------------------

def _set_shape(proto, shape):
    proto.SetInParent()
    shape = TensorShape(shape)
    if shape.rank is None:
        proto.unknown_rank = True
        return
    for d in shape.as_list():
        proto.dim.add().size = -1 if d is None else int(d)


def _get_shape(proto):
    if proto.unknown_rank:
        return TensorShape(None)
    return TensorShape([None if d.size < 0 else int(d.size) for d in proto.dim])


def _is_namedtuple(x):
    return isinstance(x, tuple) and hasattr(type(x), "_fields")


def _encode_into(value, sv):
    if value is None:
        sv.none_value.SetInParent()
    elif isinstance(value, SparseTensorSpec):
        ts = sv.type_spec_value
        ts.type_spec_class = _SPARSE_TENSOR_SPEC
        ts.type_spec_class_name = "SparseTensorSpec"
        ts.num_flat_components = 3
        state = ts.type_state.tuple_value
        _set_shape(state.values.add().tensor_shape_value, value.shape)
        state.values.add().tensor_dtype_value = value.dtype.as_datatype_enum
    elif isinstance(value, TensorSpec):
        spec = sv.tensor_spec_value
        if value.name:
            spec.name = value.name
        _set_shape(spec.shape, value.shape)
        spec.dtype = value.dtype.as_datatype_enum
    elif isinstance(value, dict):
        sv.dict_value.SetInParent()
        for k in value:
            if not isinstance(k, str):
                raise errors.unsupported("Dataset.save of an element dict with non-string keys")
            _encode_into(value[k], sv.dict_value.fields[k])
    elif _is_namedtuple(value):
        nt = sv.named_tuple_value
        nt.name = type(value).__name__
        for k, v in zip(type(value)._fields, value):
            pair = nt.values.add()
            pair.key = k
            _encode_into(v, pair.value)
    elif isinstance(value, (tuple, list)):
        seq = sv.tuple_value if isinstance(value, tuple) else sv.list_value
        seq.SetInParent()
        for v in value:
            _encode_into(v, seq.values.add())
    else:
        raise errors.unsupported(f"Dataset.save of elements of type {type(value).__name__}",
                                 "tfjax saves Tensor and SparseTensor components (in tuples, dicts, "
                                 "namedtuples)")


def encode_element_spec(element_spec) -> bytes:
    sv = StructuredValue()
    _encode_into(element_spec, sv)
    return sv.SerializeToString()


def _decode(sv):
    kind = sv.WhichOneof("kind")
    if kind == "none_value":
        return None
    if kind in ("tensor_spec_value", "bounded_tensor_spec_value"):
        s = getattr(sv, kind)
        return TensorSpec(_get_shape(s.shape), dtypes.as_dtype(int(s.dtype)), s.name or None)
    if kind == "type_spec_value":
        ts = sv.type_spec_value
        state = [v for v in ts.type_state.tuple_value.values]
        if ts.type_spec_class == _SPARSE_TENSOR_SPEC and len(state) >= 2:
            return SparseTensorSpec(_get_shape(state[0].tensor_shape_value),
                                    dtypes.as_dtype(int(state[1].tensor_dtype_value)))
        name = ts.type_spec_class_name or f"TypeSpec class {ts.type_spec_class}"
        raise errors.unsupported(f"Dataset.load of a dataset whose elements contain {name}")
    if kind == "dict_value":
        f = sv.dict_value.fields
        return {k: _decode(f[k]) for k in sorted(f)}
    if kind == "named_tuple_value":
        nt = sv.named_tuple_value
        cls = collections.namedtuple(nt.name or "NamedTuple", [p.key for p in nt.values])
        return cls(*[_decode(p.value) for p in nt.values])
    if kind == "tuple_value":
        return tuple(_decode(v) for v in sv.tuple_value.values)
    if kind == "list_value":
        return [_decode(v) for v in sv.list_value.values]
    if kind in ("float64_value", "int64_value", "string_value", "bool_value"):
        return getattr(sv, kind)
    if kind == "tensor_shape_value":
        return _get_shape(sv.tensor_shape_value)
    if kind == "tensor_dtype_value":
        return dtypes.as_dtype(int(sv.tensor_dtype_value))
    raise errors.DataLossError(f"Unrecognized element_spec value in {DATASET_SPEC_FILENAME}: {kind}")


def decode_element_spec(data: bytes):
    sv = StructuredValue()
    try:
        sv.ParseFromString(data)
    except Exception:  # noqa: BLE001 - protobuf raises its own DecodeError types
        raise errors.DataLossError(f"Could not parse {DATASET_SPEC_FILENAME}.") from None
    return _decode(sv)


def flat_specs(element_spec):
    """Flat component specs in TF's order (dict keys sorted), lists are structure here too."""
    out = []

    def walk(s):
        if isinstance(s, dict):
            for k in sorted(s):
                walk(s[k])
        elif isinstance(s, (tuple, list)):
            for v in s:
                walk(v)
        elif s is not None:
            out.append(s)
    walk(element_spec)
    return out


def pack(element_spec, flat):
    """Inverse of :func:`flat_specs` for values (lists stay lists, as TF restores them)."""
    it = iter(flat)

    def build(s):
        if isinstance(s, dict):
            vals = {k: build(s[k]) for k in sorted(s)}
            return {k: vals[k] for k in s}
        if _is_namedtuple(s):
            return type(s)(*[build(v) for v in s])
        if isinstance(s, tuple):
            return tuple(build(v) for v in s)
        if isinstance(s, list):
            return [build(v) for v in s]
        if s is None:
            return None
        return next(it)
    return build(element_spec)


def component_dtype_enum(spec) -> int:
    return DT_VARIANT if isinstance(spec, SparseTensorSpec) else spec.dtype.as_datatype_enum


# ---------------------------------------------------------------------------
# TensorProto (tensor_content form) <-> numpy
# ---------------------------------------------------------------------------

def _varint(n: int) -> bytes:
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def _read_varint(buf, pos):
    result = shift = 0
    while True:
        if pos >= len(buf) or shift > 63:
            raise errors.DataLossError("Corrupted tensor record in a tf.data snapshot.")
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, pos
        shift += 7


def _field_bytes(num, data: bytes) -> bytes:
    return _varint(num << 3 | 2) + _varint(len(data)) + data


def _shape_bytes(shape) -> bytes:
    # TensorShapeProto.dim (2) of Dim.size (1); proto3 drops zero sizes, as TF's writer does.
    return b"".join(_field_bytes(2, b"\x08" + _varint(d & 0xFFFFFFFFFFFFFFFF) if d else b"") for d in shape)


def _string_content(values) -> bytes:
    elems = [v if isinstance(v, bytes) else str(v).encode("utf-8") for v in values]
    return b"".join(_varint(len(e)) for e in elems) + b"".join(elems)


def _dtype_enum(arr: np.ndarray) -> int:
    if arr.dtype.kind in "OSU":
        return DT_STRING
    return dtypes.from_numpy(arr.dtype).as_datatype_enum


def encode_array(arr: np.ndarray) -> bytes:
    """Serialized TensorProto of ``arr`` as TF's ``Tensor::AsProtoTensorContent`` writes it."""
    enum = _dtype_enum(arr)
    if enum == DT_STRING:
        content = _string_content(arr.reshape(-1).tolist())
    else:
        content = np.ascontiguousarray(arr).astype(arr.dtype.newbyteorder("<"), copy=False).tobytes()
    out = b"\x08" + _varint(enum) + _field_bytes(2, _shape_bytes(arr.shape))
    if content:
        out += _field_bytes(4, content)
    return out


def _variant_of_tensor(arr) -> bytes:
    # VariantTensorDataProto{type_name: "tensorflow::Tensor", tensors: [arr]}
    return _field_bytes(1, b"tensorflow::Tensor") + _field_bytes(3, encode_array(arr))


def encode_sparse(st) -> bytes:
    """A SparseTensor component: a DT_VARIANT vector of (indices, values, dense_shape), as
    tf.data represents it."""
    from tfjax._src.data.structure import host  # noqa: PLC0415
    parts = [_variant_of_tensor(np.asarray(host(st.indices), np.int64)),
             _variant_of_tensor(host(st.values)),
             _variant_of_tensor(np.asarray(host(st.dense_shape), np.int64))]
    content = b"".join(_varint(len(p)) for p in parts) + b"".join(parts)
    return b"\x08" + _varint(DT_VARIANT) + _field_bytes(2, _shape_bytes((3,))) + _field_bytes(4, content)


def _split_list(content: bytes, count: int):
    lens = []
    pos = 0
    for _ in range(count):
        n, pos = _read_varint(content, pos)
        lens.append(n)
    out = []
    for n in lens:
        out.append(bytes(content[pos:pos + n]))
        pos += n
    if pos != len(content):
        raise errors.DataLossError("Corrupted string/variant tensor in a tf.data snapshot.")
    return out


def _variant_tensors(data: bytes):
    """The TensorProtos inside one serialized VariantTensorDataProto (and its type name)."""
    pos, name, tensors = 0, b"", []
    while pos < len(data):
        key, pos = _read_varint(data, pos)
        num, wt = key >> 3, key & 7
        if wt == 2:
            n, pos = _read_varint(data, pos)
            val = data[pos:pos + n]
            pos += n
            if num == 1:
                name = bytes(val)
            elif num == 3:
                tensors.append(bytes(val))
        elif wt == 0:
            _, pos = _read_varint(data, pos)
        elif wt in (1, 5):
            pos += 8 if wt == 1 else 4
        else:
            raise errors.DataLossError("Corrupted variant tensor in a tf.data snapshot.")
    return name, tensors


def _proto_to_array(p) -> np.ndarray:
    shape = [int(d.size) for d in p.tensor_shape.dim]
    if p.dtype == DT_STRING and p.tensor_content:
        n = int(np.prod(shape)) if shape else 1
        arr = np.empty(n, dtype=object)
        arr[:] = _split_list(p.tensor_content, n)
        return arr.reshape(shape)
    return file_io.proto_to_array(p)


def decode_component(record: bytes, spec):
    """One snapshot record → an internal element leaf (numpy array or SparseTensor)."""
    p = example_pb.TensorProto()
    try:
        p.ParseFromString(record)
    except Exception:  # noqa: BLE001
        raise errors.DataLossError("Unable to parse tensor from stored proto.") from None
    if p.dtype != DT_VARIANT:
        want = getattr(spec, "dtype", None)
        if want is not None and not isinstance(spec, SparseTensorSpec) and want.as_datatype_enum != p.dtype:
            raise errors.InvalidArgumentError(
                f"Dataset.load: stored component has dtype {dtypes.as_dtype(int(p.dtype)).name} "
                f"but the element_spec says {want.name}.")
        return _proto_to_array(p)
    n = int(np.prod([d.size for d in p.tensor_shape.dim])) if len(p.tensor_shape.dim) else 1
    items = _split_list(p.tensor_content, n)
    arrays = []
    for item in items:
        name, tensors = _variant_tensors(item)
        if name != b"tensorflow::Tensor" or len(tensors) != 1:
            kind = name.decode(errors="replace")
            raise errors.unsupported(f"Dataset.load of variant components of type {kind}")
        tp = example_pb.TensorProto()
        tp.ParseFromString(tensors[0])
        arrays.append(_proto_to_array(tp))
    if not isinstance(spec, SparseTensorSpec) or len(arrays) != 3:
        raise errors.unsupported("Dataset.load of variant components other than SparseTensor")
    return SparseTensor(arrays[0], arrays[1], arrays[2])


def encode_component(leaf) -> bytes:
    if isinstance(leaf, SparseTensor):
        return encode_sparse(leaf)
    from tfjax._src.data.structure import host  # noqa: PLC0415
    if not hasattr(leaf, "shape") or not hasattr(leaf, "dtype"):
        raise errors.unsupported(f"Dataset.save of a {type(leaf).__name__} component")
    return encode_array(host(leaf))
