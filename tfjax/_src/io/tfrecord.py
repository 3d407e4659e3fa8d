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
import numpy as np

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


_CHUNK = 1 << 22  # bytes read per call; records are framed and CRC-checked a chunk at a time


def _crc32c_table():
    poly = 0x82F63B78  # Castagnoli, reflected
    t = np.arange(256, dtype=np.uint32)
    for _ in range(8):
        t = np.where(t & 1, (t >> 1) ^ np.uint32(poly), t >> 1).astype(np.uint32)
    return t


_CRC_TABLE = _crc32c_table()


def _masked_crc_u64_headers(heads):
    """Masked CRC32C of each row of ``heads`` ((R, 8) uint8): every record's length field at once."""
    crc = np.full(len(heads), 0xFFFFFFFF, np.uint32)
    for j in range(8):
        crc = _CRC_TABLE[(crc ^ heads[:, j]) & 0xFF] ^ (crc >> 8)
    crc ^= np.uint32(0xFFFFFFFF)
    return ((crc >> 15) | (crc << 17)) + np.uint32(_MASK_DELTA)


def _split(buf, limit, offset, check_crc):
    """Complete records in ``buf[:limit]`` (``buf[0]`` is at file offset ``offset``).

    Returns (records, bytes consumed, error or None). On corruption the records before the
    corrupt one are returned with the DataLossError, so the caller yields them first (as TF).
    """
    starts, lens = [], []
    pos = 0
    unpack = _U64.unpack_from
    # walk the framing trusting each length; the header CRCs are checked below, all at once,
    # and everything from the first bad header on is discarded
    while pos + 12 <= limit:
        length = unpack(buf, pos)[0]
        starts.append(pos)
        lens.append(length)
        if length > limit:
            break
        pos += 16 + length
    if not starts:
        return [], 0, None
    st = np.asarray(starts, np.int64)
    nrec = len(starts)
    err = None
    arr = np.frombuffer(buf, np.uint8, limit)
    if check_crc:
        heads = arr[st[:, None] + np.arange(12)]
        stored = heads[:, 8:12].copy().view("<u4").reshape(-1)
        bad = np.flatnonzero(_masked_crc_u64_headers(heads[:, :8]) != stored)
        if len(bad):
            nrec = int(bad[0])
            err = errors.DataLossError(f"corrupted record at {offset + starts[nrec]}")
    # only complete records; an incomplete one at the end waits for more data
    if nrec and starts[nrec - 1] + 16 + lens[nrec - 1] > limit:
        nrec -= 1
        err = None
    with memoryview(buf) as mv:
        recs = [bytes(mv[a + 12:a + 12 + n]) for a, n in zip(starts[:nrec], lens[:nrec])]
    if check_crc and nrec:
        value = google_crc32c.value
        crc = np.array([value(r) for r in recs], np.uint32)
        masked = ((crc >> 15) | (crc << 17)) + np.uint32(_MASK_DELTA)
        foot = st[:nrec] + 12 + np.asarray(lens[:nrec], np.int64)
        stored = arr[foot[:, None] + np.arange(4)].copy().view("<u4").reshape(-1)
        bad = np.flatnonzero(masked != stored)
        if len(bad):
            k = int(bad[0])
            return recs[:k], starts[k], errors.DataLossError(f"corrupted record at {offset + starts[k]}")
    if err is not None:
        return recs, starts[nrec], err
    return recs, (starts[nrec - 1] + 16 + lens[nrec - 1]) if nrec else 0, None


def read_record_chunks(path, compression="", buffer_size=None, check_crc=True):
    """Yields the records of one TFRecord file as lists of bytes (one list per chunk read).

    Corrupt data raises ``DataLossError`` after the records before it have been yielded.
    """
    path = as_path(path)
    f = _open_stream(path, compression_name(compression), buffer_size)
    offset = 0  # file offset of buf[0]
    buf = bytearray(_CHUNK)  # reused: reading into it avoids a fresh allocation per chunk
    filled = 0
    try:
        while True:
            if filled == len(buf):  # one record larger than the buffer (its header CRC is fine)
                grow = len(buf)
                if filled >= 12:
                    # at most doubling, not `need` at once: without CRC checks a corrupt length
                    # can be huge
                    grow = min(16 + _U64.unpack_from(buf)[0] - filled, grow)
                buf.extend(bytes(max(grow, 16)))
            try:
                with memoryview(buf) as mv:
                    got = _read_into(f, mv[filled:])
            except (OSError, EOFError, zlib.error) as e:
                raise errors.DataLossError(f"corrupted record at {offset}: {e}") from None
            filled += got
            recs, used, err = _split(buf, filled, offset, check_crc)
            if recs:
                yield recs
            if err is not None:
                raise err
            buf[:filled - used] = buf[used:filled]
            filled -= used
            offset += used
            if not got:
                if filled:
                    raise errors.DataLossError(
                        f"truncated record at {offset}' failed with Read less bytes than requested")
                return
    finally:
        f.close()


def _read_into(f, mv):
    """Fills ``mv`` as far as the stream allows (short only at end of stream)."""
    total = 0
    n = len(mv)
    readinto = getattr(f, "readinto", None)
    while total < n:
        if readinto is not None:
            got = readinto(mv[total:])
        else:
            data = f.read(n - total)
            got = len(data)
            mv[total:total + got] = data
        if not got:
            break
        total += got
    return total


def read_records(path, compression="", buffer_size=None, check_crc=True):
    """Yields the records of one TFRecord file; corrupt data raises ``DataLossError``."""
    for recs in read_record_chunks(path, compression, buffer_size, check_crc):
        yield from recs


def tf_record_iterator(path, options=None):
    """``tf.compat.v1.io.tf_record_iterator``."""
    return read_records(path, compression_name(options))
