"""``keras.layers``."""

from tfjax._src.keras.layers.layer import Layer, InputSpec  # noqa: F401
from tfjax._src.keras.layers.input_layer import InputLayer, Input  # noqa: F401
from tfjax._src.keras.layers.core import *  # noqa: F401,F403
from tfjax._src.keras.layers.core import (  # noqa: F401
    Dense, EinsumDense, Embedding, Dropout, SpatialDropout1D, SpatialDropout2D, SpatialDropout3D, GaussianNoise,
    GaussianDropout, AlphaDropout, Activation, Identity, Flatten, Reshape, Permute, RepeatVector, Lambda, Masking,
    ActivityRegularization, ReLU, LeakyReLU, ELU, Softmax, PReLU,
)

_OPTIONAL = [
    "tfjax._src.keras.layers.conv", "tfjax._src.keras.layers.pooling", "tfjax._src.keras.layers.normalization",
    "tfjax._src.keras.layers.merging", "tfjax._src.keras.layers.reshaping", "tfjax._src.keras.layers.rnn",
    "tfjax._src.keras.layers.attention", "tfjax._src.keras.layers.preprocessing",
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
    from tfjax._src.keras.models import Model  # noqa: PLC0415
    cfg = layer.get_config()
    module = "keras.layers"
    if isinstance(layer, Model):
        module = "keras"
    elif type(layer).__module__.startswith("tfjax") is False:
        module = type(layer).__module__
    out = {"module": module, "class_name": type(layer).__name__, "config": cfg, "registered_name": None}
    if not type(layer).__module__.startswith("tfjax"):
        out["registered_name"] = type(layer).__name__
    bc = layer.get_build_config() if layer.built else None
    if bc:
        out["build_config"] = bc
    return out


def deserialize(config, custom_objects=None):
    from tfjax._src.keras import serialization as _ser  # noqa: PLC0415
    objs = _all_layer_classes()
    objs.update(_ser.custom_objects_of(custom_objects))
    if isinstance(config, str):
        raise ValueError(f"Could not interpret layer identifier: {config}")
    name = config.get("registered_name") or config["class_name"]
    cls = objs.get(name) or objs.get(config["class_name"])
    if cls is None:
        raise TypeError(f"Could not locate class '{config['class_name']}'. Make sure custom classes are "
                        "decorated with `@keras.saving.register_keras_serializable()`.")
    cfg = config.get("config", {})
    import inspect  # noqa: PLC0415
    if "custom_objects" in inspect.signature(cls.from_config).parameters:
        layer = cls.from_config(cfg, custom_objects=custom_objects)
    else:
        layer = cls.from_config(cfg)
    bc = config.get("build_config")
    if bc and not layer.built:
        try:
            layer.build_from_config(bc)
        except Exception:  # noqa: BLE001
            pass
    return layer
