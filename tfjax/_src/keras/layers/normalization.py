"""Normalization layers."""

from __future__ import annotations

import warnings

from tfjax._src.keras import backend, constraints, initializers, regularizers
from tfjax._src.keras.layers.layer import Layer
from tfjax._src.keras.layers.core import _ser
from tfjax._src.keras.ops import core as C
from tfjax._src.keras.ops import numpy as N
from tfjax._src.keras.ops import nn as NN

__all__ = ["BatchNormalization", "LayerNormalization", "GroupNormalization", "UnitNormalization"]


class BatchNormalization(Layer):
    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones", moving_mean_initializer="zeros",
                 moving_variance_initializer="ones", beta_regularizer=None, gamma_regularizer=None,
                 beta_constraint=None, gamma_constraint=None, renorm=False, renorm_clipping=None,
                 renorm_momentum=0.99, synchronized=False, **kwargs):
        super().__init__(**kwargs)
        self.axis = int(axis)
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center, self.scale = center, scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.synchronized = synchronized
        self.renorm = renorm
        self.renorm_clipping = renorm_clipping
        self.renorm_momentum = renorm_momentum
        self.supports_masking = True
        self.gamma = self.beta = None

    def build(self, input_shape):
        shape = (input_shape[self.axis],)
        if self.scale:
            self.gamma = self.add_weight(shape=shape, name="gamma", initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer, constraint=self.gamma_constraint,
                                         autocast=False)
        if self.center:
            self.beta = self.add_weight(shape=shape, name="beta", initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer, constraint=self.beta_constraint,
                                        autocast=False)
        self.moving_mean = self.add_weight(shape=shape, name="moving_mean", initializer=self.moving_mean_initializer,
                                           trainable=False, autocast=False)
        self.moving_variance = self.add_weight(shape=shape, name="moving_variance",
                                               initializer=self.moving_variance_initializer, trainable=False,
                                               autocast=False)
        self._ndim = len(input_shape)

    def call(self, inputs, training=None, mask=None):
        x = C.t1(inputs)
        nd = x.ndim
        axis = self.axis % nd
        red = tuple(i for i in range(nd) if i != axis)
        compute_dtype = C.dtype_of(x)
        if compute_dtype in ("float16", "bfloat16"):
            x = C.cast(x, "float32")
        if training and self.trainable:
            if mask is not None:
                m = C.cast(N.expand_dims(mask, -1), C.dtype_of(x))
                cnt = N.maximum(N.sum(N.multiply(m, N.ones_like(x)), axis=red), 1.0)
                mean = N.divide(N.sum(N.multiply(x, m), axis=red), cnt)
                shp = [1] * nd
                shp[axis] = -1
                var = N.divide(N.sum(N.multiply(N.square(N.subtract(x, N.reshape(mean, shp))), m), axis=red), cnt)
            else:
                mean, var = NN.moments(x, red)
            mom = self.momentum
            self.moving_mean.assign(N.add(N.multiply(self.moving_mean, mom), N.multiply(mean, 1.0 - mom)))
            self.moving_variance.assign(N.add(N.multiply(self.moving_variance, mom), N.multiply(var, 1.0 - mom)))
        else:
            mean, var = self.moving_mean, self.moving_variance
        out = NN.batch_normalization(x, mean, var, axis, self.beta, self.gamma, self.epsilon)
        if compute_dtype in ("float16", "bfloat16"):
            out = C.cast(out, compute_dtype)
        return out

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        base = super().get_config()
        base.update({
            "axis": self.axis, "momentum": self.momentum, "epsilon": self.epsilon, "center": self.center,
            "scale": self.scale, "beta_initializer": _ser(self.beta_initializer, "init"),
            "gamma_initializer": _ser(self.gamma_initializer, "init"),
            "moving_mean_initializer": _ser(self.moving_mean_initializer, "init"),
            "moving_variance_initializer": _ser(self.moving_variance_initializer, "init"),
            "beta_regularizer": _ser(self.beta_regularizer, "reg"),
            "gamma_regularizer": _ser(self.gamma_regularizer, "reg"),
            "beta_constraint": _ser(self.beta_constraint, "con"),
            "gamma_constraint": _ser(self.gamma_constraint, "con"), "synchronized": self.synchronized,
            "renorm": self.renorm, "renorm_clipping": self.renorm_clipping,
            "renorm_momentum": self.renorm_momentum,
        })
        return base


class LayerNormalization(Layer):
    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, **kwargs):
        # Keras takes the deprecated `rms_scaling` from **kwargs only (and warns when it is set).
        rms_scaling = kwargs.pop("rms_scaling", False)
        if rms_scaling:
            warnings.warn(
                "You passed `rms_scaling=True`, which is deprecated. This argument incorrectly scales the input "
                "by the variance, not the root mean square. To correctly use RMS Normalization, please use "
                "`keras.layers.RMSNormalization` instead.")
        super().__init__(**kwargs)
        self.axis = list(axis) if isinstance(axis, (list, tuple)) else axis
        self.epsilon = epsilon
        self.center, self.scale, self.rms_scaling = center, scale, rms_scaling
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True
        self.gamma = self.beta = None

    def build(self, input_shape):
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        nd = len(input_shape)
        axes = [a % nd for a in axes]
        self._axes = tuple(sorted(axes))
        shape = tuple(input_shape[a] for a in self._axes)
        if len(shape) == 1:
            shape = (shape[0],)
        if self.scale or self.rms_scaling:
            self.gamma = self.add_weight(name="gamma", shape=shape, initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer, constraint=self.gamma_constraint,
                                         autocast=False)
        if self.center and not self.rms_scaling:
            self.beta = self.add_weight(name="beta", shape=shape, initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer, constraint=self.beta_constraint,
                                        autocast=False)

    def call(self, inputs):
        x = C.t1(inputs)
        in_dtype = C.dtype_of(x)
        if in_dtype in ("float16", "bfloat16"):
            x = C.cast(x, "float32")
        nd = x.ndim
        axes = self._axes
        bshape = [1] * nd
        for a in axes:
            bshape[a] = C.static_shape(x)[a]

        def b(w):
            return N.reshape(C.cast(w, C.dtype_of(x)), bshape)
        if self.rms_scaling:
            var = N.var(x, axis=axes, keepdims=True)
            out = N.multiply(x, N.rsqrt(N.add(var, self.epsilon)))
            if self.gamma is not None:
                out = N.multiply(out, b(self.gamma))
        else:
            mean, var = NN.moments(x, axes, keepdims=True)
            inv = N.rsqrt(N.add(var, self.epsilon))
            if self.gamma is not None:
                inv = N.multiply(inv, b(self.gamma))
            res = N.multiply(N.negative(mean), inv)
            if self.beta is not None:
                res = N.add(res, b(self.beta))
            out = N.add(N.multiply(x, inv), res)
        return C.cast(out, in_dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        base = super().get_config()
        base.update({
            "axis": self.axis, "epsilon": self.epsilon, "center": self.center, "scale": self.scale,
            "rms_scaling": self.rms_scaling, "beta_initializer": _ser(self.beta_initializer, "init"),
            "gamma_initializer": _ser(self.gamma_initializer, "init"),
            "beta_regularizer": _ser(self.beta_regularizer, "reg"),
            "gamma_regularizer": _ser(self.gamma_regularizer, "reg"),
            "beta_constraint": _ser(self.beta_constraint, "con"),
            "gamma_constraint": _ser(self.gamma_constraint, "con"),
        })
        return base


class GroupNormalization(Layer):
    def __init__(self, groups=32, axis=-1, epsilon=1e-3, center=True, scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, **kwargs):
        super().__init__(**kwargs)
        self.groups, self.axis, self.epsilon = groups, axis, epsilon
        self.center, self.scale = center, scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True
        self.gamma = self.beta = None

    def build(self, input_shape):
        dim = input_shape[self.axis]
        if dim % self.groups:
            raise ValueError(f"Number of groups ({self.groups}) must be a multiple of the number of channels ({dim}).")
        if self.scale:
            self.gamma = self.add_weight(shape=(dim,), name="gamma", initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer, constraint=self.gamma_constraint)
        if self.center:
            self.beta = self.add_weight(shape=(dim,), name="beta", initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer, constraint=self.beta_constraint)

    def call(self, inputs):
        x = C.t1(inputs)
        shape = C.static_shape(x)
        nd = len(shape)
        axis = self.axis % nd
        dim = shape[axis]
        gshape = list(shape)
        gshape[axis] = self.groups
        gshape.insert(axis + 1, dim // self.groups)
        gshape = [-1 if d is None else d for d in gshape]
        g = N.reshape(x, gshape)
        red = tuple(i for i in range(1, len(gshape)) if i != axis)
        mean, var = NN.moments(g, red, keepdims=True)
        g = N.multiply(N.subtract(g, mean), N.rsqrt(N.add(var, self.epsilon)))
        out = N.reshape(g, [-1 if d is None else d for d in shape])
        bshape = [1] * nd
        bshape[axis] = dim
        if self.gamma is not None:
            out = N.multiply(out, N.reshape(self.gamma, bshape))
        if self.beta is not None:
            out = N.add(out, N.reshape(self.beta, bshape))
        return out

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        base = super().get_config()
        base.update({
            "groups": self.groups, "axis": self.axis, "epsilon": self.epsilon, "center": self.center,
            "scale": self.scale, "beta_initializer": _ser(self.beta_initializer, "init"),
            "gamma_initializer": _ser(self.gamma_initializer, "init"),
            "beta_regularizer": _ser(self.beta_regularizer, "reg"),
            "gamma_regularizer": _ser(self.gamma_regularizer, "reg"),
            "beta_constraint": _ser(self.beta_constraint, "con"),
            "gamma_constraint": _ser(self.gamma_constraint, "con"),
        })
        return base


class UnitNormalization(Layer):
    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        x = C.t1(inputs)
        sq = N.sum(N.square(x), axis=self.axis, keepdims=True)
        return N.multiply(x, N.rsqrt(N.maximum(sq, 1e-12)))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        base = super().get_config()
        base["axis"] = self.axis
        return base
