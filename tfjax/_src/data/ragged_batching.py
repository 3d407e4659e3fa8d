"""``Dataset.ragged_batch`` and the batching of RaggedTensor components.

TF's rule: a component whose element shape is fully known is batched densely; any
other dense component becomes a RaggedTensor whose ragged dimensions run up to its
last unknown dimension; RaggedTensor components gain one more ragged dimension.
"""

from __future__ import annotations

import numpy as np

from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src import tensor as tensor_lib
from tfjax._src.data import structure
from tfjax._src.data.dataset import _scalar_int
from tfjax._src.data.batching import _batched_card, _stack_component
from tfjax._src.data.unary import _Unary
from tfjax._src.ragged import conversion, ragged_math
from tfjax._src.ragged.ragged_tensor import RaggedTensor, RaggedTensorSpec
from tfjax._src.tensor_shape import TensorShape
from tfjax._src.tensor_spec import TensorSpec


def stack_ragged(leaves, row_splits_dtype=None):
    """Stacks RaggedTensor / Tensor leaves (one per element) into one RaggedTensor."""
    rts = [leaf if isinstance(leaf, RaggedTensor) else _as_tensor(leaf) for leaf in leaves]
    if all(isinstance(r, RaggedTensor) for r in rts):
        out = ragged_math.stack(rts, 0)
        n = {r.nrows_static() for r in rts}
        if len(n) == 1:
            # Every element has the same number of rows: TF's batched value reports it.
            out._uniform_row_length = n.pop()
    else:
        out = ragged_math.stack(rts, 0) if any(isinstance(r, RaggedTensor) for r in rts) else _stack_rows(rts)
    if row_splits_dtype is not None and isinstance(out, RaggedTensor):
        out = out.with_row_splits_dtype(row_splits_dtype)
    return out


def _as_tensor(leaf):
    if isinstance(leaf, tensor_lib.Tensor):
        return leaf
    return structure.to_tensor(leaf) if not isinstance(leaf, np.ndarray) or leaf.dtype != object \
        else tensor_lib.Tensor(leaf)


def _stack_rows(tensors):
    """Dense rows of (possibly) different lengths -> RaggedTensor [batch, None, ...]."""
    shapes = {t.shape[1:] for t in tensors if t.shape.rank}
    if any(t.shape.rank == 0 for t in tensors) or len({t.shape.rank for t in tensors}) > 1 or len(shapes) > 1:
        raise errors.InvalidArgumentError(None, None, "Cannot batch ragged elements whose inner shapes differ.")
    from tfjax._src.ragged.ragged_math import _concat_values  # noqa: PLC0415
    values = _concat_values(tensors)
    splits = np.concatenate([[0], np.cumsum([t.shape[0] for t in tensors])]).astype(np.int64)
    return RaggedTensor.from_row_splits(values, splits, validate=False)


def _ragged_rank_for(shape: TensorShape) -> int:
    dims = shape.as_list()
    return max(i for i, d in enumerate(dims) if d is None) + 1


def _batch_spec(spec, b, splits_dtype):
    if isinstance(spec, RaggedTensorSpec):
        return RaggedTensorSpec(TensorShape([b]).concatenate(spec.shape), spec.dtype, spec.ragged_rank + 1,
                                splits_dtype)
    if isinstance(spec, TensorSpec) and spec.shape.rank is not None and not spec.shape.is_fully_defined():
        return RaggedTensorSpec(TensorShape([b]).concatenate(spec.shape), spec.dtype,
                                _ragged_rank_for(spec.shape), splits_dtype)
    if isinstance(spec, TensorSpec):
        return spec._batch(b)
    raise errors.unsupported(f"Dataset.ragged_batch of {type(spec).__name__} components")


def _batch_component(leaves, spec, out_spec, c):
    if not isinstance(out_spec, RaggedTensorSpec):
        return _stack_component(leaves, c)
    if isinstance(spec, RaggedTensorSpec):
        return stack_ragged(leaves, out_spec.row_splits_dtype)
    # A dense component with unknown dims: make each element ragged up to its last unknown dim.
    inner_rr = out_spec.ragged_rank - 1
    rows = [_as_tensor(x) for x in leaves]
    if inner_rr:
        rows = [conversion.from_tensor(t, ragged_rank=inner_rr, row_splits_dtype=out_spec.row_splits_dtype)
                for t in rows]
        # Dense inputs carry uniform inner partitions; TF reports those dims as unknown.
        for r in rows:
            _clear_uniform(r)
    return stack_ragged(rows, out_spec.row_splits_dtype)


def _clear_uniform(rt):
    while isinstance(rt, RaggedTensor):
        rt._uniform_row_length = None
        rt = rt._values


class RaggedBatchDataset(_Unary):
    _tf_name = "_DenseToRaggedDataset"

    def __init__(self, input_dataset, batch_size, drop_remainder, row_splits_dtype):
        super().__init__(input_dataset)
        self._b = _scalar_int(batch_size, "batch_size")
        if self._b <= 0:
            raise errors.InvalidArgumentError("Batch size must be greater than zero.")
        self._drop = bool(drop_remainder)
        self._splits_dtype = dtypes.as_dtype(row_splits_dtype)
        if self._splits_dtype not in (dtypes.int32, dtypes.int64):
            raise ValueError("row_splits_dtype must be int32 or int64")

    def _compute_spec(self):
        b = self._b if self._drop else None
        spec = self._input.element_spec
        return structure.map_structure(lambda s: _batch_spec(s, b, self._splits_dtype), spec) \
            if structure.is_nested(spec) else _batch_spec(spec, b, self._splits_dtype)

    def _card(self):
        return _batched_card(self._input._card(), self._b, self._drop)

    def _batch(self, elems):
        in_spec, out_spec = self._input.element_spec, self.element_spec
        if not structure.is_nested(elems[0]):
            return _batch_component(elems, in_spec, out_spec, 0)
        flats = [structure.flatten(e) for e in elems]
        specs, outs = structure.flatten(in_spec), structure.flatten(out_spec)
        comps = [_batch_component([f[c] for f in flats], specs[c], outs[c], c) for c in range(len(flats[0]))]
        return structure.pack_sequence_as(elems[0], comps)

    def _iter(self):
        buf = []
        for elem in self._input._elements():
            buf.append(elem)
            if len(buf) == self._b:
                yield self._batch(buf)
                buf = []
        if buf and not self._drop:
            yield self._batch(buf)
