"""Math on RaggedTensors: elementwise operators, reductions, concat / stack.

Elementwise ops run on ``flat_values`` with the ordinary tfjax ops. Reductions over
a ragged axis are one segment reduction over the flat values (``dispatch.apply``,
hence differentiable); which flat row lands in which output segment, and the
partition of the result, are computed on the host from the concrete row splits.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from tfjax._src import dispatch
from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src import tensor as tensor_lib
from tfjax._src.ragged.ragged_tensor import RaggedTensor, host, take, wrap
from tfjax._src.tensor import Tensor


def _same_partition(a, b):
    sa, sb = a.nested_row_splits, b.nested_row_splits
    if len(sa) != len(sb):
        return False
    for x, y in zip(sa, sb):
        if x is not y and (x.shape != y.shape or not np.array_equal(host(x), host(y))):
            return False
    return True


def _partition_error():
    return errors.InvalidArgumentError(None, None, "Condition x == y did not hold: the RaggedTensors' "
                                       "row partitions differ (elementwise ops need identical row splits).")


def level_coords(rt):
    """Coordinates (n_l, l + 1) of the rows at each level l = 0 .. ragged_rank of ``rt``."""
    coords = [np.arange(rt.nrows_static(), dtype=np.int64)[:, None]]
    for s in rt.nested_row_splits:
        s = host(s).astype(np.int64)
        pos = np.arange(int(s[-1]), dtype=np.int64)
        parent = np.searchsorted(s, pos, side="right") - 1
        coords.append(np.concatenate([coords[-1][parent], (pos - s[parent])[:, None]], axis=1))
    return coords


def _broadcast_dense(rt, d):
    """Flat-value-aligned view of dense ``d`` broadcast against ragged ``rt`` (TF's rules)."""
    u = rt.flat_values.shape.rank - 1
    if d.shape.rank <= u:
        return d
    rank = rt.shape.rank
    if d.shape.rank > rank:
        raise ValueError(f"Dense operand of rank {d.shape.rank} cannot broadcast against a RaggedTensor of rank {rank}")
    from tfjax._src.ops import array_ops  # noqa: PLC0415
    dshape = [1] * (rank - d.shape.rank) + d.shape.as_list()
    r = rt.ragged_rank
    outer = dshape[:r + 1]
    if dshape[0] not in (1, rt.nrows_static()):
        raise _partition_error()
    for level, s in enumerate(rt.nested_row_splits, 1):
        ln = np.diff(host(s))
        if outer[level] != 1 and np.any(ln != outer[level]):
            raise _partition_error()
    idx = level_coords(rt)[-1].copy()
    for k, size in enumerate(outer):
        if size == 1:
            idx[:, k] = 0
    flat_idx = np.ravel_multi_index(tuple(idx.T), outer) if idx.size else np.zeros(0, np.int64)
    d2 = array_ops.reshape(d, [int(np.prod(outer))] + dshape[r + 1:])
    return take(d2, flat_idx)


def _operand(x, rt):
    if isinstance(x, RaggedTensor):
        if x is not rt and not _same_partition(x, rt):
            raise _partition_error()
        return x.flat_values
    if isinstance(x, (Tensor, np.ndarray)) or hasattr(x, "_read_array") or isinstance(x, (list, tuple)):
        d = tensor_lib.convert_to_tensor(x, dtype_hint=rt.dtype)
        return _broadcast_dense(rt, d) if d.shape.rank else d
    return x   # Python scalars adopt the other operand's dtype inside the op


def binary(fn):
    def op(x, y):
        rt = x if isinstance(x, RaggedTensor) else y
        return rt.with_flat_values(fn(_operand(x, rt), _operand(y, rt)))
    return op


def unary(fn):
    return lambda x: x.with_flat_values(fn(x.flat_values))


# -- reductions ----------------------------------------------------------------
def _segment(data, ids, *, kind, num):
    if kind == "sum":
        return jax.ops.segment_sum(data, ids, num_segments=num)
    if kind == "prod":
        return jax.ops.segment_prod(data, ids, num_segments=num)
    if kind in ("max", "min"):
        seg = jax.ops.segment_max if kind == "max" else jax.ops.segment_min
        out = seg(data, ids, num_segments=num)
        if jnp.issubdtype(data.dtype, jnp.floating):
            # TF fills empty segments with the dtype's finite extreme, not +-inf.
            fin = jnp.finfo(data.dtype)
            empty = jax.ops.segment_sum(jnp.ones(ids.shape, jnp.int32), ids, num_segments=num) == 0
            empty = empty.reshape(empty.shape + (1,) * (out.ndim - 1))
            out = jnp.where(empty, fin.min if kind == "max" else fin.max, out)
        return out
    if kind == "any":
        return jax.ops.segment_sum(data.astype(jnp.int32), ids, num_segments=num) > 0
    return jax.ops.segment_sum((~data).astype(jnp.int32), ids, num_segments=num) == 0


_KINDS = {"Sum": "sum", "Prod": "prod", "Max": "max", "Min": "min", "All": "all", "Any": "any", "Mean": "mean"}


def _dense_reduce(kind, x, axis):
    from tfjax._src.ops import math_ops  # noqa: PLC0415
    return getattr(math_ops, "reduce_" + kind)(x, axis=axis)


def _reduce_one(kind, rt, axis):
    """Reduces ``rt`` (ragged or dense) along one non-negative axis."""
    if not isinstance(rt, RaggedTensor):
        return _dense_reduce(kind, rt, axis)
    r = rt.ragged_rank
    if axis > r:
        return rt.with_flat_values(_dense_reduce(kind, rt.flat_values, axis - r))
    coords = level_coords(rt)
    levels = []
    for m in range(r):
        if m < axis:
            levels.append(coords[m])
        else:
            proj = np.delete(coords[m + 1], axis, axis=1)
            levels.append(np.unique(proj, axis=0) if proj.shape[0] else proj)
    last = levels[-1]
    index = {tuple(c): i for i, c in enumerate(last.tolist())}
    ids = np.array([index[tuple(c)] for c in np.delete(coords[r], axis, axis=1).tolist()], np.int64)
    flat = dispatch.apply(_segment, rt.flat_values, wrap(ids), kind=kind, num=len(last))
    splits = []
    for m in range(1, r):
        parents = {tuple(c): i for i, c in enumerate(levels[m - 1].tolist())}
        counts = np.zeros(len(levels[m - 1]), np.int64)
        for c in levels[m].tolist():
            counts[parents[tuple(c[:-1])]] += 1
        splits.append(wrap(np.concatenate([[0], np.cumsum(counts)]).astype(rt.row_splits_dtype._np)))
    return RaggedTensor.from_nested_row_splits(flat, splits, validate=False) if splits else flat


def _reduce_axes(kind, rt, axes):
    for a in sorted(axes, reverse=True):
        rt = _reduce_one(kind, rt, a)
    return rt


def reduce(op_name, rt, axis=None, keepdims=False):
    """``tf.reduce_*`` of a RaggedTensor (dispatched here from ``math_ops``)."""
    from tfjax._src.ops import array_ops, math_ops  # noqa: PLC0415
    kind = _KINDS.get(op_name)
    if kind is None:
        raise errors.unsupported(f"tf.{op_name} of a RaggedTensor", "supported: reduce_sum/mean/max/min/prod/all/any")
    rank = rt.shape.rank
    if axis is None:
        # A full reduction is the dense one over flat_values (TF: -inf for max of nothing).
        flat = rt.flat_values
        if kind == "mean" and not flat.dtype.is_floating:
            flat = math_ops.cast(flat, dtypes.float64)   # TF's ragged mean of ints is float64
        out = getattr(math_ops, "reduce_" + kind)(flat)
        if keepdims:
            out = array_ops.reshape(out, [1] * rank)
        return out
    else:
        raw = np.asarray(host(axis) if isinstance(axis, Tensor) else axis).reshape(-1).tolist()
        axes = []
        for a in raw:
            if not -rank <= a < rank:
                raise ValueError(f"axis={a} out of bounds: expected {-rank}<=axis<{rank}")
            axes.append(int(a) % rank)
        axes = sorted(set(axes))
    if kind == "mean":
        total = rt if rt.dtype.is_floating else rt.with_flat_values(math_ops.cast(rt.flat_values, dtypes.float64))
        ones = total.with_flat_values(array_ops.ones_like(total.flat_values))
        num = _reduce_axes("sum", total, axes)
        den = _reduce_axes("sum", ones, axes)
        out = (binary(math_ops.truediv)(num, den) if isinstance(num, RaggedTensor)
               else math_ops.truediv(num, den))
    else:
        out = _reduce_axes(kind, rt, axes)
    if keepdims:
        if isinstance(out, RaggedTensor):
            raise errors.unsupported("keepdims=True on a RaggedTensor reduction with a ragged result")
        for a in axes:
            out = array_ops.expand_dims(out, a)
    return out


# -- concat / stack ----------------------------------------------------------------
def _as_ragged(x, ragged_rank, splits_dtype):
    if isinstance(x, RaggedTensor):
        return x
    from tfjax._src.ragged.conversion import from_tensor  # noqa: PLC0415
    t = tensor_lib.convert_to_tensor(x)
    return from_tensor(t, ragged_rank=ragged_rank, row_splits_dtype=splits_dtype)


def _concat_values(vals):
    from tfjax._src.ops import manip_ops  # noqa: PLC0415
    if isinstance(vals[0], RaggedTensor):
        return _concat0(vals)
    if vals[0]._value.dtype == object:
        return Tensor(np.concatenate([v._value for v in vals], axis=0))
    return manip_ops.concat(vals, axis=0)


def _concat0(rts):
    offs, pieces = 0, []
    dt = rts[0].row_splits_dtype._np
    for i, rt in enumerate(rts):
        s = rt._splits_np()
        pieces.append((s if i == 0 else s[1:]) + offs)
        offs += int(s[-1])
    return RaggedTensor._make(_concat_values([rt._values for rt in rts]), wrap(np.concatenate(pieces).astype(dt)))


def _check_dtypes(rts):
    for i, rt in enumerate(rts[1:], 1):
        if rt.dtype != rts[0].dtype:
            raise errors.invalid_argument(
                "ConcatV2", f"cannot compute ConcatV2 as input #{i}(zero-based) was expected to be a "
                f"{rts[0].dtype.name} tensor but is a {rt.dtype.name} tensor")


def _inputs(values):
    values = list(values)
    ragged = [v for v in values if isinstance(v, RaggedTensor)]
    rr = max(v.ragged_rank for v in ragged)
    sd = ragged[0].row_splits_dtype
    rts = [_as_ragged(v, rr, sd) for v in values]
    if any(rt.ragged_rank != rr for rt in rts):
        raise ValueError("Ragged concat/stack inputs must all have the same ragged_rank")
    _check_dtypes(rts)
    return rts


def concat(values, axis=0):
    """``tf.concat`` with RaggedTensor inputs, along axis 0 or the first ragged axis."""
    rts = _inputs(values)
    rank = rts[0].shape.rank
    axis = int(axis)
    if not -rank <= axis < rank:
        raise ValueError(f"axis={axis} out of bounds: expected {-rank}<=axis<{rank}")
    axis %= rank
    if axis == 0:
        return _concat0(rts)
    if axis == 1:
        n = rts[0].nrows_static()
        if any(rt.nrows_static() != n for rt in rts):
            raise errors.invalid_argument("RaggedConcat", "Input tensors have incompatible shapes (nrows differ).")
        allv = _concat0(rts)
        base = allv._splits_np()
        sel, lengths = [], np.zeros(n, np.int64)
        for i in range(n):
            for j in range(len(rts)):
                a, b = base[j * n + i], base[j * n + i + 1]
                sel.append(np.arange(a, b))
                lengths[i] += b - a
        sel = np.concatenate(sel) if sel else np.zeros(0, np.int64)
        splits = np.concatenate([[0], np.cumsum(lengths)]).astype(rts[0].row_splits_dtype._np)
        return RaggedTensor._make(take(allv._values, sel), wrap(splits))
    raise errors.unsupported(f"tf.concat of RaggedTensors along axis {axis}", "axis 0 and 1 are supported")


def stack(values, axis=0):
    """``tf.stack`` / ``tf.ragged.stack`` along axis 0: each input becomes one row."""
    values = list(values)
    if not any(isinstance(v, RaggedTensor) for v in values):
        from tfjax._src.ops import manip_ops  # noqa: PLC0415
        values = [tensor_lib.convert_to_tensor(v) for v in values]
        if int(axis) == 0:
            values = [_as_ragged(v, 1, dtypes.int64) if v.shape.rank >= 2 else v for v in values]
        if not any(isinstance(v, RaggedTensor) for v in values):
            return manip_ops.stack(values, axis)
    rts = _inputs(values)
    rank = rts[0].shape.rank + 1
    axis = int(axis)
    if not -rank <= axis < rank:
        raise ValueError(f"axis={axis} out of bounds: expected {-rank}<=axis<{rank}")
    if axis % rank != 0:
        raise errors.unsupported(f"tf.stack of RaggedTensors along axis {axis}", "axis 0 is supported")
    inner = _concat0(rts)
    counts = [rt.nrows_static() for rt in rts]
    splits = np.concatenate([[0], np.cumsum(counts)]).astype(rts[0].row_splits_dtype._np)
    return RaggedTensor._make(inner, wrap(splits))
