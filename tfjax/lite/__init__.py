"""``tf.lite`` (conversion needs the ``tfjax[export]`` extra)."""

from tfjax._src.saved_model.lite import Interpreter, OpsSet, Optimize, TargetSpec, TFLiteConverter  # noqa: F401
