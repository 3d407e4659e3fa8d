"""``tf.keras.backend``: global Keras settings and small helpers."""

from __future__ import annotations

import collections
import threading

import numpy as np

_FLOATX = "float32"
_EPSILON = 1e-7
_IMAGE_DATA_FORMAT = "channels_last"


def floatx():
    try:
        from tfjax._src.keras.mixed_precision.policy import floatx as _f  # noqa: PLC0415
        return _f()
    except ImportError:
        return _FLOATX


def set_floatx(value):
    global _FLOATX
    try:
        from tfjax._src.keras.mixed_precision.policy import set_floatx as _sf  # noqa: PLC0415
        _sf(value)
    except ImportError:
        pass
    value = str(value)
    if value not in ("bfloat16", "float16", "float32", "float64"):
        raise ValueError(f"Unknown `floatx` value: {value}. Expected one of {{'bfloat16', 'float16', 'float32', 'float64'}}")
    _FLOATX = value


def epsilon():
    return _EPSILON


def set_epsilon(value):
    global _EPSILON
    _EPSILON = float(value)


def image_data_format():
    return _IMAGE_DATA_FORMAT


def set_image_data_format(data_format):
    global _IMAGE_DATA_FORMAT
    data_format = str(data_format).lower()
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError(f"The `data_format` argument must be one of {{'channels_first', 'channels_last'}}. Received: data_format={data_format}")
    _IMAGE_DATA_FORMAT = data_format


def standardize_data_format(data_format):
    if data_format is None:
        return image_data_format()
    data_format = str(data_format).lower()
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError(
            "The `data_format` argument must be one of {'channels_first', 'channels_last'}. "
            f"Received: data_format={data_format}")
    return data_format


def backend():
    return "tensorflow"


# -- naming ------------------------------------------------------------------

class _Names(threading.local):
    def __init__(self):
        self.counts = collections.defaultdict(int)


_names = _Names()


def unique_object_name(base):
    """``dense``, ``dense_1``, ... (per process, reset by ``clear_session``)."""
    n = _names.counts[base]
    _names.counts[base] = n + 1
    return base if n == 0 else f"{base}_{n}"


def clear_session(free_memory=True):
    _names.counts.clear()
    from tfjax._src.keras.random import random as _random  # noqa: PLC0415
    _random._reset_global_seed_generator()


def reset_uids():
    _names.counts.clear()


# -- dtypes ------------------------------------------------------------------

_ALIASES = {"float": "float32", "double": "float64", "half": "float16", "int": "int64",
            "bool_": "bool", "boolean": "bool"}


def standardize_dtype(dtype):
    if dtype is None:
        return floatx()
    if hasattr(dtype, "name") and not isinstance(dtype, (str, np.dtype, type)):
        dtype = dtype.name
    elif hasattr(dtype, "name") and isinstance(dtype, np.dtype):
        dtype = dtype.name
    elif isinstance(dtype, type):
        if dtype is float:
            return "float32"
        if dtype is int:
            return "int32"
        if dtype is bool:
            return "bool"
        dtype = np.dtype(dtype).name
    dtype = str(dtype)
    return _ALIASES.get(dtype, dtype)


def is_float_dtype(dtype):
    d = standardize_dtype(dtype)
    return d.startswith("float") or d.startswith("bfloat")


def is_int_dtype(dtype):
    d = standardize_dtype(dtype)
    return d.startswith("int") or d.startswith("uint")


def int_shape(x):
    s = x.shape
    if hasattr(s, "as_list"):
        try:
            return tuple(s.as_list())
        except ValueError:
            return None
    return tuple(s)


def ndim(x):
    return len(x.shape)


def dtype(x):
    return standardize_dtype(x.dtype)


def is_keras_tensor(x):
    from tfjax._src.keras.keras_tensor import KerasTensor  # noqa: PLC0415
    return isinstance(x, KerasTensor)


def is_tensor(x):
    from tfjax._src.tensor import is_tensor as _is  # noqa: PLC0415
    return _is(x)


def get_value(x):
    return np.asarray(x)


def set_value(x, value):
    x.assign(value)


def batch_get_value(xs):
    return [get_value(x) for x in xs]


def batch_set_value(tuples):
    for x, v in tuples:
        x.assign(v)


def learning_phase():
    return 0


def get_uid(prefix=""):
    n = _names.counts[("uid", prefix)] + 1
    _names.counts[("uid", prefix)] = n
    return n


def result_type(*dtypes_):
    from tfjax._src.keras.ops.core import result_type as _rt  # noqa: PLC0415
    return _rt(*dtypes_)
