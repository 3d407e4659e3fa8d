"""batch, padded_batch, unbatch and rebatch."""

from __future__ import annotations

import collections

import numpy as np

from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src.data import structure
from tfjax._src.data.dataset import INFINITE, UNKNOWN, DatasetV2, _scalar_int
from tfjax._src.data.unary import _Unary
from tfjax._src.ragged.ragged_tensor import RaggedTensor
from tfjax._src.sparse_tensor import SparseTensor
from tfjax._src.tensor_shape import TensorShape
from tfjax._src.tensor_spec import TensorSpec


# ---------------------------------------------------------------------------
# batching
# ---------------------------------------------------------------------------

def _batch_sparse(sps):
    idx, vals = [], []
    rank = len(structure.host(sps[0].dense_shape))
    shape = np.zeros(rank, dtype=np.int64)
    for b, sp in enumerate(sps):
        i = structure.host(sp.indices)
        idx.append(np.concatenate([np.full((len(i), 1), b, dtype=np.int64), i], axis=1))
        vals.append(structure.host(sp.values))
        shape = np.maximum(shape, structure.host(sp.dense_shape))
    return SparseTensor(np.concatenate(idx, axis=0) if idx else np.zeros((0, rank + 1), np.int64),
                        np.concatenate(vals) if vals else np.zeros((0,)),
                        np.concatenate([[len(sps)], shape]).astype(np.int64))


def _stack_component(leaves, c):
    first = leaves[0]
    if isinstance(first, SparseTensor):
        return _batch_sparse(leaves)
    if isinstance(first, RaggedTensor):
        from tfjax._src.data.ragged_batching import stack_ragged  # noqa: PLC0415
        return stack_ragged(leaves)
    if isinstance(first, DatasetV2):
        raise errors.unsupported("batching dataset-valued elements")
    arrs = [structure.host(x) for x in leaves]
    s0 = arrs[0].shape
    for k, a in enumerate(arrs):
        if a.shape != s0:
            raise errors.InvalidArgumentError(
                f"Cannot batch tensors with different shapes in component {c}. First element had shape "
                f"{list(s0)} and element {k} had shape {list(a.shape)}.")
        if a.dtype != arrs[0].dtype:
            raise errors.InvalidArgumentError(
                f"Cannot batch tensors with different dtypes in component {c}.")
    return np.stack(arrs)


def stack_elements(elems):
    first = elems[0]
    if not structure.is_nested(first):
        return _stack_component(elems, 0)
    flats = [structure.flatten(e) for e in elems]
    comps = [_stack_component([f[c] for f in flats], c) for c in range(len(flats[0]))]
    return structure.pack_sequence_as(first, comps)


def _batched_card(n, b, drop):
    if n in (INFINITE, UNKNOWN):
        return n
    return n // b if drop else -(-n // b)


class BatchDataset(_Unary):
    _tf_name = "_BatchDataset"

    def __init__(self, input_dataset, batch_size, drop_remainder):
        super().__init__(input_dataset)
        self._b = _scalar_int(batch_size, "batch_size")
        if self._b <= 0:
            raise errors.InvalidArgumentError("Batch size must be greater than zero.")
        self._drop = bool(drop_remainder)

    def _compute_spec(self):
        b = self._b if self._drop else None
        return structure.map_structure(lambda s: s._batch(b), self._input.element_spec) \
            if structure.is_nested(self._input.element_spec) else self._input.element_spec._batch(b)

    def _card(self):
        return _batched_card(self._input._card(), self._b, self._drop)

    def _iter(self):
        ix = self._input._indexed()
        if ix is not None:
            return self._iter_indexed(*ix)
        fused = getattr(self._input, "_iter_batches", None)  # file readers: batches of records
        if fused is not None:
            it = fused(self._b, self._drop)
            if it is not None:
                return it
        return self._iter_elements()

    def _iter_elements(self):
        buf = []
        b = self._b
        for elem in self._input._elements():
            buf.append(elem)
            if len(buf) == b:
                yield stack_elements(buf)
                buf = []
        if buf and not self._drop:
            yield stack_elements(buf)

    def _iter_indexed(self, base, chunks):
        b = self._b
        buf = np.zeros(0, dtype=np.int64)
        for c in chunks():
            if isinstance(c, range):
                if len(buf) == 0:
                    start = c.start
                    while c.stop - start >= b:
                        yield base._gather(range(start, start + b))
                        start += b
                    buf = np.arange(start, c.stop, dtype=np.int64)
                    continue
                c = np.arange(c.start, c.stop, dtype=np.int64)
            buf = np.concatenate([buf, c]) if len(buf) else np.asarray(c, dtype=np.int64)
            pos = 0
            while len(buf) - pos >= b:
                yield base._gather(buf[pos:pos + b])
                pos += b
            buf = buf[pos:]
        if len(buf) and not self._drop:
            yield base._gather(buf)


def _normalize_padded_shape(s):
    if isinstance(s, TensorShape):
        return s
    if hasattr(s, "numpy"):
        s = s.numpy().tolist()
    elif isinstance(s, np.ndarray):
        s = s.tolist()
    return TensorShape([None if (d is None or d == -1) else d for d in s])


class PaddedBatchDataset(_Unary):
    _tf_name = "_PaddedBatchDataset"

    def __init__(self, input_dataset, batch_size, padded_shapes, padding_values, drop_remainder):
        super().__init__(input_dataset)
        self._b = _scalar_int(batch_size, "batch_size")
        if self._b <= 0:
            raise errors.InvalidArgumentError("Batch size must be greater than zero.")
        self._drop = bool(drop_remainder)
        spec = input_dataset.element_spec
        flat_spec = structure.flatten(spec)
        if padded_shapes is None:
            shapes = []
            for s in flat_spec:
                if s.shape.rank is None:
                    raise ValueError("You must provide `padded_shapes` argument because component 0 has "
                                     "unknown rank.")
                shapes.append(TensorShape([None] * s.shape.rank))
        else:
            if structure.is_nested(spec):
                shapes = [_normalize_padded_shape(s) for s in _flatten_up_to_spec(spec, padded_shapes)]
            else:
                shapes = [_normalize_padded_shape(padded_shapes)]
            for s, ps in zip(flat_spec, shapes):
                if s.shape.rank is not None and not TensorShape([None] * s.shape.rank).is_compatible_with(ps):
                    raise ValueError(f"The padded shape {ps} is not compatible with the shape {s.shape} of "
                                     "the corresponding input component.")
        self._shapes = shapes
        if padding_values is None:
            vals = [None] * len(flat_spec)
        elif structure.is_nested(spec) and structure.is_nested(padding_values):
            vals = _flatten_up_to_spec(spec, padding_values)
        else:
            vals = [padding_values] * len(flat_spec)
        pads = []
        for s, v in zip(flat_spec, vals):
            if v is None:
                pads.append(b"" if s.dtype == dtypes.string else np.zeros((), s.dtype._np))
                continue
            leaf = structure.host(structure.to_leaf(v))
            if structure.leaf_dtype(leaf) != s.dtype:
                if isinstance(v, (int, float, bool)) and s.dtype != dtypes.string:
                    leaf = np.asarray(v, dtype=s.dtype._np)
                else:
                    raise TypeError(f"Padding value should have the same dtype as the element: "
                                    f"{structure.leaf_dtype(leaf).name} vs {s.dtype.name}.")
            if leaf.shape != ():
                raise ValueError("Padding values must be scalars.")
            pads.append(leaf[()] if leaf.dtype == object else leaf)
        self._pads = pads

    def _compute_spec(self):
        b = self._b if self._drop else None
        spec = self._input.element_spec
        flat = [TensorSpec(TensorShape([b]).concatenate(ps), s.dtype)
                for s, ps in zip(structure.flatten(spec), self._shapes)]
        return structure.pack_sequence_as(spec, flat) if structure.is_nested(spec) else flat[0]

    def _card(self):
        return _batched_card(self._input._card(), self._b, self._drop)

    def _pad(self, elems):
        first = elems[0]
        flats = [structure.flatten(e) for e in elems] if structure.is_nested(first) else [[e] for e in elems]
        out = []
        for c, (ps, pad) in enumerate(zip(self._shapes, self._pads)):
            arrs = [structure.host(f[c]) for f in flats]
            rank = arrs[0].ndim
            for a in arrs:
                if a.ndim != rank:
                    raise errors.InvalidArgumentError(
                        f"All elements in a batch must have the same rank as the padded shape for "
                        f"component{c}: expected rank {rank} but got element with rank {a.ndim}")
            target = []
            for d in range(rank):
                mx = max(a.shape[d] for a in arrs)
                want = ps[d] if ps.rank is not None and d < ps.rank else None
                if want is not None:
                    if mx > want:
                        raise errors.InvalidArgumentError(
                            "Attempted to pad to a smaller size than the input element.")
                    mx = want
                target.append(mx)
            dt = arrs[0].dtype
            res = np.full([len(arrs)] + target, pad, dtype=dt)
            for i, a in enumerate(arrs):
                res[(i,) + tuple(slice(0, s) for s in a.shape)] = a
            out.append(res)
        return structure.pack_sequence_as(first, out) if structure.is_nested(first) else out[0]

    def _iter(self):
        buf = []
        for elem in self._input._elements():
            buf.append(elem)
            if len(buf) == self._b:
                yield self._pad(buf)
                buf = []
        if buf and not self._drop:
            yield self._pad(buf)


def _flatten_up_to_spec(spec, value):
    out = []

    def walk(s, v):
        if isinstance(s, collections.abc.Mapping):
            for k in structure._sorted_keys(s):
                walk(s[k], v[k])
        elif isinstance(s, tuple):
            if not isinstance(v, (tuple, list)) or len(v) != len(s):
                raise ValueError(f"The structure {v} does not match the element structure {spec}.")
            for a, b in zip(s, v):
                walk(a, b)
        else:
            out.append(v)
    walk(spec, value)
    return out


def _unbatch_elements(it):
    for elem in it:
        flat = structure.flatten(elem) if structure.is_nested(elem) else [elem]
        arrs = []
        for leaf in flat:
            if isinstance(leaf, SparseTensor):
                raise errors.unsupported("unbatch of SparseTensor elements")
            a = structure.host(leaf)
            if a.ndim == 0:
                raise errors.InvalidArgumentError("Unbatching a tensor is only supported for rank >= 1")
            arrs.append(a)
        n = arrs[0].shape[0]
        for a in arrs:
            if a.shape[0] != n:
                raise errors.InvalidArgumentError(
                    "Input element must have the same batch size in each component.")
        nested = structure.is_nested(elem)
        for j in range(n):
            leaves = [a[j, ...] for a in arrs]
            yield structure.pack_sequence_as(elem, leaves) if nested else leaves[0]


class UnbatchDataset(_Unary):
    _tf_name = "_UnbatchDataset"

    def _compute_spec(self):
        spec = self._input.element_spec
        return structure.map_structure(lambda s: s._unbatch(), spec) if structure.is_nested(spec) \
            else spec._unbatch()

    def _card(self):
        n = self._input._card()
        if n in (INFINITE, UNKNOWN):
            return n
        dims = {s.shape[0] if s.shape.rank else None for s in structure.flatten(self._input.element_spec)}
        if len(dims) == 1 and None not in dims:
            return n * dims.pop()
        return UNKNOWN

    def _iter(self):
        return _unbatch_elements(self._input._elements())


class RebatchDataset(_Unary):
    _tf_name = "_RebatchDataset"

    def __init__(self, input_dataset, batch_size, drop_remainder):
        super().__init__(input_dataset)
        if isinstance(batch_size, (list, tuple, np.ndarray)) or (hasattr(batch_size, "shape") and
                                                                 len(batch_size.shape) == 1):
            sizes = [int(x) for x in np.asarray(batch_size).reshape(-1)]
        else:
            sizes = [_scalar_int(batch_size, "batch_size")]
        if not sizes or any(s < 0 for s in sizes):
            raise errors.InvalidArgumentError("batch_sizes must be non-negative.")
        self._sizes = sizes
        self._drop = bool(drop_remainder)
        for s in structure.flatten(input_dataset.element_spec):
            s._unbatch()

    def _compute_spec(self):
        b = self._sizes[0] if (len(self._sizes) == 1 and self._drop) else None
        spec = self._input.element_spec
        return structure.map_structure(lambda s: s._unbatch()._batch(b), spec) \
            if structure.is_nested(spec) else spec._unbatch()._batch(b)

    def _card(self):
        return UNKNOWN

    def _iter(self):
        sizes = self._sizes
        k = 0
        buf = []
        for elem in _unbatch_elements(self._input._elements()):
            buf.append(elem)
            while len(buf) >= sizes[k % len(sizes)]:
                n = sizes[k % len(sizes)]
                if n == 0:
                    k += 1
                    continue
                yield stack_elements(buf[:n])
                buf = buf[n:]
                k += 1
        if buf and not self._drop:
            yield stack_elements(buf)
