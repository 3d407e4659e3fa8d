"""``tf.data.experimental``: functional forms of the Dataset methods and helpers."""

from __future__ import annotations

import collections.abc
import enum

import numpy as np

from tfjax._src import errors
from tfjax._src import tensor as tensor_lib
from tfjax._src.data import structure
from tfjax._src.data.dataset import AUTOTUNE, DatasetV2, UNKNOWN, INFINITE  # noqa: F401
from tfjax._src.data.unary import _Unary


def cardinality(dataset):
    return dataset.cardinality()


def assert_cardinality(expected_cardinality):
    return lambda ds: ds.assert_cardinality(expected_cardinality)


def sample_from_datasets(datasets, weights=None, seed=None, stop_on_empty_dataset=False):
    return DatasetV2.sample_from_datasets(datasets, weights, seed, stop_on_empty_dataset)


def choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset=True):
    return DatasetV2.choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset)


def bucket_by_sequence_length(element_length_func, bucket_boundaries, bucket_batch_sizes, padded_shapes=None,
                              padding_values=None, pad_to_bucket_boundary=False, no_padding=False,
                              drop_remainder=False):
    return lambda ds: ds.bucket_by_sequence_length(
        element_length_func, bucket_boundaries, bucket_batch_sizes, padded_shapes, padding_values,
        pad_to_bucket_boundary, no_padding, drop_remainder)


def group_by_window(key_func, reduce_func, window_size=None, window_size_func=None):
    return lambda ds: ds.group_by_window(key_func, reduce_func, window_size, window_size_func)


def ignore_errors(log_warning=False):
    return lambda ds: ds.ignore_errors(log_warning)


def enumerate_dataset(start=0):
    return lambda ds: ds.enumerate(start)


def unbatch():
    return lambda ds: ds.unbatch()


def unique():
    return lambda ds: ds.unique()


def scan(initial_state, scan_func):
    return lambda ds: ds.scan(initial_state, scan_func)


def take_while(predicate):
    return lambda ds: ds.take_while(predicate)


def shuffle_and_repeat(buffer_size, count=None, seed=None):
    return lambda ds: ds.shuffle(buffer_size, seed).repeat(count)


def map_and_batch(map_func, batch_size, num_parallel_batches=None, drop_remainder=False,
                  num_parallel_calls=None):
    return lambda ds: ds.map(map_func, num_parallel_calls).batch(batch_size, drop_remainder)


def parallel_interleave(map_func, cycle_length, block_length=1, sloppy=False, buffer_output_elements=None,
                        prefetch_input_elements=None):
    return lambda ds: ds.interleave(map_func, cycle_length, block_length, num_parallel_calls=cycle_length,
                                    deterministic=not sloppy)


def rejection_resample(*args, **kwargs):
    raise errors.unsupported("tf.data.experimental.rejection_resample")


def dense_to_sparse_batch(batch_size, row_shape):
    raise errors.unsupported("tf.data.experimental.dense_to_sparse_batch", "use padded_batch")


def prefetch_to_device(device, buffer_size=None):
    return lambda ds: ds.prefetch(AUTOTUNE if buffer_size is None else buffer_size)


def copy_to_device(target_device, source_device="/cpu:0"):
    return lambda ds: ds


def get_single_element(dataset):
    return dataset.get_single_element()


def Counter(start=0, step=1, dtype=None):  # noqa: N802 - TF's name
    from tfjax._src import dtypes  # noqa: PLC0415
    return DatasetV2.counter(start, step, dtypes.int64 if dtype is None else dtype)


def RandomDataset(seed=None):  # noqa: N802 - TF's name
    return DatasetV2.random(seed)


def save(dataset, path, compression=None, shard_func=None, checkpoint_args=None):
    return dataset.save(path, compression, shard_func, checkpoint_args)


def load(path, element_spec=None, compression=None, reader_func=None):
    return DatasetV2.load(path, element_spec, compression, reader_func)


def get_structure(dataset_or_iterator):
    return dataset_or_iterator.element_spec


def from_list(elements, name=None):
    """``tf.data.experimental.from_list``: one element per list item (same structure)."""
    if not elements:
        raise ValueError("Invalid `elements`. `elements` should not be empty.")
    from tfjax._src.data.batching import stack_elements  # noqa: PLC0415
    from tfjax._src.data.windowing import ElementListDataset  # noqa: PLC0415
    elems = [structure.normalize_element(e) for e in elements]
    stack_elements(elems)  # validates identical shapes, like TF
    return ElementListDataset(elems, structure.spec_of(elems[0]))


class TFRecordWriter:
    """``tf.data.experimental.TFRecordWriter(filename, compression_type=None)``: writes a dataset
    of scalar strings with ``write(dataset)``."""

    def __init__(self, filename, compression_type=None):
        self._filename = filename
        self._comp = compression_type

    def write(self, dataset):
        from tfjax._src import dtypes  # noqa: PLC0415
        from tfjax._src.io import tfrecord  # noqa: PLC0415
        spec = dataset.element_spec
        if structure.is_nested(spec) or spec.dtype != dtypes.string or spec.shape.rank != 0:
            raise TypeError(f"Invalid `dataset.` Expected a dataset whose elements are scalar `tf.string`, "
                            f"but got {spec}.")
        with tfrecord.TFRecordWriter(self._filename, tfrecord.TFRecordOptions(self._comp)) as w:
            for elem in dataset._elements():
                w.write(structure.host(elem)[()])


def make_csv_dataset(*args, **kwargs):
    raise errors.unsupported("tf.data.experimental.make_csv_dataset",
                             "use tf.data.experimental.CsvDataset or TextLineDataset + tf.io.decode_csv")


# ---------------------------------------------------------------------------
# small transformations and helpers
# ---------------------------------------------------------------------------

SHARD_HINT = -1


class AutotuneAlgorithm(enum.Enum):
    """``tf.data.experimental.AutotuneAlgorithm`` (accepted by ``AutotuneOptions``; tfjax's autotuner
    has one strategy)."""
    DEFAULT = 0
    HILL_CLIMB = 1
    GRADIENT_DESCENT = 2
    MAX_PARALLELISM = 3
    STAGE_BASED = 4


def enable_debug_mode():
    """``tf.data.experimental.enable_debug_mode()``: tfjax's tf.data already runs user functions
    eagerly, element by element, so this only records the request."""
    global _DEBUG_MODE
    _DEBUG_MODE = True


_DEBUG_MODE = False


def dense_to_ragged_batch(batch_size, drop_remainder=False, row_splits_dtype=None):
    from tfjax._src import dtypes  # noqa: PLC0415
    rs = dtypes.int64 if row_splits_dtype is None else row_splits_dtype
    return lambda ds: ds.ragged_batch(batch_size, drop_remainder, rs)


def get_next_as_optional(iterator):
    """``tf.data.experimental.get_next_as_optional(iterator)`` (deprecated alias of
    ``iterator.get_next_as_optional()``)."""
    return iterator.get_next_as_optional()


def at(dataset, index):
    """``tf.data.experimental.at(dataset, index)``: the element at ``index`` (random access)."""
    i = _int_value(index)
    n = dataset._card()
    if i < 0 or (n >= 0 and i >= n):
        raise errors.OutOfRangeError(f"Index out of range [0, {n}):{i} [Op:GetElementAtIndex]")
    for k, elem in enumerate(dataset._elements()):
        if k == i:
            return structure.to_user(elem)
    raise errors.OutOfRangeError(f"Index out of range [0, {n}):{i} [Op:GetElementAtIndex]")


def _int_value(x):
    return int(structure.host(structure.to_leaf(x)))


def pad_to_cardinality(cardinality, mask_key="valid"):
    """``tf.data.experimental.pad_to_cardinality``: dict elements gain ``mask_key=True``; zero
    elements with ``mask_key=False`` are appended up to ``cardinality``."""
    def _apply_fn(dataset):
        card = dataset._card()
        target = _int_value(cardinality)
        if card < 0:
            raise ValueError("The dataset passed into `pad_to_cardinality` must have a known cardinalty, "
                             f"but has cardinality {dataset.cardinality()}")
        if card > target:
            raise ValueError("The dataset passed into `pad_to_cardinality` must have a cardinalty less "
                             f"than the target cardinality ({cardinality}), but has cardinality "
                             f"{dataset.cardinality()}")
        spec = dataset.element_spec
        if not isinstance(spec, collections.abc.Mapping):
            raise ValueError("`pad_to_cardinality` requires its input dataset to be a dictionary.")

        def zeros(sp):
            if sp.dtype.name == "string":
                return np.full(tuple(sp.shape.as_list()), b"", dtype=object)
            return np.zeros(tuple(sp.shape.as_list()), dtype=sp.dtype._np)
        filler = structure.map_structure(zeros, spec)
        filler = dict(filler)
        filler[mask_key] = np.bool_(False)

        def valid(x):
            x = dict(x)
            x[mask_key] = True
            return x
        return dataset.map(valid).concatenate(DatasetV2.from_tensors(filler).repeat(target - card))
    return _apply_fn


# ---------------------------------------------------------------------------
# group_by_reducer
# ---------------------------------------------------------------------------

class Reducer:
    """``tf.data.experimental.Reducer(init_func, reduce_func, finalize_func)``."""

    def __init__(self, init_func, reduce_func, finalize_func):
        self._init_func = init_func
        self._reduce_func = reduce_func
        self._finalize_func = finalize_func

    @property
    def init_func(self):
        return self._init_func

    @property
    def reduce_func(self):
        return self._reduce_func

    @property
    def finalize_func(self):
        return self._finalize_func


def _call_unpacked(fn, value):
    """TF's argument unpacking for a structured function: a tuple becomes positional arguments."""
    user = structure.to_user(value)
    return fn(*user) if type(user) is tuple else fn(user)


class _GroupByReducerDataset(_Unary):
    _tf_name = "_GroupByReducerDataset"

    def __init__(self, input_dataset, key_func, reducer):
        super().__init__(input_dataset)
        self._key_func = key_func
        self._reducer = reducer

    def _card(self):
        return UNKNOWN

    def _key(self, elem):
        from tfjax._src import dtypes  # noqa: PLC0415
        k = structure.to_leaf(structure.call_fn(self._key_func, elem))
        if structure.leaf_dtype(k) != dtypes.int64 or tuple(getattr(k, "shape", ())) != ():
            raise ValueError(f"Invalid `key_func`. Expected `key_func` to return a scalar tf.int64 tensor, "
                             f"but instead `key_func` has output types={structure.leaf_dtype(k)} and "
                             f"shapes={list(getattr(k, 'shape', ()))}.")
        return k

    def _init(self, key):
        return structure.normalize_fn_output(self._reducer.init_func(structure.to_user(key)))

    def _reduce(self, state, elem):
        out = self._reducer.reduce_func(structure.to_user(state), structure.to_user(elem))
        return structure.normalize_fn_output(out)

    def _finalize(self, state):
        return structure.normalize_fn_output(_call_unpacked(self._reducer.finalize_func, state))

    def _compute_spec(self):
        from tfjax._src.data.unary import fn_spec  # noqa: PLC0415

        def one(e):
            return self._finalize(self._reduce(self._init(self._key(e)), e))
        return fn_spec(self._input, one)

    def _iter(self):
        states = {}
        for elem in self._input._elements():
            k = self._key(elem)
            kv = int(structure.host(k))
            if kv not in states:
                states[kv] = self._init(k)
            states[kv] = self._reduce(states[kv], elem)
        for state in states.values():
            yield self._finalize(state)


def group_by_reducer(key_func, reducer):
    """``tf.data.experimental.group_by_reducer(key_func, reducer)``: one output per key (in order of
    first appearance), after the whole input has been read."""
    return lambda ds: _GroupByReducerDataset(ds, key_func, reducer)


# ---------------------------------------------------------------------------
# Example parsing pipelines
# ---------------------------------------------------------------------------

def parse_example_dataset(features, num_parallel_calls=1, deterministic=None):
    """``tf.data.experimental.parse_example_dataset``: ``tf.io.parse_example`` over a dataset of
    string vectors."""
    if features is None:
        raise ValueError("Argument `features` is required, but not specified.")

    def _apply_fn(dataset):
        from tfjax._src import dtypes  # noqa: PLC0415
        from tfjax._src.io import parsing  # noqa: PLC0415
        from tfjax._src.tensor_spec import TensorSpec  # noqa: PLC0415
        spec = dataset.element_spec
        if not (isinstance(spec, TensorSpec) and spec.dtype == dtypes.string and spec.shape.rank == 1):
            raise TypeError(f"Input dataset should be a dataset of vectors of strings. Instead it is "
                            f"`{spec}`.")
        return dataset.map(lambda x: parsing.parse_example(x, features), num_parallel_calls,
                           deterministic)
    return _apply_fn


def make_batched_features_dataset(file_pattern, batch_size, features, reader=None, label_key=None,
                                  reader_args=None, num_epochs=None, shuffle=True, shuffle_buffer_size=10000,
                                  shuffle_seed=None, prefetch_buffer_size=None, reader_num_threads=None,
                                  parser_num_threads=None, sloppy_ordering=False, drop_final_batch=False):
    """``tf.data.experimental.make_batched_features_dataset``: files → records → shuffle/repeat →
    batch → ``parse_example`` (→ ``(features, label)`` with ``label_key``), as TF composes it."""
    from tfjax._src.data.readers import TFRecordDataset  # noqa: PLC0415
    reader = TFRecordDataset if reader is None else reader
    reader_num_threads = 1 if reader_num_threads is None else reader_num_threads
    parser_num_threads = 2 if parser_num_threads is None else parser_num_threads
    reader_args = [] if reader_args is None else list(reader_args)
    dataset = DatasetV2.list_files(file_pattern, shuffle=shuffle, seed=shuffle_seed)
    if reader_num_threads == AUTOTUNE:
        dataset = dataset.interleave(lambda f: reader(f, *reader_args), num_parallel_calls=AUTOTUNE,
                                     deterministic=not sloppy_ordering)
    else:
        dataset = dataset.interleave(lambda f: reader(f, *reader_args), cycle_length=reader_num_threads,
                                     block_length=1, deterministic=not sloppy_ordering)
    spec = dataset.element_spec
    if isinstance(spec, tuple) and len(spec) == 2 and all(getattr(s, "dtype", None) is not None
                                                          and s.dtype.name == "string" for s in spec):
        dataset = dataset.map(lambda _, v: v)
    if shuffle:
        dataset = dataset.shuffle(shuffle_buffer_size, shuffle_seed)
    if num_epochs != 1:
        dataset = dataset.repeat(num_epochs)
    dataset = dataset.batch(batch_size, drop_remainder=drop_final_batch or num_epochs is None)
    dataset = dataset.apply(parse_example_dataset(features, num_parallel_calls=parser_num_threads))
    if label_key:
        if label_key not in features:
            raise ValueError(f"The `label_key` provided ({label_key}) must be one of the `features` keys: "
                             f"{features.keys()}.")
        dataset = dataset.map(lambda x: (x, x.pop(label_key)))
    return dataset.prefetch(AUTOTUNE if prefetch_buffer_size is None else prefetch_buffer_size)


# ---------------------------------------------------------------------------
# lookup tables from datasets (tf.lookup lives in _src/lookup_ops.py)
# ---------------------------------------------------------------------------

def _lookup():
    from tfjax._src import lookup_ops  # noqa: PLC0415
    return lookup_ops


def _check_table_initializer_element_spec(spec):
    from tfjax._src.tensor_spec import TensorSpec  # noqa: PLC0415
    base_error = ("Datasets used to initialize lookup tables must produce elements in the form (key, value), "
                  "where the keys and values are scalar tensors. ")
    if not isinstance(spec, (tuple, dict)):
        raise TypeError(f"object of type '{type(spec).__name__}' has no len()")  # TF's len(element_spec)
    if not isinstance(spec, tuple) or len(spec) != 2:
        raise ValueError(base_error + f"However, the given dataset produces {len(spec)} components "
                         f"instead of two (key, value) components. Full dataset element spec: {spec}.")
    for what, s in zip(("key", "value"), spec):
        if not isinstance(s, TensorSpec):
            raise ValueError(base_error + f"However, the given dataset produces a {what} of type {s}")
        if s.shape.rank != 0:
            raise ValueError(base_error + f"However, the given dataset produces {what}s of shape {s.shape}")


class DatasetInitializer(_lookup().TableInitializerBase):
    """``tf.data.experimental.DatasetInitializer(dataset)``: a table initializer from a dataset of
    (key, value) scalar pairs."""

    def __init__(self, dataset):
        self.dataset = dataset
        spec = dataset.element_spec
        _check_table_initializer_element_spec(spec)
        super().__init__(spec[0].dtype, spec[1].dtype)

    def _load(self):
        ks, vs = [], []
        for k, v in self.dataset._elements():
            ks.append(structure.host(k)[()])
            vs.append(structure.host(v)[()])
        kd = object if self.key_dtype.name == "string" else self.key_dtype._np
        vd = object if self.value_dtype.name == "string" else self.value_dtype._np
        ka = np.empty(len(ks), dtype=kd)
        ka[:] = ks
        va = np.empty(len(vs), dtype=vd)
        va[:] = vs
        return ka, va


def table_from_dataset(dataset=None, num_oov_buckets=0, vocab_size=None, default_value=None,
                       hasher_spec=None, key_dtype=None, name=None):
    """``tf.data.experimental.table_from_dataset``: a ``StaticHashTable`` (with ``num_oov_buckets``,
    TF's IdTableWithHashBuckets over Fingerprint64, i.e. ``tf.lookup.StaticVocabularyTable``'s ids)."""
    from tfjax._src import dtypes  # noqa: PLC0415
    key_dtype = dtypes.string if key_dtype is None else dtypes.as_dtype(key_dtype)
    if num_oov_buckets < 0:
        raise ValueError(f"`num_oov_buckets` must be greater than or equal to 0, got {num_oov_buckets}.")
    if vocab_size is not None and not hasattr(vocab_size, "numpy") and vocab_size < 1:
        raise ValueError(f"`vocab_size` must be greater than 0, got {vocab_size}.")
    if not key_dtype.is_integer and key_dtype != dtypes.string:
        raise TypeError(f"`key_dtype` must be either an integer or string type, but got {key_dtype}")
    if hasher_spec is not None and type(hasher_spec).__name__ != "FastHashSpec" and hasher_spec != "fasthash":
        raise errors.unsupported("table_from_dataset(hasher_spec=...)",
                                 "only the default FastHashSpec (Fingerprint64) buckets are implemented")
    if vocab_size is not None:
        vocab_size = _int_value(vocab_size)
        dataset = dataset.take(vocab_size).apply(assert_cardinality(vocab_size))
    init = DatasetInitializer(dataset)
    lk = _lookup()
    if num_oov_buckets:
        if default_value is not None and _int_value(default_value) != -1:
            raise errors.unsupported("table_from_dataset(num_oov_buckets>0, default_value!=-1)")
        return lk.StaticVocabularyTable(init, num_oov_buckets, lookup_key_dtype=key_dtype)
    return lk.StaticHashTable(init, default_value)


def index_table_from_dataset(dataset=None, num_oov_buckets=0, vocab_size=None, default_value=-1,
                             hasher_spec=None, key_dtype=None, name=None):
    """``tf.data.experimental.index_table_from_dataset``: key -> its position in the dataset."""
    return table_from_dataset(dataset.enumerate().map(lambda v, k: (k, v)), num_oov_buckets, vocab_size,
                              default_value, hasher_spec, key_dtype, name)


def snapshot(path, compression="AUTO", reader_func=None, shard_func=None):
    """``tf.data.experimental.snapshot``: ``Dataset.snapshot`` as a transformation."""
    return lambda ds: ds.snapshot(path, compression, reader_func, shard_func)


# ---------------------------------------------------------------------------
# no JAX meaning: the tf.data service, variant tensors, SQL
# ---------------------------------------------------------------------------

def _unsupported(name, why):
    def fn(*args, **kwargs):
        raise errors.unsupported(f"tf.data.experimental.{name}", why)
    fn.__name__ = name
    fn.__qualname__ = name
    return fn


_NO_SERVICE = "tfjax has no tf.data service (pipelines run in-process on the host)"
_NO_VARIANT = "tfjax datasets are Python objects, not DT_VARIANT tensors"
distributed_save = _unsupported("distributed_save", _NO_SERVICE)
ServiceOptions = _unsupported("ServiceOptions", _NO_SERVICE)
from_variant = _unsupported("from_variant", _NO_VARIANT)
to_variant = _unsupported("to_variant", _NO_VARIANT)
SqlDataset = _unsupported("SqlDataset", "there is no SQL reader; read the rows in Python and use "
                          "Dataset.from_generator")
get_model_proto = _unsupported("get_model_proto", "there is no tf.data runtime model proto")
make_saveable_from_iterator = _unsupported(
    "make_saveable_from_iterator", "iterators are not checkpointable in tfjax")


class _ServiceModule:
    """``tf.data.experimental.service``: every attribute raises tfjax's unsupported error."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        raise errors.unsupported(f"tf.data.experimental.service.{name}", _NO_SERVICE)

    def __repr__(self):
        return "<module 'tfjax.data.experimental.service' (unsupported)>"


service = _ServiceModule()


del tensor_lib
