"""``tf.strings``: host-side string ops over numpy object arrays of ``bytes``.

Ops whose per-string output has its own length (split, bytes_split, unicode_decode) return
a RaggedTensor for rank >= 1 input, as TF does."""

from __future__ import annotations

import re

import numpy as np

from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src import tensor as tensor_lib


def _strings(x, op):
    if isinstance(x, tensor_lib.Tensor):
        v = x._value
        if not (isinstance(v, np.ndarray) and v.dtype == object):
            raise errors.invalid_argument(op, f"Expected a string tensor, got {x.dtype.name}")
        return v
    if hasattr(x, "_read_array"):
        return _strings(tensor_lib.convert_to_tensor(x), op)
    arr = np.asarray(x, dtype=object) if not isinstance(x, np.ndarray) else x
    if isinstance(arr, np.ndarray) and arr.dtype.kind in "OSU":
        return tensor_lib._to_string_array(arr)
    raise TypeError(f"{op}: expected string input, got {x!r}")


def _host(x):
    if isinstance(x, tensor_lib.Tensor):
        return np.asarray(x._value)
    return np.asarray(x)


def _wrap(arr, dtype=None):
    arr = np.asarray(arr, dtype=object) if dtype is dtypes.string else arr
    if isinstance(arr, np.ndarray) and arr.dtype == object:
        return tensor_lib.Tensor(arr)
    if dtype is not None:
        arr = np.asarray(arr, dtype=dtype._np)
    from tfjax._src.io import host  # noqa: PLC0415
    return host.wrap(np.asarray(arr))


def _map(fn, arr, otype=object):
    out = np.empty(arr.shape, dtype=otype)
    flat_in = arr.reshape(-1)
    flat = out.reshape(-1)
    for i, s in enumerate(flat_in.tolist()):
        flat[i] = fn(s)
    return out


def _as_bytes(s):
    return s.encode("utf-8") if isinstance(s, str) else bytes(s)


def lower(input, encoding="", name=None):  # noqa: A002
    arr = _strings(input, "StringLower")
    if encoding.lower().replace("-", "") == "utf8":
        return _wrap(_map(lambda s: s.decode("utf-8").lower().encode("utf-8"), arr))
    return _wrap(_map(lambda s: s.lower(), arr))


def upper(input, encoding="", name=None):  # noqa: A002
    arr = _strings(input, "StringUpper")
    if encoding.lower().replace("-", "") == "utf8":
        return _wrap(_map(lambda s: s.decode("utf-8").upper().encode("utf-8"), arr))
    return _wrap(_map(lambda s: s.upper(), arr))


def strip(input, name=None):  # noqa: A002
    return _wrap(_map(lambda s: s.strip(b" \t\n\r\x0b\x0c"), _strings(input, "StringStrip")))


def length(input, unit="BYTE", name=None):  # noqa: A002
    arr = _strings(input, "StringLength")
    if unit == "BYTE":
        out = _map(len, arr, np.int32)
    elif unit == "UTF8_CHAR":
        out = _map(lambda s: len(s.decode("utf-8", errors="replace")), arr, np.int32)
    else:
        raise ValueError(f"unit must be 'BYTE' or 'UTF8_CHAR', got {unit!r}")
    return _wrap(out)


def _broadcast(*arrs):
    return np.broadcast_arrays(*arrs)


def join(inputs, separator="", name=None):
    if isinstance(inputs, tensor_lib.Tensor) or not isinstance(inputs, (list, tuple)):
        raise TypeError("tf.strings.join expects a list of string tensors.")
    arrs = [_strings(x if not isinstance(x, (str, bytes)) else np.array(_as_bytes(x), dtype=object),
                     "StringJoin") for x in inputs]
    try:
        arrs = _broadcast(*arrs)
    except ValueError:
        raise errors.invalid_argument("StringJoin", "Input shapes do not match") from None
    sep = _as_bytes(separator)
    shape = arrs[0].shape if arrs else ()
    out = np.empty(shape, dtype=object)
    flats = [a.reshape(-1).tolist() for a in arrs]
    of = out.reshape(-1)
    for i in range(of.size):
        of[i] = sep.join(f[i] for f in flats)
    return _wrap(out)


def reduce_join(inputs, axis=None, keepdims=False, separator="", name=None):
    arr = _strings(inputs, "ReduceJoin")
    sep = _as_bytes(separator)
    if axis is None:
        out = np.array(sep.join(arr.reshape(-1).tolist()), dtype=object)
        if keepdims:
            out = out.reshape((1,) * arr.ndim)
        return _wrap(out)
    ax = int(axis) % arr.ndim
    moved = np.moveaxis(arr, ax, -1)
    out = np.empty(moved.shape[:-1], dtype=object)
    of = out.reshape(-1)
    for i, row in enumerate(moved.reshape(-1, moved.shape[-1])):
        of[i] = sep.join(row.tolist())
    if keepdims:
        out = np.expand_dims(out, ax)
    return _wrap(out)


def _per_string(input, op, per_element, np_dtype, scalar_result):  # noqa: A002
    """Applies ``per_element`` to every string: a scalar gives a 1-D Tensor, rank >= 1
    (or a RaggedTensor) gives a RaggedTensor with one more ragged dimension, as TF."""
    from tfjax._src.ragged import conversion  # noqa: PLC0415
    from tfjax._src.ragged.ragged_tensor import RaggedTensor  # noqa: PLC0415
    if isinstance(input, RaggedTensor):
        return input.with_flat_values(_per_string(input.flat_values, op, per_element, np_dtype, scalar_result))
    arr = _strings(input, op)
    if arr.ndim == 0:
        return scalar_result(per_element(arr[()]))
    return conversion.ragged_from_elements(arr, per_element, np_dtype)


def split(input, sep=None, maxsplit=-1, name=None):  # noqa: A002
    """``tf.strings.split``: a scalar gives a 1-D string tensor; rank >= 1 a RaggedTensor."""
    return _per_string(input, "StringSplit", lambda s: _split_one(s, sep, maxsplit), object,
                       lambda toks: _wrap(np.array(toks, dtype=object).reshape(-1)))


_WS = b" \t\n\r\x0b\x0c"


def _split_ws(s, maxsplit):
    """TF's whitespace split with a limit: maxsplit=0 keeps the string whole; after the
    last allowed split the rest (whitespace-trimmed on the left, maybe empty) is one token."""
    if maxsplit == 0:
        return [s]
    toks, i, n = [], 0, len(s)
    while True:
        while i < n and s[i] in _WS:
            i += 1
        if i >= n:
            return toks
        j = i
        while j < n and s[j] not in _WS:
            j += 1
        toks.append(s[i:j])
        if len(toks) == maxsplit:
            while j < n and s[j] in _WS:
                j += 1
            toks.append(s[j:])
            return toks
        i = j


def _split_one(s, sep, maxsplit):
    if sep is None or sep in ("", b""):
        return _split_ws(s, maxsplit) if maxsplit >= 0 else s.split()
    sep = _as_bytes(sep)
    return s.split(sep, maxsplit) if maxsplit >= 0 else s.split(sep)


def split_to_sparse(input, sep=None, maxsplit=-1, name=None):  # noqa: A002
    """Splits a 1-D string tensor into a ``tf.SparseTensor`` [batch, max_tokens]."""
    from tfjax._src.sparse_tensor import SparseTensor  # noqa: PLC0415
    arr = _strings(input, "StringSplit")
    if arr.ndim != 1:
        raise ValueError("split_to_sparse expects a 1-D string tensor.")
    idx, vals, mx = [], [], 0
    for b, s in enumerate(arr.tolist()):
        toks = _split_one(s, sep, maxsplit)
        mx = max(mx, len(toks))
        for j, t in enumerate(toks):
            idx.append([b, j])
            vals.append(t)
    return SparseTensor(np.array(idx, np.int64).reshape(-1, 2), np.array(vals, dtype=object),
                        np.array([len(arr), mx], np.int64))


def bytes_split(input, name=None):  # noqa: A002
    return _per_string(input, "StringSplit", lambda s: [s[i:i + 1] for i in range(len(s))], object,
                       lambda toks: _wrap(np.array(toks, dtype=object).reshape(-1)))


def regex_replace(input, pattern, rewrite, replace_global=True, name=None):  # noqa: A002
    arr = _strings(input, "RegexReplace")
    pat = re.compile(_as_bytes(_scalar(pattern)))
    rw = _re2_rewrite(_as_bytes(_scalar(rewrite)))
    count = 0 if replace_global else 1
    return _wrap(_map(lambda s: pat.sub(rw, s, count=count), arr))


def _re2_rewrite(rw: bytes) -> bytes:
    # RE2 uses \1 for groups, \\ for a backslash; Python's re understands \1 too, but needs \g<0> for \0.
    return rw.replace(b"\\0", b"\\g<0>")


def _scalar(x):
    if isinstance(x, tensor_lib.Tensor):
        v = np.asarray(x._value)
        return v[()] if v.ndim == 0 else v
    return x


def regex_full_match(input, pattern, name=None):  # noqa: A002
    arr = _strings(input, "RegexFullMatch")
    pat = re.compile(_as_bytes(_scalar(pattern)))
    return _wrap(_map(lambda s: pat.fullmatch(s) is not None, arr, np.bool_))


def static_regex_full_match(input, pattern, name=None):  # noqa: A002
    return regex_full_match(input, pattern)


_NUM_RE_INT = re.compile(rb"^\s*[+-]?\d+\s*$")


def to_number(input, out_type=dtypes.float32, name=None):  # noqa: A002
    arr = _strings(input, "StringToNumber")
    dt = dtypes.as_dtype(out_type)
    if dt not in (dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64):
        raise TypeError(f"Value for attr 'out_type' of {dt.name} is not in the list of allowed values: "
                        "float, double, int32, int64")

    def conv(s):
        try:
            if dt.is_integer:
                if not _NUM_RE_INT.match(s):
                    raise ValueError
                v = int(s)
                if not dt.min <= v <= dt.max:
                    raise ValueError
                return v
            t = s.strip().lower()
            if t in (b"inf", b"+inf", b"infinity", b"+infinity"):
                return float("inf")
            if t in (b"-inf", b"-infinity"):
                return float("-inf")
            if t in (b"nan", b"+nan", b"-nan"):
                return float("nan")
            return float(s)
        except ValueError:
            raise errors.invalid_argument(
                "StringToNumber", f"StringToNumberOp could not correctly convert string: {s.decode('utf-8', 'replace')}") from None
    return _wrap(_map(conv, arr, dt._np))


string_to_number = to_number


def substr(input, pos, len, unit="BYTE", name=None):  # noqa: A002
    arr = _strings(input, "Substr")
    p = _host(pos)
    n = _host(len)
    try:
        a, pb, nb = np.broadcast_arrays(arr, p, n)
    except ValueError:
        raise errors.invalid_argument("Substr", "pos and len must have the same shape as input or be scalars") from None
    out = np.empty(a.shape, dtype=object)
    of, af, pf, nf = out.reshape(-1), a.reshape(-1), pb.reshape(-1), nb.reshape(-1)
    for i in range(of.size):
        s = af[i]
        if unit == "UTF8_CHAR":
            s = s.decode("utf-8")
        k, m = int(pf[i]), int(nf[i])
        L = builtin_len(s)
        if k < 0:
            k += L
        if k < 0 or k > L:
            raise errors.invalid_argument("Substr", f"pos {int(pf[i])} out of range for string b'{af[i].decode('utf-8', 'replace')}' at index {i}")
        piece = s[k:k + max(m, 0)]
        of[i] = piece.encode("utf-8") if unit == "UTF8_CHAR" else piece
    return _wrap(out)


builtin_len = __builtins__["len"] if isinstance(__builtins__, dict) else __builtins__.len


def as_string(input, precision=-1, scientific=False, shortest=False, width=-1, fill="", name=None):  # noqa: A002
    t = tensor_lib.convert_to_tensor(input)
    if t.dtype == dtypes.string:
        raise TypeError("Value for attr 'T' of string is not in the list of allowed values.")
    arr = np.asarray(t._value)
    dt = t.dtype
    flag = fill if fill else ""
    w = "" if width < 0 else str(width)
    if dt.is_floating or dt.is_complex:
        conv = "e" if scientific else ("g" if shortest else "f")
        prec = "" if precision < 0 else f".{precision}"
        fmt = f"%{flag}{w}{prec}{conv}"

        def f(v):
            if dt.is_complex:
                return (f"({fmt % v.real},{fmt % v.imag})").encode()
            return (fmt % float(v)).encode()
    elif dt.is_bool:
        def f(v):
            return b"true" if v else b"false"
    else:
        fmt = f"%{flag}{w}d"

        def f(v):
            return (fmt % int(v)).encode()
    return _wrap(_map(f, arr))


def _decode_one(s, input_encoding, errors, replacement_char):
    enc = input_encoding.lower().replace("-", "")
    enc = {"utf8": "utf-8", "utf16be": "utf-16-be", "utf32be": "utf-32-be"}.get(enc, input_encoding)
    mode = {"replace": "replace", "ignore": "ignore", "strict": "strict"}[errors]
    try:
        text = s.decode(enc, errors=mode)
    except UnicodeDecodeError as e:
        raise _errors_mod.invalid_argument("UnicodeDecode", f"Invalid formatting on input string: {e}") from None
    return [ord(c) if (c != "\ufffd" or mode != "replace") else replacement_char for c in text]


def unicode_decode(input, input_encoding, errors="replace", replacement_char=65533,  # noqa: A002
                   replace_control_characters=False, name=None):
    return _per_string(input, "UnicodeDecode",
                       lambda s: _decode_one(s, input_encoding, errors, replacement_char), np.int32,
                       lambda cps: _wrap(np.array(cps, dtype=np.int32).reshape(-1)))


def unicode_split(input, input_encoding, errors="replace", replacement_char=65533, name=None):  # noqa: A002
    def chars(s):
        return [chr(c).encode("utf-8") for c in _decode_one(s, input_encoding, errors, replacement_char)]
    return _per_string(input, "UnicodeDecode", chars, object,
                       lambda toks: _wrap(np.array(toks, dtype=object).reshape(-1)))


def unicode_encode(input, output_encoding, errors="replace", replacement_char=65533, name=None):  # noqa: A002
    arr = _host(input)
    enc = output_encoding.lower().replace("-", "")
    enc = {"utf8": "utf-8", "utf16be": "utf-16-be", "utf32be": "utf-32-be"}.get(enc, output_encoding)
    if arr.ndim == 1:
        return _wrap(np.array("".join(chr(int(c)) for c in arr).encode(enc), dtype=object))
    if arr.ndim == 2:
        return _wrap(np.array(["".join(chr(int(c)) for c in row).encode(enc) for row in arr], dtype=object))
    raise ValueError("unicode_encode expects a 1-D or 2-D tensor of code points.")


def format(template, inputs, placeholder="{}", summarize=3, name=None):  # noqa: A001
    vals = inputs if isinstance(inputs, (list, tuple)) else [inputs]
    parts = template.split(placeholder)
    if builtin_len(parts) - 1 != builtin_len(vals):
        raise ValueError(f"num placeholders in template and num inputs must match: "
                         f"{builtin_len(parts) - 1} vs. {builtin_len(vals)}")
    out = parts[0]
    for v, p in zip(vals, parts[1:]):
        a = np.asarray(v._value) if isinstance(v, tensor_lib.Tensor) else np.asarray(v)
        if a.dtype == object:
            a = np.vectorize(lambda b: b.decode("utf-8", "replace"), otypes=[object])(a)
            s = np.array2string(a, separator=" ", formatter={"all": lambda x: f'"{x}"'}) if a.ndim else f'"{a[()]}"'
        else:
            s = np.array2string(a, separator=" ") if a.ndim else str(a[()])
        out += s + p
    return _wrap(np.array(out.encode(), dtype=object))


import tfjax._src.errors as _errors_mod  # noqa: E402


def unsorted_segment_join(inputs, segment_ids, num_segments, separator="", name=None):
    """``tf.strings.unsorted_segment_join``: joins the strings of each segment in input order."""
    arr = _strings(inputs, "UnsortedSegmentJoin")
    seg = _host(segment_ids)
    n = int(_host(num_segments))
    if arr.shape[:seg.ndim] != seg.shape:
        raise _errors_mod.invalid_argument(
            "UnsortedSegmentJoin", f"segment_ids.shape = {list(seg.shape)} is not a prefix of "
            f"input.shape = {list(arr.shape)}")
    sep = _as_bytes(separator)
    inner = arr.shape[seg.ndim:]
    flat = arr.reshape((seg.size,) + inner)
    parts = [[[] for _ in range(int(np.prod(inner)))] for _ in range(n)]
    for i, s in enumerate(seg.reshape(-1).tolist()):
        if s < 0 or s >= n:
            raise _errors_mod.invalid_argument(
                "UnsortedSegmentJoin", "segment_ids are not allowed to exceed num_segments or to have negative values.")
        for j, v in enumerate(flat[i].reshape(-1).tolist() if inner else [flat[i]]):
            parts[s][j].append(v)
    out = np.empty((n, int(np.prod(inner))), dtype=object)
    for s in range(n):
        for j, p in enumerate(parts[s]):
            out[s, j] = sep.join(p)
    return _wrap(out.reshape((n,) + inner))
