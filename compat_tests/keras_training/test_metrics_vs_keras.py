"""Metrics (update over several batches, sample weights, reset) against real Keras."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

import tfjax as tf
from tfjax._src.keras import metrics as M

rng = np.random.default_rng(0)
N, C = 8, 4
PROB = [rng.dirichlet(np.ones(C), size=N).astype("float32") for _ in range(3)]
ONEHOT = [np.eye(C, dtype="float32")[rng.integers(0, C, N)] for _ in range(3)]
SPARSE = [rng.integers(0, C, N) for _ in range(3)]
SPARSE2 = [s[:, None] for s in SPARSE]
BIN = [rng.integers(0, 2, (N, 1)).astype("float32") for _ in range(3)]
BPROB = [rng.uniform(size=(N, 1)).astype("float32") for _ in range(3)]
MBIN = [rng.integers(0, 2, (N, C)).astype("float32") for _ in range(3)]
MPROB = [rng.uniform(size=(N, C)).astype("float32") for _ in range(3)]
REG = [rng.normal(size=(N, C)).astype("float32") for _ in range(3)]
REG2 = [rng.normal(size=(N, C)).astype("float32") for _ in range(3)]
SW = [rng.uniform(0, 2, N).astype("float32") for _ in range(3)]
SEG = [rng.integers(-1, C, (N, 3)) for _ in range(3)]          # -1: a "void" class to ignore
SEG_LOGITS = [rng.normal(size=(N, 3, C)).astype("float32") for _ in range(3)]

CASES = [
    ("Accuracy", {}, SPARSE, SPARSE[::-1]),
    ("BinaryAccuracy", {}, BIN, BPROB), ("BinaryAccuracy", {"threshold": 0.3}, MBIN, MPROB),
    ("CategoricalAccuracy", {}, ONEHOT, PROB), ("SparseCategoricalAccuracy", {}, SPARSE, PROB),
    ("SparseCategoricalAccuracy", {}, SPARSE2, PROB),
    ("TopKCategoricalAccuracy", {"k": 2}, ONEHOT, PROB), ("SparseTopKCategoricalAccuracy", {"k": 2}, SPARSE, PROB),
    ("MeanSquaredError", {}, REG, REG2), ("MeanAbsoluteError", {}, REG, REG2),
    ("MeanAbsolutePercentageError", {}, REG, REG2), ("MeanSquaredLogarithmicError", {}, MPROB, MPROB[::-1]),
    ("RootMeanSquaredError", {}, REG, REG2), ("CosineSimilarity", {}, REG, REG2), ("LogCoshError", {}, REG, REG2),
    ("Hinge", {}, MBIN, REG), ("SquaredHinge", {}, MBIN, REG), ("CategoricalHinge", {}, ONEHOT, REG),
    ("KLDivergence", {}, PROB, PROB[::-1]), ("Poisson", {}, MPROB, MPROB[::-1]),
    ("BinaryCrossentropy", {}, MBIN, MPROB), ("BinaryCrossentropy", {"from_logits": True}, MBIN, REG),
    ("CategoricalCrossentropy", {}, ONEHOT, PROB), ("CategoricalCrossentropy", {"from_logits": True}, ONEHOT, REG),
    ("SparseCategoricalCrossentropy", {}, SPARSE, PROB),
    ("SparseCategoricalCrossentropy", {"ignore_class": 2}, SPARSE, PROB),
    ("SparseCategoricalCrossentropy", {"ignore_class": 1}, SPARSE2, PROB),
    ("SparseCategoricalCrossentropy", {"ignore_class": -1, "from_logits": True}, SEG, SEG_LOGITS),
    ("TruePositives", {}, BIN, BPROB), ("FalsePositives", {"thresholds": [0.2, 0.7]}, BIN, BPROB),
    ("TrueNegatives", {}, MBIN, MPROB), ("FalseNegatives", {}, MBIN, MPROB),
    ("Precision", {}, BIN, BPROB), ("Recall", {}, BIN, BPROB), ("Precision", {"thresholds": [0.3, 0.6]}, MBIN, MPROB),
    ("Precision", {"top_k": 2}, MBIN, MPROB), ("Recall", {"class_id": 1}, MBIN, MPROB),
    ("AUC", {}, BIN, BPROB), ("AUC", {"curve": "PR"}, BIN, BPROB), ("AUC", {"num_thresholds": 17}, MBIN, MPROB),
    ("AUC", {"summation_method": "minoring"}, BIN, BPROB), ("AUC", {"multi_label": True}, MBIN, MPROB),
    ("AUC", {"from_logits": True}, BIN, REG), ("AUC", {"thresholds": [0.1, 0.5, 0.8]}, BIN, BPROB),
    ("MeanIoU", {"num_classes": C}, SPARSE, SPARSE[::-1]),
    ("MeanIoU", {"num_classes": C, "sparse_y_pred": False}, SPARSE, PROB),
    ("F1Score", {}, ONEHOT, PROB), ("F1Score", {"average": "macro", "threshold": 0.3}, MBIN, MPROB),
    ("F1Score", {"average": "micro"}, ONEHOT, PROB), ("FBetaScore", {"beta": 2.0, "average": "weighted"}, ONEHOT, PROB),
    ("R2Score", {}, REG, REG2),
    ("PearsonCorrelation", {}, REG, REG2), ("PearsonCorrelation", {"axis": 0}, REG, REG2),
    ("ConcordanceCorrelation", {}, REG, REG2), ("ConcordanceCorrelation", {"axis": 0}, REG, REG2),
    ("BinaryIoU", {}, BIN, BPROB), ("BinaryIoU", {"target_class_ids": [1], "threshold": 0.3}, MBIN, MPROB),
    ("OneHotIoU", {"num_classes": C, "target_class_ids": [0, 2]}, ONEHOT, PROB),
    ("OneHotMeanIoU", {"num_classes": C}, ONEHOT, PROB),
    ("OneHotMeanIoU", {"num_classes": C, "sparse_y_pred": True}, ONEHOT, SPARSE),
    ("SensitivityAtSpecificity", {"specificity": 0.5}, BIN, BPROB),
    ("SensitivityAtSpecificity", {"specificity": 0.3, "num_thresholds": 17, "class_id": 1}, MBIN, MPROB),
    ("SpecificityAtSensitivity", {"sensitivity": 0.6}, MBIN, MPROB),
    ("PrecisionAtRecall", {"recall": 0.5}, BIN, BPROB), ("PrecisionAtRecall", {"recall": 0.7, "num_thresholds": 1}, MBIN, MPROB),
    ("RecallAtPrecision", {"precision": 0.4}, MBIN, MPROB),
]


def _ids():
    return [f"{i}-{n}" for i, (n, _, _, _) in enumerate(CASES)]


@pytest.mark.parametrize("case", CASES, ids=_ids())
@pytest.mark.parametrize("weighted", [False, True])
def test_metric_matches_keras(case, weighted):
    name, params, yts, yps = case
    k = getattr(keras.metrics, name)(**params)
    t = getattr(M, name)(**params)
    for i in range(3):
        sw = SW[i] if weighted else None
        try:
            k.update_state(yts[i], yps[i], sample_weight=sw)
        except Exception:  # noqa: BLE001
            pytest.skip("real Keras rejects this combination")
        t.update_state(yts[i], yps[i], sample_weight=sw)
        np.testing.assert_allclose(t.result().numpy(), np.asarray(k.result()), rtol=1e-5, atol=1e-6)
    assert t.name == k.name.rsplit('_', 1)[0] or t.name == k.name
    assert len(t.variables) == len(k.variables)
    k.reset_state()
    t.reset_state()
    k.update_state(yts[0], yps[0])
    t.update_state(yts[0], yps[0])
    np.testing.assert_allclose(t.result().numpy(), np.asarray(k.result()), rtol=1e-5, atol=1e-6)


def test_mean_and_sum():
    for cls in ("Mean", "Sum"):
        k = getattr(keras.metrics, cls)()
        t = getattr(M, cls)()
        for v, w in [(np.array([1.0, 2, 3]), None), (np.array([[1.0, 5], [2, 2]]), np.array([0.5, 2.0])),
                     (4.0, None)]:
            k.update_state(v, sample_weight=w)
            t.update_state(v, sample_weight=w)
            np.testing.assert_allclose(t.result().numpy(), np.asarray(k.result()), rtol=1e-6)


def test_metric_in_tf_function_and_custom_fn():
    m = M.MeanMetricWrapper(lambda yt, yp: tf.abs(yt - yp), name="absdiff")
    acc = M.SparseCategoricalAccuracy()

    @tf.function
    def step(yt, yp, ys, ps):
        m.update_state(yt, yp)
        acc.update_state(ys, ps)

    for i in range(3):
        step(tf.constant(REG[i]), tf.constant(REG2[i]), tf.constant(SPARSE[i]), tf.constant(PROB[i]))
    expect = np.mean([np.abs(REG[i] - REG2[i]).mean() for i in range(3)])
    np.testing.assert_allclose(m.result().numpy(), expect, rtol=1e-5)
    k = keras.metrics.SparseCategoricalAccuracy()
    for i in range(3):
        k.update_state(SPARSE[i], PROB[i])
    np.testing.assert_allclose(acc.result().numpy(), np.asarray(k.result()), rtol=1e-6)


NEW_METRICS = [
    ("PearsonCorrelation", {"axis": 0}), ("ConcordanceCorrelation", {}), ("BinaryIoU", {"threshold": 0.3}),
    ("OneHotIoU", {"num_classes": 3, "target_class_ids": [1]}), ("OneHotMeanIoU", {"num_classes": 3}),
    ("SensitivityAtSpecificity", {"specificity": 0.5}), ("SpecificityAtSensitivity", {"sensitivity": 0.2}),
    ("PrecisionAtRecall", {"recall": 0.3, "class_id": 1}), ("RecallAtPrecision", {"precision": 0.9}),
]


@pytest.mark.parametrize("name,params", NEW_METRICS, ids=[n for n, _ in NEW_METRICS])
def test_new_metric_config_matches_keras(name, params):
    k = getattr(keras.metrics, name)(**params)
    t = getattr(tf.keras.metrics, name)(**params)
    kc, tc = k.get_config(), t.get_config()
    kc.pop("name"), tc.pop("name")
    assert {a: (list(b) if isinstance(b, tuple) else b) for a, b in tc.items()} == \
        {a: (list(b) if isinstance(b, tuple) else b) for a, b in kc.items()}
    again = type(t).from_config(t.get_config())
    assert again.get_config() == t.get_config()
    assert type(tf.keras.metrics.get(tf.keras.metrics.serialize(t))) is type(t)


FUNCS = [
    ("binary_crossentropy", MBIN[0], MPROB[0]), ("categorical_crossentropy", ONEHOT[0], PROB[0]),
    ("sparse_categorical_crossentropy", SPARSE[0], PROB[0]), ("binary_focal_crossentropy", MBIN[0], MPROB[0]),
    ("categorical_focal_crossentropy", ONEHOT[0], PROB[0]), ("categorical_hinge", ONEHOT[0], REG[0]),
    ("hinge", MBIN[0], REG[0]), ("squared_hinge", MBIN[0], REG[0]), ("huber", REG[0], REG2[0]),
    ("kl_divergence", PROB[0], PROB[1]), ("log_cosh", REG[0], REG2[0]), ("mean_absolute_error", REG[0], REG2[0]),
    ("mean_absolute_percentage_error", REG[0], REG2[0]), ("mean_squared_error", REG[0], REG2[0]),
    ("mean_squared_logarithmic_error", MPROB[0], MPROB[1]), ("poisson", MPROB[0], MPROB[1]),
    ("pearson_correlation", REG[0], REG2[0]), ("concordance_correlation", REG[0], REG2[0]),
]


@pytest.mark.parametrize("name,yt,yp", FUNCS, ids=[f[0] for f in FUNCS])
def test_metric_functions_match_keras(name, yt, yp):
    want = np.asarray(getattr(keras.metrics, name)(yt, yp))
    got = np.asarray(getattr(tf.keras.metrics, name)(yt, yp))
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    if name.endswith("correlation"):
        np.testing.assert_allclose(np.asarray(getattr(tf.keras.metrics, name)(yt, yp, axis=0)),
                                   np.asarray(getattr(keras.metrics, name)(yt, yp, axis=0)), rtol=1e-5, atol=1e-6)
