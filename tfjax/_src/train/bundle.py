"""TensorFlow's tensor-bundle checkpoint format, without TensorFlow.

A checkpoint ``prefix`` is two files:

* ``prefix.data-00000-of-00001``: the raw bytes of every tensor, back to back
  (numeric tensors little-endian in C order; string tensors as TF writes them:
  varint64 lengths, a masked crc32c of the lengths, then the bytes).
* ``prefix.index``: a LevelDB-format SSTable (uncompressed blocks, crc32c block
  trailers, 48-byte footer with magic ``0xdb4775248b80fb57``) mapping ``""`` to a
  ``BundleHeaderProto`` and every tensor key to a ``BundleEntryProto`` (dtype,
  shape, shard, offset, size, masked crc32c of the bytes).

The protos are built at run time from descriptors (no TensorFlow import), in a
private descriptor pool so they never clash with TensorFlow's own when both are
imported in one process.
"""

from __future__ import annotations

import os
import struct

import google_crc32c
import ml_dtypes
import numpy as np
from google.protobuf import descriptor_pb2, descriptor_pool, wrappers_pb2
from google.protobuf import message_factory

from tfjax._src import errors
from tfjax._src.utils import atomic_io

_MASK_DELTA = 0xA282EAD8
_TABLE_MAGIC = 0xDB4775248B80FB57
_FOOTER_LEN = 48
_BLOCK_SIZE = 256 * 1024
_RESTART_INTERVAL = 16

DATA_SUFFIX = ".data-00000-of-00001"
INDEX_SUFFIX = ".index"


# ---------------------------------------------------------------------------
# protos
# ---------------------------------------------------------------------------

def _build_protos():
    pool = descriptor_pool.DescriptorPool()
    wfd = descriptor_pb2.FileDescriptorProto()
    wrappers_pb2.DESCRIPTOR.CopyToProto(wfd)
    pool.Add(wfd)

    fd = descriptor_pb2.FileDescriptorProto()
    fd.name = "tfjax/tensorflow_checkpoint.proto"
    fd.package = "tensorflow"
    fd.syntax = "proto3"
    fd.dependency.append(wfd.name)
    F = descriptor_pb2.FieldDescriptorProto
    OPT, REP = F.LABEL_OPTIONAL, F.LABEL_REPEATED

    def msg(parent, name, fields):
        m = parent.add()
        m.name = name
        for fname, num, ftype, label, tname in fields:
            f = m.field.add()
            f.name, f.number, f.type, f.label = fname, num, ftype, label
            if tname:
                f.type_name = tname
        return m

    msg(fd.message_type, "VersionDef", [
        ("producer", 1, F.TYPE_INT32, OPT, None),
        ("min_consumer", 2, F.TYPE_INT32, OPT, None),
        ("bad_consumers", 3, F.TYPE_INT32, REP, None)])
    shape = msg(fd.message_type, "TensorShapeProto", [
        ("dim", 2, F.TYPE_MESSAGE, REP, ".tensorflow.TensorShapeProto.Dim"),
        ("unknown_rank", 3, F.TYPE_BOOL, OPT, None)])
    msg(shape.nested_type, "Dim", [
        ("size", 1, F.TYPE_INT64, OPT, None),
        ("name", 2, F.TYPE_STRING, OPT, None)])
    sl = msg(fd.message_type, "TensorSliceProto", [
        ("extent", 1, F.TYPE_MESSAGE, REP, ".tensorflow.TensorSliceProto.Extent")])
    msg(sl.nested_type, "Extent", [
        ("start", 1, F.TYPE_INT64, OPT, None),
        ("length", 2, F.TYPE_INT64, OPT, None)])
    msg(fd.message_type, "BundleHeaderProto", [
        ("num_shards", 1, F.TYPE_INT32, OPT, None),
        ("endianness", 2, F.TYPE_INT32, OPT, None),  # enum Endianness {LITTLE=0; BIG=1}
        ("version", 3, F.TYPE_MESSAGE, OPT, ".tensorflow.VersionDef")])
    msg(fd.message_type, "BundleEntryProto", [
        ("dtype", 1, F.TYPE_INT32, OPT, None),  # enum DataType
        ("shape", 2, F.TYPE_MESSAGE, OPT, ".tensorflow.TensorShapeProto"),
        ("shard_id", 3, F.TYPE_INT32, OPT, None),
        ("offset", 4, F.TYPE_INT64, OPT, None),
        ("size", 5, F.TYPE_INT64, OPT, None),
        ("crc32c", 6, F.TYPE_FIXED32, OPT, None),
        ("slices", 7, F.TYPE_MESSAGE, REP, ".tensorflow.TensorSliceProto")])
    g = msg(fd.message_type, "TrackableObjectGraph", [
        ("nodes", 1, F.TYPE_MESSAGE, REP, ".tensorflow.TrackableObjectGraph.TrackableObject")])
    obj = msg(g.nested_type, "TrackableObject", [
        ("children", 1, F.TYPE_MESSAGE, REP,
         ".tensorflow.TrackableObjectGraph.TrackableObject.ObjectReference"),
        ("attributes", 2, F.TYPE_MESSAGE, REP,
         ".tensorflow.TrackableObjectGraph.TrackableObject.SerializedTensor"),
        ("slot_variables", 3, F.TYPE_MESSAGE, REP,
         ".tensorflow.TrackableObjectGraph.TrackableObject.SlotVariableReference"),
        ("registered_saver", 4, F.TYPE_MESSAGE, OPT, ".tensorflow.RegisteredSaver"),
        ("has_checkpoint_values", 5, F.TYPE_MESSAGE, OPT, ".google.protobuf.BoolValue")])
    msg(obj.nested_type, "ObjectReference", [
        ("node_id", 1, F.TYPE_INT32, OPT, None),
        ("local_name", 2, F.TYPE_STRING, OPT, None)])
    msg(obj.nested_type, "SerializedTensor", [
        ("name", 1, F.TYPE_STRING, OPT, None),
        ("full_name", 2, F.TYPE_STRING, OPT, None),
        ("checkpoint_key", 3, F.TYPE_STRING, OPT, None)])
    msg(obj.nested_type, "SlotVariableReference", [
        ("original_variable_node_id", 1, F.TYPE_INT32, OPT, None),
        ("slot_name", 2, F.TYPE_STRING, OPT, None),
        ("slot_variable_node_id", 3, F.TYPE_INT32, OPT, None)])
    msg(fd.message_type, "RegisteredSaver", [
        ("name", 1, F.TYPE_STRING, OPT, None),
        ("object_name", 2, F.TYPE_STRING, OPT, None)])
    msg(fd.message_type, "CheckpointState", [
        ("model_checkpoint_path", 1, F.TYPE_STRING, OPT, None),
        ("all_model_checkpoint_paths", 2, F.TYPE_STRING, REP, None),
        ("all_model_checkpoint_timestamps", 4, F.TYPE_DOUBLE, REP, None),
        ("last_preserved_timestamp", 5, F.TYPE_DOUBLE, OPT, None)])
    pool.Add(fd)

    def cls(name):
        return message_factory.GetMessageClass(pool.FindMessageTypeByName("tensorflow." + name))

    return {n: cls(n) for n in ("VersionDef", "TensorShapeProto", "BundleHeaderProto",
                                "BundleEntryProto", "TrackableObjectGraph", "TensorSliceProto",
                                "CheckpointState")}


_P = _build_protos()
BundleHeaderProto = _P["BundleHeaderProto"]
BundleEntryProto = _P["BundleEntryProto"]
TrackableObjectGraph = _P["TrackableObjectGraph"]
CheckpointState = _P["CheckpointState"]


# ---------------------------------------------------------------------------
# dtypes (TF DataType enum numbers)
# ---------------------------------------------------------------------------

_ENUM_TO_NP = {
    1: np.dtype(np.float32), 2: np.dtype(np.float64), 3: np.dtype(np.int32), 4: np.dtype(np.uint8),
    5: np.dtype(np.int16), 6: np.dtype(np.int8), 8: np.dtype(np.complex64), 9: np.dtype(np.int64),
    10: np.dtype(np.bool_), 14: np.dtype(ml_dtypes.bfloat16), 17: np.dtype(np.uint16),
    18: np.dtype(np.complex128), 19: np.dtype(np.float16), 22: np.dtype(np.uint32),
    23: np.dtype(np.uint64),
}
_NP_TO_ENUM = {v: k for k, v in _ENUM_TO_NP.items()}
DT_STRING = 7


def dtype_enum_of(arr: np.ndarray) -> int:
    if arr.dtype.kind in "OSU":
        return DT_STRING
    try:
        return _NP_TO_ENUM[arr.dtype]
    except KeyError:
        raise ValueError(f"Cannot save a tensor of dtype {arr.dtype} in a checkpoint.") from None


def np_dtype_of(enum: int):
    if enum == DT_STRING:
        return np.dtype(object)
    try:
        return _ENUM_TO_NP[enum]
    except KeyError:
        raise errors.UnimplementedError(f"Checkpoint tensor dtype enum {enum} is not supported by tfjax.") from None


# ---------------------------------------------------------------------------
# low-level encoding
# ---------------------------------------------------------------------------

def mask_crc(crc: int) -> int:
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + _MASK_DELTA) & 0xFFFFFFFF


def unmask_crc(masked: int) -> int:
    rot = (masked - _MASK_DELTA) & 0xFFFFFFFF
    return ((rot >> 17) | (rot << 15)) & 0xFFFFFFFF


def crc32c(data: bytes, crc: int = 0) -> int:
    return google_crc32c.extend(crc, bytes(data))


def _varint(n: int) -> bytes:
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def _read_varint(buf, pos: int, limit: int):
    result = shift = 0
    while True:
        if pos >= limit or shift > 63:
            raise ValueError("bad varint")
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, pos
        shift += 7


def _encode_strings(arr: np.ndarray):
    elems = [e if isinstance(e, bytes) else str(e).encode("utf-8") for e in arr.reshape(-1)]
    lengths = b"".join(_varint(len(e)) for e in elems)
    crc = 0
    for e in elems:
        n = len(e)
        crc = crc32c(struct.pack("<I", n) if n <= 0xFFFFFFFF else struct.pack("<Q", n), crc)
    length_ck = struct.pack("<I", mask_crc(crc))
    crc = crc32c(length_ck, crc)
    body = b"".join(elems)
    crc = crc32c(body, crc)
    return lengths + length_ck + body, crc


def _decode_strings(buf: bytes, count: int, what: str):
    pos = 0
    lens = []
    crc = 0
    for _ in range(count):
        n, pos = _read_varint(buf, pos, len(buf))
        lens.append(n)
        crc = crc32c(struct.pack("<I", n) if n <= 0xFFFFFFFF else struct.pack("<Q", n), crc)
    if pos + 4 > len(buf):
        raise errors.DataLossError(f"Truncated string tensor {what}")
    (stored,) = struct.unpack_from("<I", buf, pos)
    if unmask_crc(stored) != crc:
        raise errors.DataLossError(f"Checksum does not match for the lengths of string tensor {what}")
    pos += 4
    out = []
    for n in lens:
        out.append(bytes(buf[pos:pos + n]))
        pos += n
    if pos != len(buf):
        raise errors.DataLossError(f"Corrupted string tensor {what}")
    return out


def tensor_bytes(arr: np.ndarray):
    """(bytes, crc32c-unmasked) of ``arr`` in the bundle's data layout."""
    if arr.dtype.kind in "OSU":
        return _encode_strings(arr)
    data = np.ascontiguousarray(arr).astype(arr.dtype.newbyteorder("<"), copy=False).tobytes()
    return data, crc32c(data)


# -- SSTable -----------------------------------------------------------------

def _block(entries, restart_interval):
    buf = bytearray()
    restarts = []
    prev = b""
    for i, (key, value) in enumerate(entries):
        if i % restart_interval == 0:
            restarts.append(len(buf))
            shared = 0
        else:
            shared = 0
            lim = min(len(prev), len(key))
            while shared < lim and prev[shared] == key[shared]:
                shared += 1
        buf += _varint(shared) + _varint(len(key) - shared) + _varint(len(value))
        buf += key[shared:] + value
        prev = key
    if not restarts:
        restarts.append(0)
    for r in restarts:
        buf += struct.pack("<I", r)
    buf += struct.pack("<I", len(restarts))
    return bytes(buf)


def _handle(offset, size):
    return _varint(offset) + _varint(size)


def build_table(items) -> bytes:
    """A LevelDB-format table of sorted ``(key: bytes, value: bytes)`` pairs."""
    out = bytearray()

    def emit(block):
        off = len(out)
        out.extend(block)
        trailer_type = b"\x00"  # kNoCompression
        out.extend(trailer_type)
        out.extend(struct.pack("<I", mask_crc(crc32c(block + trailer_type))))
        return off, len(block)

    index_entries = []
    cur, cur_size = [], 0
    for key, value in items:
        cur.append((key, value))
        cur_size += len(key) + len(value) + 8
        if cur_size >= _BLOCK_SIZE:
            off, size = emit(_block(cur, _RESTART_INTERVAL))
            index_entries.append((cur[-1][0], _handle(off, size)))
            cur, cur_size = [], 0
    if cur:
        off, size = emit(_block(cur, _RESTART_INTERVAL))
        index_entries.append((cur[-1][0], _handle(off, size)))
    meta_off, meta_size = emit(_block([], 1))
    idx_off, idx_size = emit(_block(index_entries, 1))
    footer = _handle(meta_off, meta_size) + _handle(idx_off, idx_size)
    footer += b"\x00" * (40 - len(footer))
    footer += struct.pack("<II", _TABLE_MAGIC & 0xFFFFFFFF, _TABLE_MAGIC >> 32)
    out.extend(footer)
    return bytes(out)


def _parse_block(data, what):
    if len(data) < 4:
        raise ValueError("block too short")
    (num_restarts,) = struct.unpack_from("<I", data, len(data) - 4)
    limit = len(data) - 4 - 4 * num_restarts
    if limit < 0:
        raise ValueError("bad restart array")
    pos = 0
    key = b""
    out = []
    while pos < limit:
        shared, pos = _read_varint(data, pos, limit)
        non_shared, pos = _read_varint(data, pos, limit)
        vlen, pos = _read_varint(data, pos, limit)
        if shared > len(key) or pos + non_shared + vlen > limit:
            raise ValueError("bad block entry")
        key = key[:shared] + bytes(data[pos:pos + non_shared])
        pos += non_shared
        out.append((key, bytes(data[pos:pos + vlen])))
        pos += vlen
    return out


def read_table(data: bytes, filename: str):
    """All ``(key, value)`` pairs of a table; ``DataLossError`` naming ``filename`` on any corruption."""
    def bad(problem):
        return errors.DataLossError(
            f"Unable to read checkpoint index file {filename}: {problem}. The file is truncated or "
            "corrupted (or is not a TensorFlow checkpoint index).")

    if len(data) < _FOOTER_LEN:
        raise bad(f"file is {len(data)} bytes, shorter than a table footer")
    lo, hi = struct.unpack_from("<II", data, len(data) - 8)
    if (hi << 32 | lo) != _TABLE_MAGIC:
        raise bad("bad table magic number")

    def read_block(handle_bytes, pos=0):
        off, pos = _read_varint(handle_bytes, pos, len(handle_bytes))
        size, pos = _read_varint(handle_bytes, pos, len(handle_bytes))
        if off + size + 5 > len(data):
            raise bad("block handle past end of file")
        block = data[off:off + size]
        ctype = data[off + size:off + size + 1]
        (stored,) = struct.unpack_from("<I", data, off + size + 1)
        if unmask_crc(stored) != crc32c(block + ctype):
            raise bad("block checksum mismatch")
        if ctype != b"\x00":
            raise bad(f"unsupported block compression type {ctype[0]}")
        return block, pos

    footer = data[len(data) - _FOOTER_LEN:]
    try:
        _, pos = read_block(footer)  # metaindex (ignored, validated)
        index_block, _ = read_block(footer, pos)
        items = []
        for _, handle in _parse_block(index_block, filename):
            block, _ = read_block(handle)
            items.extend(_parse_block(block, filename))
    except errors.DataLossError:
        raise
    except (ValueError, struct.error, IndexError) as e:
        raise bad(str(e)) from None
    return items


# ---------------------------------------------------------------------------
# bundle write / read
# ---------------------------------------------------------------------------

def write_bundle(prefix: str, tensors: dict) -> None:
    """Writes ``{key: np.ndarray}`` as ``prefix.index`` + ``prefix.data-00000-of-00001``, crash-safely.

    Order: any existing index is removed first, then the data file is written
    atomically, then the index atomically. So whenever an index exists, the data
    file next to it is the complete one it describes.
    """
    prefix = os.fspath(prefix)
    index_path, data_path = prefix + INDEX_SUFFIX, prefix + DATA_SUFFIX
    entries = []
    offset = 0
    with atomic_io.atomic_write(data_path) as f:
        for key in sorted(tensors, key=lambda k: k.encode("utf-8")):
            arr = tensors[key]
            data, crc = tensor_bytes(arr)
            e = BundleEntryProto()
            e.dtype = dtype_enum_of(arr)
            for d in arr.shape:
                e.shape.dim.add().size = int(d)
            e.shard_id = 0
            e.offset = offset
            e.size = len(data)
            e.crc32c = mask_crc(crc)
            f.write(data)
            offset += len(data)
            entries.append((key.encode("utf-8"), e.SerializeToString()))
        atomic_io.remove_if_exists(index_path)
    header = BundleHeaderProto()
    header.num_shards = 1
    header.endianness = 0
    header.version.producer = 1
    items = [(b"", header.SerializeToString())] + entries
    atomic_io.write_bytes(index_path, build_table(items))


class BundleReader:
    """Reads a tensor bundle written by tfjax or by TensorFlow (single- or multi-shard)."""

    def __init__(self, prefix: str):
        prefix = os.fspath(prefix)
        self.prefix = prefix
        index_path = prefix + INDEX_SUFFIX
        if not os.path.exists(index_path):
            raise errors.NotFoundError(
                f"Unsuccessful TensorSliceReader constructor: Failed to find any matching files for {prefix}")
        with open(index_path, "rb") as f:
            raw = f.read()
        items = read_table(raw, index_path)
        if not items or items[0][0] != b"":
            raise errors.DataLossError(f"Checkpoint index file {index_path} has no bundle header entry.")
        header = BundleHeaderProto()
        try:
            header.ParseFromString(items[0][1])
        except Exception:
            raise errors.DataLossError(f"Checkpoint index file {index_path}: corrupted bundle header.") from None
        if header.endianness != 0:
            raise errors.UnimplementedError(f"Big-endian checkpoint {prefix} is not supported by tfjax.")
        self.num_shards = max(1, header.num_shards)
        self.entries = {}
        for key, value in items[1:]:
            e = BundleEntryProto()
            try:
                e.ParseFromString(value)
            except Exception:
                raise errors.DataLossError(
                    f"Checkpoint index file {index_path}: corrupted entry for key {key!r}.") from None
            self.entries[key.decode("utf-8")] = e
        self._shards = {}

    def _shard_path(self, shard_id):
        return f"{self.prefix}.data-{shard_id:05d}-of-{self.num_shards:05d}"

    def _shard(self, shard_id):
        data = self._shards.get(shard_id)
        if data is None:
            path = self._shard_path(shard_id)
            try:
                with open(path, "rb") as f:
                    data = f.read()
            except FileNotFoundError:
                raise errors.DataLossError(
                    f"Checkpoint data file {path} is missing (the checkpoint was not completely written).") from None
            self._shards[shard_id] = data
        return data

    def keys(self):
        return list(self.entries)

    def has_tensor(self, key):
        return key in self.entries

    def shape(self, key):
        return [int(d.size) for d in self.entries[key].shape.dim]

    def np_dtype(self, key):
        return np_dtype_of(self.entries[key].dtype)

    def get(self, key) -> np.ndarray:
        e = self.entries.get(key)
        if e is None:
            raise errors.NotFoundError(f"Key {key} not found in checkpoint")
        if len(e.slices):
            raise errors.UnimplementedError(
                f"Checkpoint {self.prefix}: tensor {key} is saved as partitioned slices, which tfjax does not read.")
        data = self._shard(e.shard_id)
        path = self._shard_path(e.shard_id)
        if e.offset + e.size > len(data):
            raise errors.DataLossError(
                f"Checkpoint data file {path} is truncated: tensor {key} needs bytes "
                f"[{e.offset}, {e.offset + e.size}) but the file has {len(data)}.")
        buf = data[e.offset:e.offset + e.size]
        shape = tuple(int(d.size) for d in e.shape.dim)
        count = int(np.prod(shape, dtype=np.int64)) if shape else 1
        if e.dtype == DT_STRING:
            elems = _decode_strings(buf, count, f"{key} in {path}")
            if unmask_crc(e.crc32c) != _encode_strings(np.array(elems, dtype=object))[1]:
                raise errors.DataLossError(f"Checksum does not match: tensor {key} in {path} is corrupted.")
            arr = np.empty(count, dtype=object)
            arr[:] = elems
            return arr.reshape(shape)
        if unmask_crc(e.crc32c) != crc32c(buf):
            raise errors.DataLossError(f"Checksum does not match: tensor {key} in {path} is corrupted.")
        dt = np_dtype_of(e.dtype)
        if len(buf) != count * dt.itemsize:
            raise errors.DataLossError(f"Tensor {key} in {path} has {len(buf)} bytes, expected {count * dt.itemsize}.")
        return np.frombuffer(buf, dtype=dt.newbyteorder("<")).astype(dt).reshape(shape)
