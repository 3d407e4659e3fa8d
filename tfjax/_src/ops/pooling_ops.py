"""``tf.nn`` pooling: ``max_pool`` / ``avg_pool`` (1-D, 2-D, 3-D) and ``tf.nn.pool``."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np
from jax import lax

from tfjax._src import dispatch
from tfjax._src import errors
from tfjax._src.ops import convert
from tfjax._src.ops import math_ops
from tfjax._src.ops import tiled_max_pool
from tfjax._src.ops.conv_ops import _norm_list
from tfjax._src.ops.math_common import kinds

_apply = dispatch.apply
_FLOAT = kinds(("float",))
_REAL = kinds(("float", "int"))


def _window(n, ksize, strides, cf):
    k = _norm_list(ksize, n, "ksize", "NC" if cf else None)
    s = _norm_list(strides, n, "strides", "NC" if cf else None)
    if cf:
        return (1, 1) + k, (1, 1) + s
    return (1,) + k + (1,), (1,) + s + (1,)


def _max_pool(x, *, window, strides, padding):
    if jnp.issubdtype(x.dtype, jnp.floating) and tiled_max_pool.applies(x.shape, window, strides, padding):
        return tiled_max_pool.max_pool(x, window)
    init = -jnp.inf if jnp.issubdtype(x.dtype, jnp.floating) else jnp.iinfo(x.dtype).min
    return lax.reduce_window(x, np.array(init, x.dtype), lax.max, window, strides, padding)


def _avg_pool(x, *, window, strides, padding):
    s = lax.reduce_window(x, np.zeros((), x.dtype), lax.add, window, strides, padding)
    if padding == "VALID":
        return s / np.prod(window).astype(x.dtype)
    ones = jnp.ones(x.shape, x.dtype)
    c = lax.reduce_window(ones, np.zeros((), x.dtype), lax.add, window, strides, padding)
    return s / c


def _pool(kind, input, ksize, strides, padding, data_format, n, op_name):  # noqa: A002
    x = convert.tensor(input)
    if x._value.ndim != n + 2:
        raise ValueError(f"Input tensor must be of rank {n + 2} but was {x._value.ndim}.")
    if kind == "avg":
        math_ops.check(x, _FLOAT, op_name)
    else:
        math_ops.check(x, _REAL, op_name)
    cf = data_format is not None and data_format.startswith("NC")
    win, st = _window(n, ksize, strides, cf)
    if not isinstance(padding, str) or padding.upper() not in ("SAME", "VALID"):
        if kind == "max" and not isinstance(padding, str):
            pads = tuple(tuple(int(a) for a in p) for p in padding)
            return _apply(_max_pool, x, window=win, strides=st, padding=pads)
        raise ValueError(f"padding must be 'SAME' or 'VALID', got {padding!r}")
    if any(k <= 0 for k in win) or any(s <= 0 for s in st):
        raise errors.invalid_argument(op_name, "Sliding window ksize and strides must be > 0")
    p = padding.upper()
    if p == "VALID":
        for d, k in zip(x._value.shape, win):
            if k > d:
                raise errors.invalid_argument(
                    op_name, f"Computed output size would be negative: {(d - k) // 1 + 1} [input_size: {d}, "
                    f"effective_filter_size: {k}, stride: 1]")
    return _apply(_max_pool if kind == "max" else _avg_pool, x, window=win, strides=st, padding=p)


def max_pool(input, ksize, strides, padding, data_format=None, name=None):  # noqa: A002
    x = convert.tensor(input)
    n = x._value.ndim - 2
    if n not in (1, 2, 3):
        raise ValueError(f"`input.shape.rank` must be 3, 4 or 5. Received: input.shape={x.shape}")
    return _pool("max", x, ksize, strides, padding, data_format, n, f"MaxPool{'' if n == 2 else str(n) + 'D'}")


def avg_pool(input, ksize, strides, padding, data_format=None, name=None):  # noqa: A002
    x = convert.tensor(input)
    n = x._value.ndim - 2
    if n not in (1, 2, 3):
        raise ValueError(f"`input.shape.rank` must be 3, 4 or 5. Received: input.shape={x.shape}")
    return _pool("avg", x, ksize, strides, padding, data_format, n, "AvgPool")


def max_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):  # noqa: A002
    return _pool("max", input, ksize, strides, padding, data_format, 1, "MaxPool")


def max_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):  # noqa: A002
    return _pool("max", input, ksize, strides, padding, data_format, 2, "MaxPool")


def max_pool3d(input, ksize, strides, padding, data_format="NDHWC", name=None):  # noqa: A002
    return _pool("max", input, ksize, strides, padding, data_format, 3, "MaxPool3D")


def avg_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):  # noqa: A002
    return _pool("avg", input, ksize, strides, padding, data_format, 1, "AvgPool")


def avg_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):  # noqa: A002
    return _pool("avg", input, ksize, strides, padding, data_format, 2, "AvgPool")


def avg_pool3d(input, ksize, strides, padding, data_format="NDHWC", name=None):  # noqa: A002
    return _pool("avg", input, ksize, strides, padding, data_format, 3, "AvgPool3D")


def pool(input, window_shape, pooling_type, strides=None, padding="VALID", data_format=None,  # noqa: A002
         dilations=None, name=None):
    if dilations is not None and any(d != 1 for d in np.atleast_1d(dilations)):
        raise errors.unsupported("tf.nn.pool(dilations=...)")
    kind = {"MAX": "max", "AVG": "avg"}.get(str(pooling_type).upper())
    if kind is None:
        raise ValueError(f"pooling_type must be 'MAX' or 'AVG', got {pooling_type!r}")
    n = len(window_shape)
    return _pool(kind, input, list(window_shape), strides if strides is not None else 1, padding, data_format,
                 n, "Pool")
