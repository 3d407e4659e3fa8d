"""The TF2 core initializers ``tf.constant_initializer``, ``tf.zeros_initializer``, ``tf.ones_initializer``,
``tf.random_normal_initializer`` and ``tf.random_uniform_initializer`` (TF's ``init_ops_v2``).

These are TensorFlow's own classes, not the Keras ones that ``tf.initializers`` re-exports:
``__call__(shape, dtype=float32, **kwargs)`` with the partition keyword arguments TF accepts."""

from __future__ import annotations

import numpy as np

from tfjax._src import dtypes

_PARTITION_SHAPE = "partition_shape"
_PARTITION_OFFSET = "partition_offset"


class Initializer:
    """``tf.Initializer`` (init_ops_v2): the base class."""

    def __call__(self, shape, dtype=None, **kwargs):
        raise NotImplementedError

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        config.pop("dtype", None)
        return cls(**config)

    def _validate_kwargs(self, kwargs, support_partition=True):
        for kwarg in kwargs:
            if kwarg not in (_PARTITION_SHAPE, _PARTITION_OFFSET):
                raise TypeError("Keyword argument should be one of "
                                f"{[_PARTITION_SHAPE, _PARTITION_OFFSET]}. Received: {kwarg}")
            if not support_partition:
                raise ValueError(f"{self.__class__.__name__} initializer doesn't support "
                                 "partition-related arguments")


def _numeric_or_bool(dtype):
    dtype = dtypes.as_dtype(dtype)
    if dtype == dtypes.string or dtype in (dtypes.resource, dtypes.variant):
        raise ValueError(f"Argument `dtype` expected to be numeric or boolean. Received {dtype}.")
    return dtype


class Zeros(Initializer):
    """``tf.zeros_initializer``."""

    def __call__(self, shape, dtype=dtypes.float32, **kwargs):
        from tfjax._src.ops import creation_ops  # noqa: PLC0415
        self._validate_kwargs(kwargs)
        dtype = _numeric_or_bool(dtype)
        shape = kwargs.get(_PARTITION_SHAPE, shape)
        return creation_ops.zeros(shape, dtype)


class Ones(Initializer):
    """``tf.ones_initializer``."""

    def __call__(self, shape, dtype=dtypes.float32, **kwargs):
        from tfjax._src.ops import creation_ops  # noqa: PLC0415
        self._validate_kwargs(kwargs)
        dtype = _numeric_or_bool(dtype)
        shape = kwargs.get(_PARTITION_SHAPE, shape)
        return creation_ops.ones(shape, dtype)


class Constant(Initializer):
    """``tf.constant_initializer(value)``."""

    def __init__(self, value=0, support_partition=False):
        if not (np.isscalar(value) or isinstance(value, (list, tuple, np.ndarray))):
            raise TypeError(f"Invalid type for initial value: {type(value).__name__}. Expected "
                            "Python scalar, list or tuple of values, or numpy.ndarray.")
        self.value = value
        self.support_partition = support_partition

    def __call__(self, shape, dtype=None, **kwargs):
        from tfjax._src import tensor as tensor_lib  # noqa: PLC0415
        self._validate_kwargs(kwargs, support_partition=self.support_partition)
        if dtype is not None:
            dtype = dtypes.as_dtype(dtype)
        return tensor_lib.constant(self.value, dtype=dtype, shape=shape)

    def get_config(self):
        return {"value": self.value}


class RandomUniform(Initializer):
    """``tf.random_uniform_initializer(minval, maxval, seed)``."""

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        self.minval = minval
        self.maxval = maxval
        self.seed = seed

    def __call__(self, shape, dtype=dtypes.float32, **kwargs):
        from tfjax._src.ops import random_ops  # noqa: PLC0415
        self._validate_kwargs(kwargs)
        dtype = dtypes.as_dtype(dtype)
        if not dtype.is_floating and not dtype.is_integer:
            raise ValueError(f"Argument `dtype` expected to be numeric or boolean. Received {dtype}.")
        shape = kwargs.get(_PARTITION_SHAPE, shape)
        return random_ops.uniform(shape, self.minval, self.maxval, dtype=dtype, seed=self.seed)

    def get_config(self):
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed}


class RandomNormal(Initializer):
    """``tf.random_normal_initializer(mean, stddev, seed)``."""

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean = mean
        self.stddev = stddev
        self.seed = seed

    def __call__(self, shape, dtype=dtypes.float32, **kwargs):
        from tfjax._src.ops import random_ops  # noqa: PLC0415
        self._validate_kwargs(kwargs)
        dtype = dtypes.as_dtype(dtype)
        if not dtype.is_floating:
            raise ValueError(f"Argument `dtype` is expected to be floating point. Received: {dtype}.")
        shape = kwargs.get(_PARTITION_SHAPE, shape)
        return random_ops.normal(shape, self.mean, self.stddev, dtype=dtype, seed=self.seed)

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


constant_initializer = Constant
zeros_initializer = Zeros
ones_initializer = Ones
random_normal_initializer = RandomNormal
random_uniform_initializer = RandomUniform
