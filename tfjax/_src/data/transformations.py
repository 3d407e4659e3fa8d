"""Compatibility home of the dataset transformations, now split by kind.

``unary`` (the one-input base, spec inference), ``mapping`` (map, filter,
take_while, scan), ``batching``, ``selection`` (shuffle, repeat, take, skip,
shard), ``pipeline`` (cache, prefetch, options, ...) and ``windowing`` (flat_map,
interleave, window, group_by_window, concatenate). Code outside tf.data imports
a few names from here.
"""

from tfjax._src.data.batching import (BatchDataset, PaddedBatchDataset, RebatchDataset,  # noqa: F401
                                      UnbatchDataset, stack_elements)
from tfjax._src.data.mapping import (FilterDataset, MapDataset, ParallelMapDataset,  # noqa: F401
                                     ScanDataset, TakeWhileDataset)
from tfjax._src.data.pipeline import (AssertCardinalityDataset, CacheDataset,  # noqa: F401
                                      IgnoreErrorsDataset, OptionsDataset, PrefetchDataset,
                                      UniqueDataset)
from tfjax._src.data.selection import (RepeatDataset, ShardDataset, ShuffleDataset,  # noqa: F401
                                       SkipDataset, TakeDataset)
from tfjax._src.data.unary import peeking  # noqa: F401
from tfjax._src.data.windowing import (ConcatenateDataset, ElementListDataset,  # noqa: F401
                                       FlatMapDataset, GroupByWindowDataset, InterleaveDataset,
                                       WindowDataset, bucket_by_sequence_length, interleave_iter)
