"""TFRecord files: framing, masked CRC32C, GZIP/ZLIB, writer and reader.

Each record is ``uint64 length | uint32 masked_crc(length) | data | uint32 masked_crc(data)``
(little endian); the mask is ``((crc >> 15) | (crc << 17)) + 0xa282ead8`` (mod 2**32).
"""

from __future__ import annotations

import gzip
import os
import struct
import zlib

import google_crc32c

from tfjax._src import errors
from tfjax._src.io.gfile import as_path

_MASK_DELTA = 0xA282EAD8
_U64 = struct.Struct("<Q")
_U32 = struct.Struct("<I")


def masked_crc32c(data) -> int:
    crc = google_crc32c.value(bytes(data))
    return (((crc >> 15) | (crc << 17)) + _MASK_DELTA) & 0xFFFFFFFF


def encode_record(data: bytes) -> bytes:
    header = _U64.pack(len(data))
    return b"".join([header, _U32.pack(masked_crc32c(header)), data, _U32.pack(masked_crc32c(data))])


class TFRecordCompressionType:
    NONE = 0
    ZLIB = 1
    GZIP = 2


_NAMES = {None: "", "": "", "NONE": "", "ZLIB": "ZLIB", "GZIP": "GZIP",
          TFRecordCompressionType.NONE: "", TFRecordCompressionType.ZLIB: "ZLIB",
          TFRecordCompressionType.GZIP: "GZIP"}


def compression_name(c) -> str:
    if isinstance(c, TFRecordOptions):
        return c.compression_type
    if hasattr(c, "numpy"):
        c = c.numpy()
    if isinstance(c, bytes):
        c = c.decode()
    try:
        return _NAMES[c]
    except (KeyError, TypeError):
        raise ValueError(f"Unsupported compression type: {c!r}. Use '', 'ZLIB' or 'GZIP'.") from None


class TFRecordOptions:
    """``tf.io.TFRecordOptions``."""

    compression_type_map = {TFRecordCompressionType.ZLIB: "ZLIB", TFRecordCompressionType.GZIP: "GZIP",
                            TFRecordCompressionType.NONE: ""}

    def __init__(self, compression_type=None, flush_mode=None, input_buffer_size=None,
                 output_buffer_size=None, window_bits=None, compression_level=None,
                 compression_method=None, mem_level=None, compression_strategy=None):
        self.compression_type = compression_name(compression_type)
        self.flush_mode = flush_mode
        self.input_buffer_size = input_buffer_size
        self.output_buffer_size = output_buffer_size
        self.window_bits = window_bits
        self.compression_level = compression_level
        self.compression_method = compression_method
        self.mem_level = mem_level
        self.compression_strategy = compression_strategy

    @classmethod
    def get_compression_type_string(cls, options):
        if not options:
            return ""
        return compression_name(options)


class _ZlibWriter:
    def __init__(self, f, level, wbits):
        self._f = f
        self._c = zlib.compressobj(level, zlib.DEFLATED, wbits)

    def write(self, data):
        self._f.write(self._c.compress(data))

    def flush(self):
        self._f.write(self._c.flush(zlib.Z_SYNC_FLUSH))
        self._f.flush()

    def close(self):
        self._f.write(self._c.flush(zlib.Z_FINISH))
        self._f.close()


class TFRecordWriter:
    """``tf.io.TFRecordWriter(path, options=None)``: writes records in place (as TF does)."""

    def __init__(self, path, options=None):
        self._path = as_path(path)
        comp = compression_name(options)
        level = 6
        if isinstance(options, TFRecordOptions) and options.compression_level is not None:
            level = options.compression_level
        d = os.path.dirname(os.path.abspath(self._path))
        if not os.path.isdir(d):
            raise errors.NotFoundError(f"{self._path}; No such file or directory")
        raw = open(self._path, "wb")
        if comp == "GZIP":
            self._f = _ZlibWriter(raw, level if level >= 0 else 6, 16 + zlib.MAX_WBITS)
        elif comp == "ZLIB":
            self._f = _ZlibWriter(raw, level if level >= 0 else 6, zlib.MAX_WBITS)
        else:
            self._f = raw
        self._closed = False

    def write(self, record):
        if self._closed:
            raise errors.FailedPreconditionError("TFRecordWriter is closed.")
        if hasattr(record, "numpy"):
            record = record.numpy()
        if isinstance(record, str):
            record = record.encode("utf-8")
        self._f.write(encode_record(bytes(record)))

    def flush(self):
        if self._closed:
            raise errors.FailedPreconditionError("TFRecordWriter is closed.")
        self._f.flush()

    def close(self):
        if not self._closed:
            self._closed = True
            self._f.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __del__(self):
        try:
            self.close()
        except Exception:  # noqa: BLE001
            pass


def _open_stream(path, compression, buffer_size=None):
    try:
        raw = open(path, "rb", buffering=buffer_size or 256 * 1024)
    except FileNotFoundError:
        raise errors.NotFoundError(f"{path}; No such file or directory") from None
    except IsADirectoryError:
        raise errors.FailedPreconditionError(f"{path}; Is a directory") from None
    if compression == "GZIP":
        return gzip.GzipFile(fileobj=raw, mode="rb")
    if compression == "ZLIB":
        return _ZlibReader(raw)
    return raw


class _ZlibReader:
    def __init__(self, f):
        self._f = f
        self._d = zlib.decompressobj()
        self._buf = bytearray()
        self._eof = False

    def read(self, n):
        while len(self._buf) < n and not self._eof:
            chunk = self._f.read(256 * 1024)
            if not chunk:
                self._buf += self._d.flush()
                self._eof = True
                break
            try:
                self._buf += self._d.decompress(chunk)
            except zlib.error as e:
                raise errors.DataLossError(f"corrupted ZLIB stream: {e}") from None
        out = bytes(self._buf[:n])
        del self._buf[:n]
        return out

    def close(self):
        self._f.close()


def read_records(path, compression="", buffer_size=None, check_crc=True):
    """Yields the records of one TFRecord file; corrupt data raises ``DataLossError``."""
    path = as_path(path)
    f = _open_stream(path, compression_name(compression), buffer_size)
    offset = 0
    try:
        read = f.read
        while True:
            try:
                header = read(12)
            except (OSError, EOFError, zlib.error) as e:
                raise errors.DataLossError(f"corrupted record at {offset}: {e}") from None
            if not header:
                return
            if len(header) < 12:
                raise errors.DataLossError(
                    f"truncated record at {offset}' failed with Read less bytes than requested")
            length = _U64.unpack_from(header)[0]
            if check_crc and _U32.unpack_from(header, 8)[0] != masked_crc32c(header[:8]):
                raise errors.DataLossError(f"corrupted record at {offset}")
            try:
                body = read(length + 4)
            except (OSError, EOFError, zlib.error) as e:
                raise errors.DataLossError(f"corrupted record at {offset}: {e}") from None
            if len(body) < length + 4:
                raise errors.DataLossError(
                    f"truncated record at {offset}' failed with Read less bytes than requested")
            data = body[:length]
            if check_crc and _U32.unpack_from(body, length)[0] != masked_crc32c(data):
                raise errors.DataLossError(f"corrupted record at {offset}")
            offset += 12 + length + 4
            yield data
    finally:
        f.close()


def tf_record_iterator(path, options=None):
    """``tf.compat.v1.io.tf_record_iterator``."""
    return read_records(path, compression_name(options))
