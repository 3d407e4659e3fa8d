"""``tf.data.experimental``."""

from tfjax._src.data.dataset import AUTOTUNE, DatasetSpec  # noqa: F401
from tfjax._src.data.dataset import INFINITE as INFINITE_CARDINALITY  # noqa: F401
from tfjax._src.data.dataset import UNKNOWN as UNKNOWN_CARDINALITY  # noqa: F401
from tfjax._src.data.csv_reader import CsvDataset  # noqa: F401
from tfjax._src.data.experimental import (SHARD_HINT, AutotuneAlgorithm, DatasetInitializer,  # noqa: F401
                                          Reducer, ServiceOptions, SqlDataset, at,
                                          dense_to_ragged_batch, distributed_save, enable_debug_mode,
                                          from_variant, get_model_proto, get_next_as_optional,
                                          group_by_reducer, index_table_from_dataset,
                                          make_batched_features_dataset, make_saveable_from_iterator,
                                          pad_to_cardinality, parse_example_dataset, service, snapshot,
                                          table_from_dataset, to_variant)
from tfjax._src.data.experimental import (Counter, RandomDataset, TFRecordWriter,  # noqa: F401
                                          assert_cardinality, bucket_by_sequence_length, cardinality,
                                          choose_from_datasets, copy_to_device, dense_to_sparse_batch,
                                          enumerate_dataset, from_list, get_single_element, get_structure,
                                          group_by_window, ignore_errors, load, make_csv_dataset,
                                          map_and_batch, parallel_interleave, prefetch_to_device,
                                          rejection_resample, sample_from_datasets, save, scan,
                                          shuffle_and_repeat, take_while, unbatch, unique)
from tfjax._src.data.iterator import Optional  # noqa: F401
from tfjax._src.data.options import (AutoShardPolicy, AutotuneOptions, DistributeOptions,  # noqa: F401
                                     ExternalStatePolicy, OptimizationOptions, ThreadingOptions)
