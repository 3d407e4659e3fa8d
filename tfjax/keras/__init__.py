"""``tf.keras``: Keras 3 (as in TF 2.21) on tfjax."""

from tfjax._src.keras.layers.input_layer import Input  # noqa: F401
from tfjax._src.keras.layers.layer import Layer  # noqa: F401
from tfjax._src.keras.models import Model, Sequential  # noqa: F401
from tfjax._src.keras.variables import KerasVariable as Variable  # noqa: F401
from tfjax._src.keras.keras_tensor import KerasTensor  # noqa: F401
from tfjax._src.keras.dtype_policies import DTypePolicy  # noqa: F401
from tfjax._src.keras.layers import InputSpec  # noqa: F401
from tfjax.keras import (  # noqa: F401
    layers, models, initializers, activations, regularizers, constraints, backend, ops, random, config,
)

__version__ = "3.15.0"

_LAZY = {"optimizers", "losses", "metrics", "callbacks", "utils", "datasets", "preprocessing", "mixed_precision",
         "saving", "applications"}


def __getattr__(name):
    if name in _LAZY:
        import importlib  # noqa: PLC0415
        return importlib.import_module(f"tfjax.keras.{name}")
    raise AttributeError(f"module 'tfjax.keras' has no attribute '{name}'")
