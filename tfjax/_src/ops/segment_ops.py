"""``tf.math.segment_*`` (sorted ids) and ``tf.math.unsorted_segment_*``."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from tfjax._src import dispatch
from tfjax._src import errors
from tfjax._src.ops import convert
from tfjax._src.ops.math_common import kinds, bad_kind

_NUM = kinds(("float", "complex", "int"))
_REAL = kinds(("float", "int"))


def _seg(data, ids, *, n, kind, empty):
    ids = ids.reshape(-1)
    flat = data
    if kind == "sum":
        return jax.ops.segment_sum(flat, ids, n)
    if kind == "prod":
        return jax.ops.segment_prod(flat, ids, n)
    if kind == "max":
        out = jax.ops.segment_max(flat, ids, n)
    else:
        out = jax.ops.segment_min(flat, ids, n)
    if empty == "zero":
        cnt = jax.ops.segment_sum(jnp.ones(ids.shape, jnp.int32), ids, n)
        cnt = cnt.reshape(cnt.shape + (1,) * (out.ndim - 1))
        out = jnp.where(cnt > 0, out, jnp.zeros_like(out))
    elif empty == "limit":
        info = jnp.finfo(out.dtype) if jnp.issubdtype(out.dtype, jnp.floating) else jnp.iinfo(out.dtype)
        cnt = jax.ops.segment_sum(jnp.ones(ids.shape, jnp.int32), ids, n)
        cnt = cnt.reshape(cnt.shape + (1,) * (out.ndim - 1))
        lim = info.min if kind == "max" else info.max
        out = jnp.where(cnt > 0, out, jnp.full_like(out, lim))
    return out


def _seg_flat(data, ids, *, n, kind, empty, k):
    """Flattens the ``k`` leading id dimensions, drops negative ids, then reduces."""
    lead = data.shape[:k]
    m = int(np.prod(lead, dtype=np.int64))
    d = data.reshape((m,) + data.shape[k:])
    i = ids.reshape(m)
    i = jnp.where(i < 0, n, i)  # out-of-range ids are dropped by jax.ops.segment_*
    return _seg(d, i, n=n, kind=kind, empty=empty)


def _seg_mean(data, ids, *, n, k, sqrt, np_dtype):
    lead = data.shape[:k]
    m = int(np.prod(lead, dtype=np.int64))
    d = data.reshape((m,) + data.shape[k:])
    i = ids.reshape(m)
    i = jnp.where(i < 0, n, i)
    s = jax.ops.segment_sum(d, i, n)
    c = jax.ops.segment_sum(jnp.ones((m,), jnp.float64), i, n)
    c = c.reshape(c.shape + (1,) * (s.ndim - 1))
    if np_dtype is None:  # sorted segment_mean: keeps the dtype (integers truncate)
        if jnp.issubdtype(s.dtype, jnp.integer):
            ci = jnp.maximum(c, 1).astype(s.dtype)
            return jnp.where(c > 0, jax.lax.div(s, ci), jnp.zeros_like(s))
        den = jnp.sqrt(c) if sqrt else c
        return jnp.where(c > 0, s / jnp.maximum(den, 1).astype(s.dtype), jnp.zeros_like(s))
    den = jnp.sqrt(c) if sqrt else c
    out = s.astype(np_dtype) / jnp.maximum(den, 1).astype(np_dtype)
    return jnp.where(c > 0, out, jnp.zeros_like(out))


def _sorted_args(data, segment_ids, op_name, allowed):
    x = convert.tensor(data)
    ids = convert.tensor(segment_ids)
    if x._value.dtype not in allowed:
        raise bad_kind(x._value.dtype, op_name)
    if not ids.dtype.is_integer:
        raise TypeError(f"segment_ids must be int32/int64, got {ids.dtype.name}")
    if ids._value.ndim != 1:
        raise errors.invalid_argument(op_name, "segment_ids should be a vector.")
    if x._value.ndim == 0 or ids._value.shape[0] != x._value.shape[0]:
        raise errors.invalid_argument(
            op_name, f"segment_ids should be the same size as dimension 0 of input.")
    if not convert.is_concrete(ids):
        raise convert.data_dependent(f"tf.math.{op_name}", "unsorted_segment_* with num_segments keeps the shape static")
    arr = np.asarray(ids._value)
    if arr.size:
        if arr.min() < 0:
            raise errors.invalid_argument(op_name, f"segment ids must be >= 0")
        if np.any(np.diff(arr) < 0):
            raise errors.invalid_argument(op_name, "segment ids are not increasing")
    n = int(arr.max()) + 1 if arr.size else 0
    return x, ids, n


def _sorted(kind, op_name, allowed=_REAL):
    empty = "zero" if kind in ("max", "min") else None

    def op(data, segment_ids, name=None):
        x, ids, n = _sorted_args(data, segment_ids, op_name, allowed)
        return dispatch.apply(_seg_flat, x, ids, n=n, kind=kind, empty=empty, k=1)
    op.__name__ = op_name
    op.__doc__ = f"``tf.math.{op_name}`` over sorted segment ids."
    return op


segment_sum = _sorted("sum", "SegmentSum", _NUM)
segment_prod = _sorted("prod", "SegmentProd", _NUM)
segment_max = _sorted("max", "SegmentMax")
segment_min = _sorted("min", "SegmentMin")


def segment_mean(data, segment_ids, name=None):
    x, ids, n = _sorted_args(data, segment_ids, "SegmentMean", _NUM)
    return dispatch.apply(_seg_mean, x, ids, n=n, k=1, sqrt=False, np_dtype=None)


def _unsorted_args(data, segment_ids, num_segments, op_name, allowed):
    x = convert.tensor(data)
    ids = convert.tensor(segment_ids)
    if x._value.dtype not in allowed:
        raise bad_kind(x._value.dtype, op_name)
    if not ids.dtype.is_integer:
        raise TypeError(f"segment_ids must be int32/int64, got {ids.dtype.name}")
    k = ids._value.ndim
    if tuple(x._value.shape[:k]) != tuple(ids._value.shape):
        raise errors.invalid_argument(
            op_name, f"data.shape = {list(x._value.shape)} does not start with segment_ids.shape = "
            f"{list(ids._value.shape)}")
    n = convert.static_int(num_segments, "num_segments")
    if n < 0:
        raise errors.invalid_argument(op_name, "Input num_segments == {n} must not be negative.")
    if convert.is_concrete(ids) and np.size(ids._value):
        arr = np.asarray(ids._value).reshape(-1)
        bad = np.flatnonzero(arr >= n)
        if bad.size:
            raise errors.invalid_argument(
                op_name, f"segment_ids[{int(bad[0])}] = {int(arr[bad[0]])} is out of range [0, {n})")
    return x, ids, n, k


def _unsorted(kind, op_name, allowed=_REAL):
    empty = "limit" if kind in ("max", "min") else None

    def op(data, segment_ids, num_segments, name=None):
        x, ids, n, k = _unsorted_args(data, segment_ids, num_segments, op_name, allowed)
        return dispatch.apply(_seg_flat, x, ids, n=n, kind=kind, empty=empty, k=k)
    op.__name__ = op_name
    op.__doc__ = f"``tf.math.{op_name}``: ids in any order; negative ids are dropped."
    return op


unsorted_segment_sum = _unsorted("sum", "UnsortedSegmentSum", _NUM)
unsorted_segment_prod = _unsorted("prod", "UnsortedSegmentProd", _NUM)
unsorted_segment_max = _unsorted("max", "UnsortedSegmentMax")
unsorted_segment_min = _unsorted("min", "UnsortedSegmentMin")


def _mean_dtype(x):
    if x.dtype.is_integer:
        return np.dtype(np.float32 if x.dtype.size <= 2 else np.float64)
    return x._value.dtype


def unsorted_segment_mean(data, segment_ids, num_segments, name=None):
    x, ids, n, k = _unsorted_args(data, segment_ids, num_segments, "UnsortedSegmentMean", _NUM)
    return dispatch.apply(_seg_mean, x, ids, n=n, k=k, sqrt=False, np_dtype=_mean_dtype(x))


def unsorted_segment_sqrt_n(data, segment_ids, num_segments, name=None):
    x, ids, n, k = _unsorted_args(data, segment_ids, num_segments, "UnsortedSegmentSqrtN", kinds(("float", "complex")))
    return dispatch.apply(_seg_mean, x, ids, n=n, k=k, sqrt=True, np_dtype=_mean_dtype(x))
