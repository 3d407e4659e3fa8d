"""``tf.compat`` (string/path helpers, forward compatibility) and ``tf.version``.

tfjax emulates the TensorFlow 2.21 Python API: ``tf.version.VERSION`` is that release (the same
string as ``tf.__version__`` under ``python -m tfjax``), and ``forward_compatible`` answers with
TF 2.21's forward-compatibility horizon."""

from __future__ import annotations

import codecs
import contextlib
import datetime
import numbers

import numpy as np

from tfjax._src.install import EMULATED_TF_VERSION
from tfjax._src.tensor_shape import Dimension, TensorShape, dimension_value  # noqa: F401

# -- tf.version ----------------------------------------------------------------------------
VERSION = EMULATED_TF_VERSION
GIT_VERSION = "v2.21.0-tfjax"
COMPILER_VERSION = "tfjax (JAX/XLA)"
GRAPH_DEF_VERSION = 2474
GRAPH_DEF_VERSION_MIN_CONSUMER = 0
GRAPH_DEF_VERSION_MIN_PRODUCER = 0

# -- tf.compat -----------------------------------------------------------------------------
bytes_or_text_types = (bytes, str)
integral_types = (numbers.Integral, np.integer)
real_types = (numbers.Real, np.integer, np.floating)
complex_types = (numbers.Complex, np.number)


def as_bytes(bytes_or_text, encoding="utf-8"):
    encoding = codecs.lookup(encoding).name
    if isinstance(bytes_or_text, bytearray):
        return bytes(bytes_or_text)
    if isinstance(bytes_or_text, str):
        return bytes_or_text.encode(encoding)
    if isinstance(bytes_or_text, bytes):
        return bytes_or_text
    raise TypeError(f"Expected binary or unicode string, got {bytes_or_text!r}")


def as_text(bytes_or_text, encoding="utf-8"):
    encoding = codecs.lookup(encoding).name
    if isinstance(bytes_or_text, str):
        return bytes_or_text
    if isinstance(bytes_or_text, bytes):
        return bytes_or_text.decode(encoding)
    raise TypeError(f"Expected binary or unicode string, got {bytes_or_text!r}")


def as_str(bytes_or_text, encoding="utf-8"):
    return as_text(bytes_or_text, encoding)


def as_str_any(value, encoding="utf-8"):
    if isinstance(value, bytes):
        return as_str(value, encoding=encoding)
    return str(value)


def path_to_str(path):
    if hasattr(path, "__fspath__"):
        path = as_str_any(path.__fspath__())
    return path


def dimension_at_index(shape, index):
    assert isinstance(shape, TensorShape)
    if shape.rank is None:
        return Dimension(None)
    return Dimension(shape[index])


# TF 2.21's forward-compatibility horizon (tensorflow/python/compat/compat.py).
_FORWARD_COMPATIBILITY_HORIZON = datetime.date(2026, 1, 16)
_horizon = [_FORWARD_COMPATIBILITY_HORIZON]


def forward_compatible(year, month, day):
    return _horizon[-1] > datetime.date(year, month, day)


@contextlib.contextmanager
def forward_compatibility_horizon(year, month, day):
    _horizon.append(datetime.date(year, month, day))
    try:
        yield
    finally:
        _horizon.pop()
