"""Less common ``tf.nn`` ops: max_pool_with_argmax, dilation2d/erosion2d, fractional pooling,
space_to_batch and friends, depthwise conv backprops, atrous_conv2d_transpose, sufficient_statistics,
batch_norm_with_global_normalization and isotonic_regression.

Differentiable pieces are module-level JAX functions run through ``dispatch.apply``; pooling ops whose
gradient TF routes to the (first) maximum gather the winner with ``take_along_axis`` so the JAX
gradient goes to exactly that element, as TF's kernels do.
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


def _tf():
    import tfjax  # noqa: PLC0415 - the public op surface, loaded by the time an op runs
    return tfjax


def _pair(v, name, n=2, channels_last=True):
    """TF's int-or-list spatial argument (length 1, n or n+2) -> n-tuple."""
    v = [int(a) for a in (np.atleast_1d(np.asarray(v)).tolist())]
    if len(v) == 1:
        return (v[0],) * n
    if len(v) == n:
        return tuple(v)
    if len(v) == n + 2:
        return tuple(v[1:-1]) if channels_last else tuple(v[2:])
    raise ValueError(f"{name} should be of length 1, {n} or {n + 2}. Received: {name}={v} of length {len(v)}")


def _same_pads(size, k, s, r):
    eff = (k - 1) * r + 1
    out = -(-size // s)
    total = max((out - 1) * s + eff - size, 0)
    return out, total // 2, total - total // 2


def _windows(x, *, ksize, strides, rates, padding, pad_value):
    """x [N, H, W, C] -> stacked windows [N, OH, OW, K, C] and the flat input position (h*W+w) of
    each window element [OH, OW, K] (-1 for padding)."""
    n, h, w, c = x.shape
    (kh, kw), (sh, sw), (rh, rw) = ksize, strides, rates
    if padding == "SAME":
        oh, ph0, ph1 = _same_pads(h, kh, sh, rh)
        ow, pw0, pw1 = _same_pads(w, kw, sw, rw)
    else:
        oh = (h - (kh - 1) * rh - 1) // sh + 1
        ow = (w - (kw - 1) * rw - 1) // sw + 1
        ph0 = ph1 = pw0 = pw1 = 0
    xp = jnp.pad(x, ((0, 0), (ph0, ph1), (pw0, pw1), (0, 0)), constant_values=pad_value)
    parts, pos = [], []
    ys = np.arange(oh) * sh - ph0
    xs = np.arange(ow) * sw - pw0
    for i in range(kh):
        for j in range(kw):
            parts.append(lax.slice(xp, (0, i * rh, j * rw, 0),
                                   (n, i * rh + (oh - 1) * sh + 1, j * rw + (ow - 1) * sw + 1, c), (1, sh, sw, 1)))
            yy = ys[:, None] + i * rh
            xx = xs[None, :] + j * rw
            ok = (yy >= 0) & (yy < h) & (xx >= 0) & (xx < w)
            pos.append(np.where(ok, yy * w + xx, -1))
    return jnp.stack(parts, axis=3), np.stack(pos, axis=-1)


def _pick(stack, k):
    return jnp.take_along_axis(stack, k[:, :, :, None, :], axis=3)[:, :, :, 0, :]


# -- max_pool_with_argmax -------------------------------------------------------------------
def _max_pool_argmax(x, *, ksize, strides, padding, include_batch, np_out):
    n, h, w, c = x.shape
    low = jnp.asarray(-jnp.inf if jnp.issubdtype(x.dtype, jnp.floating) else jnp.iinfo(x.dtype).min, x.dtype)
    stack, pos = _windows(x, ksize=ksize, strides=strides, rates=(1, 1), padding=padding, pad_value=low)
    valid = jnp.asarray(pos >= 0)[None, :, :, :, None]
    masked = jnp.where(valid, stack, low)
    k = jnp.argmax(masked, axis=3)  # first maximum, in row-major window order like TF's CPU kernel
    vals = _pick(stack, k)
    flat_pos = jnp.take_along_axis(jnp.broadcast_to(jnp.asarray(pos)[None, :, :, :, None], masked.shape), k[:, :, :, None, :],
                                   axis=3)[:, :, :, 0, :]
    idx = flat_pos.astype(np_out) * c + jnp.arange(c, dtype=np_out)
    if include_batch:
        idx = idx + (jnp.arange(n, dtype=np_out) * (h * w * c))[:, None, None, None]
    return vals, lax.stop_gradient(idx)


def max_pool_with_argmax(input, ksize, strides, padding, data_format="NHWC",  # noqa: A002
                         output_dtype=dtypes.int64, include_batch_in_index=False, name=None):
    """``tf.nn.max_pool_with_argmax``: (output, argmax); argmax flattens ``((b*H + y)*W + x)*C + c``
    (the batch term only with ``include_batch_in_index``)."""
    if data_format != "NHWC":
        raise ValueError(f"Data formats other than 'NHWC' are not yet supported, got {data_format}")
    x = convert.tensor(input)
    if x.shape.rank != 4:
        raise ValueError(f"Shape must be rank 4 but is rank {x.shape.rank} for input")
    od = dtypes.as_dtype(output_dtype)
    if od not in (dtypes.int32, dtypes.int64):
        raise TypeError(f"output_dtype must be int32 or int64, got {od.name}")
    if isinstance(padding, str):
        padding = padding.upper()
    if padding not in ("SAME", "VALID"):
        raise ValueError(f"padding must be 'SAME' or 'VALID', got {padding}")
    return dispatch.apply(_max_pool_argmax, x, ksize=_pair(ksize, "ksize"), strides=_pair(strides, "strides"),
                          padding=padding, include_batch=bool(include_batch_in_index), np_out=od._np)


# -- dilation2d / erosion2d ---------------------------------------------------------------------
def _dilation(x, f, *, strides, rates, padding):
    kh, kw, c = f.shape
    stack, pos = _windows(x, ksize=(kh, kw), strides=strides, rates=rates, padding=padding, pad_value=0)
    valid = jnp.asarray(pos >= 0)[None, :, :, :, None]
    s = stack + f.reshape(1, 1, 1, kh * kw, c)
    low = jnp.asarray(-jnp.inf, s.dtype)
    k = jnp.argmax(jnp.where(valid, s, low), axis=3)
    return _pick(s, k)


def _morph_args(input, filters, strides, padding, data_format, dilations, op):
    if data_format not in ("NHWC", None):
        raise ValueError(f"Data formats other than NHWC are not yet supported, got {data_format}")
    x, f = convert.binary(input, filters, op)
    if x.shape.rank != 4:
        raise ValueError(f"Shape must be rank 4 but is rank {x.shape.rank} for input")
    if f.shape.rank != 3:
        raise ValueError(f"Shape must be rank 3 but is rank {f.shape.rank} for filters")
    if x._value.shape[3] != f._value.shape[2]:
        raise errors.invalid_argument(op, "input and filter must have the same depth")
    st = _pair(strides, "strides")
    dl = _pair(dilations, "dilations")
    padding = padding.upper() if isinstance(padding, str) else padding
    if padding not in ("SAME", "VALID"):
        raise ValueError(f"padding must be 'SAME' or 'VALID', got {padding}")
    return x, f, st, dl, padding


def dilation2d(input, filters, strides, padding, data_format, dilations, name=None):  # noqa: A002
    """``tf.nn.dilation2d``: grayscale morphological dilation (max of input + filter)."""
    x, f, st, dl, pad = _morph_args(input, filters, strides, padding, data_format, dilations, "Dilation2D")
    return dispatch.apply(_dilation, x, f, strides=st, rates=dl, padding=pad)


def erosion2d(value, filters, strides, padding, data_format, dilations, name=None):
    """``tf.nn.erosion2d``: ``-dilation2d(-value, reverse(filters))``."""
    tf = _tf()
    x, f, st, dl, pad = _morph_args(value, filters, strides, padding, data_format, dilations, "Dilation2D")
    return tf.negative(dispatch.apply(_dilation, tf.negative(x), tf.reverse(f, [0, 1]),
                                      strides=st, rates=dl, padding=pad))


# -- space_to_batch family -------------------------------------------------------------------
def _s2b(x, *, block, pads):
    m = len(block)
    x = jnp.pad(x, ((0, 0),) + tuple(pads) + ((0, 0),) * (x.ndim - 1 - m))
    b = x.shape[0]
    sp = x.shape[1:1 + m]
    rest = x.shape[1 + m:]
    shape = [b]
    for s, k in zip(sp, block):
        shape += [s // k, k]
    x = x.reshape(shape + list(rest))
    perm = [2 + 2 * i for i in range(m)] + [0] + [1 + 2 * i for i in range(m)] + list(range(1 + 2 * m, x.ndim))
    x = x.transpose(perm)
    return x.reshape([b * int(np.prod(block))] + [s // k for s, k in zip(sp, block)] + list(rest))


def _b2s(x, *, block, crops):
    m = len(block)
    prod = int(np.prod(block))
    b = x.shape[0] // prod
    sp = x.shape[1:1 + m]
    rest = x.shape[1 + m:]
    x = x.reshape(list(block) + [b] + list(sp) + list(rest))
    perm = [m]
    for i in range(m):
        perm += [m + 1 + i, i]
    perm += list(range(2 * m + 1, x.ndim))
    x = x.transpose(perm)
    x = x.reshape([b] + [s * k for s, k in zip(sp, block)] + list(rest))
    idx = (slice(None),) + tuple(slice(c0, s * k - c1) for (c0, c1), s, k in zip(crops, sp, block))
    return x[idx]


def _block_pads(block_shape, paddings, what):
    blk = np.atleast_1d(np.asarray(convert.tensor(block_shape)._value if isinstance(block_shape, Tensor)
                                   else block_shape)).astype(np.int64)
    p = np.asarray(convert.tensor(paddings)._value if isinstance(paddings, Tensor) else paddings).astype(np.int64)
    p = p.reshape(-1, 2) if p.size else np.zeros((len(blk), 2), np.int64)
    if p.shape[0] != len(blk):
        raise ValueError(f"{what} should have shape [{len(blk)}, 2] instead of {list(p.shape)}")
    if np.any(blk < 1):
        raise errors.InvalidArgumentError(None, None, f"All values in block_shape must be positive, got {blk.tolist()}")
    if np.any(p < 0):
        raise errors.InvalidArgumentError(None, None, f"All values in {what} must be non-negative, got {p.tolist()}")
    return tuple(int(v) for v in blk), tuple(tuple(int(a) for a in r) for r in p)


def space_to_batch_nd(input, block_shape, paddings, name=None):  # noqa: A002
    """``tf.space_to_batch_nd`` / ``tf.space_to_batch`` / ``tf.nn.space_to_batch``."""
    x = convert.tensor(input)
    blk, pads = _block_pads(block_shape, paddings, "paddings")
    sh = x._value.shape
    if x._value.ndim < 1 + len(blk):
        raise ValueError(f"input rank should be >= {1 + len(blk)} instead of {x._value.ndim}")
    for i, k in enumerate(blk):
        if (sh[1 + i] + pads[i][0] + pads[i][1]) % k:
            raise errors.InvalidArgumentError(
                None, None, f"padded_shape[{i}]={sh[1 + i] + pads[i][0] + pads[i][1]} is not divisible by "
                f"block_shape[{i}]={k}")
    return dispatch.apply(_s2b, x, block=blk, pads=pads)


def space_to_batch(input, block_shape, paddings, name=None):  # noqa: A002
    return space_to_batch_nd(input, block_shape, paddings, name)


def batch_to_space_nd(input, block_shape, crops, name=None):  # noqa: A002
    x = convert.tensor(input)
    if isinstance(block_shape, int):
        block_shape = [block_shape, block_shape]
    blk, cr = _block_pads(block_shape, crops, "crops")
    sh = x._value.shape
    prod = int(np.prod(blk))
    if sh[0] % prod:
        raise errors.InvalidArgumentError(
            None, None, f"Input batch dimension ({sh[0]}) is not divisible by product of block sizes ({prod})")
    for i, k in enumerate(blk):
        if cr[i][0] + cr[i][1] > sh[1 + i] * k:
            raise errors.InvalidArgumentError(None, None, f"crops must be less than or equal to input "
                                              f"dimension {i + 1} times block size")
    return dispatch.apply(_b2s, x, block=blk, crops=cr)


def batch_to_space(input, block_shape, crops, name=None):  # noqa: A002
    return batch_to_space_nd(input, block_shape, crops, name)


def required_space_to_batch_paddings(input_shape, block_shape, base_paddings=None, name=None):
    """``tf.required_space_to_batch_paddings`` -> (paddings, crops), int32 like TF's default."""
    ish = convert.tensor(input_shape, dtype=dtypes.int32)
    blk = convert.tensor(block_shape, dtype=dtypes.int32)
    s = np.asarray(ish._value).astype(np.int64)
    b = np.asarray(blk._value).astype(np.int64)
    if base_paddings is None:
        base = np.zeros((len(b), 2), np.int64)
    else:
        base = np.asarray(convert.tensor(base_paddings, dtype=dtypes.int32)._value).astype(np.int64)
    start, end = base[:, 0], base[:, 1]
    extra = (b - (s + start + end) % b) % b
    paddings = np.stack([start, end + extra], axis=1).astype(np.int32)
    crops = np.stack([np.zeros_like(extra), extra], axis=1).astype(np.int32)
    return Tensor(jnp.asarray(paddings)), Tensor(jnp.asarray(crops))


def with_space_to_batch(input, dilation_rate, padding, op, filter_shape=None, spatial_dims=None,  # noqa: A002
                        data_format=None):
    """``tf.nn.with_space_to_batch`` for spatial dims that follow the batch dim (channels-last)."""
    x = convert.tensor(input)
    rate = np.atleast_1d(np.asarray(dilation_rate)).astype(np.int64)
    m = len(rate)
    if spatial_dims is None:
        spatial_dims = list(range(1, m + 1)) if not (data_format or "").startswith("NC") else list(range(2, m + 2))
    if list(spatial_dims) != list(range(1, m + 1)):
        raise errors.unsupported("tf.nn.with_space_to_batch with channels-first or non-leading spatial_dims",
                                 "transpose to channels-last first")
    if np.any(rate < 1):
        raise ValueError(f"dilation_rate must be positive, got {rate.tolist()}")
    if np.all(rate == 1):
        return op(x, m, padding)
    if padding == "SAME":
        if filter_shape is None:
            raise ValueError("filter_shape must be specified for SAME padding")
        fs = np.asarray(convert.tensor(filter_shape)._value if isinstance(filter_shape, Tensor)
                        else filter_shape).astype(np.int64)[:m]
        extra = (fs - 1) * rate
        base = np.stack([extra // 2, extra - extra // 2], axis=1)
    elif padding == "VALID":
        base = np.zeros((m, 2), np.int64)
    else:
        raise ValueError(f"Invalid padding method {padding!r}")
    sp_shape = x._value.shape[1:1 + m]
    pads, crops = required_space_to_batch_paddings(list(sp_shape), rate.tolist(), base)
    y = space_to_batch_nd(x, rate.tolist(), pads)
    y = op(y, m, "VALID")
    return batch_to_space_nd(y, rate.tolist(), crops)


# -- transposed / backprop convolutions ---------------------------------------------------------
def atrous_conv2d_transpose(value, filters, output_shape, rate, padding, name=None):
    """``tf.nn.atrous_conv2d_transpose``: the gradient of ``atrous_conv2d``, i.e. a dilated conv
    transpose."""
    tf = _tf()
    if int(rate) < 1:
        raise ValueError(f"rate {rate} cannot be less than one")
    if padding not in ("SAME", "VALID"):
        raise ValueError(f"padding must be either VALID or SAME: {padding}")
    f = convert.tensor(filters)
    v = convert.tensor(value)
    if v._value.shape[3] != f._value.shape[3]:
        raise ValueError(f"value's input channels does not match filters' input channels, "
                         f"{v._value.shape[3]} != {f._value.shape[3]}")
    return tf.nn.conv2d_transpose(v, f, output_shape, strides=1, padding=padding, dilations=int(rate))


def _dw_dims(data_format):
    return ("NCHW", "HWIO", "NCHW") if data_format == "NCHW" else ("NHWC", "HWIO", "NHWC")


def _dw_conv(x, w, strides, padding, dilations, data_format):
    h, ww, cin, mult = w.shape
    return lax.conv_general_dilated(x, w.reshape(h, ww, 1, cin * mult), strides, padding,
                                    rhs_dilation=dilations, dimension_numbers=_dw_dims(data_format),
                                    feature_group_count=cin)


def _dw_backprop_input(w, dy, *, in_shape, strides, padding, dilations, data_format):
    x0 = jnp.zeros(in_shape, dy.dtype)
    _, vjp = jax.vjp(lambda x: _dw_conv(x, w, strides, padding, dilations, data_format), x0)
    return vjp(dy)[0]


def _dw_backprop_filter(x, dy, *, f_shape, strides, padding, dilations, data_format):
    w0 = jnp.zeros(f_shape, dy.dtype)
    _, vjp = jax.vjp(lambda w: _dw_conv(x, w, strides, padding, dilations, data_format), w0)
    return vjp(dy)[0]


def _dw_common(strides, padding, data_format, dilations):
    cl = data_format != "NCHW"
    st = _pair(strides, "strides", channels_last=cl)
    dl = _pair(dilations if dilations is not None else 1, "dilations", channels_last=cl)
    if isinstance(padding, str):
        pad = padding.upper()
    else:
        p = np.asarray(padding).reshape(-1, 2)
        pad = tuple(tuple(int(a) for a in r) for r in (p[1:3] if cl else p[2:4]))
    return st, pad, dl, ("NCHW" if data_format == "NCHW" else "NHWC")


def depthwise_conv2d_backprop_input(input_sizes, filter, out_backprop, strides, padding,  # noqa: A002
                                    data_format="NHWC", dilations=(1, 1, 1, 1), name=None):
    """``tf.nn.depthwise_conv2d_backprop_input``."""
    w, dy = convert.binary(filter, out_backprop, "DepthwiseConv2dNativeBackpropInput")
    shape = tuple(int(v) for v in np.asarray(convert.tensor(input_sizes)._value))
    st, pad, dl, df = _dw_common(strides, padding, data_format, dilations)
    return dispatch.apply(_dw_backprop_input, w, dy, in_shape=shape, strides=st, padding=pad, dilations=dl,
                          data_format=df)


def depthwise_conv2d_backprop_filter(input, filter_sizes, out_backprop, strides, padding,  # noqa: A002
                                     data_format="NHWC", dilations=(1, 1, 1, 1), name=None):
    """``tf.nn.depthwise_conv2d_backprop_filter``."""
    x, dy = convert.binary(input, out_backprop, "DepthwiseConv2dNativeBackpropFilter")
    shape = tuple(int(v) for v in np.asarray(convert.tensor(filter_sizes)._value))
    st, pad, dl, df = _dw_common(strides, padding, data_format, dilations)
    return dispatch.apply(_dw_backprop_filter, x, dy, f_shape=shape, strides=st, padding=pad, dilations=dl,
                          data_format=df)


# -- statistics / normalisation ---------------------------------------------------------------
def sufficient_statistics(x, axes, shift=None, keepdims=False, name=None):
    """``tf.nn.sufficient_statistics`` -> (count, mean_ss, var_ss, shift)."""
    tf = _tf()
    x = convert.tensor(x)
    ax = convert.axis_tuple(axes, x._value.ndim)
    count = tf.constant(float(np.prod([x._value.shape[a] for a in ax])), dtype=x.dtype)
    if shift is not None:
        shift = convert.tensor(shift, dtype=x.dtype)
        m_ss = tf.reduce_sum(tf.subtract(x, shift), ax, keepdims=keepdims)
        v_ss = tf.reduce_sum(tf.math.squared_difference(x, shift), ax, keepdims=keepdims)
    else:
        m_ss = tf.reduce_sum(x, ax, keepdims=keepdims)
        v_ss = tf.reduce_sum(tf.square(x), ax, keepdims=keepdims)
    return count, m_ss, v_ss, shift


def batch_norm_with_global_normalization(input, mean, variance, beta, gamma, variance_epsilon,  # noqa: A002
                                         scale_after_normalization, name=None):
    """``tf.nn.batch_norm_with_global_normalization``."""
    tf = _tf()
    return tf.nn.batch_normalization(input, mean, variance, beta,
                                     gamma if scale_after_normalization else None, variance_epsilon)


# -- fractional pooling ------------------------------------------------------------------------
def _pool_sequence(rng, n_in, n_out, pseudo_random):
    k = n_in // n_out
    if pseudo_random:
        alpha = n_in / n_out
        u_max = min((k + 2) / alpha - 1, (n_in + 1 - k) / alpha - (n_out - 1))
        u = rng.random() * u_max
        cum = [1] + [int(np.ceil(alpha * (i + u))) for i in range(1, n_out)] + [n_in + 1]
        diff = np.diff(cum)
    else:
        diff = np.full(n_out, k)
        diff[:n_in % n_out] += 1
        rng.shuffle(diff)
    return np.concatenate([[0], np.cumsum(diff)]).astype(np.int64)


def _region_mask(seq, n_in, overlapping):
    m = np.zeros((len(seq) - 1, n_in), bool)
    for i in range(len(seq) - 1):
        end = min(seq[i + 1] + (1 if overlapping else 0), n_in)
        m[i, seq[i]:end] = True
    return m


def _frac_max(x, *, rmask, cmask):
    rm = jnp.asarray(np.asarray(rmask))
    cm = jnp.asarray(np.asarray(cmask))
    low = jnp.asarray(-jnp.inf if jnp.issubdtype(x.dtype, jnp.floating) else jnp.iinfo(x.dtype).min, x.dtype)
    # columns: [N, H, OW, W, C] -> first max
    xc = jnp.where(cm[None, None, :, :, None], x[:, :, None, :, :], low)
    kc = jnp.argmax(xc, axis=3)
    y = jnp.take_along_axis(x[:, :, None, :, :], kc[:, :, :, None, :], axis=3)[:, :, :, 0, :]  # [N, H, OW, C]
    yr = jnp.where(rm[None, :, :, None, None], y[:, None, :, :, :], low)  # [N, OH, H, OW, C]
    kr = jnp.argmax(yr, axis=2)
    return jnp.take_along_axis(y[:, None], kr[:, :, None], axis=2)[:, :, 0]


def _frac_avg(x, *, rmask, cmask):
    rm = jnp.asarray(np.asarray(rmask), x.dtype)
    cm = jnp.asarray(np.asarray(cmask), x.dtype)
    s = jnp.einsum("ih,nhwc,jw->nijc", rm, x, cm)
    cnt = rm.sum(1)[:, None] * cm.sum(1)[None, :]
    return s / cnt[None, :, :, None]


def _fractional_pool(value, pooling_ratio, pseudo_random, overlapping, seed, fn, op):
    from tfjax._src.ops import random_ops  # noqa: PLC0415
    x = convert.tensor(value)
    if x.shape.rank != 4:
        raise ValueError(f"Shape must be rank 4 but is rank {x.shape.rank} for {op}")
    r = np.atleast_1d(np.asarray(pooling_ratio, np.float64)).tolist()
    if len(r) == 1:
        r = [1.0, r[0], r[0], 1.0]
    elif len(r) == 2:
        r = [1.0, r[0], r[1], 1.0]
    if len(r) != 4 or r[0] != 1.0 or r[3] != 1.0:
        raise ValueError(f"`pooling_ratio` should have first and last elements with value 1.0. Received: {r}")
    if any(v < 1.0 for v in r):
        raise errors.InvalidArgumentError(None, None, "pooling_ratio cannot be smaller than 1")
    _, h, w, _ = x._value.shape
    oh, ow = int(h / r[1]), int(w / r[2])
    if oh < 1 or ow < 1:
        raise errors.InvalidArgumentError(None, None, "output size must be positive")
    g, s = random_ops.get_seed(seed if seed else None)
    if g is None and s is None:
        rng = np.random.default_rng()
    else:
        rng = np.random.default_rng([int(g or 0) & 0xFFFFFFFF, int(s or 0) & 0xFFFFFFFF])
    rs = _pool_sequence(rng, h, oh, pseudo_random)
    cs = _pool_sequence(rng, w, ow, pseudo_random)
    rm = tuple(map(tuple, _region_mask(rs, h, overlapping).tolist()))
    cm = tuple(map(tuple, _region_mask(cs, w, overlapping).tolist()))
    out = dispatch.apply(fn, x, rmask=rm, cmask=cm)
    return out, Tensor(jnp.asarray(rs)), Tensor(jnp.asarray(cs))


def fractional_max_pool(value, pooling_ratio, pseudo_random=False, overlapping=False, seed=0, name=None):
    """``tf.nn.fractional_max_pool`` -> (output, row_pooling_sequence, col_pooling_sequence).
    The pooling sequences follow TF's construction; the random stream is tfjax's, not TF's."""
    return _fractional_pool(value, pooling_ratio, pseudo_random, overlapping, seed, _frac_max, "FractionalMaxPool")


def fractional_avg_pool(value, pooling_ratio, pseudo_random=False, overlapping=False, seed=0, name=None):
    """``tf.nn.fractional_avg_pool`` -> (output, row_pooling_sequence, col_pooling_sequence)."""
    return _fractional_pool(value, pooling_ratio, pseudo_random, overlapping, seed, _frac_avg, "FractionalAvgPool")


# -- isotonic regression ---------------------------------------------------------------------
def _pav(y, decreasing):
    """Pool-adjacent-violators on one row -> segment id per element."""
    vals, counts = [], []
    for v in (y if decreasing else -y):
        vals.append(float(v))
        counts.append(1)
        while len(vals) > 1 and vals[-2] < vals[-1]:
            c = counts[-2] + counts[-1]
            m = (vals[-2] * counts[-2] + vals[-1] * counts[-1]) / c
            vals[-2:] = [m]
            counts[-2:] = [c]
    return np.repeat(np.arange(len(counts)), counts)


def _segment_mean_rows(x, *, seg):
    seg = jnp.asarray(np.asarray(seg))
    n = x.shape[-1]
    oh = (seg[:, :, None] == jnp.arange(n)[None, None, :]).astype(x.dtype)  # [R, n(elem), n(seg)]
    sums = jnp.einsum("re,res->rs", x, oh)
    cnt = oh.sum(1)
    means = sums / jnp.maximum(cnt, 1)
    return jnp.einsum("rs,res->re", means, oh)


def isotonic_regression(inputs, decreasing=True, axis=-1):
    """``tf.nn.isotonic_regression`` -> (output, segments). Segments are found on the host; the output
    is the per-segment mean (so the gradient averages within segments, as in TF)."""
    tf = _tf()
    x = convert.tensor(inputs)
    if not convert.is_concrete(x):
        raise convert.data_dependent("tf.nn.isotonic_regression")
    if x.dtype in (dtypes.float16, dtypes.bfloat16, dtypes.float32):
        fdt = dtypes.float32 if x.dtype != dtypes.float16 else dtypes.float16
    elif x.dtype.is_floating:
        fdt = x.dtype
    elif x.dtype in (dtypes.int8, dtypes.int16, dtypes.uint8, dtypes.uint16):
        fdt = dtypes.float32
    else:
        fdt = dtypes.float64
    nd = x._value.ndim
    ax = axis % nd if nd else 0
    xf = tf.cast(x, fdt) if x.dtype != fdt else x
    perm = [i for i in range(nd) if i != ax] + [ax]
    inv = list(np.argsort(perm))
    moved = tf.transpose(xf, perm) if ax != nd - 1 else xf
    shp = moved._value.shape
    flat = tf.reshape(moved, [-1, shp[-1]])
    host = np.asarray(flat._value, np.float64)
    seg = np.stack([_pav(r, decreasing) for r in host]) if host.shape[0] else np.zeros(host.shape, np.int64)
    out = dispatch.apply(_segment_mean_rows, flat, seg=tuple(map(tuple, seg.tolist())))
    out = tf.reshape(out, shp)
    segt = Tensor(jnp.asarray(seg.astype(np.int32).reshape(shp)))
    if ax != nd - 1:
        out = tf.transpose(out, inv)
        segt = tf.transpose(segt, inv)
    return out, segt
