"""Counting ops: ``tf.math.bincount``, ``tf.math.confusion_matrix`` and ``tf.histogram_fixed_width`` (``_bins``).

The op conventions (argument conversion, eager checks, module-level ``jax_fn``) are those of :mod:`.math_ops`.
"""

from __future__ import annotations

import builtins

import jax
import jax.numpy as jnp
import numpy as np

from tfjax._src import dispatch
from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src.ops import convert
from tfjax._src.ops.math_ops import cast
from tfjax._src.tensor import Tensor

_apply = dispatch.apply
_apply_unrecorded = dispatch.apply_unrecorded


# -- histogram-like -------------------------------------------------------------
def _bincount(arr, w, *, length, np_dtype, binary):
    flat = arr.reshape(-1)
    valid = (flat >= 0) & (flat < length)
    idx = jnp.where(valid, flat, 0)
    if binary:
        vals = valid.astype(np_dtype)
        return jnp.zeros((length,), np_dtype).at[idx].max(vals)
    vals = (w.reshape(-1) if w is not None else jnp.ones_like(flat)).astype(np_dtype)
    vals = jnp.where(valid, vals, jnp.zeros_like(vals))
    return jnp.zeros((length,), np_dtype).at[idx].add(vals)


def _bincount_w(arr, w, *, length, np_dtype, binary):
    return _bincount(arr, w, length=length, np_dtype=np_dtype, binary=binary)


def _bincount_now(arr, *, length, np_dtype, binary):
    return _bincount(arr, None, length=length, np_dtype=np_dtype, binary=binary)


def bincount(arr, weights=None, minlength=None, maxlength=None, dtype=dtypes.int32, name=None,
             axis=None, binary_output=False):
    """``tf.math.bincount`` (1-D or flattened input; ``axis=-1`` is per-row)."""
    a = convert.tensor(arr)
    if not a.dtype.is_integer:
        raise errors.invalid_argument("Bincount", f"arr must be integer, got {a.dtype.name}")
    if axis not in (None, 0, -1):
        raise errors.unsupported("tf.math.bincount(axis=...)", "only axis=None, 0 or -1")
    if convert.is_concrete(a) and np.size(a._value) and int(np.min(np.asarray(a._value))) < 0:
        raise errors.invalid_argument("Bincount", "Input arr must be non-negative!")
    if not convert.is_concrete(a) and minlength is None and maxlength is None:
        raise convert.data_dependent("tf.math.bincount", "pass minlength or maxlength")
    length = (int(np.max(np.asarray(a._value))) + 1) if convert.is_concrete(a) and np.size(a._value) else 0
    if minlength is not None:
        length = builtins.max(length, convert.static_int(minlength))
    if maxlength is not None:
        length = builtins.min(length, convert.static_int(maxlength))
    out_dtype = dtypes.as_dtype(dtype)
    if weights is not None:
        w = convert.tensor(weights)
        if w._value.size:
            out_dtype = w.dtype
    if axis == -1:
        return _bincount_rows(a, weights, length, out_dtype, binary_output)
    if weights is not None and convert.tensor(weights)._value.size:
        w = convert.tensor(weights)
        return _apply(_bincount_w, a, w, length=length, np_dtype=out_dtype._np, binary=bool(binary_output))
    return _apply_unrecorded(_bincount_now, a, length=length, np_dtype=out_dtype._np, binary=bool(binary_output))


def _bincount_rows_fn(arr, *, length, np_dtype, binary):
    return jax.vmap(lambda r: _bincount(r, None, length=length, np_dtype=np_dtype, binary=binary))(arr)


def _bincount_rows(a, weights, length, out_dtype, binary):
    if weights is not None:
        raise errors.unsupported("tf.math.bincount(axis=-1, weights=...)")
    return _apply_unrecorded(_bincount_rows_fn, a, length=length, np_dtype=out_dtype._np, binary=bool(binary))


def _confusion(labels, preds, w, *, n, np_dtype):
    idx = labels.astype(jnp.int64) * n + preds.astype(jnp.int64)
    return jnp.zeros((n * n,), np_dtype).at[idx].add(w.astype(np_dtype)).reshape(n, n)


def confusion_matrix(labels, predictions, num_classes=None, weights=None, dtype=dtypes.int32, name=None):
    l = convert.tensor(labels)
    p = convert.tensor(predictions)
    if not (l.dtype.is_integer and p.dtype.is_integer):
        l = cast(l, dtypes.int64)
        p = cast(p, dtypes.int64)
    if l._value.shape != p._value.shape:
        raise ValueError(f"Shapes {l.shape} and {p.shape} are incompatible")
    if num_classes is None:
        if not convert.is_concrete(l):
            raise convert.data_dependent("tf.math.confusion_matrix", "pass num_classes")
        n = int(builtins.max(np.max(np.asarray(l._value), initial=-1), np.max(np.asarray(p._value), initial=-1))) + 1
    else:
        n = convert.static_int(num_classes)
    if convert.is_concrete(l) and convert.is_concrete(p):
        for what, t in (("labels", l), ("predictions", p)):
            arr = np.asarray(t._value)
            if arr.size and (arr.min() < 0 or arr.max() >= n):
                raise errors.invalid_argument(
                    "assert_less", f"`{what}` out of bound Condition x < y did not hold element-wise")
    d = dtypes.as_dtype(dtype)
    w = convert.tensor(weights, dtype=d) if weights is not None else Tensor(jnp.ones(l._value.shape, d._np))
    return _apply(_confusion, l, p, w, n=n, np_dtype=d._np)


def _hist(v, lo, hi, *, nbins, np_dtype):
    v = v.reshape(-1)
    scaled = (v - lo) / (hi - lo) * nbins
    idx = jnp.clip(jnp.floor(scaled).astype(jnp.int64), 0, nbins - 1)
    return jnp.zeros((nbins,), np_dtype).at[idx].add(jnp.ones_like(idx, np_dtype))


def _hist_bins(v, lo, hi, *, nbins, np_dtype):
    scaled = (v - lo) / (hi - lo) * nbins
    return jnp.clip(jnp.floor(scaled).astype(jnp.int64), 0, nbins - 1).astype(np_dtype)


def _hist_args(values, value_range, nbins, op_name):
    v = convert.tensor(values)
    r = convert.tensor(value_range, dtype_hint=v.dtype)
    if r.dtype is not v.dtype:
        r = Tensor(r._value.astype(v._value.dtype))
    n = convert.static_int(nbins, "nbins")
    if n <= 0:
        raise errors.invalid_argument(op_name, f"nbins should be a positive number, but got '{n}'")
    if convert.is_concrete(r):
        rr = np.asarray(r._value)
        if not rr[0] < rr[1]:
            raise errors.invalid_argument(op_name, f"value_range should satisfy value_range[0] < value_range[1], "
                                          f"but got '[{rr[0]}, {rr[1]}]'")
    lo = Tensor(r._value[0].astype(np.float64))
    hi = Tensor(r._value[1].astype(np.float64))
    return Tensor(v._value.astype(np.float64)), lo, hi, n


def histogram_fixed_width(values, value_range, nbins=100, dtype=dtypes.int32, name=None):
    v, lo, hi, n = _hist_args(values, value_range, nbins, "HistogramFixedWidth")
    return dispatch.apply_unrecorded(_hist, v, lo, hi, nbins=n, np_dtype=dtypes.as_dtype(dtype)._np)


def histogram_fixed_width_bins(values, value_range, nbins=100, dtype=dtypes.int32, name=None):
    v, lo, hi, n = _hist_args(values, value_range, nbins, "HistogramFixedWidthBins")
    return dispatch.apply_unrecorded(_hist_bins, v, lo, hi, nbins=n, np_dtype=dtypes.as_dtype(dtype)._np)
