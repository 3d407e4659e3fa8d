"""More ``tf.strings``: ``ngrams``, ``unicode_decode_with_offsets``, ``unicode_split_with_offsets``,
``unicode_transcode`` and ``unicode_script`` (host-side, over numpy object arrays of bytes).

``unicode_script`` maps code points to ICU ``UScriptCode`` values with a run-length table of the
Unicode Script property as shipped in the ICU that TensorFlow 2.21 links (1587 runs; generated
once by evaluating ``tf.strings.unicode_script`` over every code point and storing where the value
changes). Surrogates and unassigned code points are ``USCRIPT_UNKNOWN`` (103), values outside
[0, 0x10FFFF] are -1, exactly as in TF.
"""

from __future__ import annotations

import base64
import codecs
import functools
import zlib

import numpy as np

from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src import tensor as tensor_lib
from tfjax._src.ops import string_ops

_ENCODINGS = {"utf8": "utf-8", "utf16be": "utf-16-be", "utf32be": "utf-32-be", "utf16le": "utf-16-le",
              "utf32le": "utf-32-le", "utf16": "utf-16", "utf32": "utf-32", "usascii": "ascii", "ascii": "ascii",
              "iso88591": "latin-1", "latin1": "latin-1", "utf7": "utf-7"}
_OUTPUT_ENCODINGS = ("utf-8", "utf-16-be", "utf-32-be")


def _encoding(name, op, output=False):
    key = str(name).lower().replace("-", "").replace("_", "")
    enc = _ENCODINGS.get(key)
    if enc is None or (output and enc not in _OUTPUT_ENCODINGS):
        if output:
            raise ValueError(f"Value for attr 'output_encoding' of \"{name}\" is not in the list of allowed values: "
                             "\"UTF-8\", \"UTF-16-BE\", \"UTF-32-BE\"")
        raise errors.invalid_argument(op, f"Could not create converter for input encoding: {name}")
    return enc


_ranges_stack: list = []


def _record_error(exc):
    _ranges_stack[-1].append((exc.start, exc.end))
    return ("\ufffd" if _mode[-1] == "replace" else "", exc.end)


_mode: list = []
codecs.register_error("tfjax_record", _record_error)


def _decode_with_offsets(s, enc, err, replacement_char, replace_control, op):
    """[(code point, byte offset)] the way TF's ICU-based decoder reports them."""
    if err not in ("replace", "ignore", "strict"):
        raise ValueError(f"Value for attr 'errors' of \"{err}\" is not in the list of allowed values: "
                         "\"strict\", \"replace\", \"ignore\"")
    ranges: list = []
    _ranges_stack.append(ranges)
    _mode.append(err)
    try:
        text = s.decode(enc, errors="tfjax_record")
    finally:
        _ranges_stack.pop()
        _mode.pop()
    if ranges and err == "strict":
        raise errors.invalid_argument(op, "Invalid formatting on input string")
    out = []
    pos = 0
    ri = 0
    ci = 0
    while ci < len(text) or ri < len(ranges):
        if ri < len(ranges) and ranges[ri][0] == pos:
            start, end = ranges[ri]
            ri += 1
            if err == "replace":
                out.append((replacement_char, start))
                ci += 1
            pos = end
            continue
        c = text[ci]
        ci += 1
        cp = ord(c)
        if replace_control and cp < 0x20:
            cp = replacement_char
        out.append((cp, pos))
        pos += len(c.encode(enc))
    return out


def _int_array(values, np_dtype):
    return np.asarray(values, dtype=np_dtype).reshape(-1)


def unicode_decode_with_offsets(input, input_encoding, errors="replace", replacement_char=65533,  # noqa: A002
                                replace_control_characters=False, name=None):
    """``tf.strings.unicode_decode_with_offsets``: (code points int32, byte offsets int64)."""
    op = "UnicodeDecodeWithOffsets"
    enc = _encoding(input_encoding, op)

    def dec(s):
        return _decode_with_offsets(s, enc, errors, int(replacement_char), bool(replace_control_characters), op)
    cps = string_ops._per_string(input, op, lambda s: [c for c, _ in dec(s)], np.int32,
                                 lambda v: string_ops._wrap(_int_array(v, np.int32)))
    offs = string_ops._per_string(input, op, lambda s: [o for _, o in dec(s)], np.int64,
                                  lambda v: string_ops._wrap(_int_array(v, np.int64)))
    return cps, offs


def unicode_split_with_offsets(input, input_encoding, errors="replace", replacement_char=65533,  # noqa: A002
                               name=None):
    """``tf.strings.unicode_split_with_offsets``: (characters as strings, byte offsets int64)."""
    op = "UnicodeDecodeWithOffsets"
    enc = _encoding(input_encoding, op)

    def dec(s):
        return _decode_with_offsets(s, enc, errors, int(replacement_char), False, op)

    def chars(s):
        return [chr(c).encode("utf-8") for c, _ in dec(s)]
    toks = string_ops._per_string(input, op, chars, object,
                                  lambda v: string_ops._wrap(np.array(v, dtype=object).reshape(-1)))
    offs = string_ops._per_string(input, op, lambda s: [o for _, o in dec(s)], np.int64,
                                  lambda v: string_ops._wrap(_int_array(v, np.int64)))
    return toks, offs


def unicode_transcode(input, input_encoding, output_encoding, errors="replace", replacement_char=65533,  # noqa: A002
                      replace_control_characters=False, name=None):
    """``tf.strings.unicode_transcode``: elementwise re-encoding (same shape, tf.string)."""
    op = "UnicodeTranscode"
    out_enc = _encoding(output_encoding, op, output=True)
    in_enc = _encoding(input_encoding, op)
    arr = string_ops._strings(input, op)
    rc = int(replacement_char)

    def one(s):
        cps = _decode_with_offsets(s, in_enc, errors, rc, bool(replace_control_characters), op)
        return "".join(chr(c) for c, _ in cps).encode(out_enc)
    return string_ops._wrap(string_ops._map(one, arr))


@functools.lru_cache(maxsize=1)
def _script_table():
    raw = zlib.decompress(base64.b64decode("".join(_SCRIPT_TABLE)))
    n = len(raw) // 6
    gaps = np.frombuffer(raw[:4 * n], dtype="<u4").astype(np.int64)
    vals = np.frombuffer(raw[4 * n:], dtype="<i2").astype(np.int32)
    starts = np.concatenate([[0], np.cumsum(gaps)[:-1]])
    return starts, vals


def unicode_script(input, name=None):  # noqa: A002
    """``tf.strings.unicode_script``: the ICU ``UScriptCode`` of each int32 code point (-1 if invalid)."""
    t = tensor_lib.convert_to_tensor(input, dtype_hint=dtypes.int32)
    if t.dtype is not dtypes.int32:
        raise errors.invalid_argument(
            "UnicodeScript", f"cannot compute UnicodeScript as input #0(zero-based) was expected to be a int32 "
            f"tensor but is a {t.dtype.name} tensor")
    v = np.asarray(t._value).astype(np.int64)
    starts, vals = _script_table()
    idx = np.searchsorted(starts, np.clip(v, 0, 0x10FFFF), side="right") - 1
    out = np.where((v < 0) | (v > 0x10FFFF), -1, vals[idx]).astype(np.int32)
    return string_ops._wrap(out)


# -- ngrams -------------------------------------------------------------------------------------
def _ngrams_flat(values, splits, widths, sep, left, right, pad_width, preserve_short):
    def pw(w):
        return min(w - 1 if pad_width < 0 else pad_width, w - 1)

    def count(length, w):
        return max(0, length + 2 * pw(w) - w + 1)

    def create(data, n, w):
        p = pw(w)
        res = []
        for k in range(n):
            lp = max(0, p - k)
            rp = max(0, p - (n - (k + 1)))
            ntok = w - (lp + rp)
            start = 0 if lp > 0 else k - p
            res.append(sep.join([left] * lp + list(data[start:start + ntok]) + [right] * rp))
        return res
    out, out_splits = [], [0]
    for i in range(len(splits) - 1):
        data = values[splits[i]:splits[i + 1]]
        row = []
        for w in widths:
            row += create(data, count(len(data), w), w)
        if preserve_short and not row and len(data):
            row = create(data, 1, len(data) + 2 * max(pad_width, 0))
        out += row
        out_splits.append(len(out))
    return out, out_splits


def ngrams(data, ngram_width, separator=" ", pad_values=None, padding_width=None, preserve_short_sequences=False,
           name=None):
    """``tf.strings.ngrams``: ngrams over the innermost axis (a Tensor for dense input, else ragged)."""
    from tfjax._src.ragged.ragged_tensor import RaggedTensor  # noqa: PLC0415
    if padding_width is not None and padding_width < 1:
        raise ValueError("padding_width must be greater than 0.")
    if padding_width is not None and pad_values is None:
        raise ValueError("pad_values must be provided if padding_width is set.")
    widths = [ngram_width] if isinstance(ngram_width, int) else list(ngram_width)
    if any(w < 1 for w in widths):
        raise ValueError(f"All ngram_widths must be greater than 0. Got {ngram_width}")
    kw = dict(separator=separator, pad_values=pad_values, padding_width=padding_width,
              preserve_short_sequences=preserve_short_sequences)
    if not isinstance(data, RaggedTensor):
        t = tensor_lib.convert_to_tensor(data, dtype_hint=dtypes.string) if not isinstance(data, tensor_lib.Tensor) \
            else data
        if t.dtype is not dtypes.string:
            raise TypeError(f"Cannot convert {data!r} to EagerTensor of dtype string")
        arr = t._value
        if arr.ndim == 0:
            raise ValueError("Data must have rank>0")
        lead = arr.shape[:-1]
        flat = arr.reshape(-1, arr.shape[-1]) if arr.shape[-1] else arr.reshape(int(np.prod(lead)), 0)
        splits = np.arange(flat.shape[0] + 1, dtype=np.int64) * flat.shape[-1]
        vals, osplits = _ngrams_kernel(flat.reshape(-1), splits, widths, kw)
        counts = np.diff(osplits)
        n = int(counts[0]) if counts.size else 0
        if counts.size and not np.all(counts == n):
            raise errors.invalid_argument("Reshape", "ngrams of a dense tensor must give the same count per row")
        return string_ops._wrap(np.array(vals, dtype=object).reshape(lead + (n,)))
    if data.ragged_rank > 1:
        return data.with_values(ngrams(data.values, ngram_width, **kw))
    fv = data.flat_values
    if fv.dtype is not dtypes.string:
        raise TypeError(f"Cannot convert {data!r} to EagerTensor of dtype string")
    splits = np.asarray(data.row_splits._value)
    vals, osplits = _ngrams_kernel(np.asarray(fv._value).reshape(-1), splits, widths, kw)
    return RaggedTensor.from_row_splits(string_ops._wrap(np.array(vals, dtype=object).reshape(-1)),
                                        string_ops._wrap(np.asarray(osplits, dtype=splits.dtype)), validate=False)


def _ngrams_kernel(values, splits, widths, kw):
    pad_values = kw["pad_values"]
    if pad_values is None:
        left = right = b""
        pad_width = 0
    else:
        if isinstance(pad_values, (tuple, list)):
            if len(pad_values) != 2:
                raise ValueError("pad_values must be a string, tuple or list of two strings.")
            left, right = pad_values
        else:
            left = right = pad_values
        left, right = string_ops._as_bytes(left), string_ops._as_bytes(right)
        pad_width = -1 if kw["padding_width"] is None else int(kw["padding_width"])
    sep = string_ops._as_bytes(kw["separator"])
    return _ngrams_flat(list(values), [int(s) for s in splits], widths, sep, left, right, pad_width,
                        bool(kw["preserve_short_sequences"]))


_SCRIPT_TABLE = (
    "eNrFWFuTXFUVPvv06evM9Ex3Oj3pnqFnEoaZkPsVJgRIAppIhQrEYCAkRaVK8ChgCDJaAoVQsfBSBkUtBVNeIpcAWqV4C6Io0dLy"
    "F0j5xIPPPvikvmi59jnf6v5mcbphApYP39777Mvae6+99rfWPnuCIGgLCsg3CpxgFHleMI7yFPLfSTKHNo9Q0BCcFETok0O9fjtT"
    "dtSPvxvIdwmqgjHB45D1Etpm8b0Fucq4UlASTGAuv6chrNHh20Guy8A08grGtfF9L/JVNPZqmnsT1uLbdlL9BpRVl5P41vn8HNsF"
    "y/FdR532v0RwEHsZxdg26bGEOkUT9UWj3wjtZdM/ggxHfRydacvot0D9suYLM3Leb96Mz5HsorEP/13DWWifsrGZfvPr+iumf476"
    "jNJahiGjaPq/nX7tfFa/OfTN9dFvHWsMSb+sk8is2dG8OaPDHPYRQb6VE2bcgeXoO2L2rfd9DHUl0x5hXyHV89lW0F4eILuSobt+"
    "cxQNh/DZhpjDzrPVfKvtjtE94vY6yiuMrTlaA6+tYM6khLoKnYs/j6vIrv39vyzjPJWfVpj6cfTNm/oC6UDvseeuD6B9BnVz9M2c"
    "XiQ9+vWcBafa9fj2tbRnX7jBnEPRrE3rLzffK9/hOF3jDlN/PfJp6FZ91mHUq04eC1Pe9H32Ix/CfCO0/yHYv9peA+dl7Uj54Q7S"
    "eYFyy3Flsm/ffgTzrYVe96JNfane2WHjO/13h87fr3cd+rTJt+VIL5O0nl3kQ0L05XVXUV9D3xshez1k7hZsg137+nnUjxK3bMJ+"
    "dX8h8UWJdDiSwfGFDE7Oww7V/jYTrzBP7UV+FY3zhaaxhVnzXerj9x3FNyF8Mt+XKsnx38uMXyzTWfr6W8m/O9I/yxzB+Glw0kq0"
    "zRq96JwTyGu4W+pTngpTP632fBaLWgh7duHHfYxiu40U7yxAf8UBHDBPXFwlbirTPb7Y3K/hEOxOOfkIdPkG6tiv8Xm1sIaIzjci"
    "Gzuc4Y99/e30nSeOu4P83jR4cxjfel93o3yQ9Hib4EXBhVba/u+DqewnojS/Euv092WdS7nmOMaVEFd+BOvZTpy0Bueqd1Lv7jzG"
    "7UU+jPppxJyOeH+IeMDLOEDtFdLdFMXQZbJ562Ouh5/SdwHzIOdZtrHW3JeIZN9M8bLKfG5turdx9PF8EMlFOeHSfnfDZovQgb5H"
    "2saGXZ/41M/zCdypeyBzDGfsy1cIVpMuxjL481LiBEf2p3N/3viHafPeGqJYZj2dRa6PXjnmY/1WKJYaRn3brI1jX73L3vYeppiR"
    "fYA/p5sMXyl/rEf5FNnWZuI3fYPNQE4OdXnyhR1jqxHWtAb2sIl8oOp9huRGOJ8SfJXa+pPejl06bxNjfZ+nSYc67zoTU7OemmSv"
    "0ziXEt1l1qva3iTJaZMd7IaMFVh3A+M2EF+pHBtvX0Lri0x8XYRcxRzFE2XYsNpKk3hyGc1VJ9+sbyGv/xvAB1tx/lvRViC9+7XM"
    "uh5/rDH+KwTnaP814OVJ6ED9yAHM3yEbus740BbZeoH8dB2y5yDrOP1LGEK7nvWePrEn+2aNlXZCRxV6Pyz1XchxofVF9k2WN28e"
    "9U9fEhyjPh3E+qr/czhnjXn8nX4/cUsB57cMcbXq8ArcyZDew57jLuD/xp3wzcO0P+bQktlvx7z71QYr5KtC4vkhzK97OQRbT9bo"
    "en5iPcVhFeKbaaP/KmzWnsM6858ppDMpkY4Kpv0y811g3bnUHl8h29lCMeqZXOrT76Nz8/v9g+A1EbAx6q3hTzJ4n0zyqvi2HWE6"
    "x1SGjz5OfFggvVbIh+je9W3vz/xlGXBU8rvwJorIDmrgJqubIfIR/xpP9eSV+IZL77Bf9z9X4dxdyv05yNP/SqelPpKO91D8niPe"
    "4tjC45gs9h+on0PbtSS3RHejgzE7wSFeD2foHXcr5mnBB38I+9qX8W/K/hNzZPPO6HWPiV1Kpn3ScEre/IvTfrcg3phxvX+Zp8PU"
    "jvJkUzfne2Nq5u3MPPNn8tscu+k6T7r0vaSyfeGPFNdcTm9AHlcTge9D2zWC39PeJsw6bLky4L9vYUCby3iDZ8l/O9hxkTmrqM8a"
    "KqTvPK0jT/Xb9H643rv8TtjNqPmXMUp84mX/CDF82/zDUjll894qwLb/kkvtTe+R5guY9wjFwg16N80bnlNf3DE++kGs54MUuw6T"
    "PfF/xTzFIC36f1qmtRVhV1+nt4XqoCALe/Nc6qu2j6V88ybmOdVM59wsRD8lC+hI5V9lwv3CD+f/Vun6Gs+Hjwn+7m34PxohDEJ6"
    "gtVkT7HJtawoCkrSuyRfOcIyQriIPfjbAb68SlpShLL/WLjJ4zOSetwCrErGxyTH7zTl9kjqLgZj7xKjF4mpi8Sl7xIzS8JySZeK"
    "9gCsXCJmBUGSrlgC5jIRJPmk3NeY4O9vXe5W/J6gAKyWCCzGiyOWaCCFf9XFwmGx+KEexgkT8BkTSbmH1YJNb8E2ST12LsK4sEgs"
    "uFtSCye4Frg/2CXpLuGyGPh4cpNTvdyf9M72GrEwhb/5Pk2Rll0ypmVYYunQWTwjxeClGOV0DykbWe6KCRuoPC/pfCKhKGlxkQVc"
    "3cU7Od9SIrFGSGeodeGSt1QtqW9Ahw1E4E35zgvqyZh80qeJr3q3j0qKxTOk+Gzw4WTuU11ttKCPlkQs6RpuF9wHVJJ/EjcFJ6R8"
    "IpF/IOl1IClNSnrdIkwGj0r+aPBAn12nM1ah40LS7wHsQ6H6aGX4gB6UuZnHY5y2g3YV2hrQrns6qpv564tOP5Zouz96/aooqdXF"
    "EonHwUe7a+okGJH0iGB7gmsk9SjLa3+L5B4/BL4g+B5wiLAxEwuSLgRPBl+R3OOZLo5KejS4V1KPw8ETkqbYIekgPB58WdIHgU8m"
    "eETSR4KHJH0oeFhSxW2CG7s4L+l56PwC4ZeCVwS/Ebwq2NPFpyX1eBr4FHBW8BQY/DvAcxn4KvDFAXADWz1+AHwXOAc8C3j+/Bbw"
    "fcJPBV9L8FtJB+HXhJ8IXhY8L3jR4CXCjwfgZ33w8+Suq6++S1LGPuDbAs8E3yB8DtifgV8IjhHOBN8U234d9/VMgtdRaiac1UhK"
    "sfSLJcK1WMyzb/UNVXMT33uclFQxn4FfGbwGnAZeIFi2+X9j8M4b/2PNDkZtAALyzv8Fw8Y1pQ=="
)
