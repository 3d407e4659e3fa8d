"""``keras.ops`` numpy-like reductions: ``sum`` / ``mean`` / ``max`` / ..., ``argmax``, cumulative ops, ``count_nonzero``,
``bincount``, ``quantile`` / ``median``, ``average``."""

from __future__ import annotations

import builtins

import jax
import jax.numpy as jnp
import numpy as np

from tfjax._src.tensor import Tensor
from tfjax._src.keras import backend
from tfjax._src.keras.ops.core import apply, apply_unrecorded, keras_op, t, t1, cast, np_dtype
from tfjax._src.keras.ops.numpy_base import _axis, _fdtype, _float_dt, _floatx, _res_float
from tfjax._src.keras.ops.numpy_elementwise import divide, maximum, minimum, multiply
from tfjax._src.ops.reduction_ops import _all, _any  # same jax_fns as tf.reduce_all/any


# -- reductions ------------------------------------------------------------------

def _red(jfn):
    def f(x, *, axis, keepdims, dtype):
        return jfn(x, axis=axis, keepdims=keepdims, dtype=dtype)
    return f


_sum = _red(jnp.sum)
_prod = _red(jnp.prod)


def _mean(x, *, axis, keepdims, dtype):
    return jnp.mean(x, axis=axis, keepdims=keepdims).astype(dtype)


def _max(x, *, axis, keepdims):
    return jnp.max(x, axis=axis, keepdims=keepdims)


def _min(x, *, axis, keepdims):
    return jnp.min(x, axis=axis, keepdims=keepdims)


def _var(x, *, axis, keepdims):
    return jnp.var(x, axis=axis, keepdims=keepdims)


def _std(x, *, axis, keepdims):
    return jnp.std(x, axis=axis, keepdims=keepdims)


def _logsumexp(x, *, axis, keepdims):
    return jax.nn.logsumexp(x, axis=axis, keepdims=keepdims)


def _sum_dtype(x):
    d = x._value.dtype
    if d == np.bool_:
        return np.dtype(np.int32)
    if jnp.issubdtype(d, jnp.integer) and d.itemsize < 4:
        return np.dtype(np.int32)
    return d


@keras_op
def sum(x, axis=None, keepdims=False):  # noqa: A001
    x = t1(x)
    return apply(_sum, x, axis=_axis(axis), keepdims=bool(keepdims), dtype=_sum_dtype(x))


@keras_op
def prod(x, axis=None, keepdims=False, dtype=None):
    x = t1(x)
    return apply(_prod, x, axis=_axis(axis), keepdims=bool(keepdims),
                 dtype=np_dtype(dtype) if dtype else _sum_dtype(x))


@keras_op
def mean(x, axis=None, keepdims=False):
    x = t1(x)
    d = x._value.dtype
    out = d if jnp.issubdtype(d, jnp.inexact) else np_dtype(backend.floatx())
    return apply(_mean, x, axis=_axis(axis), keepdims=bool(keepdims), dtype=np.dtype(out))


@keras_op
def max(x, axis=None, keepdims=False, initial=None):  # noqa: A001
    out = apply(_max, t1(x), axis=_axis(axis), keepdims=bool(keepdims))
    return out if initial is None else maximum(out, initial)


amax = max


@keras_op
def min(x, axis=None, keepdims=False, initial=None):  # noqa: A001
    out = apply(_min, t1(x), axis=_axis(axis), keepdims=bool(keepdims))
    return out if initial is None else minimum(out, initial)


amin = min


@keras_op
def any(x, axis=None, keepdims=False):  # noqa: A001
    return apply_unrecorded(_any, t1(x), axis=_axis(axis), keepdims=bool(keepdims))


@keras_op
def all(x, axis=None, keepdims=False):  # noqa: A001
    return apply_unrecorded(_all, t1(x), axis=_axis(axis), keepdims=bool(keepdims))


@keras_op
def var(x, axis=None, keepdims=False):
    return apply(_var, _fdtype(t1(x)), axis=_axis(axis), keepdims=bool(keepdims))


@keras_op
def std(x, axis=None, keepdims=False):
    return apply(_std, _fdtype(t1(x)), axis=_axis(axis), keepdims=bool(keepdims))


@keras_op
def logsumexp(x, axis=None, keepdims=False):
    return apply(_logsumexp, _fdtype(t1(x)), axis=_axis(axis), keepdims=bool(keepdims))


def _argmax(x, *, axis, keepdims):
    return jnp.argmax(x, axis=axis, keepdims=keepdims).astype(np.int32)


def _argmin(x, *, axis, keepdims):
    return jnp.argmin(x, axis=axis, keepdims=keepdims).astype(np.int32)


@keras_op
def argmax(x, axis=None, keepdims=False):
    return apply_unrecorded(_argmax, t1(x), axis=_axis(axis), keepdims=bool(keepdims))


@keras_op
def argmin(x, axis=None, keepdims=False):
    return apply_unrecorded(_argmin, t1(x), axis=_axis(axis), keepdims=bool(keepdims))


def _cumsum(x, *, axis, dtype):
    return jnp.cumsum(x, axis=axis, dtype=dtype)


def _cumprod(x, *, axis, dtype):
    return jnp.cumprod(x, axis=axis, dtype=dtype)


@keras_op
def cumsum(x, axis=None, dtype=None):
    x = t1(x)
    return apply(_cumsum, x, axis=axis, dtype=np_dtype(dtype) if dtype else _sum_dtype(x))


@keras_op
def cumprod(x, axis=None, dtype=None):
    x = t1(x)
    return apply(_cumprod, x, axis=axis, dtype=np_dtype(dtype) if dtype else _sum_dtype(x))


def _count_nonzero(x, *, axis):
    return jnp.count_nonzero(x, axis=axis).astype(np.int32)


@keras_op
def count_nonzero(x, axis=None):
    return apply_unrecorded(_count_nonzero, t1(x), axis=_axis(axis))


def _bincount(x, w, *, length):
    return jnp.bincount(x, w, length=length)


def _bincount_nw(x, *, length):
    return jnp.bincount(x, length=length).astype(np.int32)


def bincount(x, weights=None, minlength=0, sparse=False):
    x = t1(x)
    length = builtins.max(int(minlength), int(np.asarray(x).max()) + 1 if x._value.size else 0)
    if weights is None:
        return apply_unrecorded(_bincount_nw, x, length=length)
    return apply(_bincount, x, t1(weights), length=length)


@keras_op
def quantile(x, q, axis=None, method="linear", keepdims=False):
    return Tensor(jnp.quantile(t1(x)._value, t(q)._value, axis=_axis(axis), method=method, keepdims=keepdims))


def _median(x, *, axis, keepdims):
    return jnp.median(x, axis=axis, keepdims=keepdims)


@keras_op
def median(x, axis=None, keepdims=False):
    return apply(_median, _fdtype(t1(x)), axis=_axis(axis), keepdims=keepdims)


@keras_op
def average(x, axis=None, weights=None):
    if weights is None:
        return mean(x, axis=axis)
    x, w = t1(x), t1(weights)
    return divide(sum(multiply(x, w), axis=axis), sum(w, axis=axis))


# -- ``ptp``, nan-reductions, percentiles, ``trapezoid``, ``corrcoef``, ``histogram`` ------------------------

def _ptp(x, *, axis, keepdims):
    return jnp.max(x, axis=axis, keepdims=keepdims) - jnp.min(x, axis=axis, keepdims=keepdims)


@keras_op
def ptp(x, axis=None, keepdims=False):
    return apply(_ptp, t1(x), axis=_axis(axis), keepdims=bool(keepdims))


def _nanred(kind):
    def f(x, *, axis, keepdims):
        return getattr(jnp, kind)(x, axis=axis, keepdims=keepdims)
    f.__name__ = "_" + kind
    f.__qualname__ = "_" + kind
    return f


def _nansum_f(x, *, axis, keepdims):
    return jnp.nansum(x, axis=axis, keepdims=keepdims, dtype=x.dtype)


def _nanprod_f(x, *, axis, keepdims):
    return jnp.nanprod(x, axis=axis, keepdims=keepdims, dtype=x.dtype)
_nanmax_f = _nanred("nanmax")
_nanmin_f = _nanred("nanmin")
_nanmean_f = _nanred("nanmean")
_nanvar_f = _nanred("nanvar")
_nanstd_f = _nanred("nanstd")


def _empty_axis(axis):
    return axis == () or axis == []


def _sum_dt(d):
    d = np.dtype(d)
    if d == np.bool_ or (jnp.issubdtype(d, jnp.integer) and d.itemsize < 4):
        return np.dtype(np.int32)
    return d


@keras_op
def nansum(x, axis=None, keepdims=False):
    x = t1(x)
    x = cast(x, _sum_dt(x._value.dtype))
    return apply(_nansum_f, x, axis=_axis(axis), keepdims=bool(keepdims))


@keras_op
def nanprod(x, axis=None, keepdims=False):
    x = t1(x)
    x = cast(x, _sum_dt(x._value.dtype))
    return apply(_nanprod_f, x, axis=_axis(axis), keepdims=bool(keepdims))


@keras_op
def nanmax(x, axis=None, keepdims=False):
    return apply(_nanmax_f, t1(x), axis=_axis(axis), keepdims=bool(keepdims))


@keras_op
def nanmin(x, axis=None, keepdims=False):
    return apply(_nanmin_f, t1(x), axis=_axis(axis), keepdims=bool(keepdims))


@keras_op
def nanmean(x, axis=None, keepdims=False):
    x = t1(x)
    if _empty_axis(axis):
        return x
    return apply(_nanmean_f, cast(x, _float_dt(x._value.dtype, np.float32)), axis=_axis(axis),
                 keepdims=bool(keepdims))


@keras_op
def nanvar(x, axis=None, keepdims=False):
    x = t1(x)
    return apply(_nanvar_f, cast(x, _float_dt(x._value.dtype, np.float32)), axis=_axis(axis),
                 keepdims=bool(keepdims))


@keras_op
def nanstd(x, axis=None, keepdims=False):
    x = t1(x)
    return apply(_nanstd_f, cast(x, _float_dt(x._value.dtype, np.float32)), axis=_axis(axis),
                 keepdims=bool(keepdims))


def _nanarg(x, *, axis, keepdims, kind):
    if not jnp.issubdtype(x.dtype, jnp.floating):
        f = jnp.argmax if kind == "max" else jnp.argmin
        return f(x, axis=axis, keepdims=keepdims).astype(jnp.int32)
    nan = jnp.isnan(x)
    fill = -jnp.inf if kind == "max" else jnp.inf
    f = jnp.argmax if kind == "max" else jnp.argmin
    r = f(jnp.where(nan, fill, x), axis=axis, keepdims=keepdims).astype(jnp.int32)
    return jnp.where(jnp.all(nan, axis=axis, keepdims=keepdims), -1, r)


@keras_op
def nanargmax(x, axis=None, keepdims=False):
    return apply_unrecorded(_nanarg, t1(x), axis=_axis(axis), keepdims=bool(keepdims), kind="max")


@keras_op
def nanargmin(x, axis=None, keepdims=False):
    return apply_unrecorded(_nanarg, t1(x), axis=_axis(axis), keepdims=bool(keepdims), kind="min")


def _nancum(x, *, axis, kind, dtype):
    return getattr(jnp, kind)(x, axis=axis, dtype=dtype)


@keras_op
def nancumsum(x, axis=None, dtype=None):
    x = t1(x)
    return apply(_nancum, x, axis=axis, kind="nancumsum",
                 dtype=np_dtype(dtype) if dtype else _sum_dt(x._value.dtype))


@keras_op
def nancumprod(x, axis=None, dtype=None):
    x = t1(x)
    return apply(_nancum, x, axis=axis, kind="nancumprod",
                 dtype=np_dtype(dtype) if dtype else _sum_dt(x._value.dtype))


def _quantile_impl(x, q, *, axis, method, keepdims, nan, dtype):
    f = jnp.nanquantile if nan else jnp.quantile
    return f(x.astype(dtype), q.astype(dtype), axis=axis, method=method, keepdims=keepdims).astype(dtype)


def _qdtype(x):
    d = x._value.dtype
    if d == np.int64:
        return np.dtype(np.float64)
    if jnp.issubdtype(d, jnp.floating):
        return d
    return _floatx()


def _quant(x, q, axis, method, keepdims, nan, scale=1.0):
    x = t1(x)
    d = _qdtype(x)
    q = t(q, d)
    if scale != 1.0:
        from tfjax._src.keras.ops.numpy_elementwise import divide  # noqa: PLC0415
        q = divide(q, 100.0)
    return apply(_quantile_impl, x, q, axis=_axis(axis), method=method, keepdims=bool(keepdims), nan=nan, dtype=d)


@keras_op
def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    return _quant(x, q, axis, method, keepdims, True)


@keras_op
def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    return _quant(x, q, axis, method, keepdims, True, 100.0)


@keras_op
def percentile(x, q, axis=None, method="linear", keepdims=False):
    return _quant(x, q, axis, method, keepdims, False, 100.0)


@keras_op
def nanmedian(x, axis=None, keepdims=False):
    x = t1(x)
    if _empty_axis(axis):
        return x
    return nanquantile(x, 0.5, axis=axis, keepdims=keepdims)


def _trapezoid(y, dx, *, axis):
    y = jnp.moveaxis(y, axis, -1)
    if dx.ndim:
        dx = jnp.moveaxis(dx, axis, -1)
    return jnp.sum(0.5 * (y[..., 1:] + y[..., :-1]) * dx, axis=-1)


@keras_op
def trapezoid(y, x=None, dx=1.0, axis=-1):
    y = t1(y)
    d = _res_float(y)
    y = cast(y, d)
    if x is None:
        dxa = t(dx, d)
    else:
        from tfjax._src.keras.ops.numpy_elementwise import diff  # noqa: PLC0415
        dxa = diff(t(x, d), axis=axis)
    return apply(_trapezoid, y, dxa, axis=int(axis))


def _corrcoef(x):
    m = jnp.mean(x, axis=-1, keepdims=True)
    xc = x - m
    n = jnp.asarray(x.shape[-1], x.dtype)
    cov = jnp.matmul(xc, jnp.conj(jnp.swapaxes(xc, -1, -2))) / (n - 1)
    sd = jnp.sqrt(jnp.real(jnp.diagonal(cov)))
    c = cov / jnp.outer(sd, sd).astype(cov.dtype)
    return jnp.clip(jnp.real(c), -1.0, 1.0).astype(c.dtype) if not jnp.iscomplexobj(c) else c


@keras_op
def corrcoef(x):
    x = t1(x)
    d = x._value.dtype
    if d == np.bool_ or (jnp.issubdtype(d, jnp.integer) and d != np.int64):
        x = cast(x, _floatx())
    return apply(_corrcoef, x)


@keras_op
def histogram(x, bins=10, range=None):  # noqa: A002
    x = t1(x)
    a = np.asarray(x._value)
    if range is None:
        lo, hi = a.min(), a.max()
    else:
        lo, hi = range
    edges = np.asarray(jnp.linspace(jnp.asarray(lo, jnp.float32) if not isinstance(lo, np.generic) else lo,
                                    hi, int(bins) + 1)).astype(a.dtype)
    sel = a[(a >= lo) & (a <= hi)]
    idx = np.searchsorted(edges[1:-1], sel, side="right")
    counts = np.bincount(idx, minlength=int(bins)).astype(a.dtype)
    return Tensor(jnp.asarray(counts)), Tensor(jnp.asarray(edges))
