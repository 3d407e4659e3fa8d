"""``keras.activations``."""

from __future__ import annotations

import inspect

from tfjax._src.keras.ops import nn as _nn
from tfjax._src.keras.ops import numpy as _np


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    if negative_slope == 0.0 and max_value is None and threshold == 0.0:
        return _nn.relu(x)
    clipped = x if threshold == 0.0 else _np.where(_np.greater(x, threshold), x, 0.0)
    out = _nn.relu(clipped)
    if max_value is not None:
        out = _np.minimum(out, max_value)
    if negative_slope != 0.0:
        neg = _np.multiply(_np.minimum(_np.subtract(x, threshold), 0.0), negative_slope)
        out = _np.add(out, neg)
    return out


def leaky_relu(x, negative_slope=0.2):
    return _nn.leaky_relu(x, negative_slope=negative_slope)


def relu6(x):
    return _nn.relu6(x)


def elu(x, alpha=1.0):
    return _nn.elu(x, alpha=alpha)


def selu(x):
    return _nn.selu(x)


def softplus(x):
    return _nn.softplus(x)


def softsign(x):
    return _nn.softsign(x)


def silu(x):
    return _nn.silu(x)


swish = silu


def gelu(x, approximate=False):
    return _nn.gelu(x, approximate=approximate)


def celu(x, alpha=1.0):
    return _nn.celu(x, alpha=alpha)


def glu(x, axis=-1):
    a, b = _np.split(x, 2, axis=axis)
    return _np.multiply(a, _nn.sigmoid(b))


def tanh(x):
    return _nn.tanh(x)


def tanh_shrink(x):
    return _nn.tanh_shrink(x)


def sigmoid(x):
    return _nn.sigmoid(x)


def exponential(x):
    return _np.exp(x)


def hard_sigmoid(x):
    return _nn.hard_sigmoid(x)


def hard_silu(x):
    return _nn.hard_silu(x)


hard_swish = hard_silu


def linear(x):
    return x


def mish(x):
    return _nn.mish(x)


def log_sigmoid(x):
    return _nn.log_sigmoid(x)


def squareplus(x, b=4):
    return _nn.squareplus(x)


def softmax(x, axis=-1):
    return _nn.softmax(x, axis=axis)


def log_softmax(x, axis=-1):
    return _nn.log_softmax(x, axis=axis)


_ALL = {f.__name__: f for f in (
    relu, leaky_relu, relu6, elu, selu, softplus, softsign, silu, gelu, celu, glu, tanh, tanh_shrink,
    sigmoid, exponential, hard_sigmoid, hard_silu, linear, mish, log_sigmoid, squareplus, softmax,
    log_softmax)}
_ALL.update({"swish": silu, "hard_swish": hard_silu})


def serialize(activation):
    if activation is None:
        return "linear"
    from tfjax._src.keras.saving import serialization_lib  # noqa: PLC0415
    for name, f in _ALL.items():
        if f is activation:
            return "silu" if name == "swish" else ("hard_silu" if name == "hard_swish" else name)
    # Keras: callable objects (activation layers) keep their full config; a custom function keeps the
    # function dict, whose config is its registered name, so that it reloads through the registry.
    config = serialization_lib.serialize_keras_object(activation)
    if isinstance(config, dict) and config.get("class_name") == "function" and config.get("config") in _ALL:
        return config["config"]
    return config


def deserialize(config, custom_objects=None):
    from tfjax._src.keras import serialization as _ser  # noqa: PLC0415
    if isinstance(config, str):
        objs = _ser.custom_objects_of(custom_objects)
        if config in objs:
            return objs[config]
        if config in _ALL:
            return _ALL[config]
        raise ValueError(f"Unknown activation function '{config}'. Please ensure you are using a "
                         "`keras.utils.custom_object_scope` and that this object is included in the scope.")
    if isinstance(config, dict):
        from tfjax._src.keras.saving import serialization_lib  # noqa: PLC0415
        return serialization_lib.deserialize_keras_object(config, custom_objects=custom_objects)
    raise ValueError(f"Could not interpret activation function identifier: {config}")


def get(identifier):
    if identifier is None:
        return linear
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if inspect.isclass(identifier):
        return identifier()
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret activation function identifier: {identifier}")
