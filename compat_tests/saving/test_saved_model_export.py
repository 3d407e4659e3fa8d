"""tf.saved_model.save / model.export / tf.lite from tfjax objects produce real TensorFlow artifacts."""

import os

import numpy as np
import pytest

tf_real = pytest.importorskip("tensorflow")

import tfjax as tf  # noqa: E402
import tfjax.lite  # noqa: E402,F401
import tfjax.saved_model  # noqa: E402,F401
from tfjax._src.saved_model import export_model  # noqa: E402
from tfjax._src.tensor_spec import TensorSpec  # noqa: E402

X = np.random.RandomState(0).randn(4, 3).astype(np.float32)


class Affine(tf.Module):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable(np.arange(6, dtype=np.float32).reshape(3, 2) / 10)
        self.b = tf.Variable(np.array([1.0, -1.0], np.float32))

    @tf.function(input_signature=[TensorSpec([None, 3], tf.float32)])
    def __call__(self, x):
        return tf.matmul(x, self.w) + self.b


def test_module_saved_model_loads_in_tf(tmp_path):
    m = Affine()
    d = str(tmp_path / "sm")
    tf.saved_model.save(m, d)
    assert os.path.exists(os.path.join(d, "saved_model.pb"))
    assert tf.saved_model.contains_saved_model(d)
    loaded = tf_real.saved_model.load(d)
    out = loaded.signatures["serving_default"](x=tf_real.constant(X))
    np.testing.assert_allclose(out["output_0"].numpy(), np.asarray(m(X)), rtol=1e-6)
    # variables are real variables of the SavedModel
    assert len(loaded.tfjax_variables) == 2


def test_tfjax_load_returns_tfjax_tensors(tmp_path):
    m = Affine()
    d = str(tmp_path / "sm")
    tf.saved_model.save(m, d)
    restored = tf.saved_model.load(d)
    assert list(restored.signatures.keys()) == ["serving_default"]
    out = restored.signatures["serving_default"](x=tf.constant(X))
    assert isinstance(out["output_0"], tf.Tensor)
    np.testing.assert_allclose(out["output_0"].numpy(), np.asarray(m(X)), rtol=1e-6)


def test_keras_model_export_and_tflite(tmp_path):
    layers = pytest.importorskip("tfjax._src.keras.layers")
    from tfjax._src.keras.models import Sequential  # noqa: PLC0415
    model = Sequential([layers.Input((3,)), layers.Dense(8, activation="relu"), layers.Dense(2)])
    ref = np.asarray(model(X))
    d = str(tmp_path / "serving_model")
    export_model(model, d, verbose=False)
    loaded = tf_real.saved_model.load(d)
    sig = loaded.signatures["serving_default"]
    out = sig(**{list(sig.structured_input_signature[1])[0]: tf_real.constant(X)})
    np.testing.assert_allclose(list(out.values())[0].numpy(), ref, rtol=1e-5, atol=1e-6)

    flat = tf.lite.TFLiteConverter.from_saved_model(d).convert()
    assert isinstance(flat, bytes) and len(flat) > 0
    interp = tf_real.lite.Interpreter(model_content=flat)
    interp.resize_tensor_input(interp.get_input_details()[0]["index"], list(X.shape))
    interp.allocate_tensors()
    interp.set_tensor(interp.get_input_details()[0]["index"], X)
    interp.invoke()
    np.testing.assert_allclose(interp.get_tensor(interp.get_output_details()[0]["index"]), ref, rtol=1e-5,
                               atol=1e-5)
    flat2 = tf.lite.TFLiteConverter.from_keras_model(model).convert()
    assert len(flat2) > 0
