"""``tf.data.Dataset``: the base class and its public methods.

Each concrete dataset (``sources.py``, ``transformations.py``, ``readers.py``)
implements three things:

* ``_iter()`` – a fresh Python iterator over *internal* elements (nested
  tuples/dicts whose leaves are numpy / jax arrays, see ``structure.py``);
* ``_card()`` – the static cardinality (``-1`` infinite, ``-2`` unknown);
* ``_compute_spec()`` – the ``element_spec`` (computed lazily and cached).

Datasets over in-memory sources additionally answer ``_indexed()`` with
``(base, chunks)``: ``chunks()`` streams index arrays into ``base`` so that
``shuffle``/``repeat``/``take``/``skip``/``cache`` move indices only and
``batch`` gathers whole batches with one numpy fancy-index per component.
"""

from __future__ import annotations

import numpy as np

from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src import tensor as tensor_lib
from tfjax._src.data import structure
from tfjax._src.data.options import Options
from tfjax._src.tensor_shape import TensorShape
from tfjax._src.tensor_spec import TypeSpec

AUTOTUNE = -1
INFINITE = -1
UNKNOWN = -2

_CHUNK = 2048


class DatasetSpec(TypeSpec):
    """``tf.data.DatasetSpec``: the type of a dataset-valued element (e.g. from ``window``)."""

    __slots__ = ("_element_spec", "_dataset_shape")

    def __init__(self, element_spec, dataset_shape=()):
        self._element_spec = element_spec
        self._dataset_shape = TensorShape(dataset_shape)

    @property
    def element_spec(self):
        return self._element_spec

    @property
    def shape(self):
        return self._dataset_shape

    @property
    def value_type(self):
        return DatasetV2

    @staticmethod
    def from_value(value):
        return DatasetSpec(value.element_spec)

    def is_compatible_with(self, other):
        if isinstance(other, DatasetV2):
            other = DatasetSpec(other.element_spec)
        if not isinstance(other, DatasetSpec):
            return False
        a, b = structure.flatten(self._element_spec), structure.flatten(other._element_spec)
        return (structure.same_structure(self._element_spec, other._element_spec)
                and all(x.is_compatible_with(y) for x, y in zip(a, b)))

    def most_specific_compatible_type(self, other):
        return DatasetSpec(structure.most_specific(self._element_spec, other._element_spec),
                           self._dataset_shape)

    def __eq__(self, other):
        return (isinstance(other, DatasetSpec) and self._element_spec == other._element_spec
                and self._dataset_shape == other._dataset_shape)

    def __hash__(self):
        return hash(repr(self))

    def __repr__(self):
        return f"DatasetSpec({self._element_spec!r}, {self._dataset_shape!r})"


def _scalar_int(x, what):
    if isinstance(x, tensor_lib.Tensor) or hasattr(x, "numpy"):
        x = x.numpy()
    try:
        return int(x)
    except (TypeError, ValueError):
        raise TypeError(f"`{what}` must be a scalar integer, got {x!r}.") from None


_op_counter = {"seed": None, "n": 0}


def _make_seed(seed):
    """An op seed (or None) → numpy SeedSequence, honouring ``tf.random.set_seed`` like TF:
    no seeds → fresh entropy; a global seed without an op seed → a per-dataset counter, so a
    program that sets the global seed builds reproducible pipelines."""
    if seed is not None:
        seed = _scalar_int(seed, "seed")
    global_seed = None
    try:
        from tfjax._src.ops import random_ops  # noqa: PLC0415
        global_seed, _ = random_ops.get_seed(seed)
        if getattr(random_ops, "_global_seed", [None])[0] is None:
            global_seed = None
    except (ImportError, AttributeError):
        pass
    if seed is None and global_seed is None:
        return np.random.SeedSequence()
    if seed is None:
        # TF resets its op-seed counter in set_seed; random_ops.seed_epoch (if the core
        # provides it) counts set_seed calls so the counter can be reset the same way.
        epoch = (global_seed, getattr(random_ops, "seed_epoch", None))
        if _op_counter["seed"] != epoch:
            _op_counter["seed"], _op_counter["n"] = epoch, 0
        _op_counter["n"] += 1
        seed = 2**40 + _op_counter["n"]
    return np.random.SeedSequence([0 if global_seed is None else int(global_seed) & (2**63 - 1),
                                   seed & (2**63 - 1)])


class DatasetV2:
    """Represents a potentially large set of elements (``tf.data.Dataset``)."""

    _tf_name = "_Dataset"

    def __init__(self, inputs=()):
        self._inputs = tuple(inputs)
        self._spec_cache = None
        self._own_options = None

    # ------------------------------------------------------------------ core
    def _iter(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def _card(self) -> int:
        return UNKNOWN

    def _compute_spec(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def _indexed(self):
        return None

    def _elements(self):
        """Internal iteration (indexed sources stream their blocks)."""
        ix = self._indexed()
        if ix is None:
            return self._iter()
        return _iter_indexed(*ix)

    @property
    def element_spec(self):
        if self._spec_cache is None:
            self._spec_cache = self._compute_spec()
        return self._spec_cache

    def options(self) -> Options:
        opts = Options()
        for d in self._inputs:
            opts = opts.merge(d.options())
        if self._own_options is not None:
            opts = opts.merge(self._own_options)
        return opts

    # ------------------------------------------------------------- iteration
    def __iter__(self):
        from tfjax._src.data.iterator import OwnedIterator  # noqa: PLC0415
        return OwnedIterator(self)

    def as_numpy_iterator(self):
        for s in structure.flatten(self.element_spec):
            if not isinstance(s, TypeSpec) or type(s).__name__ not in ("TensorSpec", "SparseTensorSpec",
                                                                      "BoundedTensorSpec", "RaggedTensorSpec"):
                raise TypeError(f"Dataset.as_numpy_iterator() is not supported for datasets that produce "
                                f"values of type {type(s).__name__}")
        from tfjax._src.data.iterator import NumpyIterator  # noqa: PLC0415
        return NumpyIterator(self)

    def __bool__(self):
        return True

    def __len__(self):
        n = self._card()
        if n == INFINITE:
            raise TypeError("The dataset is infinite.")
        if n == UNKNOWN:
            raise TypeError("The dataset length is unknown.")
        return n

    def __repr__(self):
        return f"<{self._tf_name} element_spec={self.element_spec!r}>"

    def cardinality(self):
        return tensor_lib.convert_to_tensor(np.int64(self._card()))

    # --------------------------------------------------------------- sources
    @staticmethod
    def from_tensor_slices(tensors, name=None):
        from tfjax._src.data.sources import TensorSliceDataset  # noqa: PLC0415
        return TensorSliceDataset(tensors)

    @staticmethod
    def from_tensors(tensors, name=None):
        from tfjax._src.data.sources import TensorDataset  # noqa: PLC0415
        return TensorDataset(tensors)

    @staticmethod
    def from_generator(generator, output_types=None, output_shapes=None, args=None,
                       output_signature=None, name=None):
        from tfjax._src.data.sources import GeneratorDataset  # noqa: PLC0415
        return GeneratorDataset(generator, output_types, output_shapes, args, output_signature)

    @staticmethod
    def range(*args, **kwargs):
        from tfjax._src.data.sources import RangeDataset  # noqa: PLC0415
        return RangeDataset(*args, **kwargs)

    @staticmethod
    def zip(*args, datasets=None, name=None):
        from tfjax._src.data.sources import ZipDataset  # noqa: PLC0415
        if datasets is not None:
            if args:
                raise TypeError("Both `*args` and `datasets` cannot be set.")
            return ZipDataset(datasets)
        if len(args) == 1:
            return ZipDataset(args[0])
        if not args:
            raise TypeError("Must pass at least one dataset to `zip`.")
        return ZipDataset(tuple(args))

    @staticmethod
    def list_files(file_pattern, shuffle=None, seed=None, name=None):
        from tfjax._src.data.sources import list_files  # noqa: PLC0415
        return list_files(file_pattern, shuffle, seed)

    @staticmethod
    def sample_from_datasets(datasets, weights=None, seed=None, stop_on_empty_dataset=False,
                             rerandomize_each_iteration=None):
        from tfjax._src.data.sources import SampleFromDatasets  # noqa: PLC0415
        return SampleFromDatasets(datasets, weights, seed, stop_on_empty_dataset,
                                  rerandomize_each_iteration)

    @staticmethod
    def choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset=True):
        from tfjax._src.data.sources import ChooseFromDatasets  # noqa: PLC0415
        return ChooseFromDatasets(datasets, choice_dataset, stop_on_empty_dataset)

    @staticmethod
    def counter(start=0, step=1, dtype=dtypes.int64, name=None):
        from tfjax._src.data.sources import RangeDataset  # noqa: PLC0415
        return RangeDataset(start, None, step, dtype=dtype)

    @staticmethod
    def random(seed=None, rerandomize_each_iteration=None, name=None):
        from tfjax._src.data.sources import RandomDataset  # noqa: PLC0415
        return RandomDataset(seed, rerandomize_each_iteration)

    @staticmethod
    def load(path, element_spec=None, compression=None, reader_func=None, wait=False):
        from tfjax._src.data.save_load import load  # noqa: PLC0415
        return load(path, element_spec, compression, reader_func)

    # -------------------------------------------------------- transformations
    def map(self, map_func, num_parallel_calls=None, deterministic=None, synchronous=None,
            use_unbounded_threadpool=False, name=None):
        from tfjax._src.data.mapping import MapDataset, ParallelMapDataset  # noqa: PLC0415
        if num_parallel_calls is None or synchronous:
            return MapDataset(self, map_func)
        return ParallelMapDataset(self, map_func, num_parallel_calls, deterministic)

    def filter(self, predicate, name=None):
        from tfjax._src.data.mapping import FilterDataset  # noqa: PLC0415
        return FilterDataset(self, predicate)

    def batch(self, batch_size, drop_remainder=False, num_parallel_calls=None, deterministic=None,
              name=None):
        from tfjax._src.data.batching import BatchDataset  # noqa: PLC0415
        return BatchDataset(self, batch_size, drop_remainder)

    def padded_batch(self, batch_size, padded_shapes=None, padding_values=None, drop_remainder=False,
                     name=None):
        from tfjax._src.data.batching import PaddedBatchDataset  # noqa: PLC0415
        return PaddedBatchDataset(self, batch_size, padded_shapes, padding_values, drop_remainder)

    def ragged_batch(self, batch_size, drop_remainder=False, row_splits_dtype=dtypes.int64, name=None):
        from tfjax._src.data.ragged_batching import RaggedBatchDataset  # noqa: PLC0415
        return RaggedBatchDataset(self, batch_size, drop_remainder, row_splits_dtype)

    def sparse_batch(self, batch_size, row_shape, name=None):
        raise errors.unsupported("Dataset.sparse_batch", "use padded_batch")

    def unbatch(self, name=None):
        from tfjax._src.data.batching import UnbatchDataset  # noqa: PLC0415
        return UnbatchDataset(self)

    def rebatch(self, batch_size, drop_remainder=False, name=None):
        from tfjax._src.data.batching import RebatchDataset  # noqa: PLC0415
        return RebatchDataset(self, batch_size, drop_remainder)

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=None, name=None):
        from tfjax._src.data.selection import ShuffleDataset  # noqa: PLC0415
        return ShuffleDataset(self, buffer_size, seed, reshuffle_each_iteration)

    def repeat(self, count=None, name=None):
        from tfjax._src.data.selection import RepeatDataset  # noqa: PLC0415
        return RepeatDataset(self, count)

    def take(self, count, name=None):
        from tfjax._src.data.selection import TakeDataset  # noqa: PLC0415
        return TakeDataset(self, count)

    def skip(self, count, name=None):
        from tfjax._src.data.selection import SkipDataset  # noqa: PLC0415
        return SkipDataset(self, count)

    def take_while(self, predicate, name=None):
        from tfjax._src.data.mapping import TakeWhileDataset  # noqa: PLC0415
        return TakeWhileDataset(self, predicate)

    def cache(self, filename="", name=None):
        from tfjax._src.data.pipeline import CacheDataset  # noqa: PLC0415
        return CacheDataset(self, filename)

    def prefetch(self, buffer_size, name=None):
        from tfjax._src.data.pipeline import PrefetchDataset  # noqa: PLC0415
        return PrefetchDataset(self, buffer_size)

    def interleave(self, map_func, cycle_length=None, block_length=None, num_parallel_calls=None,
                   deterministic=None, name=None):
        from tfjax._src.data.windowing import InterleaveDataset  # noqa: PLC0415
        return InterleaveDataset(self, map_func, cycle_length, block_length, num_parallel_calls,
                                 deterministic)

    def flat_map(self, map_func, name=None):
        from tfjax._src.data.windowing import FlatMapDataset  # noqa: PLC0415
        return FlatMapDataset(self, map_func)

    def enumerate(self, start=0, name=None):
        from tfjax._src.data.sources import RangeDataset  # noqa: PLC0415
        return DatasetV2.zip((RangeDataset(start, None, 1), self))

    def window(self, size, shift=None, stride=1, drop_remainder=False, name=None):
        from tfjax._src.data.windowing import WindowDataset  # noqa: PLC0415
        return WindowDataset(self, size, shift, stride, drop_remainder)

    def scan(self, initial_state, scan_func, name=None):
        from tfjax._src.data.mapping import ScanDataset  # noqa: PLC0415
        return ScanDataset(self, initial_state, scan_func)

    def reduce(self, initial_state, reduce_func, name=None):
        state = structure.normalize_element(initial_state)
        for elem in self._elements():
            out = reduce_func(structure.to_user(state), structure.to_user(elem))
            new_state = structure.normalize_fn_output(out)
            if not structure.same_structure(state, new_state):
                raise TypeError(
                    f"The element types for the new state must match the initial state. Expected "
                    f"{structure.spec_of(state)}; got {structure.spec_of(new_state)}.")
            for a, b in zip(structure.flatten(state), structure.flatten(new_state)):
                if structure.leaf_dtype(a) != structure.leaf_dtype(b):
                    raise TypeError(
                        f"The element types for the new state must match the initial state. Expected "
                        f"{structure.spec_of(state)}; got {structure.spec_of(new_state)}.")
            state = new_state
        return structure.to_user(state)

    def shard(self, num_shards, index, name=None):
        from tfjax._src.data.selection import ShardDataset  # noqa: PLC0415
        return ShardDataset(self, num_shards, index)

    def concatenate(self, dataset, name=None):
        from tfjax._src.data.windowing import ConcatenateDataset  # noqa: PLC0415
        return ConcatenateDataset(self, dataset)

    def group_by_window(self, key_func, reduce_func, window_size=None, window_size_func=None, name=None):
        from tfjax._src.data.windowing import GroupByWindowDataset  # noqa: PLC0415
        return GroupByWindowDataset(self, key_func, reduce_func, window_size, window_size_func)

    def bucket_by_sequence_length(self, element_length_func, bucket_boundaries, bucket_batch_sizes,
                                  padded_shapes=None, padding_values=None, pad_to_bucket_boundary=False,
                                  no_padding=False, drop_remainder=False, name=None):
        from tfjax._src.data.windowing import bucket_by_sequence_length  # noqa: PLC0415
        return bucket_by_sequence_length(self, element_length_func, bucket_boundaries, bucket_batch_sizes,
                                         padded_shapes, padding_values, pad_to_bucket_boundary,
                                         no_padding, drop_remainder)

    def ignore_errors(self, log_warning=False, name=None):
        from tfjax._src.data.pipeline import IgnoreErrorsDataset  # noqa: PLC0415
        return IgnoreErrorsDataset(self, log_warning)

    def unique(self, name=None):
        from tfjax._src.data.pipeline import UniqueDataset  # noqa: PLC0415
        return UniqueDataset(self)

    def apply(self, transformation_func):
        out = transformation_func(self)
        if not isinstance(out, DatasetV2):
            raise TypeError("`transformation_func` must return a `tf.data.Dataset` object. "
                            f"Got {type(out).__name__}.")
        return out

    def with_options(self, options, name=None):
        from tfjax._src.data.pipeline import OptionsDataset  # noqa: PLC0415
        if not isinstance(options, Options):
            raise TypeError(f"options must be a tf.data.Options, got {type(options).__name__}.")
        return OptionsDataset(self, options)

    def assert_cardinality(self, expected_cardinality):
        from tfjax._src.data.pipeline import AssertCardinalityDataset  # noqa: PLC0415
        return AssertCardinalityDataset(self, expected_cardinality)

    def get_single_element(self, name=None):
        it = self._elements()
        try:
            first = next(it)
        except StopIteration:
            raise errors.InvalidArgumentError("Dataset was empty.") from None
        try:
            next(it)
        except StopIteration:
            return structure.to_user(first)
        raise errors.InvalidArgumentError("Dataset had more than one element.")

    def save(self, path, compression=None, shard_func=None, checkpoint_args=None):
        from tfjax._src.data.save_load import save  # noqa: PLC0415
        save(self, path, compression, shard_func, checkpoint_args)

    def snapshot(self, path, compression="AUTO", reader_func=None, shard_func=None, name=None):
        raise errors.unsupported("Dataset.snapshot", "use Dataset.cache(filename) or save/load")

    def distribute(self, *args, **kwargs):
        raise errors.unsupported("Dataset.distribute", "there is no tf.data service")

    # ------------------------------------------------------------ iteration
    def __tf_tensor__(self, dtype=None, name=None):
        raise TypeError("Cannot convert a tf.data.Dataset to a Tensor.")


Dataset = DatasetV2


def _iter_indexed(base, chunks):
    for idx in chunks():
        if len(idx) == 0:
            continue
        block = base._gather(idx)
        n = len(idx)
        if structure.is_nested(block):
            flat = structure.flatten(block)
            for j in range(n):
                yield structure.pack_sequence_as(block, [leaf[j, ...] for leaf in flat])
        else:
            for j in range(n):
                yield block[j, ...]


def get_single_element(dataset):
    return dataset.get_single_element()
