"""``tf.image`` box ops: ``crop_and_resize``, ``extract_glimpse``, ``draw_bounding_boxes``,
``sample_distorted_bounding_box`` / ``stateless_sample_distorted_bounding_box``.

All are written in JAX with static output shapes, so they compile inside ``tf.function``.
``crop_and_resize`` follows TF's CropAndResize kernel arithmetic (float32 sample coordinates,
floor/ceil bilinear taps, round-half-away nearest) and its gradients: w.r.t. the image (float
images only) and w.r.t. the boxes, which TF computes with the bilinear formula for both methods.

``sample_distorted_bounding_box`` reproduces TF's sampling procedure (aspect ratio, height
draw, rounding, area and coverage constraints, the whole-image fallback) but draws its random
numbers from tfjax's generators, so the sampled boxes are not TF's random stream: the contract
(constraints, shapes, dtypes, determinism of the stateless variant) is what matches.
"""

from __future__ import annotations

import collections

import jax
import jax.numpy as jnp
import numpy as np

from tfjax._src import dispatch
from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src.ops import convert
from tfjax._src.tensor import Tensor

_F32 = np.float32

SampleDistortedBoundingBoxV2 = collections.namedtuple("SampleDistortedBoundingBoxV2", ["begin", "size", "bboxes"])
StatelessSampleDistortedBoundingBox = collections.namedtuple("StatelessSampleDistortedBoundingBox",
                                                             ["begin", "size", "bboxes"])


def _raise_conversion(t, want):
    raise ValueError(f"Tensor conversion requested dtype {want.name} for Tensor with dtype {t.dtype.name}: {t!r}")


def _typed(x, want):
    """TF's ``convert_to_tensor(x, dtype=want)``: Python values convert, other tensor dtypes raise."""
    if isinstance(x, Tensor) or hasattr(x, "_read_array"):
        t = convert.tensor(x)
        if t.dtype is not want:
            _raise_conversion(t, want)
        return t
    return convert.tensor(x, dtype=want)


# -- crop_and_resize -----------------------------------------------------------------------
def _sample_coords(c1, c2, size, crop):
    sm1 = _F32(size - 1)
    if crop > 1:
        scale = (c2 - c1) * sm1 / _F32(crop - 1)
        return c1[:, None] * sm1 + jnp.arange(crop, dtype=jnp.float32)[None] * scale[:, None]
    return (_F32(0.5) * (c1 + c2) * sm1)[:, None]


def _crop_taps(image, boxes, box_ind, ch, cw):
    _, h, w, _ = image.shape
    in_y = _sample_coords(boxes[:, 0], boxes[:, 2], h, ch)             # [n, ch]
    in_x = _sample_coords(boxes[:, 1], boxes[:, 3], w, cw)             # [n, cw]
    vy = (in_y >= 0) & (in_y <= h - 1)
    vx = (in_x >= 0) & (in_x <= w - 1)
    return in_y, in_x, vy, vx


def _gather(img, bi, yi, xi, h, w):
    yi = jnp.clip(yi, 0, h - 1).astype(jnp.int32)
    xi = jnp.clip(xi, 0, w - 1).astype(jnp.int32)
    return img[bi[:, None, None], yi[:, :, None], xi[:, None, :]]


def _bilinear(img, boxes, box_ind, ch, cw):
    _, h, w, _ = img.shape
    in_y, in_x, vy, vx = _crop_taps(img, boxes, box_ind, ch, cw)
    ty = jnp.floor(in_y)
    by = jnp.ceil(in_y)
    ly = (in_y - ty)[:, :, None, None]
    lx_f = jnp.floor(in_x)
    rx = jnp.ceil(in_x)
    lx = (in_x - lx_f)[:, None, :, None]
    tl = _gather(img, box_ind, ty, lx_f, h, w)
    tr = _gather(img, box_ind, ty, rx, h, w)
    bl = _gather(img, box_ind, by, lx_f, h, w)
    br = _gather(img, box_ind, by, rx, h, w)
    top = tl + (tr - tl) * lx
    bottom = bl + (br - bl) * lx
    return top + (bottom - top) * ly, vy, vx


def _round_half_away(v):
    f = jnp.floor(v)
    return f + ((v - f) >= 0.5)


def _crop_and_resize(image, boxes, box_ind, extrap, *, ch, cw, method, float_image):
    img = image.astype(jnp.float32)
    _, h, w, _ = img.shape
    if method == "bilinear":
        out, vy, vx = _bilinear(img, boxes, box_ind, ch, cw)
    else:
        sg = jax.lax.stop_gradient
        in_y, in_x, vy, vx = _crop_taps(img, sg(boxes), box_ind, ch, cw)
        out = _gather(img, box_ind, _round_half_away(in_y), _round_half_away(in_x), h, w)
        # TF differentiates the boxes with the bilinear formula whatever the method.
        lin = _bilinear(sg(img), boxes, box_ind, ch, cw)[0]
        out = out + (lin - sg(lin))
    mask = (vy[:, :, None] & vx[:, None, :])[..., None]
    return jnp.where(mask, out, extrap.astype(jnp.float32))


_CR_IMAGE_TYPES = (dtypes.uint8, dtypes.uint16, dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64,
                   dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64)


def crop_and_resize(image, boxes, box_indices, crop_size, method="bilinear", extrapolation_value=0.0, name=None):
    """``tf.image.crop_and_resize``: float32 crops [num_boxes, crop_h, crop_w, depth]."""
    op = "CropAndResize"
    img = convert.tensor(image)
    if img.dtype not in _CR_IMAGE_TYPES:
        raise errors.InvalidArgumentError(f"Value for attr 'T' of {convert.tf_type_name(img.dtype)} is not in the "
                                          f"list of allowed values\n\t; NodeDef: {{node {op}}}")
    b = _typed(boxes, dtypes.float32)
    bi = _typed(box_indices, dtypes.int32)
    if method not in ("bilinear", "nearest"):
        raise errors.InvalidArgumentError(f"Value for attr 'method' of \"{method}\" is not in the list of allowed "
                                          f"values: \"bilinear\", \"nearest\"\n\t; NodeDef: {{node {op}}}")
    size = convert.static_shape(crop_size, "crop_size")
    ev = convert.tensor(extrapolation_value, dtype=dtypes.float32)
    ishape, bshape, ishp = img._value.shape, b._value.shape, bi._value.shape
    if len(ishape) != 4:
        raise errors.invalid_argument(op, f"input image must be 4-D{list(ishape)}")
    if len(size) != 2:
        raise errors.invalid_argument(op, f"crop_size must be a 1-D tensor of length 2, got {list(size)}")
    if size[0] <= 0 or size[1] <= 0:
        raise errors.invalid_argument(op, "crop dimensions must be positive")
    if len(bshape) != 2 or bshape[1] != 4:
        raise errors.invalid_argument(op, f"boxes must be 2-D and have 4 columns, got {list(bshape)}")
    if len(ishp) != 1 or ishp[0] != bshape[0]:
        raise errors.invalid_argument(op, "box_index has incompatible shape")
    if ishape[1] <= 0 or ishape[2] <= 0:
        raise errors.invalid_argument(op, "image dimensions must be positive")
    if convert.is_concrete(bi):
        v = np.asarray(bi._value)
        if v.size and (v.min() < 0 or v.max() >= ishape[0]):
            raise errors.OutOfRangeError(None, None, errors.op_message(op, "box_index has values outside [0, batch_size)"))
    return dispatch.apply(_crop_and_resize, img, b, bi, ev, ch=int(size[0]), cw=int(size[1]), method=method,
                          float_image=img.dtype.is_floating)


# -- extract_glimpse ------------------------------------------------------------------------
def _glimpse(x, offsets, noise, *, gh, gw, centered, normalized):
    bsz, h, w, c = x.shape
    oy, ox = offsets[:, 0], offsets[:, 1]
    if normalized:
        ox = ox * _F32(w)
        oy = oy * _F32(h)
        if centered:
            ox = ox / _F32(2) + _F32(w / 2.0)
            oy = oy / _F32(2) + _F32(h / 2.0)
            ox = ox - _F32(gw / 2.0)
            oy = oy - _F32(gh / 2.0)
    elif centered:
        ox = ox + _F32(w / 2.0)
        oy = oy + _F32(h / 2.0)
    iy = jnp.trunc(oy).astype(jnp.int32)[:, None] + jnp.arange(gh, dtype=jnp.int32)[None]
    ix = jnp.trunc(ox).astype(jnp.int32)[:, None] + jnp.arange(gw, dtype=jnp.int32)[None]
    vy = (iy >= 0) & (iy < h)
    vx = (ix >= 0) & (ix < w)
    vals = x[jnp.arange(bsz)[:, None, None], jnp.clip(iy, 0, h - 1)[:, :, None], jnp.clip(ix, 0, w - 1)[:, None, :]]
    return jnp.where((vy[:, :, None] & vx[:, None, :])[..., None], vals, noise)


def extract_glimpse(input, size, offsets, centered=True, normalized=True, noise="uniform", name=None):  # noqa: A002
    """``tf.image.extract_glimpse`` (ExtractGlimpseV2): windows at ``offsets`` ([y, x] per image);
    pixels outside the image are filled with ``noise`` ('zero', 'uniform' or 'gaussian', drawn from
    tfjax's generator: exact for 'zero', distribution-level otherwise)."""
    op = "ExtractGlimpseV2"
    x = _typed(input, dtypes.float32)
    off = _typed(offsets, dtypes.float32)
    sz = convert.static_shape(size, "size")
    shp = x._value.shape
    if len(shp) != 4:
        raise errors.invalid_argument(op, f"input must be 4-dimensional{list(shp)}")
    if len(sz) != 2:
        raise errors.invalid_argument(op, f"input must be a vector of size 2 (height, width), got {list(sz)}")
    if off._value.ndim != 2 or off._value.shape[0] != shp[0] or off._value.shape[1] != 2:
        raise errors.invalid_argument(op, f"offsets must be [batch_size, 2], got {list(off._value.shape)}")
    if noise not in ("uniform", "gaussian", "zero", ""):
        raise errors.invalid_argument(op, f"noise must be one of uniform, gaussian, zero, got {noise!r}")
    gh, gw = int(sz[0]), int(sz[1])
    bsz, c = shp[0], shp[3]
    if noise in ("zero", ""):
        fill = Tensor(jnp.zeros((bsz, gh, gw, c), jnp.float32))
    else:
        from tfjax._src.ops import random_ops  # noqa: PLC0415
        if noise == "uniform":
            u = random_ops.uniform([bsz, gh, gw, c])
            fill = dispatch.apply_unrecorded(_uniform_fill, x, u)
        else:
            u = random_ops.normal([bsz, gh, gw, c])
            fill = dispatch.apply_unrecorded(_normal_fill, x, u)
    return dispatch.apply(_glimpse, x, off, fill, gh=gh, gw=gw, centered=bool(centered), normalized=bool(normalized))


def _uniform_fill(x, u):
    lo = jnp.min(x, axis=(1, 2, 3), keepdims=True)
    hi = jnp.max(x, axis=(1, 2, 3), keepdims=True)
    return lo + u * (hi - lo)


def _normal_fill(x, u):
    return jnp.mean(x, axis=(1, 2), keepdims=True) + u * jnp.std(x, axis=(1, 2), keepdims=True)


# -- draw_bounding_boxes ----------------------------------------------------------------------
_DEFAULT_COLORS = np.array([[1, 1, 0, 1], [0, 0, 1, 1], [1, 0, 0, 1], [0, 1, 0, 1], [0.5, 0, 0.5, 1],
                            [0.5, 0.5, 0, 1], [0.5, 0, 0, 1], [0, 0, 0.5, 1], [0, 1, 1, 1], [1, 0, 1, 1]],
                           np.float32)


def _to_int(v):
    return jnp.trunc(jnp.clip(v, -2.0 ** 40, 2.0 ** 40)).astype(jnp.int64)


def _draw(images, boxes, colors):
    _, h, w, c = images.shape
    k = colors.shape[0]
    rows = jnp.arange(h, dtype=jnp.int64)[None, :, None]
    cols = jnp.arange(w, dtype=jnp.int64)[None, None, :]

    def body(i, img):
        bb = boxes[:, i]                                                     # [b, 4]
        r0 = _to_int(bb[:, 0] * _F32(h - 1))[:, None, None]
        r1 = _to_int(bb[:, 2] * _F32(h - 1))[:, None, None]
        c0 = _to_int(bb[:, 1] * _F32(w - 1))[:, None, None]
        c1 = _to_int(bb[:, 3] * _F32(w - 1))[:, None, None]
        skip = (r0 > r1) | (c0 > c1) | (r0 >= h) | (r1 < 0) | (c0 >= w) | (c1 < 0)
        in_cols = (cols >= jnp.maximum(c0, 0)) & (cols <= jnp.minimum(c1, w - 1))
        in_rows = (rows >= jnp.maximum(r0, 0)) & (rows <= jnp.minimum(r1, h - 1))
        line = ((r0 >= 0) & (rows == r0) & in_cols) | ((r1 < h) & (rows == r1) & in_cols) | \
            ((c0 >= 0) & (cols == c0) & in_rows) | ((c1 < w) & (cols == c1) & in_rows)
        mask = (line & ~skip)[..., None]
        color = colors[i % k, :c].astype(img.dtype)
        return jnp.where(mask, color, img)
    return jax.lax.fori_loop(0, boxes.shape[1], body, images)


def draw_bounding_boxes(images, boxes, colors, name=None):
    """``tf.image.draw_bounding_boxes`` (DrawBoundingBoxesV2): box outlines in ``colors`` (cycled)."""
    op = "DrawBoundingBoxesV2"
    x = convert.tensor(images, dtype_hint=dtypes.float32)
    if x.dtype not in (dtypes.float32, dtypes.float16):
        raise errors.InvalidArgumentError(f"Value for attr 'T' of {convert.tf_type_name(x.dtype)} is not in the list "
                                          f"of allowed values: float, half\n\t; NodeDef: {{node {op}}}")
    b = _typed(boxes, dtypes.float32)
    shp = x._value.shape
    if len(shp) != 4:
        raise errors.invalid_argument(op, "The rank of the images should be 4")
    if b._value.ndim != 3 or b._value.shape[0] != shp[0] or b._value.shape[2] != 4:
        raise errors.invalid_argument(op, f"boxes must be [batch, num_boxes, 4], got {list(b._value.shape)}")
    depth = shp[3]
    if depth not in (1, 3, 4):
        raise errors.invalid_argument(op, "Channel depth should be either 1 (GRY), 3 (RGB), or 4 (RGBA)")
    col = None
    if colors is not None:
        col = _typed(colors, dtypes.float32)
        cs = col._value.shape
        if len(cs) != 2:
            raise errors.invalid_argument(op, "colors must be a 2-D matrix" + str(list(cs)))
        if cs[1] < depth:
            raise errors.invalid_argument(op, f"colors must have equal or more channels than the image provided: "
                                              f"{list(cs)}")
        if cs[0] == 0:
            col = None
    if col is None:
        table = _DEFAULT_COLORS.copy()
        if depth == 1:
            table[:, 0] = 1
        col = Tensor(jnp.asarray(table))
    return dispatch.apply_unrecorded(_draw, x, b, col)


# -- sample_distorted_bounding_box -------------------------------------------------------------
def _rint(v):
    return jnp.round(v).astype(jnp.int32)       # lrintf: round half to even


def _sample_box(image_size, boxes, u, min_cov, *, ar_range, area_range, use_image):
    hh = image_size[0].astype(jnp.int32)
    ww = image_size[1].astype(jnp.int32)
    hf, wf = hh.astype(jnp.float32), ww.astype(jnp.float32)
    ar = u[:, 0] * _F32(ar_range[1] - ar_range[0]) + _F32(ar_range[0])
    min_area = _F32(area_range[0]) * wf * hf
    max_area = _F32(area_range[1]) * wf * hf
    height = _rint(jnp.sqrt(min_area / ar))
    max_h = _rint(jnp.sqrt(max_area / ar))
    alt = ((ww.astype(jnp.float64) + 0.5 - np.float64(_F32(1e-7))) / ar.astype(jnp.float64)).astype(jnp.int32)
    alt = jnp.where(_rint(alt.astype(jnp.float32) * ar) > ww, alt - 1, alt)
    max_h = jnp.where(_rint(max_h.astype(jnp.float32) * ar) > ww, alt, max_h)
    max_h = jnp.minimum(max_h, hh)
    height = jnp.minimum(height, max_h)
    height = height + jnp.where(height < max_h,
                                jnp.floor(u[:, 1] * (max_h - height + 1).astype(jnp.float32)).astype(jnp.int32), 0)
    width = _rint(height.astype(jnp.float32) * ar)
    area = (width * height).astype(jnp.float32)
    grow = area < min_area
    height = jnp.where(grow, height + 1, height)
    width = jnp.where(grow, _rint(height.astype(jnp.float32) * ar), width)
    area = (width * height).astype(jnp.float32)
    ok = area >= min_area
    shrink = area > max_area
    height = jnp.where(shrink, height - 1, height)
    width = jnp.where(shrink, _rint(height.astype(jnp.float32) * ar), width)
    area = (width * height).astype(jnp.float32)
    ok &= area <= max_area
    ok &= (width > 0) & (width <= ww) & (height > 0) & (height <= hh)
    ok &= (area_range[1] > 0) & (ar > 0) & (ww > 0) & (hh > 0) & (area_range[0] <= area_range[1])
    y = jnp.where(height < hh, jnp.floor(u[:, 2] * (hh - height).astype(jnp.float32)).astype(jnp.int32), 0)
    x = jnp.where(width < ww, jnp.floor(u[:, 3] * (ww - width).astype(jnp.float32)).astype(jnp.int32), 0)
    # coverage of the ground-truth boxes (pixel rectangles, truncated like TF's int32 casts)
    bx = boxes.reshape(-1, 4)
    if bx.shape[0] == 0:
        rects = jnp.stack([jnp.int32(0), jnp.int32(0), hh, ww])[None]            # y0, x0, y1, x1
    else:
        rects = jnp.stack([(bx[:, 0] * hf).astype(jnp.int32), (bx[:, 1] * wf).astype(jnp.int32),
                           (bx[:, 2] * hf).astype(jnp.int32), (bx[:, 3] * wf).astype(jnp.int32)], axis=1)
    y1, x1 = y + height, x + width
    py0 = jnp.maximum(y[:, None], rects[None, :, 0])
    px0 = jnp.maximum(x[:, None], rects[None, :, 1])
    py1 = jnp.minimum(y1[:, None], rects[None, :, 2])
    px1 = jnp.minimum(x1[:, None], rects[None, :, 3])
    inter = jnp.where((px0 > px1) | (py0 > py1), 0, (px1 - px0) * (py1 - py0)).astype(jnp.float32)
    obj = ((rects[:, 3] - rects[:, 1]) * (rects[:, 2] - rects[:, 0])).astype(jnp.float32)[None]
    covered = (obj >= 1) & (inter / jnp.where(obj >= 1, obj, 1) >= min_cov)
    ok &= (area >= 1) & jnp.any(covered, axis=1)
    first = jnp.argmax(ok)
    found = jnp.any(ok)
    oy = jnp.where(found, y[first], 0)
    ox = jnp.where(found, x[first], 0)
    th = jnp.where(found, height[first], hh)
    tw = jnp.where(found, width[first], ww)
    dt = image_size.dtype
    begin = jnp.stack([oy, ox, jnp.int32(0)]).astype(dt)
    size = jnp.stack([th, tw, jnp.int32(-1)]).astype(dt)
    bbox = jnp.stack([oy.astype(jnp.float32) / hf, ox.astype(jnp.float32) / wf,
                      (oy + th).astype(jnp.float32) / hf, (ox + tw).astype(jnp.float32) / wf]).reshape(1, 1, 4)
    return begin, size, bbox


def _sdbb(image_size, bounding_boxes, seed, stateless, min_object_covered, aspect_ratio_range, area_range,
          max_attempts, use_image_if_no_bounding_boxes):
    from tfjax._src.ops import random_ops  # noqa: PLC0415
    op = "StatelessSampleDistortedBoundingBox" if stateless else "SampleDistortedBoundingBoxV2"
    isz = convert.tensor(image_size)
    if isz.dtype not in (dtypes.uint8, dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64):
        raise errors.InvalidArgumentError(f"Value for attr 'T' of {convert.tf_type_name(isz.dtype)} is not in the "
                                          f"list of allowed values: uint8, int8, int16, int32, int64\n\t; NodeDef: "
                                          f"{{node {op}}}")
    bb = _typed(bounding_boxes, dtypes.float32)
    mc = convert.tensor(min_object_covered, dtype=dtypes.float32)
    ar_range = tuple(float(v) for v in (aspect_ratio_range or (0.75, 1.33)))
    a_range = tuple(float(v) for v in (area_range or (0.05, 1.0)))
    attempts = int(max_attempts or 100)
    use_image = bool(use_image_if_no_bounding_boxes)
    if isz._value.shape != (3,):
        raise errors.invalid_argument(op, f"image_size must be 1-dimensional with 3 elements, got shape "
                                          f"{list(isz._value.shape)}")
    if bb._value.ndim != 3 or bb._value.shape[-1] != 4:
        raise errors.invalid_argument(op, f"input boxes must be 3-dimensional [batch, num_boxes, coords]: "
                                          f"{list(bb._value.shape)}")
    if len(ar_range) != 2:
        raise errors.invalid_argument(op, "Aspect ratio range field must specify 2 dimensions")
    if len(a_range) != 2:
        raise errors.invalid_argument(op, "Area range field must specify 2 dimensions")
    if not all(0 < v <= 1 for v in a_range):
        raise errors.invalid_argument(op, f"Supplied area range must be in (0.0, 1.0]: {list(a_range)}")
    if not all(v > 0 for v in ar_range):
        raise errors.invalid_argument(op, f"Supplied aspect ratio range must be positive: {list(ar_range)}")
    if attempts <= 0:
        raise errors.invalid_argument(op, f"Max attempts must be positive: {attempts}")
    if convert.is_concrete(mc) and float(np.asarray(mc._value)) < 0:
        raise errors.invalid_argument(op, f"min_object_covered must be non-negative: {float(np.asarray(mc._value))}")
    if convert.is_concrete(isz):
        v = np.asarray(isz._value)
        if v[0] <= 0 or v[1] <= 0:
            raise errors.invalid_argument(op, f"image height and width must be positive, got {v.tolist()}")
    if bb._value.size == 0 and not use_image:
        raise errors.invalid_argument(op, "No bounding boxes provided as input. One must enable "
                                          "use_image_if_no_bounding_boxes if you wish to not provide any bounding boxes.")
    if convert.is_concrete(bb):
        v = np.asarray(bb._value)
        if v.size and (v.min() < 0 or v.max() > 1):
            raise errors.invalid_argument(op, "All bounding box coordinates must be in [0.0, 1.0]")
    if stateless:
        u = random_ops.stateless_uniform([attempts, 4], seed)
    else:
        u = random_ops.uniform([attempts, 4], seed=seed)
    cls = StatelessSampleDistortedBoundingBox if stateless else SampleDistortedBoundingBoxV2
    return cls(*dispatch.apply_unrecorded(_sample_box, isz, bb, u, mc, ar_range=ar_range, area_range=a_range,
                                          use_image=use_image))


def sample_distorted_bounding_box(image_size, bounding_boxes, seed=0, min_object_covered=0.1,
                                  aspect_ratio_range=None, area_range=None, max_attempts=None,
                                  use_image_if_no_bounding_boxes=None, name=None):
    """``tf.image.sample_distorted_bounding_box``: (begin, size, bboxes) for ``tf.slice``."""
    return _sdbb(image_size, bounding_boxes, seed or None, False, min_object_covered, aspect_ratio_range,
                 area_range, max_attempts, use_image_if_no_bounding_boxes)


def stateless_sample_distorted_bounding_box(image_size, bounding_boxes, seed, min_object_covered=0.1,
                                            aspect_ratio_range=None, area_range=None, max_attempts=None,
                                            use_image_if_no_bounding_boxes=None, name=None):
    """``tf.image.stateless_sample_distorted_bounding_box``: deterministic for a given ``seed``."""
    return _sdbb(image_size, bounding_boxes, seed, True, min_object_covered, aspect_ratio_range, area_range,
                 max_attempts, use_image_if_no_bounding_boxes)
