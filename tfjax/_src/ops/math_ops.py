"""Elementwise math, reductions and matrix products (``tf.math``).

Each op converts its arguments with :mod:`.convert` (TF's dtype rules), checks in
eager mode what JAX would accept silently, and runs one ``dispatch.apply``.
The ``jax_fn`` handed to dispatch is always a module-level function so the tape's
replay cache can key on it.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from tfjax._src import dispatch
from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src.ops import convert
from tfjax._src.tensor import Tensor


def _unary(op_name, jax_fn, allowed=("float", "complex"), doc=None):
    """Builds a unary op restricted to dtype kinds ``allowed`` (as TF's kernels are)."""

    def op(x, name=None):
        x = convert.tensor(x)
        _check_kind(x, allowed, op_name)
        return dispatch.apply(jax_fn, x)

    op.__name__ = op_name
    op.__doc__ = doc or f"``tf.math.{op_name}``, elementwise."
    return op


_KIND_OK = {
    "float": lambda d: d.is_floating,
    "complex": lambda d: d.is_complex,
    "int": lambda d: d.is_integer,
    "bool": lambda d: d is dtypes.bool,
}


def _check_kind(x: Tensor, allowed, op_name):
    d = x.dtype
    if not any(_KIND_OK[k](d) for k in allowed):
        raise errors.invalid_argument(
            op_name, f"Value for attr 'T' of {d.name} is not in the list of allowed values")


NUMERIC = ("float", "complex", "int")

# -- unary -------------------------------------------------------------------
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
sigmoid = _unary("Sigmoid", jax.nn.sigmoid)
erf = _unary("Erf", jax.scipy.special.erf)
erfc = _unary("Erfc", jax.scipy.special.erfc)
lgamma = _unary("Lgamma", jax.scipy.special.gammaln)
digamma = _unary("Digamma", jax.scipy.special.digamma)
floor = _unary("Floor", jnp.floor, ("float",))
ceil = _unary("Ceil", jnp.ceil, ("float",))
rint = _unary("Rint", jnp.rint, ("float",))
round = _unary("Round", jnp.round, ("float", "int"))  # noqa: A001 - TF name; half to even as TF
reciprocal = _unary("Reciprocal", jnp.reciprocal)
negative = _unary("Neg", jnp.negative, NUMERIC)
square = _unary("Square", jnp.square, NUMERIC)
sign = _unary("Sign", jnp.sign, NUMERIC)
is_nan = _unary("IsNan", jnp.isnan, ("float",))
is_inf = _unary("IsInf", jnp.isinf, ("float",))
is_finite = _unary("IsFinite", jnp.isfinite, ("float",))
logical_not = _unary("LogicalNot", jnp.logical_not, ("bool",))
softplus = _unary("Softplus", jax.nn.softplus, ("float",))
log_sigmoid = _unary("LogSigmoid", jax.nn.log_sigmoid, ("float",))


def _abs(x):
    return jnp.abs(x)


def abs(x, name=None):  # noqa: A001 - TF name
    x = convert.tensor(x)
    _check_kind(x, NUMERIC, "Abs")
    return dispatch.apply(_abs, x)


def _real_dtype_abs(x):
    return jnp.abs(x)


# -- binary ------------------------------------------------------------------
def _binary(op_name, jax_fn, allowed=NUMERIC, unrecorded=False):
    run = dispatch.apply_unrecorded if unrecorded else dispatch.apply

    def op(x, y, name=None):
        x, y = convert.binary(x, y, op_name)
        _check_kind(x, allowed, op_name)
        return run(jax_fn, x, y)

    op.__name__ = op_name
    op.__doc__ = f"``tf.math`` {op_name}: elementwise with broadcasting, no dtype promotion."
    return op


add = _binary("AddV2", jnp.add, NUMERIC + ("bool",))
subtract = _binary("Sub", jnp.subtract)
multiply = _binary("Mul", jnp.multiply, NUMERIC + ("bool",))
maximum = _binary("Maximum", jnp.maximum, ("float", "int"))
minimum = _binary("Minimum", jnp.minimum, ("float", "int"))
squared_difference = _binary("SquaredDifference", lambda a, b: jnp.square(a - b))
atan2 = _binary("Atan2", jnp.arctan2, ("float",))
xdivy = _binary("Xdivy", lambda a, b: jnp.where(a == 0, jnp.zeros_like(a), a / b), ("float", "complex"))
xlogy = _binary("Xlogy", jax.scipy.special.xlogy, ("float", "complex"))
logical_and = _binary("LogicalAnd", jnp.logical_and, ("bool",), unrecorded=True)
logical_or = _binary("LogicalOr", jnp.logical_or, ("bool",), unrecorded=True)
logical_xor = _binary("LogicalXor", jnp.logical_xor, ("bool",), unrecorded=True)
equal = _binary("Equal", jnp.equal, NUMERIC + ("bool",), unrecorded=True)
not_equal = _binary("NotEqual", jnp.not_equal, NUMERIC + ("bool",), unrecorded=True)
less = _binary("Less", jnp.less, ("float", "int"), unrecorded=True)
less_equal = _binary("LessEqual", jnp.less_equal, ("float", "int"), unrecorded=True)
greater = _binary("Greater", jnp.greater, ("float", "int"), unrecorded=True)
greater_equal = _binary("GreaterEqual", jnp.greater_equal, ("float", "int"), unrecorded=True)


def _pow(a, b):
    return jnp.power(a, b)


def pow(x, y, name=None):  # noqa: A001 - TF name
    x, y = convert.binary(x, y, "Pow")
    _check_kind(x, NUMERIC, "Pow")
    if x.dtype.is_integer and convert.is_concrete(y) and bool(np.any(np.asarray(y._value) < 0)):
        raise errors.invalid_argument("Pow", "Integers to negative integer powers are not allowed")
    return dispatch.apply(_pow, x, y)


def _truediv(a, b):
    return a / b


def _int_truediv(a, b, *, np_dtype):
    return a.astype(np_dtype) / b.astype(np_dtype)


def truediv(x, y, name=None):
    """``x / y``: integers are divided as floats (int8/16 -> float32, int32/64 -> float64)."""
    x, y = convert.binary(x, y, "RealDiv")
    d = x.dtype
    if d.is_integer:
        target = np.float32 if d.size <= 2 else np.float64
        return dispatch.apply_unrecorded(_int_truediv, x, y, np_dtype=target)
    _check_kind(x, ("float", "complex"), "RealDiv")
    return dispatch.apply(_truediv, x, y)


divide = truediv


def _div(a, b):
    return jnp.true_divide(a, b) if jnp.issubdtype(a.dtype, jnp.inexact) else lax.div(a, b)


def div(x, y, name=None):
    """``tf.math.div`` (legacy): C-style truncating division for integers."""
    x, y = convert.binary(x, y, "Div")
    _check_int_zero(x, y, "Div")
    return dispatch.apply(_div, x, y)


def _check_int_zero(x, y, op_name):
    if x.dtype.is_integer and convert.is_concrete(y) and bool(np.any(np.asarray(y._value) == 0)):
        raise errors.invalid_argument(op_name, "Integer division by zero")


def _floordiv(a, b):
    return jnp.floor_divide(a, b)


def floordiv(x, y, name=None):
    x, y = convert.binary(x, y, "FloorDiv")
    _check_kind(x, ("float", "int"), "FloorDiv")
    _check_int_zero(x, y, "FloorDiv")
    return dispatch.apply(_floordiv, x, y)


floor_div = floordiv


def _floormod(a, b):
    return jnp.remainder(a, b)


def floormod(x, y, name=None):
    x, y = convert.binary(x, y, "FloorMod")
    _check_kind(x, ("float", "int"), "FloorMod")
    _check_int_zero(x, y, "FloorMod")
    return dispatch.apply(_floormod, x, y)


mod = floormod


def _divide_no_nan(a, b):
    safe = jnp.where(b == 0, jnp.ones_like(b), b)
    return jnp.where(b == 0, jnp.zeros_like(a), a / safe)


def divide_no_nan(x, y, name=None):
    x, y = convert.binary(x, y, "DivNoNan")
    _check_kind(x, ("float", "complex"), "DivNoNan")
    return dispatch.apply(_divide_no_nan, x, y)


# -- casts ---------------------------------------------------------------------
def _cast(x, *, np_dtype):
    if jnp.issubdtype(x.dtype, jnp.complexfloating) and not jnp.issubdtype(np_dtype, jnp.complexfloating):
        x = jnp.real(x)
    return x.astype(np_dtype)


def cast(x, dtype, name=None):
    """``tf.cast``: float -> int truncates toward zero (as C and TF do)."""
    dtype = dtypes.as_dtype(dtype)
    x = convert.tensor(x)
    if x.dtype is dtype:
        return x
    if dtype is dtypes.string or x.dtype is dtypes.string:
        raise errors.unsupported("tf.cast to/from tf.string", "use tf.strings.as_string / to_number")
    fn = dispatch.apply if (dtype.is_floating or dtype.is_complex) and (x.dtype.is_floating or x.dtype.is_complex) \
        else dispatch.apply_unrecorded
    return fn(_cast, x, np_dtype=dtype._np)


def saturate_cast(value, dtype, name=None):
    dtype = dtypes.as_dtype(dtype)
    x = convert.tensor(value)
    if dtype.is_integer or dtype.is_floating:
        lo, hi = dtype.min, dtype.max
        if x.dtype.is_floating or (x.dtype.is_integer and (x.dtype.min < lo or x.dtype.max > hi)):
            x = clip_by_value(x, max(lo, x.dtype.min), min(hi, x.dtype.max))
    return cast(x, dtype)


# -- reductions --------------------------------------------------------------
def _reduce(op_name, jax_fn, allowed=NUMERIC, recorded=True):
    run = dispatch.apply if recorded else dispatch.apply_unrecorded

    def op(input_tensor, axis=None, keepdims=False, name=None):
        x = convert.tensor(input_tensor)
        _check_kind(x, allowed, op_name)
        axes = convert.axis_tuple(axis, x._value.ndim)
        return run(jax_fn, x, axis=axes, keepdims=bool(keepdims))

    op.__name__ = op_name
    return op


def _sum(x, *, axis, keepdims):
    return jnp.sum(x, axis=axis, keepdims=keepdims, dtype=x.dtype)


def _prod(x, *, axis, keepdims):
    return jnp.prod(x, axis=axis, keepdims=keepdims, dtype=x.dtype)


def _mean(x, *, axis, keepdims):
    if jnp.issubdtype(x.dtype, jnp.integer):
        # TF keeps integer means integer: the sum divided with truncation.
        n = np.prod([x.shape[a] for a in (axis if axis is not None else range(x.ndim))], dtype=np.int64)
        s = jnp.sum(x, axis=axis, keepdims=keepdims, dtype=x.dtype)
        return lax.div(s, jnp.asarray(max(int(n), 1), x.dtype))
    return jnp.mean(x, axis=axis, keepdims=keepdims, dtype=x.dtype)


def _max(x, *, axis, keepdims):
    return jnp.max(x, axis=axis, keepdims=keepdims)


def _min(x, *, axis, keepdims):
    return jnp.min(x, axis=axis, keepdims=keepdims)


def _all(x, *, axis, keepdims):
    return jnp.all(x, axis=axis, keepdims=keepdims)


def _any(x, *, axis, keepdims):
    return jnp.any(x, axis=axis, keepdims=keepdims)


def _logsumexp(x, *, axis, keepdims):
    return jax.scipy.special.logsumexp(x, axis=axis, keepdims=keepdims)


def _variance(x, *, axis, keepdims):
    return jnp.var(x, axis=axis, keepdims=keepdims)


def _std(x, *, axis, keepdims):
    return jnp.std(x, axis=axis, keepdims=keepdims)


reduce_sum = _reduce("Sum", _sum, NUMERIC + ("bool",))
reduce_prod = _reduce("Prod", _prod)
reduce_mean = _reduce("Mean", _mean)
reduce_max = _reduce("Max", _max, ("float", "int"))
reduce_min = _reduce("Min", _min, ("float", "int"))
reduce_all = _reduce("All", _all, ("bool",), recorded=False)
reduce_any = _reduce("Any", _any, ("bool",), recorded=False)
reduce_logsumexp = _reduce("ReduceLogSumExp", _logsumexp, ("float",))
reduce_variance = _reduce("ReduceVariance", _variance, ("float", "complex"))
reduce_std = _reduce("ReduceStd", _std, ("float", "complex"))


def _argmax(x, *, axis, np_dtype):
    return jnp.argmax(x, axis=axis).astype(np_dtype)


def _argmin(x, *, axis, np_dtype):
    return jnp.argmin(x, axis=axis).astype(np_dtype)


def argmax(input, axis=None, output_type=dtypes.int64, name=None):  # noqa: A002 - TF name
    x = convert.tensor(input)
    axis = 0 if axis is None else convert.static_int(axis)
    return dispatch.apply_unrecorded(_argmax, x, axis=axis, np_dtype=dtypes.as_dtype(output_type)._np)


def argmin(input, axis=None, output_type=dtypes.int64, name=None):  # noqa: A002 - TF name
    x = convert.tensor(input)
    axis = 0 if axis is None else convert.static_int(axis)
    return dispatch.apply_unrecorded(_argmin, x, axis=axis, np_dtype=dtypes.as_dtype(output_type)._np)


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


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           a_is_sparse=False, b_is_sparse=False, output_type=None, grad_a=False, grad_b=False,
           name=None):
    """``tf.linalg.matmul``: inner dimensions and batch dimensions are checked eagerly."""
    a, b = convert.binary(a, b, "MatMul")
    if a._value.ndim < 2 or b._value.ndim < 2:
        raise errors.invalid_argument(
            "MatMul", f"In[0] and In[1] has different ndims: {a.shape} vs. {b.shape}"
            if a._value.ndim != b._value.ndim else f"In[0] is not a matrix. Instead it has shape {a.shape}")
    ka = a._value.shape[-2] if (transpose_a or adjoint_a) else a._value.shape[-1]
    kb = b._value.shape[-1] if (transpose_b or adjoint_b) else b._value.shape[-2]
    if ka != kb:
        raise errors.invalid_argument(
            "MatMul", f"Matrix size-incompatible: In[0]: {list(a._value.shape)}, In[1]: {list(b._value.shape)}")
    if output_type is not None and dtypes.as_dtype(output_type) is not a.dtype:
        raise errors.unsupported("tf.linalg.matmul(output_type=...)", "only output_type equal to the input dtype")
    if not (transpose_a or transpose_b or adjoint_a or adjoint_b):
        return dispatch.apply(_matmul_plain, a, b)
    return dispatch.apply(_matmul, a, b, ta=bool(transpose_a), tb=bool(transpose_b),
                          aa=bool(adjoint_a), ab=bool(adjoint_b))


# -- clipping ------------------------------------------------------------------
def _clip(x, lo, hi):
    return jnp.clip(x, lo, hi)


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    x = convert.tensor(t)
    lo = convert.binary(x, clip_value_min, "ClipByValue")[1]
    hi = convert.binary(x, clip_value_max, "ClipByValue")[1]
    return dispatch.apply(_clip, x, lo, hi)
