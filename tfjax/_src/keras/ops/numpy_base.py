"""Helpers shared by the ``keras.ops`` numpy-like op modules (axis and dtype rules, op builders)."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from tfjax._src.tensor import Tensor
from tfjax._src.keras import backend
from tfjax._src.keras.ops.core import apply, apply_unrecorded, keras_op, t, t1, cast

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
