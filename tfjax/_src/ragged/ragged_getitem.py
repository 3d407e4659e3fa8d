"""``RaggedTensor.__getitem__``: ints and slices on the outer dimension, slices on ragged
dimensions, anything numpy accepts on the uniform inner dimensions (TF's rules)."""

from __future__ import annotations

import numpy as np

from tfjax._src.ragged.ragged_tensor import RaggedTensor, take, wrap
from tfjax._src.tensor import Tensor


def _index(k):
    if isinstance(k, Tensor):
        v = np.asarray(k._value)
        if v.ndim == 0 and v.dtype.kind in "iu":
            return int(v)
        raise TypeError("RaggedTensor indices must be integers, slices or Ellipsis")
    if isinstance(k, (bool, np.bool_)):
        raise ValueError("RaggedTensor indices must be integers, slices or Ellipsis, not bool")
    if isinstance(k, (int, np.integer)):
        return int(k)
    if isinstance(k, slice):
        return slice(*(None if p is None else _index(p) for p in (k.start, k.stop, k.step)))
    if k is Ellipsis:
        return k
    if k is None:
        from tfjax._src import errors  # noqa: PLC0415
        raise errors.unsupported("tf.newaxis in a RaggedTensor index")
    raise TypeError(f"Unsupported key type for RaggedTensor.__getitem__: {type(k).__name__}")


def _expand_ellipsis(keys, rank):
    if sum(k is Ellipsis for k in keys) > 1:
        raise ValueError("Only one ellipsis may be used in a RaggedTensor index")
    if Ellipsis not in keys:
        return keys
    i = keys.index(Ellipsis)
    fill = rank - (len(keys) - 1)
    return keys[:i] + [slice(None)] * max(fill, 0) + keys[i + 1:]


def getitem(rt, key):
    keys = [_index(k) for k in (key if isinstance(key, tuple) else (key,))]
    keys = _expand_ellipsis(keys, rt.shape.rank)
    if len(keys) > rt.shape.rank:
        from tfjax._src import errors  # noqa: PLC0415
        raise errors.invalid_argument(
            "StridedSlice", f"Index out of range using input dim {len(keys) - 1}; input has only "
            f"{rt.shape.rank - 1} dims (too many indices for a RaggedTensor of rank {rt.shape.rank})")
    return _outer(rt, keys) if keys else rt


def _row(rt, i):
    n = rt.nrows_static()
    if not -n <= i < n:
        raise IndexError(f"Row key {i} out of bounds")
    i %= n
    s = rt._splits_np()
    a, b = int(s[i]), int(s[i + 1])
    v = rt._values
    if isinstance(v, RaggedTensor):
        return take(v, np.arange(a, b))
    from tfjax._src.ops import array_ops  # noqa: PLC0415
    return array_ops.getitem(v, slice(a, b))


def _rows(rt, sl):
    """Rows picked by a slice of the outer dimension (a contiguous run when step is 1)."""
    n = rt.nrows_static()
    picked = np.arange(n)[sl]
    s = rt._splits_np()
    if sl.step in (None, 1):
        a = int(s[picked[0]]) if picked.size else 0
        b = int(s[picked[-1] + 1]) if picked.size else 0
        splits = s[picked[0]:picked[-1] + 2] - a if picked.size else np.zeros(1, np.int64)
        v = rt._values
        if isinstance(v, RaggedTensor):
            vals = take(v, np.arange(a, b))
        else:
            from tfjax._src.ops import array_ops  # noqa: PLC0415
            vals = array_ops.getitem(v, slice(a, b))
        return RaggedTensor._make(vals, wrap(splits.astype(rt.row_splits_dtype._np)), rt._uniform_row_length)
    out = take(rt, picked)
    out._uniform_row_length = rt._uniform_row_length
    return out


def _outer(rt, keys):
    k, rest = keys[0], keys[1:]
    if isinstance(k, int):
        row = _row(rt, k)
        if not rest:
            return row
        if isinstance(row, RaggedTensor):
            return _outer(row, rest)
        from tfjax._src.ops import array_ops  # noqa: PLC0415
        return array_ops.getitem(row, tuple(rest))
    rows = _rows(rt, k)
    return _inner(rows, rest) if rest else rows


def _inner(rt, keys):
    """Applies ``keys`` to axes 1.. of ``rt`` (axis 0 is kept whole)."""
    k, rest = keys[0], keys[1:]
    if rt._uniform_row_length is not None and isinstance(k, int):
        w = rt._uniform_row_length
        if not -w <= k < w:
            raise IndexError(f"Index {k} out of bounds for a dimension of size {w}")
        picked = np.arange(rt.nrows_static()) * w + (k % w)
        vals = take(rt._values, picked)
        return _apply_rest(vals, rest)
    if isinstance(k, int):
        raise ValueError("Cannot index into an inner ragged dimension.")
    s = rt._splits_np()
    sel, lengths = [], []
    for a, b in zip(s[:-1], s[1:]):
        picked = np.arange(a, b)[k]
        sel.append(picked)
        lengths.append(picked.size)
    sel = np.concatenate(sel) if sel else np.zeros(0, np.int64)
    vals = take(rt._values, sel)
    vals = _apply_rest(vals, rest)
    splits = np.concatenate([[0], np.cumsum(lengths)]).astype(rt.row_splits_dtype._np)
    return RaggedTensor._make(vals, wrap(splits))


def _apply_rest(vals, rest):
    if not rest:
        return vals
    if isinstance(vals, RaggedTensor):
        return _inner(vals, rest)
    from tfjax._src.ops import array_ops  # noqa: PLC0415
    return array_ops.getitem(vals, (slice(None),) + tuple(rest))
