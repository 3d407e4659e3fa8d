"""``tf.sets``: set operations along the last dimension, computed on the host.

Dense inputs treat every element of the last dimension as a set member; sparse inputs only
their stored values. The result is a SparseTensor whose last dimension holds each set's members
in ascending order (bytes order for strings), as TF's set kernels emit them."""

from __future__ import annotations

import numpy as np

from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src import tensor as tensor_lib
from tfjax._src.io import host
from tfjax._src.sparse_tensor import SparseTensor

_VALID = (dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64, dtypes.uint8, dtypes.uint16, dtypes.string)
_VALID_REPR = "frozenset({tf.int32, tf.uint8, tf.int16, tf.int8, tf.string, tf.int64, tf.uint16})"


def _np(t):
    v = t._value
    return v if isinstance(v, np.ndarray) else np.asarray(v)


def _convert(x, name):
    if isinstance(x, SparseTensor):
        t = x
    else:
        t = tensor_lib.convert_to_tensor(x)
    if t.dtype not in _VALID:
        raise TypeError(f"'{name}' has invalid dtype `<dtype: '{t.dtype.name}'>` not in supported dtypes: `{_VALID_REPR}`.")
    return t


def _groups(t, op):
    """(leading shape, {leading index tuple: set of members})."""
    if isinstance(t, SparseTensor):
        shape = tuple(int(d) for d in _np(t.dense_shape))
        if len(shape) < 2:
            raise errors.invalid_argument(op, f"Shape {list(shape)} has rank {len(shape)} < 2")
        idx = _np(t.indices)
        vals = _np(t.values).tolist()
        out = {}
        for row, v in zip(map(tuple, idx[:, :-1].tolist()), vals):
            out.setdefault(row, set()).add(v)
        return shape[:-1], out
    arr = _np(t)
    if arr.ndim < 2:
        raise errors.invalid_argument(op, f"Shape {list(arr.shape)} has rank {arr.ndim} < 2")
    lead = arr.shape[:-1]
    flat = arr.reshape(int(np.prod(lead)), arr.shape[-1])
    out = {}
    for i, row in enumerate(flat.tolist()):
        if row:
            out[tuple(int(j) for j in np.unravel_index(i, lead))] = set(row)
    return lead, out


def _set_operation(a, b, set_op, validate_indices=True):
    a = _convert(a, "a")
    b = _convert(b, "b")
    if a.dtype != b.dtype:
        raise TypeError(f"Types don't match, <dtype: '{a.dtype.name}'> vs <dtype: '{b.dtype.name}'>.")
    a_sparse, b_sparse = isinstance(a, SparseTensor), isinstance(b, SparseTensor)
    op = {(False, False): "DenseToDenseSetOperation", (False, True): "DenseToSparseSetOperation",
          (True, True): "SparseToSparseSetOperation", (True, False): "DenseToSparseSetOperation"}[(a_sparse, b_sparse)]
    lead_a, ga = _groups(a, op)
    lead_b, gb = _groups(b, op)
    if lead_a != lead_b:
        if not a_sparse and not b_sparse:
            raise errors.invalid_argument(op, f"Mismatched shapes {list(lead_a)} vs {list(lead_b)}")
        raise errors.invalid_argument(op, f"Shapes {list(lead_a)} and {list(lead_b)} of the leading dimensions "
                                      "of the two inputs do not match")
    empty = set()
    rows = []
    for key in sorted(set(ga) | set(gb)):
        sa, sb = ga.get(key, empty), gb.get(key, empty)
        if set_op == "intersection":
            r = sa & sb
        elif set_op == "union":
            r = sa | sb
        elif set_op == "a-b":
            r = sa - sb
        else:
            r = sb - sa
        if r:
            rows.append((key, sorted(r)))
    width = max((len(r) for _, r in rows), default=0)
    idx, vals = [], []
    for key, members in rows:
        for j, v in enumerate(members):
            idx.append(key + (j,))
            vals.append(v)
    rank = len(lead_a) + 1
    if a.dtype == dtypes.string:
        varr = np.empty(len(vals), dtype=object)
        varr[:] = vals
    else:
        varr = np.array(vals, dtype=a.dtype._np)
    return SparseTensor(host.wrap(np.array(idx, np.int64).reshape(-1, rank)), host.wrap(varr),
                        host.wrap(np.array(lead_a + (width,), np.int64)))


def set_intersection(a, b, validate_indices=True):
    return _set_operation(a, b, "intersection", validate_indices)


def set_union(a, b, validate_indices=True):
    return _set_operation(a, b, "union", validate_indices)


def set_difference(a, b, aminusb=True, validate_indices=True):
    return _set_operation(a, b, "a-b" if aminusb else "b-a", validate_indices)


def set_size(a, validate_indices=True):
    if not isinstance(a, SparseTensor):
        raise TypeError(f"Expected `SparseTensor`, got {a}.")
    a = _convert(a, "a")
    lead, groups = _groups(a, "SetSize")
    out = np.zeros(lead, np.int32)
    for key, members in groups.items():
        out[key] = len(members)
    return host.wrap(out)


intersection = set_intersection
union = set_union
difference = set_difference
size = set_size
