"""``tf.train.Example`` & co. and ``TensorProto`` as real protobuf message classes.

The descriptors are built at import time with the same package (``tensorflow``),
message names and field numbers as TF's ``example.proto``/``feature.proto``/
``tensor.proto``/``tensor_shape.proto``, so serialized bytes are identical to
TF's. They live in a private descriptor pool: a process that also imports real
TensorFlow (the differential tests) has no name clash in the default pool.
"""

from __future__ import annotations

from google.protobuf import descriptor_pb2
from google.protobuf import descriptor_pool
from google.protobuf import message_factory

_F = descriptor_pb2.FieldDescriptorProto

_POOL = descriptor_pool.DescriptorPool()


def _field(msg, name, number, ftype, label=_F.LABEL_OPTIONAL, type_name=None, packed=None,
           oneof_index=None):
    f = msg.field.add()
    f.name = name
    f.number = number
    f.type = ftype
    f.label = label
    if type_name:
        f.type_name = type_name
    if packed is not None:
        f.options.packed = packed
    if oneof_index is not None:
        f.oneof_index = oneof_index
    f.json_name = "".join(w.capitalize() if i else w for i, w in enumerate(name.split("_")))
    return f


def _map_entry(msg, entry_name, value_type):
    e = msg.nested_type.add()
    e.name = entry_name
    e.options.map_entry = True
    _field(e, "key", 1, _F.TYPE_STRING)
    _field(e, "value", 2, _F.TYPE_MESSAGE, type_name=value_type)
    return e


def _build_feature_file():
    fp = descriptor_pb2.FileDescriptorProto()
    fp.name = "tensorflow/core/example/feature.proto"
    fp.package = "tensorflow"
    fp.syntax = "proto3"
    m = fp.message_type.add()
    m.name = "BytesList"
    _field(m, "value", 1, _F.TYPE_BYTES, _F.LABEL_REPEATED)
    m = fp.message_type.add()
    m.name = "FloatList"
    _field(m, "value", 1, _F.TYPE_FLOAT, _F.LABEL_REPEATED, packed=True)
    m = fp.message_type.add()
    m.name = "Int64List"
    _field(m, "value", 1, _F.TYPE_INT64, _F.LABEL_REPEATED, packed=True)
    m = fp.message_type.add()
    m.name = "Feature"
    m.oneof_decl.add().name = "kind"
    _field(m, "bytes_list", 1, _F.TYPE_MESSAGE, type_name=".tensorflow.BytesList", oneof_index=0)
    _field(m, "float_list", 2, _F.TYPE_MESSAGE, type_name=".tensorflow.FloatList", oneof_index=0)
    _field(m, "int64_list", 3, _F.TYPE_MESSAGE, type_name=".tensorflow.Int64List", oneof_index=0)
    m = fp.message_type.add()
    m.name = "Features"
    _map_entry(m, "FeatureEntry", ".tensorflow.Feature")
    _field(m, "feature", 1, _F.TYPE_MESSAGE, _F.LABEL_REPEATED, type_name=".tensorflow.Features.FeatureEntry")
    m = fp.message_type.add()
    m.name = "FeatureList"
    _field(m, "feature", 1, _F.TYPE_MESSAGE, _F.LABEL_REPEATED, type_name=".tensorflow.Feature")
    m = fp.message_type.add()
    m.name = "FeatureLists"
    _map_entry(m, "FeatureListEntry", ".tensorflow.FeatureList")
    _field(m, "feature_list", 1, _F.TYPE_MESSAGE, _F.LABEL_REPEATED,
           type_name=".tensorflow.FeatureLists.FeatureListEntry")
    return fp


def _build_example_file():
    fp = descriptor_pb2.FileDescriptorProto()
    fp.name = "tensorflow/core/example/example.proto"
    fp.package = "tensorflow"
    fp.syntax = "proto3"
    fp.dependency.append("tensorflow/core/example/feature.proto")
    m = fp.message_type.add()
    m.name = "Example"
    _field(m, "features", 1, _F.TYPE_MESSAGE, type_name=".tensorflow.Features")
    m = fp.message_type.add()
    m.name = "SequenceExample"
    _field(m, "context", 1, _F.TYPE_MESSAGE, type_name=".tensorflow.Features")
    _field(m, "feature_lists", 2, _F.TYPE_MESSAGE, type_name=".tensorflow.FeatureLists")
    return fp


_DT_VALUES = [("DT_INVALID", 0), ("DT_FLOAT", 1), ("DT_DOUBLE", 2), ("DT_INT32", 3), ("DT_UINT8", 4),
              ("DT_INT16", 5), ("DT_INT8", 6), ("DT_STRING", 7), ("DT_COMPLEX64", 8), ("DT_INT64", 9),
              ("DT_BOOL", 10), ("DT_QINT8", 11), ("DT_QUINT8", 12), ("DT_QINT32", 13),
              ("DT_BFLOAT16", 14), ("DT_QINT16", 15), ("DT_QUINT16", 16), ("DT_UINT16", 17),
              ("DT_COMPLEX128", 18), ("DT_HALF", 19), ("DT_RESOURCE", 20), ("DT_VARIANT", 21),
              ("DT_UINT32", 22), ("DT_UINT64", 23)]


def _build_tensor_files():
    shp = descriptor_pb2.FileDescriptorProto()
    shp.name = "tensorflow/core/framework/tensor_shape.proto"
    shp.package = "tensorflow"
    shp.syntax = "proto3"
    m = shp.message_type.add()
    m.name = "TensorShapeProto"
    d = m.nested_type.add()
    d.name = "Dim"
    _field(d, "size", 1, _F.TYPE_INT64)
    _field(d, "name", 2, _F.TYPE_STRING)
    _field(m, "dim", 2, _F.TYPE_MESSAGE, _F.LABEL_REPEATED, type_name=".tensorflow.TensorShapeProto.Dim")
    _field(m, "unknown_rank", 3, _F.TYPE_BOOL)

    typ = descriptor_pb2.FileDescriptorProto()
    typ.name = "tensorflow/core/framework/types.proto"
    typ.package = "tensorflow"
    typ.syntax = "proto3"
    e = typ.enum_type.add()
    e.name = "DataType"
    for n, v in _DT_VALUES:
        ev = e.value.add()
        ev.name = n
        ev.number = v

    ten = descriptor_pb2.FileDescriptorProto()
    ten.name = "tensorflow/core/framework/tensor.proto"
    ten.package = "tensorflow"
    ten.syntax = "proto3"
    ten.dependency.extend(["tensorflow/core/framework/tensor_shape.proto",
                           "tensorflow/core/framework/types.proto"])
    m = ten.message_type.add()
    m.name = "TensorProto"
    f = _field(m, "dtype", 1, _F.TYPE_ENUM, type_name=".tensorflow.DataType")
    del f
    _field(m, "tensor_shape", 2, _F.TYPE_MESSAGE, type_name=".tensorflow.TensorShapeProto")
    _field(m, "version_number", 3, _F.TYPE_INT32)
    _field(m, "tensor_content", 4, _F.TYPE_BYTES)
    _field(m, "half_val", 13, _F.TYPE_INT32, _F.LABEL_REPEATED, packed=True)
    _field(m, "float_val", 5, _F.TYPE_FLOAT, _F.LABEL_REPEATED, packed=True)
    _field(m, "double_val", 6, _F.TYPE_DOUBLE, _F.LABEL_REPEATED, packed=True)
    _field(m, "int_val", 7, _F.TYPE_INT32, _F.LABEL_REPEATED, packed=True)
    _field(m, "string_val", 8, _F.TYPE_BYTES, _F.LABEL_REPEATED)
    _field(m, "scomplex_val", 9, _F.TYPE_FLOAT, _F.LABEL_REPEATED, packed=True)
    _field(m, "int64_val", 10, _F.TYPE_INT64, _F.LABEL_REPEATED, packed=True)
    _field(m, "bool_val", 11, _F.TYPE_BOOL, _F.LABEL_REPEATED, packed=True)
    _field(m, "dcomplex_val", 12, _F.TYPE_DOUBLE, _F.LABEL_REPEATED, packed=True)
    _field(m, "uint32_val", 16, _F.TYPE_UINT32, _F.LABEL_REPEATED, packed=True)
    _field(m, "uint64_val", 17, _F.TYPE_UINT64, _F.LABEL_REPEATED, packed=True)
    _field(m, "float8_val", 18, _F.TYPE_BYTES)
    return shp, typ, ten


for _fp in (_build_feature_file(), _build_example_file(), *_build_tensor_files()):
    _POOL.Add(_fp)


def _cls(name):
    return message_factory.GetMessageClass(_POOL.FindMessageTypeByName(name))


BytesList = _cls("tensorflow.BytesList")
FloatList = _cls("tensorflow.FloatList")
Int64List = _cls("tensorflow.Int64List")
Feature = _cls("tensorflow.Feature")
Features = _cls("tensorflow.Features")
FeatureList = _cls("tensorflow.FeatureList")
FeatureLists = _cls("tensorflow.FeatureLists")
Example = _cls("tensorflow.Example")
SequenceExample = _cls("tensorflow.SequenceExample")
TensorShapeProto = _cls("tensorflow.TensorShapeProto")
TensorProto = _cls("tensorflow.TensorProto")

__all__ = ["BytesList", "FloatList", "Int64List", "Feature", "Features", "FeatureList", "FeatureLists",
           "Example", "SequenceExample", "TensorShapeProto", "TensorProto"]
