"""Gradients of the main differentiable ops: tfjax's GradientTape vs TF's, same inputs."""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from _tfdiff import check  # noqa: E402

rng = np.random.default_rng(0)
X = rng.uniform(-2, 2, (3, 4)).astype(np.float32)
Y = rng.uniform(-2, 2, (3, 4)).astype(np.float32)
POS = rng.uniform(0.5, 3, (3, 4)).astype(np.float32)
SQ = (rng.uniform(-1, 1, (3, 3)) + 3 * np.eye(3)).astype(np.float64)
PD = (SQ @ SQ.T).astype(np.float64)
IMG = rng.uniform(0, 1, (2, 5, 5, 2)).astype(np.float32)
W = rng.uniform(-1, 1, (3, 3, 2, 3)).astype(np.float32)
TIE = np.array([0.0, 1.0, -1.0, 2.0], np.float32)


def grad(fn, *arrays):
    def snippet(tf):
        xs = [tf.constant(a) for a in arrays]
        with tf.GradientTape() as t:
            for x in xs:
                t.watch(x)
            y = fn(tf, *xs)
        return t.gradient(y, xs)
    return snippet


CASES = [
    ("add", lambda tf, x, y: x + y * 2.0, X, Y),
    ("mul_div", lambda tf, x, y: x * y / (tf.abs(y) + 1.0), X, Y),
    ("pow", lambda tf, x, y: tf.pow(x, y), POS, Y),
    ("exp_log", lambda tf, x: tf.math.log(tf.exp(x) + 1.0), X),
    ("sqrt_rsqrt", lambda tf, x: tf.sqrt(x) + tf.math.rsqrt(x), POS),
    ("trig", lambda tf, x: tf.sin(x) * tf.cos(x) + tf.tanh(x) + tf.math.atan(x), X),
    ("sigmoid_softplus", lambda tf, x: tf.sigmoid(x) + tf.math.softplus(x) + tf.math.log_sigmoid(x), X),
    ("abs_at_zero", lambda tf, x: tf.abs(x), TIE),
    ("maximum_ties", lambda tf, x, y: tf.maximum(x, y), TIE, np.zeros(4, np.float32)),
    ("minimum_ties", lambda tf, x, y: tf.minimum(x, y), TIE, np.zeros(4, np.float32)),
    ("relu_at_zero", lambda tf, x: tf.nn.relu(x) + tf.nn.relu6(x * 4.0), TIE),
    ("elu_selu_gelu", lambda tf, x: tf.nn.elu(x) + tf.nn.selu(x) + tf.nn.gelu(x) + tf.nn.leaky_relu(x), X),
    ("softmax", lambda tf, x: tf.nn.softmax(x) * tf.range(4, dtype=tf.float32), X),
    ("log_softmax", lambda tf, x: tf.nn.log_softmax(x, axis=0)[0], X),
    ("reduce_sum_mean", lambda tf, x: tf.reduce_sum(x, axis=0) + tf.reduce_mean(x), X),
    ("reduce_max", lambda tf, x: tf.reduce_max(x, axis=1), X),
    ("reduce_logsumexp", lambda tf, x: tf.reduce_logsumexp(x, axis=1), X),
    ("reduce_std", lambda tf, x: tf.math.reduce_std(x) + tf.math.reduce_variance(x, axis=0), X),
    ("euclidean_norm", lambda tf, x: tf.math.reduce_euclidean_norm(x, axis=1), X),
    ("prod", lambda tf, x: tf.reduce_prod(x, axis=0), X),
    ("cumsum_cumprod", lambda tf, x: tf.math.cumsum(x, axis=1, exclusive=True) + tf.math.cumprod(x, reverse=True), X),
    ("matmul", lambda tf, x, y: tf.matmul(x, y, transpose_b=True), X, Y),
    ("einsum", lambda tf, x, y: tf.einsum("ij,ij->i", x, y), X, Y),
    ("tensordot", lambda tf, x, y: tf.tensordot(x, y, [[1], [1]]), X, Y),
    ("gather", lambda tf, x: tf.gather(x, [0, 2, 2], axis=0), X),
    ("gather_nd", lambda tf, x: tf.gather_nd(x, [[0, 1], [2, 3], [0, 1]]), X),
    ("concat_stack_split", lambda tf, x, y: tf.split(tf.concat([x, tf.stack([y[0], y[1]])], 0), 5)[1] * 3.0, X, Y),
    ("reshape_transpose", lambda tf, x: tf.transpose(tf.reshape(x, [4, 3])) * tf.range(4, dtype=tf.float32), X),
    ("slice_getitem", lambda tf, x: x[1:, ::2] * 2.0 + tf.slice(x, [0, 1], [2, 2])[0, 0], X),
    ("tile_pad", lambda tf, x: tf.pad(tf.tile(x, [1, 2]), [[1, 0], [0, 2]], "REFLECT"), X),
    ("where", lambda tf, x, y: tf.where(x > 0, x * y, y), X, Y),
    ("clip", lambda tf, x: tf.clip_by_value(x, -1.0, 1.0) + tf.clip_by_norm(x, 2.0), X),
    ("l2_normalize", lambda tf, x: tf.math.l2_normalize(x, axis=1), X),
    ("segment", lambda tf, x: tf.math.unsorted_segment_sum(x, [0, 1, 0], 2) + tf.math.segment_max(x, [0, 0, 1])[0], X),
    ("top_k", lambda tf, x: tf.math.top_k(x, 2).values, X),
    ("sort", lambda tf, x: tf.sort(x, axis=1) * tf.range(4, dtype=tf.float32), X),
    ("xent_sigmoid", lambda tf, x, y: tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.sigmoid(y), logits=x), X, Y),
    ("xent_softmax", lambda tf, x, y: tf.nn.softmax_cross_entropy_with_logits(tf.nn.softmax(y), x), X, Y),
    ("xent_sparse", lambda tf, x: tf.nn.sparse_softmax_cross_entropy_with_logits([0, 3, 1], x), X),
    ("moments_bn", lambda tf, x: tf.nn.batch_normalization(x, *tf.nn.moments(x, [0]), 0.5, 2.0, 1e-3), X),
    ("conv2d", lambda tf, x, w: tf.nn.conv2d(x, w, 1, "SAME"), IMG, W),
    ("conv2d_strided", lambda tf, x, w: tf.nn.conv2d(x, w, 2, "VALID"), IMG, W),
    ("conv2d_transpose", lambda tf, x, w: tf.nn.conv2d_transpose(x, w, [2, 10, 10, 2], 2, "SAME"),
     rng.uniform(-1, 1, (2, 5, 5, 3)).astype(np.float32), W),
    ("depthwise", lambda tf, x: tf.nn.depthwise_conv2d(x, tf.ones([2, 2, 2, 2]), [1, 1, 1, 1], "SAME"), IMG),
    ("max_pool", lambda tf, x: tf.nn.max_pool2d(x, 2, 2, "SAME"), IMG),
    # Tiled windows with ties: the gradient goes to each window's first maximum, as TF's MaxPoolGrad.
    ("max_pool_ties", lambda tf, x: tf.nn.max_pool2d(x, 2, 2, "VALID") * tf.range(1.0, 7.0),
     np.round(rng.uniform(0, 2, (2, 5, 4, 6))).astype(np.float32)),
    ("max_pool_overlapping", lambda tf, x: tf.nn.max_pool2d(x, 3, 2, "SAME"), IMG),
    ("avg_pool", lambda tf, x: tf.nn.avg_pool2d(x, 3, 2, "SAME"), IMG),
    ("resize_bilinear", lambda tf, x: tf.image.resize(x, [7, 3]), IMG),
    ("resize_bicubic_aa", lambda tf, x: tf.image.resize(x, [3, 2], "bicubic", antialias=True), IMG),
    ("inv", lambda tf, a: tf.linalg.inv(a), SQ),
    ("det_slogdet", lambda tf, a: tf.linalg.det(a) + tf.linalg.slogdet(a)[1], SQ),
    ("cholesky_logdet", lambda tf, a: tf.linalg.logdet(a) + tf.reduce_sum(tf.linalg.cholesky(a)), PD),
    ("solve", lambda tf, a: tf.linalg.solve(a, tf.ones([3, 2], tf.float64)), SQ),
    ("eigvalsh", lambda tf, a: tf.linalg.eigvalsh(a), PD),
    ("svd_values", lambda tf, a: tf.linalg.svd(a, compute_uv=False), SQ),
    ("norm", lambda tf, x: tf.norm(x) + tf.norm(x, ord=1, axis=1)[0], X),
    ("trace_diag", lambda tf, a: tf.linalg.trace(a) + tf.reduce_sum(tf.linalg.diag_part(a) ** 2), SQ),
    ("cast", lambda tf, x: tf.cast(x, tf.float64) ** 2, X),
    ("lgamma_digamma", lambda tf, x: tf.math.lgamma(x) + tf.math.digamma(x), POS),
    ("erf", lambda tf, x: tf.math.erf(x) + tf.math.erfc(x * 0.5), X),
    ("xlogy", lambda tf, x, y: tf.math.xlogy(x, y) + tf.math.divide_no_nan(x, y), X, POS),
    ("squared_difference", lambda tf, x, y: tf.math.squared_difference(x, y), X, Y),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_gradient_matches_tf(case):
    name, fn, *arrays = case
    check(grad(fn, *arrays), rtol=2e-4, atol=2e-5)


def test_second_order_matches_tf():
    def snippet(tf):
        x = tf.constant(X)
        with tf.GradientTape() as outer:
            outer.watch(x)
            with tf.GradientTape() as inner:
                inner.watch(x)
                y = tf.reduce_sum(tf.tanh(x) * tf.sigmoid(x))
            g = inner.gradient(y, x)
        return outer.gradient(g, x)
    check(snippet, rtol=2e-4, atol=2e-5)


def test_gradient_inside_tf_function_matches_tf():
    def snippet(tf):
        w = tf.Variable(W)

        @tf.function
        def step(x):
            with tf.GradientTape() as t:
                y = tf.reduce_sum(tf.nn.relu(tf.nn.conv2d(x, w, 1, "SAME")))
            return t.gradient(y, w)
        return step(tf.constant(IMG))
    check(snippet, rtol=2e-4, atol=2e-5)
