"""``tf.nn``: activations, normalization, losses, embedding lookup, dropout.

Convolutions live in :mod:`.conv_ops` and pooling in :mod:`.pooling_ops`.
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
from tfjax._src.ops.math_common import kinds
from tfjax._src.ops.math_ops import _unary

_apply = dispatch.apply
_FLOAT = kinds(("float",))


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


def _neg_part(x):
    # x where x < 0, else 0, with no gradient path through the x >= 0 side: ``jnp.minimum(x, 0)``
    # would send half of the gradient at 0 into the negative branch.
    return jnp.where(x < 0, x, jnp.zeros((), x.dtype))


def _elu(x):
    # TF's EluGrad: g * (y + 1) where y < 0, else g (so 1 at x == 0).
    return jnp.where(x < 0, jnp.expm1(_neg_part(x)), x)


def _selu(x):
    # TF's SeluGrad: g * (y + scale * alpha) where y < 0, else g * scale (so scale at x == 0).
    alpha = 1.6732632423543772848170429916717
    scale = 1.0507009873554804934193349852946
    return (scale * jnp.where(x < 0, alpha * jnp.expm1(_neg_part(x)), x)).astype(x.dtype)


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
    return _relu(jnp.concatenate([x, -x], axis=axis))


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
    # TF's formula, selects rather than max/abs, so that the gradient at logits == 0 is TF's (0.5 - labels).
    zeros = jnp.zeros_like(logits)
    cond = logits >= zeros
    relu_logits = jnp.where(cond, logits, zeros)
    neg_abs_logits = jnp.where(cond, -logits, logits)
    return relu_logits - logits * labels + jnp.log1p(jnp.exp(neg_abs_logits))


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
    # tf.abs / tf.nn.relu kernels: their gradient at logits == 0 is TF's (0), not JAX's.
    return (1 - labels) * logits + log_weight * (jnp.log1p(jnp.exp(-math_ops._abs(logits))) + _relu(-logits))


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


space_to_depth = array_ops.space_to_depth
depth_to_space = array_ops.depth_to_space
zero_fraction = math_ops.zero_fraction
