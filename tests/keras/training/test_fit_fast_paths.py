"""The compiled fit's fast paths give the same training as the plain ones.

* The default train_step, compiled, differentiates the forward with one
  ``jax.value_and_grad`` (trainers/functional_grad.py); ``run_eagerly=True`` still
  goes through GradientTape. Both must train identically.
* In-memory arrays are copied to the device once and batches cut there
  (trainers/device_data.py); with the copy disabled batches come from numpy.
"""

import warnings

import jax
import numpy as np
import pytest

from tfjax._src.keras import layers, models, optimizers
from tfjax._src.keras.trainers import device_data

from _training_helpers import make_mlp


def _set_seeded_weights(m, seed=0):
    rng = np.random.default_rng(seed)
    m.set_weights([rng.normal(scale=0.3, size=w.shape).astype(w.dtype) if w.dtype.kind == "f" else w
                   for w in m.get_weights()])


def _bn_model():
    m = models.Sequential([layers.Input((8,)), layers.Dense(16), layers.BatchNormalization(),
                           layers.Activation("relu"), layers.Dense(3)])
    _set_seeded_weights(m)
    return m


def _masked_lstm_model():
    m = models.Sequential([layers.Input((6,), dtype="int32"), layers.Embedding(20, 4, mask_zero=True),
                           layers.LSTM(5, return_sequences=True), layers.Dense(2)])
    _set_seeded_weights(m, 1)
    return m


def _train(build, x, y, run_eagerly, **fit_kw):
    m = build()
    m.compile(optimizer=optimizers.Adam(1e-2), loss=_loss(), metrics=["accuracy"], run_eagerly=run_eagerly,
              steps_per_execution=1)
    h = m.fit(x, y, epochs=2, batch_size=16, verbose=0, shuffle=False, **fit_kw)
    return h.history, m.get_weights()


def _loss():
    from tfjax._src.keras import losses  # noqa: PLC0415
    return losses.SparseCategoricalCrossentropy(from_logits=True)


@pytest.mark.parametrize("build", [_bn_model, _masked_lstm_model], ids=["batchnorm", "masked_lstm"])
def test_compiled_value_and_grad_matches_eager_tape(build):
    rng = np.random.default_rng(0)
    if build is _bn_model:
        x = rng.normal(size=(48, 8)).astype("float32")
        y = (x[:, 0] > 0).astype("int64")
    else:
        x = rng.integers(1, 20, size=(48, 6)).astype("int32")
        x[:, 4:] = 0                        # padding: masked timesteps must not count
        y = (x[:, :1] > 10).astype("int64").repeat(6, axis=1)
    h_c, w_c = _train(build, x, y, run_eagerly=False)
    h_e, w_e = _train(build, x, y, run_eagerly=True)
    for k in h_e:
        np.testing.assert_allclose(h_c[k], h_e[k], rtol=2e-5, atol=1e-6)
    # BatchNorm moving statistics are non-trainable writes of the forward: they must come out too
    for a, b in zip(w_c, w_e):
        np.testing.assert_allclose(a, b, rtol=2e-5, atol=1e-6)


class _WithUnusedWeight(layers.Layer):
    def build(self, input_shape):
        self.k = self.add_weight(shape=(input_shape[-1], 3), initializer="ones", name="k")
        self.unused = self.add_weight(shape=(3,), initializer="ones", name="unused")

    def call(self, x):
        return x @ self.k


@pytest.mark.parametrize("run_eagerly", [False, True])
def test_unread_trainable_variable_gets_no_gradient(mlp_data, run_eagerly):
    # As with the tape: no gradient -> the optimizer skips the variable (weight decay
    # included) and warns, instead of a zero gradient that AdamW would decay.
    x, y = mlp_data
    m = models.Sequential([layers.Input((8,)), _WithUnusedWeight()])
    m.compile(optimizer=optimizers.AdamW(1e-2, weight_decay=0.5), loss=_loss(), run_eagerly=run_eagerly)
    with pytest.warns(UserWarning, match="Gradients do not exist"):
        m.fit(x, y, epochs=1, batch_size=16, verbose=0)
    np.testing.assert_array_equal(m.layers[0].unused.numpy(), np.ones(3, "float32"))
    assert not np.array_equal(m.layers[0].k.numpy(), np.ones((8, 3), "float32"))


def test_compiled_lstm_step_runs_the_forward_scan_once():
    # The tape's replay put a second forward scan into the program (XLA does not merge
    # loops); value_and_grad has one forward (with residuals) and one backward scan.
    m = models.Sequential([layers.Input((7,), dtype="int32"), layers.Embedding(10, 4), layers.LSTM(3),
                           layers.Dense(2)])
    m.compile(optimizer="adam", loss=_loss(), steps_per_execution=1)
    x = np.ones((8, 7), "int32")
    y = np.zeros((8,), "int64")
    m.fit(x, y, batch_size=8, epochs=1, verbose=0)
    entry = list(m.train_function._cache.values())[-1]
    args = ([v._value for v in entry.captured], [jax.device_put(x), jax.device_put(y)])
    text = entry.jitted.lower(*args).as_text()
    assert text.count("stablehlo.while") == 2


def _fit_weights(x, y, sw=None, **kw):
    np.random.seed(3)
    m = make_mlp()
    m.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"], **kw)
    h = m.fit(x, y, sample_weight=sw, epochs=2, batch_size=10, verbose=0, shuffle=True)
    return h.history, m.get_weights()


@pytest.mark.parametrize("spe", [1, 3])
def test_device_resident_batches_match_numpy_batches(mlp_data, monkeypatch, spe):
    x, y = mlp_data
    sw = np.linspace(0.5, 1.5, len(x)).astype("float32")
    h_dev, w_dev = _fit_weights(x, y, sw, steps_per_execution=spe)       # 64 rows, batch 10: a partial batch
    monkeypatch.setattr(device_data, "MAX_BYTES", 0)
    h_np, w_np = _fit_weights(x, y, sw, steps_per_execution=spe)
    for k in h_np:
        np.testing.assert_allclose(h_dev[k], h_np[k], rtol=1e-6)
    for a, b in zip(w_dev, w_np):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


def test_device_copy_only_for_numeric_arrays_within_the_cap(monkeypatch):
    assert device_data.eligible((np.zeros((4, 2), "float32"), np.zeros(4, "int64")))
    assert not device_data.eligible((np.array(["a", "b"]), np.zeros(2)))
    monkeypatch.setattr(device_data, "MAX_BYTES", 16)
    assert not device_data.eligible((np.zeros((4, 2), "float32"), np.zeros(4, "int64")))


def test_dict_inputs_with_device_resident_batches():
    rng = np.random.default_rng(0)
    a = layers.Input((3,), name="a")
    b = layers.Input((2,), name="b")
    out = layers.Dense(1)(layers.Concatenate()([a, b]))
    m = models.Model({"a": a, "b": b}, out)
    m.compile(optimizer="sgd", loss="mse")
    xa, xb = rng.normal(size=(20, 3)).astype("float32"), rng.normal(size=(20, 2)).astype("float32")
    yv = (xa.sum(1, keepdims=True) - xb.sum(1, keepdims=True)).astype("float32")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        h = m.fit({"a": xa, "b": xb}, yv, epochs=5, batch_size=8, verbose=0)
    assert h.history["loss"][-1] < h.history["loss"][0]


def _regularized_model():
    m = models.Sequential([layers.Input((8,)),
                           layers.Dense(6, activation="tanh", kernel_regularizer="l2", activity_regularizer="l1"),
                           layers.Dense(3)])
    _set_seeded_weights(m, 2)
    return m


def test_compiled_value_and_grad_includes_layer_losses(mlp_data):
    # add_loss/regularizer terms are computed inside the differentiated function: same as the tape
    x, y = mlp_data
    h_c, w_c = _train(_regularized_model, x, y, run_eagerly=False)
    h_e, w_e = _train(_regularized_model, x, y, run_eagerly=True)
    np.testing.assert_allclose(h_c["loss"], h_e["loss"], rtol=2e-5)
    for a, b in zip(w_c, w_e):
        np.testing.assert_allclose(a, b, rtol=2e-5, atol=1e-6)


def test_compiled_value_and_grad_with_loss_scale_optimizer(mlp_data):
    from tfjax._src.keras.mixed_precision import policy as mp  # noqa: PLC0415
    x, y = mlp_data
    out = []
    prev = mp.global_policy()
    try:
        for run_eagerly in (False, True):
            mp.set_global_policy("mixed_float16")
            m = models.Sequential([layers.Input((8,)), layers.Dense(8, activation="relu"),
                                   layers.Dense(3, dtype="float32")])
            _set_seeded_weights(m, 4)
            mp.set_global_policy(prev)
            m.compile(optimizer=optimizers.SGD(0.1), loss=_loss(), run_eagerly=run_eagerly)
            assert isinstance(m.optimizer, optimizers.LossScaleOptimizer)
            h = m.fit(x, y, epochs=2, batch_size=16, verbose=0, shuffle=False)
            out.append((h.history["loss"], m.get_weights()))
    finally:
        mp.set_global_policy(prev)
    np.testing.assert_allclose(out[0][0], out[1][0], rtol=1e-3)
    for a, b in zip(out[0][1], out[1][1]):
        np.testing.assert_allclose(a, b, rtol=1e-2, atol=1e-3)   # float16 compute
