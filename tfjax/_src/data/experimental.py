"""``tf.data.experimental``: functional forms of the Dataset methods and helpers."""

from __future__ import annotations

import numpy as np

from tfjax._src import errors
from tfjax._src import tensor as tensor_lib
from tfjax._src.data import structure
from tfjax._src.data.dataset import AUTOTUNE, DatasetV2, UNKNOWN, INFINITE  # noqa: F401


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
                             "use TextLineDataset + tf.io.decode_csv")


del np, tensor_lib
