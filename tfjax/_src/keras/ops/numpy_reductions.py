"""``keras.ops`` numpy-like reductions: ``sum`` / ``mean`` / ``max`` / ..., ``argmax``, cumulative ops, ``count_nonzero``,
``bincount``, ``quantile`` / ``median``, ``average``."""

from __future__ import annotations

import builtins

import jax
import jax.numpy as jnp
import numpy as np

from tfjax._src.tensor import Tensor
from tfjax._src.keras import backend
from tfjax._src.keras.ops.core import apply, apply_unrecorded, keras_op, t, t1, np_dtype
from tfjax._src.keras.ops.numpy_base import _axis, _fdtype
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
