"""``tf.lite``: TFLite conversion of tfjax models through TensorFlow's converter (``tfjax[export]``)."""

from __future__ import annotations

import os
import shutil
import tempfile

from tfjax._src.saved_model import _ensure_tensorflow_available, run_tf_side, save


class OpsSet:
    TFLITE_BUILTINS = "TFLITE_BUILTINS"
    SELECT_TF_OPS = "SELECT_TF_OPS"
    TFLITE_BUILTINS_INT8 = "TFLITE_BUILTINS_INT8"
    EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8 = \
        "EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8"


class Optimize:
    DEFAULT = "DEFAULT"
    OPTIMIZE_FOR_SIZE = "OPTIMIZE_FOR_SIZE"
    OPTIMIZE_FOR_LATENCY = "OPTIMIZE_FOR_LATENCY"
    EXPERIMENTAL_SPARSITY = "EXPERIMENTAL_SPARSITY"


class TargetSpec:
    def __init__(self, supported_ops=None, supported_types=None):
        self.supported_ops = set(supported_ops or {OpsSet.TFLITE_BUILTINS})
        self.supported_types = set(supported_types or ())


class TFLiteConverter:
    """``tf.lite.TFLiteConverter``: ``from_saved_model`` / ``from_keras_model`` / ``convert()`` -> bytes."""

    def __init__(self, saved_model_dir, signature_keys=None, tags=None, _tmp=None):
        self._dir = saved_model_dir
        self._signature_keys = signature_keys
        self._tags = tags
        self._tmp = _tmp
        self.optimizations = set()
        self.representative_dataset = None
        self.target_spec = TargetSpec()
        self.inference_input_type = None
        self.inference_output_type = None
        self.allow_custom_ops = False
        self.experimental_new_converter = True

    @classmethod
    def from_saved_model(cls, saved_model_dir, signature_keys=None, tags=None):
        _ensure_tensorflow_available("tf.lite.TFLiteConverter")
        return cls(os.fspath(saved_model_dir), signature_keys, tags)

    @classmethod
    def from_keras_model(cls, model):
        _ensure_tensorflow_available("tf.lite.TFLiteConverter")
        tmp = tempfile.mkdtemp(prefix="tfjax_tflite_")
        save(model, os.path.join(tmp, "saved_model"))
        return cls(os.path.join(tmp, "saved_model"), _tmp=tmp)

    @classmethod
    def from_concrete_functions(cls, funcs, trackable_obj=None):
        from tfjax._src import errors  # noqa: PLC0415
        raise errors.unsupported("tf.lite.TFLiteConverter.from_concrete_functions",
                                 "export a SavedModel (tf.saved_model.save) and use from_saved_model")

    def convert(self):
        """Runs TensorFlow's converter on the SavedModel; returns the flatbuffer bytes."""
        import json  # noqa: PLC0415

        def name(o):
            return o if isinstance(o, str) else getattr(o, "name", str(o))

        opts = {
            "signature_keys": self._signature_keys, "tags": sorted(self._tags) if self._tags else None,
            "optimizations": sorted(name(o) for o in self.optimizations),
            "supported_ops": sorted(name(o) for o in self.target_spec.supported_ops),
            "supported_types": sorted(getattr(t, "name", str(t)) for t in self.target_spec.supported_types),
            "allow_custom_ops": bool(self.allow_custom_ops),
        }
        if self.representative_dataset is not None:
            from tfjax._src import errors  # noqa: PLC0415
            raise errors.unsupported("TFLiteConverter.representative_dataset (full-integer quantization)")
        out_dir = tempfile.mkdtemp(prefix="tfjax_tflite_out_")
        out = os.path.join(out_dir, "model.tflite")
        try:
            run_tf_side("tflite", self._dir, out, json.dumps(opts))
            with open(out, "rb") as f:
                return f.read()
        finally:
            shutil.rmtree(out_dir, ignore_errors=True)
            if self._tmp is not None:
                shutil.rmtree(self._tmp, ignore_errors=True)
                self._tmp = None


def Interpreter(*args, **kwargs):  # noqa: N802 - TF's name
    """``tf.lite.Interpreter`` (TensorFlow's; needs TensorFlow importable in this process)."""
    from tfjax._src.saved_model import _tf_in_process, require_tensorflow  # noqa: PLC0415
    tf = _tf_in_process() or require_tensorflow("tf.lite.Interpreter")
    return tf.lite.Interpreter(*args, **kwargs)
