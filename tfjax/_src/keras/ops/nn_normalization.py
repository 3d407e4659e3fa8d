"""``keras.ops.nn`` normalizations: ``rms_normalization`` and ``layer_normalization`` (computed in at least
float32, returned in the input dtype, like Keras's TF backend)."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from tfjax._src.keras import backend
from tfjax._src.keras.ops.core import apply, keras_op, t, t1, cast

def _compute_dtype(x):
    return np.dtype(jnp.result_type(x._value.dtype, jnp.float32))


def _rms(x, *rest, axis, eps, out):
    if x.ndim == 0:
        x = jnp.expand_dims(x, 0)
    y = x * jax.lax.rsqrt(jnp.mean(jnp.square(x), axis=axis, keepdims=True) + eps)
    if rest:
        y = y * rest[0]
    return y.astype(out)


@keras_op
def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    x = t1(x)
    out = x._value.dtype
    cd = _compute_dtype(x)
    x = cast(x, cd)
    eps = backend.epsilon() if epsilon is None else epsilon
    ax = tuple(sorted(axis)) if isinstance(axis, (list, tuple)) else int(axis)
    rest = [] if scale is None else [t(scale, cd)]
    return apply(_rms, x, *rest, axis=ax, eps=float(eps), out=out)


def _layer_norm(x, *rest, axis, eps, out, has_gamma, has_beta, rms_scaling, bshape):
    gamma = rest[0] if has_gamma else None
    beta = rest[int(has_gamma)] if has_beta else None
    if not rms_scaling:
        mean, var = rest[-2], rest[-1]
    last = axis == (x.ndim - 1,)

    def bc(v):
        if v is not None and v.ndim != x.ndim and not last:
            return v.reshape(bshape)
        return v
    if rms_scaling:
        var = jnp.var(x, axis=axis, keepdims=True)
        y = x * jax.lax.rsqrt(var + eps)
        if gamma is not None:
            y = y * bc(gamma).astype(x.dtype)
        return y.astype(out)
    inv = jax.lax.rsqrt(var + eps)
    if gamma is not None:
        inv = inv * bc(gamma)
    res = -mean * inv
    if beta is not None:
        res = res + bc(beta)
    return (x * inv + res).astype(out)


@keras_op
def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    rms_scaling = bool(kwargs.pop("rms_scaling", False))
    if rms_scaling:
        import warnings  # noqa: PLC0415
        warnings.warn("You passed `rms_scaling=True`, which is deprecated. This argument incorrectly scales the "
                      "input by the variance, not the root mean square. To correctly use RMS Normalization, please "
                      "use `keras.ops.rms_normalization` / `keras.ops.nn.rms_normalization` instead.")
    if kwargs:
        raise ValueError(f"Argument(s) {tuple(kwargs)} are not supported.")
    x = t1(x)
    out = x._value.dtype
    cd = _compute_dtype(x)
    x = cast(x, cd)
    nd = len(x.shape)
    ax = [axis] if isinstance(axis, int) else list(axis)
    ax = tuple(sorted(a % nd for a in ax))
    bshape = [1] * nd
    for d in ax:
        bshape[d] = x.shape[d]
    rest = [t(v, cd) for v in (gamma, beta) if v is not None]
    if not rms_scaling:
        from tfjax._src.keras.ops.nn import moments  # noqa: PLC0415
        rest += list(moments(x, list(ax), keepdims=True))   # Keras's TF backend: ops.moments
    eps = backend.epsilon() if epsilon is None else epsilon
    return apply(_layer_norm, x, *rest, axis=ax, eps=float(eps), out=out, has_gamma=gamma is not None,
                 has_beta=beta is not None, rms_scaling=rms_scaling, bshape=tuple(bshape))
