"""Source datasets: from_tensor_slices, from_tensors, from_generator, range, zip, list_files,
sample_from_datasets / choose_from_datasets, random."""

from __future__ import annotations

import itertools

import numpy as np

from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src import tensor as tensor_lib
from tfjax._src.data import structure
from tfjax._src.data.dataset import (_CHUNK, INFINITE, UNKNOWN, DatasetV2, _make_seed,
                                     _scalar_int)
from tfjax._src.ragged.ragged_tensor import RaggedTensor
from tfjax._src.ragged.ragged_tensor import take as ragged_take
from tfjax._src.sparse_tensor import SparseTensor
from tfjax._src.tensor_shape import TensorShape
from tfjax._src.tensor_spec import TensorSpec


def _as_slice(idx):
    if isinstance(idx, range) and idx.step == 1:
        return slice(idx.start, idx.stop)
    return np.asarray(idx)


class TensorSliceDataset(DatasetV2):
    _tf_name = "_TensorSliceDataset"

    def __init__(self, tensors):
        super().__init__()
        elem = structure.normalize_element(tensors)
        flat = structure.flatten(elem)
        if not flat:
            raise ValueError("Invalid `element`. `element` should not be empty.")
        host = []
        n = None
        for leaf in flat:
            if isinstance(leaf, SparseTensor):
                raise errors.unsupported("from_tensor_slices of a SparseTensor")
            if isinstance(leaf, RaggedTensor):
                # Rows of a RaggedTensor are the elements (tf.Tensors when ragged_rank is 1).
                n = leaf.nrows_static() if n is None else n
                if leaf.nrows_static() != n:
                    raise ValueError(f"Dimensions {n} and {leaf.nrows_static()} are not compatible")
                host.append(leaf)
                continue
            if isinstance(leaf, DatasetV2):
                raise TypeError("from_tensor_slices does not accept Dataset components.")
            arr = structure.host(leaf)
            if arr.ndim == 0:
                raise ValueError("Unbatching a tensor is only supported for rank >= 1")
            if n is None:
                n = arr.shape[0]
            elif arr.shape[0] != n:
                raise ValueError(f"Dimensions {n} and {arr.shape[0]} are not compatible")
            host.append(arr)
        self._n = n
        self._flat = host
        self._struct = elem

    def _compute_spec(self):
        specs = [a._type_spec._unbatch() if isinstance(a, RaggedTensor) else
                 TensorSpec(a.shape[1:], structure.leaf_dtype(a)) for a in self._flat]
        return structure.pack_sequence_as(self._struct, specs) if structure.is_nested(self._struct) else specs[0]

    def _card(self):
        return self._n

    def _gather(self, idx):
        sl = _as_slice(idx)
        leaves = [ragged_take(a, np.arange(self._n)[sl]) if isinstance(a, RaggedTensor) else a[sl]
                  for a in self._flat]
        return structure.pack_sequence_as(self._struct, leaves) if structure.is_nested(self._struct) else leaves[0]

    def _indexed(self):
        n = self._n

        def chunks():
            for a in range(0, n, _CHUNK):
                yield range(a, min(a + _CHUNK, n))
        return self, chunks

    def _iter(self):
        from tfjax._src.data.dataset import _iter_indexed  # noqa: PLC0415
        return _iter_indexed(*self._indexed())


class TensorDataset(DatasetV2):
    _tf_name = "_TensorDataset"

    def __init__(self, tensors):
        super().__init__()
        self._elem = structure.normalize_element(tensors)

    def _compute_spec(self):
        return structure.spec_of(self._elem)

    def _card(self):
        return 1

    def _iter(self):
        yield self._elem


class RangeDataset(DatasetV2):
    _tf_name = "_RangeDataset"

    def __init__(self, *args, dtype=dtypes.int64, output_type=None, name=None):
        super().__init__()
        if output_type is not None:
            dtype = output_type
        args = [None if a is None else _scalar_int(a, "range argument") for a in args]
        if len(args) == 1:
            start, stop, step = 0, args[0], 1
        elif len(args) == 2:
            (start, stop), step = args, 1
        elif len(args) == 3:
            start, stop, step = args
        else:
            raise ValueError(f"Invalid arguments to `range`: {args}.")
        if step == 0:
            raise errors.InvalidArgumentError("step must be a non-zero integer.")
        self._start, self._stop, self._step = start, stop, step
        self._dtype = dtypes.as_dtype(dtype)

    def _compute_spec(self):
        return TensorSpec([], self._dtype)

    def _card(self):
        if self._stop is None:
            return INFINITE
        return len(range(self._start, self._stop, self._step))

    def _gather(self, idx):
        if isinstance(idx, range):
            idx = np.arange(idx.start, idx.stop, idx.step, dtype=np.int64)
        return (self._start + np.asarray(idx, dtype=np.int64) * self._step).astype(self._dtype._np)

    def _indexed(self):
        n = self._card()

        def chunks():
            for a in (itertools.count(0, _CHUNK) if n == INFINITE else range(0, n, _CHUNK)):
                yield range(a, a + _CHUNK if n == INFINITE else min(a + _CHUNK, n))
        return self, chunks

    def _iter(self):
        from tfjax._src.data.dataset import _iter_indexed  # noqa: PLC0415
        return _iter_indexed(*self._indexed())


def _normalize_signature(output_signature, output_types, output_shapes):
    if output_signature is not None:
        if output_types is not None or output_shapes is not None:
            raise TypeError("The `output_types` and `output_shapes` arguments can only be used when "
                            "`output_signature` is not set.")
        for s in structure.flatten(output_signature):
            if not isinstance(s, TensorSpec):
                raise TypeError(f"`output_signature` must contain objects that are subclass of "
                                f"`tf.TypeSpec` but found {type(s)} which is not.")
        return output_signature
    if output_types is None:
        raise TypeError("To specify the output signature you need to provide either the "
                        "`output_signature` argument or the `output_types` argument.")
    if output_shapes is None:
        return structure.map_structure(lambda t: TensorSpec(None, t), output_types) \
            if structure.is_nested(output_types) else TensorSpec(None, output_types)
    if structure.is_nested(output_types):
        flat_t = structure.flatten(output_types)
        # shapes given as lists/tuples of ints per component
        shapes = _flatten_shapes_up_to(output_types, output_shapes)
        return structure.pack_sequence_as(output_types, [TensorSpec(s, t) for s, t in zip(shapes, flat_t)])
    return TensorSpec(output_shapes, output_types)


def _flatten_shapes_up_to(types, shapes):
    out = []

    def walk(t, s):
        if isinstance(t, dict):
            for k in structure._sorted_keys(t):
                walk(t[k], s[k])
        elif isinstance(t, tuple):
            if len(s) != len(t):
                raise ValueError("`output_shapes` must have the same structure as `output_types`.")
            for a, b in zip(t, s):
                walk(a, b)
        else:
            out.append(TensorShape(s))
    walk(types, shapes)
    return out


def _flatten_up_to(spec, value):
    out = []

    def walk(s, v):
        if isinstance(s, dict):
            if not isinstance(v, dict) or set(v) != set(s):
                raise TypeError("structure")
            for k in structure._sorted_keys(s):
                walk(s[k], v[k])
        elif isinstance(s, tuple):
            if not isinstance(v, (tuple, list)) or len(v) != len(s):
                raise TypeError("structure")
            for a, b in zip(s, v):
                walk(a, b)
        else:
            out.append(v)
    walk(spec, value)
    return out


def _convert_generated(value, spec):
    dtype = spec.dtype
    if isinstance(value, tensor_lib.Tensor):
        value = value.numpy()
    if dtype is dtypes.string:
        arr = tensor_lib._to_string_array(np.asarray(value, dtype=object))
    else:
        arr = np.asarray(value, dtype=dtype._np, order="C")
    return arr


class GeneratorDataset(DatasetV2):
    _tf_name = "_FlatMapDataset"

    def __init__(self, generator, output_types, output_shapes, args, output_signature):
        super().__init__()
        if not callable(generator):
            raise TypeError("`generator` must be a Python callable.")
        self._gen = generator
        self._sig = _normalize_signature(output_signature, output_types, output_shapes)
        self._args = () if args is None else tuple(
            structure.to_numpy(structure.to_leaf(a)) for a in (args if isinstance(args, (tuple, list)) else (args,)))

    def _compute_spec(self):
        return self._sig

    def _iter(self):
        sig = self._sig
        flat_spec = structure.flatten(sig)
        nested = structure.is_nested(sig)
        for value in self._gen(*self._args):
            if nested:
                try:
                    vals = _flatten_up_to(sig, value)
                except TypeError:
                    raise errors.InvalidArgumentError(
                        f"TypeError: `generator` yielded an element that did not match the expected "
                        f"structure. The expected structure was {sig}, but the yielded element was "
                        f"{value}.") from None
            else:
                vals = [value]
            leaves = []
            for v, s in zip(vals, flat_spec):
                try:
                    arr = _convert_generated(v, s)
                except (TypeError, ValueError):
                    raise errors.InvalidArgumentError(
                        f"TypeError: `generator` yielded an element that could not be converted to the "
                        f"expected type. The expected type was {s.dtype.name}, but the yielded element "
                        f"was {v}.") from None
                if not s.shape.is_compatible_with(arr.shape):
                    raise errors.InvalidArgumentError(
                        f"TypeError: `generator` yielded an element of shape {TensorShape(arr.shape)} "
                        f"where an element of shape {s.shape} was expected.")
                leaves.append(arr)
            yield structure.pack_sequence_as(sig, leaves) if nested else leaves[0]


class ZipDataset(DatasetV2):
    _tf_name = "_ZipDataset"

    def __init__(self, datasets):
        flat = structure.flatten(datasets)
        for d in flat:
            if not isinstance(d, DatasetV2):
                raise TypeError(f"Invalid input to `zip`. Inputs are expected to be (nested) structures of "
                                f"`tf.data.Dataset` objects. Python `list` is not supported and you should "
                                f"use `tuple` instead. Got {type(d).__name__}.")
        super().__init__(flat)
        self._datasets = datasets

    def _compute_spec(self):
        return structure.map_structure(lambda d: d.element_spec, self._datasets) \
            if structure.is_nested(self._datasets) else self._datasets.element_spec

    def _card(self):
        result = INFINITE
        for d in self._inputs:
            n = d._card()
            if n == UNKNOWN:
                return UNKNOWN
            if n == INFINITE:
                continue
            result = n if result == INFINITE else min(result, n)
        return result

    def _iter(self):
        its = [d._elements() for d in self._inputs]
        while True:
            vals = []
            for it in its:
                try:
                    vals.append(next(it))
                except StopIteration:
                    return
            yield structure.pack_sequence_as(self._datasets, vals) if structure.is_nested(self._datasets) else vals[0]


def list_files(file_pattern, shuffle=None, seed=None):
    from tfjax._src.io import gfile  # noqa: PLC0415
    pats = structure.host(structure.to_leaf(file_pattern))
    pats = [p.decode() if isinstance(p, bytes) else str(p) for p in np.asarray(pats, dtype=object).reshape(-1)]
    names = set()
    for p in pats:
        names.update(gfile.glob(p))
    if not names:
        raise errors.InvalidArgumentError(
            "Expected 'tf.Tensor(False, shape=(), dtype=bool)' to be true. Summarized data: "
            f"b'No files matched pattern: ' b'{', '.join(pats)}'")
    files = np.array([n.encode() for n in sorted(names)], dtype=object)
    ds = TensorSliceDataset(files)
    if shuffle is None or shuffle:
        ds = ds.shuffle(len(files), seed=seed)
    return ds


def _common_spec(datasets):
    spec = datasets[0].element_spec
    for d in datasets[1:]:
        try:
            spec = structure.most_specific(spec, d.element_spec)
        except (TypeError, ValueError):
            raise TypeError(f"Incompatible dataset elements: {datasets[0].element_spec} vs. "
                            f"{d.element_spec}") from None
    return spec


class SampleFromDatasets(DatasetV2):
    _tf_name = "_DirectedInterleaveDataset"

    def __init__(self, datasets, weights, seed, stop_on_empty, rerandomize):
        datasets = list(datasets)
        if not datasets:
            raise ValueError("Invalid `datasets`. `datasets` should not be empty.")
        super().__init__(datasets)
        if isinstance(weights, DatasetV2):
            raise errors.unsupported("sample_from_datasets(weights=<Dataset>)", "pass a list of weights")
        if weights is None:
            w = np.full(len(datasets), 1.0 / len(datasets))
        else:
            w = np.asarray(structure.host(structure.to_leaf(weights)), dtype=np.float64).reshape(-1)
            if len(w) != len(datasets):
                raise ValueError(f"Invalid `weights`. The shape of `weights` should be compatible with "
                                 f"`[len(datasets)]` but is {list(w.shape)}.")
        self._w = w
        self._seed = _make_seed(seed)
        self._stop = stop_on_empty
        self._rerand = bool(rerandomize)
        self._fixed = self._seed.spawn(1)[0]

    def _compute_spec(self):
        return _common_spec(list(self._inputs))

    def _card(self):
        return UNKNOWN

    def _iter(self):
        from tfjax._src.data.unary import peeking  # noqa: PLC0415
        rng = np.random.default_rng(self._seed.spawn(1)[0] if (self._rerand and not peeking()) else self._fixed)
        its = [d._elements() for d in self._inputs]
        alive = [True] * len(its)
        w = self._w.copy()
        while any(alive):
            p = np.where(alive, w, 0.0)
            if p.sum() <= 0:
                return
            i = int(rng.choice(len(its), p=p / p.sum()))
            try:
                yield next(its[i])
            except StopIteration:
                if self._stop:
                    return
                alive[i] = False


class ChooseFromDatasets(DatasetV2):
    _tf_name = "_DirectedInterleaveDataset"

    def __init__(self, datasets, choice_dataset, stop_on_empty):
        datasets = list(datasets)
        if not datasets:
            raise ValueError("Invalid `datasets`. `datasets` should not be empty.")
        if not isinstance(choice_dataset, DatasetV2):
            raise TypeError("Invalid `choice_dataset`. `choice_dataset` should be a `tf.data.Dataset`.")
        spec = choice_dataset.element_spec
        if not (isinstance(spec, TensorSpec) and spec.dtype == dtypes.int64 and spec.shape == TensorShape([])):
            raise TypeError("Invalid `choice_dataset`. Elements of `choice_dataset` must be scalar of "
                            f"`tf.int64` dtype, but got {spec}.")
        super().__init__(datasets + [choice_dataset])
        self._datasets = datasets
        self._choice = choice_dataset
        self._stop = stop_on_empty

    def _compute_spec(self):
        return _common_spec(self._datasets)

    def _card(self):
        return UNKNOWN

    def _iter(self):
        its = [d._elements() for d in self._datasets]
        alive = [True] * len(its)
        for c in self._choice._elements():
            i = int(c)
            if not 0 <= i < len(its):
                raise errors.InvalidArgumentError(f"Selector index out of range: {i} >= {len(its)}")
            if not alive[i]:
                continue
            try:
                yield next(its[i])
            except StopIteration:
                if self._stop:
                    return
                alive[i] = False
                if not any(alive):
                    return


class RandomDataset(DatasetV2):
    _tf_name = "_RandomDataset"

    def __init__(self, seed, rerandomize):
        super().__init__()
        self._seed = _make_seed(seed)
        self._fixed = self._seed.spawn(1)[0]
        self._rerand = bool(rerandomize)

    def _compute_spec(self):
        return TensorSpec([], dtypes.int64)

    def _card(self):
        return INFINITE

    def _iter(self):
        from tfjax._src.data.unary import peeking  # noqa: PLC0415
        rng = np.random.default_rng(self._seed.spawn(1)[0] if (self._rerand and not peeking()) else self._fixed)
        while True:
            for v in rng.integers(0, 2**63 - 1, size=_CHUNK, dtype=np.int64):
                yield np.array(v)
