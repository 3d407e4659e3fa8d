"""Elementwise math, reductions, scans and matrix products (``tf.math``).

Each op converts its arguments with :mod:`.convert` (TF's dtype rules), checks in
eager mode what JAX would accept silently, and runs one ``dispatch.apply``.
The ``jax_fn`` handed to dispatch is always a module-level function (or one built
once at import) so the tape's replay cache can key on it.

Dtype checks use precomputed sets of numpy dtypes: ``x._value.dtype in ALLOWED``
is the whole cost of TF's kernel-registration check on the eager fast path.
"""

from __future__ import annotations

import builtins
import collections

import jax
import jax.numpy as jnp
import jax.scipy.special as jss
import numpy as np
from jax import lax

from tfjax._src import dispatch
from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src.ops import convert
from tfjax._src.ragged.ragged_tensor import RaggedTensor
from tfjax._src.tensor import Tensor

_apply = dispatch.apply
_apply_unrecorded = dispatch.apply_unrecorded
_Tracer = jax.core.Tracer

# -- dtype kinds as sets of numpy dtypes -------------------------------------------
_KINDS = {
    "float": [dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64],
    "complex": [dtypes.complex64, dtypes.complex128],
    "int": [dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64,
            dtypes.uint8, dtypes.uint16, dtypes.uint32, dtypes.uint64],
    "sint": [dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64],
    "bool": [dtypes.bool],
}
NUMERIC = ("float", "complex", "int")
REAL = ("float", "int")
FLOATC = ("float", "complex")
_SET_CACHE = {}


def kinds(allowed) -> frozenset:
    """The frozenset of numpy dtypes of the kinds named in ``allowed``."""
    key = tuple(allowed)
    s = _SET_CACHE.get(key)
    if s is None:
        s = frozenset(d._np for k in allowed for d in _KINDS[k])
        _SET_CACHE[key] = s
    return s


def bad_kind(dtype, op_name):
    name = dtypes.as_dtype(dtype).name if not (isinstance(dtype, np.dtype) and dtype == object) else "string"
    return errors.invalid_argument(op_name, f"Value for attr 'T' of {name} is not in the list of allowed values")


def _check_kind(x: Tensor, allowed, op_name):
    if x._value.dtype not in kinds(allowed):
        raise bad_kind(x._value.dtype, op_name)


def check(x: Tensor, allowed_set: frozenset, op_name):
    if x._value.dtype not in allowed_set:
        raise bad_kind(x._value.dtype, op_name)


def _keep_dtype(fn):
    """Wraps ``fn`` so its output has its first input's dtype (JAX may upcast)."""
    def wrapped(x, *rest):
        return fn(x, *rest).astype(x.dtype)
    wrapped.__name__ = getattr(fn, "__name__", "fn")
    return wrapped


def _unary(op_name, jax_fn, allowed=FLOATC, doc=None, recorded=True):
    """Builds a unary op restricted to dtype kinds ``allowed`` (as TF's kernels are)."""
    ok = kinds(allowed)
    run = _apply if recorded else _apply_unrecorded

    def op(x, name=None):
        if type(x) is not Tensor:
            if isinstance(x, RaggedTensor):   # TF dispatches elementwise ops to flat_values
                return x.with_flat_values(op(x.flat_values))
            x = convert.tensor(x)
        if x._value.dtype not in ok:
            raise bad_kind(x._value.dtype, op_name)
        return run(jax_fn, x)

    op.__name__ = op_name
    op.__doc__ = doc or f"``tf.math`` {op_name}, elementwise."
    return op


# -- unary -------------------------------------------------------------------
def _sigmoid(x):
    return jax.nn.sigmoid(x)


def _softsign(x):
    return x / (1 + jnp.abs(x))


def _reciprocal_no_nan(x):
    safe = jnp.where(x == 0, jnp.ones_like(x), x)
    return jnp.where(x == 0, jnp.zeros_like(x), 1 / safe)


def _erfinv(x):
    return jss.erfinv(x)


def _ndtri(x):
    return jss.ndtri(x)


def _erfcinv(x):
    return -jss.ndtri(x * 0.5) / np.sqrt(2.0).astype(x.dtype)


def _i0e(x):
    return jss.i0e(x)


def _i1e(x):
    return jss.i1e(x)


def _i0(x):
    return jss.i0(x)


def _i1(x):
    return jss.i1(x)


def _is_nan(x):
    return jnp.isnan(x)


def _is_inf(x):
    return jnp.isinf(x)


def _is_finite(x):
    return jnp.isfinite(x)


def _logical_not(x):
    return jnp.logical_not(x)


def _round_half_even(x):
    return jnp.round(x)


exp = _unary("Exp", jnp.exp)
expm1 = _unary("Expm1", jnp.expm1)
log = _unary("Log", jnp.log)
log1p = _unary("Log1p", jnp.log1p)
sqrt = _unary("Sqrt", jnp.sqrt)
rsqrt = _unary("Rsqrt", lax.rsqrt)
sin = _unary("Sin", jnp.sin)
cos = _unary("Cos", jnp.cos)
tan = _unary("Tan", jnp.tan)
asin = _unary("Asin", jnp.arcsin)
acos = _unary("Acos", jnp.arccos)
atan = _unary("Atan", jnp.arctan)
sinh = _unary("Sinh", jnp.sinh)
cosh = _unary("Cosh", jnp.cosh)
tanh = _unary("Tanh", jnp.tanh)
asinh = _unary("Asinh", jnp.arcsinh)
acosh = _unary("Acosh", jnp.arccosh)
atanh = _unary("Atanh", jnp.arctanh)
sigmoid = _unary("Sigmoid", _sigmoid)
erf = _unary("Erf", _keep_dtype(jss.erf), ("float",))
erfc = _unary("Erfc", _keep_dtype(jss.erfc), ("float",))
erfinv = _unary("Erfinv", _keep_dtype(_erfinv), ("float",))
erfcinv = _unary("Erfcinv", _keep_dtype(_erfcinv), ("float",))
ndtri = _unary("Ndtri", _keep_dtype(_ndtri), ("float",))
lgamma = _unary("Lgamma", _keep_dtype(jss.gammaln), ("float",))
digamma = _unary("Digamma", _keep_dtype(jss.digamma), ("float",))
bessel_i0 = _unary("BesselI0", _keep_dtype(_i0), ("float",))
bessel_i0e = _unary("BesselI0e", _keep_dtype(_i0e), ("float",))
bessel_i1 = _unary("BesselI1", _keep_dtype(_i1), ("float",))
bessel_i1e = _unary("BesselI1e", _keep_dtype(_i1e), ("float",))
floor = _unary("Floor", jnp.floor, ("float",))
ceil = _unary("Ceil", jnp.ceil, ("float",))
rint = _unary("Rint", jnp.rint, ("float",))
round = _unary("Round", _round_half_even, ("float", "complex", "sint"))  # noqa: A001 - TF name; half to even
reciprocal = _unary("Reciprocal", jnp.reciprocal)
reciprocal_no_nan = _unary("ReciprocalNoNan", _reciprocal_no_nan)
negative = _unary("Neg", jnp.negative, ("float", "complex", "sint"))
neg = negative
square = _unary("Square", jnp.square, NUMERIC)
sign = _unary("Sign", jnp.sign, ("float", "complex", "sint"))
is_nan = _unary("IsNan", _is_nan, ("float",), recorded=False)
is_inf = _unary("IsInf", _is_inf, ("float",), recorded=False)
is_finite = _unary("IsFinite", _is_finite, ("float",), recorded=False)
logical_not = _unary("LogicalNot", _logical_not, ("bool",), recorded=False)
softplus = _unary("Softplus", jax.nn.softplus, ("float",))
softsign = _unary("Softsign", _softsign, ("float",))
log_sigmoid = _unary("LogSigmoid", jax.nn.log_sigmoid, ("float",))


@jax.custom_jvp
def _abs(x):
    return jnp.abs(x)


@_abs.defjvp
def _abs_jvp(primals, tangents):
    # TF's gradient of |x| is sign(x) (0 at 0); JAX's is 1 at 0.
    (x,), (t,) = primals, tangents
    if jnp.iscomplexobj(x):
        return jnp.abs(x), jnp.real(jnp.conj(x) * t) / jnp.where(x == 0, 1, jnp.abs(x))
    return jnp.abs(x), jnp.sign(x) * t


abs = _unary("Abs", _abs, ("float", "complex", "sint"))  # noqa: A001 - TF name


def _real(x):
    return jnp.real(x)


def _imag(x):
    return jnp.imag(x)


def _conj(x):
    return jnp.conj(x)


def _angle_complex(x):
    return jnp.angle(x)


def _angle_real(x):
    return jnp.where(x < 0, jnp.asarray(np.pi, x.dtype), jnp.zeros_like(x))


_NUMERIC_SET = kinds(NUMERIC)
_COMPLEX_SET = kinds(("complex",))


def real(input, name=None):  # noqa: A002 - TF name
    x = convert.tensor(input)
    check(x, _NUMERIC_SET, "Real")
    if x._value.dtype in _COMPLEX_SET:
        return _apply(_real, x)
    return x


def imag(input, name=None):  # noqa: A002 - TF name
    x = convert.tensor(input)
    check(x, _NUMERIC_SET, "Imag")
    if x._value.dtype in _COMPLEX_SET:
        return _apply(_imag, x)
    return _apply_unrecorded(_zeros_like_raw, x)


def _zeros_like_raw(x):
    return jnp.zeros_like(x)


def conj(x, name=None):
    x = convert.tensor(x)
    if x._value.dtype in _COMPLEX_SET:
        return _apply(_conj, x)
    if x._value.dtype not in _NUMERIC_SET:
        raise TypeError(f"Expected numeric or variant tensor, got dtype {x.dtype!r}")
    return x


def angle(input, name=None):  # noqa: A002 - TF name
    x = convert.tensor(input)
    check(x, kinds(FLOATC), "Angle")
    if x._value.dtype in _COMPLEX_SET:
        return _apply(_angle_complex, x)
    return _apply(_angle_real, x)


def _complex(re, im, *, np_dtype):
    return lax.complex(re, im).astype(np_dtype)


def complex(real, imag, name=None):  # noqa: A001 - TF name
    re, im = convert.binary(real, imag, "Complex")
    if re.dtype is dtypes.float32:
        target = np.complex64
    elif re.dtype is dtypes.float64:
        target = np.complex128
    else:
        raise TypeError(f"real and imag must be float32 or float64, got {re.dtype.name}")
    return _apply(_complex, re, im, np_dtype=np.dtype(target))


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
    return _apply(_floordiv, x, y)


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
    return _apply(_truncatediv, x, y)


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


# -- casts ---------------------------------------------------------------------
def _cast(x, *, np_dtype):
    if jnp.issubdtype(x.dtype, jnp.complexfloating) and not jnp.issubdtype(np_dtype, jnp.complexfloating):
        x = jnp.real(x)
    if np_dtype == np.bool_:
        return x != 0
    if jnp.issubdtype(x.dtype, jnp.floating) and jnp.issubdtype(np_dtype, jnp.integer):
        # TF truncates toward zero and saturates NaN to 0 on CPU; keep JAX's conversion
        # (truncation) for in-range values.
        x = jnp.trunc(x)
    return x.astype(np_dtype)


_DIFF_SET = kinds(FLOATC)


def cast(x, dtype, name=None):
    """``tf.cast``: float -> int truncates toward zero (as C and TF do)."""
    dtype = dtypes.as_dtype(dtype)
    if isinstance(x, RaggedTensor):
        return x.with_flat_values(cast(x.flat_values, dtype))
    if not isinstance(x, Tensor):
        from tfjax._src.variables import Variable  # noqa: PLC0415
        if not isinstance(x, Variable) and not hasattr(x, "dtype") and dtype is not dtypes.string:
            # Python values are converted straight to the target dtype when they can be.
            try:
                return convert.tensor(x, dtype=dtype)
            except (TypeError, ValueError):
                pass
    x = convert.tensor(x)
    if x.dtype is dtype:
        return x
    if dtype is dtypes.string or x.dtype is dtypes.string:
        raise errors.unsupported("tf.cast to/from tf.string", "use tf.strings.as_string / to_number")
    if dtype._np is None:
        raise TypeError(f"Cannot cast to {dtype!r}")
    fn = _apply if (dtype._np in _DIFF_SET and x._value.dtype in _DIFF_SET) else _apply_unrecorded
    return fn(_cast, x, np_dtype=dtype._np)


def saturate_cast(value, dtype, name=None):
    dtype = dtypes.as_dtype(dtype)
    x = convert.tensor(value)
    if dtype.is_integer or dtype.is_floating:
        lo, hi = dtype.min, dtype.max
        if x.dtype.is_floating or (x.dtype.is_integer and (x.dtype.min < lo or x.dtype.max > hi)):
            if x.dtype.is_integer:
                lo, hi = builtins.max(lo, x.dtype.min), builtins.min(hi, x.dtype.max)
            x = clip_by_value(x, lo, hi) if not x.dtype.is_floating or (x.dtype.max > hi) else x
    return cast(x, dtype)


# -- reductions --------------------------------------------------------------
_FLOAT_SET = kinds(("float",))


def _reduce(op_name, jax_fn, allowed=NUMERIC, recorded=True, float_full=None):
    """``float_full``: a kwargs-free full reduction used for float inputs with axis=None
    (the common eager case; JAX's jit dispatch is fastest without static kwargs)."""
    run = _apply if recorded else _apply_unrecorded
    ok = kinds(allowed)

    def op(input_tensor, axis=None, keepdims=False, name=None):
        if type(input_tensor) is not Tensor and isinstance(input_tensor, RaggedTensor):
            from tfjax._src.ragged import ragged_math  # noqa: PLC0415
            return ragged_math.reduce(op_name, input_tensor, axis, keepdims)
        x = input_tensor if type(input_tensor) is Tensor else convert.tensor(input_tensor)
        d = x._value.dtype
        if d not in ok:
            raise bad_kind(d, op_name)
        if axis is None and not keepdims and float_full is not None and d in _FLOAT_SET:
            return run(float_full, x)
        axes = _axes(axis, x._value.ndim, op_name)
        return run(jax_fn, x, axis=axes, keepdims=bool(keepdims))

    op.__name__ = op_name
    op.__doc__ = f"``tf.math`` reduction {op_name} over ``axis`` (all axes when None)."
    return op


def _axes(axis, rank, op_name):
    if axis is None:
        return None
    try:
        return convert.axis_tuple(axis, rank)
    except errors.InvalidArgumentError:
        a = np.asarray(axis).reshape(-1)
        bad = next(int(v) for v in a if not -rank <= int(v) < builtins.max(rank, 1))
        raise errors.invalid_argument(
            op_name, f"Invalid reduction dimension ({bad} for input with {rank} dimension(s)") from None


def _sum(x, *, axis, keepdims):
    return jnp.sum(x, axis=axis, keepdims=keepdims, dtype=x.dtype)


def _prod(x, *, axis, keepdims):
    return jnp.prod(x, axis=axis, keepdims=keepdims, dtype=x.dtype)


def _count(shape, axis):
    return int(np.prod([shape[a] for a in (axis if axis is not None else builtins.range(len(shape)))], dtype=np.int64))


def _mean(x, *, axis, keepdims):
    if jnp.issubdtype(x.dtype, jnp.integer):
        # TF keeps integer means integer: the sum divided with truncation.
        n = _count(x.shape, axis)
        s = jnp.sum(x, axis=axis, keepdims=keepdims, dtype=x.dtype)
        return lax.div(s, jnp.asarray(builtins.max(n, 1), x.dtype))
    if x.dtype in (jnp.float16, jnp.bfloat16):
        return jnp.mean(x.astype(jnp.float32), axis=axis, keepdims=keepdims).astype(x.dtype)
    return jnp.mean(x, axis=axis, keepdims=keepdims, dtype=x.dtype)


def _max(x, *, axis, keepdims):
    if x.size == 0:
        init = jnp.array(-jnp.inf if jnp.issubdtype(x.dtype, jnp.floating) else jnp.iinfo(x.dtype).min, x.dtype)
        return jnp.max(x, axis=axis, keepdims=keepdims, initial=init)
    return jnp.max(x, axis=axis, keepdims=keepdims)


def _min(x, *, axis, keepdims):
    if x.size == 0:
        init = jnp.array(jnp.inf if jnp.issubdtype(x.dtype, jnp.floating) else jnp.iinfo(x.dtype).max, x.dtype)
        return jnp.min(x, axis=axis, keepdims=keepdims, initial=init)
    return jnp.min(x, axis=axis, keepdims=keepdims)


def _all(x, *, axis, keepdims):
    return jnp.all(x, axis=axis, keepdims=keepdims)


def _any(x, *, axis, keepdims):
    return jnp.any(x, axis=axis, keepdims=keepdims)


def _logsumexp(x, *, axis, keepdims):
    return jss.logsumexp(x, axis=axis, keepdims=keepdims).astype(x.dtype)


def _variance(x, *, axis, keepdims):
    m = jnp.mean(x, axis=axis, keepdims=True)
    d = x - m
    sq = jnp.real(d * jnp.conj(d)) if jnp.iscomplexobj(d) else d * d
    return jnp.mean(sq, axis=axis, keepdims=keepdims)


def _std(x, *, axis, keepdims):
    return jnp.sqrt(_variance(x, axis=axis, keepdims=keepdims))


def _euclidean_norm(x, *, axis, keepdims):
    if jnp.issubdtype(x.dtype, jnp.integer):
        s = jnp.sum(x.astype(jnp.float64) ** 2, axis=axis, keepdims=keepdims)
        return jnp.sqrt(s).astype(x.dtype)
    if jnp.iscomplexobj(x):
        return jnp.sqrt(jnp.sum(x * jnp.conj(x), axis=axis, keepdims=keepdims))
    return jnp.sqrt(jnp.sum(x * x, axis=axis, keepdims=keepdims))


def _mean_full_float(x):
    if x.dtype in (jnp.float16, jnp.bfloat16):
        return jnp.mean(x.astype(jnp.float32)).astype(x.dtype)
    return jnp.mean(x)


def _max_full_float(x):
    return jnp.max(x) if x.size else jnp.asarray(-jnp.inf, x.dtype)


def _min_full_float(x):
    return jnp.min(x) if x.size else jnp.asarray(jnp.inf, x.dtype)


reduce_sum = _reduce("Sum", _sum, float_full=jnp.sum)
reduce_prod = _reduce("Prod", _prod, float_full=jnp.prod)
reduce_mean = _reduce("Mean", _mean, float_full=_mean_full_float)
reduce_max = _reduce("Max", _max, REAL, float_full=_max_full_float)
reduce_min = _reduce("Min", _min, REAL, float_full=_min_full_float)
reduce_all = _reduce("All", _all, ("bool",), recorded=False)
reduce_any = _reduce("Any", _any, ("bool",), recorded=False)
reduce_logsumexp = _reduce("ReduceLogSumExp", _logsumexp, ("float",))
reduce_euclidean_norm = _reduce("EuclideanNorm", _euclidean_norm)
_reduce_variance = _reduce("ReduceVariance", _variance, FLOATC)
_reduce_std = _reduce("ReduceStd", _std, FLOATC)


def reduce_variance(input_tensor, axis=None, keepdims=False, name=None):
    x = convert.tensor(input_tensor)
    if x._value.dtype not in _FLOATC_SET:
        raise TypeError(f"Input must be either real or complex. Received integer type {x.dtype}.")
    return _reduce_variance(x, axis, keepdims)


def reduce_std(input_tensor, axis=None, keepdims=False, name=None):
    x = convert.tensor(input_tensor)
    if x._value.dtype not in _FLOATC_SET:
        raise TypeError(f"Input must be either real or complex. Received integer type {x.dtype}.")
    return _reduce_std(x, axis, keepdims)


def _count_nonzero(x, *, axis, keepdims, np_dtype):
    nz = x != (b"" if x.dtype == object else 0)
    return jnp.sum(nz, axis=axis, keepdims=keepdims, dtype=np_dtype)


def count_nonzero(input, axis=None, keepdims=None, dtype=dtypes.int64, name=None):  # noqa: A002
    x = convert.tensor(input)
    axes = _axes(axis, x._value.ndim, "CountNonzero")
    return _apply_unrecorded(_count_nonzero, x, axis=axes, keepdims=bool(keepdims),
                             np_dtype=dtypes.as_dtype(dtype)._np)


def _zero_fraction(x):
    return jnp.mean((x == 0).astype(jnp.float32))


def zero_fraction(value, name=None):
    return _apply_unrecorded(_zero_fraction, convert.tensor(value))


def _argmax(x, *, axis, np_dtype):
    return jnp.argmax(x, axis=axis).astype(np_dtype)


def _argmin(x, *, axis, np_dtype):
    return jnp.argmin(x, axis=axis).astype(np_dtype)


def _arg(op_name, fn, input, axis, output_type):
    x = convert.tensor(input)
    _check_kind(x, REAL + ("bool",), op_name)
    axis = 0 if axis is None else convert.static_int(axis, "axis")
    r = x._value.ndim
    if not -builtins.max(r, 1) <= axis < builtins.max(r, 1):
        raise errors.invalid_argument(op_name, f"Expected dimension in the range [{-r}, {r}), but got {axis}")
    if r and x._value.shape[axis] == 0:
        raise errors.invalid_argument(op_name, "Reduction axis 0 is empty in shape " + str(list(x._value.shape)))
    out = dtypes.as_dtype(output_type)
    if out not in (dtypes.int32, dtypes.int64, dtypes.int16, dtypes.uint16):
        raise TypeError(f"Value passed to parameter 'output_type' has DataType {out.name} not in list of "
                        "allowed values: int16, uint16, int32, int64")
    return _apply_unrecorded(fn, x, axis=axis % builtins.max(r, 1), np_dtype=out._np)


def argmax(input, axis=None, output_type=dtypes.int64, name=None):  # noqa: A002 - TF name
    return _arg("ArgMax", _argmax, input, axis, output_type)


def argmin(input, axis=None, output_type=dtypes.int64, name=None):  # noqa: A002 - TF name
    return _arg("ArgMin", _argmin, input, axis, output_type)


# -- scans ---------------------------------------------------------------------
def _cumulative(x, *, axis, exclusive, reverse, kind):
    if reverse:
        x = jnp.flip(x, axis)
    if kind == "sum":
        out = jnp.cumsum(x, axis=axis, dtype=x.dtype)
        if exclusive:
            out = out - x
    elif kind == "prod":
        if exclusive:
            pad = [(0, 0)] * x.ndim
            pad[axis] = (1, 0)
            sl = [slice(None)] * x.ndim
            sl[axis] = slice(0, x.shape[axis])
            x = jnp.pad(x, pad, constant_values=1)[tuple(sl)]
        out = jnp.cumprod(x, axis=axis, dtype=x.dtype)
    else:  # logsumexp
        if exclusive:
            pad = [(0, 0)] * x.ndim
            pad[axis] = (1, 0)
            sl = [slice(None)] * x.ndim
            sl[axis] = slice(0, x.shape[axis])
            x = jnp.pad(x, pad, constant_values=-jnp.inf)[tuple(sl)]
        out = lax.cumlogsumexp(x, axis=axis)
    if reverse:
        out = jnp.flip(out, axis)
    return out


def _exclusive_cumsum_fix(x, *, axis, reverse):
    # exact exclusive cumsum (no cancellation): shift then cumsum
    if reverse:
        x = jnp.flip(x, axis)
    pad = [(0, 0)] * x.ndim
    pad[axis] = (1, 0)
    sl = [slice(None)] * x.ndim
    sl[axis] = slice(0, x.shape[axis])
    out = jnp.cumsum(jnp.pad(x, pad)[tuple(sl)], axis=axis, dtype=x.dtype)
    return jnp.flip(out, axis) if reverse else out


def _scan(op_name, kind, allowed, x, axis, exclusive, reverse):
    x = convert.tensor(x)
    _check_kind(x, allowed, op_name)
    r = x._value.ndim
    axis = convert.static_int(axis, "axis")
    if not -r <= axis < r:
        raise errors.invalid_argument(op_name, f"ScanOp: Expected scan axis in the range [{-r}, {r}), but got {axis}")
    axis %= r
    if kind == "sum" and exclusive:
        return _apply(_exclusive_cumsum_fix, x, axis=axis, reverse=bool(reverse))
    return _apply(_cumulative, x, axis=axis, exclusive=bool(exclusive), reverse=bool(reverse), kind=kind)


def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    return _scan("Cumsum", "sum", NUMERIC, x, axis, exclusive, reverse)


def cumprod(x, axis=0, exclusive=False, reverse=False, name=None):
    return _scan("Cumprod", "prod", NUMERIC, x, axis, exclusive, reverse)


def cumulative_logsumexp(x, axis=0, exclusive=False, reverse=False, name=None):
    return _scan("CumulativeLogsumexp", "lse", ("float",), x, axis, exclusive, reverse)


# -- n-ary ---------------------------------------------------------------------
def _add_n(*xs):
    out = xs[0]
    for x in xs[1:]:
        out = out + x
    return out


def add_n(inputs, name=None):
    """``tf.math.add_n``: all inputs must have the same shape and dtype."""
    if not isinstance(inputs, (list, tuple)) or not inputs:
        if isinstance(inputs, (Tensor,)) or not inputs:
            raise ValueError("inputs must be an iterable of at least one Tensor/IndexedSlices with the same dtype and shape")
    ts = convert.same_dtype(list(inputs), "AddN")
    s0 = ts[0]._value.shape
    for t in ts[1:]:
        if t._value.shape != s0:
            raise ValueError(f"Shapes {TensorShapeStr(s0)} and {TensorShapeStr(t._value.shape)} are incompatible")
    _check_kind(ts[0], NUMERIC, "AddN")
    if len(ts) == 1:
        return ts[0]
    return _apply(_add_n, *ts)


def TensorShapeStr(s):  # noqa: N802 - helper
    from tfjax._src.tensor_shape import TensorShape  # noqa: PLC0415
    return str(TensorShape(s))


def accumulate_n(inputs, shape=None, tensor_dtype=None, name=None):
    """``tf.math.accumulate_n`` (deprecated in TF): same as ``add_n``."""
    return add_n(inputs)


def _polyval(x, *coeffs):
    out = jnp.zeros_like(x)
    for c in coeffs:
        out = out * x + c
    return out


def polyval(coeffs, x, name=None):
    if not isinstance(coeffs, (list, tuple)):
        raise ValueError(f"Argument coeffs must be list type found {type(coeffs)}.")
    x = convert.tensor(x)
    cs = [convert.binary(x, c, "Polyval")[1] for c in coeffs]
    if not cs:
        return zeros_like_tensor(x)
    return _apply(_polyval, x, *cs)


def zeros_like_tensor(x):
    return _apply_unrecorded(_zeros_like_raw, x)


def _is_non_decreasing(x):
    f = x.reshape(-1)
    return jnp.all(f[1:] >= f[:-1])


def _is_strictly_increasing(x):
    f = x.reshape(-1)
    return jnp.all(f[1:] > f[:-1])


def is_non_decreasing(x, name=None):
    x = convert.tensor(x)
    if x.dtype.is_complex or x.dtype is dtypes.string or x.dtype is dtypes.bool:
        raise TypeError("Expected x to be numeric, not complex or bool")
    return _apply_unrecorded(_is_non_decreasing, x)


def is_strictly_increasing(x, name=None):
    x = convert.tensor(x)
    if x.dtype.is_complex or x.dtype is dtypes.string or x.dtype is dtypes.bool:
        raise TypeError("Expected x to be numeric, not complex or bool")
    return _apply_unrecorded(_is_strictly_increasing, x)


def _lbeta(x):
    if x.shape[-1] == 0:
        return jnp.zeros(x.shape[:-1], x.dtype)
    return (jnp.sum(jss.gammaln(x), axis=-1) - jss.gammaln(jnp.sum(x, axis=-1))).astype(x.dtype)


def lbeta(x, name=None):
    x = convert.tensor(x, dtype_hint=dtypes.float32)
    _check_kind(x, ("float",), "Lbeta")
    if x._value.ndim == 0:
        raise ValueError("lbeta needs a tensor of rank >= 1")
    return _apply(_lbeta, x)


def _invert_permutation(x):
    return jnp.zeros_like(x).at[x].set(jnp.arange(x.shape[0], dtype=x.dtype))


def invert_permutation(x, name=None):
    x = convert.tensor(x)
    if x.dtype not in (dtypes.int32, dtypes.int64):
        raise TypeError(f"invert_permutation needs int32/int64, got {x.dtype.name}")
    if x._value.ndim != 1:
        raise errors.invalid_argument("InvertPermutation", f"invert_permutation expects a 1D vector.")
    if convert.is_concrete(x):
        arr = np.asarray(x._value)
        if sorted(arr.tolist()) != list(builtins.range(arr.size)):
            raise errors.invalid_argument("InvertPermutation", f"{arr.tolist()} is not a permutation")
    return _apply_unrecorded(_invert_permutation, x)


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


# -- matrix products -------------------------------------------------------------
def _matmul(a, b, *, ta, tb, aa, ab):
    if ta:
        a = jnp.swapaxes(a, -1, -2)
    if tb:
        b = jnp.swapaxes(b, -1, -2)
    if aa:
        a = jnp.conj(jnp.swapaxes(a, -1, -2))
    if ab:
        b = jnp.conj(jnp.swapaxes(b, -1, -2))
    return jnp.matmul(a, b)


def _matmul_plain(a, b):
    return jnp.matmul(a, b)


_MATMUL_SET = kinds(("float", "complex", "sint")) | {np.dtype(np.uint8)}


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           a_is_sparse=False, b_is_sparse=False, output_type=None, grad_a=False, grad_b=False,
           name=None):
    """``tf.linalg.matmul``: inner dimensions and batch dimensions are checked eagerly."""
    if type(a) is not Tensor or type(b) is not Tensor or a._value.dtype != b._value.dtype:
        a, b = convert.binary(a, b, "MatMul")
    av, bv = a._value, b._value
    if av.dtype not in _MATMUL_SET:
        raise bad_kind(av.dtype, "MatMul")
    sa, sb = av.shape, bv.shape
    if len(sa) < 2 or len(sb) < 2:
        raise errors.invalid_argument(
            "MatMul", f"In[0] and In[1] has different ndims: {a.shape} vs. {b.shape}"
            if len(sa) != len(sb) else f"In[0] is not a matrix. Instead it has shape {a.shape}")
    ka = sa[-2] if (transpose_a or adjoint_a) else sa[-1]
    kb = sb[-1] if (transpose_b or adjoint_b) else sb[-2]
    if ka != kb:
        raise errors.invalid_argument(
            "MatMul", f"Matrix size-incompatible: In[0]: {list(sa)}, In[1]: {list(sb)}")
    if len(sa) > 2 or len(sb) > 2:
        ba, bb = sa[:-2], sb[:-2]
        try:
            np.broadcast_shapes(ba, bb)
        except ValueError:
            raise errors.invalid_argument(
                "BatchMatMulV2", f"In[0] and In[1] must have compatible batch dimensions: {a.shape} vs. {b.shape}") from None
    if output_type is not None and dtypes.as_dtype(output_type) is not a.dtype:
        raise errors.unsupported("tf.linalg.matmul(output_type=...)", "only output_type equal to the input dtype")
    if not (transpose_a or transpose_b or adjoint_a or adjoint_b):
        return _apply(_matmul_plain, a, b)
    return _apply(_matmul, a, b, ta=bool(transpose_a), tb=bool(transpose_b),
                  aa=bool(adjoint_a), ab=bool(adjoint_b))


# -- clipping ------------------------------------------------------------------
def _clip(x, lo, hi):
    return jnp.minimum(jnp.maximum(x, lo), hi)


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    """``tf.clip_by_value``: bounds broadcast to ``t``'s shape; min > max raises eagerly."""
    x = convert.tensor(t)
    lo = convert.binary(x, clip_value_min, "ClipByValue")[1]
    hi = convert.binary(x, clip_value_max, "ClipByValue")[1]
    _check_kind(x, REAL, "ClipByValue")
    for b in (lo, hi):
        try:
            if np.broadcast_shapes(b._value.shape, x._value.shape) != x._value.shape:
                raise ValueError
        except ValueError:
            raise errors.invalid_argument(
                "ClipByValue", f"clip_value_min and clip_value_max must be either scalars or have the "
                f"same shape as the input: {b.shape} vs. {x.shape}") from None
    return _apply(_clip, x, lo, hi)


TopKV2 = collections.namedtuple("TopKV2", ["values", "indices"])
