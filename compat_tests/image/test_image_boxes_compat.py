"""tf.image box ops (NMS family, crop_and_resize, draw_bounding_boxes, extract_glimpse,
sample_distorted_bounding_box, sobel_edges, ssim_multiscale) against real TF, computed at test time."""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "core"))

from _plain import plain  # noqa: E402
from _tfdiff import check  # noqa: E402


def _boxes(seed, n, spread=1.0):
    rng = np.random.default_rng(seed)
    c = rng.uniform(0, spread, (n, 2))
    wh = rng.uniform(0.05, 0.4, (n, 2))
    return np.concatenate([c - wh / 2, c + wh / 2], 1).astype(np.float32)


def _scores(seed, n, rounded=False):
    s = np.random.default_rng(seed + 100).uniform(0, 1, n).astype(np.float32)
    return np.round(s, 1).astype(np.float32) if rounded else s


B6 = np.array([[0, 0, 1, 1], [0, 0.1, 1, 1.1], [0, -0.1, 1, 0.9], [0, 10, 1, 11], [0, 10.1, 1, 11.1],
               [0, 100, 1, 101]], np.float32)
S6 = np.array([.9, .75, .6, .95, .5, .3], np.float32)
# flipped corners and an empty box
B6F = B6[:, [2, 3, 0, 1]].copy()
B6F[4] = [0.5, 0.5, 0.5, 0.9]

NMS = {
    "basic": lambda tf: tf.image.non_max_suppression(B6, S6, 3, 0.5),
    "all": lambda tf: tf.image.non_max_suppression(B6, S6, 10, 0.5),
    "flipped": lambda tf: tf.image.non_max_suppression(B6F, S6, 10, 0.5),
    "score_thr": lambda tf: tf.image.non_max_suppression(B6, S6, 10, 0.5, score_threshold=0.55),
    "zero_max": lambda tf: tf.image.non_max_suppression(B6, S6, 0, 0.5),
    "half": lambda tf: tf.image.non_max_suppression(tf.cast(B6, tf.float16), tf.cast(S6, tf.float16), 3, 0.5),
    "err_neg_max": lambda tf: tf.image.non_max_suppression(B6, S6, -1, 0.5),
    "err_iou": lambda tf: tf.image.non_max_suppression(B6, S6, 3, 1.5),
    "err_cols": lambda tf: tf.image.non_max_suppression(B6[:, :3], S6, 3, 0.5),
    "err_scores": lambda tf: tf.image.non_max_suppression(B6, S6[:3], 3, 0.5),
    "err_dtype_mix": lambda tf: tf.image.non_max_suppression(tf.constant(B6), tf.cast(S6, tf.float16), 3, 0.5),
    "err_max_int64": lambda tf: tf.image.non_max_suppression(B6, S6, tf.constant(3, tf.int64), 0.5),
    "with_scores": lambda tf: tf.image.non_max_suppression_with_scores(B6, S6, 6, 0.5),
    "soft": lambda tf: tf.image.non_max_suppression_with_scores(B6, S6, 6, 0.5, soft_nms_sigma=0.5),
    "soft_thr": lambda tf: tf.image.non_max_suppression_with_scores(B6, S6, 6, 0.3, 0.25, soft_nms_sigma=0.3),
    "soft_err_sigma": lambda tf: tf.image.non_max_suppression_with_scores(B6, S6, 6, 0.5, soft_nms_sigma=-1.0),
    "overlaps": lambda tf: tf.image.non_max_suppression_overlaps(
        np.random.default_rng(3).uniform(size=(6, 6)).astype(np.float32), S6, 4, 0.5, 0.4),
    "overlaps_err": lambda tf: tf.image.non_max_suppression_overlaps(np.zeros((6, 5), np.float32), S6, 4),
    "padded_false": lambda tf: tf.image.non_max_suppression_padded(tf.constant(B6), S6, 4, 0.5),
    "padded_true": lambda tf: tf.image.non_max_suppression_padded(tf.constant(B6), S6, 4, 0.5,
                                                                  pad_to_max_output_size=True),
    "padded_thr": lambda tf: tf.image.non_max_suppression_padded(tf.constant(B6), S6, 4, 0.5, score_threshold=0.55),
    "padded_batch": lambda tf: tf.image.non_max_suppression_padded(
        tf.constant(np.stack([B6, B6F])), np.stack([S6, S6[::-1]]), 4, 0.5, pad_to_max_output_size=True),
    "padded_batch_err": lambda tf: tf.image.non_max_suppression_padded(
        tf.constant(np.stack([B6, B6])), np.stack([S6, S6]), 4, 0.5),
}


@pytest.mark.parametrize("name", sorted(NMS))
def test_nms_cases(name):
    check(lambda tf: plain(NMS[name](tf)))


@pytest.mark.parametrize("seed", range(6))
def test_nms_random(seed):
    n = 5 + 4 * seed
    b, s = _boxes(seed, n), _scores(seed, n, rounded=seed % 2 == 0)
    thr = [0.1, 0.3, 0.5, 0.7, 0.0, 1.0][seed]
    st = float("-inf") if seed % 3 == 0 else 0.3

    def snip(tf):
        return (tf.image.non_max_suppression(b, s, n, thr, st),
                tf.image.non_max_suppression_with_scores(b, s, n, thr, st, soft_nms_sigma=0.4),
                tf.image.non_max_suppression_padded(tf.constant(b), s, n - 2, thr, st, pad_to_max_output_size=True,
                                                    tile_size=4))
    check(snip)


@pytest.mark.parametrize("q", [1, 3])
@pytest.mark.parametrize("pad_per_class", [False, True])
def test_combined_nms(q, pad_per_class):
    rng = np.random.default_rng(q)
    n, nc = 7, 3
    bx = (np.stack([np.stack([_boxes(10 * i + j, n) for j in range(q)], 1) for i in range(2)]) * 1.2 - 0.1)
    sc = rng.uniform(size=(2, n, nc)).astype(np.float32)
    check(lambda tf: tuple(tf.image.combined_non_max_suppression(bx, sc, 3, 5, 0.4, 0.2, pad_per_class=pad_per_class)))
    check(lambda tf: tuple(tf.image.combined_non_max_suppression(bx, sc, 2, 20, 0.5, pad_per_class=pad_per_class,
                                                                 clip_boxes=False)))


def test_nms_in_function():
    # unpadded: data-dependent length (tfjax runs that signature eagerly); padded/combined compile.
    def snip(tf):
        f = tf.function(lambda b, s: tf.image.non_max_suppression(b, s, 4, 0.5))
        g = tf.function(lambda b, s: tf.image.non_max_suppression_padded(b, s, 4, 0.5, pad_to_max_output_size=True))
        h = tf.function(lambda b, s: tuple(tf.image.combined_non_max_suppression(b, s, 2, 4)))
        return f(B6, S6), g(tf.constant(B6), tf.constant(S6)), h(tf.constant(B6[None, :, None]),
                                                                 tf.constant(np.stack([S6, S6[::-1]], 1)[None]))
    check(snip)


def test_nms_no_gradient():
    def snip(tf):
        b = tf.constant(B6)
        with tf.GradientTape() as g:
            g.watch(b)
            out = tf.image.non_max_suppression_padded(b, S6, 4, 0.5, pad_to_max_output_size=True)[0]
        return g.gradient(out, b)
    check(snip)


# -- crop_and_resize ----------------------------------------------------------------------------
IMG = np.random.default_rng(7).normal(size=(2, 5, 6, 2)).astype(np.float32)
BOXES = np.array([[0, 0, 1, 1], [0.2, 0.1, 0.9, 1.3], [-0.2, 0.3, 0.4, 0.35], [0.7, 0.93, 0.1, 0.21]], np.float32)
# (flipped box included; no sample coordinate lands on a pixel centre, where the gradient has a kink)
BIDX = np.array([0, 1, 1, 0], np.int32)


@pytest.mark.parametrize("method", ["bilinear", "nearest"])
@pytest.mark.parametrize("crop", [(3, 4), (1, 1), (1, 5), (7, 2)])
def test_crop_and_resize_values_and_grads(method, crop):
    w = np.arange(BOXES.shape[0] * crop[0] * crop[1] * 2, dtype=np.float32).reshape(-1, crop[0], crop[1], 2) / 10

    def snip(tf):
        im, bx = tf.constant(IMG), tf.constant(BOXES)
        with tf.GradientTape(persistent=True) as g:
            g.watch(im)
            g.watch(bx)
            out = tf.image.crop_and_resize(im, bx, BIDX, crop, method=method, extrapolation_value=-2.0)
            loss = tf.reduce_sum(out * w)
        return out, g.gradient(loss, im), g.gradient(loss, bx)
    check(snip, rtol=1e-4, atol=1e-4)


CR = {
    "uint8": lambda tf: tf.image.crop_and_resize(tf.cast(tf.reshape(tf.range(60), [2, 5, 6, 1]), tf.uint8),
                                                 BOXES, BIDX, [3, 3]),
    "float64": lambda tf: tf.image.crop_and_resize(tf.constant(IMG, tf.float64), BOXES, BIDX, [2, 3]),
    "err_method": lambda tf: tf.image.crop_and_resize(IMG, BOXES, BIDX, [3, 3], method="area"),
    "err_index": lambda tf: tf.image.crop_and_resize(IMG, BOXES, [0, 2, 0, 0], [3, 3]),
    "err_crop": lambda tf: tf.image.crop_and_resize(IMG, BOXES, BIDX, [0, 3]),
    "err_idx_shape": lambda tf: tf.image.crop_and_resize(IMG, BOXES, [0], [3, 3]),
    "err_rank": lambda tf: tf.image.crop_and_resize(IMG[0], BOXES, BIDX, [3, 3]),
    "err_boxes_f64": lambda tf: tf.image.crop_and_resize(IMG, tf.constant(BOXES, tf.float64), BIDX, [3, 3]),
    "in_function": lambda tf: tf.function(lambda x, b: tf.image.crop_and_resize(x, b, BIDX, [3, 2]))(
        tf.constant(IMG), tf.constant(BOXES)),
}


@pytest.mark.parametrize("name", sorted(CR))
def test_crop_and_resize_cases(name):
    check(lambda tf: CR[name](tf), rtol=1e-5, atol=1e-5)


def test_crop_and_resize_uint8_grad_boxes():
    def snip(tf):
        im = tf.cast(tf.reshape(tf.range(60), [2, 5, 6, 1]), tf.uint8)
        bx = tf.constant(BOXES)
        with tf.GradientTape() as g:
            g.watch(bx)
            out = tf.image.crop_and_resize(im, bx, BIDX, [3, 3])
        return g.gradient(out, bx)
    check(snip, rtol=1e-4, atol=1e-4)


def test_crop_and_resize_in_dataset_map():
    def snip(tf):
        ds = tf.data.Dataset.from_tensor_slices(IMG).map(
            lambda x: tf.image.crop_and_resize(x[None], BOXES[:2], [0, 0], [2, 2]))
        return [e for e in ds]
    check(snip, rtol=1e-5, atol=1e-5)


# -- draw_bounding_boxes -------------------------------------------------------------------------
@pytest.mark.parametrize("depth", [1, 3, 4])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_draw_bounding_boxes(depth, seed):
    rng = np.random.default_rng(seed)
    h, w = int(rng.integers(1, 8)), int(rng.integers(2, 8))
    img = rng.uniform(size=(2, h, w, depth)).astype(np.float32)
    bx = rng.uniform(-0.4, 1.4, (2, 6, 4)).astype(np.float32)
    cols = rng.uniform(size=(3, 4)).astype(np.float32)
    check(lambda tf: (tf.image.draw_bounding_boxes(img, bx, cols), tf.image.draw_bounding_boxes(img, bx, None)))


DRAW = {
    "half": lambda tf: tf.image.draw_bounding_boxes(tf.zeros([1, 4, 5, 3], tf.float16), [[[0, 0, 1, 1]]],
                                                    [[1, 0, 0, 1]]),
    "err_depth": lambda tf: tf.image.draw_bounding_boxes(tf.zeros([1, 4, 4, 2]), [[[0, 0, 1, 1]]], [[1, 0, 0, 1]]),
    "err_colors": lambda tf: tf.image.draw_bounding_boxes(tf.zeros([1, 4, 4, 3]), [[[0, 0, 1, 1]]], [[1, 0]]),
    "err_uint8": lambda tf: tf.image.draw_bounding_boxes(tf.zeros([1, 4, 4, 3], tf.uint8), [[[0, 0, 1, 1]]],
                                                         [[1, 0, 0, 1]]),
    "err_rank": lambda tf: tf.image.draw_bounding_boxes(tf.zeros([4, 4, 3]), [[[0, 0, 1, 1]]], [[1, 0, 0, 1]]),
    "in_function": lambda tf: tf.function(lambda x: tf.image.draw_bounding_boxes(x, [[[0.1, 0.2, 0.8, 0.9]]], None))(
        tf.zeros([1, 5, 6, 3])),
}


@pytest.mark.parametrize("name", sorted(DRAW))
def test_draw_cases(name):
    check(lambda tf: DRAW[name](tf))


# -- extract_glimpse -----------------------------------------------------------------------------
@pytest.mark.parametrize("centered", [True, False])
@pytest.mark.parametrize("normalized", [True, False])
def test_extract_glimpse_zero_noise(centered, normalized):
    rng = np.random.default_rng(int(centered) * 2 + int(normalized))
    img = rng.normal(size=(2, 6, 7, 2)).astype(np.float32)
    off = (rng.uniform(-1.2, 1.2, (2, 2)) if normalized else rng.uniform(-4, 8, (2, 2))).astype(np.float32)
    check(lambda tf: [tf.image.extract_glimpse(img, sz, off, centered, normalized, noise="zero")
                      for sz in ([3, 3], [1, 5], [8, 9])])


def test_extract_glimpse_uniform_noise_contract():
    # random fill: the in-image part matches TF exactly, the fill lies in [min, max] of the image
    import tensorflow as tf_real

    import tfjax
    img = np.random.default_rng(0).normal(size=(1, 4, 4, 1)).astype(np.float32)
    off = np.array([[0.0, 0.0]], np.float32)
    a = tf_real.image.extract_glimpse(img, [6, 6], off, noise="uniform").numpy()
    b = tfjax.image.extract_glimpse(img, [6, 6], off, noise="uniform").numpy()
    inside = np.zeros_like(a, bool)
    inside[:, 1:5, 1:5] = True
    np.testing.assert_array_equal(a[inside], b[inside])
    assert b[~inside].min() >= img.min() and b[~inside].max() <= img.max()


# -- sample_distorted_bounding_box ---------------------------------------------------------------
def _check_sample(begin, size, bboxes, h, w, dtype):
    begin, size, bboxes = np.asarray(begin), np.asarray(size), np.asarray(bboxes)
    assert begin.dtype == dtype and size.dtype == dtype and bboxes.dtype == np.float32
    assert begin.shape == (3,) and size.shape == (3,) and bboxes.shape == (1, 1, 4)
    assert begin[2] == 0 and size[2] == np.array(-1).astype(dtype)
    assert 0 <= begin[0] and begin[0] + size[0] <= h and 0 <= begin[1] and begin[1] + size[1] <= w
    np.testing.assert_allclose(bboxes[0, 0], [begin[0] / h, begin[1] / w, (begin[0] + size[0]) / h,
                                              (begin[1] + size[1]) / w], rtol=1e-6)


@pytest.mark.parametrize("dtype", ["int32", "int64", "uint8"])
def test_sample_distorted_bounding_box_contract(dtype):
    import tensorflow as tf_real

    import tfjax
    for tf in (tf_real, tfjax):
        isz = tf.constant([40, 30, 3], getattr(tf, dtype))
        boxes = tf.constant([[[0.1, 0.2, 0.5, 0.6]]])
        for seed in range(5):
            out = tf.image.stateless_sample_distorted_bounding_box(
                isz, boxes, seed=[seed, 1], min_object_covered=0.3, area_range=(0.1, 0.6),
                aspect_ratio_range=(0.5, 2.0))
            b, s, bb = (np.asarray(t.numpy()) for t in out)
            _check_sample(b, s, bb, 40, 30, np.dtype(dtype))
            area = s[0] * s[1] / (40 * 30)
            if not (s[0] == 40 and s[1] == 30):          # not the whole-image fallback
                assert area <= 0.6 + 1e-6
                y0, x0, y1, x1 = 4, 6, 20, 18         # the box in pixels
                inter = max(0, min(b[0] + s[0], y1) - max(b[0], y0)) * max(0, min(b[1] + s[1], x1) - max(b[1], x0))
                assert inter / ((y1 - y0) * (x1 - x0)) >= 0.3
        o = tf.image.sample_distorted_bounding_box(isz, boxes, min_object_covered=0.1)
        _check_sample(*(t.numpy() for t in o), 40, 30, np.dtype(dtype))
        assert type(o).__name__ == "SampleDistortedBoundingBoxV2"


def test_stateless_sample_distorted_bounding_box_deterministic():
    import tfjax as tf

    def run(seed):
        return [t.numpy() for t in tf.image.stateless_sample_distorted_bounding_box(
            [64, 48, 3], [[[0.0, 0.0, 1.0, 1.0]]], seed=seed, area_range=(0.05, 0.5))]
    a, b, c = run([1, 2]), run([1, 2]), run([3, 4])
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    runs = [run([i, 7]) for i in range(8)]
    assert len({tuple(r[0].tolist() + r[1].tolist()) for r in runs}) > 1
    f = tf.function(lambda s: tuple(tf.image.stateless_sample_distorted_bounding_box(
        [64, 48, 3], [[[0.0, 0.0, 1.0, 1.0]]], seed=s, area_range=(0.05, 0.5))))
    assert all(np.array_equal(x.numpy(), y) for x, y in zip(f(tf.constant([1, 2])), a))
    del c


SDBB = {
    "no_boxes_use_image": lambda tf: tf.image.stateless_sample_distorted_bounding_box(
        [8, 6, 3], tf.zeros([1, 0, 4]), seed=[1, 2], use_image_if_no_bounding_boxes=True, area_range=(1.0, 1.0),
        aspect_ratio_range=(0.75, 0.75)),
    "err_no_boxes": lambda tf: tf.image.sample_distorted_bounding_box([8, 6, 3], tf.zeros([1, 0, 4])),
    "err_coords": lambda tf: tf.image.sample_distorted_bounding_box([8, 6, 3], [[[0, 0, 1, 2]]]),
    "err_area": lambda tf: tf.image.sample_distorted_bounding_box([8, 6, 3], [[[0, 0, 1, 1]]], area_range=(0, 1)),
    "err_cover": lambda tf: tf.image.sample_distorted_bounding_box([8, 6, 3], [[[0, 0, 1, 1]]],
                                                                   min_object_covered=-1),
    "err_ratio": lambda tf: tf.image.sample_distorted_bounding_box([8, 6, 3], [[[0, 0, 1, 1]]],
                                                                   aspect_ratio_range=(0, 1)),
    "err_float_size": lambda tf: tf.image.sample_distorted_bounding_box(tf.constant([8, 6, 3], tf.float32),
                                                                        [[[0, 0, 1, 1]]]),
}


@pytest.mark.parametrize("name", sorted(SDBB))
def test_sample_distorted_cases(name):
    check(lambda tf: tuple(SDBB[name](tf)))


# -- sobel / ms-ssim ------------------------------------------------------------------------------
def test_sobel_edges_values_and_grad():
    img = np.random.default_rng(0).uniform(size=(2, 7, 6, 3)).astype(np.float32)

    def snip(tf):
        x = tf.constant(img)
        with tf.GradientTape() as g:
            g.watch(x)
            out = tf.image.sobel_edges(x)
            loss = tf.reduce_sum(out * out)
        return out, g.gradient(loss, x), tf.image.sobel_edges(tf.constant(img, tf.float64))
    check(snip, rtol=1e-5, atol=1e-5)


def test_sobel_edges_errors():
    check(lambda tf: tf.image.sobel_edges(tf.zeros([2, 3, 3, 1], tf.int32)))


@pytest.mark.parametrize("power", [(0.0448, 0.2856, 0.3001, 0.2363, 0.1333), (0.5, 0.5), (1.0,)])
def test_ssim_multiscale(power):
    rng = np.random.default_rng(0)
    a = rng.uniform(size=(2, 50, 45, 3)).astype(np.float32)
    b = np.clip(a + rng.normal(0, 0.1, a.shape), 0, 1).astype(np.float32)
    au8, bu8 = (a * 255).astype(np.uint8), (b * 255).astype(np.uint8)

    def snip(tf):
        x, y = tf.constant(a), tf.constant(b)
        with tf.GradientTape() as g:
            g.watch(x)
            v = tf.image.ssim_multiscale(x, y, 1.0, power_factors=power, filter_size=3)
        return v, g.gradient(v, x), tf.image.ssim_multiscale(au8, bu8, 255, power_factors=power, filter_size=3)
    check(snip, rtol=1e-4, atol=1e-5)
