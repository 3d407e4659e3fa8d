"""``keras.ops`` numpy-like elementwise ops: unary and binary math, comparisons, logical and bitwise ops,
``clip``, ``round``, ``isclose``, ``select``, ``erf``, ..."""

from __future__ import annotations

import math as _math

import jax
import jax.numpy as jnp
import numpy as np

from tfjax._src.tensor import Tensor
from tfjax._src.keras import backend
from tfjax._src.keras.ops.core import apply, apply_unrecorded, keras_op, t, t1, cast
from tfjax._src.keras.ops.numpy_base import (
    _fdtype, _make_unary, _make_binary, _promote, _float_dt, _res, _res_float, _to,
)
# tf.abs / tf.maximum / tf.minimum / tf.clip_by_value's kernels: their gradients at 0 and at ties are
# TF's (Keras's TF backend runs those ops), where jnp's split a tie's gradient 0.5 / 0.5.
from tfjax._src.ops.binary_ops import _maximum_raw, _minimum_raw
from tfjax._src.ops.clip_ops import _clip as _tf_clip
from tfjax._src.ops.math_ops import _abs as _tf_abs


def _abs(x):
    if x.dtype == jnp.bool_ or jnp.issubdtype(x.dtype, jnp.unsignedinteger):
        return jnp.abs(x)
    return _tf_abs(x)


abs = _make_unary(_abs, "abs")  # noqa: A001
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
# Keras's TF backend runs tf.floor / tf.math.ceil / tf.round / tf.math.floordiv, which have no gradient:
# a tape's gradient through them is None (not zeros).
floor = _make_unary(jnp.floor, "floor", unrecorded=True)
ceil = _make_unary(jnp.ceil, "ceil", unrecorded=True)
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
trunc = _make_unary(jnp.trunc, "trunc", unrecorded=True)

add = _make_binary(jnp.add, "add")
subtract = _make_binary(jnp.subtract, "subtract")
multiply = _make_binary(jnp.multiply, "multiply")
power = _make_binary(jnp.power, "power")
def _maximum(a, b):
    rt = jnp.result_type(a, b)
    return _maximum_raw(a.astype(rt), b.astype(rt))


def _minimum(a, b):
    rt = jnp.result_type(a, b)
    return _minimum_raw(a.astype(rt), b.astype(rt))


maximum = _make_binary(_maximum, "maximum")
minimum = _make_binary(_minimum, "minimum")
mod = _make_binary(jnp.mod, "mod")
floor_divide = _make_binary(jnp.floor_divide, "floor_divide", True)
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


def _clip(x, lo, hi):
    rt = jnp.result_type(x, lo, hi)
    return _tf_clip(x.astype(rt), lo.astype(rt), hi.astype(rt))


@keras_op
def clip(x, x_min, x_max):
    x = t1(x)
    return apply(_clip, x, t(x_min), t(x_max))


def _round(x, *, decimals):
    return jnp.round(x, decimals)


@keras_op
def round(x, decimals=0):  # noqa: A001
    return apply_unrecorded(_round, t1(x), decimals=int(decimals))


def _nan_to_num(x, *, nan, posinf, neginf):
    return jnp.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)


@keras_op
def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    return apply(_nan_to_num, t1(x), nan=nan, posinf=posinf, neginf=neginf)


def _logaddexp(a, b):
    return jnp.logaddexp(a, b)


logaddexp = _make_binary(_logaddexp, "logaddexp")


def _isclose(a, b, *, rtol, atol, equal_nan):
    return jnp.isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)


@keras_op
def isclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    return apply_unrecorded(_isclose, t(x1), t(x2), rtol=rtol, atol=atol, equal_nan=equal_nan)


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


@keras_op
def sqrt_safe(x):
    return sqrt(x)


def _select(*args, ncond):
    conds, choices, default = args[:ncond], args[ncond:-1], args[-1]
    return jnp.select(list(conds), list(choices), default)


def select(condlist, choicelist, default=0):
    cs = [t1(c) for c in condlist]
    ch = _promote([t1(c) for c in choicelist])
    return apply(_select, *cs, *ch, cast(t(default), ch[0]._value.dtype), ncond=len(cs))


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


# -- float-computing math, float predicates, bit shifts, gcd/lcm, fmax/fmin/fmod, ``vectorize`` --------------

def _unary_float(jfn, name, int64_to=np.float64):
    def op(x):
        x = t1(x)
        return apply(jfn, _to(x, _float_dt(x._value.dtype, int64_to)))
    op.__name__ = name
    return keras_op(op)


def _angle(x):
    return jnp.angle(x)


angle = _unary_float(_angle, "angle", np.float32)


def _cbrt(x):
    return jnp.sign(x) * jnp.power(jnp.abs(x), jnp.asarray(1.0 / 3.0, x.dtype))


cbrt = _unary_float(_cbrt, "cbrt")


def _deg2rad(x):
    return x * (jnp.asarray(_math.pi, x.dtype) / jnp.asarray(180.0, x.dtype))


def _rad2deg(x):
    return x * (jnp.asarray(180.0, x.dtype) / jnp.asarray(_math.pi, x.dtype))


deg2rad = _unary_float(_deg2rad, "deg2rad")
rad2deg = _unary_float(_rad2deg, "rad2deg")


def _erfc(x):
    return jax.scipy.special.erfc(x)


erfc = _unary_float(_erfc, "erfc", np.float32)


def _i0(x):
    return jax.scipy.special.i0(x)


i0 = _unary_float(_i0, "i0")


def _sinc(x):
    pix = x * jnp.asarray(np.pi, x.dtype)
    return jnp.where(x == 0, jnp.ones_like(x), jnp.sin(pix) / jnp.where(x == 0, jnp.ones_like(pix), pix))


sinc = _unary_float(_sinc, "sinc", np.float32)


def _fabs(x):
    return jnp.abs(x)


fabs = _unary_float(_fabs, "fabs")


def _isneginf(x):
    return jnp.isneginf(x) if jnp.issubdtype(x.dtype, jnp.floating) else jnp.zeros(x.shape, bool)


def _isposinf(x):
    return jnp.isposinf(x) if jnp.issubdtype(x.dtype, jnp.floating) else jnp.zeros(x.shape, bool)


def _isreal(x):
    return jnp.isreal(x)


def _signbit(x):
    if x.dtype == jnp.bool_:
        return jnp.zeros(x.shape, bool)
    if jnp.issubdtype(x.dtype, jnp.integer):
        return x < 0
    return jnp.signbit(x)


def _bool_unary(jfn, name):
    def op(x):
        return apply_unrecorded(jfn, t1(x))
    op.__name__ = name
    return keras_op(op)


isneginf = _bool_unary(_isneginf, "isneginf")
isposinf = _bool_unary(_isposinf, "isposinf")
isreal = _bool_unary(_isreal, "isreal")
signbit = _bool_unary(_signbit, "signbit")


def _invert(x):
    return jnp.invert(x)


@keras_op
def bitwise_invert(x):
    return apply_unrecorded(_invert, t1(x))


bitwise_not = bitwise_invert


def _lshift(a, b):
    return jnp.left_shift(a, b)


def _rshift(a, b):
    return jnp.right_shift(a, b)


def _int_binary(jfn, name):
    def op(x, y):
        a, b = _promote([t1(x) if not isinstance(x, int) else t(x), t1(y) if not isinstance(y, int) else t(y)])
        return apply_unrecorded(jfn, a, b)
    op.__name__ = name
    return keras_op(op)


bitwise_left_shift = _int_binary(_lshift, "bitwise_left_shift")
bitwise_right_shift = _int_binary(_rshift, "bitwise_right_shift")
left_shift = _int_binary(_lshift, "left_shift")
right_shift = _int_binary(_rshift, "right_shift")


def _gcd(a, b):
    return jnp.gcd(a, b)


def _lcm(a, b):
    return jnp.lcm(a, b)


gcd = _int_binary(_gcd, "gcd")
lcm = _int_binary(_lcm, "lcm")


def _binary_args(x1, x2):
    return t(x1), t(x2)


def _fmax(a, b):
    return jnp.where(jnp.isnan(a), b, jnp.where(jnp.isnan(b), a, _maximum_raw(a, b)))


def _fmin(a, b):
    return jnp.where(jnp.isnan(a), b, jnp.where(jnp.isnan(b), a, _minimum_raw(a, b)))


@keras_op
def fmax(x1, x2):
    a, b = _promote(list(_binary_args(x1, x2)))
    return apply(_fmax, a, b)


@keras_op
def fmin(x1, x2):
    a, b = _promote(list(_binary_args(x1, x2)))
    return apply(_fmin, a, b)


def _fmod(a, b):
    return jnp.sign(a) * jnp.mod(jnp.abs(a), jnp.abs(b))


@keras_op
def fmod(x1, x2):
    a, b = _promote(list(_binary_args(x1, x2)))
    d = a._value.dtype
    if d == np.bool_:
        a, b = cast(a, "int32"), cast(b, "int32")
    return apply(_fmod, a, b)


def _heaviside(a, b):
    return jnp.where(a < 0, jnp.zeros_like(a), jnp.where(a > 0, jnp.ones_like(a), b))


def _hypot(a, b):
    aa, bb = jnp.abs(a), jnp.abs(b)
    mx, mn = jnp.maximum(aa, bb), jnp.minimum(aa, bb)
    ratio = jnp.where(mx == 0, jnp.zeros_like(mn), mn / jnp.where(mx == 0, jnp.ones_like(mx), mx))
    return mx * jnp.sqrt(1.0 + jnp.square(ratio))


def _float_binary(jfn, name, res_float=False):
    def op(x1, x2):
        a, b = _binary_args(x1, x2)
        rt = _res_float(a, b) if res_float else _float_dt(_res(a, b))
        return apply(jfn, _to(a, rt), _to(b, rt))
    op.__name__ = name
    return keras_op(op)


heaviside = _float_binary(_heaviside, "heaviside")
hypot = _float_binary(_hypot, "hypot")


def _logaddexp2(a, b):
    delta = a - b
    ln2 = jnp.asarray(np.log(2.0), a.dtype)
    return jnp.where(jnp.isnan(delta), a + b, jnp.maximum(a, b) + jnp.log1p(jnp.exp(-jnp.abs(delta) * ln2)) / ln2)


logaddexp2 = _float_binary(_logaddexp2, "logaddexp2", res_float=True)


def _nextafter(a, b, *, dtype):
    return jnp.nextafter(a, b).astype(dtype)


@keras_op
def nextafter(x1, x2):
    a, b = _binary_args(x1, x2)
    rt = _res_float(a, b)
    return apply_unrecorded(_nextafter, _to(a, np.float64), _to(b, np.float64), dtype=rt)


def _ldexp(a, b):
    r = a * jnp.power(jnp.asarray(2.0, a.dtype), b.astype(a.dtype))
    return jnp.where(jnp.isinf(a) | (a == 0), a, r)


@keras_op
def ldexp(x1, x2):
    a, b = _binary_args(x1, x2)
    if not jnp.issubdtype(b._value.dtype, jnp.integer):
        raise TypeError(f"ldexp exponent must be an integer type. Received: x2 dtype={backend.standardize_dtype(b._value.dtype)}")
    rt = _res_float(a, b)
    return apply(_ldexp, _to(a, rt), b)


@keras_op
def allclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    from tfjax._src.keras.ops.numpy_reductions import all as _all  # noqa: PLC0415
    return _all(isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan))


def _isin(a, b, *, invert):
    r = jnp.isin(a, b)
    return jnp.logical_not(r) if invert else r


@keras_op
def isin(x1, x2, assume_unique=False, invert=False):
    a, b = _promote([t1(x1), t1(x2)])
    return apply_unrecorded(_isin, a, b, invert=bool(invert))


def vectorize(pyfunc, *, excluded=None, signature=None):
    """``keras.ops.vectorize``: ``jnp.vectorize`` over tfjax Tensors."""
    from tfjax._src.keras.ops.control_flow import vectorized_map  # noqa: PLC0415, F401

    def wrapped(*args, **kwargs):
        def raw(*raws):
            out = pyfunc(*[Tensor(r) for r in raws], **kwargs)
            return jax.tree_util.tree_map(lambda o: t(o)._value, out)
        vf = jnp.vectorize(raw, excluded=excluded or set(), signature=signature)
        res = vf(*[t1(a)._value for a in args])
        return jax.tree_util.tree_map(Tensor, res)
    return wrapped
