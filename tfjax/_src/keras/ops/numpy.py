"""``keras.ops`` numpy-like ops over tfjax dispatch (see :mod:`.core`)."""

from __future__ import annotations

import builtins
import math as _pymath

import jax
import jax.numpy as jnp
import numpy as np

from tfjax._src.tensor import Tensor
from tfjax._src.keras import backend
from tfjax._src.keras.ops.core import (
    apply, apply_unrecorded, keras_op, t, t1, cast, np_dtype, convert_to_tensor, stack_list,
)


def _axis(axis):
    if axis is None:
        return None
    if isinstance(axis, (list, tuple)):
        return tuple(int(a) for a in axis)
    return int(axis)


def _fdtype(x):
    """Keras: int inputs of float ops compute in floatx."""
    d = x._value.dtype
    if jnp.issubdtype(d, jnp.floating) or jnp.issubdtype(d, jnp.complexfloating):
        return x
    return cast(x, backend.floatx())


def _make_unary(jfn, name, to_float=False):
    def op(x):
        x = t1(x)
        if to_float:
            x = _fdtype(x)
        return apply(jfn, x)
    op.__name__ = name
    return keras_op(op)


def _make_binary(jfn, name, unrecorded=False):
    runner = apply_unrecorded if unrecorded else apply

    def op(x1, x2):
        a, b = t(x1), t(x2)
        return runner(jfn, a, b)
    op.__name__ = name
    return keras_op(op)


abs = _make_unary(jnp.abs, "abs")  # noqa: A001
absolute = abs
negative = _make_unary(jnp.negative, "negative")
exp = _make_unary(jnp.exp, "exp", True)
exp2 = _make_unary(jnp.exp2, "exp2", True)
expm1 = _make_unary(jnp.expm1, "expm1", True)
log = _make_unary(jnp.log, "log", True)
log1p = _make_unary(jnp.log1p, "log1p", True)
log2 = _make_unary(jnp.log2, "log2", True)
log10 = _make_unary(jnp.log10, "log10", True)
sqrt = _make_unary(jnp.sqrt, "sqrt", True)
square = _make_unary(jnp.square, "square")
sin = _make_unary(jnp.sin, "sin", True)
cos = _make_unary(jnp.cos, "cos", True)
tan = _make_unary(jnp.tan, "tan", True)
arcsin = _make_unary(jnp.arcsin, "arcsin", True)
arccos = _make_unary(jnp.arccos, "arccos", True)
arctan = _make_unary(jnp.arctan, "arctan", True)
sinh = _make_unary(jnp.sinh, "sinh", True)
cosh = _make_unary(jnp.cosh, "cosh", True)
tanh = _make_unary(jnp.tanh, "tanh", True)
arcsinh = _make_unary(jnp.arcsinh, "arcsinh", True)
arccosh = _make_unary(jnp.arccosh, "arccosh", True)
arctanh = _make_unary(jnp.arctanh, "arctanh", True)
floor = _make_unary(jnp.floor, "floor")
ceil = _make_unary(jnp.ceil, "ceil")
sign = _make_unary(jnp.sign, "sign")
reciprocal = _make_unary(jnp.reciprocal, "reciprocal", True)
logical_not = _make_unary(jnp.logical_not, "logical_not")
isnan = _make_unary(jnp.isnan, "isnan")
isinf = _make_unary(jnp.isinf, "isinf")
isfinite = _make_unary(jnp.isfinite, "isfinite")
real = _make_unary(jnp.real, "real")
imag = _make_unary(jnp.imag, "imag")
conj = _make_unary(jnp.conj, "conj")
conjugate = conj
trunc = _make_unary(jnp.trunc, "trunc")

add = _make_binary(jnp.add, "add")
subtract = _make_binary(jnp.subtract, "subtract")
multiply = _make_binary(jnp.multiply, "multiply")
power = _make_binary(jnp.power, "power")
maximum = _make_binary(jnp.maximum, "maximum")
minimum = _make_binary(jnp.minimum, "minimum")
mod = _make_binary(jnp.mod, "mod")
floor_divide = _make_binary(jnp.floor_divide, "floor_divide")
arctan2 = _make_binary(jnp.arctan2, "arctan2")
equal = _make_binary(jnp.equal, "equal", True)
not_equal = _make_binary(jnp.not_equal, "not_equal", True)
less = _make_binary(jnp.less, "less", True)
less_equal = _make_binary(jnp.less_equal, "less_equal", True)
greater = _make_binary(jnp.greater, "greater", True)
greater_equal = _make_binary(jnp.greater_equal, "greater_equal", True)
logical_and = _make_binary(jnp.logical_and, "logical_and", True)
logical_or = _make_binary(jnp.logical_or, "logical_or", True)
logical_xor = _make_binary(jnp.logical_xor, "logical_xor", True)
bitwise_and = _make_binary(jnp.bitwise_and, "bitwise_and", True)
bitwise_or = _make_binary(jnp.bitwise_or, "bitwise_or", True)
bitwise_xor = _make_binary(jnp.bitwise_xor, "bitwise_xor", True)


def _true_divide(a, b):
    return jnp.true_divide(a, b)


@keras_op
def divide(x1, x2):
    a, b = t(x1), t(x2)
    if not jnp.issubdtype(jnp.result_type(a._value, b._value), jnp.inexact):
        a, b = _fdtype(a), _fdtype(b)
    return apply(_true_divide, a, b)


true_divide = divide


def _divide_no_nan(a, b):
    safe = jnp.where(b == 0, jnp.ones_like(b), b)
    return jnp.where(b == 0, jnp.zeros_like(a / safe), a / safe)


@keras_op
def divide_no_nan(x1, x2):
    return apply(_divide_no_nan, t(x1), t(x2))


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


def _any(x, *, axis, keepdims):
    return jnp.any(x, axis=axis, keepdims=keepdims)


def _all(x, *, axis, keepdims):
    return jnp.all(x, axis=axis, keepdims=keepdims)


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


# -- shape manipulation ---------------------------------------------------------

def _reshape(x, *, shape):
    return jnp.reshape(x, shape)


def _static_ints(shape):
    if isinstance(shape, (Tensor,)):
        return tuple(int(s) for s in np.asarray(shape))
    if isinstance(shape, int):
        return (shape,)
    return tuple(-1 if s is None else int(s) for s in shape)


@keras_op
def reshape(x, newshape):
    return apply(_reshape, t1(x), shape=_static_ints(newshape))


def _transpose(x, *, axes):
    return jnp.transpose(x, axes)


@keras_op
def transpose(x, axes=None):
    return apply(_transpose, t1(x), axes=None if axes is None else tuple(int(a) for a in axes))


def _expand_dims(x, *, axis):
    return jnp.expand_dims(x, axis)


@keras_op
def expand_dims(x, axis):
    return apply(_expand_dims, t1(x), axis=_axis(axis))


def _squeeze(x, *, axis):
    return jnp.squeeze(x, axis)


@keras_op
def squeeze(x, axis=None):
    return apply(_squeeze, t1(x), axis=_axis(axis))


def _concat(*xs, axis):
    return jnp.concatenate(xs, axis=axis)


def _promote(ts):
    rt = jnp.result_type(*[e._value for e in ts])
    return [e if e._value.dtype == rt else cast(e, rt) for e in ts]


@keras_op
def concatenate(xs, axis=0):
    ts = _promote([t1(x) for x in xs])
    if axis is None:
        ts = [reshape(x, (-1,)) for x in ts]
        axis = 0
    return apply(_concat, *ts, axis=int(axis))


concat = concatenate


@keras_op
def stack(x, axis=0):
    ts = _promote([t1(e) for e in x])
    return apply(_stack, *ts, axis=int(axis))


def _stack(*xs, axis):
    return jnp.stack(xs, axis=axis)


def _unstack(x, *, axis, num):
    return tuple(jnp.moveaxis(x, axis, 0)[i] for i in range(num))


@keras_op
def unstack(x, num=None, axis=0):
    x = t1(x)
    n = x._value.shape[axis]
    return list(apply(_unstack, x, axis=int(axis), num=int(n)))


def _split(x, *, indices, axis):
    return tuple(jnp.split(x, indices, axis=axis))


@keras_op
def split(x, indices_or_sections, axis=0):
    x = t1(x)
    if isinstance(indices_or_sections, int):
        n = x._value.shape[axis]
        step = n // indices_or_sections
        idx = tuple(step * i for i in range(1, indices_or_sections))
    else:
        idx = tuple(int(i) for i in indices_or_sections)
    return list(apply(_split, x, indices=idx, axis=int(axis)))


def _tile(x, *, reps):
    return jnp.tile(x, reps)


@keras_op
def tile(x, repeats):
    return apply(_tile, t1(x), reps=_static_ints(repeats))


def _repeat(x, *, repeats, axis):
    return jnp.repeat(x, repeats, axis=axis)


@keras_op
def repeat(x, repeats, axis=None):
    return apply(_repeat, t1(x), repeats=int(repeats) if not isinstance(repeats, (list, tuple)) else tuple(repeats),
                 axis=axis)


def _broadcast_to(x, *, shape):
    return jnp.broadcast_to(x, shape)


@keras_op
def broadcast_to(x, shape):
    return apply(_broadcast_to, t1(x), shape=_static_ints(shape))


def _moveaxis(x, *, source, destination):
    return jnp.moveaxis(x, source, destination)


@keras_op
def moveaxis(x, source, destination):
    return apply(_moveaxis, t1(x), source=_axis(source), destination=_axis(destination))


def _swapaxes(x, *, a, b):
    return jnp.swapaxes(x, a, b)


@keras_op
def swapaxes(x, axis1, axis2):
    return apply(_swapaxes, t1(x), a=int(axis1), b=int(axis2))


def _flip(x, *, axis):
    return jnp.flip(x, axis)


@keras_op
def flip(x, axis=None):
    return apply(_flip, t1(x), axis=_axis(axis))


def _roll(x, *, shift, axis):
    return jnp.roll(x, shift, axis)


@keras_op
def roll(x, shift, axis=None):
    return apply(_roll, t1(x), shift=shift if isinstance(shift, int) else tuple(shift), axis=_axis(axis))


def _pad(x, *, pad_width, mode, constant_values):
    if mode == "constant":
        return jnp.pad(x, pad_width, mode="constant", constant_values=constant_values)
    return jnp.pad(x, pad_width, mode=mode)


@keras_op
def pad(x, pad_width, mode="constant", constant_values=None):
    x = t1(x)
    pw = np.asarray(pad_width, dtype=np.int64)
    if pw.ndim == 1:
        pw = np.tile(pw, (x.ndim, 1))
    pw = tuple(tuple(int(v) for v in row) for row in pw)
    return apply(_pad, x, pad_width=pw, mode=mode, constant_values=0 if constant_values is None else constant_values)


@keras_op
def ravel(x):
    return reshape(x, (-1,))


def _take(x, idx, *, axis):
    return jnp.take(x, idx, axis=axis)


@keras_op
def take(x, indices, axis=None):
    x = t1(x)
    idx = t1(indices)
    if not jnp.issubdtype(idx._value.dtype, jnp.integer):
        idx = cast(idx, "int32")
    return apply(_take, x, idx, axis=axis)


def _take_along_axis(x, idx, *, axis):
    return jnp.take_along_axis(x, idx, axis=axis)


@keras_op
def take_along_axis(x, indices, axis=None):
    return apply(_take_along_axis, t1(x), t1(indices), axis=axis)


def _where(c, a, b):
    return jnp.where(c, a, b)


def _where1(c):
    return jnp.nonzero(c)


@keras_op
def where(condition, x1=None, x2=None):
    c = t1(condition)
    if x1 is None and x2 is None:
        return list(apply_unrecorded(_where1, c))
    a, b = t(x1), t(x2)
    return apply(_where, c, a, b)


def _clip(x, lo, hi):
    return jnp.clip(x, lo, hi)


@keras_op
def clip(x, x_min, x_max):
    x = t1(x)
    return apply(_clip, x, t(x_min), t(x_max))


def _matmul(a, b):
    return jnp.matmul(a, b)


@keras_op
def matmul(x1, x2):
    a, b = t1(x1), t1(x2)
    if a._value.dtype != b._value.dtype:
        a, b = _promote([a, b])
    return apply(_matmul, a, b)


def _dot(a, b):
    return jnp.dot(a, b)


@keras_op
def dot(x1, x2):
    return apply(_dot, *_promote([t1(x1), t1(x2)]))


def _tensordot(a, b, *, axes):
    return jnp.tensordot(a, b, axes)


@keras_op
def tensordot(x1, x2, axes=2):
    if not isinstance(axes, int):
        axes = tuple(tuple(a) if isinstance(a, (list, tuple)) else a for a in axes)
    return apply(_tensordot, *_promote([t1(x1), t1(x2)]), axes=axes)


def _einsum(*xs, subscripts):
    return jnp.einsum(subscripts, *xs)


@keras_op
def einsum(subscripts, *operands):
    return apply(_einsum, *_promote([t1(x) for x in operands]), subscripts=subscripts)


def _outer(a, b):
    return jnp.outer(a, b)


@keras_op
def outer(x1, x2):
    return apply(_outer, *_promote([t1(x1), t1(x2)]))


def _sort(x, *, axis):
    return jnp.sort(x, axis=axis)


@keras_op
def sort(x, axis=-1):
    return apply(_sort, t1(x), axis=axis)


def _argsort(x, *, axis):
    return jnp.argsort(x, axis=axis).astype(np.int32)


@keras_op
def argsort(x, axis=-1):
    return apply_unrecorded(_argsort, t1(x), axis=axis)


def _triu(x, *, k):
    return jnp.triu(x, k)


def _tril(x, *, k):
    return jnp.tril(x, k)


@keras_op
def triu(x, k=0):
    return apply(_triu, t1(x), k=int(k))


@keras_op
def tril(x, k=0):
    return apply(_tril, t1(x), k=int(k))


def _round(x, *, decimals):
    return jnp.round(x, decimals)


@keras_op
def round(x, decimals=0):  # noqa: A001
    return apply(_round, t1(x), decimals=int(decimals))


def _nan_to_num(x, *, nan, posinf, neginf):
    return jnp.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)


@keras_op
def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    return apply(_nan_to_num, t1(x), nan=nan, posinf=posinf, neginf=neginf)


def _diag(x, *, k):
    return jnp.diag(x, k)


@keras_op
def diag(x, k=0):
    return apply(_diag, t1(x), k=int(k))


def _trace(x, *, offset, axis1, axis2):
    return jnp.trace(x, offset, axis1, axis2)


@keras_op
def trace(x, offset=0, axis1=0, axis2=1):
    return apply(_trace, t1(x), offset=offset, axis1=axis1, axis2=axis2)


def _norm(x, *, ord, axis, keepdims):
    return jnp.linalg.norm(x, ord=ord, axis=axis, keepdims=keepdims)


def norm(x, ord=None, axis=None, keepdims=False):  # noqa: A002
    return keras_op(lambda x: apply(_norm, _fdtype(t1(x)), ord=ord, axis=_axis(axis), keepdims=keepdims))(x)


# -- creation ---------------------------------------------------------------------

def _dt(dtype, default=None):
    return np_dtype(dtype if dtype is not None else (default or backend.floatx()))


def zeros(shape, dtype=None):
    return Tensor(jnp.zeros(_static_ints(shape), _dt(dtype)))


def ones(shape, dtype=None):
    return Tensor(jnp.ones(_static_ints(shape), _dt(dtype)))


def full(shape, fill_value, dtype=None):
    fv = t(fill_value)
    d = _dt(dtype) if dtype is not None else (
        fv._value.dtype if not isinstance(fill_value, (int, float)) else
        (np.dtype(np.int32) if isinstance(fill_value, int) else _dt(None)))
    return apply(_full, cast(fv, d), shape=_static_ints(shape))


def _full(v, *, shape):
    return jnp.broadcast_to(v, shape)


@keras_op
def zeros_like(x, dtype=None):
    x = t1(x)
    return Tensor(jnp.zeros(x._value.shape, np_dtype(dtype) if dtype else x._value.dtype))


@keras_op
def ones_like(x, dtype=None):
    x = t1(x)
    return Tensor(jnp.ones(x._value.shape, np_dtype(dtype) if dtype else x._value.dtype))


@keras_op
def full_like(x, fill_value, dtype=None):
    x = t1(x)
    return full(x._value.shape, fill_value, dtype or x._value.dtype)


def arange(start, stop=None, step=1, dtype=None):
    if dtype is None:
        vals = [v for v in (start, stop, step) if v is not None]
        dtype = "float32" if builtins.any(isinstance(v, float) for v in vals) else "int32"
    s = [int(v) if isinstance(v, Tensor) and jnp.issubdtype(v._value.dtype, jnp.integer) else v
         for v in (start, stop, step)]
    return Tensor(jnp.arange(s[0], s[1], s[2], dtype=np_dtype(dtype)))


def eye(N, M=None, k=0, dtype=None):  # noqa: N803
    return Tensor(jnp.eye(int(N), None if M is None else int(M), int(k), dtype=_dt(dtype)))


identity = lambda n, dtype=None: eye(n, dtype=dtype)  # noqa: E731


def tri(N, M=None, k=0, dtype=None):  # noqa: N803
    return Tensor(jnp.tri(N, M, k, dtype=_dt(dtype)))


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    return Tensor(jnp.linspace(start, stop, num, endpoint=endpoint, dtype=_dt(dtype), axis=axis))


@keras_op
def array(x, dtype=None):
    return convert_to_tensor(x, dtype)


@keras_op
def copy(x):
    from tfjax._src.ops import array_ops  # noqa: PLC0415
    return array_ops.identity(t1(x))


@keras_op
def size(x):
    return int(np.prod(t1(x)._value.shape))


@keras_op
def ndim(x):
    return t1(x).ndim


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


def _square_sum(x):
    return x


@keras_op
def average(x, axis=None, weights=None):
    if weights is None:
        return mean(x, axis=axis)
    x, w = t1(x), t1(weights)
    return divide(sum(multiply(x, w), axis=axis), sum(w, axis=axis))


@keras_op
def hstack(xs):
    return concatenate(xs, axis=1 if t1(xs[0]).ndim > 1 else 0)


@keras_op
def vstack(xs):
    return concatenate([reshape(x, (1, -1)) if t1(x).ndim == 1 else x for x in xs], axis=0)


def _meshgrid(*xs, indexing):
    return tuple(jnp.meshgrid(*xs, indexing=indexing))


def meshgrid(*x, indexing="xy"):
    return list(apply(_meshgrid, *[t1(e) for e in x], indexing=indexing))


def _logaddexp(a, b):
    return jnp.logaddexp(a, b)


logaddexp = _make_binary(_logaddexp, "logaddexp")


def _sqrt_abs(x):
    return x


def _vectorize_ok(x):
    return x


@keras_op
def append(x1, x2, axis=None):
    return concatenate([x1, x2], axis=axis)


def _isclose(a, b, *, rtol, atol, equal_nan):
    return jnp.isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)


@keras_op
def isclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    return apply_unrecorded(_isclose, t(x1), t(x2), rtol=rtol, atol=atol, equal_nan=equal_nan)


def _cross(a, b):
    return jnp.cross(a, b)


cross = _make_binary(_cross, "cross")


@keras_op
def quantile(x, q, axis=None, method="linear", keepdims=False):
    return Tensor(jnp.quantile(t1(x)._value, t(q)._value, axis=_axis(axis), method=method, keepdims=keepdims))


def _median(x, *, axis, keepdims):
    return jnp.median(x, axis=axis, keepdims=keepdims)


@keras_op
def median(x, axis=None, keepdims=False):
    return apply(_median, _fdtype(t1(x)), axis=_axis(axis), keepdims=keepdims)


def _diff(x, *, n, axis):
    return jnp.diff(x, n=n, axis=axis)


@keras_op
def diff(a, n=1, axis=-1):
    return apply(_diff, t1(a), n=n, axis=axis)


def _digitize(x, bins):
    return jnp.digitize(x, bins).astype(np.int32)


@keras_op
def digitize(x, bins):
    return apply_unrecorded(_digitize, t1(x), t1(bins))


def _nonzero(x):
    return jnp.nonzero(x)


@keras_op
def nonzero(x):
    return list(apply_unrecorded(_nonzero, t1(x)))


@keras_op
def empty(shape, dtype=None):
    return zeros(shape, dtype)


def _slogdet(x):
    return x


@keras_op
def sqrt_safe(x):
    return sqrt(x)


def _vdot(a, b):
    return jnp.vdot(a, b)


vdot = _make_binary(_vdot, "vdot")


def _inner(a, b):
    return jnp.inner(a, b)


inner = _make_binary(_inner, "inner")


@keras_op
def expm(x):
    return Tensor(jax.scipy.linalg.expm(t1(x)._value))


def _select(*args, ncond):
    conds, choices, default = args[:ncond], args[ncond:-1], args[-1]
    return jnp.select(list(conds), list(choices), default)


def select(condlist, choicelist, default=0):
    cs = [t1(c) for c in condlist]
    ch = _promote([t1(c) for c in choicelist])
    return apply(_select, *cs, *ch, cast(t(default), ch[0]._value.dtype), ncond=len(cs))


def _logical(x):
    return x


@keras_op
def slice(inputs, start_indices, shape):  # noqa: A001
    x = t1(inputs)
    start = tuple(int(s) for s in np.asarray(start_indices))
    size_ = tuple(int(s) for s in np.asarray(shape))
    return apply(_slice, x, start=start, size=size_)


def _slice(x, *, start, size):
    return jax.lax.dynamic_slice(x, start, size)


def _slice_update(x, u, *, start):
    return jax.lax.dynamic_update_slice(x, u, start)


@keras_op
def slice_update(inputs, start_indices, updates):
    x = t1(inputs)
    return apply(_slice_update, x, cast(t1(updates), x._value.dtype),
                 start=tuple(int(s) for s in np.asarray(start_indices)))


def _scatter(idx, upd, *, shape):
    z = jnp.zeros(shape, upd.dtype)
    return z.at[tuple(jnp.moveaxis(idx, -1, 0))].add(upd)


@keras_op
def scatter(indices, values, shape):
    return apply(_scatter, t1(indices), t1(values), shape=_static_ints(shape))


def _scatter_update(x, idx, upd):
    return x.at[tuple(jnp.moveaxis(idx, -1, 0))].set(upd)


@keras_op
def scatter_update(inputs, indices, updates):
    x = t1(inputs)
    return apply(_scatter_update, x, t1(indices), cast(t1(updates), x._value.dtype))


def _gather_idx(x, idx):
    return x[tuple(jnp.moveaxis(idx, -1, 0))]


@keras_op
def gather_nd(x, indices):
    return apply(_gather_idx, t1(x), t1(indices))


def _erf(x):
    return jax.scipy.special.erf(x)


erf = _make_unary(_erf, "erf", True)


def _erfinv(x):
    return jax.scipy.special.erfinv(x)


erfinv = _make_unary(_erfinv, "erfinv", True)


def _rsqrt(x):
    return jax.lax.rsqrt(x)


rsqrt = _make_unary(_rsqrt, "rsqrt", True)


def _sigmoid_raw(x):
    return jax.nn.sigmoid(x)
