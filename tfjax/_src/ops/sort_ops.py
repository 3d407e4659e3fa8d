"""Sorting and searching: ``tf.sort``, ``tf.argsort``, ``tf.math.top_k``, ``in_top_k``, ``tf.searchsorted``."""

from __future__ import annotations

import collections

import jax
import jax.numpy as jnp
from jax import lax

from tfjax._src import dispatch
from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src.ops import convert
from tfjax._src.ops.math_common import kinds, bad_kind

_REAL = kinds(("float", "int"))

TopKV2 = collections.namedtuple("TopKV2", ["values", "indices"])


def _sort(x, *, axis, descending):
    if descending:
        # stable descending: sort the negated order key
        idx = _argsort_raw(x, axis=axis, descending=True, stable=True)
        return jnp.take_along_axis(x, idx, axis=axis)
    return jnp.sort(x, axis=axis)


def _argsort_raw(x, *, axis, descending, stable):
    if descending:
        if jnp.issubdtype(x.dtype, jnp.floating):
            key = -x
        elif jnp.issubdtype(x.dtype, jnp.unsignedinteger):
            key = jnp.iinfo(x.dtype).max - x
        else:
            key = -(x.astype(jnp.int64)) if x.dtype != jnp.int64 else jnp.where(x == jnp.iinfo(x.dtype).min, jnp.iinfo(x.dtype).max, -x)
        return jnp.argsort(key, axis=axis, stable=True)
    return jnp.argsort(x, axis=axis, stable=True)


def _argsort(x, *, axis, descending, stable):
    return _argsort_raw(x, axis=axis, descending=descending, stable=stable).astype(jnp.int32)


def _prep(values, axis, direction, op_name):
    x = convert.tensor(values)
    if x._value.dtype not in _REAL:
        raise bad_kind(x._value.dtype, op_name)
    if direction not in ("ASCENDING", "DESCENDING"):
        raise ValueError(f"`direction` must be one of \"ASCENDING\" or \"DESCENDING\". Received: direction={direction}")
    r = x._value.ndim
    if r == 0:
        raise ValueError("Rank of values must be >= 1")
    axis = convert.static_int(axis, "axis")
    if not -r <= axis < r:
        raise ValueError(f"Argument `axis` = {axis} not in range [{-r}, {r})")
    return x, axis % r


def sort(values, axis=-1, direction="ASCENDING", name=None):
    x, axis = _prep(values, axis, direction, "Sort")
    return dispatch.apply(_sort, x, axis=axis, descending=direction == "DESCENDING")


def argsort(values, axis=-1, direction="ASCENDING", stable=False, name=None):
    x, axis = _prep(values, axis, direction, "ArgSort")
    return dispatch.apply_unrecorded(_argsort, x, axis=axis, descending=direction == "DESCENDING", stable=True)


def _top_k(x, *, k, np_dtype):
    v, i = lax.top_k(x, k)
    return v, i.astype(np_dtype)


def top_k(input, k=1, sorted=True, index_type=dtypes.int32, name=None):  # noqa: A002 - TF names
    """``tf.math.top_k``: largest ``k`` entries of the last axis (ties: lower index first)."""
    x = convert.tensor(input)
    if x._value.dtype not in _REAL:
        raise bad_kind(x._value.dtype, "TopKV2")
    k = convert.static_int(k, "k")
    if x._value.ndim < 1:
        raise errors.invalid_argument("TopKV2", f"input must be >= 1-D, got shape {list(x._value.shape)}")
    if k < 0:
        raise errors.invalid_argument("TopKV2", f"Need k >= 0, got {k}")
    n = x._value.shape[-1]
    if n < k:
        raise errors.invalid_argument("TopKV2", f"input must have at least k columns. Had {n}, needed {k}")
    v, i = dispatch.apply(_top_k, x, k=k, np_dtype=dtypes.as_dtype(index_type)._np)
    return TopKV2(v, i)


def _in_top_k(preds, targets, *, k):
    t = targets.astype(jnp.int32)
    n = preds.shape[1]
    valid = (t >= 0) & (t < n)
    tv = jnp.take_along_axis(preds, jnp.clip(t, 0, n - 1)[:, None], axis=1)
    finite_row = jnp.all(jnp.isfinite(preds), axis=1)
    larger = jnp.sum(preds > tv, axis=1)
    return valid & finite_row & (larger < k) & jnp.isfinite(tv[:, 0])


def in_top_k(targets, predictions, k, name=None):
    """``tf.math.in_top_k(targets, predictions, k)`` (TF2 argument order)."""
    p = convert.tensor(predictions)
    t = convert.tensor(targets)
    if p.dtype is not dtypes.float32:
        raise TypeError(f"Value passed to parameter 'predictions' has DataType {p.dtype.name} not in list of allowed values: float32")
    if t.dtype not in (dtypes.int32, dtypes.int64):
        raise TypeError(f"Value passed to parameter 'targets' has DataType {t.dtype.name} not in list of allowed values: int32, int64")
    if p._value.ndim != 2:
        raise errors.invalid_argument("InTopKV2", f"predictions must be 2-dimensional")
    if t._value.ndim != 1 or t._value.shape[0] != p._value.shape[0]:
        raise errors.invalid_argument("InTopKV2", "First dimension of predictions must match length of targets")
    return dispatch.apply_unrecorded(_in_top_k, p, t, k=convert.static_int(k, "k"))


def _searchsorted(s, v, *, side, np_dtype):
    fn = lambda a, b: jnp.searchsorted(a, b, side=side)  # noqa: E731 - vmapped inline
    flat_s = s.reshape(-1, s.shape[-1])
    flat_v = v.reshape(-1, v.shape[-1])
    out = jax.vmap(fn)(flat_s, flat_v)
    return out.reshape(v.shape).astype(np_dtype)


def searchsorted(sorted_sequence, values, side="left", out_type=dtypes.int32, name=None):
    s, v = convert.binary(sorted_sequence, values, "LowerBound" if side == "left" else "UpperBound")
    if side not in ("left", "right"):
        raise ValueError(f"Argument `side` must be either 'right' or 'left'. Received: `side` = {side}.")
    if s._value.ndim < 1 or v._value.ndim < 1 or s._value.shape[:-1] != v._value.shape[:-1]:
        raise errors.invalid_argument(
            "LowerBound", "Leading dim_size of both tensors must match.")
    return dispatch.apply_unrecorded(_searchsorted, s, v, side=side, np_dtype=dtypes.as_dtype(out_type)._np)
