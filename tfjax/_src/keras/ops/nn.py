"""``keras.ops`` neural-network ops (activations, conv, pooling, normalization).

``rms_normalization`` / ``layer_normalization`` live in :mod:`.nn_normalization` and CTC in :mod:`.nn_ctc`;
both are re-exported here."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from tfjax._src.tensor import Tensor
from tfjax._src.keras import backend
# One implementation of each kernel: keras.ops.nn converts Keras's conventions (data_format, lowercase
# padding, int-or-tuple sizes) and runs tf.nn's JAX kernels.
from tfjax._src.ops.conv_ops import _conv, _dims, _norm_list  # noqa: F401
from tfjax._src.ops.nn_ops import _batch_norm, _log_softmax, _moments, _softmax  # noqa: F401
# The activations' kernels are tf.nn's / tf.math's too, so that their gradients at the kinks (x == 0,
# x == 6, ties of maximum/minimum, clip bounds) are TF's, not JAX's 0.5-splitting ones.
from tfjax._src.ops.nn_ops import _elu as _tf_elu, _leaky_relu as _tf_leaky_relu, _relu, _relu6, _selu  # noqa: F401
from tfjax._src.ops.nn_ops import _sigmoid_ce
from tfjax._src.ops.binary_ops import _maximum_raw, _minimum_raw
from tfjax._src.ops.clip_ops import _clip as _tf_clip
from tfjax._src.ops.math_ops import _abs as _tf_abs
from tfjax._src.ops.pooling_ops import _avg_pool, _max_pool, _window as _pool_window  # noqa: F401
from tfjax._src.keras.ops.core import apply, apply_unrecorded, keras_op, t, t1, cast, np_dtype
from tfjax._src.keras.ops.numpy import _fdtype


def _act(jfn, name):
    def op(x):
        return apply(jfn, _fdtype(t1(x)))
    op.__name__ = name
    return keras_op(op)


def _sigmoid(x):
    return jax.nn.sigmoid(x)


def _softplus(x):
    return jax.nn.softplus(x)


def _softsign(x):
    return x / (1 + jnp.abs(x))


def _silu(x):
    return x * jax.nn.sigmoid(x)


def _log_sigmoid(x):
    return jax.nn.log_sigmoid(x)


def _hard_sigmoid(x):
    # Keras's TF backend: relu6(x + 3) / 6 (gradient 0 at x == -3 and x == 3).
    return _relu6(x + jnp.asarray(3, x.dtype)) / jnp.asarray(6, x.dtype)


def _hard_silu(x):
    return x * _hard_sigmoid(x)


def _mish(x):
    return x * jnp.tanh(jax.nn.softplus(x))


def _tanh_shrink(x):
    return x - jnp.tanh(x)


def _squareplus(x, *, b):
    return (x + jnp.sqrt(jnp.square(x) + jnp.asarray(b, x.dtype))) / 2


relu = _act(_relu, "relu")
relu6 = _act(_relu6, "relu6")
sigmoid = _act(_sigmoid, "sigmoid")
softplus = _act(_softplus, "softplus")
softsign = _act(_softsign, "softsign")
silu = _act(_silu, "silu")
swish = silu
log_sigmoid = _act(_log_sigmoid, "log_sigmoid")
selu = _act(_selu, "selu")
hard_sigmoid = _act(_hard_sigmoid, "hard_sigmoid")
hard_silu = _act(_hard_silu, "hard_silu")
hard_swish = hard_silu
mish = _act(_mish, "mish")
tanh_shrink = _act(_tanh_shrink, "tanh_shrink")


@keras_op
def squareplus(x, b=4):
    return apply(_squareplus, _fdtype(t1(x)), b=float(b))


def _hard_tanh(x):
    # Keras's TF backend: tf.clip_by_value(x, -1, 1).
    return _tf_clip(x, jnp.asarray(-1, x.dtype), jnp.asarray(1, x.dtype))


def _sparse_plus(x):
    return jnp.where(x <= -1, jnp.zeros_like(x), jnp.where(x < 1, (jnp.square(x + 1) / 4).astype(x.dtype), x))


def _sparse_sigmoid(x):
    one = jnp.ones_like(x)
    return jnp.where(x <= -1, jnp.zeros_like(x), jnp.where(x >= 1, one, (0.5 * (x + 1)).astype(x.dtype)))


hard_tanh = _act(_hard_tanh, "hard_tanh")
sparse_plus = _act(_sparse_plus, "sparse_plus")
sparse_sigmoid = _act(_sparse_sigmoid, "sparse_sigmoid")


def _hard_shrink(x, *, threshold):
    return jnp.where(_tf_abs(x) > threshold, x, jnp.zeros_like(x))


@keras_op
def hard_shrink(x, threshold=0.5):
    return apply(_hard_shrink, _fdtype(t1(x)), threshold=float(threshold))


def _soft_shrink(x, *, threshold):
    th = jnp.asarray(threshold, x.dtype)
    return jnp.where(x > th, x - th, jnp.where(x < -th, x + th, jnp.zeros_like(x)))


@keras_op
def soft_shrink(x, threshold=0.5):
    return apply(_soft_shrink, _fdtype(t1(x)), threshold=float(threshold))


def _threshold(x, default_value, *, threshold):
    return jnp.where(x > threshold, x, default_value.astype(x.dtype))


@keras_op
def threshold(x, threshold, default_value):
    x = t1(x)
    return apply(_threshold, x, t(default_value), threshold=float(threshold))


def _tanh(x):
    return jnp.tanh(x)


tanh = _act(_tanh, "tanh")


@keras_op
def leaky_relu(x, negative_slope=0.2):
    return apply(_tf_leaky_relu, _fdtype(t1(x)), alpha=float(negative_slope))


def _elu(x, *, alpha):
    # Keras's TF backend: tf.nn.elu, scaled by alpha where x <= 0.
    res = _tf_elu(x)
    if alpha == 1.0:
        return res
    return jnp.where(x > 0, res, (alpha * res).astype(x.dtype))


@keras_op
def elu(x, alpha=1.0):
    return apply(_elu, _fdtype(t1(x)), alpha=float(alpha))


def _celu(x, *, alpha):
    # Keras's TF backend: maximum(x, 0) + alpha * expm1(minimum(x, 0) / alpha), with tf.maximum /
    # tf.minimum's tie rule (both terms pass the gradient at x == 0, so it is 2 there).
    zero = jnp.zeros((), x.dtype)
    a = jnp.asarray(alpha, x.dtype)
    return _maximum_raw(x, zero) + a * jnp.expm1(_minimum_raw(x, zero) / a)


@keras_op
def celu(x, alpha=1.0):
    return apply(_celu, _fdtype(t1(x)), alpha=float(alpha))


def _gelu(x, *, approximate):
    return jax.nn.gelu(x, approximate=approximate)


@keras_op
def gelu(x, approximate=True):
    return apply(_gelu, _fdtype(t1(x)), approximate=bool(approximate))


def _ax(axis):
    return tuple(axis) if isinstance(axis, (list, tuple)) else int(axis)


@keras_op
def softmax(x, axis=-1):
    return apply(_softmax, _fdtype(t1(x)), axis=_ax(axis))


@keras_op
def log_softmax(x, axis=-1):
    return apply(_log_softmax, _fdtype(t1(x)), axis=_ax(axis))


def _one_hot(x, *, num_classes, axis, dtype):
    return jax.nn.one_hot(x, num_classes, axis=axis, dtype=dtype)


@keras_op
def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    x = t1(x)
    if not jnp.issubdtype(x._value.dtype, jnp.integer):
        x = cast(x, "int32")
    return apply_unrecorded(_one_hot, x, num_classes=int(num_classes), axis=int(axis),
                            dtype=np_dtype(dtype or backend.floatx()))


def _multi_hot(x, *, num_classes, axis, dtype):
    oh = jax.nn.one_hot(x, num_classes, axis=axis, dtype=dtype)
    red = -2 if axis == -1 else axis
    return jnp.max(oh, axis=red)


@keras_op
def multi_hot(inputs, num_classes, axis=-1, dtype=None, sparse=False):
    x = t1(inputs)
    if x.ndim == 1:
        x = Tensor(x._value[None])
        out = apply_unrecorded(_multi_hot, x, num_classes=int(num_classes), axis=int(axis),
                               dtype=np_dtype(dtype or backend.floatx()))
        return Tensor(out._value[0])
    return apply_unrecorded(_multi_hot, x, num_classes=int(num_classes), axis=int(axis),
                            dtype=np_dtype(dtype or backend.floatx()))


# -- convolution ---------------------------------------------------------------

def _tuple(v, n):
    return _norm_list(v, n, "size")


def _dimnums(n, data_format):
    return _dims(n, data_format == "channels_first")


@keras_op
def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    data_format = backend.standardize_data_format(data_format)
    x, k = t1(inputs), t1(kernel)
    n = x.ndim - 2
    in_ch = x._value.shape[-1] if data_format == "channels_last" else x._value.shape[1]
    groups = in_ch // k._value.shape[-2]
    return apply(_conv, x, k, strides=_tuple(strides, n), padding=padding.upper(),
                 dilations=_tuple(dilation_rate, n), dn=_dimnums(n, data_format), groups=int(groups))


@keras_op
def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    data_format = backend.standardize_data_format(data_format)
    x, k = t1(inputs), t1(kernel)
    n = x.ndim - 2
    ks = k._value.shape
    k2 = apply(_reshape_dw, k, shape=ks[:-2] + (1, ks[-2] * ks[-1]))
    in_ch = x._value.shape[-1] if data_format == "channels_last" else x._value.shape[1]
    return apply(_conv, x, k2, strides=_tuple(strides, n), padding=padding.upper(),
                 dilations=_tuple(dilation_rate, n), dn=_dimnums(n, data_format), groups=int(in_ch))


def _reshape_dw(k, *, shape):
    return jnp.reshape(k, shape)


@keras_op
def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid",
                   data_format=None, dilation_rate=1):
    y = depthwise_conv(inputs, depthwise_kernel, strides, padding, data_format, dilation_rate)
    return conv(y, pointwise_kernel, 1, "valid", data_format, 1)


def _conv_t_pad(k, s, d, padding, op):
    k = (k - 1) * d + 1
    if padding == "valid":
        op = max(k, s) - k if op is None else op
        return (k - 1, k - 1 + op)
    pad_len = s + k - 2 if op is None else k + k % 2 - 2 + op
    left = min(pad_len // 2 + pad_len % 2, k - 1)
    return (left, pad_len - left)


def _conv_transpose(x, k, *, strides, padding, dilation, dn):
    return jax.lax.conv_transpose(x, k, strides, padding=padding, rhs_dilation=dilation,
                                  dimension_numbers=dn, transpose_kernel=True)


@keras_op
def conv_transpose(inputs, kernel, strides=1, padding="valid", output_padding=None,
                   data_format=None, dilation_rate=1):
    data_format = backend.standardize_data_format(data_format)
    x, k = t1(inputs), t1(kernel)
    n = x.ndim - 2
    st = _tuple(strides, n)
    dl = _tuple(dilation_rate, n)
    op = (None,) * n if output_padding is None else _tuple(output_padding, n)
    ks = k._value.shape[:-2]
    pads = tuple(_conv_t_pad(ks[i], st[i], dl[i], padding.lower(), op[i]) for i in range(n))
    return apply(_conv_transpose, x, k, strides=st, padding=pads, dilation=dl, dn=_dimnums(n, data_format))


# -- pooling -------------------------------------------------------------------

def _pool(kernel, inputs, pool_size, strides, padding, data_format):
    data_format = backend.standardize_data_format(data_format)
    x = t1(inputs)
    window, steps = _pool_window(x.ndim - 2, pool_size, pool_size if strides is None else strides,
                                 data_format == "channels_first")
    return apply(kernel, x, window=window, strides=steps, padding=padding.upper())


@keras_op
def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    return _pool(_max_pool, inputs, pool_size, strides, padding, data_format)


@keras_op
def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    return _pool(_avg_pool, inputs, pool_size, strides, padding, data_format)


# -- normalization helpers --------------------------------------------------

@keras_op
def moments(x, axes, keepdims=False, synchronized=False):
    x = t1(x)
    axes = tuple(int(a) for a in axes)
    return apply(_moments, x, axes=axes, keepdims=bool(keepdims))


def _bn_bcast(x, axis, ndim):
    shape = [1] * ndim
    shape[axis] = -1
    return x if x.ndim == ndim else apply(_reshape_dw, x, shape=tuple(shape))


@keras_op
def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    x = t1(x)
    nd = x.ndim
    axis = axis % nd
    args = [_bn_bcast(t1(mean), axis, nd), _bn_bcast(t1(variance), axis, nd)]
    if offset is not None:
        args.append(_bn_bcast(t1(offset), axis, nd))
    if scale is not None:
        args.append(_bn_bcast(t1(scale), axis, nd))
    return apply(_batch_norm, x, *args, eps=float(epsilon), has_offset=offset is not None,
                 has_scale=scale is not None)


def _normalize(x, *, axis, order, eps):
    # Keras's formula: x * min(rsqrt(sum(x**2)), 1 / eps) for order 2 (finite gradient at x == 0),
    # else x / maximum(norm, eps), with tf.minimum / tf.maximum's tie rule.
    if order == 2:
        inv_norm = jax.lax.rsqrt(jnp.sum(jnp.square(x), axis=axis, keepdims=True))
        return x * _minimum_raw(inv_norm, jnp.asarray(1.0 / eps, x.dtype))
    from tfjax._src.ops.linalg_ops import _vector_norm  # noqa: PLC0415
    n = _vector_norm(x, order, axis, True)
    return x / _maximum_raw(n, jnp.asarray(eps, x.dtype))


@keras_op
def normalize(x, axis=-1, order=2, epsilon=None):
    return apply(_normalize, _fdtype(t1(x)), axis=int(axis), order=order,
                 eps=float(epsilon if epsilon is not None else backend.epsilon()))


# -- losses used by layers/metrics -----------------------------------------

def _sce(target, output, *, from_logits, axis):
    if from_logits:
        logp = jax.nn.log_softmax(output, axis=axis)
    else:
        output = output / jnp.sum(output, axis=axis, keepdims=True)
        output = _tf_clip(output, jnp.asarray(1e-7, output.dtype), jnp.asarray(1 - 1e-7, output.dtype))
        logp = jnp.log(output)
    oh = jax.nn.one_hot(target, output.shape[axis], axis=axis, dtype=output.dtype)
    return -jnp.sum(oh * logp, axis=axis)


@keras_op
def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    tg = t1(target)
    if not jnp.issubdtype(tg._value.dtype, jnp.integer):
        tg = cast(tg, "int32")
    out = t1(output)
    if tg.ndim == out.ndim and tg._value.shape[-1] == 1:
        tg = Tensor(jnp.squeeze(tg._value, -1)) if not isinstance(tg._value, jax.core.Tracer) else \
            apply_unrecorded(_sq_last, tg)
    return apply(_sce, tg, out, from_logits=bool(from_logits), axis=int(axis))


def _sq_last(x):
    return jnp.squeeze(x, -1)


def _cce(target, output, *, from_logits, axis):
    if from_logits:
        logp = jax.nn.log_softmax(output, axis=axis)
    else:
        output = output / jnp.sum(output, axis=axis, keepdims=True)
        logp = jnp.log(_tf_clip(output, jnp.asarray(1e-7, output.dtype), jnp.asarray(1 - 1e-7, output.dtype)))
    return -jnp.sum(target * logp, axis=axis)


@keras_op
def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    out = t1(output)
    return apply(_cce, cast(t1(target), out._value.dtype), out, from_logits=bool(from_logits), axis=int(axis))


def _bce(target, output, *, from_logits):
    if from_logits:
        return _sigmoid_ce(target, output)
    output = _tf_clip(output, jnp.asarray(1e-7, output.dtype), jnp.asarray(1 - 1e-7, output.dtype))
    return -(target * jnp.log(output) + (1 - target) * jnp.log(1 - output))


@keras_op
def binary_crossentropy(target, output, from_logits=False):
    out = t1(output)
    return apply(_bce, cast(t1(target), out._value.dtype), out, from_logits=bool(from_logits))


def _dpa(q, k, v, *rest, has_bias, has_mask, scale, causal):
    i = 0
    bias = mask = None
    if has_bias:
        bias = rest[i]
        i += 1
    if has_mask:
        mask = rest[i]
    return jax.nn.dot_product_attention(q, k, v, bias=bias, mask=mask, scale=scale, is_causal=causal)


@keras_op
def dot_product_attention(query, key, value, bias=None, mask=None, scale=None, is_causal=False,
                          flash_attention=None, attn_logits_soft_cap=None):
    args = [t1(query), t1(key), t1(value)]
    if bias is not None:
        args.append(t1(bias))
    if mask is not None:
        args.append(t1(mask))
    return apply(_dpa, *args, has_bias=bias is not None, has_mask=mask is not None,
                 scale=None if scale is None else float(scale), causal=bool(is_causal))


# -- ``sparsemax``, ``glu``, ``psnr``, ``polar``, ``space_to_depth`` / ``depth_to_space`` --------------------

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


from tfjax._src.keras.ops.nn_normalization import rms_normalization, layer_normalization  # noqa: E402,F401
from tfjax._src.keras.ops.nn_ctc import ctc_loss, ctc_decode  # noqa: E402,F401
