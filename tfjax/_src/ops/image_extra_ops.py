"""More ``tf.image``: ``sobel_edges``, ``ssim_multiscale``, the JPEG-quality augmentations
(``adjust_jpeg_quality``, ``random_jpeg_quality``, ``stateless_random_jpeg_quality``) and the
codecs that live only in ``tf.image`` (``decode_and_crop_jpeg``, ``decode_webp``).

JPEG re-encoding runs on the host (Pillow's libjpeg, see tfjax/_src/io/file_io.py); inside
``tf.function`` it runs through ``jax.pure_callback`` (the output shape is the input's), so it
compiles like any other op. It has no gradient, as in TF.
"""

from __future__ import annotations

import io as _io

import jax
import jax.numpy as jnp
import numpy as np

from tfjax._src import dispatch
from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src.io import file_io
from tfjax._src.ops import convert
from tfjax._src.ops import image_ops
from tfjax._src.tensor import Tensor


# -- sobel_edges ------------------------------------------------------------------------------
def _sobel(x):
    p = jnp.pad(x, [(0, 0), (1, 1), (1, 1), (0, 0)], mode="reflect")
    h, w = x.shape[1], x.shape[2]

    def s(dy, dx):
        return p[:, dy:dy + h, dx:dx + w, :]
    gy = (s(2, 0) + 2 * s(2, 1) + s(2, 2)) - (s(0, 0) + 2 * s(0, 1) + s(0, 2))
    gx = (s(0, 2) + 2 * s(1, 2) + s(2, 2)) - (s(0, 0) + 2 * s(1, 0) + s(2, 0))
    return jnp.stack([gy, gx], axis=-1)


def sobel_edges(image):
    """``tf.image.sobel_edges``: [batch, h, w, d, 2] (dy, dx) with REFLECT padding."""
    x = convert.tensor(image)
    if x._value.ndim != 4:
        raise ValueError(f"Shape must be rank 4 but is rank {x._value.ndim} for 'sobel_edges' (image {x.shape})")
    if not x.dtype.is_floating:
        raise errors.InvalidArgumentError(
            f"Value for attr 'T' of {convert.tf_type_name(x.dtype)} is not in the list of allowed values: half, "
            "bfloat16, float, double\n\t; NodeDef: {node DepthwiseConv2dNative}")
    return dispatch.apply(_sobel, x)


# -- ssim_multiscale --------------------------------------------------------------------------
def _ssim_per_channel(x, y, m, size, sigma, k1, k2):
    c = x.shape[-1]
    kern = jnp.asarray(image_ops._gauss(size, sigma))[:, :, None, None] * jnp.ones((1, 1, 1, c), jnp.float32)

    def red(z):
        lead = z.shape[:-3]
        zz = z.reshape((-1,) + z.shape[-3:])
        out = jax.lax.conv_general_dilated(zz, kern, (1, 1), "VALID", dimension_numbers=("NHWC", "HWIO", "NHWC"),
                                           feature_group_count=c)
        return out.reshape(lead + out.shape[1:])
    c1 = (k1 * m) ** 2
    c2 = (k2 * m) ** 2
    mean0, mean1 = red(x), red(y)
    num0 = mean0 * mean1 * 2.0
    den0 = jnp.square(mean0) + jnp.square(mean1)
    lum = (num0 + c1) / (den0 + c1)
    num1 = red(x * y) * 2.0
    den1 = red(jnp.square(x) + jnp.square(y))
    cs = (num1 - num0 + c2) / (den1 - den0 + c2)
    return jnp.mean(lum * cs, axis=(-3, -2)), jnp.mean(cs, axis=(-3, -2))


def _down(z):
    h, w = z.shape[-3], z.shape[-2]
    pads = [(0, 0)] * (z.ndim - 3) + [(0, h % 2), (0, w % 2), (0, 0)]
    if h % 2 or w % 2:
        z = jnp.pad(z, pads, mode="symmetric")
    h, w = z.shape[-3] // 2, z.shape[-2] // 2
    z = z[..., :2 * h, :2 * w, :]
    z = z.reshape(z.shape[:-3] + (h, 2, w, 2, z.shape[-1]))
    return jnp.mean(z, axis=(-4, -2))


def _ms_ssim(x, y, m, *, powers, size, sigma, k1, k2):
    mcs = []
    ssim_pc = None
    for k in range(len(powers)):
        if k > 0:
            x, y = _down(x), _down(y)
        ssim_pc, cs = _ssim_per_channel(x, y, m, size, sigma, k1, k2)
        mcs.append(jax.nn.relu(cs))
    mcs.pop()
    stack = jnp.stack(mcs + [jax.nn.relu(ssim_pc)], axis=-1)
    ms = jnp.prod(jnp.power(stack, jnp.asarray(powers, jnp.float32)), axis=-1)
    return jnp.mean(ms, axis=-1)


def ssim_multiscale(img1, img2, max_val, power_factors=(0.0448, 0.2856, 0.3001, 0.2363, 0.1333), filter_size=11,
                    filter_sigma=1.5, k1=0.01, k2=0.03):
    """``tf.image.ssim_multiscale``: MS-SSIM over ``len(power_factors)`` scales (2x2 average pooling)."""
    x, y, m = image_ops._metric_inputs(img1, img2, max_val)
    if x._value.shape[-3:] != y._value.shape[-3:]:
        raise ValueError(f"Shapes {x.shape} and {y.shape} are incompatible")
    h, w = x._value.shape[-3:-1]
    n = len(power_factors)
    mh, mw = h, w
    for _ in range(n - 1):
        mh, mw = (mh + 1) // 2, (mw + 1) // 2
    if mh < filter_size or mw < filter_size:
        raise errors.InvalidArgumentError(
            f"ssim_multiscale: the image ({h}x{w}) is too small for {n} scales with filter_size {filter_size} "
            f"(the coarsest scale is {mh}x{mw}) [Op:Assert]")
    return dispatch.apply(_ms_ssim, x, y, m,
                          powers=tuple(float(p) for p in power_factors), size=int(filter_size),
                          sigma=float(filter_sigma), k1=float(k1), k2=float(k2))


# -- JPEG quality -----------------------------------------------------------------------------
def _reencode_host(arr, quality, dct_method):
    arr = np.asarray(arr)
    q = int(np.asarray(quality))
    if not 0 <= q <= 100:
        raise errors.invalid_argument("EncodeJpegVariableQuality", f"quality must be in [0,100], got {q}")
    c = arr.shape[-1]
    Image = file_io._pil()
    img = Image.fromarray(arr[..., 0] if c == 1 else arr, "L" if c == 1 else "RGB")
    buf = _io.BytesIO()
    img.save(buf, format="JPEG", quality=q, subsampling=2)
    data = buf.getvalue()
    dec = file_io._open_image(data, "DecodeJpeg", "L" if c == 1 else None, 1, dct_method, True)
    return file_io._to_channels(dec, c, "DecodeJpeg")


def _reencode(img, quality, *, dct_method):
    if not isinstance(img, jax.core.Tracer) and not isinstance(quality, jax.core.Tracer):
        return jnp.asarray(_reencode_host(img, quality, dct_method))
    return jax.pure_callback(lambda a, q: _reencode_host(a, q, dct_method), jax.ShapeDtypeStruct(img.shape, jnp.uint8),
                             img, quality, vmap_method="sequential")


def adjust_jpeg_quality(image, jpeg_quality, dct_method="", name=None):
    """``tf.image.adjust_jpeg_quality``: encode to JPEG at ``jpeg_quality`` and decode again."""
    x = convert.tensor(image)
    shp = x._value.shape
    if len(shp) != 3:
        raise errors.invalid_argument("EncodeJpegVariableQuality", f"image must be 3-dimensional{list(shp)}")
    if shp[-1] not in (1, 3):
        raise errors.invalid_argument("EncodeJpegVariableQuality",
                                      f"image must have 1 or 3 channels, got {list(shp)}")
    orig = x.dtype
    u8 = image_ops.convert_image_dtype(x, dtypes.uint8, saturate=True)
    q = convert.tensor(jpeg_quality, dtype=dtypes.int32) if not isinstance(jpeg_quality, Tensor) else jpeg_quality
    if q.dtype is not dtypes.int32:
        raise convert._mismatch("EncodeJpegVariableQuality", 1, dtypes.int32, q.dtype)
    if isinstance(dct_method, bytes):
        dct_method = dct_method.decode()
    out = dispatch.apply_unrecorded(_reencode, u8, q, dct_method=dct_method or "")
    return image_ops.convert_image_dtype(out, orig, saturate=True)


def _check_quality_range(lo, hi):
    if lo < 0 or hi < 0 or lo > 100 or hi > 100:
        raise ValueError("jpeg encoding range must be between 0 and 100.")
    if lo >= hi:
        raise ValueError("`min_jpeg_quality` must be less than `max_jpeg_quality`.")


def random_jpeg_quality(image, min_jpeg_quality, max_jpeg_quality, seed=None):
    """``tf.image.random_jpeg_quality``: a quality drawn uniformly from [min, max)."""
    from tfjax._src.ops import random_ops  # noqa: PLC0415
    _check_quality_range(min_jpeg_quality, max_jpeg_quality)
    q = random_ops.uniform([], min_jpeg_quality, max_jpeg_quality, dtype=dtypes.int32, seed=seed)
    return adjust_jpeg_quality(image, q)


def stateless_random_jpeg_quality(image, min_jpeg_quality, max_jpeg_quality, seed):
    """``tf.image.stateless_random_jpeg_quality``: deterministic for a given ``seed``."""
    from tfjax._src.ops import random_ops  # noqa: PLC0415
    _check_quality_range(min_jpeg_quality, max_jpeg_quality)
    q = random_ops.stateless_uniform([], seed, min_jpeg_quality, max_jpeg_quality, dtype=dtypes.int32)
    return adjust_jpeg_quality(image, q)


# -- codecs -----------------------------------------------------------------------------------
def decode_and_crop_jpeg(contents, crop_window, channels=0, ratio=1, fancy_upscaling=True,
                         try_recover_truncated=False, acceptable_fraction=1, dct_method="", name=None):
    """``tf.image.decode_and_crop_jpeg``: decode, then keep ``crop_window`` = [y, x, height, width]."""
    op = "DecodeAndCropJpeg"
    win = np.asarray(file_io._host(crop_window)).reshape(-1) if not isinstance(crop_window, Tensor) \
        else np.asarray(crop_window._value).reshape(-1)
    if win.shape[0] != 4:
        raise errors.invalid_argument(op, f"crop_size must have four elements [{win.shape[0]}]")
    img = file_io.decode_jpeg(contents, channels, ratio, fancy_upscaling, try_recover_truncated, acceptable_fraction,
                              dct_method)
    arr = np.asarray(img._value)
    y, x, h, w = (int(v) for v in win)
    if y < 0 or x < 0 or h <= 0 or w <= 0 or y + h > arr.shape[0] or x + w > arr.shape[1]:
        raise errors.invalid_argument(op, "jpeg::Uncompress failed. Invalid JPEG data or crop window.")
    return file_io._wrap(arr[y:y + h, x:x + w])


def decode_webp(contents, channels=0, dtype=dtypes.uint8, name=None):
    """``tf.image.decode_webp``: [frames, height, width, channels] (3 or 4 channels) via Pillow."""
    op = "DecodeWebP"
    data = file_io._scalar_bytes(contents, "contents")
    dt = dtypes.as_dtype(dtype)
    if channels not in (0, 3, 4):
        raise errors.invalid_argument(op, "WebP only supports 3 or 4 channels")
    if not (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        raise errors.invalid_argument(op, "contents is not a WebP image")
    img = file_io._open_image(data, op)
    frames = []
    k = 0
    while True:
        try:
            img.seek(k)
        except EOFError:
            break
        has_alpha = img.mode in ("RGBA", "LA", "PA") or "transparency" in img.info
        c = channels or (4 if has_alpha else 3)
        frames.append(np.array(img.convert("RGBA" if c == 4 else "RGB"), dtype=np.uint8))
        k += 1
        if not getattr(img, "is_animated", False):
            break
    return file_io._wrap(file_io._convert_uint8_to(np.stack(frames), dt))
