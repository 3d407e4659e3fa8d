"""Nested datasets: flat_map, interleave, window, group_by_window, bucketing, concatenate."""

from __future__ import annotations

import collections
import os

import numpy as np

from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src.data import structure
from tfjax._src.data.batching import _normalize_padded_shape
from tfjax._src.data.dataset import AUTOTUNE, INFINITE, UNKNOWN, DatasetSpec, DatasetV2, _scalar_int
from tfjax._src.data import fn_tracing
from tfjax._src.data.unary import _Unary
from tfjax._src.tensor_shape import TensorShape
from tfjax._src.tensor_spec import TensorSpec


# ---------------------------------------------------------------------------
# nesting: interleave, flat_map, window, group_by_window, concatenate, scan
# ---------------------------------------------------------------------------

def _call_for_dataset(fn, elem, what="map_func"):
    ds = structure.call_fn(fn, elem)
    if not isinstance(ds, DatasetV2):
        raise TypeError(f"The `{what}` argument must return a `Dataset` object. Got "
                        f"{type(ds).__name__}.")
    return ds


def _dataset_fn_spec(in_dataset, fn):
    spec = fn_tracing.trace_spec(lambda e: _call_for_dataset(fn, e).element_spec, in_dataset.element_spec)
    if spec is not None:
        return spec
    for elem in in_dataset._elements():  # untraceable: the first element's dataset
        return _call_for_dataset(fn, elem).element_spec
    spec = fn_tracing.trace_spec(lambda e: _call_for_dataset(fn, e).element_spec, in_dataset.element_spec,
                                 concrete=True)
    return spec if spec is not None else TensorSpec(None, dtypes.float32)


class FlatMapDataset(_Unary):
    _tf_name = "_FlatMapDataset"

    def __init__(self, input_dataset, map_func):
        super().__init__(input_dataset)
        self._fn = map_func

    def _card(self):
        return UNKNOWN

    def _compute_spec(self):
        return _dataset_fn_spec(self._input, self._fn)

    def _iter(self):
        for elem in self._input._elements():
            yield from _call_for_dataset(self._fn, elem)._elements()


class InterleaveDataset(_Unary):
    _tf_name = "_InterleaveDataset"

    def __init__(self, input_dataset, map_func, cycle_length, block_length, num_parallel_calls,
                 deterministic):
        super().__init__(input_dataset)
        self._fn = map_func
        c = AUTOTUNE if cycle_length is None else _scalar_int(cycle_length, "cycle_length")
        if c == AUTOTUNE:
            c = os.cpu_count() or 1
        if c <= 0:
            raise errors.InvalidArgumentError("cycle_length must be greater than zero.")
        b = 1 if block_length is None else _scalar_int(block_length, "block_length")
        if b <= 0:
            raise errors.InvalidArgumentError("block_length must be greater than zero.")
        self._cycle, self._block = c, b
        if num_parallel_calls is not None:
            self._tf_name = "_ParallelInterleaveDataset"

    def _card(self):
        return UNKNOWN

    def _compute_spec(self):
        return _dataset_fn_spec(self._input, self._fn)

    def _iter(self):
        return interleave_iter(self._input._elements(),
                               lambda e: _call_for_dataset(self._fn, e)._elements(),
                               self._cycle, self._block)


def interleave_iter(input_it, open_fn, cycle_length, block_length):
    """TF's (deterministic) interleave order."""
    current = [None] * cycle_length
    cycle_index = 0
    block_index = 0
    end_of_input = False
    num_open = 0
    while not end_of_input or num_open > 0:
        it = current[cycle_index]
        if it is not None:
            try:
                elem = next(it)
            except StopIteration:
                current[cycle_index] = None
                num_open -= 1
                block_index = 0
                cycle_index = (cycle_index + 1) % cycle_length
                continue
            block_index += 1
            if block_index == block_length:
                block_index = 0
                cycle_index = (cycle_index + 1) % cycle_length
            yield elem
        elif not end_of_input:
            try:
                e = next(input_it)
            except StopIteration:
                end_of_input = True
                continue
            current[cycle_index] = iter(open_fn(e))
            num_open += 1
        else:
            block_index = 0
            cycle_index = (cycle_index + 1) % cycle_length


class ElementListDataset(DatasetV2):
    """A dataset over a Python list of internal elements (window / group contents)."""

    _tf_name = "_VariantDataset"

    def __init__(self, elements, spec):
        super().__init__()
        self._elems = elements
        self._spec = spec

    def _compute_spec(self):
        return self._spec

    def _card(self):
        return len(self._elems)

    def _iter(self):
        return iter(self._elems)


class WindowDataset(_Unary):
    _tf_name = "_WindowDataset"

    def __init__(self, input_dataset, size, shift, stride, drop_remainder):
        super().__init__(input_dataset)
        self._size = _scalar_int(size, "size")
        self._shift = self._size if shift is None else _scalar_int(shift, "shift")
        self._stride = _scalar_int(stride, "stride")
        for v, what in ((self._size, "Window size"), (self._shift, "Window shift"),
                        (self._stride, "Window stride")):
            if v <= 0:
                raise errors.InvalidArgumentError(f"{what} must be greater than zero, but got {v}.")
        self._drop = bool(drop_remainder)

    def _compute_spec(self):
        spec = self._input.element_spec
        return structure.map_structure(lambda s: DatasetSpec(s), spec) if structure.is_nested(spec) \
            else DatasetSpec(spec)

    def _card(self):
        n = self._input._card()
        if n in (INFINITE, UNKNOWN):
            return n
        if self._drop:
            rest = n - ((self._size - 1) * self._stride + 1)
            return 0 if rest < 0 else rest // self._shift + 1
        return n // self._shift + (0 if n % self._shift == 0 else 1)

    def _iter(self):
        size, shift, stride = self._size, self._shift, self._stride
        spec = self._input.element_spec
        it = self._input._elements()
        buf = collections.deque()
        pos = 0  # absolute index of buf[0]
        exhausted = False
        start = 0
        while True:
            while pos < start and buf:
                buf.popleft()
                pos += 1
            while not exhausted and pos < start:
                try:
                    next(it)
                    pos += 1
                except StopIteration:
                    exhausted = True
            last = start + (size - 1) * stride
            while not exhausted and pos + len(buf) <= last:
                try:
                    buf.append(next(it))
                except StopIteration:
                    exhausted = True
            avail = pos + len(buf)
            idxs = [start + k * stride for k in range(size) if start + k * stride < avail]
            if not idxs or (self._drop and len(idxs) < size):
                return
            elems = [buf[i - pos] for i in idxs]
            if structure.is_nested(spec):
                flats = [structure.flatten(e) for e in elems]
                flat_spec = structure.flatten(spec)
                comps = [ElementListDataset([f[c] for f in flats], flat_spec[c]) for c in range(len(flat_spec))]
                yield structure.pack_sequence_as(spec, comps)
            else:
                yield ElementListDataset(elems, spec)
            start += shift


class GroupByWindowDataset(_Unary):
    _tf_name = "_GroupByWindowDataset"

    def __init__(self, input_dataset, key_func, reduce_func, window_size, window_size_func):
        super().__init__(input_dataset)
        if (window_size is None) == (window_size_func is None):
            raise ValueError("Either the `window_size` argument or the `window_size_func` argument must "
                             "be specified.")
        if window_size is not None:
            ws = _scalar_int(window_size, "window_size")
            window_size_func = lambda key: ws  # noqa: E731
        self._key = key_func
        self._reduce = reduce_func
        self._wsf = window_size_func

    def _card(self):
        return UNKNOWN

    def _key_of(self, elem):
        k = structure.host(structure.to_leaf(structure.call_fn(self._key, elem)))
        if k.shape != () or k.dtype != np.int64:
            raise ValueError(f"Invalid `key_func`. `key_func` must return a single tf.int64 tensor. Got "
                             f"type={structure.leaf_dtype(k).name} and shape={list(k.shape)}.")
        return int(k)

    def _window_size(self, key):
        from tfjax._src import tensor as tensor_lib  # noqa: PLC0415
        ws = self._wsf(tensor_lib.convert_to_tensor(np.int64(key)))
        ws = _scalar_int(ws, "window_size")
        if ws <= 0:
            raise errors.InvalidArgumentError("Window size must be greater than zero, but got "
                                              f"{ws}.")
        return ws

    def _reduce_group(self, key, elems):
        from tfjax._src import tensor as tensor_lib  # noqa: PLC0415
        ds = self._reduce(tensor_lib.convert_to_tensor(np.int64(key)),
                          ElementListDataset(elems, self._input.element_spec))
        if not isinstance(ds, DatasetV2):
            raise TypeError("`reduce_func` must return a `Dataset` object.")
        return ds

    def _compute_spec(self):
        from tfjax._src import tensor as tensor_lib  # noqa: PLC0415
        in_spec = self._input.element_spec

        def reduce_spec(key, window):
            ds = self._reduce(tensor_lib.Tensor(key), window)
            if not isinstance(ds, DatasetV2):
                raise TypeError("`reduce_func` must return a `Dataset` object.")
            return ds.element_spec
        spec = fn_tracing.trace_spec(reduce_spec, TensorSpec([], dtypes.int64), DatasetSpec(in_spec))
        if spec is not None:
            return spec
        for elem in self._input._elements():  # untraceable: reduce the first element alone
            return self._reduce_group(self._key_of(elem), [elem]).element_spec
        return TensorSpec(None, dtypes.float32)

    def _iter(self):
        groups = {}
        sizes = {}
        for elem in self._input._elements():
            key = self._key_of(elem)
            if key not in sizes:
                sizes[key] = self._window_size(key)
            g = groups.setdefault(key, [])
            g.append(elem)
            if len(g) == sizes[key]:
                del groups[key]
                yield from self._reduce_group(key, g)._elements()
        for key in sorted(groups):
            yield from self._reduce_group(key, groups[key])._elements()


def bucket_by_sequence_length(dataset, element_length_func, bucket_boundaries, bucket_batch_sizes,
                              padded_shapes, padding_values, pad_to_bucket_boundary, no_padding,
                              drop_remainder):
    boundaries = [int(b) for b in bucket_boundaries]
    batch_sizes = [int(b) for b in bucket_batch_sizes]
    if len(batch_sizes) != len(boundaries) + 1:
        raise ValueError("len(bucket_batch_sizes) must equal len(bucket_boundaries) + 1")
    lo = [np.iinfo(np.int32).min] + boundaries
    hi = boundaries + [np.iinfo(np.int32).max]

    def key_fn(*args):
        n = element_length_func(*args)
        n = int(structure.host(structure.to_leaf(n)))
        for i, (a, b) in enumerate(zip(lo, hi)):
            if a <= n < b:
                return np.int64(i)
        return np.int64(len(boundaries))

    def window_size_fn(bucket_id):
        return batch_sizes[int(bucket_id)]

    def batching_fn(bucket_id, grouped):
        bid = int(bucket_id)
        bs = batch_sizes[bid]
        if no_padding:
            return grouped.batch(bs, drop_remainder=drop_remainder)
        filler = None
        if pad_to_bucket_boundary:
            if bid >= len(batch_sizes) - 1:
                raise errors.InvalidArgumentError(
                    "When pad_to_bucket_boundary=True, elements must have length < max(bucket_boundaries).")
            filler = boundaries[bid] - 1
        spec = grouped.element_spec
        shapes = padded_shapes if padded_shapes is not None else structure.map_structure(
            lambda s: s.shape, spec) if structure.is_nested(spec) else spec.shape

        def fill(s):
            s = _normalize_padded_shape(s)
            if s.rank is None:
                return s
            return TensorShape([filler if d is None else d for d in s]) if filler is not None else s
        shapes = _map_shapes(fill, shapes)
        return grouped.padded_batch(bs, shapes, padding_values, drop_remainder)

    def user_key(*args):
        if len(args) == 1:
            return key_fn(args[0])
        return key_fn(*args)

    return dataset.group_by_window(user_key, batching_fn, window_size_func=window_size_fn)


def _map_shapes(fn, shapes):
    if isinstance(shapes, collections.abc.Mapping):
        return type(shapes)((k, _map_shapes(fn, v)) for k, v in shapes.items())
    if isinstance(shapes, tuple) and shapes and not all(isinstance(d, (int, type(None))) for d in shapes):
        return tuple(_map_shapes(fn, v) for v in shapes)
    return fn(shapes)


class ConcatenateDataset(DatasetV2):
    _tf_name = "_ConcatenateDataset"

    def __init__(self, a, b):
        if not isinstance(b, DatasetV2):
            raise TypeError(f"Invalid `dataset`. Expected a tf.data.Dataset, got {type(b).__name__}.")
        super().__init__([a, b])
        self._a, self._b = a, b
        try:
            self._spec_cache = structure.most_specific(a.element_spec, b.element_spec)
        except (TypeError, ValueError):
            raise TypeError(f"Incompatible dataset elements:\n  {a.element_spec} vs.\n  "
                            f"{b.element_spec}") from None

    def _card(self):
        x, y = self._a._card(), self._b._card()
        if INFINITE in (x, y):
            return INFINITE
        if UNKNOWN in (x, y):
            return UNKNOWN
        return x + y

    def _iter(self):
        yield from self._a._elements()
        yield from self._b._elements()
