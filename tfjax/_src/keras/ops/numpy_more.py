"""More ``keras.ops`` numpy-like ops (Keras 3.x additions): nan-reductions, percentiles, splits, bit shifts,
special functions, ``unique`` / ``histogram`` / ``searchsorted``, ``kron`` / ``vander`` / ``rot90``, ...

Dtype rules follow Keras's TF backend (checked against real Keras in
compat_tests/keras/test_ops_numpy_more_compat.py): ops that compute in floating point turn bool and
<=32-bit integers into ``floatx`` and int64 into float64 unless noted.
"""

from __future__ import annotations

import builtins
import math as _math

import jax
import jax.numpy as jnp
import numpy as np

from tfjax._src.tensor import Tensor
from tfjax._src.keras import backend
from tfjax._src.keras.ops.core import apply, apply_unrecorded, keras_op, t, t1, cast, np_dtype
from tfjax._src.keras.ops.numpy_base import _axis, _promote
from tfjax._src.ops.binary_ops import _maximum_raw, _minimum_raw


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


# -- elementwise ---------------------------------------------------------------

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


def _flip_lr(x):
    return jnp.flip(x, 1)


def _flip_ud(x):
    return jnp.flip(x, 0)


@keras_op
def fliplr(x):
    return apply(_flip_lr, t1(x))


@keras_op
def flipud(x):
    return apply(_flip_ud, t1(x))


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


def _kron(a, b):
    return jnp.kron(a, b)


@keras_op
def kron(x1, x2):
    a, b = _promote([t1(x1), t1(x2)])
    return apply(_kron, a, b)


@keras_op
def allclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    from tfjax._src.keras.ops.numpy_elementwise import isclose  # noqa: PLC0415
    from tfjax._src.keras.ops.numpy_reductions import all as _all  # noqa: PLC0415
    return _all(isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan))


def _isin(a, b, *, invert):
    r = jnp.isin(a, b)
    return jnp.logical_not(r) if invert else r


@keras_op
def isin(x1, x2, assume_unique=False, invert=False):
    a, b = _promote([t1(x1), t1(x2)])
    return apply_unrecorded(_isin, a, b, invert=bool(invert))


# -- creation --------------------------------------------------------------------

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
    from tfjax._src.keras.ops.numpy_creation import linspace  # noqa: PLC0415
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


def _diagflat(x, *, k):
    return jnp.diagflat(x, k)


@keras_op
def diagflat(x, k=0):
    return apply(_diagflat, t1(x), k=int(k))


def _diagonal(x, *, offset, axis1, axis2):
    return jnp.diagonal(x, offset, axis1, axis2)


@keras_op
def diagonal(x, offset=0, axis1=0, axis2=1):
    return apply(_diagonal, t1(x), offset=int(offset), axis1=int(axis1), axis2=int(axis2))


# -- shape -----------------------------------------------------------------------

def _split_static(x, indices_or_sections, axis, kind):
    from tfjax._src.keras.ops.numpy_shape import split  # noqa: PLC0415
    x = t1(x)
    n = x.shape[axis]
    if kind == "array":
        if not isinstance(indices_or_sections, int):
            raise TypeError("Argument `indices_or_sections` must be of type `int`. "
                            f"Received: indices_or_sections={indices_or_sections}")
        k = int(indices_or_sections)
        q, r = divmod(n, k)
        sizes = [q + 1] * r + [q] * (k - r)
        idx = list(np.cumsum(sizes)[:-1])
        return split(x, [int(i) for i in idx], axis=axis)
    return split(x, indices_or_sections, axis=axis)


@keras_op
def array_split(x, indices_or_sections, axis=0):
    return _split_static(x, indices_or_sections, int(axis), "array")


@keras_op
def hsplit(x, indices_or_sections):
    x = t1(x)
    return _split_static(x, indices_or_sections, 0 if len(x.shape) == 1 else 1, "split")


@keras_op
def vsplit(x, indices_or_sections):
    return _split_static(x, indices_or_sections, 0, "split")


@keras_op
def dsplit(x, indices_or_sections):
    return _split_static(x, indices_or_sections, 2, "split")


@keras_op
def dstack(xs):
    from tfjax._src.keras.ops.numpy_shape import concatenate  # noqa: PLC0415
    ts = _promote([t1(e) for e in xs])
    ts = [apply(_atleast3d, e) for e in ts]
    return concatenate(ts, axis=2)


def _atleast3d(x):
    return jnp.atleast_3d(x)


def _rot90(x, *, k, axes):
    return jnp.rot90(x, k, axes)


@keras_op
def rot90(array, k=1, axes=(0, 1)):
    return apply(_rot90, t1(array), k=int(k), axes=tuple(int(a) for a in axes))


@keras_op
def get_item(x, key):
    from tfjax._src.ops import array_ops  # noqa: PLC0415
    if isinstance(key, (Tensor,)) and key._value.dtype == np.bool_:
        return Tensor(t1(x)._value[np.asarray(key)])
    return array_ops.getitem(t1(x), key)


def _view(x, *, dtype):
    return x.view(dtype)


@keras_op
def view(x, dtype=None):
    x = t1(x)
    if dtype is None:
        return x
    new = np_dtype(dtype)
    old = x._value.dtype
    shp = x.shape.as_list() if hasattr(x.shape, "as_list") else list(x.shape)
    last = shp[-1] if shp else -1
    if (last == -1 and old.itemsize != new.itemsize) or (last * old.itemsize % new.itemsize != 0):
        raise ValueError(
            f"Cannot view array of shape {tuple(shp)} and dtype {backend.standardize_dtype(old)} as dtype "
            f"{backend.standardize_dtype(new)} because the total number of bytes is not divisible by the new "
            "itemsize.")
    return apply_unrecorded(_view, x, dtype=new)


def _unravel(idx, *, shape):
    return jnp.stack(jnp.unravel_index(idx, shape)).astype(idx.dtype)


@keras_op
def unravel_index(indices, shape):
    idx = t1(indices)
    shape = tuple(int(s) for s in shape)
    out = apply_unrecorded(_unravel, idx, shape=shape)
    from tfjax._src.keras.ops.numpy_shape import unstack  # noqa: PLC0415
    return tuple(unstack(out, axis=0)) if len(shape) else ()


# -- reductions ------------------------------------------------------------------

def _ptp(x, *, axis, keepdims):
    return jnp.max(x, axis=axis, keepdims=keepdims) - jnp.min(x, axis=axis, keepdims=keepdims)


@keras_op
def ptp(x, axis=None, keepdims=False):
    return apply(_ptp, t1(x), axis=_axis(axis), keepdims=bool(keepdims))


def _nanred(kind):
    def f(x, *, axis, keepdims):
        return getattr(jnp, kind)(x, axis=axis, keepdims=keepdims)
    f.__name__ = "_" + kind
    f.__qualname__ = "_" + kind
    return f


def _nansum_f(x, *, axis, keepdims):
    return jnp.nansum(x, axis=axis, keepdims=keepdims, dtype=x.dtype)


def _nanprod_f(x, *, axis, keepdims):
    return jnp.nanprod(x, axis=axis, keepdims=keepdims, dtype=x.dtype)
_nanmax_f = _nanred("nanmax")
_nanmin_f = _nanred("nanmin")
_nanmean_f = _nanred("nanmean")
_nanvar_f = _nanred("nanvar")
_nanstd_f = _nanred("nanstd")


def _empty_axis(axis):
    return axis == () or axis == []


def _sum_dt(d):
    d = np.dtype(d)
    if d == np.bool_ or (jnp.issubdtype(d, jnp.integer) and d.itemsize < 4):
        return np.dtype(np.int32)
    return d


@keras_op
def nansum(x, axis=None, keepdims=False):
    x = t1(x)
    x = cast(x, _sum_dt(x._value.dtype))
    return apply(_nansum_f, x, axis=_axis(axis), keepdims=bool(keepdims))


@keras_op
def nanprod(x, axis=None, keepdims=False):
    x = t1(x)
    x = cast(x, _sum_dt(x._value.dtype))
    return apply(_nanprod_f, x, axis=_axis(axis), keepdims=bool(keepdims))


@keras_op
def nanmax(x, axis=None, keepdims=False):
    return apply(_nanmax_f, t1(x), axis=_axis(axis), keepdims=bool(keepdims))


@keras_op
def nanmin(x, axis=None, keepdims=False):
    return apply(_nanmin_f, t1(x), axis=_axis(axis), keepdims=bool(keepdims))


@keras_op
def nanmean(x, axis=None, keepdims=False):
    x = t1(x)
    if _empty_axis(axis):
        return x
    return apply(_nanmean_f, cast(x, _float_dt(x._value.dtype, np.float32)), axis=_axis(axis),
                 keepdims=bool(keepdims))


@keras_op
def nanvar(x, axis=None, keepdims=False):
    x = t1(x)
    return apply(_nanvar_f, cast(x, _float_dt(x._value.dtype, np.float32)), axis=_axis(axis),
                 keepdims=bool(keepdims))


@keras_op
def nanstd(x, axis=None, keepdims=False):
    x = t1(x)
    return apply(_nanstd_f, cast(x, _float_dt(x._value.dtype, np.float32)), axis=_axis(axis),
                 keepdims=bool(keepdims))


def _nanarg(x, *, axis, keepdims, kind):
    if not jnp.issubdtype(x.dtype, jnp.floating):
        f = jnp.argmax if kind == "max" else jnp.argmin
        return f(x, axis=axis, keepdims=keepdims).astype(jnp.int32)
    nan = jnp.isnan(x)
    fill = -jnp.inf if kind == "max" else jnp.inf
    f = jnp.argmax if kind == "max" else jnp.argmin
    r = f(jnp.where(nan, fill, x), axis=axis, keepdims=keepdims).astype(jnp.int32)
    return jnp.where(jnp.all(nan, axis=axis, keepdims=keepdims), -1, r)


@keras_op
def nanargmax(x, axis=None, keepdims=False):
    return apply_unrecorded(_nanarg, t1(x), axis=_axis(axis), keepdims=bool(keepdims), kind="max")


@keras_op
def nanargmin(x, axis=None, keepdims=False):
    return apply_unrecorded(_nanarg, t1(x), axis=_axis(axis), keepdims=bool(keepdims), kind="min")


def _nancum(x, *, axis, kind, dtype):
    return getattr(jnp, kind)(x, axis=axis, dtype=dtype)


@keras_op
def nancumsum(x, axis=None, dtype=None):
    x = t1(x)
    return apply(_nancum, x, axis=axis, kind="nancumsum",
                 dtype=np_dtype(dtype) if dtype else _sum_dt(x._value.dtype))


@keras_op
def nancumprod(x, axis=None, dtype=None):
    x = t1(x)
    return apply(_nancum, x, axis=axis, kind="nancumprod",
                 dtype=np_dtype(dtype) if dtype else _sum_dt(x._value.dtype))


def _quantile_impl(x, q, *, axis, method, keepdims, nan, dtype):
    f = jnp.nanquantile if nan else jnp.quantile
    return f(x.astype(dtype), q.astype(dtype), axis=axis, method=method, keepdims=keepdims).astype(dtype)


def _qdtype(x):
    d = x._value.dtype
    if d == np.int64:
        return np.dtype(np.float64)
    if jnp.issubdtype(d, jnp.floating):
        return d
    return _floatx()


def _quant(x, q, axis, method, keepdims, nan, scale=1.0):
    x = t1(x)
    d = _qdtype(x)
    q = t(q, d)
    if scale != 1.0:
        from tfjax._src.keras.ops.numpy_elementwise import divide  # noqa: PLC0415
        q = divide(q, 100.0)
    return apply(_quantile_impl, x, q, axis=_axis(axis), method=method, keepdims=bool(keepdims), nan=nan, dtype=d)


@keras_op
def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    return _quant(x, q, axis, method, keepdims, True)


@keras_op
def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    return _quant(x, q, axis, method, keepdims, True, 100.0)


@keras_op
def percentile(x, q, axis=None, method="linear", keepdims=False):
    return _quant(x, q, axis, method, keepdims, False, 100.0)


@keras_op
def nanmedian(x, axis=None, keepdims=False):
    x = t1(x)
    if _empty_axis(axis):
        return x
    return nanquantile(x, 0.5, axis=axis, keepdims=keepdims)


def _trapezoid(y, dx, *, axis):
    y = jnp.moveaxis(y, axis, -1)
    if dx.ndim:
        dx = jnp.moveaxis(dx, axis, -1)
    return jnp.sum(0.5 * (y[..., 1:] + y[..., :-1]) * dx, axis=-1)


@keras_op
def trapezoid(y, x=None, dx=1.0, axis=-1):
    y = t1(y)
    d = _res_float(y)
    y = cast(y, d)
    if x is None:
        dxa = t(dx, d)
    else:
        from tfjax._src.keras.ops.numpy_elementwise import diff  # noqa: PLC0415
        dxa = diff(t(x, d), axis=axis)
    return apply(_trapezoid, y, dxa, axis=int(axis))


def _corrcoef(x):
    m = jnp.mean(x, axis=-1, keepdims=True)
    xc = x - m
    n = jnp.asarray(x.shape[-1], x.dtype)
    cov = jnp.matmul(xc, jnp.conj(jnp.swapaxes(xc, -1, -2))) / (n - 1)
    sd = jnp.sqrt(jnp.real(jnp.diagonal(cov)))
    c = cov / jnp.outer(sd, sd).astype(cov.dtype)
    return jnp.clip(jnp.real(c), -1.0, 1.0).astype(c.dtype) if not jnp.iscomplexobj(c) else c


@keras_op
def corrcoef(x):
    x = t1(x)
    d = x._value.dtype
    if d == np.bool_ or (jnp.issubdtype(d, jnp.integer) and d != np.int64):
        x = cast(x, _floatx())
    return apply(_corrcoef, x)


def _correlate(a, b, *, mode):
    return jnp.correlate(a, b, mode=mode)


@keras_op
def correlate(x1, x2, mode="valid"):
    a, b = t1(x1), t1(x2)
    rt = _res(a, b)
    if rt == np.int64:
        rt = np.dtype(np.float64)
    elif rt not in (np.dtype(jnp.bfloat16), np.dtype(np.float16), np.dtype(np.float64)):
        rt = np.dtype(np.float32)
    return apply(_correlate, cast(a, rt), cast(b, rt), mode=mode)


# -- sorting / searching / data-dependent shapes ------------------------------------

def _searchsorted(s, v, *, side):
    return jnp.searchsorted(s, v, side=side).astype(jnp.int32)


@keras_op
def searchsorted(sorted_sequence, values, side="left"):
    s, v = t1(sorted_sequence), t1(values)
    if len(s.shape) != 1:
        raise ValueError(f"`searchsorted` only supports 1-D sorted sequences. You can use `keras.ops.vectorized_map` "
                         f"to extend it to N-D sequences. Received: sorted_sequence.shape={s.shape}")
    s, v = _promote([s, v])
    return apply_unrecorded(_searchsorted, s, v, side=side)


def _argpartition(x, *, kth, axis):
    # Keras's TF backend: the kth+1 smallest (by top_k of -x, ties by index), then the rest by top_k.
    x = jnp.swapaxes(x, axis, -1)
    n = x.shape[-1]
    k = builtins.min(builtins.max(kth, 0), n - 1)
    _, bottom = jax.lax.top_k(-x, k + 1)
    mask = jnp.sum(jax.nn.one_hot(bottom, n, dtype=jnp.int32), axis=-2) > 0
    masked = jnp.where(mask, jnp.zeros_like(x), x)
    _, top = jax.lax.top_k(masked, n - k - 1)
    return jnp.swapaxes(jnp.concatenate([bottom, top], -1).astype(jnp.int32), -1, axis)


@keras_op
def argpartition(x, kth, axis=-1):
    x = cast(t1(x), "int32")
    if axis is None:
        from tfjax._src.keras.ops.numpy_shape import reshape  # noqa: PLC0415
        x = reshape(x, (-1,))
        axis = 0
    return apply_unrecorded(_argpartition, x, kth=int(kth), axis=int(axis))


@keras_op
def histogram(x, bins=10, range=None):  # noqa: A002
    x = t1(x)
    a = np.asarray(x._value)
    if range is None:
        lo, hi = a.min(), a.max()
    else:
        lo, hi = range
    edges = np.asarray(jnp.linspace(jnp.asarray(lo, jnp.float32) if not isinstance(lo, np.generic) else lo,
                                    hi, int(bins) + 1)).astype(a.dtype)
    sel = a[(a >= lo) & (a <= hi)]
    idx = np.searchsorted(edges[1:-1], sel, side="right")
    counts = np.bincount(idx, minlength=int(bins)).astype(a.dtype)
    return Tensor(jnp.asarray(counts)), Tensor(jnp.asarray(edges))


def unique(x, sorted=True, return_index=False, return_inverse=False, return_counts=False, axis=None,  # noqa: A002
           size=None, fill_value=None):
    x = t1(x)
    a = np.asarray(x._value)
    res = np.unique(a, return_index=True, return_inverse=True, return_counts=True, axis=axis)
    u, ind, inv, cnt = res
    if not sorted:
        order = np.argsort(ind, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        u = np.take(u, order, axis=0 if axis is None else axis)
        ind, cnt = ind[order], cnt[order]
        inv = rank[inv]
    if size is not None:
        n = u.shape[0 if axis is None else axis]
        if n < size:
            fv = 0 if fill_value is None else fill_value
            padw = [(0, 0)] * u.ndim
            padw[0 if axis is None else axis] = (0, size - n)
            u = np.pad(u, padw, constant_values=fv)
            ind = np.pad(ind, (0, size - n))
            cnt = np.pad(cnt, (0, size - n))
        else:
            u = np.take(u, np.arange(size), axis=0 if axis is None else axis)
            ind, cnt = ind[:size], cnt[:size]
    if axis is None:
        inv = inv.reshape(a.shape)
    out = [Tensor(jnp.asarray(u))]
    if return_index:
        out.append(Tensor(jnp.asarray(ind.astype(np.int32))))
    if return_inverse:
        out.append(Tensor(jnp.asarray(np.asarray(inv).reshape(-1 if axis is not None else a.shape)
                                      .astype(np.int32))))
    if return_counts:
        out.append(Tensor(jnp.asarray(cnt.astype(np.int32))))
    return out[0] if len(out) == 1 else tuple(out)


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


# -- linalg-ish ------------------------------------------------------------------

def _slogdet(x):
    s, l = jnp.linalg.slogdet(x)
    return s, l


@keras_op
def slogdet(x):
    x = t1(x)
    x = cast(x, _float_dt(x._value.dtype, np.float32))
    return apply(_slogdet, x)


# -- windows (Keras's TF backend: tf.signal's windows, non-periodic) ------------------------------------------

def hamming(x):
    from tfjax._src.ops import signal_windows  # noqa: PLC0415
    return signal_windows.hamming_window(int(np.asarray(t1(x)._value)), periodic=False)


def hanning(x):
    from tfjax._src.ops import signal_windows  # noqa: PLC0415
    return signal_windows.hann_window(int(np.asarray(t1(x)._value)), periodic=False)


def kaiser(x, beta):
    from tfjax._src.ops import signal_windows  # noqa: PLC0415
    return signal_windows.kaiser_window(int(np.asarray(t1(x)._value)), beta=beta)


def _bartlett(*, n, dtype):
    if n == 0:
        return jnp.zeros((0,), jnp.float32)
    if n == 1:
        return jnp.ones((1,), jnp.float32)
    k = jnp.arange(n, dtype=dtype)
    half = (n - 1) / 2
    return jnp.where(k <= half, 2.0 * k / (n - 1), 2.0 - 2.0 * k / (n - 1)).astype(dtype)


def bartlett(x):
    return Tensor(_bartlett(n=int(np.asarray(t1(x)._value)), dtype=_floatx()))


def blackman(x):
    n = int(np.asarray(t1(x)._value))
    d = _floatx()
    k = jnp.arange(n, dtype=d)
    nm1 = jnp.asarray(n - 1, d)
    safe = jnp.where(nm1 == 0, jnp.ones_like(nm1), nm1)
    w = 0.42 + (-0.5 * jnp.cos(2 * np.pi * k / safe)) + 0.08 * jnp.cos(4 * np.pi * k / safe)
    return Tensor(jnp.where(nm1 == 0, jnp.ones_like(w), w).astype(d))
