"""``tf.image`` non-max suppression: ``non_max_suppression`` (+ ``_with_scores``, ``_overlaps``,
``_padded``) and ``combined_non_max_suppression``.

The unpadded variants (TF kernels NonMaxSuppressionV3/V5/WithOverlaps) have a data-dependent
output length: they run on the host with TF's exact greedy algorithm (a priority queue, ties to
the lower index, soft-NMS re-queueing), and inside ``tf.function`` they raise the symbolic-value
error, so that signature runs eagerly (the same rule as ``tf.where(condition)``).

``non_max_suppression_padded`` is TF's own tiled Python algorithm (including its quirks: a box
with no positive coordinate counts as suppressed, suppression is ``iou >= threshold``,
coordinates are canonicalized from the first box only) and ``combined_non_max_suppression`` is a
per-class greedy NMS followed by a stable sort; both have static output shapes and are written in
JAX, so they compile inside ``tf.function``. None of these ops has a gradient (as in TF).
"""

from __future__ import annotations

import collections
import heapq

import jax
import jax.numpy as jnp
import numpy as np

from tfjax._src import dispatch
from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src.ops import convert
from tfjax._src.tensor import Tensor

_FLOATS = (dtypes.float16, dtypes.float32)

CombinedNonMaxSuppression = collections.namedtuple(
    "CombinedNonMaxSuppression", ["nmsed_boxes", "nmsed_scores", "nmsed_classes", "valid_detections"])


def _float_input(x, op, index, name, like=None):
    t = convert.tensor(x, dtype_hint=dtypes.float32) if like is None else _like(x, like, op, index)
    if t.dtype not in _FLOATS:
        if like is None:
            raise errors.InvalidArgumentError(
                f"Value for attr '{name}' of {convert.tf_type_name(t.dtype)} is not in the list of allowed "
                f"values: half, float\n\t; NodeDef: {{node {op}}}")
    return t


def _like(x, like, op, index):
    if isinstance(x, Tensor) or hasattr(x, "_read_array"):
        t = convert.tensor(x)
        if t.dtype is not like.dtype:
            raise convert._mismatch(op, index, like.dtype, t.dtype)
        return t
    return convert.tensor(x, dtype=like.dtype)


def _int32_scalar(x, op, index, what):
    if isinstance(x, float):
        raise TypeError(f"Cannot convert {x!r} to EagerTensor of dtype int32")
    t = convert.tensor(x, dtype_hint=dtypes.int32)
    if t.dtype is not dtypes.int32:
        raise convert._mismatch(op, index, dtypes.int32, t.dtype)
    if t._value.ndim != 0:
        raise errors.invalid_argument(op, f"{what} must be 0-D, got shape {list(t._value.shape)}")
    return t


def _thr_scalar(x, op, index, attr="T_threshold"):
    if isinstance(x, (Tensor,)) or hasattr(x, "_read_array"):
        t = convert.tensor(x)
    else:
        t = convert.tensor(x, dtype=dtypes.float32)
    if t.dtype not in _FLOATS:
        raise errors.InvalidArgumentError(
            f"Value for attr '{attr}' of {convert.tf_type_name(t.dtype)} is not in the list of allowed "
            f"values: half, float\n\t; NodeDef: {{node {op}}}")
    return t


def _concrete(ts, what):
    for t in ts:
        if not convert.is_concrete(t):
            raise convert.data_dependent(what, "use non_max_suppression_padded for a fixed-size result")
    return [np.asarray(t._value) for t in ts]


def _check_boxes_scores(op, boxes, scores):
    if boxes.ndim != 2:
        raise errors.invalid_argument(op, f"boxes must be 2-D{list(boxes.shape)}")
    if boxes.shape[1] != 4:
        raise errors.invalid_argument(op, f"boxes must have 4 columns (Dimension must be 4 but is {boxes.shape[1]})")
    if scores.ndim != 1 or scores.shape[0] != boxes.shape[0]:
        raise errors.invalid_argument(op, f"scores has incompatible shape (Dimensions must be equal, but are "
                                          f"{boxes.shape[0]} and {scores.shape[-1] if scores.ndim else 0})")


def _iou_fn(boxes):
    """TF's IOU(boxes, i, j) in the boxes' dtype: canonicalized corners, 0 for empty boxes."""
    b = boxes
    ymin = np.minimum(b[:, 0], b[:, 2])
    xmin = np.minimum(b[:, 1], b[:, 3])
    ymax = np.maximum(b[:, 0], b[:, 2])
    xmax = np.maximum(b[:, 1], b[:, 3])
    area = (ymax - ymin) * (xmax - xmin)
    zero = b.dtype.type(0)

    def iou(i, sel):
        sel = np.asarray(sel, dtype=np.int64)
        iy0 = np.maximum(ymin[i], ymin[sel])
        ix0 = np.maximum(xmin[i], xmin[sel])
        iy1 = np.minimum(ymax[i], ymax[sel])
        ix1 = np.minimum(xmax[i], xmax[sel])
        inter = np.maximum(iy1 - iy0, zero) * np.maximum(ix1 - ix0, zero)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = inter / (area[i] + area[sel] - inter)
        return np.where((area[i] <= 0) | (area[sel] <= 0), zero, out).astype(b.dtype)
    return iou


def _greedy(sim_fn, scores, max_out, sim_thr, score_thr, soft_sigma=None):
    """TF's DoNonMaxSuppressionOp: returns (selected indices, selected scores)."""
    dt = scores.dtype.type
    scale = dt(-0.5) / dt(soft_sigma) if soft_sigma else None
    heap = [(-scores[i], i, scores[i], 0) for i in range(scores.shape[0]) if scores[i] > score_thr]
    heapq.heapify(heap)
    selected, sel_scores = [], []
    while len(selected) < max_out and heap:
        _, idx, score, begin = heapq.heappop(heap)
        original = score
        hard = False
        if begin < len(selected):
            sims = sim_fn(idx, selected[begin:][::-1])
            for s in sims:
                if scale is None:
                    if s > sim_thr:
                        hard = True
                        break
                else:
                    score = dt(score * dt(np.exp(scale * s * s)))
                    if score <= score_thr:
                        break
        begin = len(selected)
        if hard:
            continue
        if score == original:
            selected.append(idx)
            sel_scores.append(score)
        elif score > score_thr:
            heapq.heappush(heap, (-score, idx, score, begin))
    return selected, sel_scores


def _wrap_np(arr):
    from tfjax._src.io import host  # noqa: PLC0415
    return host.wrap(np.asarray(arr))


def _nms(op, boxes, scores, max_output_size, iou_threshold, score_threshold, soft_sigma=None,
         pad_to_max_output_size=False, with_scores=False):
    b = _float_input(boxes, op, 0, "T")
    s = _like(scores, b, op, 1)
    m = _int32_scalar(max_output_size, op, 2, "max_output_size")
    it = _thr_scalar(iou_threshold, op, 3)
    st = _thr_scalar(score_threshold, op, 4) if with_scores else _like(score_threshold, it, op, 4)
    sig = _like(soft_sigma, b, op, 5) if with_scores else None
    bn, sn, mn, itn, stn = _concrete([b, s, m, it, st] + ([sig] if sig is not None else []), f"tf.image.{op}")[:5]
    sigma = float(np.asarray(sig._value)) if sig is not None else 0.0
    mn = int(mn)
    if mn < 0:
        raise errors.invalid_argument(op, "output size must be non-negative")
    if not 0 <= float(itn) <= 1:
        raise errors.invalid_argument(op, "iou_threshold must be in [0, 1]")
    if sigma < 0:
        raise errors.invalid_argument(op, "soft_nms_sigma_val must be >= 0")
    _check_boxes_scores(op, bn, sn)
    sel, sc = _greedy(_iou_fn(bn), sn, mn, bn.dtype.type(itn), sn.dtype.type(stn), sigma or None)
    idx = np.asarray(sel, np.int32)
    scs = np.asarray(sc, sn.dtype)
    n_valid = idx.shape[0]
    if pad_to_max_output_size:
        idx = np.concatenate([idx, np.zeros(mn - n_valid, np.int32)])
        scs = np.concatenate([scs, np.zeros(mn - n_valid, sn.dtype)])
    return _wrap_np(idx), _wrap_np(scs), n_valid


def non_max_suppression(boxes, scores, max_output_size, iou_threshold=0.5, score_threshold=float("-inf"),
                        name=None):
    """``tf.image.non_max_suppression`` (NonMaxSuppressionV3): int32 indices, by descending score."""
    return _nms("NonMaxSuppressionV3", boxes, scores, max_output_size, iou_threshold, score_threshold)[0]


def non_max_suppression_with_scores(boxes, scores, max_output_size, iou_threshold=0.5,
                                    score_threshold=float("-inf"), soft_nms_sigma=0.0, name=None):
    """``tf.image.non_max_suppression_with_scores`` (NonMaxSuppressionV5; soft-NMS when sigma > 0)."""
    idx, scs, _ = _nms("NonMaxSuppressionV5", boxes, scores, max_output_size, iou_threshold, score_threshold,
                       soft_sigma=soft_nms_sigma, with_scores=True)
    return idx, scs


def non_max_suppression_overlaps(overlaps, scores, max_output_size, overlap_threshold=0.5,
                                 score_threshold=float("-inf"), name=None):
    """``tf.image.non_max_suppression_overlaps``: greedy NMS over a precomputed [n, n] overlap matrix."""
    op = "NonMaxSuppressionWithOverlaps"
    ov = convert.tensor(overlaps, dtype_hint=dtypes.float32)
    if ov.dtype is not dtypes.float32:
        raise convert._mismatch(op, 0, dtypes.float32, ov.dtype)
    s = _like(scores, ov, op, 1)
    m = _int32_scalar(max_output_size, op, 2, "max_output_size")
    ot = _like(overlap_threshold, ov, op, 3)
    st = _like(score_threshold, ov, op, 4)
    on, sn, mn, otn, stn = _concrete([ov, s, m, ot, st], f"tf.image.{op}")
    if on.ndim != 2:
        raise errors.invalid_argument(op, f"overlaps must be 2-D{list(on.shape)}")
    if on.shape[0] != on.shape[1]:
        raise errors.invalid_argument(op, f"overlaps must be square{list(on.shape)}")
    if sn.ndim != 1 or sn.shape[0] != on.shape[0]:
        raise errors.invalid_argument(op, f"scores has incompatible shape (Dimensions must be equal, but are "
                                          f"{on.shape[0]} and {sn.shape[-1] if sn.ndim else 0})")
    if int(mn) < 0:
        raise errors.invalid_argument(op, "output size must be non-negative")
    sel, _ = _greedy(lambda i, sel: on[i, np.asarray(sel, np.int64)], sn, int(mn), on.dtype.type(otn),
                     sn.dtype.type(stn))
    return _wrap_np(np.asarray(sel, np.int32))


# -- padded (TF's tiled algorithm, in JAX) ---------------------------------------------------
def _bbox_overlap(a, b):
    ay0, ax0, ay1, ax1 = (a[..., k:k + 1] for k in range(4))
    by0, bx0, by1, bx1 = (jnp.swapaxes(b[..., k:k + 1], 1, 2) for k in range(4))
    i_area = jnp.maximum(jnp.minimum(ax1, bx1) - jnp.maximum(ax0, bx0), 0) * \
        jnp.maximum(jnp.minimum(ay1, by1) - jnp.maximum(ay0, by0), 0)
    a_area = (ay1 - ay0) * (ax1 - ax0)
    b_area = (by1 - by0) * (bx1 - bx0)
    return i_area / (a_area + b_area - i_area + np.float32(1e-8))


_Z = np.int32(0)


def _padded_nms(boxes, scores, thr, score_thr, *, max_out, sorted_input, canonical, tile, use_score_thr):
    lead = boxes.shape[:-2]
    n = boxes.shape[-2]
    boxes = boxes.reshape((-1, n, 4))
    scores = scores.reshape((-1, n))
    bsz = boxes.shape[0]
    if use_score_thr:
        mask = (scores > score_thr).astype(scores.dtype)
        scores = scores * mask
        boxes = boxes * mask.astype(boxes.dtype)[..., None]
    if not canonical:
        y1, x1, y2, x2 = (boxes[..., k:k + 1] for k in range(4))
        ymin, ymax = jax.lax.cond(y1[0, 0, 0] <= y2[0, 0, 0], lambda: (y1, y2), lambda: (y2, y1))
        xmin, xmax = jax.lax.cond(x1[0, 0, 0] <= x2[0, 0, 0], lambda: (x1, x2), lambda: (x2, x1))
        boxes = jnp.concatenate([ymin, xmin, ymax, xmax], axis=2)
    if not sorted_input:
        order = jnp.argsort(-scores.astype(jnp.float32), axis=1, stable=True).astype(jnp.int32)
        boxes = jnp.take_along_axis(boxes, order[..., None], axis=1)
    else:
        order = jnp.zeros_like(scores, jnp.int32)
    padded_n = -(-builtins_max(n, max_out) // tile) * tile
    pad = padded_n - n
    boxes = jnp.pad(boxes.astype(jnp.float32), [(0, 0), (0, pad), (0, 0)])
    num_tiles = padded_n // tile
    thr = thr.astype(jnp.float32)
    tri = (jnp.arange(tile)[None, :] > jnp.arange(tile)[:, None])[None]

    def self_suppress(iou):
        def cond(c):
            return c[1]

        def body(c):
            iou, _, s = c
            can = (jnp.max(iou, axis=1) < thr).astype(iou.dtype).reshape(bsz, -1, 1)
            after = (jnp.max(can * iou, axis=1) < thr).astype(iou.dtype).reshape(bsz, -1, 1) * iou
            s_new = jnp.sum(after, axis=(1, 2))
            return after, jnp.any(s - s_new > thr), s_new
        return jax.lax.while_loop(cond, body, (iou, jnp.array(True), jnp.sum(iou, axis=(1, 2))))[0]

    def outer_cond(c):
        _, out_size, idx = c
        return (jnp.min(out_size) < max_out) & (idx < num_tiles)

    def outer_body(c):
        boxes, out_size, idx = c
        box_slice = jax.lax.dynamic_slice(boxes, (_Z, idx * tile, _Z), (bsz, tile, 4))

        def cross(cc):
            bs, j = cc
            new_slice = jax.lax.dynamic_slice(boxes, (_Z, j * tile, _Z), (bsz, tile, 4))
            iou = _bbox_overlap(new_slice, bs)
            return jnp.all(iou < thr, axis=1).astype(bs.dtype)[..., None] * bs, j + 1
        box_slice = jax.lax.while_loop(lambda cc: cc[1] < idx, cross, (box_slice, jnp.int32(0)))[0]
        iou = _bbox_overlap(box_slice, box_slice)
        iou = iou * (tri & (iou >= thr)).astype(iou.dtype)
        suppressed = jnp.sum(self_suppress(iou), axis=1) > 0
        box_slice = box_slice * (1.0 - suppressed.astype(box_slice.dtype))[..., None]
        boxes = jax.lax.dynamic_update_slice(boxes, box_slice, (_Z, idx * tile, _Z))
        out_size = out_size + jnp.sum(jnp.any(box_slice > 0, axis=2).astype(jnp.int32), axis=1, dtype=jnp.int32)
        return boxes, out_size, idx + 1

    sel, out_size, _ = jax.lax.while_loop(outer_cond, outer_body,
                                          (boxes, jnp.zeros((bsz,), jnp.int32), jnp.int32(0)))
    num_valid = jnp.minimum(out_size, max_out)
    keyed = jnp.any(sel > 0, axis=2).astype(jnp.int32) * jnp.arange(padded_n, 0, -1, dtype=jnp.int32)[None]
    idx = padded_n - jax.lax.top_k(keyed, max_out)[0]
    idx = jnp.minimum(idx, n - 1)
    if not sorted_input:
        idx = jnp.take_along_axis(order, idx, axis=1)
    idx = jnp.where(jnp.arange(max_out)[None] < num_valid[:, None], idx, 0)
    return idx.reshape(lead + (max_out,)), num_valid.reshape(lead)


def builtins_max(a, b):
    return a if a >= b else b


def non_max_suppression_padded(boxes, scores, max_output_size, iou_threshold=0.5, score_threshold=float("-inf"),
                               pad_to_max_output_size=False, name=None, sorted_input=False,
                               canonicalized_coordinates=False, tile_size=512):
    """``tf.image.non_max_suppression_padded``: TF's tiled algorithm (batched input allowed when padding)."""
    b = convert.tensor(boxes, dtype_hint=dtypes.float32)
    s = convert.tensor(scores, dtype_hint=dtypes.float32)
    if not pad_to_max_output_size and b._value.ndim > 2:
        raise ValueError(f"'pad_to_max_output_size' (value {pad_to_max_output_size}) must be True for batched input")
    m = convert.static_int(max_output_size, "max_output_size")
    it = convert.tensor(iou_threshold, dtype_hint=dtypes.float32)
    st = convert.tensor(score_threshold, dtype_hint=dtypes.float32)
    use_st = not (isinstance(score_threshold, (int, float)) and score_threshold == float("-inf"))
    idx, num_valid = dispatch.apply_unrecorded(_padded_nms, b, s, it, st, max_out=m, sorted_input=bool(sorted_input),
                                    canonical=bool(canonicalized_coordinates), tile=int(tile_size), use_score_thr=use_st)
    if not pad_to_max_output_size:
        if b._value.ndim == 2:
            idx = Tensor(idx._value.reshape(m))
        nv = num_valid
        if not convert.is_concrete(nv):
            raise convert.data_dependent("tf.image.non_max_suppression_padded(pad_to_max_output_size=False)")
        idx = Tensor(idx._value[:int(np.asarray(nv._value))])
    return idx, num_valid


# -- combined ----------------------------------------------------------------------------------
def _greedy_mask(boxes, scores, thr, score_thr, max_out):
    """Hard greedy NMS in JAX on one class: (order, keep mask in that order)."""
    n = scores.shape[0]
    order = jnp.argsort(-scores, stable=True)
    b = boxes[order]
    s = scores[order]
    ymin = jnp.minimum(b[:, 0], b[:, 2])
    ymax = jnp.maximum(b[:, 0], b[:, 2])
    xmin = jnp.minimum(b[:, 1], b[:, 3])
    xmax = jnp.maximum(b[:, 1], b[:, 3])
    area = (ymax - ymin) * (xmax - xmin)
    inter = jnp.maximum(jnp.minimum(ymax[:, None], ymax[None]) - jnp.maximum(ymin[:, None], ymin[None]), 0) * \
        jnp.maximum(jnp.minimum(xmax[:, None], xmax[None]) - jnp.maximum(xmin[:, None], xmin[None]), 0)
    union = area[:, None] + area[None] - inter
    valid_area = (area[:, None] > 0) & (area[None] > 0)
    iou = jnp.where(valid_area, inter / jnp.where(valid_area, union, 1), 0)
    cand = s > score_thr

    def body(i, keep):
        sup = jnp.any(keep & (iou[i] > thr))
        k = cand[i] & ~sup & (jnp.sum(keep) < max_out)
        return keep.at[i].set(k)
    keep = jax.lax.fori_loop(0, n, body, jnp.zeros((n,), bool))
    return order, keep


def _combined(boxes, scores, thr, score_thr, *, per_class, total, pad_per_class, clip):
    bsz, n, q, _ = boxes.shape
    nc = scores.shape[2]
    k = min(per_class, n)

    def one_class(bx, sc):
        order, keep = _greedy_mask(bx, sc, thr, score_thr, per_class)
        compact = order[jnp.argsort(~keep, stable=True)][:k]
        valid = jnp.arange(k) < jnp.sum(keep)
        return compact, valid

    def one_image(bx, sc):
        bxc = jnp.broadcast_to(bx, (n, nc, 4)) if q == 1 else bx
        comp, valid = jax.vmap(one_class, in_axes=(1, 1))(bxc, sc)    # [nc, k]
        cls = jnp.broadcast_to(jnp.arange(nc)[:, None], comp.shape)
        s_sel = sc[comp, cls]
        b_sel = bxc[comp, cls]
        comp_valid = valid.reshape(-1)
        s_flat = s_sel.reshape(-1)
        o = jnp.lexsort((-s_flat.astype(jnp.float32), ~comp_valid))
        return b_sel.reshape(-1, 4)[o], s_flat[o], cls.reshape(-1)[o], comp_valid[o], jnp.sum(comp_valid)

    bs, ss, cs, vs, nv = jax.vmap(one_image)(boxes, scores)
    size = min(per_class * nc, total) if pad_per_class else total
    avail = bs.shape[1]
    if avail < size:
        padn = size - avail
        bs = jnp.pad(bs, [(0, 0), (0, padn), (0, 0)])
        ss = jnp.pad(ss, [(0, 0), (0, padn)])
        cs = jnp.pad(cs, [(0, 0), (0, padn)])
        vs = jnp.pad(vs, [(0, 0), (0, padn)])
    bs, ss, cs, vs = bs[:, :size], ss[:, :size], cs[:, :size], vs[:, :size]
    if clip:
        bs = jnp.clip(bs, 0.0, 1.0)
    bs = jnp.where(vs[..., None], bs, 0).astype(jnp.float32)
    ss = jnp.where(vs, ss, 0).astype(jnp.float32)
    cs = jnp.where(vs, cs, 0).astype(jnp.float32)
    return bs, ss, cs, jnp.minimum(nv, size).astype(jnp.int32)


def combined_non_max_suppression(boxes, scores, max_output_size_per_class, max_total_size, iou_threshold=0.5,
                                 score_threshold=float("-inf"), pad_per_class=False, clip_boxes=True, name=None):
    """``tf.image.combined_non_max_suppression``: per-class greedy NMS over a batch, merged by score."""
    op = "CombinedNonMaxSuppression"
    b = convert.tensor(boxes, dtype_hint=dtypes.float32)
    s = convert.tensor(scores, dtype_hint=dtypes.float32)
    for i, t in enumerate((b, s)):
        if t.dtype is not dtypes.float32:
            raise convert._mismatch(op, i, dtypes.float32, t.dtype)
    per_class = convert.static_int(max_output_size_per_class, "max_output_size_per_class")
    total = convert.static_int(max_total_size, "max_total_size")
    bs, ss = b._value.shape, s._value.shape
    if len(bs) != 4 or bs[3] != 4:
        raise errors.invalid_argument(op, f"boxes must be 4-D [batch, num_boxes, q, 4], got {list(bs)}")
    if len(ss) != 3 or ss[:2] != bs[:2]:
        raise errors.invalid_argument(op, f"scores must be 3-D [batch, num_boxes, num_classes] matching boxes, "
                                          f"got {list(ss)}")
    if bs[2] not in (1, ss[2]):
        raise errors.invalid_argument(op, f"third dimension of boxes must be either 1 or {ss[2]}")
    if per_class <= 0:
        raise errors.invalid_argument(op, "max_size_per_class must be positive")
    if total <= 0:
        raise errors.invalid_argument(op, "max_total_size must be > 0")
    it = convert.tensor(iou_threshold, dtype=dtypes.float32)
    if convert.is_concrete(it) and not 0 <= float(np.asarray(it._value)) <= 1:
        raise errors.invalid_argument(op, "iou_threshold must be in [0, 1]")
    st = convert.tensor(score_threshold, dtype=dtypes.float32)
    return CombinedNonMaxSuppression(*dispatch.apply_unrecorded(_combined, b, s, it, st, per_class=per_class, total=total,
                                pad_per_class=bool(pad_per_class), clip=bool(clip_boxes)))
