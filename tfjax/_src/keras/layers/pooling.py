"""Pooling layers."""

from __future__ import annotations

from tfjax._src.keras import backend
from tfjax._src.keras.layers.layer import Layer
from tfjax._src.keras.layers.conv import _tup, _out_len
from tfjax._src.keras.ops import core as C
from tfjax._src.keras.ops import numpy as N
from tfjax._src.keras.ops import nn as NN

__all__ = ["MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D", "AveragePooling2D",
           "AveragePooling3D", "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D",
           "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D", "MaxPool1D", "MaxPool2D", "MaxPool3D",
           "AvgPool1D", "AvgPool2D", "AvgPool3D", "GlobalAvgPool1D", "GlobalAvgPool2D", "GlobalAvgPool3D",
           "GlobalMaxPool1D", "GlobalMaxPool2D", "GlobalMaxPool3D"]


class _Pool(Layer):
    rank = 2
    mode = "max"

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.pool_size = _tup(pool_size, self.rank)
        self.strides = self.pool_size if strides is None else _tup(strides, self.rank)
        self.padding = padding.lower()
        self.data_format = backend.standardize_data_format(data_format)
        self.built = True

    def call(self, inputs):
        fn = NN.max_pool if self.mode == "max" else NN.average_pool
        return fn(inputs, self.pool_size, self.strides, self.padding, self.data_format)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        cl = self.data_format == "channels_last"
        sp = input_shape[1:-1] if cl else input_shape[2:]
        new = tuple(_out_len(sp[i], self.pool_size[i], self.padding, self.strides[i], 1) for i in range(self.rank))
        return (input_shape[0],) + new + (input_shape[-1],) if cl else input_shape[:2] + new

    def get_config(self):
        base = super().get_config()
        base.update({"pool_size": self.pool_size, "padding": self.padding, "strides": self.strides,
                     "data_format": self.data_format})
        return base


def _mk(name, rank, mode, default_pool_size):
    """A pooling class with Keras's signature: ``pool_size`` defaults to ``default_pool_size``
    (``_REQUIRED``: no default, as for Keras's ``AveragePooling*D``)."""
    if default_pool_size is _REQUIRED:
        def __init__(self, pool_size, strides=None, padding="valid", data_format=None, name=None, **kwargs):
            _Pool.__init__(self, pool_size, strides, padding, data_format, name, **kwargs)
    else:
        def __init__(self, pool_size=default_pool_size, strides=None, padding="valid", data_format=None, name=None,
                     **kwargs):
            _Pool.__init__(self, pool_size, strides, padding, data_format, name, **kwargs)
    __init__.__qualname__ = f"{name}.__init__"
    cls = type(name, (_Pool,), {"rank": rank, "mode": mode, "__init__": __init__})
    return cls


_REQUIRED = object()
MaxPooling1D = _mk("MaxPooling1D", 1, "max", 2)
MaxPooling2D = _mk("MaxPooling2D", 2, "max", (2, 2))
MaxPooling3D = _mk("MaxPooling3D", 3, "max", (2, 2, 2))
AveragePooling1D = _mk("AveragePooling1D", 1, "avg", _REQUIRED)
AveragePooling2D = _mk("AveragePooling2D", 2, "avg", _REQUIRED)
AveragePooling3D = _mk("AveragePooling3D", 3, "avg", _REQUIRED)
for _c in (MaxPooling1D, MaxPooling2D, MaxPooling3D, AveragePooling1D, AveragePooling2D, AveragePooling3D):
    _c.__module__ = __name__


class _GlobalPool(Layer):
    rank = 2
    mode = "avg"

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.data_format = backend.standardize_data_format(data_format)
        self.keepdims = keepdims
        self.supports_masking = self.rank == 1 and self.mode == "avg"
        self.built = True

    def _axes(self):
        return tuple(range(1, 1 + self.rank)) if self.data_format == "channels_last" else \
            tuple(range(2, 2 + self.rank))

    def call(self, inputs, mask=None):
        axes = self._axes()
        if self.mode == "max":
            return N.max(inputs, axis=axes, keepdims=self.keepdims)
        if mask is not None and self.rank == 1:
            x = C.t1(inputs)
            m = C.cast(mask, C.dtype_of(x))
            m = N.expand_dims(m, -1 if self.data_format == "channels_last" else 1)
            s = N.sum(N.multiply(x, m), axis=axes, keepdims=self.keepdims)
            return N.divide(s, N.sum(m, axis=axes, keepdims=self.keepdims))
        return N.mean(inputs, axis=axes, keepdims=self.keepdims)

    def compute_mask(self, inputs, mask=None):
        return None

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        axes = self._axes()
        if self.keepdims:
            return tuple(1 if i in axes else d for i, d in enumerate(input_shape))
        return tuple(d for i, d in enumerate(input_shape) if i not in axes)

    def get_config(self):
        base = super().get_config()
        base.update({"data_format": self.data_format, "keepdims": self.keepdims})
        return base


def _mkg(name, rank, mode):
    cls = type(name, (_GlobalPool,), {"rank": rank, "mode": mode})
    cls.__module__ = __name__
    return cls


GlobalAveragePooling1D = _mkg("GlobalAveragePooling1D", 1, "avg")
GlobalAveragePooling2D = _mkg("GlobalAveragePooling2D", 2, "avg")
GlobalAveragePooling3D = _mkg("GlobalAveragePooling3D", 3, "avg")
GlobalMaxPooling1D = _mkg("GlobalMaxPooling1D", 1, "max")
GlobalMaxPooling2D = _mkg("GlobalMaxPooling2D", 2, "max")
GlobalMaxPooling3D = _mkg("GlobalMaxPooling3D", 3, "max")

MaxPool1D, MaxPool2D, MaxPool3D = MaxPooling1D, MaxPooling2D, MaxPooling3D
AvgPool1D, AvgPool2D, AvgPool3D = AveragePooling1D, AveragePooling2D, AveragePooling3D
GlobalAvgPool1D, GlobalAvgPool2D, GlobalAvgPool3D = GlobalAveragePooling1D, GlobalAveragePooling2D, \
    GlobalAveragePooling3D
GlobalMaxPool1D, GlobalMaxPool2D, GlobalMaxPool3D = GlobalMaxPooling1D, GlobalMaxPooling2D, GlobalMaxPooling3D
