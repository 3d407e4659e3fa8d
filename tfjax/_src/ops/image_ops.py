"""``tf.image``: resizing, cropping/padding, flips, color adjustments, quality metrics.

Resizing follows TF 2's kernels exactly: without antialiasing, bilinear /
nearest / bicubic use half-pixel centers (bicubic: Keys a=-0.5 with out-of-image
taps dropped and renormalized) and area uses box overlaps; these are static
per-axis weight matrices applied with one einsum (differentiable, jit-friendly).
With ``antialias=True`` (and for lanczos) TF's ScaleAndTranslate is used, which
``jax.image.scale_and_translate`` implements.
"""

from __future__ import annotations

import builtins
import functools

import jax
import jax.numpy as jnp
import numpy as np

from tfjax._src import dispatch
from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src.ops import array_ops
from tfjax._src.ops import convert
from tfjax._src.ops import math_ops
from tfjax._src.tensor import Tensor
from tfjax._src.variables import Variable

_apply = dispatch.apply


class ResizeMethod:
    BILINEAR = "bilinear"
    NEAREST_NEIGHBOR = "nearest"
    BICUBIC = "bicubic"
    AREA = "area"
    LANCZOS3 = "lanczos3"
    LANCZOS5 = "lanczos5"
    GAUSSIAN = "gaussian"
    MITCHELLCUBIC = "mitchellcubic"


def _image(image, op_name="image"):
    x = convert.tensor(image)
    r = x._value.ndim
    if r not in (3, 4):
        raise ValueError(f"'image' (shape {x.shape}) must have either 3 or 4 dimensions.")
    return x


def _hw(x):
    s = x._value.shape
    return (s[0], s[1]) if len(s) == 3 else (s[1], s[2])


# -- weight matrices -------------------------------------------------------------------
def _keys_table():
    a = np.float32(-0.5)
    tab = np.zeros((1025, 2), np.float32)
    for i in range(1025):
        x = np.float32(i) / np.float32(1024)
        tab[i, 0] = ((a + 2) * x - (a + 3)) * x * x + 1
        x = x + np.float32(1)
        tab[i, 1] = ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
    return tab.astype(np.float64)


_KEYS = _keys_table()


@functools.lru_cache(maxsize=256)
def _weights(method, in_size, out_size):
    scale = np.float32(in_size) / np.float32(out_size)
    w = np.zeros((out_size, in_size), np.float64)
    for o in range(out_size):
        if method == "bilinear":
            f = (np.float32(o) + np.float32(0.5)) * scale - np.float32(0.5)
            lo_f = np.floor(f)
            lerp = float(f - lo_f)
            lo = builtins.max(int(lo_f), 0)
            hi = builtins.min(int(np.ceil(f)), in_size - 1)
            w[o, lo] += 1 - lerp
            w[o, hi] += lerp
        elif method == "nearest":
            i = builtins.min(int(np.floor((np.float32(o) + np.float32(0.5)) * scale)), in_size - 1)
            w[o, builtins.max(i, 0)] = 1.0
        elif method == "bicubic":
            f = (np.float32(o) + np.float32(0.5)) * scale - np.float32(0.5)
            fl = int(np.floor(f))
            # TF samples the Keys kernel from a 1024-entry float32 table.
            off = int(np.rint(np.float32(f - np.floor(f)) * np.float32(1024)))
            ws = [_KEYS[off, 1], _KEYS[off, 0], _KEYS[1024 - off, 0], _KEYS[1024 - off, 1]]
            idx = [fl - 1, fl, fl + 1, fl + 2]
            tot = 0.0
            for i, wt in zip(idx, ws):
                if 0 <= i < in_size:
                    tot += wt
            for i, wt in zip(idx, ws):
                if 0 <= i < in_size:
                    w[o, i] += wt / tot if builtins.abs(tot) >= 1000 * np.finfo(np.float32).tiny else wt
        elif method == "area":
            y0 = o * float(scale)
            y1 = (o + 1) * float(scale)
            top = int(np.floor(y0))
            bot = int(np.ceil(y1))
            for i in range(top, bot):
                frac = builtins.min(i + 1, y1) - builtins.max(i, y0)
                w[o, builtins.min(i, in_size - 1)] += frac / float(scale)
        else:
            raise ValueError(method)
    return w


def _resize_matrix(x, wh, ww, *, np_dtype):
    y = jnp.einsum("hH,...HWc->...hWc", wh.astype(jnp.float32), x.astype(jnp.float32))
    y = jnp.einsum("wW,...hWc->...hwc", ww.astype(jnp.float32), y)
    return y.astype(np_dtype)


def _resize_nearest(x, *, ih, iw):
    return jnp.take(jnp.take(x, jnp.asarray(ih), axis=-3), jnp.asarray(iw), axis=-2)


def _resize_st(x, *, shape, method, antialias):
    y = x.astype(jnp.float32)
    h, w = shape
    ih, iw = y.shape[-3], y.shape[-2]
    return jax.image.scale_and_translate(
        y, y.shape[:-3] + (h, w, y.shape[-1]), (y.ndim - 3, y.ndim - 2),
        jnp.asarray([h / ih, w / iw], jnp.float32), jnp.zeros((2,), jnp.float32),
        method=method, antialias=antialias)


def resize(images, size, method=ResizeMethod.BILINEAR, preserve_aspect_ratio=False, antialias=False, name=None):
    """``tf.image.resize`` (v2): float32 output except for nearest, which keeps the dtype."""
    x = _image(images)
    sz = convert.static_shape(size, "size")
    if len(sz) != 2:
        raise ValueError("'size' must be a 1-D Tensor of 2 elements: new_height, new_width")
    h, w = _hw(x)
    nh, nw = sz
    if preserve_aspect_ratio:
        sf = builtins.min(np.float32(nh) / np.float32(h), np.float32(nw) / np.float32(w))
        nh = int(np.round(np.float32(sf) * np.float32(h)))
        nw = int(np.round(np.float32(sf) * np.float32(w)))
    if nh <= 0 or nw <= 0:
        raise errors.invalid_argument("ResizeBilinear", f"output dimensions must be positive")
    method = str(method).lower()
    if method == "nearest":
        wh = _weights("nearest", h, nh).argmax(axis=1)
        ww = _weights("nearest", w, nw).argmax(axis=1)
        return _apply(_resize_nearest, x, ih=tuple(int(i) for i in wh), iw=tuple(int(i) for i in ww))
    if x.dtype.is_complex or x.dtype is dtypes.string or x.dtype is dtypes.bool:
        raise errors.invalid_argument("ResizeBilinear", f"Unsupported image dtype {x.dtype.name}")
    if method in ("bilinear", "bicubic") and antialias:
        return _apply(_resize_st, x, shape=(nh, nw), method="linear" if method == "bilinear" else "cubic", antialias=True)
    if method in ("lanczos3", "lanczos5"):
        return _apply(_resize_st, x, shape=(nh, nw), method=method, antialias=bool(antialias))
    if method in ("bilinear", "bicubic", "area"):
        if method == "area" and antialias:
            pass  # TF ignores antialias for area
        wh = Tensor(jnp.asarray(_weights(method, h, nh), jnp.float32))
        ww = Tensor(jnp.asarray(_weights(method, w, nw), jnp.float32))
        if x.dtype is not dtypes.float32:
            xx = math_ops.cast(x, dtypes.float32)
        else:
            xx = x
        return _apply(_resize_matrix, xx, wh, ww, np_dtype=np.dtype(np.float32))
    if method in ("gaussian", "mitchellcubic"):
        raise errors.unsupported(f"tf.image.resize(method={method!r})", "JAX has no such kernel")
    raise ValueError(f"Resize method is not implemented: [{method}]")


def _pad_crop(x, *, off_h, off_w, th, tw, pad):
    if pad:
        b = x.ndim == 4
        h, w = x.shape[-3], x.shape[-2]
        pads = [(off_h, th - h - off_h), (off_w, tw - w - off_w), (0, 0)]
        if b:
            pads = [(0, 0)] + pads
        return jnp.pad(x, pads)
    return x[..., off_h:off_h + th, off_w:off_w + tw, :]


def crop_to_bounding_box(image, offset_height, offset_width, target_height, target_width):
    x = _image(image)
    h, w = _hw(x)
    oh, ow = convert.static_int(offset_height), convert.static_int(offset_width)
    th, tw = convert.static_int(target_height), convert.static_int(target_width)
    if ow < 0:
        raise ValueError("offset_width must be >= 0.")
    if oh < 0:
        raise ValueError("offset_height must be >= 0.")
    if tw <= 0:
        raise ValueError("target_width must be > 0.")
    if th <= 0:
        raise ValueError("target_height must be > 0.")
    if w < tw + ow:
        raise ValueError("width must be >= target + offset.")
    if h < th + oh:
        raise ValueError("height must be >= target + offset.")
    return _apply(_pad_crop, x, off_h=oh, off_w=ow, th=th, tw=tw, pad=False)


def pad_to_bounding_box(image, offset_height, offset_width, target_height, target_width):
    x = _image(image)
    h, w = _hw(x)
    oh, ow = convert.static_int(offset_height), convert.static_int(offset_width)
    th, tw = convert.static_int(target_height), convert.static_int(target_width)
    if oh < 0:
        raise ValueError("offset_height must be >= 0")
    if ow < 0:
        raise ValueError("offset_width must be >= 0")
    if th - oh - h < 0:
        raise ValueError("height must be <= target - offset")
    if tw - ow - w < 0:
        raise ValueError("width must be <= target - offset")
    return _apply(_pad_crop, x, off_h=oh, off_w=ow, th=th, tw=tw, pad=True)


def resize_with_crop_or_pad(image, target_height, target_width):
    x = _image(image)
    h, w = _hw(x)
    th, tw = convert.static_int(target_height), convert.static_int(target_width)
    if tw <= 0:
        raise ValueError("target_width must be > 0.")
    if th <= 0:
        raise ValueError("target_height must be > 0.")
    wd, hd = tw - w, th - h
    crop = crop_to_bounding_box(x, builtins.max(-hd // 2, 0), builtins.max(-wd // 2, 0),
                                builtins.min(th, h), builtins.min(tw, w))
    return pad_to_bounding_box(crop, builtins.max(hd // 2, 0), builtins.max(wd // 2, 0), th, tw)


def resize_with_pad(image, target_height, target_width, method=ResizeMethod.BILINEAR, antialias=False):
    x = _image(image)
    h, w = _hw(x)
    th, tw = convert.static_int(target_height), convert.static_int(target_width)
    if tw <= 0:
        raise ValueError("target_width must be > 0.")
    if th <= 0:
        raise ValueError("target_height must be > 0.")
    ratio = builtins.max(np.float32(w) / np.float32(tw), np.float32(h) / np.float32(th))
    rh_f = np.float32(h) / ratio
    rw_f = np.float32(w) / ratio
    rh, rw = int(np.floor(rh_f)), int(np.floor(rw_f))
    ph = builtins.max(0, int(np.floor((np.float32(th) - rh_f) / 2)))
    pw = builtins.max(0, int(np.floor((np.float32(tw) - rw_f) / 2)))
    resized = resize(x, [rh, rw], method=method, antialias=antialias)
    return pad_to_bounding_box(resized, ph, pw, th, tw)


def central_crop(image, central_fraction):
    x = _image(image)
    cf = float(central_fraction)
    if cf <= 0.0 or cf > 1.0:
        raise ValueError("central_fraction must be within (0, 1]")
    if cf == 1.0:
        return x
    h, w = _hw(x)
    hs = int((h - h * cf) / 2)
    ws = int((w - w * cf) / 2)
    return crop_to_bounding_box(x, hs, ws, h - hs * 2, w - ws * 2)


def _flip(x, *, axis_from_end):
    return jnp.flip(x, x.ndim - axis_from_end)


def flip_left_right(image):
    return _apply(_flip, _image(image), axis_from_end=2)


def flip_up_down(image):
    return _apply(_flip, _image(image), axis_from_end=3)


def _random_flip_fn(x, u, *, axis_from_end):
    flipped = jnp.flip(x, x.ndim - axis_from_end)
    if x.ndim == 4:
        m = (u < 0.5).reshape(-1, 1, 1, 1)
    else:
        m = u.reshape(()) < 0.5
    return jnp.where(m, flipped, x)


def _random_flip(image, seed, axis_from_end, stateless=False):
    from tfjax._src.ops import random_ops  # noqa: PLC0415
    x = _image(image)
    n = (x._value.shape[0],) if x._value.ndim == 4 else (1,)
    u = random_ops.stateless_uniform(n, seed) if stateless else random_ops.uniform(n, seed=seed)
    return _apply(_random_flip_fn, x, u, axis_from_end=axis_from_end)


def random_flip_left_right(image, seed=None):
    return _random_flip(image, seed, 2)


def random_flip_up_down(image, seed=None):
    return _random_flip(image, seed, 3)


def stateless_random_flip_left_right(image, seed):
    return _random_flip(image, seed, 2, stateless=True)


def stateless_random_flip_up_down(image, seed):
    return _random_flip(image, seed, 3, stateless=True)


def _rot90(x, *, k):
    return jnp.rot90(x, k, axes=(x.ndim - 3, x.ndim - 2))


def rot90(image, k=1, name=None):
    return _apply(_rot90, _image(image), k=convert.static_int(k) % 4)


def _transpose_img(x):
    return jnp.swapaxes(x, -3, -2)


def transpose(image, name=None):
    return _apply(_transpose_img, _image(image))


# -- dtype conversion -------------------------------------------------------------------
def convert_image_dtype(image, dtype, saturate=False, name=None):
    """``tf.image.convert_image_dtype``: ints are fixed point in [0, MAX], floats in [0, 1]."""
    x = convert.tensor(image)
    d = dtypes.as_dtype(dtype)
    if not (d.is_floating or d.is_integer):
        raise AttributeError("dtype must be either floating point or integer")
    if not (x.dtype.is_floating or x.dtype.is_integer):
        raise TypeError(f"image dtype {x.dtype.name} is not float or int")
    if x.dtype is d:
        return array_ops.identity(x)
    if x.dtype.is_integer and d.is_integer:
        si, so = x.dtype.max, d.max
        if si > so:
            scale = (si + 1) // (so + 1)
            scaled = math_ops.floordiv(x, math_ops.cast(scale, x.dtype))
            return math_ops.saturate_cast(scaled, d) if saturate else math_ops.cast(scaled, d)
        scale = (so + 1) // (si + 1)
        c = math_ops.saturate_cast(x, d) if saturate else math_ops.cast(x, d)
        return math_ops.multiply(c, math_ops.cast(scale, d))
    if x.dtype.is_floating and d.is_floating:
        return math_ops.cast(x, d)
    if x.dtype.is_integer:
        c = math_ops.cast(x, d)
        return math_ops.multiply(c, Tensor(jnp.asarray(1.0 / x.dtype.max, d._np)))
    scale = d.max + 0.5
    scaled = math_ops.multiply(x, Tensor(jnp.asarray(scale, x._value.dtype)))
    return math_ops.saturate_cast(scaled, d) if saturate else math_ops.cast(scaled, d)


def _to_float(x):
    if x.dtype in (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.bfloat16):
        return x, None
    return convert_image_dtype(x, dtypes.float32), x.dtype


def _back(y, orig):
    return y if orig is None else convert_image_dtype(y, orig, saturate=True)


# -- color -------------------------------------------------------------------------------
def _rgb_to_hsv(rgb):
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    v = jnp.maximum(jnp.maximum(r, g), b)
    mn = jnp.minimum(jnp.minimum(r, g), b)
    rng = v - mn
    s = jnp.where(v > 0, rng / jnp.where(v > 0, v, 1), 0)
    norm = 1.0 / (6.0 * jnp.where(rng > 0, rng, 1))
    h = jnp.where(r == v, norm * (g - b),
                  jnp.where(g == v, norm * (b - r) + 2.0 / 6.0, norm * (r - g) + 4.0 / 6.0))
    h = jnp.where(rng > 0, h, 0)
    h = jnp.where(h < 0, h + 1, h)
    return jnp.stack([h, s, v], axis=-1).astype(rgb.dtype)


def _hsv_to_rgb(hsv):
    h, s, v = hsv[..., 0], hsv[..., 1], hsv[..., 2]
    c = s * v
    m = v - c
    dh = h * 6
    r_ = jnp.clip(jnp.abs(dh - 3) - 1, 0, 1)
    g_ = jnp.clip(2 - jnp.abs(dh - 2), 0, 1)
    b_ = jnp.clip(2 - jnp.abs(dh - 4), 0, 1)
    return jnp.stack([r_ * c + m, g_ * c + m, b_ * c + m], axis=-1).astype(hsv.dtype)


def _check_rgb(x, op):
    if x._value.ndim < 1 or x._value.shape[-1] != 3:
        raise errors.invalid_argument(op, f"input must have 3 channels but input only has {x._value.shape[-1] if x._value.ndim else 0} channels.")


def rgb_to_hsv(images, name=None):
    x = convert.tensor(images)
    if not x.dtype.is_floating:
        raise errors.invalid_argument("RGBToHSV", f"Value for attr 'T' of {x.dtype.name} is not in the list of allowed values")
    _check_rgb(x, "RGBToHSV")
    return _apply(_rgb_to_hsv, x)


def hsv_to_rgb(images, name=None):
    x = convert.tensor(images)
    if not x.dtype.is_floating:
        raise errors.invalid_argument("HSVToRGB", f"Value for attr 'T' of {x.dtype.name} is not in the list of allowed values")
    _check_rgb(x, "HSVToRGB")
    return _apply(_hsv_to_rgb, x)


def _gray(x):
    w = jnp.asarray([0.2989, 0.5870, 0.1140], x.dtype)
    return jnp.sum(x * w, axis=-1, keepdims=True)


def rgb_to_grayscale(images, name=None):
    x = convert.tensor(images)
    f, orig = _to_float(x)
    return _back(_apply(_gray, f), orig)


def _tile3(x):
    return jnp.concatenate([x, x, x], axis=-1)


def grayscale_to_rgb(images, name=None):
    x = convert.tensor(images)
    if x._value.ndim < 2 or x._value.shape[-1] != 1:
        raise ValueError(f"Last dimension of a grayscale image should be size 1, got shape {x.shape}")
    return _apply(_tile3, x)


_YIQ = np.array([[0.299, 0.59590059, 0.2115], [0.587, -0.27455667, -0.52273617], [0.114, -0.32134392, 0.31119955]])
_YUV = np.array([[0.299, -0.14714119, 0.61497538], [0.587, -0.28886916, -0.51496512], [0.114, 0.43601035, -0.10001026]])


def _color_mat(x, *, which, inverse):
    m = _YIQ if which == "yiq" else _YUV
    if inverse:
        m = np.linalg.inv(m)
    return jnp.tensordot(x, jnp.asarray(m, x.dtype), axes=1)


def rgb_to_yiq(images):
    return _apply(_color_mat, convert.tensor(images), which="yiq", inverse=False)


def yiq_to_rgb(images):
    return _apply(_color_mat, convert.tensor(images), which="yiq", inverse=True)


def rgb_to_yuv(images):
    return _apply(_color_mat, convert.tensor(images), which="yuv", inverse=False)


def yuv_to_rgb(images):
    return _apply(_color_mat, convert.tensor(images), which="yuv", inverse=True)


def adjust_brightness(image, delta):
    x = convert.tensor(image)
    f, orig = _to_float(x)
    d = convert.binary(f, delta, "AdjustBrightness")[1]
    return _back(math_ops.add(f, d), orig)


def _adjust_contrast(x, f):
    mean = jnp.mean(x, axis=(-3, -2), keepdims=True)
    return ((x - mean) * f + mean).astype(x.dtype)


def adjust_contrast(images, contrast_factor):
    x = convert.tensor(images)
    if x._value.ndim < 3:
        raise ValueError("images must be at least 3-D")
    f, orig = _to_float(x)
    cf = convert.tensor(contrast_factor, dtype_hint=f.dtype)
    if cf.dtype is not f.dtype:
        cf = math_ops.cast(cf, f.dtype)
    return _back(_apply(_adjust_contrast, f, cf), orig)


def _adjust_saturation(x, s):
    hsv = _rgb_to_hsv(x.astype(jnp.float32))
    hsv = hsv.at[..., 1].set(jnp.clip(hsv[..., 1] * s.astype(jnp.float32), 0.0, 1.0))
    return _hsv_to_rgb(hsv).astype(x.dtype)


def adjust_saturation(image, saturation_factor, name=None):
    x = convert.tensor(image)
    _check_rgb(x, "AdjustSaturation")
    f, orig = _to_float(x)
    s = math_ops.cast(convert.tensor(saturation_factor, dtype_hint=dtypes.float32), dtypes.float32)
    return _back(_apply(_adjust_saturation, f, s), orig)


def _adjust_hue(x, d):
    hsv = _rgb_to_hsv(x.astype(jnp.float32))
    h = jnp.mod(hsv[..., 0] + d.astype(jnp.float32), 1.0)
    hsv = hsv.at[..., 0].set(h)
    return _hsv_to_rgb(hsv).astype(x.dtype)


def adjust_hue(image, delta, name=None):
    x = convert.tensor(image)
    _check_rgb(x, "AdjustHue")
    dv = float(np.asarray(delta)) if not isinstance(delta, (Tensor, Variable)) else None
    if dv is not None and not -1 <= dv <= 1:
        raise errors.invalid_argument("AdjustHue", "delta must be in the interval [-1, 1]")
    f, orig = _to_float(x)
    d = math_ops.cast(convert.tensor(delta, dtype_hint=dtypes.float32), dtypes.float32)
    return _back(_apply(_adjust_hue, f, d), orig)


def _gamma(x, g, gain):
    return (gain * x ** g).astype(x.dtype)


def adjust_gamma(image, gamma=1, gain=1):
    x = convert.tensor(image)
    if isinstance(gamma, (int, float)) and gamma < 0:
        raise ValueError("Gamma should be a non-negative real number.")
    orig = x.dtype
    f = x if orig in (dtypes.float16, dtypes.float32) else convert_image_dtype(x, dtypes.float32)
    g = convert.binary(f, gamma, "AdjustGamma")[1]
    gn = convert.binary(f, gain, "AdjustGamma")[1]
    out = _apply(_gamma, f, g, gn)
    return convert_image_dtype(out, orig, saturate=True)


def _standardize(x):
    axes = (-3, -2, -1)
    n = x.shape[-3] * x.shape[-2] * x.shape[-1]
    mean = jnp.mean(x, axis=axes, keepdims=True)
    std = jnp.std(x, axis=axes, keepdims=True)
    adj = jnp.maximum(std, 1.0 / jnp.sqrt(jnp.asarray(n, x.dtype)))
    return ((x - mean) / adj).astype(x.dtype)


def per_image_standardization(image):
    x = _image(image)
    if not x.dtype.is_floating:
        x = math_ops.cast(x, dtypes.float32)
    return _apply(_standardize, x)


# -- random color ops ----------------------------------------------------------------------
def _rand_scalar(lo, hi, seed, stateless=False):
    from tfjax._src.ops import random_ops  # noqa: PLC0415
    if stateless:
        return random_ops.stateless_uniform([], seed, lo, hi)
    return random_ops.uniform([], lo, hi, seed=seed)


def random_brightness(image, max_delta, seed=None):
    if max_delta < 0:
        raise ValueError("max_delta must be non-negative.")
    return adjust_brightness(image, _rand_scalar(-max_delta, max_delta, seed))


def random_contrast(image, lower, upper, seed=None):
    if upper <= lower:
        raise ValueError("upper must be > lower.")
    if lower < 0:
        raise ValueError("lower must be non-negative.")
    return adjust_contrast(image, _rand_scalar(lower, upper, seed))


def random_saturation(image, lower, upper, seed=None):
    if upper <= lower:
        raise ValueError("upper must be > lower.")
    if lower < 0:
        raise ValueError("lower must be non-negative.")
    return adjust_saturation(image, _rand_scalar(lower, upper, seed))


def random_hue(image, max_delta, seed=None):
    if max_delta > 0.5:
        raise ValueError("max_delta must be <= 0.5.")
    if max_delta < 0:
        raise ValueError("max_delta must be non-negative.")
    return adjust_hue(image, _rand_scalar(-max_delta, max_delta, seed))


def stateless_random_brightness(image, max_delta, seed):
    return adjust_brightness(image, _rand_scalar(-max_delta, max_delta, seed, True))


def stateless_random_contrast(image, lower, upper, seed):
    return adjust_contrast(image, _rand_scalar(lower, upper, seed, True))


def stateless_random_saturation(image, lower, upper, seed):
    return adjust_saturation(image, _rand_scalar(lower, upper, seed, True))


def stateless_random_hue(image, max_delta, seed):
    return adjust_hue(image, _rand_scalar(-max_delta, max_delta, seed, True))


def _dyn_crop(x, off, *, size):
    return jax.lax.dynamic_slice(x, off, size)


def random_crop(value, size, seed=None, name=None):
    """``tf.image.random_crop``: a uniformly placed crop of static ``size``."""
    from tfjax._src.ops import random_ops  # noqa: PLC0415
    x = convert.tensor(value)
    sz = convert.static_shape(size, "size")
    shp = x._value.shape
    if len(sz) != len(shp) or any(s > d for s, d in zip(sz, shp)):
        raise errors.invalid_argument("RandomCrop", f"Need value.shape >= size, got {list(shp)} and {list(sz)}")
    limit = [d - s + 1 for d, s in zip(shp, sz)]
    u = random_ops.uniform([len(shp)], 0, 2**31 - 1, dtype=dtypes.int32, seed=seed)
    off = math_ops.floormod(u, Tensor(jnp.asarray(limit, jnp.int32)))
    return _apply(_dyn_crop, x, off, size=tuple(sz))


def stateless_random_crop(value, size, seed, name=None):
    from tfjax._src.ops import random_ops  # noqa: PLC0415
    x = convert.tensor(value)
    sz = convert.static_shape(size, "size")
    shp = x._value.shape
    limit = [d - s + 1 for d, s in zip(shp, sz)]
    u = random_ops.stateless_uniform([len(shp)], seed, 0, 2**31 - 1, dtype=dtypes.int32)
    off = math_ops.floormod(u, Tensor(jnp.asarray(limit, jnp.int32)))
    return _apply(_dyn_crop, x, off, size=tuple(sz))


# -- patches / metrics -----------------------------------------------------------------
def _extract_patches(x, *, ks, st, rt, pads):
    x = jnp.pad(x, [(0, 0), pads[0], pads[1], (0, 0)])
    n, h, w, c = x.shape
    eh = (ks[0] - 1) * rt[0] + 1
    ew = (ks[1] - 1) * rt[1] + 1
    oh = (h - eh) // st[0] + 1
    ow = (w - ew) // st[1] + 1
    cols = []
    for i in range(ks[0]):
        for j in range(ks[1]):
            r0, c0 = i * rt[0], j * rt[1]
            cols.append(x[:, r0:r0 + (oh - 1) * st[0] + 1:st[0], c0:c0 + (ow - 1) * st[1] + 1:st[1], :])
    return jnp.concatenate(cols, axis=-1)


def extract_patches(images, sizes, strides, rates, padding, name=None):
    """``tf.image.extract_patches``: [b, oh, ow, kh*kw*c] patches, (kh, kw, c) order."""
    x = convert.tensor(images)
    if x._value.ndim != 4:
        raise ValueError(f"images must be 4-D, got shape {x.shape}")
    ks, st, rt = [tuple(int(v) for v in list(a)[1:3]) for a in (sizes, strides, rates)]
    p = str(padding).upper()
    h, w = x._value.shape[1:3]
    if p == "VALID":
        pads = ((0, 0), (0, 0))
    elif p == "SAME":
        pads = []
        for d, k, s, r in zip((h, w), ks, st, rt):
            eff = (k - 1) * r + 1
            out = -(-d // s)
            tot = builtins.max((out - 1) * s + eff - d, 0)
            pads.append((tot // 2, tot - tot // 2))
        pads = tuple(pads)
    else:
        raise ValueError(f"padding must be 'SAME' or 'VALID', got {padding!r}")
    return _apply(_extract_patches, x, ks=ks, st=st, rt=rt, pads=pads)


def _total_variation(x):
    dh = jnp.abs(x[..., 1:, :, :] - x[..., :-1, :, :])
    dw = jnp.abs(x[..., :, 1:, :] - x[..., :, :-1, :])
    return (jnp.sum(dh, axis=(-3, -2, -1)) + jnp.sum(dw, axis=(-3, -2, -1))).astype(x.dtype)


def total_variation(images, name=None):
    x = _image(images)
    return _apply(_total_variation, x)


def _psnr(a, b, m):
    mse = jnp.mean(jnp.square(a - b), axis=(-3, -2, -1))
    return (20 * jnp.log(m) / jnp.log(10.0) - np.float32(10 / np.log(10)) * jnp.log(mse)).astype(a.dtype)


def _metric_inputs(a, b, max_val):
    x = convert.tensor(a)
    y = convert.tensor(b)
    if x.dtype is not y.dtype:
        raise errors.invalid_argument("PSNR", f"a and b must have the same dtype: {x.dtype.name} vs {y.dtype.name}")
    m = convert.tensor(max_val, dtype_hint=dtypes.float32)
    m = math_ops.cast(m, dtypes.float32)
    if x.dtype.is_integer:
        x = convert_image_dtype(x, dtypes.float32)
        y = convert_image_dtype(y, dtypes.float32)
        m = math_ops.divide(m, Tensor(jnp.asarray(convert.tensor(a).dtype.max, jnp.float32)))
    elif x.dtype is not dtypes.float32:
        x = math_ops.cast(x, dtypes.float32)
        y = math_ops.cast(y, dtypes.float32)
    return x, y, m


def psnr(a, b, max_val, name=None):
    x, y, m = _metric_inputs(a, b, max_val)
    if x._value.shape[-3:] != y._value.shape[-3:]:
        raise ValueError(f"Shapes {x.shape} and {y.shape} are incompatible")
    return _apply(_psnr, x, y, m)


def _gauss(size, sigma):
    coords = np.arange(size, dtype=np.float32) - (size - 1) / 2.0
    g = coords ** 2 * (-0.5 / sigma ** 2)
    g = g[None, :] + g[:, None]
    g = np.exp(g - g.max())
    return (g / g.sum()).astype(np.float32)


def _ssim(x, y, m, *, size, sigma, k1, k2):
    c = x.shape[-1]
    kern = jnp.asarray(_gauss(size, sigma))[:, :, None, None] * jnp.ones((1, 1, 1, c), jnp.float32)
    lead = x.shape[:-3]
    xx = x.reshape((-1,) + x.shape[-3:])
    yy = y.reshape((-1,) + y.shape[-3:])

    def red(z):
        return jax.lax.conv_general_dilated(z, kern, (1, 1), "VALID",
                                            dimension_numbers=("NHWC", "HWIO", "NHWC"), feature_group_count=c)
    c1 = (k1 * m) ** 2
    c2 = (k2 * m) ** 2
    mean0, mean1 = red(xx), red(yy)
    num0 = mean0 * mean1 * 2.0
    den0 = jnp.square(mean0) + jnp.square(mean1)
    lum = (num0 + c1) / (den0 + c1)
    num1 = red(xx * yy) * 2.0
    den1 = red(jnp.square(xx) + jnp.square(yy))
    cs = (num1 - num0 + c2) / (den1 - den0 + c2)
    ssim_per_channel = jnp.mean(lum * cs, axis=(-3, -2))
    return jnp.mean(ssim_per_channel, axis=-1).reshape(lead)


def ssim(img1, img2, max_val, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03, return_index_map=False):
    if return_index_map:
        raise errors.unsupported("tf.image.ssim(return_index_map=True)")
    x, y, m = _metric_inputs(img1, img2, max_val)
    h, w = x._value.shape[-3:-1]
    if h < filter_size or w < filter_size:
        raise errors.invalid_argument("SSIM", f"image size ({h}x{w}) must be >= filter_size ({filter_size})")
    return _apply(_ssim, x, y, m, size=int(filter_size), sigma=float(filter_sigma), k1=float(k1), k2=float(k2))


def _image_gradients(x):
    dy = jnp.concatenate([x[:, 1:] - x[:, :-1], jnp.zeros_like(x[:, :1])], axis=1)
    dx = jnp.concatenate([x[:, :, 1:] - x[:, :, :-1], jnp.zeros_like(x[:, :, :1])], axis=2)
    return dy, dx


def image_gradients(image):
    x = convert.tensor(image)
    if x._value.ndim != 4:
        raise ValueError(f"image_gradients expects a 4D tensor [batch_size, h, w, d], not {x.shape}.")
    return _apply(_image_gradients, x)
