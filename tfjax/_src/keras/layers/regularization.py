"""Regularization layers: Dropout, SpatialDropout1D/2D/3D, GaussianNoise, GaussianDropout, AlphaDropout,
ActivityRegularization."""

from __future__ import annotations

import math

from tfjax._src.keras import backend, regularizers
from tfjax._src.keras.layers.layer import Layer
from tfjax._src.keras.ops import core as C
from tfjax._src.keras.ops import numpy as N
from tfjax._src.keras.random import random as R

__all__ = ["Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianNoise", "GaussianDropout",
           "AlphaDropout", "ActivityRegularization"]


class Dropout(Layer):
    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= rate <= 1:
            raise ValueError(f"Invalid value received for argument `rate`. Expected a float value between 0 "
                             f"and 1. Received: rate={rate}")
        self.rate = rate
        self.seed = seed
        self.noise_shape = noise_shape
        if rate > 0:
            self.seed_generator = R.SeedGenerator(seed)
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if training and self.rate > 0:
            return R.dropout(inputs, self.rate, noise_shape=self.noise_shape, seed=self.seed_generator)
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        base = super().get_config()
        base.update({"rate": self.rate, "seed": self.seed, "noise_shape": self.noise_shape})
        return base


class _SpatialDropout(Dropout):
    _rank = 1

    def __init__(self, rate, seed=None, name=None, dtype=None, data_format=None, **kwargs):
        super().__init__(rate, seed=seed, name=name, dtype=dtype, **kwargs)
        self.data_format = backend.standardize_data_format(data_format)

    def call(self, inputs, training=False):
        if training and self.rate > 0:
            s = C.static_shape(C.t1(inputs))
            if self.data_format == "channels_last":
                ns = (s[0],) + (1,) * self._rank + (s[-1],)
            else:
                ns = (s[0], s[1]) + (1,) * self._rank
            return R.dropout(inputs, self.rate, noise_shape=ns, seed=self.seed_generator)
        return inputs

    def get_config(self):
        base = Layer.get_config(self)
        base.update({"rate": self.rate, "seed": self.seed})
        if self._rank > 1:
            base["data_format"] = self.data_format
        return base


class SpatialDropout1D(_SpatialDropout):
    _rank = 1

    def __init__(self, rate, seed=None, name=None, dtype=None, **kwargs):
        super().__init__(rate, seed=seed, name=name, dtype=dtype, data_format="channels_last", **kwargs)


class SpatialDropout2D(_SpatialDropout):
    _rank = 2

    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None, **kwargs):
        super().__init__(rate, seed=seed, name=name, dtype=dtype, data_format=data_format, **kwargs)


class SpatialDropout3D(_SpatialDropout):
    _rank = 3

    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None, **kwargs):
        super().__init__(rate, seed=seed, name=name, dtype=dtype, data_format=data_format, **kwargs)


class GaussianNoise(Layer):
    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.stddev = stddev
        self.seed = seed
        if stddev > 0:
            self.seed_generator = R.SeedGenerator(seed)
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if training and self.stddev > 0:
            x = C.t1(inputs)
            return N.add(x, R.normal(C.static_shape(x), 0.0, self.stddev, dtype=C.dtype_of(x),
                                     seed=self.seed_generator))
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        base = super().get_config()
        base.update({"stddev": self.stddev, "seed": self.seed})
        return base


class GaussianDropout(Layer):
    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate
        self.seed = seed
        if rate > 0:
            self.seed_generator = R.SeedGenerator(seed)
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if training and self.rate > 0:
            x = C.t1(inputs)
            std = math.sqrt(self.rate / (1.0 - self.rate))
            return N.multiply(x, R.normal(C.static_shape(x), 1.0, std, dtype=C.dtype_of(x),
                                          seed=self.seed_generator))
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        base = super().get_config()
        base.update({"rate": self.rate, "seed": self.seed})
        return base


class AlphaDropout(Layer):
    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate, self.noise_shape, self.seed = rate, noise_shape, seed
        if rate > 0:
            self.seed_generator = R.SeedGenerator(seed)
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if training and self.rate > 0:
            x = C.t1(inputs)
            alpha = 1.6732632423543772848170429916717
            scale = 1.0507009873554804934193349852946
            alpha_p = -alpha * scale
            shape = C.static_shape(x) if self.noise_shape is None else self.noise_shape
            kept = N.greater_equal(R.uniform(shape, seed=self.seed_generator), self.rate)
            kept = C.cast(kept, C.dtype_of(x))
            a = ((1 - self.rate) * (1 + self.rate * alpha_p ** 2)) ** -0.5
            b = -a * alpha_p * self.rate
            y = N.add(N.multiply(x, kept), N.multiply(N.subtract(1.0, kept), alpha_p))
            return N.add(N.multiply(a, y), b)
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        base = super().get_config()
        base.update({"rate": self.rate, "seed": self.seed, "noise_shape": self.noise_shape})
        return base


class ActivityRegularization(Layer):
    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.supports_masking = True
        self.l1, self.l2 = l1, l2
        self.built = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        base = super().get_config()
        base.pop("activity_regularizer", None)   # rebuilt from l1/l2 (Keras leaves it out too)
        base.update({"l1": self.l1, "l2": self.l2})
        return base
