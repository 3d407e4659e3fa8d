"""Dense / sparse <-> ragged conversion (``from_tensor``, ``to_tensor``, ``from_sparse``, ``to_sparse``).

The index bookkeeping (which flat value lands at which dense coordinate) is done on
the host from the concrete row splits; the data movement itself is one gather or
scatter through ``dispatch.apply``, so gradients flow between the dense and the
ragged form as in TF.
"""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from tfjax._src import dispatch
from tfjax._src import dtypes
from tfjax._src import tensor as tensor_lib
from tfjax._src.ragged.ragged_tensor import RaggedTensor, host, take, wrap
from tfjax._src.tensor import Tensor
from tfjax._src.tensor_shape import TensorShape


def _reshape(t, shape):
    if t._value.dtype == object:
        return Tensor(t._value.reshape(shape))
    from tfjax._src.ops import array_ops  # noqa: PLC0415
    return array_ops.reshape(t, list(shape))


def outer_indices(rt):
    """(nvals, ragged_rank + 1) coordinates of each flat-value row in the bounding shape."""
    splits = [host(s).astype(np.int64) for s in rt.nested_row_splits]
    pos = np.arange(int(splits[-1][-1]) if splits[-1].size else 0)
    cols = []
    for s in reversed(splits):
        row = np.searchsorted(s, pos, side="right") - 1
        cols.append(pos - s[row])
        pos = row
    cols.append(pos)
    return np.stack(cols[::-1], axis=1) if cols else np.zeros((0, 1), np.int64)


def _scatter_dense(flat, default, sel, idx, *, outer, inner):
    vals = flat[sel]
    keep = tuple(slice(0, min(a, b)) for a, b in zip(flat.shape[1:], inner))
    vals = vals[(slice(None),) + keep]
    dense = jnp.broadcast_to(default.astype(flat.dtype), outer + inner)
    return dense.at[tuple(idx.T) + keep].set(vals)


def to_tensor(rt, default_value=None, shape=None):
    bounding = [int(d) for d in host(rt.bounding_shape())]
    if shape is not None:
        target = TensorShape(shape)
        if target.rank is not None and target.rank != len(bounding):
            raise ValueError(f"Shape {target} must have rank {len(bounding)}")
        if target.rank is not None:
            bounding = [b if d is None else d for b, d in zip(bounding, target.as_list())]
    r = rt.ragged_rank
    outer, inner = tuple(bounding[:r + 1]), tuple(bounding[r + 1:])
    idx = outer_indices(rt)
    keep = np.all(idx < np.asarray(outer, np.int64), axis=1) if idx.size else np.zeros(0, bool)
    sel = np.nonzero(keep)[0]
    idx = idx[sel]
    flat = rt.flat_values
    if flat._value.dtype == object:
        dv = b"" if default_value is None else host(tensor_lib.convert_to_tensor(default_value, dtype=dtypes.string))
        dense = np.empty(outer + inner, dtype=object)
        dense[...] = dv
        k = tuple(slice(0, min(a, b)) for a, b in zip(flat.shape[1:], inner))
        dense[tuple(idx.T) + k] = flat._value[sel][(slice(None),) + k]
        return Tensor(dense)
    dv = tensor_lib.convert_to_tensor(0 if default_value is None else default_value, dtype_hint=flat.dtype)
    if dv.dtype != flat.dtype:
        dv = tensor_lib.convert_to_tensor(default_value, dtype=flat.dtype)
    return dispatch.apply(_scatter_dense, flat, dv, wrap(sel), wrap(idx.reshape(-1, r + 1)),
                          outer=outer, inner=inner)


def _padding_lengths(t, padding, width):
    pad = tensor_lib.convert_to_tensor(padding, dtype=t.dtype)
    inner = t.shape[2:]
    if not TensorShape(pad.shape).is_compatible_with(inner):
        raise ValueError(f"Shapes {pad.shape} and {inner} are incompatible")
    is_pad = host(t, "tensor") == host(pad, "padding")
    is_pad = is_pad.reshape(is_pad.shape[:2] + (-1,)).all(axis=2)
    # The row keeps everything up to its last non-padding element.
    nonpad = ~is_pad
    last = np.where(nonpad.any(axis=1), width - np.argmax(nonpad[:, ::-1], axis=1), 0)
    return last


def from_tensor(tensor, lengths=None, padding=None, ragged_rank=1, row_splits_dtype=dtypes.int64):
    t = tensor if isinstance(tensor, Tensor) else tensor_lib.convert_to_tensor(tensor)
    split_dt = dtypes.as_dtype(row_splits_dtype)
    if not isinstance(ragged_rank, int) or ragged_rank < 1:
        raise ValueError(f"ragged_rank must be greater than 0; got {ragged_rank}")
    rank = t.shape.rank
    if rank < ragged_rank + 1:
        raise ValueError(f"Shape {t.shape} must have rank at least {ragged_rank + 1}")
    if lengths is not None and padding is not None:
        raise ValueError("Specify argument `lengths` or `padding`, but not both.")
    dims = t.shape.as_list()
    batch = int(np.prod(dims[:ragged_rank], dtype=np.int64))
    width = dims[ragged_rank]
    t2 = _reshape(t, [batch, width] + dims[ragged_rank + 1:]) if ragged_rank > 1 else t
    if lengths is not None:
        ln = host(tensor_lib.convert_to_tensor(lengths, dtype_hint=dtypes.int64)).reshape(-1).astype(np.int64)
        if ln.size != batch:
            raise ValueError(f"lengths must have {batch} elements, got {ln.size}")
        ln = np.clip(ln, 0, width)
    elif padding is not None:
        ln = _padding_lengths(t2, padding, width)
    else:
        ln = np.full(batch, width, np.int64)
    flat = _reshape(t2, [batch * width] + dims[ragged_rank + 1:])
    cols = np.arange(width)
    sel = (np.arange(batch)[:, None] * width + cols[None, :])[cols[None, :] < ln[:, None]]
    values = take(flat, sel) if (lengths is not None or padding is not None) else flat
    splits = np.concatenate([[0], np.cumsum(ln)]).astype(split_dt._np)
    uniform = width if lengths is None and padding is None else None
    return uniform_outer(RaggedTensor._make(values, wrap(splits), uniform), dims[1:ragged_rank], split_dt)


def uniform_outer(rt, dims, split_dtype=dtypes.int64):
    """Wraps ``rt`` in uniform partitions of sizes ``dims`` (outermost first): the dense outer
    dimensions of a tensor that became ragged inside (TF reports their sizes in the shape)."""
    for d in reversed(list(dims)):
        n = rt.nrows_static() // d if d else 0
        rt = RaggedTensor._make(rt, wrap((np.arange(n + 1) * d).astype(dtypes.as_dtype(split_dtype)._np)), uniform=d)
    return rt


def ragged_from_elements(arr, per_element, np_dtype):
    """A RaggedTensor of shape ``arr.shape + [None]``: row i holds ``per_element(arr.flat[i])``."""
    pieces = [per_element(e) for e in arr.reshape(-1).tolist()]
    vals = np.empty(sum(len(p) for p in pieces), dtype=np_dtype)
    vals[:] = [x for p in pieces for x in p]
    splits = np.concatenate([[0], np.cumsum([len(p) for p in pieces])]).astype(np.int64)
    return uniform_outer(RaggedTensor._make(wrap(vals), wrap(splits)), arr.shape[1:])


def from_sparse(st, row_splits_dtype=dtypes.int64):
    from tfjax._src.sparse_tensor import SparseTensor  # noqa: PLC0415
    if not isinstance(st, SparseTensor):
        raise TypeError(f"st_input must be a SparseTensor, got {st!r}")
    if st.indices.shape[1] != 2:
        raise ValueError("from_sparse requires a 2-D SparseTensor")
    idx = host(st.indices)
    nrows = int(host(st.dense_shape)[0])
    counts = np.bincount(idx[:, 0], minlength=nrows) if idx.size else np.zeros(nrows, np.int64)
    splits = np.concatenate([[0], np.cumsum(counts)]).astype(dtypes.as_dtype(row_splits_dtype)._np)
    return RaggedTensor._make(st.values, wrap(splits))


def to_sparse(rt):
    from tfjax._src.sparse_tensor import SparseTensor  # noqa: PLC0415
    idx = outer_indices(rt)
    flat = rt.flat_values
    inner = flat.shape[1:].as_list()
    if inner:
        grid = np.stack(np.meshgrid(*[np.arange(d) for d in inner], indexing="ij"), -1).reshape(-1, len(inner))
        idx = np.concatenate([np.repeat(idx, len(grid), axis=0), np.tile(grid, (len(idx), 1))], axis=1)
        flat = _reshape(flat, [-1])
    return SparseTensor(idx.astype(np.int64), flat, host(rt.bounding_shape(out_type=dtypes.int64)))
