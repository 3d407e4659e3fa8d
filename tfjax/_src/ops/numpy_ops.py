"""A basic subset of ``tf.experimental.numpy`` (tnp): NumPy's dtype promotion on tfjax Tensors.

tnp differs from the rest of TF in one way that matters here: it promotes types
the NumPy way (``tnp.add(int32, float32)`` is float64, Python floats become
float64). Each function promotes its inputs, then runs one ``dispatch.apply``.
"""

from __future__ import annotations

import builtins

import jax.numpy as jnp
import numpy as np

from tfjax._src import dispatch
from tfjax._src import dtypes
from tfjax._src.ops import convert
from tfjax._src.tensor import Tensor
from tfjax._src.variables import Variable

bool_ = dtypes.bool
int8, int16, int32, int64 = dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64
uint8, uint16, uint32, uint64 = dtypes.uint8, dtypes.uint16, dtypes.uint32, dtypes.uint64
float16, float32, float64 = dtypes.float16, dtypes.float32, dtypes.float64
complex64, complex128 = dtypes.complex64, dtypes.complex128
pi = np.pi
e = np.e
inf = np.inf
nan = np.nan
newaxis = None


def _np_array(x, dtype=None):
    if isinstance(x, (Tensor, Variable)):
        arr = convert.tensor(x)
        if dtype is not None and arr.dtype != dtypes.as_dtype(dtype):
            return Tensor(arr._value.astype(dtypes.as_dtype(dtype)._np))
        return arr
    a = np.asarray(x, dtype=None if dtype is None else dtypes.as_dtype(dtype)._np)
    if a.dtype == object or a.dtype.kind in "SU":
        return convert.tensor(x)
    return Tensor(jnp.asarray(a))


def array(val, dtype=None, copy=True, ndmin=0):
    t = _np_array(val, dtype)
    if t._value.ndim < ndmin:
        t = Tensor(t._value.reshape((1,) * (ndmin - t._value.ndim) + t._value.shape))
    return t


def asarray(a, dtype=None):
    return _np_array(a, dtype)


def _promote(*xs):
    ts = [_np_array(x) if isinstance(x, (Tensor, Variable, np.ndarray, list, tuple)) else x for x in xs]
    arrs = [t._value if isinstance(t, Tensor) else t for t in ts]
    rt = np.result_type(*[a.dtype if hasattr(a, "dtype") else a for a in arrs])
    return [Tensor(jnp.asarray(a, rt)) if not (hasattr(a, "dtype") and a.dtype == rt) else
            (t if isinstance(t, Tensor) else Tensor(jnp.asarray(a))) for a, t in zip(arrs, ts)]


def _bin(fn, x, y):
    a, b = _promote(x, y)
    return dispatch.apply(fn, a, b)


def _add(a, b):
    return jnp.add(a, b)


def _sub(a, b):
    return jnp.subtract(a, b)


def _mul(a, b):
    return jnp.multiply(a, b)


def _div(a, b):
    return jnp.true_divide(a, b)


def _maximum(a, b):
    return jnp.maximum(a, b)


def _minimum(a, b):
    return jnp.minimum(a, b)


def _dot(a, b):
    return jnp.dot(a, b)


def _matmul(a, b):
    return jnp.matmul(a, b)


def _power(a, b):
    return jnp.power(a, b)


def add(x1, x2):
    return _bin(_add, x1, x2)


def subtract(x1, x2):
    return _bin(_sub, x1, x2)


def multiply(x1, x2):
    return _bin(_mul, x1, x2)


def true_divide(x1, x2):
    return _bin(_div, x1, x2)


divide = true_divide


def maximum(x1, x2):
    return _bin(_maximum, x1, x2)


def minimum(x1, x2):
    return _bin(_minimum, x1, x2)


def dot(a, b):
    return _bin(_dot, a, b)


def matmul(x1, x2):
    return _bin(_matmul, x1, x2)


def power(x1, x2):
    return _bin(_power, x1, x2)


def _unary(jfn):
    def op(x):
        t = _np_array(x)
        return dispatch.apply(jfn, t)
    op.__name__ = getattr(jfn, "__name__", "op")
    return op


exp = _unary(jnp.exp)
log = _unary(jnp.log)
sqrt = _unary(jnp.sqrt)
abs = _unary(jnp.abs)  # noqa: A001
sin = _unary(jnp.sin)
cos = _unary(jnp.cos)
tanh = _unary(jnp.tanh)
square = _unary(jnp.square)
negative = _unary(jnp.negative)


def _reduce(jfn):
    def op(a, axis=None, keepdims=False):
        t = _np_array(a)
        ax = convert.axis_tuple(axis, t._value.ndim)
        return dispatch.apply(jfn, t, axis=ax, keepdims=bool(keepdims))
    return op


def _sum(x, *, axis, keepdims):
    return jnp.sum(x, axis=axis, keepdims=keepdims)


def _mean(x, *, axis, keepdims):
    return jnp.mean(x, axis=axis, keepdims=keepdims)


def _max(x, *, axis, keepdims):
    return jnp.max(x, axis=axis, keepdims=keepdims)


def _min(x, *, axis, keepdims):
    return jnp.min(x, axis=axis, keepdims=keepdims)


def _prod(x, *, axis, keepdims):
    return jnp.prod(x, axis=axis, keepdims=keepdims)


sum = _reduce(_sum)  # noqa: A001
mean = _reduce(_mean)
amax = max = _reduce(_max)  # noqa: A001
amin = min = _reduce(_min)  # noqa: A001
prod = _reduce(_prod)


def zeros(shape, dtype=float64):
    return Tensor(jnp.zeros(convert.static_shape(shape), dtypes.as_dtype(dtype)._np))


def ones(shape, dtype=float64):
    return Tensor(jnp.ones(convert.static_shape(shape), dtypes.as_dtype(dtype)._np))


def arange(start, stop=None, step=1, dtype=None):
    if stop is None:
        start, stop = 0, start
    d = None if dtype is None else dtypes.as_dtype(dtype)._np
    return Tensor(jnp.asarray(np.arange(start, stop, step, dtype=d)))


def linspace(start, stop, num=50, endpoint=True, dtype=float64):
    return Tensor(jnp.asarray(np.linspace(start, stop, num, endpoint=endpoint, dtype=dtypes.as_dtype(dtype)._np)))


def _reshape(x, *, shape):
    return jnp.reshape(x, shape)


def reshape(a, newshape, order="C"):
    t = _np_array(a)
    return dispatch.apply(_reshape, t, shape=tuple(convert.static_shape(newshape)))


def _transpose(x, *, axes):
    return jnp.transpose(x, axes)


def transpose(a, axes=None):
    t = _np_array(a)
    return dispatch.apply(_transpose, t, axes=None if axes is None else tuple(int(i) for i in axes))


def _concat(*xs, axis):
    return jnp.concatenate(xs, axis=axis)


def concatenate(arys, axis=0):
    ts = _promote(*arys)
    return dispatch.apply(_concat, *ts, axis=int(axis))


def _stack(*xs, axis):
    return jnp.stack(xs, axis=axis)


def stack(arrays, axis=0):
    ts = _promote(*arrays)
    return dispatch.apply(_stack, *ts, axis=int(axis))


def _where(c, a, b):
    return jnp.where(c, a, b)


def where(condition, x, y):
    c = _np_array(condition)
    a, b = _promote(x, y)
    return dispatch.apply(_where, Tensor(c._value.astype(bool)), a, b)


def _argmax(x, *, axis):
    return jnp.argmax(x, axis=axis)


def argmax(a, axis=None):
    return dispatch.apply_unrecorded(_argmax, _np_array(a), axis=axis)


def _clip(x, lo, hi):
    return jnp.clip(x, lo, hi)


def clip(a, a_min, a_max):
    x, lo, hi = _promote(a, a_min, a_max)
    return dispatch.apply(_clip, x, lo, hi)


def experimental_enable_numpy_behavior(prefer_float32=False, dtype_conversion_mode="legacy"):
    from tfjax._src import errors  # noqa: PLC0415
    raise errors.unsupported("tf.experimental.numpy.experimental_enable_numpy_behavior",
                             "tfjax keeps TF's tensor semantics; use tf.experimental.numpy functions explicitly")


del builtins
