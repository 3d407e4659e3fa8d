"""Helpers shared by the ``keras.ops`` numpy-like op modules (axis and dtype rules, op builders)."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from tfjax._src.tensor import Tensor
from tfjax._src.keras import backend
from tfjax._src.keras.ops.core import apply, apply_unrecorded, keras_op, t, t1, cast, np_dtype

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


def _make_unary(jfn, name, to_float=False, unrecorded=False):
    runner = apply_unrecorded if unrecorded else apply

    def op(x):
        x = t1(x)
        if to_float:
            x = _fdtype(x)
        return runner(jfn, x)
    op.__name__ = name
    return keras_op(op)


def _make_binary(jfn, name, unrecorded=False):
    runner = apply_unrecorded if unrecorded else apply

    def op(x1, x2):
        a, b = t(x1), t(x2)
        return runner(jfn, a, b)
    op.__name__ = name
    return keras_op(op)


def _static_ints(shape):
    if isinstance(shape, (Tensor,)):
        return tuple(int(s) for s in np.asarray(shape))
    if isinstance(shape, int):
        return (shape,)
    return tuple(-1 if s is None else int(s) for s in shape)


def _promote(ts):
    rt = jnp.result_type(*[e._value for e in ts])
    return [e if e._value.dtype == rt else cast(e, rt) for e in ts]


# -- dtype rules of Keras's TF backend for the float-computing ops -------------------------------------------
# (checked against real Keras in compat_tests/keras/test_ops_keras3_additions_compat.py): ops that compute in
# floating point turn bool and <=32-bit integers into ``floatx`` and int64 into float64 unless noted.

def _floatx():
    return np_dtype(backend.floatx())


def _float_dt(d, int64_to=np.float64):
    """Keras's TF backend: float dtypes stay, int64 -> float64 (or ``int64_to``), others -> floatx."""
    d = np.dtype(d)
    if jnp.issubdtype(d, jnp.inexact):
        return d
    if d == np.int64 or d == np.uint64:
        return np.dtype(int64_to)
    return _floatx()


def _res_float(*ts):
    """Keras ``result_type(*dtypes, float)``."""
    rt = np.dtype(jnp.result_type(*[e._value for e in ts]))
    if jnp.issubdtype(rt, jnp.inexact):
        return rt
    return _floatx() if rt.itemsize < 8 or rt == np.bool_ else np.dtype(np.float64)


def _res(*ts):
    return np.dtype(jnp.result_type(*[e._value for e in ts]))


def _to(x, d):
    return cast(x, d)
