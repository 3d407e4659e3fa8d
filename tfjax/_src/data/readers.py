"""File-reading datasets: TFRecordDataset, TextLineDataset, FixedLengthRecordDataset."""

from __future__ import annotations

import os

import numpy as np

from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src.data import structure
from tfjax._src.data.dataset import AUTOTUNE, UNKNOWN, DatasetV2, _scalar_int
from tfjax._src.data.windowing import interleave_iter
from tfjax._src.io import tfrecord
from tfjax._src.tensor_shape import TensorShape
from tfjax._src.tensor_spec import TensorSpec


def _filenames(filenames):
    """Normalises ``filenames`` to a Dataset of scalar strings or a list of str."""
    if isinstance(filenames, DatasetV2):
        spec = filenames.element_spec
        if not (isinstance(spec, TensorSpec) and spec.dtype == dtypes.string and spec.shape == TensorShape([])):
            raise TypeError("The `filenames` argument must contain `tf.string` elements. Got a dataset of "
                            f"`{spec}` elements.")
        return filenames
    if isinstance(filenames, (str, bytes, os.PathLike)):
        filenames = [filenames]
    if isinstance(filenames, (list, tuple)):
        filenames = [os.fspath(f) if isinstance(f, os.PathLike) else f for f in filenames]
    leaf = structure.to_leaf(filenames)
    if structure.leaf_dtype(leaf) != dtypes.string:
        raise TypeError(f"The `filenames` argument must contain `tf.string` elements. Got "
                        f"`{structure.leaf_dtype(leaf).name}` elements.")
    arr = structure.host(leaf)
    if arr.ndim > 1:
        raise TypeError(f"The `filenames` argument must contain `tf.string` elements of shape [] "
                        f"(i.e. scalars). Got shape {list(arr.shape)}.")
    return [f.decode() if isinstance(f, bytes) else f for f in arr.reshape(-1).tolist()]


def _string_vector(records):
    arr = np.empty(len(records), dtype=object)
    arr[:] = records
    return arr


class _FileDataset(DatasetV2):
    """Reads each file with ``self._read(path)`` (a generator of bytes), sequentially or
    interleaved over ``num_parallel_reads`` files (TF's deterministic order)."""

    def __init__(self, filenames, num_parallel_reads):
        self._files = _filenames(filenames)
        super().__init__([self._files] if isinstance(self._files, DatasetV2) else [])
        if num_parallel_reads is not None:
            n = _scalar_int(num_parallel_reads, "num_parallel_reads")
            if n == AUTOTUNE:
                n = os.cpu_count() or 1
            if n <= 0:
                raise errors.InvalidArgumentError("num_parallel_reads must be greater than zero.")
            self._parallel = n
        else:
            self._parallel = None

    def _compute_spec(self):
        return TensorSpec([], dtypes.string)

    def _card(self):
        return UNKNOWN

    def _file_iter(self):
        if isinstance(self._files, DatasetV2):
            for f in self._files._elements():
                v = structure.host(f)
                yield v[()].decode() if v.ndim == 0 else v
        else:
            yield from self._files

    def _records(self, path):
        for rec in self._read(path):
            yield np.array(rec, dtype=object)

    def _read_chunks(self, path):
        """Records of one file in lists (subclasses that read in chunks override this)."""
        chunk = []
        for rec in self._read(path):
            chunk.append(rec)
            if len(chunk) == 1024:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def _iter_batches(self, batch_size, drop_remainder):
        """Batches as 1-D string arrays straight from the file chunks, for ``BatchDataset``:
        no per-record 0-d arrays and no stacking. None when files are interleaved."""
        if self._parallel is not None:
            return None
        return self._batches(batch_size, drop_remainder)

    def _batches(self, b, drop):
        buf = []
        for path in self._file_iter():
            for recs in self._read_chunks(path):
                buf.extend(recs)
                if len(buf) >= b:
                    start = 0
                    while len(buf) - start >= b:
                        yield _string_vector(buf[start:start + b])
                        start += b
                    del buf[:start]
        if buf and not drop:
            yield _string_vector(buf)

    def _iter(self):
        if self._parallel is None:
            for path in self._file_iter():
                yield from self._records(path)
        else:
            yield from interleave_iter(self._file_iter(), self._records, self._parallel, 1)


class TFRecordDatasetV2(_FileDataset):
    """``tf.data.TFRecordDataset(filenames, compression_type=None, buffer_size=None,
    num_parallel_reads=None)``."""

    _tf_name = "TFRecordDatasetV2"

    def __init__(self, filenames, compression_type=None, buffer_size=None, num_parallel_reads=None,
                 name=None):
        super().__init__(filenames, num_parallel_reads)
        self._comp = tfrecord.compression_name(compression_type)
        self._buffer = None if buffer_size is None else _scalar_int(buffer_size, "buffer_size")
        if self._buffer is not None and self._buffer < 0:
            self._buffer = None

    def _read(self, path):
        return tfrecord.read_records(path, self._comp, self._buffer or None)

    def _read_chunks(self, path):
        return tfrecord.read_record_chunks(path, self._comp, self._buffer or None)

    def _records(self, path):
        for recs in self._read_chunks(path):
            for rec in recs:
                yield np.array(rec, dtype=object)


class TextLineDatasetV2(_FileDataset):
    """``tf.data.TextLineDataset``: one string element per line (``\\n`` / ``\\r\\n`` removed)."""

    _tf_name = "TextLineDatasetV2"

    def __init__(self, filenames, compression_type=None, buffer_size=None, num_parallel_reads=None,
                 name=None):
        super().__init__(filenames, num_parallel_reads)
        self._comp = tfrecord.compression_name(compression_type)

    def _read(self, path):
        f = tfrecord._open_stream(path, self._comp)
        try:
            rest = b""
            while True:
                chunk = f.read(1 << 20)
                if not chunk:
                    break
                lines = (rest + chunk).split(b"\n")
                rest = lines.pop()
                for line in lines:
                    yield line[:-1] if line.endswith(b"\r") else line
            if rest:
                yield rest[:-1] if rest.endswith(b"\r") else rest
        finally:
            f.close()


class FixedLengthRecordDatasetV2(_FileDataset):
    """``tf.data.FixedLengthRecordDataset(filenames, record_bytes, header_bytes, footer_bytes, ...)``."""

    _tf_name = "FixedLengthRecordDatasetV2"

    def __init__(self, filenames, record_bytes, header_bytes=None, footer_bytes=None, buffer_size=None,
                 compression_type=None, num_parallel_reads=None, name=None):
        super().__init__(filenames, num_parallel_reads)
        self._rec = _scalar_int(record_bytes, "record_bytes")
        if self._rec <= 0:
            raise errors.InvalidArgumentError("record_bytes must be greater than zero.")
        self._head = 0 if header_bytes is None else _scalar_int(header_bytes, "header_bytes")
        self._foot = 0 if footer_bytes is None else _scalar_int(footer_bytes, "footer_bytes")
        self._comp = tfrecord.compression_name(compression_type)

    def _read(self, path):
        f = tfrecord._open_stream(path, self._comp)
        try:
            chunks = []
            while True:
                c = f.read(1 << 20)
                if not c:
                    break
                chunks.append(c)
        finally:
            f.close()
        data = b"".join(chunks)
        body = data[self._head:len(data) - self._foot if self._foot else len(data)]
        n = len(body) // self._rec
        if len(body) % self._rec and not self._comp:
            raise errors.DataLossError(
                f"Excluding the header ({self._head} bytes) and footer ({self._foot} bytes), input file "
                f"\"{path}\" has body length {len(body)} bytes, which is not an exact multiple of the "
                f"record length ({self._rec} bytes).")
        for i in range(n):
            yield body[i * self._rec:(i + 1) * self._rec]


TFRecordDataset = TFRecordDatasetV2
TextLineDataset = TextLineDatasetV2
FixedLengthRecordDataset = FixedLengthRecordDatasetV2
