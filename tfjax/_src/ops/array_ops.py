"""Shape and indexing ops (``tf.reshape``, ``tf.concat``, ``tensor[...]``, ...)."""

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
from tfjax._src.ragged.ragged_tensor import RaggedTensor
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


def _concat(*xs, axis):
    return jnp.concatenate(xs, axis=axis)


def concat(values, axis, name="concat"):
    if isinstance(values, (list, tuple)) and any(isinstance(v, RaggedTensor) for v in values):
        from tfjax._src.ragged import ragged_math  # noqa: PLC0415
        return ragged_math.concat(values, axis)
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
    if isinstance(values, (list, tuple)) and any(isinstance(v, RaggedTensor) for v in values):
        from tfjax._src.ragged import ragged_math  # noqa: PLC0415
        return ragged_math.stack(values, axis)
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



# ---------------------------------------------------------------------------------------
# More shape ops
# ---------------------------------------------------------------------------------------
def _split(x, *, indices, axis):
    return tuple(jnp.split(x, indices, axis=axis))


def split(value, num_or_size_splits, axis=0, num=None, name="split"):
    """``tf.split``: a number of equal parts, or a list of sizes (one may be -1)."""
    x = convert.tensor(value)
    r = x._value.ndim
    axis = convert.static_int(axis, "axis")
    if not -r <= axis < r:
        raise errors.invalid_argument("Split", f"-input rank(-{r}) <= split_dim < input rank ({r}), but got {axis}")
    axis %= r
    n = x._value.shape[axis]
    if isinstance(num_or_size_splits, (int, np.integer)) or (
            isinstance(num_or_size_splits, (Tensor, Variable)) and np.ndim(num_or_size_splits) == 0):
        k = convert.static_int(num_or_size_splits)
        if k <= 0 or n % k:
            raise errors.invalid_argument(
                "Split", f"Number of ways to split should evenly divide the split dimension, but got "
                f"split_dim {axis} (size = {n}) and num_split {k}")
        sizes = [n // k] * k
    else:
        sizes = list(convert.static_shape(num_or_size_splits, "size_splits"))
        unknown = [i for i, s in enumerate(sizes) if s == -1]
        if len(unknown) > 1:
            raise errors.invalid_argument("SplitV", "Only one dimensions can have a value of -1")
        if unknown:
            sizes[unknown[0]] = n - (builtins.sum(sizes) + 1)
        if builtins.sum(sizes) != n or any(s < 0 for s in sizes):
            raise errors.invalid_argument(
                "SplitV", f"Determined shape must either match input shape along split_dim exactly if "
                f"fully specified, or be less than the size of the input along split_dim if not fully "
                f"specified.  Got: {builtins.sum(sizes)}")
    idx = tuple(int(i) for i in np.cumsum(sizes)[:-1])
    out = dispatch.apply(_split, x, indices=idx, axis=axis)
    return list(out) if isinstance(out, tuple) else [out]


def _tile(x, *, reps):
    return jnp.tile(x, reps)


def tile(input, multiples, name=None):  # noqa: A002 - TF name
    x = convert.tensor(input)
    reps = convert.static_shape(multiples, "multiples")
    if len(reps) != x._value.ndim:
        raise errors.invalid_argument(
            "Tile", f"Expected multiples argument to be a vector of length {x._value.ndim} but got length {len(reps)}")
    if any(m < 0 for m in reps):
        raise errors.invalid_argument("Tile", f"Expected multiples[i] >= 0, but got {list(reps)}")
    return dispatch.apply(_tile, x, reps=tuple(reps))


def _pad(x, c, *, pads, mode):
    if mode == "constant":
        return jnp.pad(x, pads, mode="constant", constant_values=c)
    return jnp.pad(x, pads, mode=mode)


def _pad_nc(x, *, pads, mode):
    return jnp.pad(x, pads, mode=mode)


def pad(tensor, paddings, mode="CONSTANT", constant_values=0, name=None):
    """``tf.pad`` with CONSTANT, REFLECT and SYMMETRIC modes."""
    x = convert.tensor(tensor)
    p = np.asarray(paddings if not isinstance(paddings, (Tensor, Variable)) else np.asarray(paddings))
    if p.ndim != 2 or p.shape != (x._value.ndim, 2):
        raise errors.invalid_argument(
            "Pad", f"The first dimension of paddings must be the rank of inputs[{x._value.ndim},2], "
            f"but got {list(p.shape)}")
    pads = tuple((int(a), int(b)) for a, b in p.tolist())
    if any(a < 0 or b < 0 for a, b in pads):
        raise errors.invalid_argument("Pad", f"Paddings must be non-negative: {pads}")
    m = str(mode).upper()
    if m == "CONSTANT":
        c = convert.binary(x, constant_values, "Pad")[1] if x.dtype is not dtypes.string else None
        if c is None:
            raise errors.unsupported("tf.pad on strings")
        return dispatch.apply(_pad, x, c, pads=pads, mode="constant")
    if m not in ("REFLECT", "SYMMETRIC"):
        raise ValueError(f"Value of argument `mode` expected to be one of \"CONSTANT\", \"REFLECT\", or "
                         f"\"SYMMETRIC\". Received `mode` = {mode}")
    off = 0 if m == "REFLECT" else 1
    for d, (a, b) in zip(x._value.shape, pads):
        if a >= d + off or b >= d + off:
            raise errors.invalid_argument(
                "MirrorPad", f"paddings must be less than{'' if off == 0 else ' or equal to'} the dimension "
                f"size: {a}, {b} not less than {d + off}")
    return dispatch.apply(_pad_nc, x, pads=pads, mode=m.lower())


def _reverse(x, *, axis):
    return jnp.flip(x, axis)


def reverse(tensor, axis, name=None):
    x = convert.tensor(tensor)
    r = x._value.ndim
    axes = [int(a) for a in np.asarray(axis if not isinstance(axis, (Tensor, Variable)) else np.asarray(axis)).reshape(-1)]
    for a in axes:
        if not -r <= a < r:
            raise errors.invalid_argument("ReverseV2", f"'axis'[0] = {a} is out of valid range [0, {r - 1}")
    norm = tuple(sorted({a % r for a in axes}))
    if len(norm) != len(axes):
        raise errors.invalid_argument("ReverseV2", f"axis {axes[0]} specified more than once.")
    return dispatch.apply(_reverse, x, axis=norm)


reverse_v2 = reverse


def _roll(x, *, shift, axis):
    return jnp.roll(x, shift, axis)


def roll(input, shift, axis, name=None):  # noqa: A002 - TF name
    x = convert.tensor(input)
    sh = [int(s) for s in np.asarray(np.asarray(shift) if isinstance(shift, (Tensor, Variable)) else shift).reshape(-1)]
    ax = [int(a) for a in np.asarray(np.asarray(axis) if isinstance(axis, (Tensor, Variable)) else axis).reshape(-1)]
    if len(sh) != len(ax):
        raise errors.invalid_argument("Roll", f"shift and axis must have the same size")
    r = x._value.ndim
    for a in ax:
        if not -r <= a < r:
            raise errors.invalid_argument("Roll", f"axis {a} is out of range")
    total = {}
    for s, a in zip(sh, ax):
        total[a % r] = total.get(a % r, 0) + s
    keys = tuple(sorted(total))
    return dispatch.apply(_roll, x, shift=tuple(total[k] for k in keys), axis=keys)


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


def _repeat(x, *, repeats, axis, total):
    return jnp.repeat(x, jnp.asarray(repeats) if isinstance(repeats, tuple) else repeats, axis=axis,
                      total_repeat_length=total)


def repeat(input, repeats, axis=None, name=None):  # noqa: A002 - TF name
    x = convert.tensor(input)
    if axis is None:
        x = reshape(x, [-1])
        axis = 0
    axis = convert.static_int(axis, "axis") % builtins.max(x._value.ndim, 1)
    reps = np.asarray(np.asarray(repeats) if isinstance(repeats, (Tensor, Variable)) else repeats).reshape(-1)
    if reps.size == 1:
        rep = int(reps[0])
        total = rep * x._value.shape[axis]
        return dispatch.apply(_repeat, x, repeats=rep, axis=axis, total=total)
    if reps.size != x._value.shape[axis]:
        raise errors.invalid_argument(
            "Repeat", f"repeats must have the same size as input along axis, got {reps.size} and {x._value.shape[axis]}")
    reps_t = tuple(int(r) for r in reps)
    return dispatch.apply(_repeat, x, repeats=reps_t, axis=axis, total=builtins.sum(reps_t))


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


def _hist(v, lo, hi, *, nbins, np_dtype):
    v = v.reshape(-1)
    scaled = (v - lo) / (hi - lo) * nbins
    idx = jnp.clip(jnp.floor(scaled).astype(jnp.int64), 0, nbins - 1)
    return jnp.zeros((nbins,), np_dtype).at[idx].add(jnp.ones_like(idx, np_dtype))


def _hist_bins(v, lo, hi, *, nbins, np_dtype):
    scaled = (v - lo) / (hi - lo) * nbins
    return jnp.clip(jnp.floor(scaled).astype(jnp.int64), 0, nbins - 1).astype(np_dtype)


def _hist_args(values, value_range, nbins, op_name):
    v = convert.tensor(values)
    r = convert.tensor(value_range, dtype_hint=v.dtype)
    if r.dtype is not v.dtype:
        r = Tensor(r._value.astype(v._value.dtype))
    n = convert.static_int(nbins, "nbins")
    if n <= 0:
        raise errors.invalid_argument(op_name, f"nbins should be a positive number, but got '{n}'")
    if convert.is_concrete(r):
        rr = np.asarray(r._value)
        if not rr[0] < rr[1]:
            raise errors.invalid_argument(op_name, f"value_range should satisfy value_range[0] < value_range[1], "
                                          f"but got '[{rr[0]}, {rr[1]}]'")
    lo = Tensor(r._value[0].astype(np.float64))
    hi = Tensor(r._value[1].astype(np.float64))
    return Tensor(v._value.astype(np.float64)), lo, hi, n


def histogram_fixed_width(values, value_range, nbins=100, dtype=dtypes.int32, name=None):
    v, lo, hi, n = _hist_args(values, value_range, nbins, "HistogramFixedWidth")
    return dispatch.apply_unrecorded(_hist, v, lo, hi, nbins=n, np_dtype=dtypes.as_dtype(dtype)._np)


def histogram_fixed_width_bins(values, value_range, nbins=100, dtype=dtypes.int32, name=None):
    v, lo, hi, n = _hist_args(values, value_range, nbins, "HistogramFixedWidthBins")
    return dispatch.apply_unrecorded(_hist_bins, v, lo, hi, nbins=n, np_dtype=dtypes.as_dtype(dtype)._np)


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


def _reverse_sequence(x, lens, *, seq_axis, batch_axis):
    n = x.shape[seq_axis]
    pos = jnp.arange(n)
    shape = [1] * x.ndim
    shape[seq_axis] = n
    pos = pos.reshape(shape)
    lshape = [1] * x.ndim
    lshape[batch_axis] = x.shape[batch_axis]
    l = lens.reshape(lshape).astype(pos.dtype)
    src = jnp.where(pos < l, l - 1 - pos, pos)
    src = jnp.broadcast_to(src, x.shape)
    return jnp.take_along_axis(x, src, axis=seq_axis)


def reverse_sequence(input, seq_lengths, seq_axis=None, batch_axis=None, name=None):  # noqa: A002
    x = convert.tensor(input)
    l = convert.tensor(seq_lengths)
    seq_axis = convert.static_int(seq_axis if seq_axis is not None else 0) % x._value.ndim
    batch_axis = convert.static_int(batch_axis if batch_axis is not None else 0) % x._value.ndim
    if convert.is_concrete(l) and np.size(l._value):
        if np.max(np.asarray(l._value)) > x._value.shape[seq_axis]:
            raise errors.invalid_argument("ReverseSequence", "seq_lens(0) > input.dim_size(seq_dim)")
    return dispatch.apply(_reverse_sequence, x, l, seq_axis=seq_axis, batch_axis=batch_axis)


def parallel_stack(values, name="parallel_stack"):
    """``tf.parallel_stack``: graph-only in TF, so eager calls raise RuntimeError as TF does."""
    ts = [convert.tensor(v) for v in values]
    if all(convert.is_concrete(t) for t in ts):
        raise RuntimeError("tf.parallel_stack() is not compatible with eager execution.")
    return stack(ts, 0)


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
