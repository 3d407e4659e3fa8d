"""``keras.constraints``."""

from __future__ import annotations

import inspect

from tfjax._src.keras import backend
from tfjax._src.keras import serialization as _ser
from tfjax._src.keras.ops import numpy as _np


class Constraint:
    def __call__(self, w):
        return w

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class MaxNorm(Constraint):
    def __init__(self, max_value=2, axis=0):
        self.max_value, self.axis = max_value, axis

    def __call__(self, w):
        norms = _np.sqrt(_np.sum(_np.square(w), axis=self.axis, keepdims=True))
        desired = _np.clip(norms, 0, self.max_value)
        return _np.multiply(w, _np.divide(desired, _np.add(norms, backend.epsilon())))

    def get_config(self):
        return {"max_value": self.max_value, "axis": self.axis}


class NonNeg(Constraint):
    def __call__(self, w):
        from tfjax._src.keras.ops.core import cast  # noqa: PLC0415
        return _np.multiply(w, cast(_np.greater_equal(w, 0.0), w.dtype))


class UnitNorm(Constraint):
    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        return _np.divide(w, _np.add(backend.epsilon(),
                                     _np.sqrt(_np.sum(_np.square(w), axis=self.axis, keepdims=True))))

    def get_config(self):
        return {"axis": self.axis}


class MinMaxNorm(Constraint):
    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value, self.max_value, self.rate, self.axis = min_value, max_value, rate, axis

    def __call__(self, w):
        norms = _np.sqrt(_np.sum(_np.square(w), axis=self.axis, keepdims=True))
        desired = _np.add(_np.multiply(self.rate, _np.clip(norms, self.min_value, self.max_value)),
                          _np.multiply(1 - self.rate, norms))
        return _np.multiply(w, _np.divide(desired, _np.add(backend.epsilon(), norms)))

    def get_config(self):
        return {"min_value": self.min_value, "max_value": self.max_value, "rate": self.rate, "axis": self.axis}


max_norm, non_neg, unit_norm, min_max_norm = MaxNorm, NonNeg, UnitNorm, MinMaxNorm
_ALL = {"MaxNorm": MaxNorm, "NonNeg": NonNeg, "UnitNorm": UnitNorm, "MinMaxNorm": MinMaxNorm,
        "max_norm": MaxNorm, "non_neg": NonNeg, "unit_norm": UnitNorm, "min_max_norm": MinMaxNorm}


def serialize(constraint):
    return _ser.serialize(constraint, "keras.constraints")


def deserialize(config, custom_objects=None):
    return _ser.deserialize(config, _ALL, custom_objects, "constraint")


def get(identifier):
    if identifier is None:
        return None
    if isinstance(identifier, (dict, str)):
        return deserialize(identifier)
    if inspect.isclass(identifier):
        return identifier()
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret constraint identifier: {identifier}")
