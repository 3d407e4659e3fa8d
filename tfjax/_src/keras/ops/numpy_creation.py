"""``keras.ops`` numpy-like creation ops: ``zeros`` / ``ones`` / ``full`` (``_like``), ``arange``, ``eye``, ``linspace``,
``array``, ``meshgrid``, ``empty``."""

from __future__ import annotations

import builtins

import jax.numpy as jnp
import numpy as np

from tfjax._src.tensor import Tensor
from tfjax._src.keras import backend
from tfjax._src.keras.ops.core import apply, apply_unrecorded, keras_op, t, t1, cast, np_dtype, convert_to_tensor
from tfjax._src.keras.ops.numpy_base import _static_ints, _res_float


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


def _meshgrid(*xs, indexing):
    return tuple(jnp.meshgrid(*xs, indexing=indexing))


def meshgrid(*x, indexing="xy"):
    return list(apply(_meshgrid, *[t1(e) for e in x], indexing=indexing))


@keras_op
def empty(shape, dtype=None):
    return zeros(shape, dtype)


# -- ``empty_like``, log / geometric spaces, ``vander`` ------------------------------------------------------

def _empty_like(x, *, dtype):
    return jnp.zeros(x.shape, dtype)


@keras_op
def empty_like(x, dtype=None):
    x = t1(x)
    return apply_unrecorded(_empty_like, x, dtype=np_dtype(dtype) if dtype else x._value.dtype)


def _space_dtype(start, stop, dtype):
    if dtype is not None:
        return np_dtype(dtype)
    return _res_float(t1(start), t1(stop))


@keras_op
def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    d = _space_dtype(start, stop, dtype)
    y = linspace(start, stop, num=num, endpoint=endpoint, dtype=d, axis=axis)
    return apply(_pow_base, cast(y, d), base=float(base))


def _pow_base(y, *, base):
    return jnp.power(jnp.asarray(base, y.dtype), y)


def _geomspace(start, stop, *, num, endpoint, axis, dtype):
    return jnp.geomspace(start, stop, num=num, endpoint=endpoint, axis=axis).astype(dtype)


@keras_op
def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    d = _space_dtype(start, stop, dtype)
    return apply(_geomspace, t1(start), t1(stop), num=int(num), endpoint=bool(endpoint), axis=int(axis), dtype=d)


def _vander(x, *, n, increasing, dtype):
    p = jnp.arange(n) if increasing else jnp.arange(n - 1, -1, -1)
    cd = jnp.result_type(x.dtype, jnp.float32)
    return jnp.power(x[..., None].astype(cd), p.astype(cd)).astype(dtype)


@keras_op
def vander(x, N=None, increasing=False):  # noqa: N803
    x = t1(x)
    n = x.shape[0] if N is None else int(N)
    return apply(_vander, x, n=int(n), increasing=bool(increasing), dtype=x._value.dtype)
