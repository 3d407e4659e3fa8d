"""Compiled state (optimizer variables, loss, metrics) survives tfjax <-> Keras saving: resumed training
continues the same loss curve in either library."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

import tfjax as tf  # noqa: E402

tk = tf.keras
X = np.random.RandomState(0).randn(32, 3).astype(np.float32)
Y = np.random.RandomState(1).randn(32, 2).astype(np.float32)


def _build(lib, ext=".keras"):
    m = lib.Sequential([lib.Input((3,)), lib.layers.Dense(4, activation="relu"), lib.layers.Dense(2)])
    # Keras 3.15 itself cannot reload a legacy .h5 whose loss is the string "mse" ("Could not deserialize
    # 'keras.metrics.mse'"), so the .h5 cases use a loss object.
    loss = "mse" if ext == ".keras" else lib.losses.MeanSquaredError()
    m.compile(lib.optimizers.Adam(0.01), loss, metrics=["mae"])
    return m


def _fit(m, epochs):
    return m.fit(X, Y, epochs=epochs, batch_size=8, verbose=0, shuffle=False).history["loss"]


@pytest.mark.parametrize("ext", [".keras", ".h5"])
def test_tfjax_to_keras_resumes(tmp_path, ext):
    m = _build(tk, ext)
    _fit(m, 2)
    path = str(tmp_path / ("m" + ext))
    m.save(path)
    k = keras.models.load_model(path)
    assert type(k.optimizer).__name__ == "Adam"
    assert int(k.optimizer.iterations.numpy()) == 8
    np.testing.assert_allclose(k.predict(X, verbose=0), np.asarray(m(X)), rtol=1e-5, atol=1e-6)
    for kv, tv in zip(k.optimizer.variables, m.optimizer.variables):
        np.testing.assert_allclose(np.asarray(kv.numpy()), np.asarray(tv.numpy()), rtol=1e-6)
    if ext == ".h5":
        return  # Keras 3.15 cannot resume fit() after loading any compiled legacy .h5 ("Unknown variable")
    expected = _fit(m, 3)
    np.testing.assert_allclose(_fit(k, 3), expected, rtol=1e-4)


@pytest.mark.parametrize("ext", [".keras", ".h5"])
def test_keras_to_tfjax_resumes(tmp_path, ext):
    k = _build(keras, ext)
    _fit(k, 2)
    path = str(tmp_path / ("k" + ext))
    k.save(path)
    expected = _fit(k, 3)
    m = tk.models.load_model(path)
    assert type(m.optimizer).__name__ == "Adam"
    assert int(m.optimizer.iterations.numpy()) == 8
    np.testing.assert_allclose(_fit(m, 3), expected, rtol=1e-4)
