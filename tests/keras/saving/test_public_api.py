"""The public tf.keras saving API (Model methods and tf.keras.models / tf.keras.saving functions)."""

import numpy as np
import pytest

import tfjax as tf

keras = tf.keras
X = np.random.RandomState(0).randn(32, 3).astype(np.float32)
Y = np.random.RandomState(1).randn(32, 2).astype(np.float32)


def _compiled():
    m = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="relu"), keras.layers.Dense(2)])
    m.compile(keras.optimizers.Adam(0.01), "mse", metrics=["mae"])
    return m


def _fit(m, epochs):
    return m.fit(X, Y, epochs=epochs, batch_size=8, verbose=0, shuffle=False).history["loss"]


@pytest.mark.parametrize("ext", [".keras", ".h5"])
def test_compiled_state_roundtrip_resumes_same_curve(tmp_path, ext):
    m = _compiled()
    _fit(m, 2)
    path = str(tmp_path / ("m" + ext))
    m.save(path)
    expected = _fit(m, 3)
    loaded = keras.models.load_model(path)
    assert type(loaded.optimizer).__name__ == "Adam"
    assert int(loaded.optimizer.iterations.numpy()) == 8
    np.testing.assert_allclose(_fit(loaded, 3), expected, rtol=1e-6)


def test_load_without_compile(tmp_path):
    m = _compiled()
    _fit(m, 1)
    path = str(tmp_path / "m.keras")
    m.save(path)
    loaded = keras.models.load_model(path, compile=False)
    assert not getattr(loaded, "compiled", False)
    np.testing.assert_allclose(np.asarray(loaded(X)), np.asarray(m(X)), rtol=1e-6)


def test_model_methods(tmp_path):
    m = _compiled()
    path = str(tmp_path / "w.weights.h5")
    m.save_weights(path)
    m2 = _compiled()
    m2.load_weights(path)
    np.testing.assert_allclose(np.asarray(m2(X)), np.asarray(m(X)), rtol=1e-6)
    with pytest.raises(ValueError, match="weights.h5"):
        m.save_weights(str(tmp_path / "weights.tf"))
    with pytest.raises(ValueError, match="Invalid filepath extension"):
        m.save(str(tmp_path / "my_model"))
    m3 = keras.models.model_from_json(m.to_json())
    assert [tuple(w.shape) for w in m3.weights] == [tuple(w.shape) for w in m.weights]


def test_saving_namespace():
    for name in ("save_model", "load_model", "register_keras_serializable", "get_custom_objects",
                 "CustomObjectScope", "serialize_keras_object", "deserialize_keras_object"):
        assert hasattr(keras.saving, name), name
