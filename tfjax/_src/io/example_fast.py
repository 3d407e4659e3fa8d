"""Vectorised fast path for parsing serialized ``tf.train.Example`` records.

Records written by one writer with the same feature shapes usually share one
byte layout: the same tags, keys and length prefixes at the same offsets; only
the payloads (packed floats, packed varints, bytes contents) differ. A
``Layout`` is built by walking ONE record's wire format in Python; any other
record of the same length whose bytes outside the payload ranges are equal to
that template has, provably, the same message structure (protobuf parsing is a
deterministic function of the bytes, and the payload bytes of a float or bytes
field cannot change how the message is framed). Its values are then sliced out
of the record with numpy, many records at once.

What the template walk accepts is deliberately narrow: exactly one ``features``
field, map entries written as key-then-value, one ``kind`` per Feature, packed
float/int64 lists, no unknown fields, no duplicate keys, UTF-8 keys. Anything
else returns no layout and the caller uses the protobuf (upb) path, so unusual
inputs keep exactly the general path's values and errors.

Varint payloads are the exception to "content cannot matter": the same number
of payload bytes can hold a different number of varints, or a malformed one.
Every int64 payload (requested or not, since a malformed one fails the whole
parse) is therefore decoded and its count checked per record; records that do
not match go to the general path.
"""

from __future__ import annotations

import numpy as np

_FLOAT, _INT64, _BYTES = "float_list", "int64_list", "bytes_list"
_KIND_TAG = {0x0A: _BYTES, 0x12: _FLOAT, 0x1A: _INT64}


class _Refuse(Exception):
    """The record is outside what the template walk models: use the general path."""


def _varint(buf, pos, end):
    result = shift = 0
    while True:
        if pos >= end or shift > 63:
            raise _Refuse
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if b < 0x80:
            return result & 0xFFFFFFFFFFFFFFFF, pos
        shift += 7


def _len_field(buf, pos, end, tag):
    """``tag`` (one byte) + length prefix at ``pos`` → (body start, body end)."""
    if pos >= end or buf[pos] != tag:
        raise _Refuse
    n, pos = _varint(buf, pos + 1, end)
    if pos + n > end:
        raise _Refuse
    return pos, pos + n


def _count_varints(buf, start, end):
    n = 0
    pos = start
    while pos < end:
        _, pos = _varint(buf, pos, end)
        n += 1
    return n


class Layout:
    """The wire layout of one template record.

    ``features``: key → (kind, start, width, count) for float/int64 lists (the
    packed payload's byte range), key → (kind, [(start, width), ...], count) for
    bytes lists (one range per element).
    """

    __slots__ = ("template", "features", "segments", "fixed_idx", "fixed_vals", "varints", "spec_ok")

    def __init__(self, template, features, payloads, varints):
        self.template = template
        self.spec_ok = {}  # feature spec (parsing._Prepared) → whether this layout serves it
        self.features = features
        self.varints = varints  # (start, width, count) of every int64 payload
        segs = []
        pos = 0
        for s, w in sorted(payloads):
            if s > pos:
                segs.append((pos, template[pos:s]))
            pos = s + w
        if pos < len(template):
            segs.append((pos, template[pos:]))
        self.segments = segs
        idx = [np.arange(p, p + len(b)) for p, b in segs]
        self.fixed_idx = np.concatenate(idx) if idx else np.zeros(0, np.intp)
        self.fixed_vals = np.frombuffer(template, np.uint8)[self.fixed_idx]


def build_layout(rec):
    """The Layout of ``rec``, or None when its structure is outside the fast path."""
    try:
        return _walk(rec)
    except _Refuse:
        return None


def _walk(rec):
    end = len(rec)
    features, payloads, varints = {}, [], []
    if end == 0:
        return Layout(rec, features, payloads, varints)
    fstart, fend = _len_field(rec, 0, end, 0x0A)
    if fend != end:
        raise _Refuse  # other top-level fields, or a second `features` (merged by protobuf)
    pos = fstart
    while pos < fend:
        estart, eend = _len_field(rec, pos, fend, 0x0A)
        kstart, kend = _len_field(rec, estart, eend, 0x0A)
        vstart, vend = _len_field(rec, kend, eend, 0x12)
        if vend != eend or vstart == vend:
            raise _Refuse  # extra entry fields, or a Feature with no kind
        try:
            key = rec[kstart:kend].decode("utf-8")
        except UnicodeDecodeError:
            raise _Refuse from None
        if key in features:
            raise _Refuse
        tag = rec[vstart]
        kind = _KIND_TAG.get(tag)
        if kind is None:
            raise _Refuse
        lstart, lend = _len_field(rec, vstart, vend, tag)
        if lend != vend:
            raise _Refuse  # a second oneof member follows
        if kind == _BYTES:
            items = []
            p = lstart
            while p < lend:
                s, e = _len_field(rec, p, lend, 0x0A)
                items.append((s, e - s))
                p = e
            payloads.extend(items)
            features[key] = (kind, items, len(items))
        else:
            if lstart == lend:
                s = w = 0
                count = 0
            else:
                s, e = _len_field(rec, lstart, lend, 0x0A)  # packed only; unpacked → general path
                if e != lend:
                    raise _Refuse
                w = e - s
                if kind == _FLOAT:
                    if w % 4:
                        raise _Refuse
                    count = w // 4
                else:
                    count = _count_varints(rec, s, e)
                    varints.append((s, w, count))
            if w:
                payloads.append((s, w))
            features[key] = (kind, s, w, count)
        pos = eend
    return Layout(rec, features, payloads, varints)


# ---------------------------------------------------------------------------
# layout cache: by record length, a few layouts each
# ---------------------------------------------------------------------------

_CACHE: dict = {}
_PER_LENGTH = 4
_MAX_LENGTHS = 512


def cached_layouts(length):
    return _CACHE.get(length, ())


# Building a layout costs a Python wire walk; on data whose layouts never repeat that is pure
# overhead, so after a few builds a new one is only made while cached layouts are being hit
# (and on every 256th miss, in case the data changes).
_STATS = {"built": 0, "hits": 0, "misses": 0}


def _may_build():
    st = _STATS
    if st["built"] < 16 or st["hits"] >= 4 * st["built"]:
        return True
    st["misses"] += 1
    return st["misses"] % 256 == 0


def remember(layout):
    _STATS["built"] += 1
    n = len(layout.template)
    lst = _CACHE.get(n)
    if lst is None:
        if len(_CACHE) >= _MAX_LENGTHS:
            _CACHE.clear()
        _CACHE[n] = [layout]
    elif len(lst) < _PER_LENGTH:
        _CACHE[n] = lst + [layout]  # copy-on-write: readers on other threads see a whole list


# ---------------------------------------------------------------------------
# varint decoding
# ---------------------------------------------------------------------------

def decode_varints(block, count):
    """Packed varint payloads, one per row of the uint8 ``block`` (R, W).

    Returns (ok rows mask, int64 values (R, count)); rows whose payload does not
    hold exactly ``count`` well-formed varints are not ok (their values are junk).
    Values wrap to 64 bits exactly as protobuf's decoder does for a 10-byte varint.
    """
    r, w = block.shape
    if w == count:  # every varint is one byte: the common case (small labels, ids)
        return (block < 0x80).all(axis=1), block.astype(np.int64)
    term = block < 0x80
    ok = (term.sum(axis=1) == count) & term[:, -1]
    pos = np.arange(w)
    starts = np.zeros_like(term)
    starts[:, 0] = True
    starts[:, 1:] = term[:, :-1]
    start_pos = np.maximum.accumulate(np.where(starts, pos, 0), axis=1)
    shift = pos - start_pos
    ok &= (shift < 10).all(axis=1)
    group = np.cumsum(starts, axis=1) - 1
    contrib = (block & 0x7F).astype(np.uint64) << (7 * np.minimum(shift, 9)).astype(np.uint64)
    vals = np.zeros((r, count), np.uint64)
    rows = np.broadcast_to(np.arange(r)[:, None], (r, w))
    inside = group < count
    for k in range(int(shift.max()) + 1 if w else 0):
        m = (shift == k) & inside
        vals[rows[m], group[m]] |= contrib[m]
    return ok, vals.view(np.int64)


def _varints_one(rec, start, width, count):
    if width == count:
        b = rec[start:start + width]
        if not b.isascii():  # isascii: every byte < 0x80, i.e. every varint is one byte
            return None
        return np.frombuffer(b, np.uint8).astype(np.int64)
    ok, vals = decode_varints(np.frombuffer(rec, np.uint8, width, start).reshape(1, width), count)
    return vals[0] if ok[0] else None


# ---------------------------------------------------------------------------
# matching
# ---------------------------------------------------------------------------

def _matches_one(rec, layout):
    for p, seg in layout.segments:
        if not rec.startswith(seg, p):
            return False
    for s, w, c in layout.varints:
        if w == c:  # one byte per varint: valid iff every byte < 0x80
            if not rec[s:s + w].isascii():
                return False
        elif _varints_one(rec, s, w, c) is None:
            return False
    return True


def match_one(rec):
    """The cached or new Layout that ``rec`` matches, or None."""
    for layout in cached_layouts(len(rec)):
        if _matches_one(rec, layout):
            _STATS["hits"] += 1
            return layout
    if not _may_build():
        return None
    layout = build_layout(rec)
    if layout is not None:
        remember(layout)
    return layout


def _match_block(block, layout):
    """Rows of ``block`` (R, L) that match ``layout``, as a boolean mask."""
    ok = (block[:, layout.fixed_idx] == layout.fixed_vals).all(axis=1)
    for s, w, c in layout.varints:
        if w:
            ok &= decode_varints(block[:, s:s + w], c)[0]
        elif c:
            ok[:] = False
    return ok


_MAX_TEMPLATES_PER_GROUP = 3


def match_batch(records):
    """Groups ``records`` (a list of bytes) by layout.

    Returns (groups, fallback rows): each group is (layout, row indices (np.intp),
    block (R, L) uint8 holding those records); fallback rows did not match any layout.
    """
    lens = np.fromiter(map(len, records), np.intp, len(records))
    if (lens == lens[0]).all():  # the common case: one length for the whole batch
        by_len = {int(lens[0]): np.arange(len(records))}
    else:
        order = np.argsort(lens, kind="stable")
        bounds = np.flatnonzero(np.diff(lens[order])) + 1
        by_len = {int(lens[g[0]]): g for g in np.split(order, bounds)}
    groups, fallback = [], []
    for length, rows in by_len.items():
        block = np.frombuffer(b"".join([records[i] for i in rows.tolist()]), np.uint8)
        block = block.reshape(len(rows), length)
        candidates = list(cached_layouts(length))
        tried_new = 0
        while len(rows):
            if not candidates:
                if tried_new >= _MAX_TEMPLATES_PER_GROUP or not _may_build():
                    break
                tried_new += 1
                layout = build_layout(records[rows[0]])
                if layout is None:
                    fallback.append(rows[:1])
                    rows, block = rows[1:], block[1:]
                    continue
                remember(layout)
                candidates = [layout]
            layout = candidates.pop(0)
            ok = _match_block(block, layout)
            if ok.any():
                _STATS["hits"] += int(ok.sum())
                groups.append((layout, rows[ok], block[ok] if not ok.all() else block))
                rows, block = rows[~ok], block[~ok]
        if len(rows):
            fallback.append(rows)
    fb = np.sort(np.concatenate(fallback)) if fallback else np.zeros(0, np.intp)
    return groups, fb


# ---------------------------------------------------------------------------
# value extraction
# ---------------------------------------------------------------------------

def values_block(layout, block, key):
    """Values of feature ``key`` for every row of ``block``: (R, count) float32/int64/object."""
    kind, a, b, count = _feature(layout, key)
    if kind == _FLOAT:
        return np.ascontiguousarray(block[:, a:a + b]).view("<f4").astype(np.float32, copy=False)
    if kind == _INT64:
        if b == count:
            return block[:, a:a + b].astype(np.int64)
        return decode_varints(block[:, a:a + b], count)[1]
    out = np.empty((block.shape[0], count), dtype=object)
    for j, (s, w) in enumerate(a):
        col = np.ascontiguousarray(block[:, s:s + w]).tobytes()
        out[:, j] = [col[i * w:(i + 1) * w] for i in range(block.shape[0])]
    return out


def values_one(layout, rec, key):
    """Values of feature ``key`` of one matching record: a fresh (count,) array."""
    kind, a, b, count = _feature(layout, key)
    if kind == _FLOAT:
        return np.frombuffer(rec, "<f4", count, a).astype(np.float32)  # astype copies: writable
    if kind == _INT64:
        return _varints_one(rec, a, b, count)
    out = np.empty(count, dtype=object)
    out[:] = [rec[s:s + w] for s, w in a]
    return out


def _feature(layout, key):
    f = layout.features[key]
    if f[0] == _BYTES:
        return f[0], f[1], None, f[2]
    return f
