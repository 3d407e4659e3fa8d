"""``keras.ops.image`` (subset): resize, crop/pad helpers used by preprocessing layers."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from tfjax._src.keras import backend
from tfjax._src.keras.ops.core import apply, keras_op, t1, cast, dtype_of

_METHODS = {"bilinear": "linear", "nearest": "nearest", "bicubic": "cubic", "lanczos3": "lanczos3",
            "lanczos5": "lanczos5", "area": "linear"}


def _resize(x, *, shape, method, antialias):
    out = jax.image.resize(x.astype(jnp.float32) if not jnp.issubdtype(x.dtype, jnp.floating) else x, shape,
                           method=method, antialias=antialias)
    return out


@keras_op
def resize(images, size, interpolation="bilinear", antialias=False, crop_to_aspect_ratio=False,
           pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0, data_format=None):
    data_format = backend.standardize_data_format(data_format)
    x = t1(images)
    shp = tuple(x._value.shape)
    h, w = int(size[0]), int(size[1])
    if crop_to_aspect_ratio:
        hax, wax = (-3, -2) if data_format == "channels_last" else (-2, -1)
        ih, iw = shp[hax], shp[wax]
        ch = min(ih, int(iw * h / w + 0.5) if False else int(iw * h / w))
        cw = min(iw, int(ih * w / h))
        ch = max(ch, 1)
        cw = max(cw, 1)
        oh = (ih - ch) // 2
        ow = (iw - cw) // 2
        from tfjax._src.ops import array_ops  # noqa: PLC0415
        idx = [slice(None)] * len(shp)
        idx[hax] = slice(oh, oh + ch)
        idx[wax] = slice(ow, ow + cw)
        x = array_ops.getitem(x, tuple(idx))
        shp = tuple(x._value.shape)
    if data_format == "channels_last":
        new = shp[:-3] + (h, w, shp[-1])
    else:
        new = shp[:-2] + (h, w)
    return apply(_resize, x, shape=new, method=_METHODS.get(interpolation, interpolation), antialias=bool(antialias))
