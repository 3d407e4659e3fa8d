"""``keras.activations``."""

from __future__ import annotations

import inspect

from tfjax._src.keras.ops import core as _core
from tfjax._src.keras.ops import nn as _nn
from tfjax._src.keras.ops import numpy as _np


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    # Keras's ReLU.static_call, op for op, so that the gradient at each kink (0, threshold, max_value)
    # is the one Keras's TF backend gives.
    x = _core.t1(x)
    if negative_slope != 0.0:
        if max_value is None and threshold == 0:
            return _nn.leaky_relu(x, negative_slope=negative_slope)
        negative_part = _nn.relu(_np.add(_np.negative(x), threshold) if threshold != 0 else _np.negative(x))
    else:
        negative_part = 1
    clip_max = max_value is not None
    if threshold != 0:
        threshold = _core.cast(threshold, _core.dtype_of(x))
        x = _np.where(_np.greater(x, threshold), x, 0)
    elif max_value == 6:
        x = _nn.relu6(x)
        clip_max = False
    else:
        x = _nn.relu(x)
    if clip_max:
        dt = _core.dtype_of(x)
        x = _np.clip(x, _core.cast(0.0, dt), _core.cast(max_value, dt))
    if negative_slope != 0.0:
        x = _np.subtract(x, _np.multiply(negative_slope, negative_part))
    return x


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
    return _nn.squareplus(x, b=b)


def hard_tanh(x):
    return _nn.hard_tanh(x)


def hard_shrink(x, threshold=0.5):
    return _nn.hard_shrink(x, threshold=threshold)


def soft_shrink(x, threshold=0.5):
    return _nn.soft_shrink(x, threshold=threshold)


def sparse_plus(x):
    return _nn.sparse_plus(x)


def sparse_sigmoid(x):
    return _nn.sparse_sigmoid(x)


def threshold(x, threshold, default_value):
    return _nn.threshold(x, threshold, default_value)


def softmax(x, axis=-1):
    return _nn.softmax(x, axis=axis)


def sparsemax(x, axis=-1):
    return _nn.sparsemax(x, axis)


def log_softmax(x, axis=-1):
    return _nn.log_softmax(x, axis=axis)


_ALL = {f.__name__: f for f in (
    relu, leaky_relu, relu6, elu, selu, softplus, softsign, silu, gelu, celu, glu, tanh, tanh_shrink,
    sigmoid, exponential, hard_sigmoid, hard_silu, linear, mish, log_sigmoid, squareplus, softmax,
    log_softmax, hard_tanh, hard_shrink, soft_shrink, sparse_plus, sparse_sigmoid, threshold, sparsemax)}
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
