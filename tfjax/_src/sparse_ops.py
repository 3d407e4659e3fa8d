"""The ``tf.sparse`` ops beyond the SparseTensor type itself (which lives in ``sparse_tensor.py``).

Index bookkeeping runs on the host with numpy, as for every tfjax composite tensor (see
docs/design.md, "Composite tensors"). ``sparse_dense_matmul`` and the sparse segment
reductions go through ``dispatch.apply``, so gradients reach the dense operand and the values;
the other ops compute their values on the host (a traced value makes a ``tf.function``
signature run eagerly, through ``SymbolicValueError``).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from tfjax._src import dispatch
from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src import tensor as tensor_lib
from tfjax._src.io import host
from tfjax._src.sparse_tensor import SparseTensor
from tfjax._src.tensor import Tensor


def _np(t):
    if isinstance(t, Tensor):
        v = t._value
        if isinstance(v, jax.core.Tracer):
            raise errors.SymbolicValueError("this tf.sparse op computes on the host and needs concrete values "
                                            "(tfjax runs this tf.function signature eagerly)")
        return v if isinstance(v, np.ndarray) else np.asarray(v)
    return np.asarray(t)


def _parts(sp):
    if not isinstance(sp, SparseTensor):
        raise TypeError(f"Input must be a SparseTensor, got {type(sp).__name__}.")
    return _np(sp.indices), _np(sp.values), tuple(int(d) for d in _np(sp.dense_shape))


def _make(idx, vals, shape, dtype=None):
    idx = np.asarray(idx, np.int64).reshape(-1, len(shape))
    if isinstance(vals, np.ndarray) and vals.dtype == object:
        v = host.wrap(vals)
    else:
        v = host.wrap(np.asarray(vals, dtype=dtype._np if dtype is not None else None))
    return SparseTensor(host.wrap(idx), v, host.wrap(np.array(shape, np.int64)))


def _linear(idx, shape):
    if idx.shape[0] == 0:
        return np.zeros(0, np.int64)
    strides = np.ones(len(shape), np.int64)
    for i in range(len(shape) - 2, -1, -1):
        strides[i] = strides[i + 1] * max(shape[i + 1], 1)
    return idx @ strides


def _dtype(sp):
    return sp.values.dtype


# -- structure ---------------------------------------------------------------------------------

def reorder(sp_input, name=None):
    idx, vals, shape = _parts(sp_input)
    order = np.argsort(_linear(idx, shape), kind="stable")
    return _make(idx[order], vals[order], shape, _dtype(sp_input))


def reset_shape(sp_input, new_shape=None):
    idx, vals, shape = _parts(sp_input)
    if new_shape is None:
        ns = tuple((idx.max(axis=0) + 1).tolist()) if idx.shape[0] else (0,) * len(shape)
    else:
        ns = tuple(int(d) for d in _np(tensor_lib.convert_to_tensor(new_shape, dtype_hint=dtypes.int64)).reshape(-1))
        if len(ns) != len(shape):
            raise ValueError(f"Shapes {list(ns)} and {list(shape)} must have the same rank")
        if any(n < s for n, s in zip(ns, shape)):
            raise errors.invalid_argument("Assert", "Assertion failed: new_shape must be >= the current shape")
    return _make(idx, vals, ns, _dtype(sp_input))


def reshape(sp_input, shape, name=None):
    idx, vals, old = _parts(sp_input)
    new = [int(d) for d in _np(tensor_lib.convert_to_tensor(shape, dtype_hint=dtypes.int64)).reshape(-1)]
    total = int(np.prod(old))
    if new.count(-1) > 1:
        raise errors.invalid_argument("SparseReshape", "only one output dimension may be -1, not both")
    if -1 in new:
        known = int(np.prod([d for d in new if d != -1]))
        if known == 0 or total % known:
            raise errors.invalid_argument(
                "SparseReshape", f"Input to reshape is a SparseTensor with {total} dense values, but the requested "
                f"shape requires a multiple of {known}. inputs: {list(old)} outputs: {new}")
        new[new.index(-1)] = total // known
    if int(np.prod(new)) != total:
        raise ValueError(f"Cannot reshape a tensor with {total} elements to shape {new} "
                         f"({int(np.prod(new))} elements)")
    lin = _linear(idx, old)
    out = np.stack(np.unravel_index(lin, new), axis=1) if idx.shape[0] else np.zeros((0, len(new)), np.int64)
    return _make(out, vals, tuple(new), _dtype(sp_input))


def expand_dims(sp_input, axis=None, name=None):
    idx, vals, shape = _parts(sp_input)
    rank = len(shape)
    ax = -1 if axis is None else int(_np(axis)) if isinstance(axis, Tensor) else int(axis)
    if not -rank - 1 <= ax <= rank:
        raise errors.invalid_argument("ExpandDims", f"Tried to expand dim index {ax} for tensor with {rank} dimensions.")
    if ax < 0:
        ax += rank + 1
    out = np.insert(idx, ax, 0, axis=1)
    return _make(out, vals, shape[:ax] + (1,) + shape[ax:], _dtype(sp_input))


def transpose(sp_input, perm=None, name=None):
    idx, vals, shape = _parts(sp_input)
    rank = len(shape)
    perm = list(range(rank))[::-1] if perm is None else [int(p) for p in _np(perm).reshape(-1)]
    if sorted(perm) != list(range(rank)):
        raise errors.invalid_argument("Transpose", f"{perm} is not a permutation of 0..{rank - 1}")
    out = idx[:, perm]
    ns = tuple(shape[p] for p in perm)
    order = np.argsort(_linear(out, ns), kind="stable")
    return _make(out[order], vals[order], ns, _dtype(sp_input))


def retain(sp_input, to_retain):
    idx, vals, shape = _parts(sp_input)
    keep = _np(tensor_lib.convert_to_tensor(to_retain)).astype(bool).reshape(-1)
    if keep.shape[0] != idx.shape[0]:
        raise ValueError(f"Shapes ({keep.shape[0]},) and ({idx.shape[0]},) are incompatible")
    return _make(idx[keep], vals[keep], shape, _dtype(sp_input))


def slice(sp_input, start, size, name=None):  # noqa: A001
    idx, vals, shape = _parts(sp_input)
    st = np.asarray(_np(start), np.int64).reshape(-1)
    sz = np.asarray(_np(size), np.int64).reshape(-1)
    if st.shape[0] != len(shape) or sz.shape[0] != len(shape):
        raise errors.invalid_argument("SparseSlice", "Expected start and size to have the input's rank")
    end = np.minimum(st + sz, np.array(shape, np.int64))
    keep = np.all((idx >= st) & (idx < end), axis=1) if idx.shape[0] else np.zeros(0, bool)
    ns = tuple(np.maximum(end - st, 0).tolist())
    return _make(idx[keep] - st, vals[keep], ns, _dtype(sp_input))


def split(sp_input=None, num_split=None, axis=None, name=None, keyword_required=None):
    idx, vals, shape = _parts(sp_input)
    ax = int(_np(axis)) if isinstance(axis, Tensor) else int(axis)
    if ax < 0:
        ax += len(shape)
    n = int(num_split)
    dim = shape[ax]
    base, extra = divmod(dim, n)
    out, start = [], 0
    for i in range(n):
        size = base + (1 if i < extra else 0)
        st = [0] * len(shape)
        sz = list(shape)
        st[ax], sz[ax] = start, size
        out.append(slice(sp_input, st, sz))
        start += size
    return out


def concat(axis, sp_inputs, expand_nonconcat_dims=False, name=None, concat_dim=None):
    if concat_dim is not None:
        axis = concat_dim
    sps = list(sp_inputs)
    parts = [_parts(s) for s in sps]
    rank = len(parts[0][2])
    ax = int(axis) + (rank if int(axis) < 0 else 0)
    dtype = _dtype(sps[0])
    for s in sps[1:]:
        if _dtype(s) != dtype:
            raise TypeError(f"Tensors in list passed to 'sp_inputs' of 'SparseConcat' Op have types "
                            f"[{', '.join(_dtype(x).name for x in sps)}] that don't all match.")
    shapes = [p[2] for p in parts]
    if expand_nonconcat_dims:
        mx = [max(s[d] for s in shapes) for d in range(rank)]
    else:
        mx = list(shapes[0])
        for s in shapes[1:]:
            for d in range(rank):
                if d != ax and s[d] != mx[d]:
                    raise errors.invalid_argument(
                        "SparseConcat", f"All SparseTensors' shapes must match except on the concat dimension "
                        f"{ax}; got {list(shapes[0])} and {list(s)}")
    idxs, valss, off = [], [], 0
    for (idx, vals, shape) in parts:
        i = idx.copy()
        i[:, ax] += off
        off += shape[ax]
        idxs.append(i)
        valss.append(vals)
    mx[ax] = off
    idx = np.concatenate(idxs, axis=0) if idxs else np.zeros((0, rank), np.int64)
    vals = np.concatenate(valss, axis=0)
    lin = _linear(idx, tuple(mx))
    order = np.argsort(lin, kind="stable")
    return _make(idx[order], vals[order], tuple(mx), dtype)


def eye(num_rows, num_columns=None, dtype=dtypes.float32, name=None):
    r = int(_np(num_rows)) if isinstance(num_rows, Tensor) else int(num_rows)
    c = r if num_columns is None else (int(_np(num_columns)) if isinstance(num_columns, Tensor) else int(num_columns))
    dtype = dtypes.as_dtype(dtype)
    n = min(r, c)
    d = np.arange(n, dtype=np.int64)
    return _make(np.stack([d, d], axis=1), np.ones(n, dtype._np), (r, c), dtype)


def fill_empty_rows(sp_input, default_value, name=None):
    idx, vals, shape = _parts(sp_input)
    dv = _np(tensor_lib.convert_to_tensor(default_value, dtype=_dtype(sp_input)))
    nrows = shape[0]
    present = np.zeros(nrows, bool)
    if idx.shape[0]:
        present[idx[:, 0]] = True
    empty = ~present
    add_rows = np.nonzero(empty)[0]
    add_idx = np.zeros((add_rows.size, len(shape)), np.int64)
    add_idx[:, 0] = add_rows
    all_idx = np.concatenate([idx, add_idx], axis=0)
    add_vals = np.empty(add_rows.size, dtype=vals.dtype)
    add_vals[:] = dv[()] if vals.dtype != object else [dv[()]] * add_rows.size
    all_vals = np.concatenate([vals, add_vals])
    order = np.argsort(all_idx[:, 0], kind="stable")
    return _make(all_idx[order], all_vals[order], shape, _dtype(sp_input)), host.wrap(empty)


def to_indicator(sp_input, vocab_size, name=None):
    idx, vals, shape = _parts(sp_input)
    vs = int(_np(vocab_size)) if isinstance(vocab_size, Tensor) else int(vocab_size)
    if not _dtype(sp_input).is_integer:
        raise TypeError(f"Value passed to parameter 'sparse_values' has DataType {_dtype(sp_input).name} not in "
                        "list of allowed values: int32, int64")
    out = np.zeros(shape[:-1] + (vs,), bool)
    if idx.shape[0]:
        v = vals.astype(np.int64)
        if np.any((v < 0) | (v >= vs)):
            raise errors.invalid_argument("SparseToDense", "indices is out of bounds")
        out[tuple(idx[:, :-1].T) + (v,)] = True
    return host.wrap(out)


def map_values(op, *args, **kwargs):
    sps = [a for a in list(args) + list(kwargs.values()) if isinstance(a, SparseTensor)]
    if not sps:
        raise ValueError("No SparseTensor in argument list of map_values")
    first = sps[0]
    for s in sps[1:]:
        if not (np.array_equal(_np(s.indices), _np(first.indices))
                and np.array_equal(_np(s.dense_shape), _np(first.dense_shape))):
            raise errors.invalid_argument("Assert", "Assertion failed: SparseTensors to map_values must have "
                                          "the same indices and dense_shape")
    new_args = [a.values if isinstance(a, SparseTensor) else a for a in args]
    new_kw = {k: (v.values if isinstance(v, SparseTensor) else v) for k, v in kwargs.items()}
    return SparseTensor(first.indices, op(*new_args, **new_kw), first.dense_shape)


def mask(a, mask_indices, name=None):
    """``tf.sparse.mask``: drops the IndexedSlices rows whose index is in ``mask_indices``."""
    from tfjax._src.indexed_slices import IndexedSlices  # noqa: PLC0415
    ind = _np(a.indices)
    keep = ~np.isin(ind, _np(tensor_lib.convert_to_tensor(mask_indices)))
    pos = host.wrap(np.nonzero(keep)[0].astype(np.int32))
    from tfjax._src.ops import indexing_ops  # noqa: PLC0415
    return IndexedSlices(indexing_ops.gather(a.values, pos), host.wrap(ind[keep]), a.dense_shape)


# -- value ops ---------------------------------------------------------------------------------

def _union(a, b):
    ia, va, sa = _parts(a)
    ib, vb, sb = _parts(b)
    if sa != sb:
        raise errors.invalid_argument("SparseSparseMaximum", f"Operands do not have the same ranks or shapes: "
                                      f"{list(sa)} vs {list(sb)}")
    la, lb = _linear(ia, sa), _linear(ib, sb)
    keys = np.union1d(la, lb)
    return keys, sa, dict(zip(la.tolist(), va.tolist())), dict(zip(lb.tolist(), vb.tolist()))


def _elementwise(a, b, fn):
    if _dtype(a) != _dtype(b):
        raise TypeError(f"Input 'b_values' of 'SparseSparseMaximum' Op has type {_dtype(b).name} that does not match "
                        f"type {_dtype(a).name} of argument 'a_values'.")
    keys, shape, da, db = _union(a, b)
    vals = np.array([fn(da.get(k, 0), db.get(k, 0)) for k in keys.tolist()], dtype=_dtype(a)._np)
    idx = np.stack(np.unravel_index(keys, shape), axis=1) if keys.size else np.zeros((0, len(shape)), np.int64)
    return _make(idx, vals, shape, _dtype(a))


def maximum(sp_a, sp_b, name=None):
    return _elementwise(sp_a, sp_b, max)


def minimum(sp_a, sp_b, name=None):
    return _elementwise(sp_a, sp_b, min)


def add(a, b, threshold=0):
    from tfjax._src.sparse_tensor import to_dense  # noqa: PLC0415
    a_sp, b_sp = isinstance(a, SparseTensor), isinstance(b, SparseTensor)
    if not a_sp and not b_sp:
        raise TypeError("At least one input should be SparseTensor; do you mean to use tf.add()?")
    if a_sp and b_sp:
        ia, va, sa = _parts(a)
        ib, vb, sb = _parts(b)
        if _dtype(a) != _dtype(b):
            raise TypeError(f"Input 'b_values' of 'SparseAdd' Op has type {_dtype(b).name} that does not match type "
                            f"{_dtype(a).name} of argument 'a_values'.")
        if sa != sb:
            raise errors.invalid_argument("SparseAdd", f"Operands do not have the same ranks or shapes: "
                                          f"{list(sa)} vs {list(sb)}")
        idx = np.concatenate([ia, ib], axis=0)
        vals = np.concatenate([va, vb])
        lin = _linear(idx, sa)
        keys, inv, counts = np.unique(lin, return_inverse=True, return_counts=True)
        summed = np.zeros(keys.shape[0], dtype=vals.dtype)
        np.add.at(summed, inv.reshape(-1), vals)
        thr = np.abs(np.asarray(_np(threshold)))
        # TF's SparseAdd applies the threshold only where both operands have an entry.
        keep = (counts == 1) | (np.abs(summed) >= thr)
        out_idx = np.stack(np.unravel_index(keys[keep], sa), axis=1) if keep.any() else np.zeros((0, len(sa)), np.int64)
        return _make(out_idx, summed[keep], sa, _dtype(a))
    sp, dense = (a, b) if a_sp else (b, a)
    from tfjax._src.ops import binary_ops  # noqa: PLC0415
    return binary_ops.add(to_dense(sp), tensor_lib.convert_to_tensor(dense, dtype=_dtype(sp)))


def _reduce(sp_input, axis, keepdims, output_is_sparse, kind):
    idx, vals, shape = _parts(sp_input)
    rank = len(shape)
    if axis is None:
        axes = list(range(rank))
    else:
        ax = _np(axis).reshape(-1).tolist() if isinstance(axis, Tensor) else (
            list(axis) if isinstance(axis, (list, tuple)) else [axis])
        axes = sorted({int(a) % rank for a in ax})
    kept = [d for d in range(rank) if d not in axes]
    out_shape = tuple(1 if d in axes else shape[d] for d in range(rank)) if keepdims else tuple(shape[d] for d in kept)
    groups = {}
    for row, v in zip(idx[:, kept].tolist() if kept else [[]] * idx.shape[0], vals.tolist()):
        k = tuple(row)
        if kind == "sum":
            groups[k] = groups.get(k, 0) + v
        else:
            groups[k] = v if k not in groups else max(groups[k], v)
    dt = _dtype(sp_input)
    if output_is_sparse:
        keys = sorted(groups)
        if keepdims:
            full = []
            for k in keys:
                it = iter(k)
                full.append([0 if d in axes else next(it) for d in range(rank)])
            oidx = np.array(full, np.int64).reshape(-1, rank)
        else:
            oidx = np.array(keys, np.int64).reshape(-1, len(kept))
        return _make(oidx, np.array([groups[k] for k in keys], dtype=dt._np), out_shape, dt)
    dense_kept = tuple(shape[d] for d in kept)
    out = np.zeros(dense_kept, dtype=dt._np)
    for k, v in groups.items():
        out[k] = v
    return host.wrap(out.reshape(out_shape))


def reduce_sum(sp_input, axis=None, keepdims=None, output_is_sparse=False, name=None):
    return _reduce(sp_input, axis, bool(keepdims), output_is_sparse, "sum")


def reduce_max(sp_input, axis=None, keepdims=None, output_is_sparse=False, name=None):
    return _reduce(sp_input, axis, bool(keepdims), output_is_sparse, "max")


def softmax(sp_input, name=None):
    idx, vals, shape = _parts(sp_input)
    out = np.zeros_like(vals)
    rows = {}
    for i, r in enumerate(map(tuple, idx[:, :-1].tolist())):
        rows.setdefault(r, []).append(i)
    for members in rows.values():
        v = vals[members]
        e = np.exp(v - v.max())
        out[members] = e / e.sum()
    return _make(idx, out.astype(vals.dtype), shape, _dtype(sp_input))


# -- differentiable ops ------------------------------------------------------------------------

def _spmm(indices, values, b, *, rows, adjoint_a, adjoint_b):
    r, c = (indices[:, 1], indices[:, 0]) if adjoint_a else (indices[:, 0], indices[:, 1])
    vals = jnp.conj(values) if adjoint_a else values
    bb = jnp.conj(b.T) if adjoint_b else b
    contrib = vals[:, None] * bb[c]
    return jnp.zeros((rows, bb.shape[1]), contrib.dtype).at[r].add(contrib)


def sparse_dense_matmul(sp_a, b, adjoint_a=False, adjoint_b=False, name=None):
    from tfjax._src.ops import math_ops  # noqa: PLC0415
    if not isinstance(sp_a, SparseTensor):
        if isinstance(b, SparseTensor):
            # dense @ sparse = (sparse^T @ dense^T)^T
            from tfjax._src.ops import array_ops  # noqa: PLC0415
            out = sparse_dense_matmul(b, sp_a, adjoint_a=not adjoint_b, adjoint_b=not adjoint_a)
            return array_ops.transpose(out) if not (adjoint_a or adjoint_b) else math_ops.conj(array_ops.transpose(out)) \
                if _dtype(b).is_complex else array_ops.transpose(out)
        raise TypeError("sparse_dense_matmul expects a SparseTensor operand")
    b = tensor_lib.convert_to_tensor(b)
    if b.dtype != _dtype(sp_a):
        raise errors.invalid_argument(
            "SparseTensorDenseMatMul", f"cannot compute SparseTensorDenseMatMul as input #3(zero-based) was expected "
            f"to be a {_dtype(sp_a).name} tensor but is a {b.dtype.name} tensor")
    shape = tuple(int(d) for d in _np(sp_a.dense_shape))
    if len(shape) != 2 or b.shape.rank != 2:
        raise errors.invalid_argument("SparseTensorDenseMatMul", "Tensor 'a_shape' and 'b' must be matrices")
    inner_a = shape[0] if adjoint_a else shape[1]
    inner_b = b.shape[1] if adjoint_b else b.shape[0]
    if inner_a != inner_b:
        raise errors.invalid_argument(
            "SparseTensorDenseMatMul", f"Cannot multiply A and B because inner dimension does not match: "
            f"{inner_a} vs. {inner_b}.  Did you forget a transpose?  Dimensions of A: [{shape[0]}, {shape[1]}).  "
            f"Dimensions of B: {b.shape.as_list()}")
    idx = _np(sp_a.indices)
    if idx.shape[0] and (np.any(idx < 0) or np.any(idx >= np.array(shape))):
        raise errors.invalid_argument("SparseTensorDenseMatMul", "k (index) is out of bounds")
    rows = shape[1] if adjoint_a else shape[0]
    vals = tensor_lib.convert_to_tensor(sp_a.values)
    return dispatch.apply(_spmm, tensor_lib.Tensor(jnp.asarray(idx)), vals, b, rows=rows,
                          adjoint_a=bool(adjoint_a), adjoint_b=bool(adjoint_b))


def _segment(data, indices, segment_ids, *, num_segments, kind):
    rows = data[indices]
    summed = jax.ops.segment_sum(rows, segment_ids, num_segments=num_segments)
    if kind == "sum":
        return summed
    counts = jax.ops.segment_sum(jnp.ones(segment_ids.shape, data.dtype), segment_ids, num_segments=num_segments)
    counts = counts.reshape(counts.shape + (1,) * (rows.ndim - 1))
    if kind == "mean":
        return summed / jnp.maximum(counts, 1)
    return summed / jnp.sqrt(jnp.maximum(counts, 1))


def _sparse_segment(data, indices, segment_ids, num_segments, kind, op):
    data = tensor_lib.convert_to_tensor(data)
    ind = _np(tensor_lib.convert_to_tensor(indices))
    seg = _np(tensor_lib.convert_to_tensor(segment_ids))
    if kind != "sum" and not data.dtype.is_floating:
        raise TypeError(f"Value passed to parameter 'data' has DataType {data.dtype.name} not in list of allowed "
                        "values: bfloat16, float16, float32, float64")
    if ind.shape != seg.shape:
        raise errors.invalid_argument(op, "segment_ids and indices should have same size.")
    n = data.shape[0]
    if ind.size and (ind.min() < 0 or ind.max() >= n):
        bad = int(ind[(ind < 0) | (ind >= n)][0])
        raise errors.invalid_argument(op, f"Bad: indices[{int(np.nonzero(ind == bad)[0][0])}] == {bad} out of range "
                                      f"[0, {n})")
    if seg.size and np.any(np.diff(seg) < 0):
        raise errors.invalid_argument(op, "segment ids are not increasing")
    if num_segments is None:
        ns = int(seg.max()) + 1 if seg.size else 0
    else:
        ns = int(_np(num_segments)) if isinstance(num_segments, Tensor) else int(num_segments)
        if seg.size and seg.max() >= ns:
            raise errors.invalid_argument(op, f"segment ids must be < num_segments")
    return dispatch.apply(_segment, data, Tensor(jnp.asarray(ind)), Tensor(jnp.asarray(seg)),
                          num_segments=ns, kind=kind)


def segment_sum(data, indices, segment_ids, num_segments=None, name=None):
    return _sparse_segment(data, indices, segment_ids, num_segments, "sum", "SparseSegmentSum")


def segment_mean(data, indices, segment_ids, num_segments=None, name=None):
    return _sparse_segment(data, indices, segment_ids, num_segments, "mean", "SparseSegmentMean")


def segment_sqrt_n(data, indices, segment_ids, num_segments=None, name=None):
    return _sparse_segment(data, indices, segment_ids, num_segments, "sqrt_n", "SparseSegmentSqrtN")


# -- counting / crossing -----------------------------------------------------------------------

def bincount(values, weights=None, axis=0, minlength=None, maxlength=None, binary_output=False, name=None):
    """``tf.sparse.bincount``: per-batch (axis=-1) or global (axis=0) counts as a SparseTensor."""
    if isinstance(values, SparseTensor):
        idx, vals, shape = _parts(values)
        batch = idx[:, 0] if len(shape) == 2 else np.zeros(len(vals), np.int64)
        nb = shape[0] if len(shape) == 2 else 1
        w = _np(weights.values) if isinstance(weights, SparseTensor) else (None if weights is None else _np(weights))
    else:
        arr = _np(tensor_lib.convert_to_tensor(values))
        if arr.ndim == 1:
            arr2 = arr[None]
        elif arr.ndim == 2:
            arr2 = arr
        else:
            raise errors.invalid_argument("DenseBincount", "values must be rank 1 or 2")
        nb = arr2.shape[0]
        batch = np.repeat(np.arange(nb), arr2.shape[1])
        vals = arr2.reshape(-1)
        w = None if weights is None else _np(tensor_lib.convert_to_tensor(weights)).reshape(-1)
        shape = arr.shape
    vals = vals.astype(np.int64)
    per_batch = axis in (-1, 1) and (len(shape) == 2)
    keep = vals >= 0
    if maxlength is not None:
        keep &= vals < int(maxlength)
    size = int(vals[keep].max()) + 1 if keep.any() else 0
    if minlength is not None:
        size = max(size, int(minlength))
    if maxlength is not None:
        size = min(size, int(maxlength))
    counts = {}
    out_dtype = (tensor_lib.convert_to_tensor(weights.values if isinstance(weights, SparseTensor) else weights).dtype
                 if weights is not None else (values.dtype if isinstance(values, SparseTensor)
                                              else tensor_lib.convert_to_tensor(values).dtype))
    for i in np.nonzero(keep)[0].tolist():
        k = (int(batch[i]), int(vals[i])) if per_batch else (int(vals[i]),)
        inc = 1 if w is None else w[i]
        counts[k] = 1 if binary_output else counts.get(k, 0) + inc
    keys = sorted(counts)
    oshape = (nb, size) if per_batch else (size,)
    return _make(np.array(keys, np.int64).reshape(-1, len(oshape)),
                 np.array([counts[k] for k in keys], dtype=out_dtype._np), oshape, out_dtype)
