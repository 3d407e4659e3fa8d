"""Elementwise unary math, complex parts, casts, n-ary sums and matrix products (``tf.math``).

Each op converts its arguments with :mod:`.convert` (TF's dtype rules), checks in
eager mode what JAX would accept silently, and runs one ``dispatch.apply``.
The ``jax_fn`` handed to dispatch is always a module-level function (or one built
once at import) so the tape's replay cache can key on it.

Binary elementwise ops live in :mod:`.binary_ops`, reductions and scans in
:mod:`.reduction_ops`, bincount/confusion_matrix in :mod:`.histogram_ops`,
``clip_by_value`` in :mod:`.clip_ops` and the dtype-kind helpers in :mod:`.math_common`.
They are re-exported here (see the imports) because much of the code base
calls them as ``math_ops.<name>``.
"""

from __future__ import annotations

import builtins

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

# The ops below moved to their own modules; many callers still reach them as ``math_ops.<name>``.
from tfjax._src.ops.binary_ops import (  # noqa: F401 - re-export
    add, subtract, multiply, maximum, minimum, squared_difference, atan2, xdivy, xlogy, xlog1py,
    multiply_no_nan, nextafter, igamma, igammac, zeta, polygamma, logical_and, logical_or, logical_xor, less,
    less_equal, greater, greater_equal, equal, not_equal, betainc, pow, truediv, divide, realdiv, div, floordiv,
    floor_div, floormod, mod, truncatediv, truncatemod, divide_no_nan, scalar_mul,
)
from tfjax._src.ops.reduction_ops import (  # noqa: F401 - re-export
    reduce_sum, reduce_prod, reduce_mean, reduce_max, reduce_min, reduce_all, reduce_any, reduce_logsumexp,
    reduce_euclidean_norm, reduce_variance, reduce_std, count_nonzero, zero_fraction, argmax, argmin, cumsum,
    cumprod, cumulative_logsumexp,
)
from tfjax._src.ops.clip_ops import clip_by_value  # noqa: F401 - re-export
from tfjax._src.ops.math_common import (  # noqa: F401 - re-export
    NUMERIC, REAL, FLOATC, kinds, bad_kind, _check_kind, check, _keep_dtype,
)

_apply = dispatch.apply
_apply_unrecorded = dispatch.apply_unrecorded


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
# TF registers no gradient for Floor / Ceil / Rint / Round: a tape's gradient through them is None, not 0.
floor = _unary("Floor", jnp.floor, ("float",), recorded=False)
ceil = _unary("Ceil", jnp.ceil, ("float",), recorded=False)
rint = _unary("Rint", jnp.rint, ("float",), recorded=False)
round = _unary("Round", _round_half_even, ("float", "complex", "sint"), recorded=False)  # noqa: A001 - TF name
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
