"""``tf.nn`` convolutions: ``convolution``, ``conv1d/2d/3d``, their transposes, depthwise / separable / atrous.

Convolutions run on ``lax.conv_general_dilated`` with TF's layouts (NHWC input,
HWIO filters by default); transposed convolutions are the exact vjp of the
forward convolution (TF defines them as ``Conv2DBackpropInput``).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from tfjax._src import dispatch
from tfjax._src import errors
from tfjax._src.ops import convert
from tfjax._src.ops import math_ops
from tfjax._src.ops.math_common import kinds

_apply = dispatch.apply


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
