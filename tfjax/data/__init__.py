"""``tf.data``: input pipelines."""

from tfjax._src.data.dataset import AUTOTUNE, DatasetSpec, DatasetV2 as Dataset  # noqa: F401
from tfjax._src.data.dataset import INFINITE as INFINITE_CARDINALITY  # noqa: F401
from tfjax._src.data.dataset import UNKNOWN as UNKNOWN_CARDINALITY  # noqa: F401
from tfjax._src.data.iterator import IteratorSpec, NumpyIterator, OwnedIterator as Iterator  # noqa: F401
from tfjax._src.data.options import (AutoShardPolicy, AutotuneOptions, DistributeOptions,  # noqa: F401
                                     ExternalStatePolicy, OptimizationOptions, Options,
                                     ThreadingOptions)
from tfjax._src.data.readers import (FixedLengthRecordDataset, TextLineDataset,  # noqa: F401
                                     TFRecordDataset)
from tfjax.data import experimental  # noqa: F401
