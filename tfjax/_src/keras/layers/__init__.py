"""``keras.layers``."""

from tfjax._src.keras.layers.layer import Layer, InputSpec  # noqa: F401
from tfjax._src.keras.layers.input_layer import InputLayer, Input  # noqa: F401
from tfjax._src.keras.layers.core import *  # noqa: F401,F403
from tfjax._src.keras.layers.core import Dense, EinsumDense, Embedding, Identity, Lambda, Masking  # noqa: F401
from tfjax._src.keras.layers.regularization import (  # noqa: F401
    Dropout, SpatialDropout1D, SpatialDropout2D, SpatialDropout3D, GaussianNoise, GaussianDropout, AlphaDropout,
    ActivityRegularization,
)
from tfjax._src.keras.layers.activation import Activation, ReLU, LeakyReLU, ELU, Softmax, PReLU  # noqa: F401
from tfjax._src.keras.layers.reshaping import Flatten, Reshape, Permute, RepeatVector  # noqa: F401

_OPTIONAL = [
    "tfjax._src.keras.layers.conv", "tfjax._src.keras.layers.pooling", "tfjax._src.keras.layers.normalization",
    "tfjax._src.keras.layers.merging", "tfjax._src.keras.layers.reshaping", "tfjax._src.keras.layers.simple_rnn",
    "tfjax._src.keras.layers.lstm", "tfjax._src.keras.layers.gru", "tfjax._src.keras.layers.rnn_base",
    "tfjax._src.keras.layers.bidirectional", "tfjax._src.keras.layers.time_distributed",
    "tfjax._src.keras.layers.stacked_rnn_cells", "tfjax._src.keras.layers.attention",
    "tfjax._src.keras.layers.preprocessing",
]
import importlib as _il  # noqa: E402

for _m in _OPTIONAL:
    _mod = _il.import_module(_m)
    for _n in getattr(_mod, "__all__", []):
        globals()[_n] = getattr(_mod, _n)


def _all_layer_classes():
    out = {}
    g = globals()
    for k, v in list(g.items()):
        if isinstance(v, type) and issubclass(v, Layer):
            out[k] = v
    from tfjax._src.keras.models import Model, Functional, Sequential  # noqa: PLC0415
    out.update({"Model": Model, "Functional": Functional, "Sequential": Sequential})
    return out


def serialize(layer):
    from tfjax._src.keras.saving import serialization_lib  # noqa: PLC0415
    return serialization_lib.serialize_keras_object(layer)


def deserialize(config, custom_objects=None):
    from tfjax._src.keras.saving import serialization_lib  # noqa: PLC0415
    if isinstance(config, str):
        raise ValueError(f"Could not interpret layer identifier: {config}")
    if isinstance(config, dict) and "module" not in config and config.get("class_name") in _all_layer_classes():
        # Keras 2 / legacy-h5 configs name built-in layers without a module.
        config = {**config, "module": "keras.layers"}
    obj = serialization_lib.deserialize_keras_object(config, custom_objects=custom_objects)
    if not isinstance(obj, Layer):
        raise ValueError("`keras.layers.deserialize` was passed a `config` object that is not a "
                         f"`keras.layers.Layer`. Received: {config}")
    return obj
