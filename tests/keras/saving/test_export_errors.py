"""Without TensorFlow, SavedModel/TFLite export fails with an error naming the tfjax[export] extra."""

import sys

import pytest

import tfjax as tf
import tfjax.lite  # noqa: F401
import tfjax.saved_model  # noqa: F401


@pytest.fixture
def no_tensorflow(monkeypatch):
    monkeypatch.setitem(sys.modules, "tensorflow", None)  # `import tensorflow` now raises ImportError


def test_saved_model_save_names_extra(no_tensorflow, tmp_path):
    m = tf.Module()
    m.v = tf.Variable(1.0)
    with pytest.raises(ImportError, match=r"tfjax\[export\]"):
        tf.saved_model.save(m, str(tmp_path / "sm"))
    (tmp_path / "foreign").mkdir()
    with pytest.raises(ImportError, match=r"tfjax\[export\]"):
        tf.saved_model.load(str(tmp_path / "foreign"))  # not exported by tfjax: needs TensorFlow


def test_tflite_names_extra(no_tensorflow, tmp_path):
    with pytest.raises(ImportError, match=r"tfjax\[export\]"):
        tf.lite.TFLiteConverter.from_saved_model(str(tmp_path))


def test_contains_saved_model_needs_no_tf(no_tensorflow, tmp_path):
    assert not tf.saved_model.contains_saved_model(str(tmp_path))
