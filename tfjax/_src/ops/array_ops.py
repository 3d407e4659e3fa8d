"""Shape ops: ``tf.identity``, shape queries, ``reshape`` / ``expand_dims`` / ``squeeze`` / ``transpose``,
``broadcast_to``, ``unique``, ``boolean_mask``, ``dynamic_stitch`` / ``dynamic_partition``, ``space_to_depth``, ...

Creation ops live in :mod:`.creation_ops` and indexing (``tensor[...]``, gather / scatter, ``tf.where``) in
:mod:`.indexing_ops`; both are re-exported here because many callers use ``array_ops.<name>``.
Joining / splitting ops (``concat``, ``stack``, ``split``, ``tile``, ``pad``, ...) live in :mod:`.manip_ops`,
which builds on ``reshape`` here and so cannot be re-exported by this module.
"""

from __future__ import annotations

import builtins
import collections

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

# Moved to their own modules; many callers still reach them as ``array_ops.<name>``.
from tfjax._src.ops.creation_ops import (  # noqa: F401 - re-export
    zeros, ones, zeros_like, ones_like, fill, range, meshgrid, linspace, lin_space, sequence_mask, one_hot,
)
from tfjax._src.ops.indexing_ops import (  # noqa: F401 - re-export
    getitem, setitem, gather, gather_nd, tensor_scatter_nd_update, tensor_scatter_nd_add, tensor_scatter_nd_sub,
    tensor_scatter_nd_max, tensor_scatter_nd_min, scatter_nd, slice, strided_slice, where, unravel_index,
    _check_indices,
)

_Tracer = jax.core.Tracer
newaxis = None


# -- identity / gradient control -------------------------------------------------
def _identity(x):
    return x


def identity(input, name=None):  # noqa: A002 - TF name
    return dispatch.apply(_identity, convert.tensor(input))


def stop_gradient(input, name=None):  # noqa: A002 - TF name
    return dispatch.apply(lax.stop_gradient, convert.tensor(input))


# -- shape queries (int32, as TF) -----------------------------------------------
def _static_int_tensor(value, np_dtype):
    """Shape facts are known statically, even inside tf.function: keep them as host
    constants so ``tf.random.normal(tf.shape(x))`` or ``tf.range(tf.shape(x)[1])``
    get concrete sizes (XLA needs static shapes)."""
    arr = np.asarray(value)
    if arr.dtype == object:      # symbolic dimensions (jax2tf shape polymorphism)
        return Tensor(jnp.asarray(value, np_dtype))
    return Tensor(arr.astype(np_dtype))


def shape(input, out_type=dtypes.int32, name=None):  # noqa: A002 - TF name
    x = convert.tensor(input)
    return _static_int_tensor(x._value.shape, dtypes.as_dtype(out_type)._np)


def size(input, out_type=dtypes.int32, name=None):  # noqa: A002 - TF name
    x = convert.tensor(input)
    return _static_int_tensor(np.prod(x._value.shape, dtype=np.int64), dtypes.as_dtype(out_type)._np)


def rank(input, name=None):  # noqa: A002 - TF name
    x = convert.tensor(input)
    return _static_int_tensor(x._value.ndim, np.int32)


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


def _broadcast_to(x, *, shape):
    return jnp.broadcast_to(x, shape)


def broadcast_to(input, shape, name=None):  # noqa: A002 - TF name
    x = convert.tensor(input)
    target = convert.static_shape(shape)
    src = x._value.shape
    ok = len(target) >= len(src) and all(s == 1 or s == t for s, t in zip(src[::-1], target[::-1]))
    if not ok:
        raise errors.invalid_argument(
            "BroadcastTo", f"Unable to broadcast tensor of shape {list(src)} to tensor of shape {list(target)}")
    return dispatch.apply(_broadcast_to, x, shape=tuple(target))


def broadcast_static_shape(shape_x, shape_y):
    from tfjax._src.tensor_shape import TensorShape  # noqa: PLC0415
    sx, sy = TensorShape(shape_x), TensorShape(shape_y)
    if sx.rank is None or sy.rank is None:
        return TensorShape(None)
    a, b = sx.as_list(), sy.as_list()
    n = builtins.max(len(a), len(b))
    a = [1] * (n - len(a)) + a
    b = [1] * (n - len(b)) + b
    out = []
    for da, db in zip(a, b):
        if da is None or db is None:
            out.append(db if da == 1 else da if db == 1 else (da if da is not None else db))
        elif da == db or db == 1:
            out.append(da)
        elif da == 1:
            out.append(db)
        else:
            raise ValueError(f"Incompatible shapes for broadcasting. Two shapes are compatible if for each "
                             f"dimension pair they are either equal or one of them is 1. Received: {sx} and {sy}.")
    return TensorShape(out)


def broadcast_dynamic_shape(shape_x, shape_y):
    sx = convert.tensor(shape_x)
    a = [int(v) for v in np.asarray(sx._value).reshape(-1)]
    b = [int(v) for v in np.asarray(convert.tensor(shape_y)._value).reshape(-1)]
    try:
        out = np.broadcast_shapes(tuple(a), tuple(b))
    except ValueError:
        raise errors.invalid_argument("BroadcastArgs", f"Incompatible shapes: {a} vs. {b}") from None
    return Tensor(jnp.asarray(out, sx._value.dtype))


Unique = collections.namedtuple("Unique", ["y", "idx"])
UniqueWithCounts = collections.namedtuple("UniqueWithCounts", ["y", "idx", "count"])


def _unique_np(x):
    arr = np.asarray(x._value)
    if arr.ndim != 1:
        raise errors.invalid_argument("Unique", f"unique expects a 1D vector.")
    if arr.dtype == object:
        keys = arr.tolist()
    else:
        keys = arr.tolist()
    first = {}
    idx = np.empty(len(keys), np.int64)
    counts = []
    for i, k in enumerate(keys):
        j = first.get(k)
        if j is None:
            j = first[k] = len(first)
            counts.append(0)
        idx[i] = j
        counts[j] += 1
    order = np.full(len(first), 0, np.int64)
    for k, j in first.items():
        order[j] = keys.index(k)
    return arr[order] if len(order) else arr[:0], idx, np.asarray(counts, np.int64)


def unique(x, out_idx=dtypes.int32, name=None):
    """``tf.unique`` (eager: its output shape depends on the values)."""
    t = convert.tensor(x)
    if not convert.is_concrete(t):
        raise convert.data_dependent("tf.unique")
    y, idx, _ = _unique_np(t)
    od = dtypes.as_dtype(out_idx)._np
    return Unique(Tensor(y if y.dtype == object else jnp.asarray(y)), Tensor(jnp.asarray(idx.astype(od))))


def unique_with_counts(x, out_idx=dtypes.int32, name=None):
    t = convert.tensor(x)
    if not convert.is_concrete(t):
        raise convert.data_dependent("tf.unique_with_counts")
    y, idx, counts = _unique_np(t)
    od = dtypes.as_dtype(out_idx)._np
    return UniqueWithCounts(Tensor(y if y.dtype == object else jnp.asarray(y)),
                            Tensor(jnp.asarray(idx.astype(od))), Tensor(jnp.asarray(counts.astype(od))))


def _take0(x, idx):
    return jnp.take(x, idx, axis=0)


def boolean_mask(tensor, mask, axis=None, name="boolean_mask"):
    """``tf.boolean_mask`` (eager: the output shape depends on the mask's values)."""
    x = convert.tensor(tensor)
    m = convert.tensor(mask)
    if m.dtype is not dtypes.bool:
        raise TypeError(f"mask must be bool, got {m.dtype.name}")
    axis = 0 if axis is None else convert.static_int(axis, "axis")
    k = m._value.ndim
    if k == 0:
        raise ValueError("mask cannot be scalar.")
    xs = x._value.shape
    axis %= builtins.max(len(xs), 1)
    if tuple(xs[axis:axis + k]) != tuple(m._value.shape):
        raise ValueError(f"Shapes {x.shape[axis:axis + k]} and {m.shape} are incompatible")
    if not convert.is_concrete(m):
        raise convert.data_dependent("tf.boolean_mask", "tf.where(mask, x, 0) keeps the shape static")
    flat_shape = tuple(xs[:axis]) + (int(np.prod(xs[axis:axis + k], dtype=np.int64)),) + tuple(xs[axis + k:])
    xr = reshape(x, flat_shape)
    idx = Tensor(jnp.asarray(np.flatnonzero(np.asarray(m._value)).astype(np.int32)))
    if axis == 0:
        return dispatch.apply(_take0, xr, idx)
    return gather(xr, idx, axis=axis)


def shape_n(input, out_type=dtypes.int32, name=None):  # noqa: A002 - TF name
    return [shape(x, out_type) for x in input]


def _identity_n(*xs):
    return tuple(xs)


def identity_n(input, name=None):  # noqa: A002 - TF name
    ts = [convert.tensor(x) for x in input]
    if not ts:
        return []
    out = dispatch.apply(_identity_n, *ts)
    return list(out) if isinstance(out, tuple) else [out]


def ensure_shape(x, shape, name=None):
    from tfjax._src.tensor_shape import TensorShape  # noqa: PLC0415
    t = convert.tensor(x)
    if not TensorShape(shape).is_compatible_with(t.shape):
        raise errors.invalid_argument(
            "EnsureShape", f"Shape of tensor {t.shape} is not compatible with expected shape {TensorShape(shape)}.")
    return t


def _dynamic_stitch(*args, n_idx, size):
    idx, data = args[:n_idx], args[n_idx:]
    inner = data[0].shape[idx[0].ndim:]
    out = jnp.zeros((size,) + inner, data[0].dtype)
    for i, d in zip(idx, data):
        out = out.at[i.reshape(-1)].set(d.reshape((-1,) + inner))
    return out


def dynamic_stitch(indices, data, name=None):
    idx = [convert.tensor(i) for i in indices]
    ds = convert.same_dtype(list(data), "DynamicStitch")
    if not all(convert.is_concrete(i) for i in idx):
        raise convert.data_dependent("tf.dynamic_stitch")
    size = builtins.max((int(np.max(np.asarray(i._value), initial=-1)) for i in idx), default=-1) + 1
    return dispatch.apply(_dynamic_stitch, *idx, *ds, n_idx=len(idx), size=size)


def dynamic_partition(data, partitions, num_partitions, name=None):
    x = convert.tensor(data)
    p = convert.tensor(partitions)
    if not convert.is_concrete(p):
        raise convert.data_dependent("tf.dynamic_partition")
    parr = np.asarray(p._value)
    n = convert.static_int(num_partitions)
    if parr.size and (parr.min() < 0 or parr.max() >= n):
        raise errors.invalid_argument("DynamicPartition", f"partitions must be in [0, {n})")
    k = parr.ndim
    flat = reshape(x, (-1,) + tuple(x._value.shape[k:]))
    pf = parr.reshape(-1)
    return [dispatch.apply(_take0, flat, Tensor(jnp.asarray(np.flatnonzero(pf == i).astype(np.int32))))
            for i in builtins.range(n)]


def get_static_value(tensor, partial=False):
    from tfjax._src.tensor_shape import TensorShape  # noqa: PLC0415
    if isinstance(tensor, TensorShape):
        return np.asarray(tensor.as_list()) if tensor.is_fully_defined() else None
    if isinstance(tensor, (Tensor, Variable)):
        v = tensor._value if isinstance(tensor, Tensor) else tensor._read_raw()
        if isinstance(v, _Tracer):
            return None
        return np.asarray(v)
    return np.asarray(tensor)


def _bitcast(x, *, np_dtype):
    return lax.bitcast_convert_type(x, np_dtype)


def bitcast(input, type, name=None):  # noqa: A002 - TF names
    x = convert.tensor(input)
    d = dtypes.as_dtype(type)
    if x.dtype.size != d.size:
        raise errors.unsupported("tf.bitcast between dtypes of different sizes")
    return dispatch.apply_unrecorded(_bitcast, x, np_dtype=d._np)


def _space_to_depth(x, *, b, nchw):
    if nchw:
        x = jnp.transpose(x, (0, 2, 3, 1))
    n, h, w, c = x.shape
    x = x.reshape(n, h // b, b, w // b, b, c).transpose(0, 1, 3, 2, 4, 5).reshape(n, h // b, w // b, b * b * c)
    return jnp.transpose(x, (0, 3, 1, 2)) if nchw else x


def _depth_to_space(x, *, b, nchw):
    if nchw:
        x = jnp.transpose(x, (0, 2, 3, 1))
    n, h, w, c = x.shape
    x = x.reshape(n, h, w, b, b, c // (b * b)).transpose(0, 1, 3, 2, 4, 5).reshape(n, h * b, w * b, c // (b * b))
    return jnp.transpose(x, (0, 3, 1, 2)) if nchw else x


def space_to_depth(input, block_size, data_format="NHWC", name=None):  # noqa: A002
    x = convert.tensor(input)
    b = int(block_size)
    nchw = data_format == "NCHW"
    if x._value.ndim != 4:
        raise errors.invalid_argument("SpaceToDepth", f"Input rank should be: 4 instead of: {x._value.ndim}")
    h, w = (x._value.shape[2:] if nchw else x._value.shape[1:3])
    if b < 2 or h % b or w % b:
        raise errors.invalid_argument(
            "SpaceToDepth", f"Image width {w} and height {h} should be divisible by block_size: {b}")
    return dispatch.apply(_space_to_depth, x, b=b, nchw=nchw)


def depth_to_space(input, block_size, data_format="NHWC", name=None):  # noqa: A002
    x = convert.tensor(input)
    b = int(block_size)
    nchw = data_format == "NCHW"
    if x._value.ndim != 4:
        raise errors.invalid_argument("DepthToSpace", f"Input rank should be: 4 instead of: {x._value.ndim}")
    c = x._value.shape[1] if nchw else x._value.shape[3]
    if b < 2 or c % (b * b):
        raise errors.invalid_argument(
            "DepthToSpace", f"Input depth dimension {c} should be divisible by: {b * b}")
    return dispatch.apply(_depth_to_space, x, b=b, nchw=nchw)
