"""Activation layers: Activation, ReLU, LeakyReLU, ELU, Softmax, PReLU."""

from __future__ import annotations

from tfjax._src.keras import activations, constraints, initializers, regularizers
from tfjax._src.keras.layers.core import _ser
from tfjax._src.keras.layers.layer import Layer
from tfjax._src.keras.ops import core as C
from tfjax._src.keras.ops import numpy as N
from tfjax._src.keras.ops import nn as NN

__all__ = ["Activation", "ReLU", "LeakyReLU", "ELU", "Softmax", "PReLU"]


class Activation(Layer):
    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.activation = activations.get(activation)
        self.built = True

    def call(self, inputs):
        return self.activation(inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        base = super().get_config()
        base["activation"] = activations.serialize(self.activation)
        return base


class ReLU(Layer):
    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        self.max_value, self.negative_slope, self.threshold = max_value, negative_slope, threshold
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return activations.relu(inputs, negative_slope=self.negative_slope, max_value=self.max_value,
                                threshold=self.threshold)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        base = super().get_config()
        base.update({"max_value": self.max_value, "negative_slope": self.negative_slope,
                     "threshold": self.threshold})
        return base


class LeakyReLU(Layer):
    def __init__(self, negative_slope=0.3, **kwargs):
        if "alpha" in kwargs:
            negative_slope = kwargs.pop("alpha")
        super().__init__(**kwargs)
        self.negative_slope = negative_slope
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return NN.leaky_relu(inputs, self.negative_slope)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        base = super().get_config()
        base["negative_slope"] = self.negative_slope
        return base


class ELU(Layer):
    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = alpha
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return NN.elu(inputs, self.alpha)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        base = super().get_config()
        base["alpha"] = self.alpha
        return base


class Softmax(Layer):
    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.supports_masking = True
        self.built = True

    def call(self, inputs, mask=None):
        x = C.t1(inputs)
        if mask is not None:
            mask = C.t1(mask)
            if C.dtype_of(mask) != "bool":
                mask = N.greater(mask, 0.5)
            x = N.where(mask, x, -3e4 if C.dtype_of(x) == "float16" else -1e9)
        if isinstance(self.axis, (tuple, list)):
            if len(self.axis) > 1:
                out = N.exp(N.subtract(x, N.logsumexp(x, axis=self.axis, keepdims=True)))
            else:
                out = NN.softmax(x, axis=self.axis[0])
        else:
            out = NN.softmax(x, axis=self.axis)
        if mask is not None:
            out = N.where(mask, out, 0.0)
        return out

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        base = super().get_config()
        base["axis"] = self.axis
        return base


class PReLU(Layer):
    def __init__(self, alpha_initializer="Zeros", alpha_regularizer=None, alpha_constraint=None,
                 shared_axes=None, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = constraints.get(alpha_constraint)
        if shared_axes is None:
            self.shared_axes = None
        elif not isinstance(shared_axes, (list, tuple)):
            self.shared_axes = [shared_axes]
        else:
            self.shared_axes = list(shared_axes)

    def build(self, input_shape):
        param_shape = list(input_shape[1:])
        if self.shared_axes is not None:
            for i in self.shared_axes:
                param_shape[i - 1] = 1
        self.alpha = self.add_weight(shape=tuple(param_shape), name="alpha", initializer=self.alpha_initializer,
                                     regularizer=self.alpha_regularizer, constraint=self.alpha_constraint)

    def call(self, inputs):
        pos = NN.relu(inputs)
        neg = N.multiply(N.negative(self.alpha), NN.relu(N.negative(inputs)))
        return N.add(pos, neg)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        base = super().get_config()
        base.update({"alpha_initializer": _ser(self.alpha_initializer, "init"),
                     "alpha_regularizer": _ser(self.alpha_regularizer, "reg"),
                     "alpha_constraint": _ser(self.alpha_constraint, "con"), "shared_axes": self.shared_axes})
        return base
