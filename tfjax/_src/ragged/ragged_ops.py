"""``tf.ragged.*`` functions and the Python operators of RaggedTensor."""

from __future__ import annotations

import numpy as np

from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src import nest
from tfjax._src import tensor as tensor_lib
from tfjax._src.ragged import ragged_math
from tfjax._src.ragged.ragged_tensor import RaggedTensor, host, wrap
from tfjax._src.tensor import Tensor


# -- tf.ragged.constant ------------------------------------------------------------
def _is_seq(x):
    return isinstance(x, (list, tuple))


def _scalar_depths(x, depth, found):
    if _is_seq(x):
        if not x:
            found.setdefault("empty", set()).add(depth + 1)
        for e in x:
            _scalar_depths(e, depth + 1, found)
    elif isinstance(x, np.ndarray) and x.ndim:
        _scalar_depths(x.tolist(), depth, found)
    else:
        found.setdefault("scalar", set()).add(depth)


def constant(pylist, dtype=None, ragged_rank=None, inner_shape=None, name=None, row_splits_dtype=dtypes.int64):
    """``tf.ragged.constant``: nested Python lists -> RaggedTensor (dense Tensor when nothing is ragged)."""
    if isinstance(pylist, (RaggedTensor, Tensor)):
        raise TypeError("pylist may not be a RaggedTensor or Tensor.")
    split_dt = dtypes.as_dtype(row_splits_dtype)
    if split_dt not in (dtypes.int32, dtypes.int64):
        raise ValueError("row_splits_dtype must be int32 or int64")
    if not _is_seq(pylist):
        if ragged_rank not in (None, 0):
            raise ValueError(f"Invalid pylist={pylist!r}: incompatible with ragged_rank={ragged_rank}")
        return tensor_lib.constant(pylist, dtype=dtype)
    found = {}
    _scalar_depths(pylist, 0, found)
    scalar = found.get("scalar", set())
    if len(scalar) > 1:
        raise ValueError("all scalar values must have the same nesting depth")
    n_inner = 0 if inner_shape is None else len(tuple(inner_shape))
    if scalar:
        depth = next(iter(scalar))
        if any(d > depth for d in found.get("empty", ())):
            raise ValueError("all scalar values must have the same nesting depth")
    else:
        depth = max(found.get("empty", {1})) + n_inner
        if isinstance(ragged_rank, int) and ragged_rank >= depth:
            depth = ragged_rank + 1   # no scalars: any ragged_rank fits the empty lists
    if ragged_rank is None:
        ragged_rank = max(depth - 1 - n_inner, 0)
    if not isinstance(ragged_rank, int) or ragged_rank < 0:
        raise ValueError(f"Invalid ragged_rank={ragged_rank!r}: must be a nonnegative integer")
    if depth <= ragged_rank:
        raise ValueError(f"pylist has scalar values depth {depth}, but ragged_rank={ragged_rank} "
                         f"requires scalar value depth greater than {ragged_rank}")
    if ragged_rank == 0:
        return tensor_lib.constant(pylist, dtype=dtype)
    nested_splits = []
    level = list(pylist)
    for _ in range(ragged_rank):
        lengths = [len(row) for row in level]
        nested_splits.append(np.concatenate([[0], np.cumsum(lengths)]).astype(split_dt._np))
        level = [e for row in level for e in row]
    inner_rank = depth - 1 - ragged_rank
    values = _inner_values(level, inner_rank, inner_shape, dtype)
    rt = values
    for s in reversed(nested_splits):
        rt = RaggedTensor._make(rt, wrap(s))
    return rt


def _inner_values(level, inner_rank, inner_shape, dtype):
    if not level:
        shape = (0,) + (tuple(inner_shape) if inner_shape is not None else (0,) * inner_rank)
        dt = dtypes.as_dtype(dtype or dtypes.float32)
        if dt is dtypes.string:
            return Tensor(np.empty(shape, dtype=object))
        return tensor_lib.convert_to_tensor(np.zeros(shape, dt._np))
    if inner_rank:
        shapes = {np.shape(np.array(e, dtype=object)) for e in level}
        if len(shapes) != 1 or len(next(iter(shapes))) != inner_rank:
            raise ValueError("inner values have inconsistent shape")
        if inner_shape is not None and next(iter(shapes)) != tuple(inner_shape):
            raise ValueError(f"Inner values have shape {next(iter(shapes))}, expected inner_shape={tuple(inner_shape)}")
    try:
        return tensor_lib.constant(level, dtype=dtype)
    except TypeError as e:
        if "Failed to convert elements" in str(e) or "mixed strings" in str(e):
            raise ValueError("Can't convert Python sequence with mixed types to Tensor.") from None
        raise


# -- map_flat_values -----------------------------------------------------------------
def map_flat_values(op, *args, **kwargs):
    """``tf.ragged.map_flat_values``: ``op`` over the flat values of the ragged arguments."""
    leaves = nest.flatten((args, kwargs))
    ragged = [x for x in leaves if isinstance(x, RaggedTensor)]
    if not ragged:
        return op(*args, **kwargs)
    first = ragged[0]
    sizes = {int(host(x.nested_row_splits[-1])[-1]) for x in ragged}
    if len(sizes) > 1:
        raise ValueError("Input RaggedTensors' flat_values must all have the same outer-dimension size.  "
                         f"Got sizes: {sizes}")
    for x in ragged[1:]:
        if x.ragged_rank != first.ragged_rank or not ragged_math._same_partition(x, first):
            raise errors.InvalidArgumentError(None, None, "Inputs must have identical ragged splits")
    flat = [x.flat_values if isinstance(x, RaggedTensor) else x for x in leaves]
    a, kw = nest.pack_sequence_as((args, kwargs), flat)
    out = op(*a, **kw)
    out_t = tensor_lib.convert_to_tensor(out)
    if out_t.shape.rank == 0 or out_t.shape[0] != first.flat_values.shape[0]:
        raise ValueError("tf.ragged.map_flat_values requires that the output of `op` have the same "
                         f"outer-dimension size as flat_values of any ragged inputs. (output shape: "
                         f"{out_t.shape}; expected outer dimension size: {first.flat_values.shape[0]})")
    return first.with_flat_values(out_t)


# -- small tf.ragged utilities ---------------------------------------------------------
def row_splits_to_segment_ids(splits, name=None, out_type=None):
    s = tensor_lib.convert_to_tensor(splits, dtype_hint=dtypes.int64)
    if s.dtype not in (dtypes.int32, dtypes.int64) or s.shape.rank != 1:
        raise ValueError("splits must be a 1-D int32 or int64 tensor")
    a = host(s).astype(np.int64)
    dt = dtypes.as_dtype(out_type)._np if out_type is not None else s.dtype._np
    return wrap(np.repeat(np.arange(len(a) - 1), np.diff(a)).astype(dt))


def segment_ids_to_row_splits(segment_ids, num_segments=None, out_type=None, name=None):
    ids_t = tensor_lib.convert_to_tensor(segment_ids, dtype_hint=dtypes.int64)
    if ids_t.dtype not in (dtypes.int32, dtypes.int64) or ids_t.shape.rank != 1:
        raise ValueError("segment_ids must be a 1-D int32 or int64 tensor")
    ids = host(ids_t).astype(np.int64)
    n = (int(ids.max()) + 1 if ids.size else 0) if num_segments is None else int(host(tensor_lib.convert_to_tensor(num_segments)))
    counts = np.bincount(ids, minlength=n)[:n] if ids.size else np.zeros(n, np.int64)
    dt = dtypes.as_dtype(out_type)._np if out_type is not None else ids_t.dtype._np
    return wrap(np.concatenate([[0], np.cumsum(counts)]).astype(dt))


def ragged_range(starts, limits=None, deltas=1, dtype=None, name=None, row_splits_dtype=dtypes.int64):
    """``tf.ragged.range``: one ``tf.range`` per row (starts/limits/deltas broadcast)."""
    if limits is None:
        starts, limits = 0, starts
    ts = [tensor_lib.convert_to_tensor(x, dtype=dtype) for x in (starts, limits, deltas)]
    dt = dtype and dtypes.as_dtype(dtype)
    if dt is None:
        order = [dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64]
        dt = max((t.dtype for t in ts), key=order.index)
    s, l, d = np.broadcast_arrays(*(host(t).astype(dt._np) for t in ts))
    if s.ndim > 1:
        raise ValueError("starts, limits and deltas must be scalars or vectors")
    if np.any(d == 0):
        raise errors.InvalidArgumentError(None, None, "Requires delta != 0")
    rows = [np.arange(a, b, c, dtype=dt._np) for a, b, c in zip(s.reshape(-1), l.reshape(-1), d.reshape(-1))]
    splits = np.concatenate([[0], np.cumsum([len(r) for r in rows])]).astype(dtypes.as_dtype(row_splits_dtype)._np)
    vals = np.concatenate(rows) if rows else np.zeros(0, dt._np)
    return RaggedTensor._make(wrap(vals.astype(dt._np)), wrap(splits))


def boolean_mask(data, mask, name=None):
    """``tf.ragged.boolean_mask``: keeps ``data`` where ``mask`` is True; the innermost
    masked dimension becomes ragged."""
    from tfjax._src.ragged import conversion  # noqa: PLC0415
    from tfjax._src.ragged.ragged_tensor import take  # noqa: PLC0415
    if not isinstance(mask, RaggedTensor):
        mask = tensor_lib.convert_to_tensor(mask)
        if mask.dtype != dtypes.bool:
            raise TypeError(f"mask must be a bool Tensor, got {mask.dtype.name}")
        k = mask.shape.rank
        if k == 0:
            raise ValueError("mask.shape.ndims must be greater than 0")
        if k == 1:
            keep = np.nonzero(host(mask, "mask"))[0]
            data_t = data if isinstance(data, RaggedTensor) else tensor_lib.convert_to_tensor(data)
            n = data_t.nrows_static() if isinstance(data_t, RaggedTensor) else data_t.shape[0]
            if n != mask.shape[0]:
                raise ValueError(f"The outer {k} dimensions of data.shape={data_t.shape} must match mask.shape={mask.shape}")
            return take(data_t, keep)
        mask = conversion.from_tensor(mask, ragged_rank=k - 1)
        if not isinstance(data, RaggedTensor):
            data = conversion.from_tensor(tensor_lib.convert_to_tensor(data), ragged_rank=k - 1)
    if mask.dtype != dtypes.bool:
        raise TypeError(f"mask must be a bool RaggedTensor, got {mask.dtype.name}")
    if not isinstance(data, RaggedTensor) or data.ragged_rank < mask.ragged_rank:
        raise ValueError("data must be a RaggedTensor with at least mask's ragged_rank when mask is ragged")
    # Align on mask's partition: data's outer ragged_rank levels must equal mask's.
    outer = data
    for _ in range(mask.ragged_rank - 1):
        outer = outer.values
    m_outer = mask
    for _ in range(mask.ragged_rank - 1):
        m_outer = m_outer.values
    for a, b in zip(data.nested_row_splits[:mask.ragged_rank], mask.nested_row_splits):
        if not np.array_equal(host(a), host(b)):
            raise errors.InvalidArgumentError(None, None, "Inputs must have identical ragged splits")
    keep = host(m_outer.values, "mask").reshape(-1).astype(bool)
    s = m_outer._splits_np()
    counts = np.add.reduceat(keep.astype(np.int64), s[:-1]) if keep.size else np.zeros(len(s) - 1, np.int64)
    counts = np.where(np.diff(s) == 0, 0, counts)
    inner = RaggedTensor._make(take(outer.values, np.nonzero(keep)[0]),
                               wrap(np.concatenate([[0], np.cumsum(counts)]).astype(outer.row_splits_dtype._np)))
    return _rewrap(data, inner, mask.ragged_rank - 1)


def _rewrap(rt, inner, depth):
    if depth == 0:
        return inner
    return RaggedTensor._make(_rewrap(rt.values, inner, depth - 1), rt.row_splits)


def stack(values, axis=0, name=None):
    return ragged_math.stack(values, axis)


# -- Python operators ------------------------------------------------------------------
def _install_operators():
    from tfjax._src.ops import math_ops  # noqa: PLC0415
    from tfjax._src.ops import operators  # noqa: PLC0415

    def eq(fn, fallback):
        def op(x, y):
            try:
                return ragged_math.binary(fn)(x, y)
            except (TypeError, ValueError, errors.InvalidArgumentError):
                return fallback(x, y)
        return op

    for name, fn in operators.OPERATORS.items():
        if name in ("__pos__", "__matmul__", "__rmatmul__"):
            continue
        if name in ("__neg__", "__abs__", "__invert__"):
            setattr(RaggedTensor, name, ragged_math.unary(fn))
        elif name == "__eq__":
            setattr(RaggedTensor, name, eq(math_ops.equal, lambda x, y: x is y))
        elif name == "__ne__":
            setattr(RaggedTensor, name, eq(math_ops.not_equal, lambda x, y: x is not y))
        elif name.startswith("__r") and name[3:-2] in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow",
                                                           "and", "or", "xor"):
            base = operators.OPERATORS["__" + name[3:]]
            setattr(RaggedTensor, name, (lambda b: lambda self, other: ragged_math.binary(b)(other, self))(base))
        else:
            setattr(RaggedTensor, name, ragged_math.binary(fn))
    RaggedTensor.__hash__ = lambda self: id(self)


_install_operators()
