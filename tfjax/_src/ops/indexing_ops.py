"""Indexing: ``Tensor.__getitem__`` / ``__setitem__``, ``tf.slice`` / ``strided_slice``, gather / scatter,
``tf.where``, ``unravel_index``."""

from __future__ import annotations

import builtins

import jax
import jax.numpy as jnp
import numpy as np

from tfjax._src import dispatch
from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src.ops import convert
from tfjax._src.tensor import Tensor
from tfjax._src.variables import Variable


# -- indexing -------------------------------------------------------------------------
def _parse_key(key, shape, op_name="StridedSlice"):
    """Turns a TF index into a static spec plus the dynamic index tensors it uses."""
    if isinstance(key, list):
        key = tuple(key)  # TF reads a list index as a tuple of indices
    if not isinstance(key, tuple):
        key = (key,)
    spec, dyn = [], []
    dim = 0
    n_real = sum(1 for k in key if k is not None and k is not Ellipsis)
    for k in key:
        if k is Ellipsis:
            spec.append(("...",))
            dim = len(shape) - (n_real - sum(1 for s in spec if s[0] in ("i", "s", "t")))
            continue
        if k is None:
            spec.append(("new",))
            continue
        if isinstance(k, builtins.slice):
            parts = []
            for p in (k.start, k.stop, k.step):
                if isinstance(p, (Tensor, Variable)):
                    p = convert.static_int(p, "slice bound")
                elif p is not None:
                    p = int(p.__index__())
                parts.append(p)
            if parts[2] == 0:
                raise ValueError("slice step cannot be zero")
            spec.append(("s",) + tuple(parts))
            dim += 1
            continue
        if isinstance(k, (Tensor, Variable)):
            t = convert.tensor(k)
            if t._value.ndim != 0 or not t.dtype.is_integer:
                raise TypeError(
                    "Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar "
                    f"tf.int32/tf.int64 tensors are valid indices, got {k!r}")
            if convert.is_concrete(t):
                k = int(t._value)
            else:
                spec.append(("t", len(dyn)))
                dyn.append(t)
                dim += 1
                continue
        if isinstance(k, (bool, np.bool_)) or not hasattr(k, "__index__"):
            raise TypeError(
                "Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar "
                f"tf.int32/tf.int64 tensors are valid indices, got {k!r}")
        i = int(k.__index__())
        if dim >= len(shape):
            raise errors.invalid_argument(op_name, f"Index out of range using input dim {len(shape)}; input has only {len(shape)} dims")
        if not -shape[dim] <= i < shape[dim]:
            raise errors.invalid_argument(
                op_name, f"slice index {i} of dimension {dim} out of bounds.")
        spec.append(("i", i))
        dim += 1
    return tuple(spec), dyn


def _index_from_spec(spec, dyn):
    idx = []
    for s in spec:
        kind = s[0]
        if kind == "i":
            idx.append(s[1])
        elif kind == "s":
            idx.append(builtins.slice(s[1], s[2], s[3]))
        elif kind == "...":
            idx.append(Ellipsis)
        elif kind == "new":
            idx.append(None)
        else:
            idx.append(dyn[s[1]])
    return tuple(idx)


def _getitem(x, *dyn, spec):
    return x[_index_from_spec(spec, dyn)]


def getitem(tensor, key):
    """``tensor[key]`` with TF's rules: ints, slices, ``...``, ``tf.newaxis``, scalar int tensors."""
    x = convert.tensor(tensor)
    spec, dyn = _parse_key(key, x._value.shape)
    return dispatch.apply(_getitem, x, *dyn, spec=spec)


def _setitem(x, v, *dyn, spec):
    return x.at[_index_from_spec(spec, dyn)].set(v)


def setitem(tensor, key, value):
    """Functional ``tensor[key] = value`` (backs ``variable[key].assign``)."""
    x = convert.tensor(tensor)
    spec, dyn = _parse_key(key, x._value.shape)
    v = convert.tensor(value, dtype_hint=x.dtype)
    return dispatch.apply(_setitem, x, v, *dyn, spec=spec)


# -- gather / scatter -------------------------------------------------------------------
def _check_indices(idx: Tensor, limit: int, op_name: str, what="indices"):
    if convert.is_concrete(idx) and np.size(idx._value):
        arr = np.asarray(idx._value)
        bad = (arr < 0) | (arr >= limit)
        if bad.any():
            pos = tuple(int(p) for p in np.argwhere(bad)[0])
            raise errors.invalid_argument(
                op_name, f"{what}{list(pos)} = {int(arr[pos])} is not in [0, {limit})")


def _gather(params, indices, *, axis, batch_dims):
    if batch_dims == 0:
        return jnp.take(params, indices, axis=axis)
    fn = lambda p, i: _gather(p, i, axis=axis - 1, batch_dims=batch_dims - 1)  # noqa: E731
    return jax.vmap(fn)(params, indices)


def gather(params, indices, validate_indices=None, axis=None, batch_dims=0, name=None):
    """``tf.gather``: out-of-range indices raise in eager mode (JAX would clamp)."""
    p = convert.tensor(params)
    idx = convert.tensor(indices)
    if not idx.dtype.is_integer:
        raise TypeError(f"Value passed to parameter 'indices' has DataType {idx.dtype.name} not in list of allowed values: int16, int32, int64")
    axis = batch_dims if axis is None else convert.static_int(axis, "axis")
    axis %= max(p._value.ndim, 1)
    batch_dims = batch_dims % (idx._value.ndim + 1) if batch_dims < 0 else batch_dims
    _check_indices(idx, p._value.shape[axis], "GatherV2")
    return dispatch.apply(_gather, p, idx, axis=axis, batch_dims=batch_dims)


def _gather_nd(params, indices, *, batch_dims):
    if batch_dims:
        return jax.vmap(lambda p, i: _gather_nd(p, i, batch_dims=batch_dims - 1))(params, indices)
    k = indices.shape[-1]
    idx = tuple(jnp.moveaxis(indices, -1, 0))
    return params[idx] if k else jnp.broadcast_to(params, indices.shape[:-1] + params.shape)


def gather_nd(params, indices, batch_dims=0, name=None):
    p = convert.tensor(params)
    idx = convert.tensor(indices)
    if convert.is_concrete(idx) and np.size(idx._value):
        arr = np.asarray(idx._value)
        k = arr.shape[-1]
        lim = np.asarray(p._value.shape[batch_dims:batch_dims + k])
        bad = ((arr < 0) | (arr >= lim)).any(axis=-1)
        if bad.any():
            pos = tuple(int(x) for x in np.argwhere(bad)[0])
            raise errors.invalid_argument(
                "GatherNd", f"indices{list(pos)} = {arr[pos].tolist()} does not index into param shape {list(p._value.shape)}")
    return dispatch.apply(_gather_nd, p, idx, batch_dims=int(batch_dims))


def _scatter_nd(tensor, indices, updates, *, mode):
    idx = tuple(jnp.moveaxis(indices, -1, 0))
    ref = tensor.at[idx]
    if mode == "update":
        return ref.set(updates, mode="drop")
    if mode == "add":
        return ref.add(updates, mode="drop")
    if mode == "sub":
        return ref.add(-updates, mode="drop")
    if mode == "max":
        return ref.max(updates, mode="drop")
    return ref.min(updates, mode="drop")


def _tensor_scatter(tensor, indices, updates, mode, op_name):
    t = convert.tensor(tensor)
    idx = convert.tensor(indices)
    u = convert.tensor(updates, dtype_hint=t.dtype)
    if u.dtype is not t.dtype:
        raise errors.invalid_argument(op_name, f"dtype mismatch: tensor {t.dtype.name} vs updates {u.dtype.name}")
    if convert.is_concrete(idx) and np.size(idx._value):
        arr = np.asarray(idx._value)
        lim = np.asarray(t._value.shape[:arr.shape[-1]])
        bad = ((arr < 0) | (arr >= lim)).any(axis=-1)
        if bad.any():
            pos = tuple(int(x) for x in np.argwhere(bad)[0])
            raise errors.invalid_argument(
                op_name, f"indices{list(pos)} = {arr[pos].tolist()} does not index into shape {list(t._value.shape)}")
    return dispatch.apply(_scatter_nd, t, idx, u, mode=mode)


def tensor_scatter_nd_update(tensor, indices, updates, name=None):
    return _tensor_scatter(tensor, indices, updates, "update", "TensorScatterUpdate")


def tensor_scatter_nd_add(tensor, indices, updates, name=None):
    return _tensor_scatter(tensor, indices, updates, "add", "TensorScatterAdd")


def tensor_scatter_nd_sub(tensor, indices, updates, name=None):
    return _tensor_scatter(tensor, indices, updates, "sub", "TensorScatterSub")


def tensor_scatter_nd_max(tensor, indices, updates, name=None):
    return _tensor_scatter(tensor, indices, updates, "max", "TensorScatterMax")


def tensor_scatter_nd_min(tensor, indices, updates, name=None):
    return _tensor_scatter(tensor, indices, updates, "min", "TensorScatterMin")


def scatter_nd(indices, updates, shape, name=None):
    u = convert.tensor(updates)
    base = Tensor(jnp.zeros(convert.static_shape(shape), u._value.dtype))
    return _tensor_scatter(base, indices, u, "add", "ScatterNd")


def slice(input_, begin, size, name=None):  # noqa: A001 - TF name
    """``tf.slice``: ``size[i] == -1`` takes everything from ``begin[i]``."""
    x = convert.tensor(input_)
    shp = x._value.shape
    b = convert.static_shape(begin, "begin")
    s = convert.static_shape(size, "size")
    if len(b) != len(shp) or len(s) != len(shp):
        raise errors.invalid_argument(
            "Slice", f"Expected begin and size arguments to be 1-D tensors of size {len(shp)}, but got shapes "
            f"[{len(b)}] and [{len(s)}] instead.")
    key = []
    for i, (bi, si, d) in enumerate(zip(b, s, shp)):
        if si == -1:
            si = d - bi
        if bi < 0 or si < 0 or bi + si > d:
            raise errors.invalid_argument(
                "Slice", f"Expected size[{i}] in [0, {d - bi}], but got {si}")
        key.append(("s", bi, bi + si, 1))
    return dispatch.apply(_getitem, x, spec=tuple(key))


def strided_slice(input_, begin, end, strides=None, begin_mask=0, end_mask=0, ellipsis_mask=0,
                  new_axis_mask=0, shrink_axis_mask=0, var=None, name=None):
    """``tf.strided_slice`` with all five masks, via the ``__getitem__`` machinery."""
    b = convert.static_shape(begin, "begin")
    e = convert.static_shape(end, "end")
    st = convert.static_shape(strides, "strides") if strides is not None else (1,) * len(b)
    if not (len(b) == len(e) == len(st)):
        raise errors.invalid_argument("StridedSlice", "Expected begin, end, and strides to be 1D equal size tensors")
    key = []
    for i in builtins.range(len(b)):
        bit = 1 << i
        if ellipsis_mask & bit:
            key.append(Ellipsis)
        elif new_axis_mask & bit:
            key.append(None)
        elif shrink_axis_mask & bit:
            key.append(b[i])
        else:
            key.append(builtins.slice(None if begin_mask & bit else b[i], None if end_mask & bit else e[i], st[i]))
    return getitem(input_, tuple(key))


def _where1(cond):
    return cond


def where(condition, x=None, y=None, name=None):
    """``tf.where``: coordinates of true elements (int64, eager) or a broadcasting select."""
    c = convert.tensor(condition)
    if x is None and y is None:
        if not convert.is_concrete(c):
            raise convert.data_dependent("tf.where(condition)")
        arr = np.asarray(c._value)
        if arr.ndim == 0:
            raise errors.invalid_argument("Where", "WhereOp : Unhandled input dimensions: 0")
        coords = np.argwhere(arr if arr.dtype == bool else arr != 0).astype(np.int64)
        return Tensor(jnp.asarray(coords.reshape(-1, arr.ndim)))
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    if c.dtype is not dtypes.bool:
        raise TypeError(f"Input 'condition' of 'SelectV2' Op has type {c.dtype.name} that does not match expected type of bool.")
    xt, yt = convert.binary(x, y, "SelectV2")
    try:
        np.broadcast_shapes(c._value.shape, xt._value.shape, yt._value.shape)
    except ValueError:
        raise errors.invalid_argument(
            "SelectV2", f"condition {list(c._value.shape)}, then {list(xt._value.shape)}, and else "
            f"{list(yt._value.shape)} must be broadcastable") from None
    return dispatch.apply(_select, c, xt, yt)


def _select(c, a, b):
    return jnp.where(c, a, b)


def _unravel(idx, *, dims):
    return jnp.stack(jnp.unravel_index(idx, dims)).astype(idx.dtype)


def unravel_index(indices, dims, name=None):
    i = convert.tensor(indices)
    if i.dtype not in (dtypes.int32, dtypes.int64):
        raise TypeError(f"indices must be int32 or int64, got {i.dtype.name}")
    d = convert.static_shape(dims, "dims")
    n = int(np.prod(d, dtype=np.int64))
    if convert.is_concrete(i) and np.size(i._value):
        arr = np.asarray(i._value)
        if arr.min() < 0 or arr.max() >= n:
            raise errors.invalid_argument(
                "UnravelIndex", f"index out of bound as input indices is {arr.reshape(-1)[np.argmax((arr < 0) | (arr >= n))]}"
                f", and dims.size is {n}")
    return dispatch.apply_unrecorded(_unravel, i, dims=tuple(d))
