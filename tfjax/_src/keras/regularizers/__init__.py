"""``keras.regularizers``."""

from __future__ import annotations

import inspect

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
        self.factor, self.mode = factor, mode

    def __call__(self, x):
        from tfjax._src.keras.ops import nn as _nn  # noqa: PLC0415
        if self.mode == "columns":
            x = _np.transpose(x)
        x = _nn.normalize(x, axis=1)
        prod = _np.matmul(x, _np.transpose(x))
        n = x.shape[0]
        size = n * (n - 1)
        off = _np.subtract(prod, _np.eye(n))
        return _np.multiply(self.factor / size, _np.sum(_np.abs(off)))

    def get_config(self):
        return {"factor": self.factor, "mode": self.mode}


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
