"""``keras.ops`` numpy-like elementwise ops: unary and binary math, comparisons, logical and bitwise ops,
``clip``, ``round``, ``isclose``, ``select``, ``erf``, ..."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from tfjax._src.keras.ops.core import apply, apply_unrecorded, keras_op, t, t1, cast
from tfjax._src.keras.ops.numpy_base import _fdtype, _make_unary, _make_binary, _promote
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
