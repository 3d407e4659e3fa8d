"""``tf.nn``: activations, convolutions, pooling, normalization, losses, dropout.

Convolutions run on ``lax.conv_general_dilated`` with TF's layouts (NHWC input,
HWIO filters by default); transposed convolutions are the exact vjp of the
forward convolution (TF defines them as ``Conv2DBackpropInput``).
"""

from __future__ import annotations

import builtins

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from tfjax._src import dispatch
from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src.ops import array_ops
from tfjax._src.ops import convert
from tfjax._src.ops import math_ops
from tfjax._src.ops import tiled_max_pool
from tfjax._src.ops.math_ops import kinds, _unary
from tfjax._src.ops.sort_ops import top_k as top_k, in_top_k as in_top_k  # noqa: F401 - tf.nn aliases

_apply = dispatch.apply
_FLOAT = kinds(("float",))
_REAL = kinds(("float", "int"))

# -- activations --------------------------------------------------------------


@jax.custom_jvp
def _relu(x):
    return jnp.maximum(x, jnp.zeros((), x.dtype))


@_relu.defjvp
def _relu_jvp(primals, tangents):
    # TF: gradient 1 where x > 0, else 0 (0 at the kink).
    (x,), (t,) = primals, tangents
    return _relu(x), jnp.where(x > 0, t, jnp.zeros_like(t))


@jax.custom_jvp
def _relu6(x):
    return jnp.minimum(jnp.maximum(x, jnp.zeros((), x.dtype)), jnp.asarray(6, x.dtype))


@_relu6.defjvp
def _relu6_jvp(primals, tangents):
    (x,), (t,) = primals, tangents
    return _relu6(x), jnp.where((x > 0) & (x < 6), t, jnp.zeros_like(t))


def _elu(x):
    return jnp.where(x > 0, x, jnp.expm1(jnp.minimum(x, 0)))


def _selu(x):
    alpha = 1.6732632423543772848170429916717
    scale = 1.0507009873554804934193349852946
    return (scale * jnp.where(x > 0, x, alpha * jnp.expm1(jnp.minimum(x, 0)))).astype(x.dtype)


relu = _unary("Relu", _relu, ("float", "int"))
relu6 = _unary("Relu6", _relu6, ("float", "int"))
elu = _unary("Elu", _elu, ("float",))
selu = _unary("Selu", _selu, ("float",))
softplus = math_ops.softplus
softsign = math_ops.softsign
sigmoid = math_ops.sigmoid
tanh = math_ops.tanh
log_sigmoid = math_ops.log_sigmoid


def _leaky_relu(x, *, alpha):
    return jnp.where(x > 0, x, (x * alpha).astype(x.dtype))


def leaky_relu(features, alpha=0.2, name=None):
    x = convert.tensor(features)
    if x.dtype.is_integer:
        x = math_ops.cast(x, dtypes.float32)
    math_ops.check(x, _FLOAT, "LeakyRelu")
    return _apply(_leaky_relu, x, alpha=float(alpha))


def _gelu(x, *, approximate):
    if approximate:
        c = np.sqrt(2 / np.pi).astype(np.float64)
        return (0.5 * x * (1 + jnp.tanh(c * (x + 0.044715 * x ** 3)))).astype(x.dtype)
    return (0.5 * x * (1 + lax.erf(x / np.sqrt(2).astype(x.dtype)))).astype(x.dtype)


def gelu(features, approximate=False, name=None):
    x = convert.tensor(features)
    math_ops.check(x, kinds(("float",)), "Gelu")
    return _apply(_gelu, x, approximate=bool(approximate))


def _swish(x, b):
    return x * jax.nn.sigmoid(b * x)


def silu(features, beta=1.0, name=None):
    x = convert.tensor(features)
    math_ops.check(x, _FLOAT, "Swish")
    b = convert.binary(x, beta, "Swish")[1]
    return _apply(_swish, x, b)


swish = silu


def _crelu(x, *, axis):
    return jnp.concatenate([jnp.maximum(x, 0), jnp.maximum(-x, 0)], axis=axis)


def crelu(features, axis=-1, name=None):
    x = convert.tensor(features)
    return _apply(_crelu, x, axis=int(axis))


def _softmax(x, *, axis):
    return jax.nn.softmax(x, axis=axis)


def _log_softmax(x, *, axis):
    return jax.nn.log_softmax(x, axis=axis)


def _softmax_op(op_name, fn):
    def op(logits, axis=None, name=None):
        x = convert.tensor(logits)
        math_ops.check(x, _FLOAT, op_name)
        r = x._value.ndim
        axis = -1 if axis is None else convert.static_int(axis, "axis")
        if r == 0:
            raise errors.invalid_argument(op_name, "logits must have >= 1 dimension, got []")
        if not -r <= axis < r:
            raise errors.invalid_argument(op_name, f"`dim` must be in the range [{-r}, {r}) where {r} is the "
                                          f"number of dimensions in the input. Received: dim={axis}")
        return _apply(fn, x, axis=axis % r)
    op.__name__ = op_name
    return op


softmax = _softmax_op("Softmax", _softmax)
log_softmax = _softmax_op("LogSoftmax", _log_softmax)


def _bias_add(x, b, *, channel_axis):
    shape = [1] * x.ndim
    shape[channel_axis] = b.shape[0]
    return x + b.reshape(shape)


def bias_add(value, bias, data_format=None, name=None):
    x, b = convert.binary(value, bias, "BiasAdd")
    if b._value.ndim != 1:
        raise errors.invalid_argument("BiasAdd", f"Biases must be 1D: {list(b._value.shape)}")
    if x._value.ndim < 2:
        raise errors.invalid_argument("BiasAdd", f"Input tensor must be at least 2D: {list(x._value.shape)}")
    ch = 1 if data_format is not None and data_format.startswith("NC") else x._value.ndim - 1
    if x._value.shape[ch] != b._value.shape[0]:
        raise errors.invalid_argument(
            "BiasAdd", f"Must provide as many biases as the last dimension of the input tensor: "
            f"{list(b._value.shape)} vs. {list(x._value.shape)}")
    return _apply(_bias_add, x, b, channel_axis=ch)


def _l2_normalize(x, *, axis, eps):
    if jnp.iscomplexobj(x):
        sq = jnp.sum(jnp.real(x * jnp.conj(x)), axis=axis, keepdims=True)
        return x * lax.rsqrt(jnp.maximum(sq, eps)).astype(x.dtype)
    sq = jnp.sum(x * x, axis=axis, keepdims=True)
    return x * lax.rsqrt(jnp.maximum(sq, jnp.asarray(eps, x.dtype)))


def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None):
    t = convert.tensor(x)
    axis = dim if axis is None else axis
    ax = convert.axis_tuple(axis, t._value.ndim)
    if t.dtype.is_integer:
        t = math_ops.cast(t, dtypes.float32)
    return _apply(_l2_normalize, t, axis=ax, eps=float(epsilon))


def _l2_loss(x):
    return (jnp.sum(x * x) / 2).astype(x.dtype)


def l2_loss(t, name=None):
    x = convert.tensor(t)
    math_ops.check(x, _FLOAT, "L2Loss")
    return _apply(_l2_loss, x)


# -- moments / normalization ------------------------------------------------------
def _moments(x, *, axes, keepdims):
    if x.dtype in (jnp.float16, jnp.bfloat16):
        y = x.astype(jnp.float32)
    else:
        y = x
    mean = jnp.mean(y, axis=axes, keepdims=True)
    var = jnp.mean(jnp.square(y - lax.stop_gradient(mean)), axis=axes, keepdims=True)
    if not keepdims:
        mean = jnp.squeeze(mean, axes)
        var = jnp.squeeze(var, axes)
    return mean.astype(x.dtype), var.astype(x.dtype)


def moments(x, axes, shift=None, keepdims=False, name=None):
    """``tf.nn.moments``: (mean, variance) over ``axes``."""
    t = convert.tensor(x)
    ax = convert.axis_tuple(axes, t._value.ndim)
    return _apply(_moments, t, axes=ax, keepdims=bool(keepdims))


def _weighted_moments(x, w, *, axes, keepdims):
    w = jnp.broadcast_to(w, x.shape).astype(x.dtype) if w.ndim <= x.ndim else w
    sw = jnp.sum(w, axis=axes, keepdims=True)
    mean = jnp.sum(w * x, axis=axes, keepdims=True) / sw
    var = jnp.sum(w * jnp.square(x - mean), axis=axes, keepdims=True) / sw
    if not keepdims:
        mean = jnp.squeeze(mean, axes)
        var = jnp.squeeze(var, axes)
    return mean, var


def weighted_moments(x, axes, frequency_weights, keepdims=False, name=None):
    t = convert.tensor(x)
    w = convert.binary(t, frequency_weights, "WeightedMoments")[1]
    ax = convert.axis_tuple(axes, t._value.ndim)
    return _apply(_weighted_moments, t, w, axes=ax, keepdims=bool(keepdims))


def _batch_norm(x, mean, var, *rest, has_offset, has_scale, eps):
    i = 0
    offset = scale = None
    if has_offset:
        offset = rest[i]
        i += 1
    if has_scale:
        scale = rest[i]
    inv = lax.rsqrt(var + jnp.asarray(eps, var.dtype))
    if scale is not None:
        inv = inv * scale
    return x * inv.astype(x.dtype) + ((offset - mean * inv) if offset is not None else (-mean * inv)).astype(x.dtype)


def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None):
    t = convert.tensor(x)
    m = convert.binary(t, mean, "BatchNorm")[1]
    v = convert.binary(t, variance, "BatchNorm")[1]
    rest = []
    if offset is not None:
        rest.append(convert.binary(t, offset, "BatchNorm")[1])
    if scale is not None:
        rest.append(convert.binary(t, scale, "BatchNorm")[1])
    return _apply(_batch_norm, t, m, v, *rest, has_offset=offset is not None, has_scale=scale is not None,
                  eps=float(variance_epsilon))


def normalize_moments(counts, mean_ss, variance_ss, shift, name=None):
    c = convert.tensor(counts)
    m = math_ops.divide(mean_ss, c)
    if shift is not None:
        mean = math_ops.add(m, shift)
    else:
        mean = m
    var = math_ops.subtract(math_ops.divide(variance_ss, c), math_ops.square(m))
    return mean, var


def _lrn(x, *, r, bias, alpha, beta):
    sq = jnp.square(x)
    c = x.shape[-1]
    padded = jnp.pad(sq, [(0, 0)] * (x.ndim - 1) + [(r, r)])
    s = sum(padded[..., i:i + c] for i in builtins.range(2 * r + 1))
    return x / (bias + alpha * s) ** beta


def local_response_normalization(input, depth_radius=5, bias=1, alpha=1, beta=0.5, name=None):  # noqa: A002
    x = convert.tensor(input)
    math_ops.check(x, _FLOAT, "LRN")
    if x._value.ndim != 4:
        raise errors.invalid_argument("LRN", f"in must be 4-dimensional")
    return _apply(_lrn, x, r=int(depth_radius), bias=float(bias), alpha=float(alpha), beta=float(beta))


lrn = local_response_normalization


# -- losses ---------------------------------------------------------------------------
def _sigmoid_ce(labels, logits):
    return jnp.maximum(logits, 0) - logits * labels + jnp.log1p(jnp.exp(-jnp.abs(logits)))


def sigmoid_cross_entropy_with_logits(labels=None, logits=None, name=None):
    if labels is None or logits is None:
        raise ValueError("Both labels and logits must be provided.")
    lg = convert.tensor(logits)
    lb = convert.binary(lg, labels, "SigmoidCrossEntropyWithLogits")[1]
    if lg._value.shape != lb._value.shape:
        raise ValueError(f"`logits` and `labels` must have the same shape, received ({lg.shape} vs {lb.shape}).")
    return _apply(_sigmoid_ce, lb, lg)


def _weighted_ce(labels, logits, pw):
    log_weight = 1 + (pw - 1) * labels
    return (1 - labels) * logits + log_weight * (jnp.log1p(jnp.exp(-jnp.abs(logits))) + jnp.maximum(-logits, 0))


def weighted_cross_entropy_with_logits(labels, logits, pos_weight, name=None):
    lg = convert.tensor(logits)
    lb = convert.binary(lg, labels, "WeightedCrossEntropyWithLogits")[1]
    pw = convert.binary(lg, pos_weight, "WeightedCrossEntropyWithLogits")[1]
    if lg._value.shape != lb._value.shape:
        raise ValueError(f"logits and labels must have the same shape ({lg.shape} vs {lb.shape})")
    return _apply(_weighted_ce, lb, lg, pw)


def _softmax_ce(labels, logits, *, axis):
    return -jnp.sum(labels * jax.nn.log_softmax(logits, axis=axis), axis=axis)


def softmax_cross_entropy_with_logits(labels, logits, axis=-1, name=None):
    lg = convert.tensor(logits)
    math_ops.check(lg, _FLOAT, "SoftmaxCrossEntropyWithLogits")
    lb = convert.binary(lg, labels, "SoftmaxCrossEntropyWithLogits")[1]
    r = lg._value.ndim
    if r == 0:
        raise errors.invalid_argument("SoftmaxCrossEntropyWithLogits", "logits must have rank >= 1")
    try:
        if np.broadcast_shapes(lg._value.shape, lb._value.shape) != lg._value.shape:
            raise ValueError
    except ValueError:
        raise errors.invalid_argument(
            "SoftmaxCrossEntropyWithLogits", f"logits and labels must be broadcastable: logits_size="
            f"{list(lg._value.shape)} labels_size={list(lb._value.shape)}") from None
    axis = convert.static_int(axis, "axis") % r
    return _apply(_softmax_ce, lb, lg, axis=axis)


def _sparse_softmax_ce(labels, logits):
    lsm = jax.nn.log_softmax(logits, axis=-1)
    n = logits.shape[-1]
    valid = (labels >= 0) & (labels < n)
    picked = jnp.take_along_axis(lsm, jnp.clip(labels, 0, n - 1).astype(jnp.int32)[..., None], axis=-1)[..., 0]
    return jnp.where(valid, -picked, jnp.full_like(picked, jnp.nan))


def sparse_softmax_cross_entropy_with_logits(labels=None, logits=None, name=None):
    """Labels outside ``[0, num_classes)`` raise ``InvalidArgumentError`` eagerly (NaN when traced)."""
    lg = convert.tensor(logits)
    lb = convert.tensor(labels)
    if not lb.dtype.is_integer:
        raise TypeError(f"labels must be int32 or int64, got {lb.dtype.name}")
    math_ops.check(lg, _FLOAT, "SparseSoftmaxCrossEntropyWithLogits")
    if lb._value.ndim != lg._value.ndim - 1:
        raise ValueError(
            f"`labels.shape.rank` must equal `logits.shape.rank - 1`. Received: labels.shape={lb.shape} of rank "
            f"{lb._value.ndim} and logits.shape={lg.shape} of rank {lg._value.ndim}")
    if tuple(lb._value.shape) != tuple(lg._value.shape[:-1]):
        raise ValueError(f"`labels.shape` must equal `logits.shape` except for the last dimension. Received: "
                         f"labels.shape={lb.shape} and logits.shape={lg.shape}")
    n = lg._value.shape[-1]
    if convert.is_concrete(lb) and np.size(lb._value):
        arr = np.asarray(lb._value).reshape(-1)
        bad = arr[(arr < 0) | (arr >= n)]
        if bad.size:
            raise errors.invalid_argument(
                "SparseSoftmaxCrossEntropyWithLogits",
                f"Received a label value of {int(bad[0])} which is outside the valid range of [0, {n}).  "
                f"Label values: {' '.join(str(int(v)) for v in arr)}")
    return _apply(_sparse_softmax_ce, lb, lg)


def _log_poisson(targets, log_input, *, full):
    out = jnp.exp(log_input) - log_input * targets
    if full:
        safe = jnp.where(targets > 1, targets, jnp.ones_like(targets))
        stirling = safe * jnp.log(safe) - safe + 0.5 * jnp.log(2 * np.pi * safe)
        out = out + jnp.where(targets > 1, stirling, jnp.zeros_like(targets))
    return out


def log_poisson_loss(targets, log_input, compute_full_loss=False, name=None):
    li = convert.tensor(log_input)
    t = convert.binary(li, targets, "LogPoissonLoss")[1]
    if li._value.shape != t._value.shape:
        raise ValueError(f"log_input and targets must have the same shape ({li.shape} vs {t.shape})")
    return _apply(_log_poisson, t, li, full=bool(compute_full_loss))


def compute_average_loss(per_example_loss, sample_weight=None, global_batch_size=None):
    loss = convert.tensor(per_example_loss)
    if sample_weight is not None:
        loss = math_ops.multiply(loss, math_ops.cast(sample_weight, loss.dtype))
    if global_batch_size is None:
        n = loss._value.shape[0] if loss._value.ndim else 1
    else:
        n = convert.static_int(global_batch_size)
    return math_ops.divide(math_ops.reduce_sum(loss), math_ops.cast(n, loss.dtype))


def scale_regularization_loss(regularization_loss):
    return math_ops.reduce_sum(convert.tensor(regularization_loss))


# -- embedding -------------------------------------------------------------------------
def _embedding(params, ids, *, max_norm):
    out = jnp.take(params, ids, axis=0)
    if max_norm is not None:
        axes = tuple(builtins.range(ids.ndim, out.ndim))
        norm = jnp.sqrt(jnp.sum(out * out, axis=axes, keepdims=True))
        out = out * jnp.minimum(1.0, max_norm / jnp.maximum(norm, 1e-30)).astype(out.dtype)
    return out


def embedding_lookup(params, ids, max_norm=None, name=None):
    """``tf.nn.embedding_lookup``; a list of params is one table split by rows ("div" strategy)."""
    if isinstance(params, (list, tuple)):
        if len(params) == 1:
            p = convert.tensor(params[0])
        else:
            raise errors.unsupported("tf.nn.embedding_lookup with a list of several partitions",
                                     "concatenate the partitions into one tensor")
    else:
        p = convert.tensor(params)
    i = convert.tensor(ids)
    if not i.dtype.is_integer:
        raise TypeError(f"ids must be integers, got {i.dtype.name}")
    array_ops._check_indices(i, p._value.shape[0], "GatherV2")
    return _apply(_embedding, p, i, max_norm=None if max_norm is None else float(max_norm))


# -- dropout ----------------------------------------------------------------------------
def _dropout(x, u, *, rate):
    keep = u >= rate
    scale = 1.0 / (1.0 - rate)
    return jnp.where(keep, x * jnp.asarray(scale, x.dtype), jnp.zeros_like(x))


def dropout(x, rate, noise_shape=None, seed=None, name=None):
    """``tf.nn.dropout``: zeroes elements with probability ``rate`` and scales the rest by 1/(1-rate).

    The mask comes from the global RNG stream (fresh on every call, also inside tf.function)."""
    from tfjax._src.ops import random_ops  # noqa: PLC0415
    t = convert.tensor(x)
    if not t.dtype.is_floating:
        raise ValueError(f"x has to be a floating point tensor since it's going to be scaled. Got a {t.dtype!r} tensor instead.")
    rate = float(np.asarray(rate))
    if not 0 <= rate < 1:
        raise ValueError(f"`rate` must be a scalar tensor or a float in the range [0, 1). Received: rate={rate}")
    shape = tuple(t._value.shape) if noise_shape is None else tuple(
        d if d is not None else t._value.shape[i] for i, d in enumerate(convert.static_shape(noise_shape)))
    u = random_ops.uniform(shape, dtype=t.dtype, seed=seed)
    return _apply(_dropout, t, u, rate=rate)


# -- convolution -------------------------------------------------------------------------
_SPATIAL = {1: "W", 2: "HW", 3: "DHW"}


def _norm_list(v, n, what, full_rank=None):
    """TF accepts an int, a list of length n, or a list of length n+2 (batch, channel = 1)."""
    if v is None:
        return (1,) * n
    if isinstance(v, (int, np.integer)):
        return (int(v),) * n
    v = [int(a) for a in v]
    if len(v) == 1:
        return (v[0],) * n
    if len(v) == n:
        return tuple(v)
    if len(v) == n + 2:
        return tuple(v[1:-1]) if full_rank != "NC" else tuple(v[2:])
    raise ValueError(f"{what} should be of length 1, {n} or {n + 2}. Received: {what}={v} of length {len(v)}")


def _dims(n, channels_first):
    sp = _SPATIAL[n]
    lhs = ("NC" + sp) if channels_first else ("N" + sp + "C")
    return (lhs, sp + "IO", lhs)


def _padding_arg(padding, n, channels_first):
    if isinstance(padding, str):
        p = padding.upper()
        if p not in ("SAME", "VALID"):
            raise ValueError(f"`padding` must be 'SAME', 'VALID' or explicit, got {padding!r}")
        return p
    pads = [tuple(int(a) for a in pr) for pr in padding]
    if len(pads) != n + 2:
        raise ValueError(f"explicit padding must have {n + 2} pairs, got {len(pads)}")
    sp = pads[2:] if channels_first else pads[1:-1]
    outer = pads[:2] if channels_first else [pads[0], pads[-1]]
    if any(a or b for a, b in outer):
        raise errors.invalid_argument("Conv", "Nonzero explicit padding in the batch or depth dimensions is not supported")
    return tuple(sp)


def _conv(x, w, *, strides, padding, dilations, dn, groups):
    return lax.conv_general_dilated(
        x, w, window_strides=strides, padding=padding if isinstance(padding, str) else list(padding),
        rhs_dilation=dilations, dimension_numbers=dn, feature_group_count=groups,
        preferred_element_type=None)


def _conv_checks(x, w, n, channels_first, op_name, groups_ok=True):
    if x._value.ndim != n + 2:
        raise ValueError(f"input must be {n + 2}-dimensional for a {n}-D convolution, got shape {x.shape}")
    if w._value.ndim != n + 2:
        raise ValueError(f"filter must be {n + 2}-dimensional, got shape {w.shape}")
    cin = x._value.shape[1] if channels_first else x._value.shape[-1]
    fin = w._value.shape[-2]
    if fin == 0 or cin % fin:
        raise errors.invalid_argument(
            op_name, f"input depth must be evenly divisible by filter depth: {cin} vs {fin}")
    return cin // fin


def convolution(input, filters, strides=None, padding="VALID", data_format=None, dilations=None, name=None):  # noqa: A002
    """``tf.nn.convolution`` (1-D, 2-D or 3-D by the filter's rank)."""
    x, w = convert.binary(input, filters, "Conv")
    n = w._value.ndim - 2
    if n not in (1, 2, 3):
        raise ValueError(f"filters must be 3-D, 4-D or 5-D, got shape {w.shape}")
    cf = data_format is not None and data_format.startswith("NC")
    math_ops.check(x, kinds(("float", "sint")), f"Conv{n}D")
    groups = _conv_checks(x, w, n, cf, f"Conv{n}D")
    st = _norm_list(strides, n, "strides", "NC" if cf else None)
    dl = _norm_list(dilations, n, "dilations", "NC" if cf else None)
    if any(s > 1 for s in st) and any(d > 1 for d in dl):
        raise ValueError("strides > 1 not supported in conjunction with dilation_rate > 1")
    pad = _padding_arg(padding, n, cf)
    sp_in = x._value.shape[2:] if cf else x._value.shape[1:-1]
    for i, (d, k, dil) in enumerate(zip(sp_in, w._value.shape[:n], dl)):
        eff = (k - 1) * dil + 1
        padded = d if isinstance(pad, str) else d + pad[i][0] + pad[i][1]
        if pad != "SAME" and eff > padded:
            raise errors.invalid_argument(
                f"Conv{n}D", f"Computed output size would be negative: {padded - eff} [input_size: {padded}, "
                f"effective_filter_size: {eff}, stride: {st[i]}]")
    return _apply(_conv, x, w, strides=st, padding=pad, dilations=dl, dn=_dims(n, cf), groups=groups)


def conv1d(input, filters, stride, padding, data_format="NWC", dilations=None, name=None):  # noqa: A002
    return convolution(input, filters, strides=stride, padding=padding,
                       data_format="NCW" if data_format == "NCW" else "NWC", dilations=dilations)


def conv2d(input, filters, strides, padding, data_format="NHWC", dilations=None, name=None):  # noqa: A002
    w = convert.tensor(filters)
    if w._value.ndim != 4:
        raise ValueError(f"filters must be 4-dimensional, got shape {w.shape}")
    return convolution(input, w, strides=strides, padding=padding, data_format=data_format, dilations=dilations)


def conv3d(input, filters, strides, padding, data_format="NDHWC", dilations=None, name=None):  # noqa: A002
    w = convert.tensor(filters)
    if w._value.ndim != 5:
        raise ValueError(f"filters must be 5-dimensional, got shape {w.shape}")
    return convolution(input, w, strides=strides, padding=padding, data_format=data_format, dilations=dilations)


def _conv_transpose(x, w, *, out_shape, strides, padding, dilations, dn):
    def fwd(z):
        return lax.conv_general_dilated(z, w, window_strides=strides,
                                        padding=padding if isinstance(padding, str) else list(padding),
                                        rhs_dilation=dilations, dimension_numbers=dn)
    _, vjp = jax.vjp(fwd, jnp.zeros(out_shape, x.dtype))
    return vjp(x)[0]


def conv_transpose(input, filters, output_shape, strides, padding="SAME", data_format=None,  # noqa: A002
                   dilations=None, name=None):
    """``tf.nn.conv_transpose``: the gradient of the forward convolution w.r.t. its input.

    ``filters`` has shape ``spatial + [out_channels, in_channels]`` as in TF."""
    x, w = convert.binary(input, filters, "Conv2DBackpropInput")
    n = w._value.ndim - 2
    cf = data_format is not None and data_format.startswith("NC")
    out_shape = convert.static_shape(output_shape, "output_shape")
    if len(out_shape) != n + 2:
        raise ValueError(f"output_shape must have length {n + 2}, got {len(out_shape)}")
    cin = x._value.shape[1] if cf else x._value.shape[-1]
    cout = out_shape[1] if cf else out_shape[-1]
    if w._value.shape[-1] != cin:
        raise ValueError(f"input channels {cin} must match filters.shape[-1] = {w._value.shape[-1]}")
    if w._value.shape[-2] != cout:
        raise ValueError(f"output_shape channels {cout} must match filters.shape[-2] = {w._value.shape[-2]}")
    st = _norm_list(strides, n, "strides", "NC" if cf else None)
    dl = _norm_list(dilations, n, "dilations", "NC" if cf else None)
    pad = _padding_arg(padding, n, cf)
    # check the forward conv of output_shape gives the input's shape
    fwd_shape = jax.eval_shape(
        lambda z: lax.conv_general_dilated(z, jnp.zeros(w._value.shape, w._value.dtype), st,
                                           pad if isinstance(pad, str) else list(pad), rhs_dilation=dl,
                                           dimension_numbers=_dims(n, cf)),
        jax.ShapeDtypeStruct(tuple(out_shape), x._value.dtype)).shape
    if tuple(fwd_shape) != tuple(x._value.shape):
        raise errors.invalid_argument(
            "Conv2DBackpropInput", f"Conv2DSlowBackpropInput: Size of out_backprop doesn't match computed: "
            f"actual = {list(x._value.shape)}, computed = {list(fwd_shape)}")
    return _apply(_conv_transpose, x, w, out_shape=tuple(out_shape), strides=st, padding=pad,
                  dilations=dl, dn=_dims(n, cf))


def conv1d_transpose(input, filters, output_shape, strides, padding="SAME", data_format="NWC",  # noqa: A002
                     dilations=None, name=None):
    return conv_transpose(input, filters, output_shape, strides, padding,
                          "NCW" if data_format == "NCW" else "NWC", dilations)


def conv2d_transpose(input, filters, output_shape, strides, padding="SAME", data_format="NHWC",  # noqa: A002
                     dilations=None, name=None):
    return conv_transpose(input, filters, output_shape, strides, padding, data_format, dilations)


def conv3d_transpose(input, filters, output_shape, strides, padding="SAME", data_format="NDHWC",  # noqa: A002
                     dilations=None, name=None):
    return conv_transpose(input, filters, output_shape, strides, padding, data_format, dilations)


def _depthwise(x, w, *, strides, padding, dilations, dn):
    h, ww, cin, mult = w.shape
    w2 = w.reshape(h, ww, 1, cin * mult)
    return lax.conv_general_dilated(x, w2, strides, padding if isinstance(padding, str) else list(padding),
                                    rhs_dilation=dilations, dimension_numbers=dn, feature_group_count=cin)


def depthwise_conv2d(input, filter, strides, padding, data_format=None, dilations=None, name=None):  # noqa: A002
    """``tf.nn.depthwise_conv2d``: filter [h, w, in_channels, channel_multiplier]."""
    x, w = convert.binary(input, filter, "DepthwiseConv2dNative")
    cf = data_format is not None and data_format.startswith("NC")
    if x._value.ndim != 4 or w._value.ndim != 4:
        raise ValueError("depthwise_conv2d needs a 4-D input and a 4-D filter")
    cin = x._value.shape[1] if cf else x._value.shape[-1]
    if w._value.shape[2] != cin:
        raise errors.invalid_argument(
            "DepthwiseConv2dNative", f"input and filter must have the same depth: {cin} vs {w._value.shape[2]}")
    st = _norm_list(strides, 2, "strides", "NC" if cf else None)
    dl = _norm_list(dilations, 2, "dilations", "NC" if cf else None)
    pad = _padding_arg(padding, 2, cf)
    return _apply(_depthwise, x, w, strides=st, padding=pad, dilations=dl, dn=_dims(2, cf))


def _separable(x, dw, pw, *, strides, padding, dilations, dn):
    y = _depthwise(x, dw, strides=strides, padding=padding, dilations=dilations, dn=dn)
    return lax.conv_general_dilated(y, pw, (1, 1), "VALID", dimension_numbers=dn)


def separable_conv2d(input, depthwise_filter, pointwise_filter, strides, padding, data_format=None,  # noqa: A002
                     dilations=None, name=None):
    x, dw = convert.binary(input, depthwise_filter, "SeparableConv2D")
    pw = convert.binary(x, pointwise_filter, "SeparableConv2D")[1]
    cf = data_format is not None and data_format.startswith("NC")
    cin = x._value.shape[1] if cf else x._value.shape[-1]
    if dw._value.shape[2] != cin:
        raise errors.invalid_argument("SeparableConv2D", "depthwise filter depth must match input depth")
    if pw._value.shape[:2] != (1, 1) or pw._value.shape[2] != dw._value.shape[2] * dw._value.shape[3]:
        raise ValueError(f"pointwise_filter must have shape [1, 1, {dw._value.shape[2] * dw._value.shape[3]}, out]")
    st = _norm_list(strides, 2, "strides", "NC" if cf else None)
    dl = _norm_list(dilations, 2, "dilations", "NC" if cf else None)
    pad = _padding_arg(padding, 2, cf)
    return _apply(_separable, x, dw, pw, strides=st, padding=pad, dilations=dl, dn=_dims(2, cf))


def atrous_conv2d(value, filters, rate, padding, name=None):
    return conv2d(value, filters, strides=1, padding=padding, dilations=rate)


# -- pooling ------------------------------------------------------------------------------
def _window(n, ksize, strides, cf):
    k = _norm_list(ksize, n, "ksize", "NC" if cf else None)
    s = _norm_list(strides, n, "strides", "NC" if cf else None)
    if cf:
        return (1, 1) + k, (1, 1) + s
    return (1,) + k + (1,), (1,) + s + (1,)


def _max_pool(x, *, window, strides, padding):
    if jnp.issubdtype(x.dtype, jnp.floating) and tiled_max_pool.applies(x.shape, window, strides, padding):
        return tiled_max_pool.max_pool(x, window)
    init = -jnp.inf if jnp.issubdtype(x.dtype, jnp.floating) else jnp.iinfo(x.dtype).min
    return lax.reduce_window(x, np.array(init, x.dtype), lax.max, window, strides, padding)


def _avg_pool(x, *, window, strides, padding):
    s = lax.reduce_window(x, np.zeros((), x.dtype), lax.add, window, strides, padding)
    if padding == "VALID":
        return s / np.prod(window).astype(x.dtype)
    ones = jnp.ones(x.shape, x.dtype)
    c = lax.reduce_window(ones, np.zeros((), x.dtype), lax.add, window, strides, padding)
    return s / c


def _pool(kind, input, ksize, strides, padding, data_format, n, op_name):  # noqa: A002
    x = convert.tensor(input)
    if x._value.ndim != n + 2:
        raise ValueError(f"Input tensor must be of rank {n + 2} but was {x._value.ndim}.")
    if kind == "avg":
        math_ops.check(x, _FLOAT, op_name)
    else:
        math_ops.check(x, _REAL, op_name)
    cf = data_format is not None and data_format.startswith("NC")
    win, st = _window(n, ksize, strides, cf)
    if not isinstance(padding, str) or padding.upper() not in ("SAME", "VALID"):
        if kind == "max" and not isinstance(padding, str):
            pads = tuple(tuple(int(a) for a in p) for p in padding)
            return _apply(_max_pool, x, window=win, strides=st, padding=pads)
        raise ValueError(f"padding must be 'SAME' or 'VALID', got {padding!r}")
    if any(k <= 0 for k in win) or any(s <= 0 for s in st):
        raise errors.invalid_argument(op_name, "Sliding window ksize and strides must be > 0")
    p = padding.upper()
    if p == "VALID":
        for d, k in zip(x._value.shape, win):
            if k > d:
                raise errors.invalid_argument(
                    op_name, f"Computed output size would be negative: {(d - k) // 1 + 1} [input_size: {d}, "
                    f"effective_filter_size: {k}, stride: 1]")
    return _apply(_max_pool if kind == "max" else _avg_pool, x, window=win, strides=st, padding=p)


def max_pool(input, ksize, strides, padding, data_format=None, name=None):  # noqa: A002
    x = convert.tensor(input)
    n = x._value.ndim - 2
    if n not in (1, 2, 3):
        raise ValueError(f"`input.shape.rank` must be 3, 4 or 5. Received: input.shape={x.shape}")
    return _pool("max", x, ksize, strides, padding, data_format, n, f"MaxPool{'' if n == 2 else str(n) + 'D'}")


def avg_pool(input, ksize, strides, padding, data_format=None, name=None):  # noqa: A002
    x = convert.tensor(input)
    n = x._value.ndim - 2
    if n not in (1, 2, 3):
        raise ValueError(f"`input.shape.rank` must be 3, 4 or 5. Received: input.shape={x.shape}")
    return _pool("avg", x, ksize, strides, padding, data_format, n, "AvgPool")


def max_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):  # noqa: A002
    return _pool("max", input, ksize, strides, padding, data_format, 1, "MaxPool")


def max_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):  # noqa: A002
    return _pool("max", input, ksize, strides, padding, data_format, 2, "MaxPool")


def max_pool3d(input, ksize, strides, padding, data_format="NDHWC", name=None):  # noqa: A002
    return _pool("max", input, ksize, strides, padding, data_format, 3, "MaxPool3D")


def avg_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):  # noqa: A002
    return _pool("avg", input, ksize, strides, padding, data_format, 1, "AvgPool")


def avg_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):  # noqa: A002
    return _pool("avg", input, ksize, strides, padding, data_format, 2, "AvgPool")


def avg_pool3d(input, ksize, strides, padding, data_format="NDHWC", name=None):  # noqa: A002
    return _pool("avg", input, ksize, strides, padding, data_format, 3, "AvgPool3D")


def pool(input, window_shape, pooling_type, strides=None, padding="VALID", data_format=None,  # noqa: A002
         dilations=None, name=None):
    if dilations is not None and any(d != 1 for d in np.atleast_1d(dilations)):
        raise errors.unsupported("tf.nn.pool(dilations=...)")
    kind = {"MAX": "max", "AVG": "avg"}.get(str(pooling_type).upper())
    if kind is None:
        raise ValueError(f"pooling_type must be 'MAX' or 'AVG', got {pooling_type!r}")
    n = len(window_shape)
    return _pool(kind, input, list(window_shape), strides if strides is not None else 1, padding, data_format,
                 n, "Pool")


space_to_depth = array_ops.space_to_depth
depth_to_space = array_ops.depth_to_space
zero_fraction = math_ops.zero_fraction
