"""``tf.bitwise``: integer bit operations (no gradient)."""

from __future__ import annotations

import jax.numpy as jnp
from jax import lax

from tfjax._src import dispatch
from tfjax._src.ops import convert
from tfjax._src.ops.math_common import bad_kind, kinds

_INT = kinds(("int",))


def _binary(op_name, fn):
    def op(x, y, name=None):
        a, b = convert.binary(x, y, op_name)
        if a._value.dtype not in _INT:
            raise bad_kind(a._value.dtype, op_name)
        return dispatch.apply_unrecorded(fn, a, b)
    op.__name__ = op_name
    op.__doc__ = f"``tf.bitwise`` {op_name}, elementwise on integer tensors."
    return op


def _and(a, b):
    return jnp.bitwise_and(a, b)


def _or(a, b):
    return jnp.bitwise_or(a, b)


def _xor(a, b):
    return jnp.bitwise_xor(a, b)


def _shift_bits(a, b):
    bits = a.dtype.itemsize * 8
    return jnp.clip(b, 0, bits - 1).astype(a.dtype), (b < 0) | (b >= bits)


def _left_shift(a, b):
    a, b = jnp.broadcast_arrays(a, b)
    return lax.shift_left(a, b)


def _right_shift(a, b):
    a, b = jnp.broadcast_arrays(a, b)
    if jnp.issubdtype(a.dtype, jnp.signedinteger):
        bits = a.dtype.itemsize * 8
        return lax.shift_right_arithmetic(a, jnp.minimum(b, bits - 1))
    return lax.shift_right_logical(a, b)


bitwise_and = _binary("BitwiseAnd", _and)
bitwise_or = _binary("BitwiseOr", _or)
bitwise_xor = _binary("BitwiseXor", _xor)
left_shift = _binary("LeftShift", _left_shift)
right_shift = _binary("RightShift", _right_shift)


def _invert(x):
    return jnp.invert(x)


def invert(x, name=None):
    t = convert.tensor(x)
    if t._value.dtype not in _INT:
        raise bad_kind(t._value.dtype, "Invert")
    return dispatch.apply_unrecorded(_invert, t)
