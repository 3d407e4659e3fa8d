"""Image preprocessing layers: Rescaling, Resizing, CenterCrop and the random augmentations."""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp

from tfjax._src.keras import backend
from tfjax._src.keras.layers.layer import Layer
from tfjax._src.keras.ops import core as C
from tfjax._src.keras.ops import numpy as N
from tfjax._src.keras.ops import image as I
from tfjax._src.keras.random import random as R

__all__ = ["Rescaling", "Resizing", "CenterCrop", "RandomCrop", "RandomFlip", "RandomRotation", "RandomZoom",
           "RandomContrast", "RandomTranslation", "RandomBrightness"]


class _Pre(Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.built = True

    def compute_output_shape(self, input_shape):
        return input_shape


class Rescaling(_Pre):
    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale, self.offset = scale, offset

    def call(self, inputs):
        x = C.cast(inputs, self.compute_dtype)
        return N.add(N.multiply(x, C.cast(self.scale, self.compute_dtype) if not isinstance(self.scale, (int, float))
                                else self.scale), self.offset)

    def get_config(self):
        base = super().get_config()
        base.update({"scale": self.scale, "offset": self.offset})
        return base


def _hw_axes(x, data_format):
    nd = len(C.static_shape(x))
    return (nd - 3, nd - 2) if data_format == "channels_last" else (nd - 2, nd - 1)


class Resizing(_Pre):
    def __init__(self, height, width, interpolation="bilinear", crop_to_aspect_ratio=False, pad_to_aspect_ratio=False,
                 fill_mode="constant", fill_value=0.0, antialias=False, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.height, self.width = height, width
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = crop_to_aspect_ratio
        self.pad_to_aspect_ratio = pad_to_aspect_ratio
        self.fill_mode, self.fill_value, self.antialias = fill_mode, fill_value, antialias
        self.data_format = backend.standardize_data_format(data_format)

    def call(self, inputs):
        x = C.cast(inputs, self.compute_dtype)
        return I.resize(x, (self.height, self.width), interpolation=self.interpolation, antialias=self.antialias,
                        crop_to_aspect_ratio=self.crop_to_aspect_ratio, data_format=self.data_format)

    def compute_output_shape(self, input_shape):
        s = list(input_shape)
        a = (len(s) - 3, len(s) - 2) if self.data_format == "channels_last" else (len(s) - 2, len(s) - 1)
        s[a[0]], s[a[1]] = self.height, self.width
        return tuple(s)

    def get_config(self):
        base = super().get_config()
        base.update({"data_format": self.data_format, "height": self.height, "width": self.width,
                     "interpolation": self.interpolation, "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
                     "pad_to_aspect_ratio": self.pad_to_aspect_ratio, "fill_mode": self.fill_mode,
                     "fill_value": self.fill_value, "antialias": self.antialias})
        return base


class CenterCrop(_Pre):
    def __init__(self, height, width, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.height, self.width = height, width
        self.data_format = backend.standardize_data_format(data_format)

    def call(self, inputs):
        x = C.cast(inputs, self.compute_dtype)
        ha, wa = _hw_axes(x, self.data_format)
        s = C.static_shape(x)
        h, w = s[ha], s[wa]
        if h < self.height or w < self.width:
            return I.resize(x, (self.height, self.width), crop_to_aspect_ratio=True, data_format=self.data_format)
        oh, ow = (h - self.height) // 2, (w - self.width) // 2
        idx = [slice(None)] * len(s)
        idx[ha] = slice(oh, oh + self.height)
        idx[wa] = slice(ow, ow + self.width)
        from tfjax._src.ops import array_ops  # noqa: PLC0415
        return array_ops.getitem(x, tuple(idx))

    compute_output_shape = Resizing.compute_output_shape

    def get_config(self):
        base = super().get_config()
        base.update({"data_format": self.data_format, "height": self.height, "width": self.width})
        return base


class _RandomPre(_Pre):
    def __init__(self, seed=None, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self.data_format = backend.standardize_data_format(data_format)
        self.generator = R.SeedGenerator(seed)

    def get_config(self):
        base = super().get_config()
        base.update({"data_format": self.data_format, "seed": self.seed})
        return base


class RandomCrop(_RandomPre):
    def __init__(self, height, width, seed=None, data_format=None, name=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, name=name, **kwargs)
        self.height, self.width = height, width

    def call(self, inputs, training=True):
        x = C.cast(inputs, self.compute_dtype)
        ha, wa = _hw_axes(x, self.data_format)
        s = C.static_shape(x)
        h, w = s[ha], s[wa]
        if not training or h < self.height or w < self.width:
            return CenterCrop.call(self, x) if (h >= self.height and w >= self.width) else \
                I.resize(x, (self.height, self.width), crop_to_aspect_ratio=True, data_format=self.data_format)
        oh = R.randint((), 0, h - self.height + 1, seed=self.generator)
        ow = R.randint((), 0, w - self.width + 1, seed=self.generator)
        return C.apply(_dyn_crop, x, oh, ow, ha=ha, wa=wa, h=self.height, w=self.width)

    compute_output_shape = Resizing.compute_output_shape

    def get_config(self):
        base = super().get_config()
        base.update({"height": self.height, "width": self.width})
        return base


def _dyn_crop(x, oh, ow, *, ha, wa, h, w):
    start = [jnp.zeros((), jnp.int32)] * x.ndim
    start[ha] = oh.astype(jnp.int32)
    start[wa] = ow.astype(jnp.int32)
    size = list(x.shape)
    size[ha] = h
    size[wa] = w
    return jax.lax.dynamic_slice(x, start, size)


def _flip(x, u, *, axes, mode, batched):
    # u: per-image uniform draws, shape (B, 2) or (2,)
    out = x
    if mode in ("horizontal", "horizontal_and_vertical"):
        f = u[..., 0] < 0.5
        f = f.reshape(f.shape + (1,) * (x.ndim - f.ndim))
        out = jnp.where(f, jnp.flip(out, axes[1]), out)
    if mode in ("vertical", "horizontal_and_vertical"):
        f = u[..., 1] < 0.5
        f = f.reshape(f.shape + (1,) * (x.ndim - f.ndim))
        out = jnp.where(f, jnp.flip(out, axes[0]), out)
    return out


class RandomFlip(_RandomPre):
    def __init__(self, mode="horizontal_and_vertical", seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        if mode not in ("horizontal", "vertical", "horizontal_and_vertical"):
            raise ValueError(f"RandomFlip layer {self.name} received an unknown mode argument {mode}")
        self.mode = mode

    def call(self, inputs, training=True):
        x = C.cast(inputs, self.compute_dtype)
        if not training:
            return x
        s = C.static_shape(x)
        batched = len(s) == 4
        u = R.uniform((s[0], 2) if batched else (2,), seed=self.generator)
        return C.apply(_flip, x, u, axes=_hw_axes(x, self.data_format), mode=self.mode, batched=batched)

    def get_config(self):
        base = super().get_config()
        base["mode"] = self.mode
        return base


_FILL = {"reflect": "reflect", "wrap": "wrap", "constant": "constant", "nearest": "nearest", "mirror": "mirror"}


def _affine(x, mats, *, fill_mode, fill_value, order, channels_last):
    # x: (B, H, W, C); mats: (B, 8) projective transforms mapping output -> input coords (TF convention)
    if not channels_last:
        x = jnp.moveaxis(x, 1, -1)
    B, H, W, Cc = x.shape
    yy, xx = jnp.meshgrid(jnp.arange(H, dtype=x.dtype), jnp.arange(W, dtype=x.dtype), indexing="ij")

    def one(img, m):
        a0, a1, a2, b0, b1, b2, c0, c1 = [m[i] for i in range(8)]
        k = c0 * xx + c1 * yy + 1.0
        sx = (a0 * xx + a1 * yy + a2) / k
        sy = (b0 * xx + b1 * yy + b2) / k
        chans = [jax.scipy.ndimage.map_coordinates(img[..., c], [sy, sx], order=order, mode=fill_mode,
                                                   cval=fill_value) for c in range(Cc)]
        return jnp.stack(chans, -1)
    out = jax.vmap(one)(x, mats.astype(x.dtype))
    if not channels_last:
        out = jnp.moveaxis(out, -1, 1)
    return out


def _apply_affine(layer, x, mats):
    s = C.static_shape(x)
    batched = len(s) == 4
    if not batched:
        x = N.expand_dims(x, 0)
    out = C.apply(_affine, x, mats, fill_mode=_FILL.get(layer.fill_mode, "constant"), fill_value=float(layer.fill_value),
                  order=0 if layer.interpolation == "nearest" else 1,
                  channels_last=layer.data_format == "channels_last")
    return out if batched else N.squeeze(out, 0)


def _range(factor, name, symmetric=True):
    if isinstance(factor, (tuple, list)):
        lo, hi = float(factor[0]), float(factor[1])
    else:
        lo, hi = (-abs(float(factor)), abs(float(factor))) if symmetric else (0.0, float(factor))
    return lo, hi


class _AffineLayer(_RandomPre):
    def __init__(self, fill_mode="reflect", interpolation="bilinear", seed=None, fill_value=0.0, data_format=None,
                 **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.fill_mode, self.interpolation, self.fill_value = fill_mode, interpolation, fill_value

    def _hw(self, x):
        s = C.static_shape(x)
        ha, wa = _hw_axes(x, self.data_format)
        return s[0] if len(s) == 4 else 1, s[ha], s[wa]

    def call(self, inputs, training=True):
        x = C.cast(inputs, self.compute_dtype)
        if not training:
            return x
        b, h, w = self._hw(x)
        return _apply_affine(self, x, self._matrices(b, h, w))

    def get_config(self):
        base = super().get_config()
        base.update({"fill_mode": self.fill_mode, "fill_value": self.fill_value,
                     "interpolation": self.interpolation})
        return base


class RandomRotation(_AffineLayer):
    def __init__(self, factor, fill_mode="reflect", interpolation="bilinear", seed=None, fill_value=0.0,
                 data_format=None, **kwargs):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.factor = factor
        self._lo, self._hi = _range(factor, "factor")

    def _matrices(self, b, h, w):
        ang = N.multiply(R.uniform((b,), self._lo, self._hi, seed=self.generator), 2.0 * math.pi)
        cos, sin = N.cos(ang), N.sin(ang)
        xo = ((w - 1) - (N.subtract(N.multiply(cos, w - 1), N.multiply(sin, h - 1)))) if False else None
        x_off = N.divide(N.subtract(float(w - 1), N.subtract(N.multiply(cos, float(w - 1)),
                                                             N.multiply(sin, float(h - 1)))), 2.0)
        y_off = N.divide(N.subtract(float(h - 1), N.add(N.multiply(sin, float(w - 1)),
                                                        N.multiply(cos, float(h - 1)))), 2.0)
        z = N.zeros_like(cos)
        return N.stack([cos, N.negative(sin), x_off, sin, cos, y_off, z, z], axis=1)

    def get_config(self):
        base = super().get_config()
        base["factor"] = (self._lo, self._hi) if not isinstance(self.factor, (list, tuple)) else self.factor
        return base


class RandomZoom(_AffineLayer):
    def __init__(self, height_factor, width_factor=None, fill_mode="reflect", interpolation="bilinear", seed=None,
                 fill_value=0.0, data_format=None, **kwargs):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.height_factor, self.width_factor = height_factor, width_factor
        self._h = _range(height_factor, "height_factor")
        self._w = _range(width_factor, "width_factor") if width_factor is not None else None

    def _matrices(self, b, h, w):
        hz = N.add(R.uniform((b,), self._h[0], self._h[1], seed=self.generator), 1.0)
        wz = N.add(R.uniform((b,), self._w[0], self._w[1], seed=self.generator), 1.0) if self._w else hz
        x_off = N.multiply(N.subtract(1.0, wz), (w - 1) / 2.0)
        y_off = N.multiply(N.subtract(1.0, hz), (h - 1) / 2.0)
        z = N.zeros_like(hz)
        return N.stack([wz, z, x_off, z, hz, y_off, z, z], axis=1)

    def get_config(self):
        base = super().get_config()
        base.update({"height_factor": self.height_factor, "width_factor": self.width_factor})
        return base


class RandomTranslation(_AffineLayer):
    def __init__(self, height_factor, width_factor, fill_mode="reflect", interpolation="bilinear", seed=None,
                 fill_value=0.0, data_format=None, **kwargs):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.height_factor, self.width_factor = height_factor, width_factor
        self._h = _range(height_factor, "height_factor")
        self._w = _range(width_factor, "width_factor")

    def _matrices(self, b, h, w):
        dy = N.multiply(R.uniform((b,), self._h[0], self._h[1], seed=self.generator), float(h))
        dx = N.multiply(R.uniform((b,), self._w[0], self._w[1], seed=self.generator), float(w))
        one, z = N.ones_like(dx), N.zeros_like(dx)
        return N.stack([one, z, N.negative(dx), z, one, N.negative(dy), z, z], axis=1)

    def get_config(self):
        base = super().get_config()
        base.update({"height_factor": self.height_factor, "width_factor": self.width_factor})
        return base


class RandomContrast(_RandomPre):
    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.factor = factor
        self.value_range = value_range
        lo, hi = _range(factor, "factor")
        self._lo, self._hi = 1.0 + lo if not isinstance(factor, (list, tuple)) else 1.0 - factor[0], \
            1.0 + hi if not isinstance(factor, (list, tuple)) else 1.0 + factor[1]

    def call(self, inputs, training=True):
        x = C.cast(inputs, self.compute_dtype)
        if not training:
            return x
        s = C.static_shape(x)
        b = s[0] if len(s) == 4 else None
        shape = (b, 1, 1, 1) if b is not None else (1, 1, 1)
        f = R.uniform(shape, self._lo, self._hi, seed=self.generator)
        mean = N.mean(x, axis=(-3, -2), keepdims=True)
        out = N.add(N.multiply(N.subtract(x, mean), f), mean)
        return N.clip(out, self.value_range[0], self.value_range[1])

    def get_config(self):
        base = super().get_config()
        base.update({"factor": self.factor, "value_range": self.value_range})
        return base


class RandomBrightness(_RandomPre):
    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.factor = factor
        self.value_range = value_range
        self._lo, self._hi = _range(factor, "factor")

    def call(self, inputs, training=True):
        x = C.cast(inputs, self.compute_dtype)
        if not training:
            return x
        s = C.static_shape(x)
        shape = (s[0], 1, 1, 1) if len(s) == 4 else (1, 1, 1)
        span = self.value_range[1] - self.value_range[0]
        d = N.multiply(R.uniform(shape, self._lo, self._hi, seed=self.generator), float(span))
        return N.clip(N.add(x, d), self.value_range[0], self.value_range[1])

    def get_config(self):
        base = super().get_config()
        base.update({"factor": self.factor, "value_range": self.value_range})
        return base
