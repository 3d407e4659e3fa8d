"""Tensor creation: ``tf.zeros``/``ones``/``fill``/``range``/``linspace``, ``meshgrid``, ``sequence_mask``, ``one_hot``."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from tfjax._src import dispatch
from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src.ops import convert
from tfjax._src.ragged.ragged_tensor import RaggedTensor
from tfjax._src.tensor import Tensor
from tfjax._src.variables import Variable


# -- creation --------------------------------------------------------------------
def zeros(shape, dtype=dtypes.float32, name=None, layout=None):
    dtype = dtypes.as_dtype(dtype)
    return Tensor(jnp.zeros(convert.static_shape(shape), dtype._np))


def ones(shape, dtype=dtypes.float32, name=None, layout=None):
    dtype = dtypes.as_dtype(dtype)
    return Tensor(jnp.ones(convert.static_shape(shape), dtype._np))


def zeros_like(input, dtype=None, name=None, layout=None):  # noqa: A002 - TF name
    if isinstance(input, RaggedTensor):
        return input.with_flat_values(zeros_like(input.flat_values, dtype))
    x = convert.tensor(input)
    d = dtypes.as_dtype(dtype)._np if dtype is not None else x._value.dtype
    return Tensor(jnp.zeros(x._value.shape, d))


def ones_like(input, dtype=None, name=None, layout=None):  # noqa: A002 - TF name
    if isinstance(input, RaggedTensor):
        return input.with_flat_values(ones_like(input.flat_values, dtype))
    x = convert.tensor(input)
    d = dtypes.as_dtype(dtype)._np if dtype is not None else x._value.dtype
    return Tensor(jnp.ones(x._value.shape, d))


def _fill(v, *, shape):
    return jnp.broadcast_to(v, shape)


def fill(dims, value, name=None, layout=None):
    v = convert.tensor(value)
    return dispatch.apply(_fill, v, shape=convert.static_shape(dims))


def range(start, limit=None, delta=1, dtype=None, name="range"):  # noqa: A001 - TF name
    """``tf.range``: int32 for Python ints, float32 for floats, else the inputs' dtype."""
    if limit is None:
        start, limit = 0, start
    vals = [start, limit, delta]
    inferred = None
    for v in vals:
        if isinstance(v, (Tensor, Variable)):
            inferred = v.dtype if inferred is None or v.dtype.is_floating else inferred
    if inferred is None:
        inferred = dtypes.float32 if any(isinstance(v, float) for v in vals) else dtypes.int32
    d = dtypes.as_dtype(dtype) if dtype is not None else inferred
    s, l, dl = (np.asarray(v).item() if isinstance(v, (Tensor, Variable)) else v for v in vals)
    if dl == 0:
        raise errors.invalid_argument("Range", "Requires delta != 0: 0")
    return Tensor(jnp.arange(s, l, dl, dtype=d._np))


def _meshgrid(*xs, indexing):
    return tuple(jnp.meshgrid(*[x.reshape(-1) for x in xs], indexing=indexing))


def meshgrid(*args, **kwargs):
    indexing = kwargs.pop("indexing", "xy")
    kwargs.pop("name", None)
    if kwargs:
        raise TypeError(f"invalid keyword arguments: {sorted(kwargs)}")
    if indexing not in ("xy", "ij"):
        raise ValueError("Argument `indexing` parameter must be either 'xy' or 'ij'")
    if not args:
        return []
    ts = convert.same_dtype(list(args), "Meshgrid")
    return list(dispatch.apply(_meshgrid, *ts, indexing=indexing))


def _linspace(a, b, *, num, axis):
    out = jnp.linspace(a, b, num, axis=axis, dtype=a.dtype)
    return out


def linspace(start, stop, num, name=None, axis=0):
    """``tf.linspace``: float start/stop (broadcast), static ``num``."""
    a, b = convert.binary(start, stop, "LinSpace")
    if not (a.dtype.is_floating or a.dtype.is_complex):
        a, b = Tensor(a._value.astype(np.float64)), Tensor(b._value.astype(np.float64))
    n = convert.static_int(num, "num")
    if n < 0:
        raise errors.invalid_argument("LinSpace", f"Requires num > 0: {n}")
    return dispatch.apply(_linspace, a, b, num=n, axis=convert.static_int(axis))


lin_space = linspace


def _sequence_mask(lengths, *, maxlen, np_dtype):
    r = jnp.arange(maxlen, dtype=lengths.dtype)
    return (r < lengths[..., None]).astype(np_dtype)


def sequence_mask(lengths, maxlen=None, dtype=dtypes.bool, name=None):
    l = convert.tensor(lengths)
    if not l.dtype.is_integer:
        raise TypeError(f"lengths must be integer, got {l.dtype.name}")
    if maxlen is None:
        if not convert.is_concrete(l):
            raise convert.data_dependent("tf.sequence_mask", "pass maxlen")
        m = int(np.max(np.asarray(l._value), initial=0))
    else:
        m = convert.static_int(maxlen, "maxlen")
    return dispatch.apply_unrecorded(_sequence_mask, l, maxlen=m, np_dtype=dtypes.as_dtype(dtype)._np)


def _one_hot(idx, on, off, *, depth, axis):
    oh = jnp.arange(depth, dtype=idx.dtype) == jnp.expand_dims(idx, -1)
    out = jnp.where(oh, on, off)
    if axis != -1 and axis != out.ndim - 1:
        out = jnp.moveaxis(out, -1, axis)
    return out


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    """``tf.one_hot``: out-of-range indices give an all-``off_value`` row (TF's behaviour)."""
    idx = convert.tensor(indices)
    if idx.dtype not in (dtypes.uint8, dtypes.int8, dtypes.int32, dtypes.int64):
        raise errors.invalid_argument(
            "OneHot", f"Value for attr 'TI' of {idx.dtype.name} is not in the list of allowed values: "
            "uint8, int8, int32, int64")
    d = dtypes.as_dtype(dtype) if dtype is not None else None
    if d is None:
        for v in (on_value, off_value):
            if v is not None and (isinstance(v, (Tensor, Variable)) or hasattr(v, "dtype")):
                d = convert.tensor(v).dtype
                break
        else:
            if on_value is not None:
                d = convert.tensor(on_value).dtype
            elif off_value is not None:
                d = convert.tensor(off_value).dtype
            else:
                d = dtypes.float32
    on = convert.tensor(1 if on_value is None else on_value, dtype_hint=d)
    off = convert.tensor(0 if off_value is None else off_value, dtype_hint=d)
    if on_value is None:
        on = Tensor(jnp.ones((), d._np))
    if off_value is None:
        off = Tensor(jnp.zeros((), d._np))
    if on.dtype is not d or off.dtype is not d:
        raise TypeError(f"dtype {d.name} of on_value/off_value does not match the requested dtype")
    depth = convert.static_int(depth, "depth")
    if depth < 0:
        raise errors.invalid_argument("OneHot", f"depth must be non-negative, got: {depth}")
    r = idx._value.ndim
    axis = -1 if axis is None else int(axis)
    if not -1 <= axis <= r:
        raise errors.invalid_argument("OneHot", f"Expected axis to be -1 or between [0, {r}).  But received: {axis}")
    return dispatch.apply(_one_hot, idx, on, off, depth=depth, axis=axis)
