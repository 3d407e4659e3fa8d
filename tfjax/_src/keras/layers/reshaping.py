"""Reshaping layers: Flatten, Reshape, Permute, RepeatVector, Cropping, ZeroPadding and UpSampling."""

from __future__ import annotations

import numpy as np

from tfjax._src.keras import backend
from tfjax._src.keras.layers.layer import Layer
from tfjax._src.keras.ops import core as C
from tfjax._src.keras.ops import numpy as N

__all__ = ["Flatten", "Reshape", "Permute", "RepeatVector", "Cropping1D", "Cropping2D", "Cropping3D", "ZeroPadding1D",
           "ZeroPadding2D", "ZeroPadding3D", "UpSampling1D", "UpSampling2D", "UpSampling3D"]


class Flatten(Layer):
    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = backend.standardize_data_format(data_format)
        self.built = True

    def call(self, inputs):
        x = C.t1(inputs)
        s = C.static_shape(x)
        if self.data_format == "channels_first" and len(s) > 2:
            x = N.transpose(x, (0,) + tuple(range(2, len(s))) + (1,))
        if len(s) == 1:
            return N.expand_dims(x, 1)
        return N.reshape(x, (s[0] if s[0] is not None else -1, int(np.prod(s[1:])) if s[0] is not None else -1)
                         if all(d is not None for d in s[1:]) else (-1,))

    def compute_output_shape(self, input_shape):
        rest = input_shape[1:]
        if len(input_shape) == 1:
            return (input_shape[0], 1)
        n = None if any(d is None for d in rest) else int(np.prod(rest))
        return (input_shape[0], n)

    def get_config(self):
        base = super().get_config()
        base["data_format"] = self.data_format
        return base


class Reshape(Layer):
    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        self.target_shape = tuple(target_shape)
        self.built = True

    def call(self, inputs):
        x = C.t1(inputs)
        return N.reshape(x, (C.static_shape(x)[0],) + tuple(-1 if d is None else d for d in self.target_shape))

    def compute_output_shape(self, input_shape):
        tgt = list(self.target_shape)
        if -1 in tgt:
            known = int(np.prod([d for d in tgt if d != -1]))
            rest = input_shape[1:]
            if any(d is None for d in rest):
                tgt[tgt.index(-1)] = None
            else:
                tgt[tgt.index(-1)] = int(np.prod(rest)) // known
        return (input_shape[0],) + tuple(tgt)

    def get_config(self):
        base = super().get_config()
        base["target_shape"] = self.target_shape
        return base


class Permute(Layer):
    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        self.dims = tuple(dims)
        if sorted(self.dims) != list(range(1, len(self.dims) + 1)):
            raise ValueError(f"Invalid permutation argument `dims` for Permute Layer. The set of indices in "
                             f"`dims` must be consecutive and start from 1. Received dims={dims}")
        self.built = True

    def call(self, inputs):
        return N.transpose(inputs, (0,) + self.dims)

    def compute_output_shape(self, input_shape):
        return (input_shape[0],) + tuple(input_shape[d] for d in self.dims)

    def get_config(self):
        base = super().get_config()
        base["dims"] = self.dims
        return base


class RepeatVector(Layer):
    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        self.n = n
        self.built = True

    def call(self, inputs):
        return N.repeat(N.expand_dims(inputs, 1), self.n, axis=1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self):
        base = super().get_config()
        base["n"] = self.n
        return base


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

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(cropping, **kwargs)


class Cropping2D(_Crop):
    rank = 2

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(cropping, data_format, **kwargs)


class Cropping3D(_Crop):
    rank = 3

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(cropping, data_format, **kwargs)


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

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(padding, data_format, **kwargs)


class ZeroPadding3D(_Pad):
    rank = 3

    def __init__(self, padding=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(padding, data_format, **kwargs)


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
