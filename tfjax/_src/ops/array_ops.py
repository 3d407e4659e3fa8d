"""Shape and indexing ops (``tf.reshape``, ``tf.concat``, ``tensor[...]``, ...)."""

from __future__ import annotations

import builtins

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from tfjax._src import dispatch
from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src.ops import convert
from tfjax._src.tensor import Tensor
from tfjax._src.variables import Variable

_Tracer = jax.core.Tracer
newaxis = None


# -- identity / gradient control -------------------------------------------------
def _identity(x):
    return x


def identity(input, name=None):  # noqa: A002 - TF name
    return dispatch.apply(_identity, convert.tensor(input))


def stop_gradient(input, name=None):  # noqa: A002 - TF name
    return dispatch.apply(lax.stop_gradient, convert.tensor(input))


# -- creation --------------------------------------------------------------------
def zeros(shape, dtype=dtypes.float32, name=None, layout=None):
    dtype = dtypes.as_dtype(dtype)
    return Tensor(jnp.zeros(convert.static_shape(shape), dtype._np))


def ones(shape, dtype=dtypes.float32, name=None, layout=None):
    dtype = dtypes.as_dtype(dtype)
    return Tensor(jnp.ones(convert.static_shape(shape), dtype._np))


def zeros_like(input, dtype=None, name=None, layout=None):  # noqa: A002 - TF name
    x = convert.tensor(input)
    d = dtypes.as_dtype(dtype)._np if dtype is not None else x._value.dtype
    return Tensor(jnp.zeros(x._value.shape, d))


def ones_like(input, dtype=None, name=None, layout=None):  # noqa: A002 - TF name
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


# -- shape queries (int32, as TF) -----------------------------------------------
def shape(input, out_type=dtypes.int32, name=None):  # noqa: A002 - TF name
    x = convert.tensor(input)
    return Tensor(jnp.asarray(x._value.shape, dtypes.as_dtype(out_type)._np))


def size(input, out_type=dtypes.int32, name=None):  # noqa: A002 - TF name
    x = convert.tensor(input)
    return Tensor(jnp.asarray(int(np.prod(x._value.shape)), dtypes.as_dtype(out_type)._np))


def rank(input, name=None):  # noqa: A002 - TF name
    x = convert.tensor(input)
    return Tensor(jnp.asarray(x._value.ndim, jnp.int32))


# -- reshaping --------------------------------------------------------------------
def _reshape(x, *, shape):
    return jnp.reshape(x, shape)


def reshape(tensor, shape, name=None):
    x = convert.tensor(tensor)
    target = list(convert.static_shape(shape))
    n = int(np.prod(x._value.shape))
    unknown = [i for i, d in enumerate(target) if d == -1 or d is None]
    if len(unknown) > 1:
        raise errors.invalid_argument("Reshape", "only one input size may be -1, not both "
                                      f"{unknown[0]} and {unknown[1]}")
    known = int(np.prod([d for d in target if d not in (-1, None)]))
    if unknown:
        if known == 0 or n % known:
            raise errors.invalid_argument(
                "Reshape", f"Input to reshape is a tensor with {n} values, but the requested shape "
                f"requires a multiple of {known}")
        target[unknown[0]] = n // known
    elif known != n:
        raise errors.invalid_argument(
            "Reshape", f"Input to reshape is a tensor with {n} values, but the requested shape has {known}")
    return dispatch.apply(_reshape, x, shape=tuple(target))


def _expand_dims(x, *, axis):
    return jnp.expand_dims(x, axis)


def expand_dims(input, axis, name=None):  # noqa: A002 - TF name
    x = convert.tensor(input)
    axis = convert.static_int(axis, "axis")
    r = x._value.ndim
    if not -r - 1 <= axis <= r:
        raise errors.invalid_argument("ExpandDims", f"Tried to expand dim index {axis} for tensor with {r} dimensions.")
    return dispatch.apply(_expand_dims, x, axis=axis % (r + 1))


def _squeeze(x, *, axis):
    return jnp.squeeze(x, axis)


def squeeze(input, axis=None, name=None):  # noqa: A002 - TF name
    x = convert.tensor(input)
    shp = x._value.shape
    if axis is None:
        axes = tuple(i for i, d in enumerate(shp) if d == 1)
    else:
        axes = convert.axis_tuple(axis, len(shp))
        for a in axes:
            if shp[a] != 1:
                raise errors.invalid_argument(
                    "Squeeze", f"Can not squeeze dim[{a}], expected a dimension of 1, got {shp[a]}")
    return dispatch.apply(_squeeze, x, axis=axes)


def _transpose(x, *, perm):
    return jnp.transpose(x, perm)


def transpose(a, perm=None, conjugate=False, name="transpose"):
    x = convert.tensor(a)
    r = x._value.ndim
    perm = tuple(reversed(builtins.range(r))) if perm is None else tuple(int(p) for p in convert.static_shape(perm))
    if sorted(p % r if r else p for p in perm) != list(builtins.range(r)):
        raise errors.invalid_argument("Transpose", f"transpose expects a vector of size {r}. But input(1) is a vector of size {len(perm)}")
    out = dispatch.apply(_transpose, x, perm=tuple(p % r for p in perm))
    if conjugate and x.dtype.is_complex:
        out = dispatch.apply(jnp.conj, out)
    return out


def _concat(*xs, axis):
    return jnp.concatenate(xs, axis=axis)


def concat(values, axis, name="concat"):
    ts = convert.same_dtype(list(values), "ConcatV2")
    if not ts:
        raise ValueError("List argument 'values' to 'ConcatV2' Op with length 0 shorter than minimum length 2.")
    r = ts[0]._value.ndim
    axis = convert.static_int(axis, "axis")
    if not -r <= axis < max(r, 1):
        raise errors.invalid_argument("ConcatV2", f"ConcatOp : Expected concatenating dimensions in the range [{-r}, {r}), but got {axis}")
    axis %= max(r, 1)
    for i, t in enumerate(ts[1:], 1):
        s0, s = ts[0]._value.shape, t._value.shape
        if len(s) != r or any(a != b for k, (a, b) in enumerate(zip(s0, s)) if k != axis):
            raise errors.invalid_argument(
                "ConcatV2", f"ConcatOp : Dimension {next((k for k, (a, b) in enumerate(zip(s0, s)) if k != axis and a != b), 0)} "
                f"in both shapes must be equal: shape[0] = {list(s0)} vs. shape[{i}] = {list(s)}")
    if len(ts) == 1:
        return identity(ts[0])
    return dispatch.apply(_concat, *ts, axis=axis)


def _stack(*xs, axis):
    return jnp.stack(xs, axis=axis)


def stack(values, axis=0, name="stack"):
    ts = convert.same_dtype(list(values), "Pack")
    if not ts:
        raise ValueError("stack of an empty list is not supported")
    s0 = ts[0]._value.shape
    for i, t in enumerate(ts[1:], 1):
        if t._value.shape != s0:
            raise errors.invalid_argument(
                "Pack", f"Shapes of all inputs must match: values[0].shape = {list(s0)} != "
                f"values[{i}].shape = {list(t._value.shape)}")
    r = len(s0) + 1
    axis = convert.static_int(axis, "axis")
    if not -r <= axis < r:
        raise ValueError(f"Argument `axis` = {axis} not in range [{-r}, {r})")
    return dispatch.apply(_stack, *ts, axis=axis % r)


def _unstack(x, *, axis, num):
    return tuple(jnp.squeeze(s, axis) for s in jnp.split(x, num, axis=axis))


def unstack(value, num=None, axis=0, name="unstack"):
    x = convert.tensor(value)
    r = x._value.ndim
    if r == 0:
        raise ValueError("Cannot unstack a scalar (rank 0) tensor.")
    axis = convert.static_int(axis, "axis") % r
    n = x._value.shape[axis]
    if num is not None and num != n:
        raise ValueError(f"Cannot infer argument `num` from shape {x.shape}")
    if n == 0:
        return []
    return list(dispatch.apply(_unstack, x, axis=axis, num=n))


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
        if isinstance(k, slice):
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
            idx.append(slice(s[1], s[2], s[3]))
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

