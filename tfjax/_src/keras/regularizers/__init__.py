"""``keras.regularizers``."""

from __future__ import annotations

import inspect
import math

from tfjax._src.keras import serialization as _ser
from tfjax._src.keras.ops import numpy as _np


def _f32(v):
    import numpy as np  # noqa: PLC0415
    return float(np.float32(v))


class Regularizer:
    def __call__(self, x):
        return 0.0

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def get_config(self):
        raise NotImplementedError(f"{self} does not implement get_config()")


class L1L2(Regularizer):
    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = float(0.0 if l1 is None else l1)
        self.l2 = float(0.0 if l2 is None else l2)

    def __call__(self, x):
        out = 0.0
        if self.l1:
            out = _np.multiply(self.l1, _np.sum(_np.abs(x)))
        if self.l2:
            l2 = _np.multiply(self.l2, _np.sum(_np.square(x)))
            out = l2 if isinstance(out, float) else _np.add(out, l2)
        if isinstance(out, float):
            from tfjax._src.keras.ops.core import t1  # noqa: PLC0415
            return t1(out)
        return out

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


class L1(Regularizer):
    def __init__(self, l1=0.01):
        self.l1 = _f32(l1)

    def __call__(self, x):
        return _np.multiply(self.l1, _np.sum(_np.abs(x)))

    def get_config(self):
        return {"l1": self.l1}


class L2(Regularizer):
    def __init__(self, l2=0.01):
        self.l2 = float(l2)

    def __call__(self, x):
        return _np.multiply(self.l2, _np.sum(_np.square(x)))

    def get_config(self):
        return {"l2": self.l2}


class OrthogonalRegularizer(Regularizer):
    def __init__(self, factor=0.01, mode="rows"):
        _validate_float_arg(factor, "factor")
        # Keras keeps factor as a float32 tensor, so its config holds the float32-rounded value.
        self.factor = _f32(factor)
        if mode not in {"rows", "columns"}:
            raise ValueError('Invalid value for argument `mode`. Expected one of {"rows", "columns"}. '
                             f"Received: mode={mode}")
        self.mode = mode

    def __call__(self, x):
        from tfjax._src.keras.ops import nn as _nn  # noqa: PLC0415
        if len(x.shape) != 2:
            raise ValueError(f"Inputs to OrthogonalRegularizer must have rank 2. Received: inputs.shape={x.shape}")
        if self.mode == "columns":
            x = _np.transpose(x)
        x = _nn.normalize(x, axis=1)
        prod = _np.matmul(x, _np.transpose(x))
        n = x.shape[0]
        # Masking the diagonal (rather than subtracting 1) keeps an all-zero row's term at 0, as in Keras.
        off = _np.multiply(prod, _np.subtract(1.0, _np.eye(n, dtype=x.dtype)))
        return _np.multiply(self.factor / (n * (n - 1)), _np.sum(_np.abs(off)))

    def get_config(self):
        return {"factor": self.factor, "mode": self.mode}


def _validate_float_arg(value, name):
    if not isinstance(value, (float, int)) or math.isinf(value) or math.isnan(value) or value < 0:
        raise ValueError(f"Invalid value for argument {name}: expected a non-negative float."
                         f"Received: {name}={value}")


l1, l2, l1_l2, orthogonal_regularizer = L1, L2, L1L2, OrthogonalRegularizer
_ALL = {"L1": L1, "L2": L2, "L1L2": L1L2, "OrthogonalRegularizer": OrthogonalRegularizer,
        "l1": L1, "l2": L2, "l1_l2": L1L2, "orthogonal_regularizer": OrthogonalRegularizer}


def serialize(regularizer):
    return _ser.serialize(regularizer, "keras.regularizers")


def deserialize(config, custom_objects=None):
    return _ser.deserialize(config, _ALL, custom_objects, "regularizer")


def get(identifier):
    if identifier is None:
        return None
    if isinstance(identifier, (dict, str)):
        return deserialize(identifier)
    if inspect.isclass(identifier):
        return identifier()
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret regularizer identifier: {identifier}")
