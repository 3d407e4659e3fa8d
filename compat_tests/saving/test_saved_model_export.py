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


def test_tfjax_exported_saved_model_loads_without_tensorflow(tmp_path, monkeypatch):
    m = Affine()
    d = str(tmp_path / "sm")
    tf.saved_model.save(m, d)
    import sys  # noqa: PLC0415
    monkeypatch.setitem(sys.modules, "tensorflow", None)
    restored = tf.saved_model.load(d)  # native: the jax.export artifacts under <dir>/tfjax/
    out = restored.signatures["serving_default"](x=tf.constant(X))
    assert isinstance(out["output_0"], tf.Tensor)
    np.testing.assert_allclose(out["output_0"].numpy(), np.asarray(m(X)), rtol=1e-6)
    np.testing.assert_allclose(restored(X)["output_0"].numpy(), np.asarray(m(X)), rtol=1e-6)


def test_export_under_tensorflow_alias_uses_child_process(tmp_path):
    """`python -m tfjax script.py`: `tensorflow` means tfjax, the TF work runs in a child interpreter."""
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415
    script = tmp_path / "s.py"
    script.write_text(
        "import numpy as np, os\n"
        "import tensorflow as tf\n"
        "assert type(tf.constant(1)).__module__.startswith('tfjax')\n"  # the runner's facade over tfjax
        "m = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(2)])\n"
        "x = np.ones((2, 3), np.float32)\n"
        "tf.saved_model.save(m, 'sm')\n"
        "r = tf.saved_model.load('sm')\n"
        "print(list(r.signatures.keys()))\n"
        "out = r.signatures['serving_default'](**{r.signatures['serving_default'].structured_input_signature[1]"
        ".__iter__().__next__(): tf.constant(x)})\n"
        "print(np.allclose(list(out.values())[0].numpy(), np.asarray(m(x)), atol=1e-6))\n"
        "b = tf.lite.TFLiteConverter.from_saved_model('sm').convert()\n"
        "print(len(b) > 0)\n")
    proc = subprocess.run([sys.executable, "-m", "tfjax", str(script)], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.split() == ["['serving_default']", "True", "True"], proc.stdout
    assert os.path.exists(tmp_path / "sm" / "saved_model.pb")
