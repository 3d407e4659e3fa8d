"""More ``keras.ops.nn`` (Keras 3.x additions): ``sparsemax``, ``glu``, ``psnr``, ``rms_normalization``,
``layer_normalization``, ``polar``, ``space_to_depth`` / ``depth_to_space`` and CTC (over tf.nn's CTC kernels,
as Keras's TF backend runs them)."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from tfjax._src.tensor import Tensor
from tfjax._src.keras import backend
from tfjax._src.keras.ops.core import apply, keras_op, t, t1, cast, np_dtype
from tfjax._src.keras.ops.numpy_base import _fdtype


def _sparsemax(x, *, axis):
    srt = -jnp.sort(-x, axis=axis)
    cs = jnp.cumsum(srt, axis=axis)
    n = x.shape[axis]
    rshape = [1] * x.ndim
    rshape[axis] = -1
    r = jnp.arange(1, n + 1, dtype=x.dtype).reshape(rshape)
    support = srt - (cs - 1) / r > 0
    cs_safe = jnp.where(support, cs, jnp.zeros_like(cs))
    k = jnp.sum(support.astype(x.dtype), axis=axis, keepdims=True)
    tau = (jnp.sum(cs_safe, axis=axis, keepdims=True) - 1) / k
    return jnp.maximum(x - tau, jnp.zeros_like(x))


@keras_op
def sparsemax(x, axis=-1):
    return apply(_sparsemax, _fdtype(t1(x)), axis=int(axis))


def _glu(x, *, axis):
    a, b = jnp.split(x, 2, axis=axis)
    return a * jax.nn.sigmoid(b)


@keras_op
def glu(x, axis=-1):
    x = _fdtype(t1(x))
    if x.shape[axis] % 2 != 0:
        raise ValueError(f"axis size must be divisible by 2. Received: x.shape={tuple(x.shape)} with axis={axis}")
    return apply(_glu, x, axis=int(axis))


def _psnr(a, b, m):
    mse = jnp.mean(jnp.square(a - b))
    ln10 = jnp.log(jnp.asarray(10.0, m.dtype))
    return 20 * (jnp.log(m) / ln10) - 10 * (jnp.log(mse) / ln10)


@keras_op
def psnr(x1, x2, max_val):
    a, b = t1(x1), t1(x2)
    if tuple(a.shape) != tuple(b.shape):
        raise ValueError(f"Input shapes {a.shape} and {b.shape} must match for PSNR calculation. ")
    return apply(_psnr, a, b, t(max_val, b._value.dtype))


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


def _polar(a, th):
    return jax.lax.complex(a * jnp.cos(th), a * jnp.sin(th))


@keras_op
def polar(abs_, angle):
    a, th = t1(abs_), t1(angle)
    d = np.dtype(jnp.result_type(a._value.dtype, th._value.dtype))
    if not jnp.issubdtype(d, jnp.floating):
        d = np_dtype(backend.floatx())
    return apply(_polar, cast(a, d), cast(th, d))


@keras_op
def space_to_depth(x, block_size, data_format="channels_last"):
    from tfjax._src.ops import array_ops  # noqa: PLC0415
    from tfjax._src.keras.ops.numpy_shape import transpose  # noqa: PLC0415
    x = t1(x)
    if data_format == "channels_last":
        return array_ops.space_to_depth(x, block_size, data_format="NHWC")
    y = array_ops.space_to_depth(transpose(x, (0, 2, 3, 1)), block_size, data_format="NHWC")
    return transpose(y, (0, 3, 1, 2))


@keras_op
def depth_to_space(x, block_size, data_format="channels_last"):
    from tfjax._src.ops import array_ops  # noqa: PLC0415
    from tfjax._src.keras.ops.numpy_shape import transpose  # noqa: PLC0415
    x = t1(x)
    if data_format == "channels_last":
        return array_ops.depth_to_space(x, block_size, data_format="NHWC")
    y = array_ops.depth_to_space(transpose(x, (0, 2, 3, 1)), block_size, data_format="NHWC")
    return transpose(y, (0, 3, 1, 2))


def ctc_loss(target, output, target_length, output_length, mask_index=0):
    """``keras.ops.ctc_loss``: tf.nn.ctc_loss with batch-major logits (Keras's TF backend)."""
    from tfjax._src.ops import ctc_ops  # noqa: PLC0415
    target = cast(t1(target), "int32")
    output = t1(output)
    rd = np.dtype(jnp.result_type(output._value.dtype, jnp.float32))
    cd = np.dtype(np.float32) if rd == np.float64 else rd
    loss = ctc_ops.ctc_loss(labels=target, logits=cast(output, cd), label_length=t1(target_length),
                            logit_length=t1(output_length), blank_index=mask_index, logits_time_major=False)
    return cast(loss, rd)


def ctc_decode(inputs, sequence_lengths, strategy="greedy", beam_width=100, top_paths=1, merge_repeated=True,
               mask_index=0):
    """``keras.ops.ctc_decode``: tf.nn's greedy / beam-search decoders, densified with -1 like Keras's TF backend."""
    from tfjax._src.ops import ctc_ops  # noqa: PLC0415
    from tfjax._src.keras.ops.numpy_shape import transpose, concatenate  # noqa: PLC0415
    inputs = t1(inputs)
    n, steps, ncls = inputs.shape[0], inputs.shape[1], inputs.shape[2]
    x = transpose(inputs, (1, 0, 2))
    x = cast(x, np.dtype(jnp.result_type(x._value.dtype, jnp.float32)))
    lens = t1(sequence_lengths, "int32")
    if strategy == "greedy":
        decoded, scores = ctc_ops.ctc_greedy_decoder(inputs=x, sequence_length=lens, merge_repeated=merge_repeated,
                                                     blank_index=mask_index)
    elif strategy == "beam_search":
        if mask_index is not None:
            from tfjax._src.ops import array_ops  # noqa: PLC0415
            mi = mask_index % ncls
            x = concatenate([array_ops.getitem(x, (Ellipsis, slice(0, mi))),
                             array_ops.getitem(x, (Ellipsis, slice(mi + 1, None))),
                             array_ops.getitem(x, (Ellipsis, slice(mi, mi + 1)))], axis=-1)
        decoded, scores = ctc_ops.ctc_beam_search_decoder(inputs=x, sequence_length=lens, beam_width=beam_width,
                                                          top_paths=top_paths)
    else:
        raise ValueError(f"Invalid strategy {strategy}. Supported values are 'greedy' and 'beam_search'.")
    dense = []
    for st in decoded:
        d = np.full((n, steps), -1, np.int32)
        idx = np.asarray(st.indices)
        if idx.size:
            d[idx[:, 0], idx[:, 1]] = np.asarray(st.values)
        dense.append(d)
    out = np.stack(dense, 0)
    if strategy == "beam_search" and mask_index is not None:
        mi = mask_index % ncls
        out = np.where(out >= mi, out + 1, out)
    return Tensor(jnp.asarray(out.astype(np.int32))), scores
