"""fit/evaluate/predict histories against real Keras 3 (same initial weights, no shuffle)."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from _fitdiff import build_pair, data, assert_history_close  # noqa: E402

from tfjax._src.keras import losses as TL, metrics as TM  # noqa: E402

OPTS = ["sgd", "adam", "adamw", "rmsprop", "adagrad", "adadelta", "adamax", "nadam", "ftrl", "lion", "adafactor"]


def _fit_both(kind, kopt, topt, kloss, tloss, metrics=("accuracy",), epochs=3, **fit_kw):
    km, tm = build_pair(kind)
    x, y = data(kind)
    km.compile(optimizer=kopt, loss=kloss, metrics=list(metrics))
    tm.compile(optimizer=topt, loss=tloss, metrics=list(metrics))
    kw = dict(epochs=epochs, batch_size=24, shuffle=False, verbose=0)
    kw.update(fit_kw)
    kh = km.fit(x, y, **kw).history
    th = tm.fit(x, y, **kw).history
    return km, tm, kh, th, x, y


@pytest.mark.parametrize("opt", OPTS)
def test_mlp_each_optimizer(opt):
    _, _, kh, th, _, _ = _fit_both("mlp", opt, opt, "sparse_categorical_crossentropy",
                                   "sparse_categorical_crossentropy", validation_split=0.25)
    assert_history_close(th, kh)


def test_optimizer_objects_with_options():
    import keras.optimizers as KO
    from tfjax._src.keras import optimizers as TOP
    k = KO.SGD(0.05, momentum=0.9, nesterov=True, clipnorm=1.0)
    t = TOP.SGD(0.05, momentum=0.9, nesterov=True, clipnorm=1.0)
    _, _, kh, th, _, _ = _fit_both("mlp", k, t, "sparse_categorical_crossentropy", "sparse_categorical_crossentropy")
    assert_history_close(th, kh)


@pytest.mark.parametrize("case", [
    ("mlp_logits", lambda m: m.SparseCategoricalCrossentropy(from_logits=True), ["accuracy"]),
    ("mlp", lambda m: "categorical_crossentropy", ["categorical_accuracy"]),
    ("mlp_binary", lambda m: "binary_crossentropy", ["accuracy", "auc"]),
    ("mlp_binary", lambda m: m.BinaryFocalCrossentropy(), ["binary_accuracy"]),
    ("mlp_reg", lambda m: "mse", ["mae", "mse"]),
    ("mlp_reg", lambda m: m.Huber(delta=0.5), ["root_mean_squared_error"]),
    ("mlp_reg", lambda m: "mae", []),
], ids=lambda c: c[0] if isinstance(c, str) else None)
def test_main_losses(case):
    kind, make_loss, metrics = case
    km, tm = build_pair(kind)
    x, y = data(kind)
    if make_loss(TL) == "categorical_crossentropy":
        y = np.eye(3, dtype="float32")[y]
    km.compile(optimizer="adam", loss=make_loss(keras.losses), metrics=list(metrics))
    tm.compile(optimizer="adam", loss=make_loss(TL), metrics=list(metrics))
    kh = km.fit(x, y, epochs=3, batch_size=16, shuffle=False, verbose=0, validation_data=(x[:32], y[:32])).history
    th = tm.fit(x, y, epochs=3, batch_size=16, shuffle=False, verbose=0, validation_data=(x[:32], y[:32])).history
    assert_history_close(th, kh)


@pytest.mark.parametrize("kind", ["cnn", "rnn", "mlp_bn"])
@pytest.mark.parametrize("opt", ["sgd", "adam", "rmsprop"])
def test_cnn_rnn(kind, opt):
    km, tm, kh, th, _, _ = _fit_both(kind, opt, opt, "sparse_categorical_crossentropy",
                                     "sparse_categorical_crossentropy", validation_split=0.25)
    assert_history_close(th, kh)
    for a, b in zip(tm.get_weights(), km.get_weights()):    # incl. BatchNorm moving statistics
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


def test_evaluate_predict_and_on_batch():
    km, tm, _, _, x, y = _fit_both("mlp", "adam", "adam", "sparse_categorical_crossentropy",
                                   "sparse_categorical_crossentropy", epochs=1)
    np.testing.assert_allclose(tm.evaluate(x, y, verbose=0), km.evaluate(x, y, verbose=0), rtol=1e-5)
    assert tm.evaluate(x, y, verbose=0, return_dict=True).keys() == km.evaluate(x, y, verbose=0,
                                                                                return_dict=True).keys()
    np.testing.assert_allclose(tm.predict(x, verbose=0, batch_size=7), km.predict(x, verbose=0, batch_size=7),
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(tm.train_on_batch(x[:16], y[:16]), km.train_on_batch(x[:16], y[:16]), rtol=1e-5)
    np.testing.assert_allclose(tm.test_on_batch(x[:16], y[:16]), km.test_on_batch(x[:16], y[:16]), rtol=1e-5)
    np.testing.assert_allclose(tm.predict_on_batch(x[:5]), km.predict_on_batch(x[:5]), rtol=1e-5, atol=1e-6)
    assert tm.metrics_names == km.metrics_names


def test_sample_weight_class_weight_and_steps_per_execution():
    x, y = data("mlp")
    sw = np.linspace(0.1, 2.0, len(x)).astype("float32")
    for kw in (dict(sample_weight=sw), dict(class_weight={0: 1.0, 1: 2.0, 2: 0.5})):
        km, tm = build_pair("mlp")
        km.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"],
                   weighted_metrics=["accuracy"])
        tm.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"],
                   weighted_metrics=["accuracy"])
        kh = km.fit(x, y, epochs=2, batch_size=16, shuffle=False, verbose=0, **kw).history
        th = tm.fit(x, y, epochs=2, batch_size=16, shuffle=False, verbose=0, **kw).history
        assert_history_close(th, kh)
    km, tm = build_pair("mlp")
    km.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", steps_per_execution=4)
    tm.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", steps_per_execution=4)
    kh = km.fit(x, y, epochs=2, batch_size=10, shuffle=False, verbose=0).history
    th = tm.fit(x, y, epochs=2, batch_size=10, shuffle=False, verbose=0).history
    assert_history_close(th, kh)
    assert int(tm.optimizer.iterations.numpy()) == int(km.optimizer.iterations.numpy())


def test_initial_epoch_and_steps_per_epoch_and_validation_freq():
    x, y = data("mlp")
    km, tm = build_pair("mlp")
    for m in (km, tm):
        m.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    kw = dict(epochs=4, initial_epoch=1, batch_size=16, shuffle=False, verbose=0, validation_data=(x, y),
              validation_freq=2)
    kh = km.fit(x, y, **kw)
    th = tm.fit(x, y, **kw)
    assert_history_close(th.history, kh.history)
    assert th.epoch == kh.epoch
