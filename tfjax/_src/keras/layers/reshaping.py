"""Cropping, ZeroPadding and UpSampling layers."""

from __future__ import annotations

from tfjax._src.keras import backend
from tfjax._src.keras.layers.layer import Layer
from tfjax._src.keras.ops import core as C
from tfjax._src.keras.ops import numpy as N

__all__ = ["Cropping1D", "Cropping2D", "Cropping3D", "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D",
           "UpSampling1D", "UpSampling2D", "UpSampling3D"]


def _pairs(v, n):
    if isinstance(v, int):
        return ((v, v),) * n
    out = []
    for e in v:
        if isinstance(e, int):
            out.append((e, e))
        else:
            out.append(tuple(int(x) for x in e))
    if len(out) != n:
        raise ValueError(f"Expected {n} values, got {v}")
    return tuple(out)


class _Crop(Layer):
    rank = 1

    def __init__(self, cropping, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = backend.standardize_data_format(data_format) if self.rank > 1 else "channels_last"
        if self.rank == 1 and isinstance(cropping, int):
            cropping = (cropping, cropping)
        self.cropping = _pairs(cropping if self.rank > 1 else [cropping], self.rank) if self.rank > 1 else \
            (tuple(cropping),)
        self.built = True

    def _sp(self):
        return list(range(1, 1 + self.rank)) if self.data_format == "channels_last" else \
            list(range(2, 2 + self.rank))

    def call(self, inputs):
        x = C.t1(inputs)
        shape = C.static_shape(x)
        idx = [slice(None)] * len(shape)
        for ax, (a, b) in zip(self._sp(), self.cropping):
            idx[ax] = slice(a, shape[ax] - b)
        from tfjax._src.ops import array_ops  # noqa: PLC0415
        return array_ops.getitem(x, tuple(idx))

    def compute_output_shape(self, input_shape):
        out = list(input_shape)
        for ax, (a, b) in zip(self._sp(), self.cropping):
            if out[ax] is not None:
                out[ax] = out[ax] - a - b
        return tuple(out)

    def get_config(self):
        base = super().get_config()
        base["cropping"] = self.cropping[0] if self.rank == 1 else self.cropping
        if self.rank > 1:
            base["data_format"] = self.data_format
        return base


class Cropping1D(_Crop):
    rank = 1


class Cropping2D(_Crop):
    rank = 2


class Cropping3D(_Crop):
    rank = 3


class _Pad(Layer):
    rank = 1

    def __init__(self, padding=1, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = backend.standardize_data_format(data_format) if self.rank > 1 else "channels_last"
        if self.rank == 1:
            self.padding = (padding, padding) if isinstance(padding, int) else tuple(padding)
            self._pads = (self.padding,)
        else:
            self.padding = _pairs(padding, self.rank)
            self._pads = self.padding
        self.built = True

    def call(self, inputs):
        x = C.t1(inputs)
        pw = [(0, 0)] * x.ndim
        sp = list(range(1, 1 + self.rank)) if self.data_format == "channels_last" else list(range(2, 2 + self.rank))
        for ax, p in zip(sp, self._pads):
            pw[ax] = p
        return N.pad(x, pw)

    def compute_output_shape(self, input_shape):
        out = list(input_shape)
        sp = list(range(1, 1 + self.rank)) if self.data_format == "channels_last" else list(range(2, 2 + self.rank))
        for ax, (a, b) in zip(sp, self._pads):
            if out[ax] is not None:
                out[ax] += a + b
        return tuple(out)

    def get_config(self):
        base = super().get_config()
        base["padding"] = self.padding
        if self.rank > 1:
            base["data_format"] = self.data_format
        return base


class ZeroPadding1D(_Pad):
    rank = 1


class ZeroPadding2D(_Pad):
    rank = 2


class ZeroPadding3D(_Pad):
    rank = 3


class UpSampling1D(Layer):
    def __init__(self, size=2, **kwargs):
        super().__init__(**kwargs)
        self.size = int(size)
        self.built = True

    def call(self, inputs):
        return N.repeat(inputs, self.size, axis=1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], None if input_shape[1] is None else input_shape[1] * self.size) + \
            tuple(input_shape[2:])

    def get_config(self):
        base = super().get_config()
        base["size"] = self.size
        return base


class UpSampling2D(Layer):
    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(**kwargs)
        self.size = (size, size) if isinstance(size, int) else tuple(size)
        self.data_format = backend.standardize_data_format(data_format)
        self.interpolation = interpolation
        self.built = True

    def call(self, inputs):
        x = C.t1(inputs)
        axes = (1, 2) if self.data_format == "channels_last" else (2, 3)
        if self.interpolation == "nearest":
            for ax, s in zip(axes, self.size):
                x = N.repeat(x, s, axis=ax)
            return x
        from tfjax._src.keras.ops import image as I  # noqa: PLC0415
        shape = C.static_shape(x)
        new = (shape[axes[0]] * self.size[0], shape[axes[1]] * self.size[1])
        return I.resize(x, new, interpolation=self.interpolation, data_format=self.data_format)

    def compute_output_shape(self, input_shape):
        out = list(input_shape)
        axes = (1, 2) if self.data_format == "channels_last" else (2, 3)
        for ax, s in zip(axes, self.size):
            if out[ax] is not None:
                out[ax] *= s
        return tuple(out)

    def get_config(self):
        base = super().get_config()
        base.update({"size": self.size, "data_format": self.data_format, "interpolation": self.interpolation})
        return base


class UpSampling3D(Layer):
    def __init__(self, size=(2, 2, 2), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.size = (size,) * 3 if isinstance(size, int) else tuple(size)
        self.data_format = backend.standardize_data_format(data_format)
        self.built = True

    def call(self, inputs):
        x = C.t1(inputs)
        axes = (1, 2, 3) if self.data_format == "channels_last" else (2, 3, 4)
        for ax, s in zip(axes, self.size):
            x = N.repeat(x, s, axis=ax)
        return x

    def compute_output_shape(self, input_shape):
        out = list(input_shape)
        axes = (1, 2, 3) if self.data_format == "channels_last" else (2, 3, 4)
        for ax, s in zip(axes, self.size):
            if out[ax] is not None:
                out[ax] *= s
        return tuple(out)

    def get_config(self):
        base = super().get_config()
        base.update({"size": self.size, "data_format": self.data_format})
        return base
