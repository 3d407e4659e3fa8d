"""keras.applications: same architecture as Keras (param counts, per-layer weights), same outputs with
copied weights, and a clear error when ImageNet weights cannot be downloaded."""

import numpy as np
import pytest

tf_real = pytest.importorskip("tensorflow")
rk = tf_real.keras

import tfjax as tf  # noqa: E402
import tfjax.keras as K  # noqa: E402

NAMES = ["ResNet50", "MobileNetV2", "VGG16", "InceptionV3", "DenseNet121", "EfficientNetB0"]


@pytest.mark.parametrize("name", NAMES)
def test_architecture_matches_keras(name):
    kw = dict(weights=None, include_top=False, input_shape=(96, 96, 3) if name != "InceptionV3" else (96, 96, 3))
    mine = getattr(K.applications, name)(**kw)
    ref = getattr(rk.applications, name)(**kw)
    assert mine.count_params() == ref.count_params()
    assert [l.name for l in mine.layers] == [l.name for l in ref.layers]
    for a, b in zip(mine.layers, ref.layers):
        assert [tuple(w.shape) for w in a.weights] == [tuple(w.shape) for w in b.weights], a.name
    assert mine.output_shape == ref.output_shape


@pytest.mark.parametrize("name", ["MobileNetV2", "ResNet50"])
def test_outputs_match_with_copied_weights(name):
    kw = dict(weights=None, include_top=True, input_shape=(64, 64, 3), classes=10)
    ref = getattr(rk.applications, name)(**kw)
    mine = getattr(K.applications, name)(**kw)
    rng = np.random.default_rng(0)
    ws = [w + rng.uniform(0, 0.1, w.shape).astype(w.dtype) if "variance" in v.path else w
          for w, v in zip(ref.get_weights(), ref.weights)]
    ref.set_weights(ws)
    mine.set_weights(ws)
    x = rng.uniform(0, 255, (2, 64, 64, 3)).astype("float32")
    mod = getattr(K.applications, {"MobileNetV2": "mobilenet_v2", "ResNet50": "resnet"}[name])
    rmod = getattr(rk.applications, {"MobileNetV2": "mobilenet_v2", "ResNet50": "resnet50"}[name])
    xp = mod.preprocess_input(x.copy())
    np.testing.assert_allclose(np.asarray(xp), rmod.preprocess_input(x.copy()), rtol=1e-6, atol=1e-5)
    y_ref = np.asarray(ref(xp, training=False))
    y = np.asarray(tf.function(mine)(xp))
    np.testing.assert_allclose(y, y_ref, rtol=1e-3, atol=1e-5)


def test_pooling_and_classes_and_errors(monkeypatch, tmp_path):
    m = K.applications.MobileNetV2(weights=None, include_top=False, pooling="avg", input_shape=(32, 32, 3))
    assert m.output_shape == (None, 1280)
    with pytest.raises(ValueError):
        K.applications.ResNet50(weights="imagenet", classes=10)
    with pytest.raises(ValueError):
        K.applications.VGG16(weights="not-a-file")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    import socket
    def no_net(*a, **k):
        raise OSError("network disabled")
    monkeypatch.setattr(socket, "create_connection", no_net)
    monkeypatch.setattr(socket.socket, "connect", no_net)
    with pytest.raises(Exception) as ei:
        K.applications.MobileNetV2(weights="imagenet", include_top=False, input_shape=(96, 96, 3))
    assert "weights" in str(ei.value).lower() or "download" in str(ei.value).lower()


def test_preprocess_modes_match_keras():
    x = np.random.default_rng(1).uniform(0, 255, (2, 4, 4, 3)).astype("float32")
    for mine, ref in [(K.applications.vgg16, rk.applications.vgg16), (K.applications.densenet, rk.applications.densenet),
                      (K.applications.inception_v3, rk.applications.inception_v3)]:
        np.testing.assert_allclose(np.asarray(mine.preprocess_input(x.copy())), ref.preprocess_input(x.copy()),
                                   rtol=1e-5, atol=1e-4)
        np.testing.assert_allclose(np.asarray(mine.preprocess_input(tf.constant(x))),
                                   np.asarray(ref.preprocess_input(tf_real.constant(x))), rtol=1e-5, atol=1e-4)
