"""Gradients at kinks and ties (x == 0 for relu, x == y for maximum, clip bounds, ...) against real TF.

JAX's own rules split a tie's gradient 0.5 / 0.5 (``jnp.maximum``, ``jnp.clip``) or pick the other side
(``jnp.abs`` at 0); TF routes the whole gradient to one side. Every case here evaluates the gradient at
points that sit exactly on each op's non-differentiable points (and at ordinary points), runs the same
snippet under real TensorFlow (the oracle, in-process) and under tfjax, and requires equal results.
"""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from _tfdiff import check  # noqa: E402

# Every kink of the activations below (0, +-0.5, +-1, +-3, 6, and the thresholds 2 used by the cases),
# plus ordinary points between them.
X = np.array([-7, -6, -3, -2.5, -2, -1, -0.75, -0.5, -0.25, 0, 0.25, 0.5, 1, 1.5, 2, 3, 4.5, 6, 7],
             np.float32)
# Pairs with ties in every position (and ordinary pairs either way round).
A = np.array([-1, 0, 2, 6, 1, 3, -2, 0.5], np.float32)
B = np.array([0, 0, 2, 1, 1, -3, -2, 0.75], np.float32)
# Output weights so that a gradient routed to the wrong element/side shows up even after summing.
WX = np.linspace(1.0, 2.8, X.size).astype(np.float32)


def grad(fn, *arrays, weights=None):
    def snippet(tf):
        xs = [tf.constant(a) for a in arrays]
        with tf.GradientTape() as t:
            for x in xs:
                t.watch(x)
            y = fn(tf, *xs)
            if weights is not None:
                y = y * tf.constant(weights)
        return t.gradient(y, xs)
    return snippet


def _act(name, **kw):
    return lambda tf, x: getattr(tf.keras.activations, name)(x, **kw)


def _kop(name, **kw):
    return lambda tf, x: getattr(tf.keras.ops, name)(x, **kw)


UNARY = [
    # tf.nn / tf.math
    ("tf.nn.relu", lambda tf, x: tf.nn.relu(x)),
    ("tf.nn.relu6", lambda tf, x: tf.nn.relu6(x)),
    ("tf.nn.leaky_relu", lambda tf, x: tf.nn.leaky_relu(x)),
    ("tf.nn.leaky_relu_alpha", lambda tf, x: tf.nn.leaky_relu(x, alpha=0.5)),
    ("tf.nn.elu", lambda tf, x: tf.nn.elu(x)),
    ("tf.nn.selu", lambda tf, x: tf.nn.selu(x)),
    ("tf.nn.softsign", lambda tf, x: tf.nn.softsign(x)),
    ("tf.abs", lambda tf, x: tf.abs(x)),
    ("tf.sign", lambda tf, x: tf.sign(x) + x),
    ("tf.clip_by_value", lambda tf, x: tf.clip_by_value(x, -1.0, 2.0)),
    ("tf.clip_by_value_point", lambda tf, x: tf.clip_by_value(x, 0.0, 0.0)),
    ("tf.maximum_scalar", lambda tf, x: tf.maximum(x, 0.5)),
    ("tf.minimum_scalar", lambda tf, x: tf.minimum(x, 0.5)),
    ("tf.math.floor_plus_x", lambda tf, x: tf.floor(x) + tf.math.ceil(x) + tf.round(x) + x),
    # TF registers no gradient for these: the tape's answer is None, not zeros.
    ("tf.floor", lambda tf, x: tf.floor(x)),
    ("tf.math.ceil", lambda tf, x: tf.math.ceil(x)),
    ("tf.round", lambda tf, x: tf.round(x)),
    ("tf.math.rint", lambda tf, x: tf.math.rint(x)),
    ("tf.math.floordiv", lambda tf, x: tf.math.floordiv(x, 0.5)),
    ("tf.truncatediv", lambda tf, x: tf.truncatediv(x, tf.ones_like(x))),
    ("tf.norm_1", lambda tf, x: tf.norm(x, ord=1)),
    ("tf.norm_inf", lambda tf, x: tf.norm(tf.reshape(x[:18], [3, 6]) - 0.5, ord=np.inf, axis=1)),
    ("tf.norm_3", lambda tf, x: tf.norm(x, ord=3)),
    ("tf.norm_matrix_1", lambda tf, x: tf.norm(tf.reshape(x[:18], [3, 6]) * 0.0 + tf.reshape(x[:18], [3, 6]),
                                               ord=1, axis=[0, 1])),
    ("tf.nn.crelu", lambda tf, x: tf.nn.crelu(x) * tf.range(2 * 19, dtype=tf.float32)),
    ("tf.where", lambda tf, x: tf.where(x >= 0, x * 2.0, -x)),
    # keras.activations
    ("k.relu", _act("relu")),
    ("k.relu_max_value", _act("relu", max_value=2.0)),
    ("k.relu_max_value6", _act("relu", max_value=6.0)),
    ("k.relu_threshold", _act("relu", threshold=2.0)),
    ("k.relu_negative_slope", _act("relu", negative_slope=0.1)),
    ("k.relu_slope_threshold", _act("relu", negative_slope=0.1, threshold=2.0)),
    ("k.relu_slope_max", _act("relu", negative_slope=0.1, max_value=3.0)),
    ("k.relu_all", _act("relu", negative_slope=0.1, max_value=4.5, threshold=-1.0)),
    ("k.relu6", _act("relu6")),
    ("k.leaky_relu", _act("leaky_relu")),
    ("k.leaky_relu_slope", _act("leaky_relu", negative_slope=0.5)),
    ("k.elu", _act("elu")),
    ("k.elu_alpha", _act("elu", alpha=0.5)),
    ("k.selu", _act("selu")),
    ("k.celu", _act("celu")),
    ("k.celu_alpha", _act("celu", alpha=2.0)),
    ("k.hard_sigmoid", _act("hard_sigmoid")),
    ("k.hard_silu", _act("hard_silu")),
    ("k.hard_swish", _act("hard_swish")),
    ("k.softsign", _act("softsign")),
    ("k.squareplus", _act("squareplus")),
    ("k.squareplus_b", _act("squareplus", b=2.0)),
    ("k.gelu", _act("gelu")),
    ("k.silu", _act("silu")),
    ("k.mish", _act("mish")),
    ("k.tanh_shrink", _act("tanh_shrink")),
    ("k.hard_tanh", _act("hard_tanh")),
    ("k.hard_shrink", _act("hard_shrink")),
    ("k.hard_shrink_t", _act("hard_shrink", threshold=1.0)),
    ("k.soft_shrink", _act("soft_shrink")),
    ("k.soft_shrink_t", _act("soft_shrink", threshold=1.0)),
    ("k.sparse_plus", _act("sparse_plus")),
    ("k.sparse_sigmoid", _act("sparse_sigmoid")),
    ("k.threshold", lambda tf, x: tf.keras.activations.threshold(x, 2.0, -1.0)),
    # keras.ops
    ("k.ops.relu", _kop("relu")),
    ("k.ops.relu6", _kop("relu6")),
    ("k.ops.leaky_relu", _kop("leaky_relu")),
    ("k.ops.elu", _kop("elu")),
    ("k.ops.selu", _kop("selu")),
    ("k.ops.celu", _kop("celu")),
    ("k.ops.hard_sigmoid", _kop("hard_sigmoid")),
    ("k.ops.hard_silu", _kop("hard_silu")),
    ("k.ops.squareplus", _kop("squareplus")),
    ("k.ops.abs", _kop("abs")),
    ("k.ops.absolute", _kop("absolute")),
    ("k.ops.sign", lambda tf, x: tf.keras.ops.sign(x) + x),
    ("k.ops.clip", lambda tf, x: tf.keras.ops.clip(x, -1.0, 2.0)),
    ("k.ops.clip_point", lambda tf, x: tf.keras.ops.clip(x, 0.0, 0.0)),
    ("k.ops.maximum_scalar", lambda tf, x: tf.keras.ops.maximum(x, 0.0)),
    ("k.ops.minimum_scalar", lambda tf, x: tf.keras.ops.minimum(0.0, x)),
    ("k.ops.where", lambda tf, x: tf.keras.ops.where(x > 0, x, 0.5 * x)),
    ("k.ops.round_plus_x", lambda tf, x: tf.keras.ops.round(x) + tf.keras.ops.floor(x) + tf.keras.ops.ceil(x) + x),
    ("k.ops.floor", _kop("floor")),
    ("k.ops.ceil", _kop("ceil")),
    ("k.ops.round", _kop("round")),
    ("k.ops.round_decimals", _kop("round", decimals=1)),
    ("k.ops.trunc", _kop("trunc")),
    ("k.ops.floor_divide", lambda tf, x: tf.keras.ops.floor_divide(x, 0.5)),
    ("k.ops.norm_1", _kop("norm", ord=1)),
    ("k.ops.norm_inf", lambda tf, x: tf.keras.ops.norm(x - 0.5, ord=np.inf, axis=0)),
    ("k.ops.normalize_1", lambda tf, x: tf.keras.ops.normalize(x[None], order=1)),
    ("k.ops.normalize_2", lambda tf, x: tf.keras.ops.normalize(x[None], order=2)),
    ("k.regularizers.L1", lambda tf, x: tf.keras.regularizers.L1(0.1)(x) + x),
    # keras.layers
    ("k.layers.ReLU", lambda tf, x: tf.keras.layers.ReLU()(x)),
    ("k.layers.ReLU_max", lambda tf, x: tf.keras.layers.ReLU(max_value=2.0)(x)),
    ("k.layers.ReLU_all", lambda tf, x: tf.keras.layers.ReLU(max_value=3.0, negative_slope=0.2, threshold=0.5)(x)),
    ("k.layers.LeakyReLU", lambda tf, x: tf.keras.layers.LeakyReLU()(x)),
    ("k.layers.ELU", lambda tf, x: tf.keras.layers.ELU(alpha=0.7)(x)),
    ("k.layers.Activation_relu6", lambda tf, x: tf.keras.layers.Activation("relu6")(x)),
    ("k.layers.Activation_hard_sigmoid", lambda tf, x: tf.keras.layers.Activation("hard_sigmoid")(x)),
]


@pytest.mark.parametrize("case", UNARY, ids=[c[0] for c in UNARY])
def test_unary_kinks_match_tf(case):
    _, fn = case
    check(grad(fn, X, weights=WX), rtol=1e-5, atol=1e-6)


def test_unary_forward_values_match_tf():
    """The rewrites keep the forward values: every case's output, at the kinks, equals TF's."""
    for name, fn in UNARY:
        check(lambda tf, fn=fn: fn(tf, tf.constant(X)), rtol=1e-6, atol=1e-6)


BINARY = [
    ("tf.maximum", lambda tf, a, b: tf.maximum(a, b)),
    ("tf.minimum", lambda tf, a, b: tf.minimum(a, b)),
    ("tf.math.maximum_broadcast", lambda tf, a, b: tf.math.maximum(a[:, None], b[None, :])),
    ("k.ops.maximum", lambda tf, a, b: tf.keras.ops.maximum(a, b)),
    ("k.ops.minimum", lambda tf, a, b: tf.keras.ops.minimum(a, b)),
    ("k.ops.maximum_broadcast", lambda tf, a, b: tf.keras.ops.maximum(a[:, None], b[None, :])),
    ("k.ops.clip_tensor_bounds", lambda tf, a, b: tf.keras.ops.clip(a, b, b + 1.0)),
    ("tf.clip_by_value_tensor_bounds", lambda tf, a, b: tf.clip_by_value(a, b, b + 1.0)),
    ("tf.clip_by_value_equal_bounds", lambda tf, a, b: tf.clip_by_value(a, b, b)),
    ("k.ops.where", lambda tf, a, b: tf.keras.ops.where(a >= b, a, b)),
    ("tf.squared_difference", lambda tf, a, b: tf.math.squared_difference(a, b)),
    ("k.layers.Maximum", lambda tf, a, b: tf.keras.layers.Maximum()([a, b])),
    ("k.layers.Minimum", lambda tf, a, b: tf.keras.layers.Minimum()([a, b])),
    ("k.layers.PReLU", lambda tf, a, b: tf.keras.layers.PReLU(alpha_initializer="ones")(a[None]) * b),
    ("sigmoid_xent_logits", lambda tf, a, b: tf.nn.sigmoid_cross_entropy_with_logits(
        labels=tf.sigmoid(b), logits=a)),
    ("weighted_xent_logits", lambda tf, a, b: tf.nn.weighted_cross_entropy_with_logits(
        labels=tf.sigmoid(b), logits=a, pos_weight=2.0)),
    ("k.ops.binary_crossentropy_logits", lambda tf, a, b: tf.keras.ops.binary_crossentropy(
        tf.sigmoid(b), a, from_logits=True)),
    ("k.losses.mae", lambda tf, a, b: tf.keras.losses.MeanAbsoluteError(reduction=None)(b[:, None], a[:, None])),
    ("k.losses.mape", lambda tf, a, b: tf.keras.losses.MeanAbsolutePercentageError(reduction=None)(
        b[:, None], a[:, None])),
    ("k.losses.msle", lambda tf, a, b: tf.keras.losses.MeanSquaredLogarithmicError(reduction=None)(
        tf.abs(b)[:, None], a[:, None] * 1e-7)),
    ("k.losses.categorical_hinge", lambda tf, a, b: tf.keras.losses.CategoricalHinge(reduction=None)(
        tf.one_hot([0, 1], 4), tf.reshape(a, [2, 4]))),

    ("k.losses.huber", lambda tf, a, b: tf.keras.losses.Huber(delta=1.0, reduction=None)(b[:, None], a[:, None])),
    ("k.losses.hinge", lambda tf, a, b: tf.keras.losses.hinge(tf.sign(b)[:, None], a[:, None] + 1.0)),
    ("k.losses.squared_hinge", lambda tf, a, b: tf.keras.losses.squared_hinge(tf.sign(b)[:, None], a[:, None])),
]


@pytest.mark.parametrize("case", BINARY, ids=[c[0] for c in BINARY])
def test_binary_ties_match_tf(case):
    _, fn = case
    check(grad(fn, A, B), rtol=1e-5, atol=1e-6)


R = np.array([[1, 3, 3, 0], [2, 2, 2, 2], [-1, 5, -1, 5]], np.float32)

REDUCE = [
    ("tf.reduce_max", lambda tf, x: tf.reduce_max(x)),
    ("tf.reduce_max_axis", lambda tf, x: tf.reduce_max(x, axis=1) * tf.constant([1.0, 2.0, 3.0])),
    ("tf.reduce_min_axis0", lambda tf, x: tf.reduce_min(x, axis=0) * tf.constant([1.0, 2.0, 3.0, 4.0])),
    ("k.ops.max", lambda tf, x: tf.keras.ops.max(x, axis=1) * tf.constant([1.0, 2.0, 3.0])),
    ("k.ops.min", lambda tf, x: tf.keras.ops.min(x)),
    ("k.ops.amax", lambda tf, x: tf.keras.ops.amax(x, axis=0)),
    ("tf.segment_max", lambda tf, x: tf.math.segment_max(tf.reshape(x, [-1]), [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2])),
    ("tf.unsorted_segment_max", lambda tf, x: tf.math.unsorted_segment_max(x, [1, 0, 1], 2)),
    ("tf.top_k", lambda tf, x: tf.math.top_k(x, 2).values * tf.constant([1.0, 2.0])),
    ("tf.sort", lambda tf, x: tf.sort(x, axis=1) * tf.range(4, dtype=tf.float32)),
    ("tf.nn.max_pool1d", lambda tf, x: tf.nn.max_pool1d(x[..., None], 2, 2, "VALID")[..., 0]
     * tf.constant([1.0, 2.0])),
    ("k.ops.max_pool", lambda tf, x: tf.keras.ops.max_pool(x[None, ..., None], 2, 2)[0, ..., 0]
     * tf.constant([1.0, 2.0])),
    ("k.layers.MaxPooling2D", lambda tf, x: tf.keras.layers.MaxPooling2D(2, 1)(x[None, ..., None])
     * tf.reshape(tf.range(1.0, 7.0), [1, 2, 3, 1])),
    ("k.layers.GlobalMaxPooling1D", lambda tf, x: tf.keras.layers.GlobalMaxPooling1D()(x[..., None])),
    ("tf.norm_inf", lambda tf, x: tf.norm(x, ord=np.inf, axis=1)),
]


@pytest.mark.parametrize("case", REDUCE, ids=[c[0] for c in REDUCE])
def test_reduction_ties_match_tf(case):
    _, fn = case
    check(grad(fn, R), rtol=1e-5, atol=1e-6)


# Probabilities on Keras's clip bounds (epsilon, 1 - epsilon in float32), beyond them, and between.
P = np.array([1e-7, 1 - 1e-7, 0.0, 1.0, 0.25, 0.5, 1e-7, 1 - 1e-7], np.float32)
T = np.array([0.5, 0.5, 0.5, 0.5, 1.0, 0.0, 1.0, 0.0], np.float32)

PROB = [
    ("k.losses.kld", lambda tf, p, t: tf.keras.losses.KLDivergence(reduction=None)(t[:, None], p[:, None])),
    ("k.losses.bce", lambda tf, p, t: tf.keras.losses.BinaryCrossentropy(reduction=None)(t[:, None], p[:, None])),
    ("k.losses.cce", lambda tf, p, t: tf.keras.losses.CategoricalCrossentropy(reduction=None)(
        tf.reshape(t, [2, 4]), tf.reshape(p, [2, 4]))),
    ("k.ops.binary_crossentropy", lambda tf, p, t: tf.keras.ops.binary_crossentropy(t, p)),
    ("k.ops.categorical_crossentropy", lambda tf, p, t: tf.keras.ops.categorical_crossentropy(
        tf.reshape(t, [4, 2]), tf.reshape(p, [4, 2]))),
]


@pytest.mark.parametrize("case", PROB, ids=[c[0] for c in PROB])
def test_probability_clip_bounds_match_tf(case):
    _, fn = case
    check(grad(fn, P, T), rtol=1e-4, atol=1e-5)
