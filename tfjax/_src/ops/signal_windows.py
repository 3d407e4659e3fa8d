"""``tf.signal`` window functions (hann, hamming, kaiser, Kaiser-Bessel-derived, vorbis).

The window is computed in the requested dtype with TF's formulas (so float16/bfloat16
windows round like TF's). ``window_length`` must be static; ``kaiser``'s ``beta`` is an
op input (differentiable).
"""

from __future__ import annotations

import jax.numpy as jnp
import jax.scipy.special as jss
import numpy as np

from tfjax._src import dispatch
from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src.ops import convert
from tfjax._src.tensor import Tensor


def _check_dtype(dtype):
    dtype = dtypes.as_dtype(dtype)
    if not dtype.is_floating:
        raise ValueError(f"dtype must be a floating point type. Found {dtype!r}")
    return dtype


def _length(window_length):
    """window_length as a static Python int (TF converts it to a scalar int32 tensor)."""
    if isinstance(window_length, (int, np.integer)) and not isinstance(window_length, bool):
        n = int(window_length)
    else:
        t = window_length if isinstance(window_length, Tensor) else None
        if t is None:
            if isinstance(window_length, float):
                raise TypeError(f"Cannot convert {window_length!r} to EagerTensor of dtype int32")
            t = convert.tensor(window_length, dtype=dtypes.int32)
        if t._value.ndim != 0:
            raise ValueError(f"Shape {t.shape} must have rank 0")
        if not t.dtype.is_integer:
            raise TypeError(f"Cannot convert {window_length!r} to EagerTensor of dtype int32")
        n = convert.static_int(t, "window_length")
    if n < 0:
        raise errors.invalid_argument("Range", f"Requires start <= limit when delta > 0: 0/{n}")
    return n


def _static_bool(x, what):
    if isinstance(x, Tensor):
        if x._value.ndim != 0:
            raise ValueError(f"Shape {x.shape} must have rank 0")
        return bool(convert.static_int(x, what))
    return bool(x)


def _raised_cosine_raw(*, n, periodic, a, b, np_dtype):
    even = 1 - n % 2
    denom = jnp.asarray(n + periodic * even - 1, np_dtype)
    count = jnp.arange(n).astype(np_dtype)
    cos_arg = jnp.asarray(2 * np.pi, np_dtype) * count / denom
    return (jnp.asarray(a, np_dtype) - jnp.asarray(b, np_dtype) * jnp.cos(cos_arg)).astype(np_dtype)


def _raised_cosine(window_length, periodic, dtype, a, b):
    dtype = _check_dtype(dtype)
    n = _length(window_length)
    if n == 1:
        return Tensor(jnp.ones([1], dtype._np))
    periodic = int(_static_bool(periodic, "periodic"))
    return Tensor(_raised_cosine_raw(n=n, periodic=periodic, a=a, b=b, np_dtype=dtype._np))


def hann_window(window_length, periodic=True, dtype=dtypes.float32, name=None):
    """``tf.signal.hann_window``."""
    return _raised_cosine(window_length, periodic, dtype, 0.5, 0.5)


def hamming_window(window_length, periodic=True, dtype=dtypes.float32, name=None):
    """``tf.signal.hamming_window``."""
    return _raised_cosine(window_length, periodic, dtype, 0.54, 0.46)


def _kaiser_raw(beta, *, n):
    dt = beta.dtype
    halflen = (np.float32(n) - np.float32(1.0)) / np.float32(2.0)
    arg = np.arange(-halflen, halflen + np.float32(0.1), dtype=np.float32)
    arg = jnp.asarray(arg).astype(dt)
    halflen = jnp.asarray(halflen, dt)
    one = jnp.asarray(1.0, dt)
    num = beta * jnp.sqrt(jnp.maximum(one - jnp.square(arg / halflen), jnp.zeros((), dt)))
    return (jnp.exp(num - beta) * (jss.i0e(num) / jss.i0e(beta)).astype(dt)).astype(dt)


def kaiser_window(window_length, beta=12., dtype=dtypes.float32, name=None):
    """``tf.signal.kaiser_window``."""
    dtype = _check_dtype(dtype)
    n = _length(window_length)
    if n == 1:
        return Tensor(jnp.ones([1], dtype._np))
    if n == 0:
        raise errors.invalid_argument("Range", "Requires start <= limit when delta > 0: 0.5/-0.4")
    beta_t = beta if isinstance(beta, Tensor) else convert.tensor(beta, dtype=dtypes.float32)
    if beta_t.dtype is not dtype:
        from tfjax._src.ops import math_ops  # noqa: PLC0415 - cast lives there
        beta_t = math_ops.cast(beta_t, dtype)
    return dispatch.apply(_kaiser_raw, beta_t, n=n)


def _kbd_raw(kaiserw):
    csum = jnp.cumsum(kaiserw)
    half = jnp.sqrt(csum[:-1] / csum[-1])
    return jnp.concatenate([half, half[::-1]])


def kaiser_bessel_derived_window(window_length, beta=12., dtype=dtypes.float32, name=None):
    """``tf.signal.kaiser_bessel_derived_window``."""
    dtype = _check_dtype(dtype)
    n = _length(window_length)
    kaiserw = kaiser_window(n // 2 + 1, beta, dtype=dtype)
    return dispatch.apply(_kbd_raw, kaiserw)


def _vorbis_raw(*, n, np_dtype):
    arg = jnp.arange(n).astype(np_dtype)
    inner = jnp.sin(jnp.asarray(np.pi, np_dtype) / jnp.asarray(n, np_dtype) * (arg + jnp.asarray(0.5, np_dtype)))
    return jnp.sin(jnp.asarray(np.pi / 2.0, np_dtype) * jnp.power(inner, jnp.asarray(2.0, np_dtype))).astype(np_dtype)


def vorbis_window(window_length, dtype=dtypes.float32, name=None):
    """``tf.signal.vorbis_window``."""
    dtype = _check_dtype(dtype)
    n = _length(window_length)
    return Tensor(_vorbis_raw(n=n, np_dtype=dtype._np))
