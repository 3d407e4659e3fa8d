"""Convolution layers."""

from __future__ import annotations

from tfjax._src.keras import activations, backend, constraints, initializers, regularizers
from tfjax._src.keras.layers.layer import Layer, InputSpec
from tfjax._src.keras.layers.core import _ser
from tfjax._src.keras.ops import numpy as N
from tfjax._src.keras.ops import nn as NN

__all__ = ["Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose",
           "DepthwiseConv1D", "DepthwiseConv2D", "SeparableConv1D", "SeparableConv2D", "Convolution1D",
           "Convolution2D", "Convolution3D", "Convolution2DTranspose", "Convolution3DTranspose",
           "SeparableConvolution1D", "SeparableConvolution2D"]


def _tup(v, n, name="value"):
    if isinstance(v, int):
        return (v,) * n
    v = tuple(int(e) for e in v)
    if len(v) != n:
        raise ValueError(f"The `{name}` argument must be a tuple of {n} integers. Received {name}={v}")
    return v


def _out_len(length, k, padding, stride, dilation):
    if length is None:
        return None
    k = (k - 1) * dilation + 1
    if padding == "same":
        return (length + stride - 1) // stride
    if padding == "causal":
        return (length + stride - 1) // stride
    return (length - k + stride) // stride


def _deconv_len(length, k, padding, output_padding, stride, dilation):
    if length is None:
        return None
    k = (k - 1) * dilation + 1
    if output_padding is None:
        if padding == "valid":
            return length * stride + max(k - stride, 0)
        return length * stride
    pad = k // 2 if padding == "same" else 0
    return (length - 1) * stride + k - 2 * pad + output_padding


class _BaseConv(Layer):
    rank = 2
    _transpose = False

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 groups=1, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, output_padding=None,
                 **kwargs):
        # The public classes below each carry Keras's own signature and forward here by keyword.
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        r = self.rank
        self.filters = filters
        self.groups = groups
        self.kernel_size = _tup(kernel_size, r, "kernel_size")
        self.strides = _tup(strides, r, "strides")
        self.dilation_rate = _tup(dilation_rate, r, "dilation_rate")
        self.padding = padding.lower()
        self.data_format = backend.standardize_data_format(data_format)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.output_padding = None if output_padding is None else _tup(output_padding, r, "output_padding")
        self.input_spec = InputSpec(min_ndim=r + 2)
        if self.padding not in ("valid", "same", "causal"):
            raise ValueError(f"Invalid padding: {padding}")
        if filters is not None and filters <= 0:
            raise ValueError(f"Invalid value for argument `filters`. Expected a strictly positive value. "
                             f"Received filters={filters}.")

    def _channels(self, shape):
        return shape[-1] if self.data_format == "channels_last" else shape[1]

    def build(self, input_shape):
        in_ch = self._channels(input_shape)
        if self._transpose:
            kshape = self.kernel_size + (self.filters, in_ch)
        else:
            kshape = self.kernel_size + (in_ch // self.groups, self.filters)
        self.kernel = self.add_weight(name="kernel", shape=kshape, initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer, constraint=self.kernel_constraint)
        if self.use_bias:
            self.bias = self.add_weight(name="bias", shape=(self.filters,), initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer, constraint=self.bias_constraint)
        else:
            self.bias = None

    def _bias_add(self, x):
        if self.bias is None:
            return x
        if self.data_format == "channels_last":
            return N.add(x, self.bias)
        return N.add(x, N.reshape(self.bias, (1, self.filters) + (1,) * self.rank))

    def call(self, inputs):
        x = inputs
        padding = self.padding
        if padding == "causal":
            k = (self.kernel_size[0] - 1) * self.dilation_rate[0] + 1
            pw = [(0, 0), (k - 1, 0), (0, 0)] if self.data_format == "channels_last" else [(0, 0), (0, 0), (k - 1, 0)]
            x = N.pad(x, pw)
            padding = "valid"
        if self._transpose:
            y = NN.conv_transpose(x, self.kernel, self.strides, padding, self.output_padding, self.data_format,
                                  self.dilation_rate)
        else:
            y = NN.conv(x, self.kernel, self.strides, padding, self.data_format, self.dilation_rate)
        y = self._bias_add(y)
        if self.activation is not activations.linear:
            y = self.activation(y)
        return y

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        sp = input_shape[1:-1] if self.data_format == "channels_last" else input_shape[2:]
        if self._transpose:
            op = self.output_padding or (None,) * self.rank
            new = tuple(_deconv_len(sp[i], self.kernel_size[i], self.padding, op[i], self.strides[i],
                                    self.dilation_rate[i]) for i in range(self.rank))
        else:
            new = tuple(_out_len(sp[i], self.kernel_size[i], self.padding, self.strides[i], self.dilation_rate[i])
                        for i in range(self.rank))
        if self.data_format == "channels_last":
            return (input_shape[0],) + new + (self.filters,)
        return (input_shape[0], self.filters) + new

    def get_config(self):
        base = super().get_config()
        base.update({
            "filters": self.filters, "kernel_size": self.kernel_size, "strides": self.strides,
            "padding": self.padding, "data_format": self.data_format, "dilation_rate": self.dilation_rate,
        })
        if self._transpose:
            base["output_padding"] = self.output_padding
        else:
            base["groups"] = self.groups
        base.update({
            "activation": activations.serialize(self.activation), "use_bias": self.use_bias,
            "kernel_initializer": _ser(self.kernel_initializer, "init"),
            "bias_initializer": _ser(self.bias_initializer, "init"),
            "kernel_regularizer": _ser(self.kernel_regularizer, "reg"),
            "bias_regularizer": _ser(self.bias_regularizer, "reg"),
            "activity_regularizer": _ser(self.activity_regularizer, "reg"),
            "kernel_constraint": _ser(self.kernel_constraint, "con"),
            "bias_constraint": _ser(self.bias_constraint, "con"),
        })
        return base


class Conv1D(_BaseConv):
    rank = 1

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 groups=1, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(filters, kernel_size, strides=strides, padding=padding, data_format=data_format,
                         dilation_rate=dilation_rate, groups=groups, activation=activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                         kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer, kernel_constraint=kernel_constraint,
                         bias_constraint=bias_constraint, **kwargs)


class Conv2D(_BaseConv):
    rank = 2

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1), groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 **kwargs):
        super().__init__(filters, kernel_size, strides=strides, padding=padding, data_format=data_format,
                         dilation_rate=dilation_rate, groups=groups, activation=activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                         kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer, kernel_constraint=kernel_constraint,
                         bias_constraint=bias_constraint, **kwargs)


class Conv3D(_BaseConv):
    rank = 3

    def __init__(self, filters, kernel_size, strides=(1, 1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1, 1), groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 **kwargs):
        super().__init__(filters, kernel_size, strides=strides, padding=padding, data_format=data_format,
                         dilation_rate=dilation_rate, groups=groups, activation=activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                         kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer, kernel_constraint=kernel_constraint,
                         bias_constraint=bias_constraint, **kwargs)


class Conv1DTranspose(_BaseConv):
    rank = 1
    _transpose = True

    def __init__(self, filters, kernel_size, strides=1, padding="valid", output_padding=None, data_format=None,
                 dilation_rate=1, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(filters, kernel_size, strides=strides, padding=padding, output_padding=output_padding,
                         data_format=data_format, dilation_rate=dilation_rate, activation=activation,
                         use_bias=use_bias, kernel_initializer=kernel_initializer,
                         bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                         bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
                         kernel_constraint=kernel_constraint, bias_constraint=bias_constraint, **kwargs)


class Conv2DTranspose(_BaseConv):
    rank = 2
    _transpose = True

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", output_padding=None, data_format=None,
                 dilation_rate=(1, 1), activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(filters, kernel_size, strides=strides, padding=padding, output_padding=output_padding,
                         data_format=data_format, dilation_rate=dilation_rate, activation=activation,
                         use_bias=use_bias, kernel_initializer=kernel_initializer,
                         bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                         bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
                         kernel_constraint=kernel_constraint, bias_constraint=bias_constraint, **kwargs)


class Conv3DTranspose(_BaseConv):
    rank = 3
    _transpose = True

    def __init__(self, filters, kernel_size, strides=(1, 1, 1), padding="valid", data_format=None,
                 output_padding=None, dilation_rate=(1, 1, 1), activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 **kwargs):
        super().__init__(filters, kernel_size, strides=strides, padding=padding, data_format=data_format,
                         output_padding=output_padding, dilation_rate=dilation_rate, activation=activation,
                         use_bias=use_bias, kernel_initializer=kernel_initializer,
                         bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                         bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
                         kernel_constraint=kernel_constraint, bias_constraint=bias_constraint, **kwargs)


class _DepthwiseConv(Layer):
    rank = 2

    def __init__(self, kernel_size, strides=1, padding="valid", depth_multiplier=1, data_format=None,
                 dilation_rate=1, activation=None, use_bias=True, depthwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, depthwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        r = self.rank
        self.kernel_size = _tup(kernel_size, r)
        self.strides = _tup(strides, r)
        self.dilation_rate = _tup(dilation_rate, r)
        self.padding = padding.lower()
        self.depth_multiplier = depth_multiplier
        self.data_format = backend.standardize_data_format(data_format)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)
        self.bias_constraint = constraints.get(bias_constraint)

    def build(self, input_shape):
        in_ch = input_shape[-1] if self.data_format == "channels_last" else input_shape[1]
        self.kernel = self.add_weight(name="kernel", shape=self.kernel_size + (in_ch, self.depth_multiplier),
                                      initializer=self.depthwise_initializer,
                                      regularizer=self.depthwise_regularizer, constraint=self.depthwise_constraint)
        if self.use_bias:
            self.bias = self.add_weight(name="bias", shape=(in_ch * self.depth_multiplier,),
                                        initializer=self.bias_initializer, regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        else:
            self.bias = None

    def call(self, inputs):
        y = NN.depthwise_conv(inputs, self.kernel, self.strides, self.padding, self.data_format, self.dilation_rate)
        if self.bias is not None:
            if self.data_format == "channels_last":
                y = N.add(y, self.bias)
            else:
                y = N.add(y, N.reshape(self.bias, (1, -1) + (1,) * self.rank))
        if self.activation is not activations.linear:
            y = self.activation(y)
        return y

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        cl = self.data_format == "channels_last"
        sp = input_shape[1:-1] if cl else input_shape[2:]
        ch = (input_shape[-1] if cl else input_shape[1]) * self.depth_multiplier
        new = tuple(_out_len(sp[i], self.kernel_size[i], self.padding, self.strides[i], self.dilation_rate[i])
                    for i in range(self.rank))
        return (input_shape[0],) + new + (ch,) if cl else (input_shape[0], ch) + new

    def get_config(self):
        base = super().get_config()
        base.update({
            "depth_multiplier": self.depth_multiplier, "kernel_size": self.kernel_size, "strides": self.strides,
            "padding": self.padding, "data_format": self.data_format, "dilation_rate": self.dilation_rate,
            "activation": activations.serialize(self.activation), "use_bias": self.use_bias,
            "depthwise_initializer": _ser(self.depthwise_initializer, "init"),
            "bias_initializer": _ser(self.bias_initializer, "init"),
            "depthwise_regularizer": _ser(self.depthwise_regularizer, "reg"),
            "bias_regularizer": _ser(self.bias_regularizer, "reg"),
            "activity_regularizer": _ser(self.activity_regularizer, "reg"),
            "depthwise_constraint": _ser(self.depthwise_constraint, "con"),
            "bias_constraint": _ser(self.bias_constraint, "con"),
        })
        return base


class DepthwiseConv1D(_DepthwiseConv):
    rank = 1


class DepthwiseConv2D(_DepthwiseConv):
    rank = 2

    def __init__(self, kernel_size, strides=(1, 1), padding="valid", depth_multiplier=1, data_format=None,
                 dilation_rate=(1, 1), activation=None, use_bias=True, depthwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, depthwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(kernel_size, strides=strides, padding=padding, depth_multiplier=depth_multiplier,
                         data_format=data_format, dilation_rate=dilation_rate, activation=activation,
                         use_bias=use_bias, depthwise_initializer=depthwise_initializer,
                         bias_initializer=bias_initializer, depthwise_regularizer=depthwise_regularizer,
                         bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
                         depthwise_constraint=depthwise_constraint, bias_constraint=bias_constraint, **kwargs)


class _SeparableConv(Layer):
    rank = 2

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 depth_multiplier=1, activation=None, use_bias=True, depthwise_initializer="glorot_uniform",
                 pointwise_initializer="glorot_uniform", bias_initializer="zeros", depthwise_regularizer=None,
                 pointwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, pointwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        r = self.rank
        self.filters = filters
        self.kernel_size = _tup(kernel_size, r)
        self.strides = _tup(strides, r)
        self.dilation_rate = _tup(dilation_rate, r)
        self.padding = padding.lower()
        self.depth_multiplier = depth_multiplier
        self.data_format = backend.standardize_data_format(data_format)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.pointwise_regularizer = regularizers.get(pointwise_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)
        self.pointwise_constraint = constraints.get(pointwise_constraint)
        self.bias_constraint = constraints.get(bias_constraint)

    def build(self, input_shape):
        in_ch = input_shape[-1] if self.data_format == "channels_last" else input_shape[1]
        self.depthwise_kernel = self.add_weight(
            name="depthwise_kernel", shape=self.kernel_size + (in_ch, self.depth_multiplier),
            initializer=self.depthwise_initializer, regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint)
        self.pointwise_kernel = self.add_weight(
            name="pointwise_kernel", shape=(1,) * self.rank + (self.depth_multiplier * in_ch, self.filters),
            initializer=self.pointwise_initializer, regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint)
        if self.use_bias:
            self.bias = self.add_weight(name="bias", shape=(self.filters,), initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer, constraint=self.bias_constraint)
        else:
            self.bias = None

    def call(self, inputs):
        y = NN.separable_conv(inputs, self.depthwise_kernel, self.pointwise_kernel, self.strides, self.padding,
                              self.data_format, self.dilation_rate)
        if self.bias is not None:
            if self.data_format == "channels_last":
                y = N.add(y, self.bias)
            else:
                y = N.add(y, N.reshape(self.bias, (1, -1) + (1,) * self.rank))
        if self.activation is not activations.linear:
            y = self.activation(y)
        return y

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        cl = self.data_format == "channels_last"
        sp = input_shape[1:-1] if cl else input_shape[2:]
        new = tuple(_out_len(sp[i], self.kernel_size[i], self.padding, self.strides[i], self.dilation_rate[i])
                    for i in range(self.rank))
        return (input_shape[0],) + new + (self.filters,) if cl else (input_shape[0], self.filters) + new

    def get_config(self):
        base = super().get_config()
        base.update({
            "depth_multiplier": self.depth_multiplier, "filters": self.filters, "kernel_size": self.kernel_size,
            "strides": self.strides, "padding": self.padding, "data_format": self.data_format,
            "dilation_rate": self.dilation_rate, "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "depthwise_initializer": _ser(self.depthwise_initializer, "init"),
            "pointwise_initializer": _ser(self.pointwise_initializer, "init"),
            "bias_initializer": _ser(self.bias_initializer, "init"),
            "depthwise_regularizer": _ser(self.depthwise_regularizer, "reg"),
            "pointwise_regularizer": _ser(self.pointwise_regularizer, "reg"),
            "bias_regularizer": _ser(self.bias_regularizer, "reg"),
            "activity_regularizer": _ser(self.activity_regularizer, "reg"),
            "depthwise_constraint": _ser(self.depthwise_constraint, "con"),
            "pointwise_constraint": _ser(self.pointwise_constraint, "con"),
            "bias_constraint": _ser(self.bias_constraint, "con"),
        })
        return base


class SeparableConv1D(_SeparableConv):
    rank = 1


class SeparableConv2D(_SeparableConv):
    rank = 2

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1), depth_multiplier=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", pointwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None, pointwise_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, depthwise_constraint=None,
                 pointwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(filters, kernel_size, strides=strides, padding=padding, data_format=data_format,
                         dilation_rate=dilation_rate, depth_multiplier=depth_multiplier, activation=activation,
                         use_bias=use_bias, depthwise_initializer=depthwise_initializer,
                         pointwise_initializer=pointwise_initializer, bias_initializer=bias_initializer,
                         depthwise_regularizer=depthwise_regularizer, pointwise_regularizer=pointwise_regularizer,
                         bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
                         depthwise_constraint=depthwise_constraint, pointwise_constraint=pointwise_constraint,
                         bias_constraint=bias_constraint, **kwargs)


Convolution1D, Convolution2D, Convolution3D = Conv1D, Conv2D, Conv3D
Convolution2DTranspose, Convolution3DTranspose = Conv2DTranspose, Conv3DTranspose
SeparableConvolution1D, SeparableConvolution2D = SeparableConv1D, SeparableConv2D
