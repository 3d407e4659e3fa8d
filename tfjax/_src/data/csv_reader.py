"""``tf.data.experimental.CsvDataset``: CSV records parsed with TF's CSV rules (csv_dataset_op.cc).

The rules, as TF 2.21 applies them: a record ends at ``\\n`` or ``\\r\\n``; with ``use_quote_delim``
a field that starts with ``"`` runs to the matching ``"`` (``""`` escapes one quote, newlines and
delimiters may appear inside), and an unquoted field must not contain ``"``; an empty field or one
equal to ``na_value`` takes its column's default, and a column given as a bare dtype is required.
"""

from __future__ import annotations

import re

import numpy as np

from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src.data import structure
from tfjax._src.data.dataset import UNKNOWN, _scalar_int
from tfjax._src.data.readers import _FileDataset
from tfjax._src.io import tfrecord
from tfjax._src.tensor_spec import TensorSpec

_ALLOWED = ("int32", "int64", "float32", "float64", "string")
_INT_RE = re.compile(rb"^\s*[+-]?\d+\s*$")
_INT_RANGE = {"int32": (-2**31, 2**31 - 1), "int64": (-2**63, 2**63 - 1)}


def _defaults(record_defaults):
    out = []
    for d in record_defaults:
        if isinstance(d, dtypes.DType) or (isinstance(d, type) and issubclass(d, np.generic)):
            dt = dtypes.as_dtype(d)
            val = None
        else:
            h = structure.host(structure.to_leaf(d))
            dt = dtypes.string if h.dtype == object else dtypes.from_numpy(h.dtype)
            if h.size > 1:
                raise ValueError("`record_defaults` must be a list of scalars or empty tensors.")
            val = h.reshape(-1)[0] if h.size else None
        if dt.name not in _ALLOWED:
            raise ValueError(f"Unsupported type for `record_defaults`: {dt.name}. CsvDataset supports "
                            f"int32, int64, float32, float64 and string.")
        out.append((dt, val))
    return out


def _invalid(field, name, j):
    return errors.InvalidArgumentError(
        f"Field {j} in record is not a valid {name}: {field.decode('utf-8', 'replace')}")


def _convert(field, dt, j):
    name = dt.name
    if name == "string":
        return field
    if name.startswith("int"):
        if not _INT_RE.match(field):
            raise _invalid(field, name, j)
        v = int(field)
        lo, hi = _INT_RANGE[name]
        if not lo <= v <= hi:
            raise _invalid(field, name, j)
        return v
    try:
        if b"_" in field:
            raise ValueError
        return float(field)
    except ValueError:
        raise _invalid(field, name, j) from None


class CsvDatasetV2(_FileDataset):
    """``tf.data.experimental.CsvDataset(filenames, record_defaults, compression_type=None,
    buffer_size=None, header=False, field_delim=",", use_quote_delim=True, na_value="",
    select_cols=None, exclude_cols=None)``: a tuple of scalars per record."""

    _tf_name = "CsvDatasetV2"

    def __init__(self, filenames, record_defaults, compression_type=None, buffer_size=None, header=False,
                 field_delim=",", use_quote_delim=True, na_value="", select_cols=None, exclude_cols=None,
                 name=None):
        super().__init__(filenames, None)
        self._comp = tfrecord.compression_name(compression_type)
        self._buffer = None if buffer_size is None else _scalar_int(buffer_size, "buffer_size")
        self._defaults = _defaults(record_defaults)
        self._header = bool(header)
        delim = field_delim.encode() if isinstance(field_delim, str) else bytes(field_delim)
        if len(delim) != 1:
            raise errors.InvalidArgumentError("field_delim should be only 1 char")
        self._delim = delim
        self._stop = re.compile(b"[" + re.escape(delim) + b"\r\n]")
        self._quote = bool(use_quote_delim)
        self._na = na_value.encode() if isinstance(na_value, str) else bytes(na_value)
        if select_cols is not None and exclude_cols is not None:
            raise ValueError("Either select_cols or exclude_cols should be empty")
        self._select = None if select_cols is None else [int(c) for c in select_cols]
        self._exclude = None if exclude_cols is None else {int(c) for c in exclude_cols}
        if self._select is not None:
            if any(c < 0 for c in self._select):
                raise errors.InvalidArgumentError("Select index must be non-negative")
            if any(b <= a for a, b in zip(self._select, self._select[1:])):
                raise errors.InvalidArgumentError("select_cols is not strictly increasing.")
            if len(self._select) != len(self._defaults):
                raise errors.InvalidArgumentError(
                    "select_cols should match output size: len(select_cols) must equal len(record_defaults)")

    def _compute_spec(self):
        return tuple(TensorSpec([], dt) for dt, _ in self._defaults)

    def _card(self):
        return UNKNOWN

    def _iter_batches(self, batch_size, drop_remainder):
        """Batches as column arrays straight from the parsed rows, for ``BatchDataset``."""
        return self._column_batches(batch_size, drop_remainder)

    def _column_batches(self, b, drop):
        rows = []
        for path in self._file_iter():
            for row in self._rows(path):
                rows.append(row)
                if len(rows) == b:
                    yield self._columns(rows)
                    rows = []
        if rows and not drop:
            yield self._columns(rows)

    def _columns(self, rows):
        out = []
        for j, (dt, _) in enumerate(self._defaults):
            if dt == dtypes.string:
                col = np.empty(len(rows), dtype=object)
                col[:] = [r[j] for r in rows]
            else:
                col = np.array([r[j] for r in rows], dtype=dt._np)
            out.append(col)
        return tuple(out)

    def _read_all(self, path):
        f = tfrecord._open_stream(path, self._comp, self._buffer or None)
        try:
            chunks = []
            while True:
                c = f.read(1 << 20)
                if not c:
                    break
                chunks.append(c)
        finally:
            f.close()
        return b"".join(chunks)

    def _records(self, path):
        for row in self._rows(path):
            yield tuple(np.array(v, dtype=object) if dt == dtypes.string else np.array(v, dtype=dt._np)
                        for v, (dt, _) in zip(row, self._defaults))

    def _rows(self, path):
        data = self._read_all(path)
        n = len(data)
        pos = 0
        if self._header:
            nl = data.find(b"\n")
            if n == 0:
                raise errors.InvalidArgumentError(f"Can't read header of file {path}")
            pos = n if nl < 0 else nl + 1
        while pos < n:
            fields, pos = self._parse_record(data, pos, n)
            yield self._to_row(fields)

    def _parse_record(self, data, pos, n):
        """Fields of the record starting at ``pos`` and the position after its line end."""
        delim = self._delim[0]
        fields = []
        while True:
            if self._quote and pos < n and data[pos] == 0x22:  # '"'
                buf = bytearray()
                pos += 1
                while True:
                    q = data.find(b'"', pos)
                    if q < 0:
                        raise errors.InvalidArgumentError(
                            "Reached end of file without closing quoted field in record")
                    buf += data[pos:q]
                    nxt = data[q + 1] if q + 1 < n else None
                    if nxt == 0x22:
                        buf += b'"'
                        pos = q + 2
                        continue
                    if nxt is None or nxt == delim or nxt in (0x0A, 0x0D):
                        pos = q + 1
                        break
                    buf += b'"'  # a lone quote inside: TF keeps scanning for the closing one
                    pos = q + 1
                fields.append((bytes(buf), True))
            else:
                m = self._stop.search(data, pos)
                end = m.start() if m else n
                field = data[pos:end]
                if self._quote and b'"' in field:
                    raise errors.InvalidArgumentError("Unquoted fields cannot have quotes inside")
                fields.append((field, False))
                pos = end
            if pos < n and data[pos] == delim:
                pos += 1
                continue
            # end of record
            if pos < n and data[pos] == 0x0D:
                pos += 1
            if pos < n and data[pos] == 0x0A:
                pos += 1
            return fields, pos

    def _to_row(self, fields):
        if self._select is not None:
            fields = [fields[c] for c in self._select if c < len(fields)]
        elif self._exclude is not None:
            fields = [f for i, f in enumerate(fields) if i not in self._exclude]
        k = len(self._defaults)
        if len(fields) > k and self._select is None:
            raise errors.InvalidArgumentError(f"Expect {k} fields but have more in record")
        if len(fields) < k:
            raise errors.InvalidArgumentError(f"Expect {k} fields but have {len(fields)} in record")
        out = []
        for j, ((field, _quoted), (dt, dv)) in enumerate(zip(fields, self._defaults)):
            if field == b"" or field == self._na:
                if dv is None:
                    raise errors.InvalidArgumentError(f"Field {j} is required but missing in record!")
                v = dv
            else:
                v = _convert(field, dt, j)
            out.append(v)
        return out


CsvDataset = CsvDatasetV2
