"""Binary elementwise math: arithmetic, division, comparisons, logical ops, binary special functions (``tf.math``).

The op conventions (argument conversion, eager checks, module-level ``jax_fn``) are those of :mod:`.math_ops`.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import jax.scipy.special as jss
import numpy as np
from jax import lax

from tfjax._src import dispatch
from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src.ops import convert
from tfjax._src.ops.math_common import NUMERIC, REAL, FLOATC, kinds, bad_kind, _check_kind
from tfjax._src.ragged.ragged_tensor import RaggedTensor
from tfjax._src.tensor import Tensor

_apply = dispatch.apply
_apply_unrecorded = dispatch.apply_unrecorded


_NUMERIC_SET = kinds(NUMERIC)


# -- binary ------------------------------------------------------------------
def _binary(op_name, jax_fn, allowed=NUMERIC, unrecorded=False, doc=None):
    run = _apply_unrecorded if unrecorded else _apply
    ok = kinds(allowed)
    slow_binary = convert.binary

    def op(x, y, name=None):
        if type(x) is Tensor and type(y) is Tensor:
            d = x._value.dtype
            if (d is y._value.dtype or d == y._value.dtype) and d in ok:
                return run(jax_fn, x, y)
        if isinstance(x, RaggedTensor) or isinstance(y, RaggedTensor):
            from tfjax._src.ragged import ragged_math  # noqa: PLC0415
            return ragged_math.binary(op)(x, y)
        x, y = slow_binary(x, y, op_name)
        d = x._value.dtype
        if d not in ok:
            raise bad_kind(d, op_name)
        return run(jax_fn, x, y)

    op.__name__ = op_name
    op.__doc__ = doc or f"``tf.math`` {op_name}: elementwise with broadcasting, no dtype promotion."
    return op


def _squared_difference(a, b):
    d = a - b
    return d * jnp.conj(d) if jnp.iscomplexobj(d) else d * d


def _xdivy(a, b):
    safe = jnp.where(a == 0, jnp.ones_like(b), b)
    return jnp.where(a == 0, jnp.zeros_like(a), a / safe)


def _xlogy(a, b):
    safe = jnp.where(a == 0, jnp.ones_like(b), b)
    return jnp.where(a == 0, jnp.zeros_like(a), a * jnp.log(safe))


def _xlog1py(a, b):
    safe = jnp.where(a == 0, jnp.zeros_like(b), b)
    return jnp.where(a == 0, jnp.zeros_like(a), a * jnp.log1p(safe))


def _multiply_no_nan(a, b):
    return jnp.where(b == 0, jnp.zeros_like(a), a * b)


def _nextafter(a, b):
    return jnp.nextafter(a, b)


def _igamma(a, x):
    return jss.gammainc(a, x).astype(a.dtype)


def _igammac(a, x):
    return jss.gammaincc(a, x).astype(a.dtype)


def _zeta(x, q):
    return jss.zeta(x, q).astype(x.dtype)


def _polygamma(a, x):
    return jss.polygamma(a.astype(jnp.int32), x).astype(x.dtype)


_add_raw = jnp.add
_subtract_raw = jnp.subtract
_multiply_raw = jnp.multiply


@jax.custom_jvp
def _maximum_raw(a, b):
    return jnp.maximum(a, b)


@_maximum_raw.defjvp
def _maximum_jvp(primals, tangents):
    # TF routes a tie's gradient to x (x >= y); JAX would split it 0.5 / 0.5.
    a, b = primals
    ta, tb = tangents
    out = jnp.maximum(a, b)
    return out, jnp.where(a >= b, ta, tb).astype(out.dtype) * jnp.ones_like(out)


@jax.custom_jvp
def _minimum_raw(a, b):
    return jnp.minimum(a, b)


@_minimum_raw.defjvp
def _minimum_jvp(primals, tangents):
    a, b = primals
    ta, tb = tangents
    out = jnp.minimum(a, b)
    return out, jnp.where(a <= b, ta, tb).astype(out.dtype) * jnp.ones_like(out)


_add_numeric = _binary("AddV2", _add_raw, NUMERIC)


def add(x, y, name=None):
    """``tf.math.add``: numeric tensors, or string concatenation (host side)."""
    if type(x) is Tensor and type(y) is Tensor:
        d = x._value.dtype
        if (d is y._value.dtype or d == y._value.dtype) and d in _NUMERIC_SET:
            return _apply(_add_raw, x, y)
    if _is_string_arg(x) or _is_string_arg(y):
        a, b = convert.tensor(x), convert.tensor(y)
        if not (a.dtype is dtypes.string and b.dtype is dtypes.string):
            raise errors.invalid_argument("AddV2", "cannot compute AddV2 as input types differ")
        return Tensor(np.char.add(a._value.astype(bytes), b._value.astype(bytes)).astype(object))
    return _add_numeric(x, y)


def _is_string_arg(x):
    if isinstance(x, (str, bytes)):
        return True
    return isinstance(x, Tensor) and isinstance(x._value, np.ndarray) and x._value.dtype == object


subtract = _binary("Sub", _subtract_raw)
multiply = _binary("Mul", _multiply_raw)
maximum = _binary("Maximum", _maximum_raw, REAL)
minimum = _binary("Minimum", _minimum_raw, REAL)
squared_difference = _binary("SquaredDifference", _squared_difference, ("float", "complex", "sint"))
atan2 = _binary("Atan2", jnp.arctan2, ("float",))
xdivy = _binary("Xdivy", _xdivy, FLOATC)
xlogy = _binary("Xlogy", _xlogy, FLOATC)
xlog1py = _binary("Xlog1py", _xlog1py, FLOATC)
multiply_no_nan = _binary("MulNoNan", _multiply_no_nan, FLOATC)
nextafter = _binary("NextAfter", _nextafter, ("float",), unrecorded=True)
igamma = _binary("Igamma", _igamma, ("float",))
igammac = _binary("Igammac", _igammac, ("float",))
zeta = _binary("Zeta", _zeta, ("float",))
polygamma = _binary("Polygamma", _polygamma, ("float",))
logical_and = _binary("LogicalAnd", jnp.logical_and, ("bool",), unrecorded=True)
logical_or = _binary("LogicalOr", jnp.logical_or, ("bool",), unrecorded=True)


def _logical_xor(a, b):
    return jnp.logical_xor(a, b)


logical_xor = _binary("LogicalXor", _logical_xor, ("bool",), unrecorded=True)
_equal = _binary("Equal", jnp.equal, NUMERIC + ("bool",), unrecorded=True)
_not_equal = _binary("NotEqual", jnp.not_equal, NUMERIC + ("bool",), unrecorded=True)
less = _binary("Less", jnp.less, REAL, unrecorded=True)
less_equal = _binary("LessEqual", jnp.less_equal, REAL, unrecorded=True)
greater = _binary("Greater", jnp.greater, REAL, unrecorded=True)
greater_equal = _binary("GreaterEqual", jnp.greater_equal, REAL, unrecorded=True)


def _string_compare(x, y, op_name, negate):
    a, b = convert.tensor(x), convert.tensor(y)
    if not (a.dtype is dtypes.string and b.dtype is dtypes.string):
        raise errors.invalid_argument(op_name, f"cannot compute {op_name}: string compared with {b.dtype.name}")
    r = np.asarray(a._value == b._value, dtype=bool)
    return Tensor(jnp.asarray(~r if negate else r))


def equal(x, y, name=None):
    if _is_string_arg(x) or _is_string_arg(y):
        return _string_compare(x, y, "Equal", False)
    return _equal(x, y)


def not_equal(x, y, name=None):
    if _is_string_arg(x) or _is_string_arg(y):
        return _string_compare(x, y, "NotEqual", True)
    return _not_equal(x, y)


def betainc(a, b, x, name=None):
    ts = convert.same_dtype([a, b, x], "Betainc")
    _check_kind(ts[0], ("float",), "Betainc")
    return _apply(_betainc, *ts)


def _betainc(a, b, x):
    return jss.betainc(a, b, x).astype(a.dtype)


def _pow(a, b):
    return jnp.power(a, b)


def pow(x, y, name=None):  # noqa: A001 - TF name
    x, y = convert.binary(x, y, "Pow")
    _check_kind(x, NUMERIC, "Pow")
    if x.dtype.is_integer and convert.is_concrete(y) and bool(np.any(np.asarray(y._value) < 0)):
        raise errors.invalid_argument("Pow", "Integers to negative integer powers are not allowed")
    return _apply(_pow, x, y)


def _truediv(a, b):
    return a / b


def _int_truediv(a, b, *, np_dtype):
    return a.astype(np_dtype) / b.astype(np_dtype)


_FLOATC_SET = kinds(FLOATC)
_INT_SET = kinds(("int",))


def truediv(x, y, name=None):
    """``x / y``: integers are divided as floats (int8/16 -> float32, int32/64 -> float64)."""
    if type(x) is Tensor and type(y) is Tensor:
        d = x._value.dtype
        if d == y._value.dtype and d in _FLOATC_SET:
            return _apply(_truediv, x, y)
    x, y = convert.binary(x, y, "RealDiv")
    d = x._value.dtype
    if d in _INT_SET:
        target = np.dtype(np.float32 if d.itemsize <= 2 else np.float64)
        return _apply_unrecorded(_int_truediv, x, y, np_dtype=target)
    if d not in _FLOATC_SET:
        raise bad_kind(d, "RealDiv")
    return _apply(_truediv, x, y)


divide = truediv
realdiv = truediv


def _div(a, b):
    if jnp.issubdtype(a.dtype, jnp.inexact):
        return jnp.true_divide(a, b)
    return jnp.floor_divide(a, b)


def div(x, y, name=None):
    """``tf.compat.v1.div`` semantics: floor division for integers, true division for floats."""
    x, y = convert.binary(x, y, "Div")
    _check_kind(x, NUMERIC, "Div")
    _check_int_zero(x, y, "Div")
    return _apply(_div, x, y)


def _check_int_zero(x, y, op_name):
    if x._value.dtype in _INT_SET and convert.is_concrete(y) and bool(np.any(np.asarray(y._value) == 0)):
        raise errors.invalid_argument(op_name, "Integer division by zero")


def _floordiv(a, b):
    return jnp.floor_divide(a, b)


def floordiv(x, y, name=None):
    x, y = convert.binary(x, y, "FloorDiv")
    _check_kind(x, REAL, "FloorDiv")
    _check_int_zero(x, y, "FloorDiv")
    return _apply_unrecorded(_floordiv, x, y)  # TF: FloorDiv has no gradient (None)


floor_div = floordiv


def _floormod(a, b):
    return jnp.remainder(a, b)


def floormod(x, y, name=None):
    x, y = convert.binary(x, y, "FloorMod")
    _check_kind(x, REAL, "FloorMod")
    _check_int_zero(x, y, "FloorMod")
    return _apply(_floormod, x, y)


mod = floormod


def _truncatediv(a, b):
    if jnp.issubdtype(a.dtype, jnp.integer):
        return lax.div(*jnp.broadcast_arrays(a, b))
    return jnp.trunc(a / b)


def _truncatemod(a, b):
    return jnp.fmod(a, b)


def truncatediv(x, y, name=None):
    """``tf.truncatediv``: C-style division rounding toward zero."""
    x, y = convert.binary(x, y, "TruncateDiv")
    _check_kind(x, NUMERIC, "TruncateDiv")
    try:
        _check_int_zero(x, y, "TruncateDiv")
    except errors.InvalidArgumentError:
        # TF 2.21's CPU kernel reports this one as an InternalError.
        raise errors.InternalError(None, None, errors.op_message(
            "TruncateDiv", "Unexpected error in binary operator (only integer div and mod should have errors)")) from None
    return _apply_unrecorded(_truncatediv, x, y)  # TF: TruncateDiv has no gradient (None)


def truncatemod(x, y, name=None):
    """``tf.truncatemod``: remainder with the sign of the dividend (C fmod)."""
    x, y = convert.binary(x, y, "TruncateMod")
    _check_kind(x, REAL, "TruncateMod")
    _check_int_zero(x, y, "TruncateMod")
    return _apply(_truncatemod, x, y)


def _divide_no_nan(a, b):
    safe = jnp.where(b == 0, jnp.ones_like(b), b)
    return jnp.where(b == 0, jnp.zeros_like(a), a / safe)


def divide_no_nan(x, y, name=None):
    x, y = convert.binary(x, y, "DivNoNan")
    _check_kind(x, FLOATC, "DivNoNan")
    return _apply(_divide_no_nan, x, y)


def scalar_mul(scalar, x, name=None):
    """``tf.math.scalar_mul``: ``scalar`` must be a scalar."""
    x = convert.tensor(x)
    s = convert.tensor(scalar, dtype_hint=x.dtype)
    if s._value.ndim != 0:
        raise ValueError(f"Only scalar multiply works, got shape {s.shape}")
    return multiply(s, x)
