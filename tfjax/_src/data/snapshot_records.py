"""Record files of tf.data snapshots: TFRecord framing, uncompressed or GZIP/ZLIB (through
tfjax.io) or SNAPPY (TF's block stream, through the optional ``cramjam`` package)."""

from __future__ import annotations

import struct

from tfjax._src import errors
from tfjax._src.io import tfrecord

_SNAPPY_CHUNK = 64 * 1024  # uncompressed bytes per block: well under TF's input buffer


def compression_name(c) -> str:
    if hasattr(c, "numpy"):
        c = c.numpy()
    if isinstance(c, bytes):
        c = c.decode()
    if c in (None, "", "NONE"):
        return ""
    if c in ("GZIP", "ZLIB", "SNAPPY"):
        return c
    raise errors.InvalidArgumentError(
        f"Unsupported compression {c!r} for a tf.data snapshot: use None, 'GZIP', 'ZLIB' or 'SNAPPY'.")


def _cramjam():
    try:
        import cramjam  # noqa: PLC0415
    except ImportError:
        raise errors.UnimplementedError(
            "tf.data snapshots with compression='SNAPPY' need the optional 'cramjam' package "
            "(pip install cramjam); use compression=None or 'GZIP' otherwise.") from None
    return cramjam


class _SnappyWriter:
    """TF's snappy record stream: blocks of big-endian uint32 length + raw snappy bytes."""

    def __init__(self, path):
        self._snappy = _cramjam().snappy
        self._f = open(path, "wb")
        self._buf = bytearray()

    def write(self, record: bytes):
        self._buf += tfrecord.encode_record(record)
        while len(self._buf) >= _SNAPPY_CHUNK:
            self._flush_block(bytes(self._buf[:_SNAPPY_CHUNK]))
            del self._buf[:_SNAPPY_CHUNK]

    def _flush_block(self, data):
        comp = bytes(self._snappy.compress_raw(data))
        self._f.write(struct.pack(">I", len(comp)) + comp)

    def close(self):
        if self._f is None:
            return
        if self._buf:
            self._flush_block(bytes(self._buf))
            self._buf.clear()
        self._f.close()
        self._f = None


class _PlainWriter:
    def __init__(self, path):
        self._f = open(path, "wb")

    def write(self, record: bytes):
        self._f.write(tfrecord.encode_record(record))

    def close(self):
        if self._f is not None:
            self._f.close()
            self._f = None


def open_writer(path, compression):
    if compression == "SNAPPY":
        return _SnappyWriter(path)
    if compression == "":
        return _PlainWriter(path)
    return tfrecord.TFRecordWriter(path, tfrecord.TFRecordOptions(compression))


def _snappy_records(path):
    snappy = _cramjam().snappy
    with open(path, "rb") as f:
        raw = f.read()
    out = bytearray()
    pos = 0
    try:
        while pos < len(raw):
            (n,) = struct.unpack_from(">I", raw, pos)
            out += bytes(snappy.decompress_raw(raw[pos + 4:pos + 4 + n]))
            pos += 4 + n
    except Exception as e:  # noqa: BLE001 - cramjam's DecompressionError and struct.error
        raise errors.DataLossError(f"{path}: corrupted SNAPPY block ({e})") from None
    pos = 0
    hdr = struct.Struct("<QI")
    while pos < len(out):
        if pos + 12 > len(out):
            raise errors.DataLossError(f"{path}: truncated record at {pos}")
        (length, _) = hdr.unpack_from(out, pos)
        start = pos + 12
        if start + length + 4 > len(out):
            raise errors.DataLossError(f"{path}: truncated record at {pos}")
        data = bytes(out[start:start + length])
        (crc,) = struct.unpack_from("<I", out, start + length)
        if crc != tfrecord.masked_crc32c(data):
            raise errors.DataLossError(f"{path}: corrupted record at {pos}")
        yield data
        pos = start + length + 4


def read_records(path, compression):
    if compression == "SNAPPY":
        return _snappy_records(path)
    return tfrecord.read_records(path, compression)
