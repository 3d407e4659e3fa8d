"""Dataset transformations (map, batch, shuffle, ...). See dataset.py for the protocol."""

from __future__ import annotations

import collections
import os
import sys
import threading

import numpy as np

from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src.data import structure
from tfjax._src.data.dataset import (_CHUNK, AUTOTUNE, INFINITE, UNKNOWN, DatasetSpec, DatasetV2,
                                     _make_seed, _scalar_int)
from tfjax._src.data import iterator as iterator_lib
from tfjax._src.ragged.ragged_tensor import RaggedTensor
from tfjax._src.sparse_tensor import SparseTensor
from tfjax._src.tensor_shape import TensorShape
from tfjax._src.tensor_spec import TensorSpec


class _Unary(DatasetV2):
    """A dataset with one input that keeps its element_spec unless overridden."""

    def __init__(self, input_dataset):
        if not isinstance(input_dataset, DatasetV2):
            raise TypeError(f"Expected a tf.data.Dataset, got {type(input_dataset).__name__}.")
        super().__init__([input_dataset])
        self._input = input_dataset

    def _compute_spec(self):
        return self._input.element_spec

    def _card(self):
        return self._input._card()


# ---------------------------------------------------------------------------
# element-spec inference for user functions: run on the first element
# ---------------------------------------------------------------------------

_PEEK = 4


def _peek_spec(dataset, in_dataset, first_element_fn):
    """Output spec from applying the function to the first few input elements.

    TF traces the function symbolically; tfjax runs it on up to ``_PEEK`` real
    elements and keeps the dimensions that agree across them. Dimensions equal to
    the size of an unknown input dimension (e.g. the batch dimension after
    ``batch``) are reported as unknown, as TF's tracing would.
    """
    in_spec = in_dataset.element_spec
    _PEEKING.depth = getattr(_PEEKING, "depth", 0) + 1
    try:
        return _peek_spec_impl(in_dataset, in_spec, first_element_fn)
    finally:
        _PEEKING.depth -= 1


_PEEKING = threading.local()


def peeking() -> bool:
    """True while an element_spec is being inferred: random ops must not advance their state."""
    return getattr(_PEEKING, "depth", 0) > 0


def _peek_spec_impl(in_dataset, in_spec, first_element_fn):
    it = in_dataset._elements()
    last_err = None
    spec = None
    got = 0
    for _ in range(_PEEK + 2):
        if got >= _PEEK:
            break
        try:
            elem = next(it)
        except StopIteration:
            break
        except Exception as e:  # noqa: BLE001
            last_err = e
            continue
        try:
            out = first_element_fn(elem)
        except Exception as e:  # noqa: BLE001
            last_err = e
            continue
        got += 1
        in_sizes = set()
        for leaf, s in zip(structure.flatten(elem), structure.flatten(in_spec)):
            if isinstance(s, TensorSpec) and s.shape.rank is not None and hasattr(leaf, "shape"):
                for i, d in enumerate(s.shape):
                    if d is None and i < len(leaf.shape):
                        in_sizes.add(leaf.shape[i])

        def fix(sp):
            if isinstance(sp, TensorSpec) and sp.shape.rank and in_sizes:
                return TensorSpec([None if d in in_sizes else d for d in sp.shape], sp.dtype, sp.name)
            return sp
        one = structure.spec_of(out)
        one = structure.map_structure(fix, one) if structure.is_nested(one) else fix(one)
        if spec is None:
            spec = one
        else:
            try:
                spec = structure.most_specific(spec, one)
            except (TypeError, ValueError):
                raise TypeError(f"The function returned elements of different types: {spec} vs {one}.") from None
    close = getattr(it, "close", None)
    if close is not None:
        close()
    if spec is None and last_err is not None:
        raise last_err
    return spec


# ---------------------------------------------------------------------------
# map / filter
# ---------------------------------------------------------------------------

def _apply(fn, elem):
    return structure.normalize_fn_output(structure.call_fn(fn, elem))


class _MapIter:
    __slots__ = ("_it", "_fn")

    def __init__(self, it, fn):
        self._it = it
        self._fn = fn

    def __iter__(self):
        return self

    def __next__(self):
        return structure.normalize_fn_output(structure.call_fn(self._fn, next(self._it)))


class MapDataset(_Unary):
    _tf_name = "_MapDataset"

    def __init__(self, input_dataset, map_func):
        super().__init__(input_dataset)
        if not callable(map_func):
            raise TypeError(f"`map_func` must be callable, got {map_func!r}.")
        self._fn = map_func

    def _compute_spec(self):
        spec = _peek_spec(self, self._input, lambda e: _apply(self._fn, e))
        return spec if spec is not None else self._input.element_spec

    def _iter(self):
        return _MapIter(self._input._elements(), self._fn)


class ParallelMapDataset(MapDataset):
    _tf_name = "_ParallelMapDataset"

    def __init__(self, input_dataset, map_func, num_parallel_calls, deterministic):
        super().__init__(input_dataset, map_func)
        n = _scalar_int(num_parallel_calls, "num_parallel_calls")
        if n != AUTOTUNE and n <= 0:
            raise errors.InvalidArgumentError("num_parallel_calls must be greater than zero.")
        self._n = n
        self._det = deterministic

    def _iter(self):
        opts = self.options()
        det = self._det
        if det is None:
            det = opts.deterministic if opts.deterministic is not None else True
        n = self._n if self._n != AUTOTUNE else iterator_lib.default_parallelism()
        cap = opts.threading.private_threadpool_size
        if cap:
            n = min(n, cap)
        if n <= 1:
            return _MapIter(self._input._elements(), self._fn)
        fn = self._fn
        return iterator_lib.ParallelMapIter(self._input._elements(), lambda e: _apply(fn, e), n, det)


def _as_bool(value, what="predicate"):
    v = structure.host(structure.to_leaf(value))
    if v.dtype != np.bool_ or v.shape != ():
        raise ValueError(f"Invalid `{what}`. `{what}` must return a `tf.bool` scalar tensor, but its "
                         f"return type is {TensorSpec(v.shape, structure.leaf_dtype(v))}.")
    return bool(v)


class _FilterIter:
    __slots__ = ("_it", "_fn")

    def __init__(self, it, fn):
        self._it = it
        self._fn = fn

    def __iter__(self):
        return self

    def __next__(self):
        while True:
            elem = next(self._it)
            if _as_bool(structure.call_fn(self._fn, elem)):
                return elem


class FilterDataset(_Unary):
    _tf_name = "_FilterDataset"

    def __init__(self, input_dataset, predicate):
        super().__init__(input_dataset)
        self._fn = predicate

    def _card(self):
        return UNKNOWN

    def _iter(self):
        return _FilterIter(self._input._elements(), self._fn)


class TakeWhileDataset(_Unary):
    _tf_name = "_TakeWhileDataset"

    def __init__(self, input_dataset, predicate):
        super().__init__(input_dataset)
        self._fn = predicate

    def _card(self):
        return UNKNOWN

    def _iter(self):
        for elem in self._input._elements():
            if not _as_bool(structure.call_fn(self._fn, elem)):
                return
            yield elem


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


# ---------------------------------------------------------------------------
# shuffle / repeat / take / skip / shard
# ---------------------------------------------------------------------------

def _shuffle_stream(items, buffer_size, rng):
    """TF's shuffle: fill a buffer, emit a uniformly chosen slot and refill it."""
    items = iter(items)
    buf = []
    for x in items:
        buf.append(x)
        if len(buf) >= buffer_size:
            break
    n = len(buf)
    if n == buffer_size:
        rand = rng.integers(0, n, size=_CHUNK).tolist()
        k = 0
        for x in items:
            if k == _CHUNK:
                rand = rng.integers(0, n, size=_CHUNK).tolist()
                k = 0
            r = rand[k]
            k += 1
            yield buf[r]
            buf[r] = x
    for r in rng.permutation(len(buf)).tolist():
        yield buf[r]


def _int_stream(chunks):
    for c in chunks:
        yield from (c if isinstance(c, range) else c.tolist())


def _rechunk(ints):
    out = []
    for i in ints:
        out.append(i)
        if len(out) == _CHUNK:
            yield np.array(out, dtype=np.int64)
            out = []
    if out:
        yield np.array(out, dtype=np.int64)


class ShuffleDataset(_Unary):
    _tf_name = "_ShuffleDataset"

    def __init__(self, input_dataset, buffer_size, seed, reshuffle_each_iteration):
        super().__init__(input_dataset)
        b = _scalar_int(buffer_size, "buffer_size")
        if b == AUTOTUNE:
            b = 1024
        if b <= 0:
            raise errors.InvalidArgumentError("buffer_size must be greater than zero.")
        self._b = b
        self._seed = _make_seed(seed)
        self._fixed = self._seed.spawn(1)[0]
        self._reshuffle = True if reshuffle_each_iteration is None else bool(reshuffle_each_iteration)

    def _rng(self):
        if peeking() or not self._reshuffle:
            return np.random.default_rng(self._fixed)
        return np.random.default_rng(self._seed.spawn(1)[0])

    def _iter(self):
        return _shuffle_stream(self._input._elements(), self._b, self._rng())

    def _indexed(self):
        ix = self._input._indexed()
        if ix is None:
            return None
        base, chunks = ix
        n = self._input._card()
        b = self._b

        def shuffled():
            rng = self._rng()
            if 0 <= n <= b:
                allidx = [np.arange(c.start, c.stop, dtype=np.int64) if isinstance(c, range) else c
                          for c in chunks()]
                allidx = np.concatenate(allidx) if allidx else np.zeros(0, np.int64)
                perm = allidx[rng.permutation(len(allidx))]
                for a in range(0, len(perm), _CHUNK):
                    yield perm[a:a + _CHUNK]
                return
            yield from _rechunk(_shuffle_stream(_int_stream(chunks()), b, rng))
        return base, shuffled


class RepeatDataset(_Unary):
    _tf_name = "_RepeatDataset"

    def __init__(self, input_dataset, count):
        super().__init__(input_dataset)
        self._count = -1 if count is None else _scalar_int(count, "count")

    def _card(self):
        n = self._input._card()
        if self._count < 0:  # TF: an endless repeat is infinite unless the input is known empty
            return 0 if n == 0 else INFINITE
        if self._count == 0 or n == 0:
            return 0
        if n in (INFINITE, UNKNOWN):
            return n
        return n * self._count

    def _epochs(self):
        c = self._count
        k = 0
        while c < 0 or k < c:
            yield k
            k += 1

    def _iter(self):
        for _ in self._epochs():
            got = False
            for elem in self._input._elements():
                got = True
                yield elem
            if not got:
                return

    def _indexed(self):
        ix = self._input._indexed()
        if ix is None:
            return None
        base, chunks = ix

        def rep():
            for _ in self._epochs():
                got = False
                for c in chunks():
                    if len(c):
                        got = True
                        yield c
                if not got:
                    return
        return base, rep


def _slice_stream(chunks, start, stop):
    """Positions [start, stop) of an index-chunk stream (stop None: to the end)."""
    pos = 0
    for c in chunks:
        n = len(c)
        a, b = max(start - pos, 0), n if stop is None else min(stop - pos, n)
        if a < b:
            yield c[a:b]
        pos += n
        if stop is not None and pos >= stop:
            return


class TakeDataset(_Unary):
    _tf_name = "_TakeDataset"

    def __init__(self, input_dataset, count):
        super().__init__(input_dataset)
        self._count = _scalar_int(count, "count")

    def _card(self):
        n = self._input._card()
        if n == UNKNOWN:
            return UNKNOWN
        if n == INFINITE:
            return self._count if self._count >= 0 else INFINITE
        return n if self._count < 0 else min(n, self._count)

    def _iter(self):
        c = self._count
        if c == 0:
            return
        k = 0
        for elem in self._input._elements():
            yield elem
            k += 1
            if k == c:
                return

    def _indexed(self):
        ix = self._input._indexed()
        if ix is None:
            return None
        base, chunks = ix
        stop = None if self._count < 0 else self._count
        return base, lambda: _slice_stream(chunks(), 0, stop)


class SkipDataset(_Unary):
    _tf_name = "_SkipDataset"

    def __init__(self, input_dataset, count):
        super().__init__(input_dataset)
        self._count = _scalar_int(count, "count")

    def _card(self):
        n = self._input._card()
        if n in (INFINITE, UNKNOWN):
            return n
        if self._count < 0:
            return 0
        return max(0, n - self._count)

    def _iter(self):
        c = self._count
        it = self._input._elements()
        if c < 0:
            for _ in it:
                pass
            return
        for _ in range(c):
            try:
                next(it)
            except StopIteration:
                return
        yield from it

    def _indexed(self):
        ix = self._input._indexed()
        if ix is None or self._count < 0:
            return None
        base, chunks = ix
        return base, lambda: _slice_stream(chunks(), self._count, None)


class ShardDataset(_Unary):
    _tf_name = "_ShardDataset"

    def __init__(self, input_dataset, num_shards, index):
        super().__init__(input_dataset)
        self._n = _scalar_int(num_shards, "num_shards")
        self._i = _scalar_int(index, "index")
        if self._n <= 0:
            raise errors.InvalidArgumentError("Number of shards must be greater than zero (currently "
                                              f"num_shards = {self._n}).")
        if not 0 <= self._i < self._n:
            raise errors.InvalidArgumentError(f"Index must be between 0 and {self._n - 1} (currently "
                                              f"index = {self._i}).")

    def _card(self):
        n = self._input._card()
        if n in (INFINITE, UNKNOWN):
            return n
        return n // self._n + (1 if self._i < n % self._n else 0)

    def _iter(self):
        for k, elem in enumerate(self._input._elements()):
            if k % self._n == self._i:
                yield elem

    def _indexed(self):
        ix = self._input._indexed()
        if ix is None:
            return None
        base, chunks = ix

        def sharded():
            pos = 0
            for c in chunks():
                arr = np.arange(c.start, c.stop, dtype=np.int64) if isinstance(c, range) else c
                sel = arr[(pos + np.arange(len(arr))) % self._n == self._i]
                pos += len(arr)
                if len(sel):
                    yield sel
        return base, sharded


# ---------------------------------------------------------------------------
# cache / prefetch / options
# ---------------------------------------------------------------------------

class CacheDataset(_Unary):
    _tf_name = "_CacheDataset"

    def __init__(self, input_dataset, filename):
        super().__init__(input_dataset)
        if hasattr(filename, "numpy"):
            filename = filename.numpy()
        if isinstance(filename, bytes):
            filename = filename.decode()
        self._filename = os.fspath(filename) if filename else ""
        self._mem = None
        self._idx = None

    def _iter(self):
        if self._filename:
            return self._iter_file()
        return self._iter_memory()

    def _iter_memory(self):
        if self._mem is not None:
            yield from self._mem
            return
        acc = []
        for elem in self._input._elements():
            acc.append(elem)
            yield elem
        self._mem = acc

    def _iter_file(self):
        # TF's rule: the cache is read iff its .index exists when iteration starts; a pass that
        # stops early discards what it wrote (CacheWriter.abort), so a partial cache is never used.
        from tfjax._src.data import cache_file  # noqa: PLC0415
        if cache_file.is_complete(self._filename):
            yield from cache_file.read(self._filename, self.element_spec)
            return
        n = len(structure.flatten(self.element_spec)) if structure.is_nested(self.element_spec) else 1
        writer = cache_file.CacheWriter(self._filename, n)
        done = False
        try:
            for elem in self._input._elements():
                writer.add(elem)
                yield elem
            writer.finish()
            done = True
        finally:
            if not done:
                writer.abort()

    def _indexed(self):
        if self._filename:
            return None
        ix = self._input._indexed()
        if ix is None:
            return None
        base, chunks = ix

        def cached():
            if self._idx is not None:
                yield from self._idx
                return
            acc = []
            for c in chunks():
                acc.append(c)
                yield c
            self._idx = acc
        return base, cached


class PrefetchDataset(_Unary):
    _tf_name = "_PrefetchDataset"

    def __init__(self, input_dataset, buffer_size):
        super().__init__(input_dataset)
        b = _scalar_int(buffer_size, "buffer_size")
        if b < AUTOTUNE:
            raise errors.InvalidArgumentError("buffer_size must be >= -1 (AUTOTUNE).")
        self._b = b

    def _iter(self):
        if self._b == 0:
            return self._input._elements()
        size = 8 if self._b == AUTOTUNE else self._b
        return iterator_lib.prefetch_iter(self._input._elements, size)


class OptionsDataset(_Unary):
    _tf_name = "_OptionsDataset"

    def __init__(self, input_dataset, options):
        super().__init__(input_dataset)
        self._own_options = options

    def _iter(self):
        return self._input._elements()

    def _indexed(self):
        return self._input._indexed()


class AssertCardinalityDataset(_Unary):
    _tf_name = "_AssertCardinalityDataset"

    def __init__(self, input_dataset, expected):
        super().__init__(input_dataset)
        self._expected = _scalar_int(expected, "expected_cardinality")

    def _card(self):
        return self._expected

    def _iter(self):
        k = 0
        for elem in self._input._elements():
            k += 1
            if self._expected >= 0 and k > self._expected:
                raise errors.FailedPreconditionError(
                    f"Input dataset was expected to contain {self._expected} elements but contained at "
                    f"least {k} elements.")
            yield elem
        if self._expected == INFINITE or k < self._expected:
            raise errors.FailedPreconditionError(
                f"Input dataset was expected to contain {self._expected} elements but contained only "
                f"{k} elements.")


class IgnoreErrorsDataset(_Unary):
    """Skips elements whose computation raised.

    tfjax pipelines are Python iterators: ``map``/``filter`` iterators survive an
    error in the user function, so ``ds.map(f).ignore_errors()`` continues like TF.
    An error raised inside other stages (e.g. between ``map`` and ``ignore_errors``
    sits a ``batch``) ends that stage's input, so iteration stops there.
    """

    _tf_name = "_IgnoreErrorsDataset"

    def __init__(self, input_dataset, log_warning):
        super().__init__(input_dataset)
        self._log = log_warning

    def _card(self):
        return UNKNOWN

    def _iter(self):
        it = self._input._elements()
        while True:
            try:
                elem = next(it)
            except StopIteration:
                return
            except Exception as e:  # noqa: BLE001
                if self._log:
                    print(f"Error raised with error message {e}", file=sys.stderr)
                continue
            yield elem


class UniqueDataset(_Unary):
    _tf_name = "_UniqueDataset"

    def __init__(self, input_dataset):
        super().__init__(input_dataset)
        spec = input_dataset.element_spec
        if structure.is_nested(spec) or spec.dtype not in (dtypes.int32, dtypes.int64, dtypes.string) \
                or (spec.shape.rank is not None and spec.shape.rank > 1):
            raise TypeError("`tf.data.Dataset.unique` does not support type or shape "
                            f"{spec}: only int32, int64 and string scalars/vectors.")

    def _card(self):
        return UNKNOWN

    def _iter(self):
        seen = set()
        for elem in self._input._elements():
            a = structure.host(elem)
            key = a.tobytes() if a.dtype != object else tuple(a.reshape(-1).tolist())
            key = (a.shape, key)
            if key not in seen:
                seen.add(key)
                yield elem


# ---------------------------------------------------------------------------
# nesting: interleave, flat_map, window, group_by_window, concatenate, scan
# ---------------------------------------------------------------------------

def _call_for_dataset(fn, elem, what="map_func"):
    ds = structure.call_fn(fn, elem)
    if not isinstance(ds, DatasetV2):
        raise TypeError(f"The `{what}` argument must return a `Dataset` object. Got "
                        f"{type(ds).__name__}.")
    return ds


class FlatMapDataset(_Unary):
    _tf_name = "_FlatMapDataset"

    def __init__(self, input_dataset, map_func):
        super().__init__(input_dataset)
        self._fn = map_func

    def _card(self):
        return UNKNOWN

    def _compute_spec(self):
        for elem in self._input._elements():
            return _call_for_dataset(self._fn, elem).element_spec
        return TensorSpec(None, dtypes.float32)

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
        for elem in self._input._elements():
            return _call_for_dataset(self._fn, elem).element_spec
        return TensorSpec(None, dtypes.float32)

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
        for elem in self._input._elements():
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


class ScanDataset(_Unary):
    _tf_name = "_ScanDataset"

    def __init__(self, input_dataset, initial_state, scan_func):
        super().__init__(input_dataset)
        self._state = structure.normalize_element(initial_state)
        self._fn = scan_func

    def _step(self, state, elem):
        out = self._fn(structure.to_user(state), structure.to_user(elem))
        if not isinstance(out, (tuple, list)) or len(out) != 2:
            raise TypeError("The scan function must return a pair comprising the new state and the "
                            f"output value. Got {out!r}.")
        new_state = structure.normalize_fn_output(out[0])
        if not structure.same_structure(state, new_state):
            raise TypeError("The element structure of the new state must match the initial state.")
        for a, b in zip(structure.flatten(state), structure.flatten(new_state)):
            if structure.leaf_dtype(a) != structure.leaf_dtype(b):
                raise TypeError(f"The element types for the new state must match the initial state. "
                                f"Expected {structure.spec_of(state)}; got {structure.spec_of(new_state)}.")
        return new_state, structure.normalize_fn_output(out[1])

    def _compute_spec(self):
        spec = _peek_spec(self, self._input, lambda e: self._step(self._state, e)[1])
        return spec if spec is not None else self._input.element_spec

    def _iter(self):
        state = self._state
        for elem in self._input._elements():
            state, out = self._step(state, elem)
            yield out

