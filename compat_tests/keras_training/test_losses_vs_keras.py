"""Losses (class + function forms, reductions, sample weights) and their gradients against real Keras."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")
tf_real = pytest.importorskip("tensorflow")

import tfjax as tf
from tfjax._src.keras import losses as L

rng = np.random.default_rng(0)
N, C = 6, 4
PROB = rng.dirichlet(np.ones(C), size=N).astype("float32")
LOGITS = rng.normal(size=(N, C)).astype("float32") * 3
ONEHOT = np.eye(C, dtype="float32")[rng.integers(0, C, N)]
SPARSE = rng.integers(0, C, N)
BIN = rng.integers(0, 2, (N, C)).astype("float32")
SIG = (1 / (1 + np.exp(-LOGITS))).astype("float32")
REG_T = rng.normal(size=(N, C)).astype("float32")
SW = rng.uniform(0, 2, N).astype("float32")
CTC_T = np.array([[1, 2, 2, 0], [3, 1, 0, 0], [2, 0, 0, 0], [1, 3, 1, 2], [3, 3, 0, 0], [0, 0, 0, 0]], "int32")
CTC_P = rng.normal(size=(N, 9, C)).astype("float32")
EMB = (LOGITS / np.linalg.norm(LOGITS, axis=1, keepdims=True)).astype("float32")
CIRCLE_T = np.array([0, 1, 0, 2, 1, 0], "int32")

CASES = [
    ("MeanSquaredError", {}, REG_T, LOGITS), ("MeanAbsoluteError", {}, REG_T, LOGITS),
    ("MeanAbsolutePercentageError", {}, REG_T, LOGITS), ("MeanSquaredLogarithmicError", {}, np.abs(REG_T), SIG),
    ("CosineSimilarity", {}, REG_T, LOGITS), ("Huber", {"delta": 0.7}, REG_T, LOGITS), ("LogCosh", {}, REG_T, LOGITS),
    ("Hinge", {}, BIN, LOGITS), ("SquaredHinge", {}, BIN, LOGITS), ("CategoricalHinge", {}, ONEHOT, LOGITS),
    ("KLDivergence", {}, PROB[::-1].copy(), PROB), ("Poisson", {}, np.abs(REG_T), SIG),
    ("BinaryCrossentropy", {}, BIN, SIG), ("BinaryCrossentropy", {"from_logits": True}, BIN, LOGITS),
    ("BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.1}, BIN, LOGITS),
    ("BinaryFocalCrossentropy", {"apply_class_balancing": True, "gamma": 1.5}, BIN, SIG),
    ("BinaryFocalCrossentropy", {"from_logits": True}, BIN, LOGITS),
    ("CategoricalCrossentropy", {}, ONEHOT, PROB), ("CategoricalCrossentropy", {"from_logits": True}, ONEHOT, LOGITS),
    ("CategoricalCrossentropy", {"from_logits": True, "label_smoothing": 0.2}, ONEHOT, LOGITS),
    ("CategoricalFocalCrossentropy", {}, ONEHOT, PROB),
    ("CategoricalFocalCrossentropy", {"from_logits": True}, ONEHOT, LOGITS),
    ("SparseCategoricalCrossentropy", {}, SPARSE, PROB),
    ("SparseCategoricalCrossentropy", {"from_logits": True}, SPARSE, LOGITS),
    ("SparseCategoricalCrossentropy", {"from_logits": True, "ignore_class": 1}, SPARSE, LOGITS),
    ("Dice", {}, BIN, SIG), ("Tversky", {"alpha": 0.3, "beta": 0.7}, BIN, SIG),
    ("CTC", {}, CTC_T, CTC_P), ("Circle", {}, CIRCLE_T, EMB),
    ("Circle", {"gamma": 10.0, "margin": 0.25, "remove_diagonal": False}, CIRCLE_T, EMB),
    ("CategoricalGeneralizedCrossEntropy", {}, SPARSE, PROB),
    ("CategoricalGeneralizedCrossEntropy", {"q": 0.8}, SPARSE, PROB),
]


def _ids():
    return [f"{n}-{'-'.join(f'{k}={v}' for k, v in p.items())}" for n, p, _, _ in CASES]


@pytest.mark.parametrize("case", CASES, ids=_ids())
@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum", "none", "mean_with_sample_weight"])
def test_loss_class_matches_keras(case, reduction):
    name, params, yt, yp = case
    if name in ("Dice", "Tversky") and reduction == "none":
        pytest.skip("axis=None losses are scalars")
    k = getattr(keras.losses, name)(reduction=reduction, **params)
    t = getattr(L, name)(reduction=reduction, **params)
    for sw in (None, SW):
        if name in ("Dice", "Tversky") and sw is not None:
            continue
        expect = np.asarray(k(yt, yp, sample_weight=sw))
        got = t(yt, yp, sample_weight=sw).numpy()
        np.testing.assert_allclose(got, expect, rtol=2e-5, atol=1e-6)
    assert t.name == k.name


@pytest.mark.parametrize("case", CASES, ids=_ids())
def test_loss_gradient_matches_tf(case):
    name, params, yt, yp = case
    k = getattr(keras.losses, name)(**params)
    t = getattr(L, name)(**params)
    xv = tf_real.Variable(yp)
    with tf_real.GradientTape() as tape:
        lk = k(yt, xv, sample_weight=None if name in ("Dice", "Tversky") else SW)
    gk = tape.gradient(lk, xv).numpy()
    tv = tf.Variable(yp)
    with tf.GradientTape() as tape:
        lt = t(yt, tv, sample_weight=None if name in ("Dice", "Tversky") else SW)
    gt = tape.gradient(lt, tv).numpy()
    np.testing.assert_allclose(gt, gk, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("fn", ["mean_squared_error", "mean_absolute_error", "categorical_crossentropy",
                                "sparse_categorical_crossentropy", "binary_crossentropy", "kl_divergence",
                                "huber", "log_cosh", "poisson", "hinge", "cosine_similarity", "ctc", "circle"])
def test_function_forms(fn):
    data = {"categorical_crossentropy": (ONEHOT, PROB), "sparse_categorical_crossentropy": (SPARSE, PROB),
            "binary_crossentropy": (BIN, SIG), "kl_divergence": (PROB[::-1].copy(), PROB), "hinge": (BIN, LOGITS),
            "poisson": (np.abs(REG_T), SIG), "ctc": (CTC_T, CTC_P), "circle": (CIRCLE_T, EMB)}.get(fn, (REG_T, LOGITS))
    expect = np.asarray(getattr(keras.losses, fn)(*data))
    got = getattr(L, fn)(*data).numpy()
    np.testing.assert_allclose(got, expect, rtol=2e-5, atol=1e-6)


def test_rank_mismatch_and_3d():
    yt = REG_T[:, :1]
    yp = LOGITS[:, 0]
    np.testing.assert_allclose(L.MeanSquaredError()(yt, yp).numpy(),
                               np.asarray(keras.losses.MeanSquaredError()(yt, yp)), rtol=1e-6)
    y3 = rng.normal(size=(2, 3, 4)).astype("float32")
    p3 = rng.normal(size=(2, 3, 4)).astype("float32")
    sw = rng.uniform(size=(2, 3)).astype("float32")
    np.testing.assert_allclose(L.MeanSquaredError()(y3, p3, sample_weight=sw).numpy(),
                               np.asarray(keras.losses.MeanSquaredError()(y3, p3, sample_weight=sw)), rtol=1e-6)


def test_categorical_generalized_cross_entropy_function_and_configs():
    np.testing.assert_allclose(L.categorical_generalized_cross_entropy(SPARSE, PROB, q=0.3).numpy(),
                               np.asarray(keras.losses.categorical_generalized_cross_entropy(SPARSE, PROB, q=0.3)),
                               rtol=1e-6)
    for name, params in [("CTC", {}), ("Circle", {"gamma": 3.0}), ("CategoricalGeneralizedCrossEntropy", {"q": 0.2})]:
        k = getattr(keras.losses, name)(**params)
        t = getattr(tf.keras.losses, name)(**params)
        assert t.get_config() == k.get_config()
        again = tf.keras.losses.deserialize(tf.keras.losses.serialize(t))
        assert type(again) is type(t) and again.get_config() == t.get_config()
