"""``tf.distribute``: strategies over a ``jax.sharding.Mesh`` (see docs/distribute.md)."""

from tfjax._src.distribute.strategy import (
    Strategy as Strategy,
    StrategyExtended as StrategyExtended,
    ReplicaContext as ReplicaContext,
    MirroredStrategy as MirroredStrategy,
    OneDeviceStrategy as OneDeviceStrategy,
    CrossDeviceOps as CrossDeviceOps,
    NcclAllReduce as NcclAllReduce,
    HierarchicalCopyAllReduce as HierarchicalCopyAllReduce,
    ReductionToOneDevice as ReductionToOneDevice,
)
from tfjax._src.distribute.multi_worker import MultiWorkerMirroredStrategy as MultiWorkerMirroredStrategy
from tfjax._src.distribute.tpu import TPUStrategy as TPUStrategy
from tfjax._src.distribute.reduce_util import ReduceOp as ReduceOp
from tfjax._src.distribute.values import DistributedValues as DistributedValues
from tfjax._src.distribute.input_lib import (
    InputContext as InputContext,
    InputOptions as InputOptions,
    InputReplicationMode as InputReplicationMode,
    DistributedDataset as DistributedDataset,
    DistributedIterator as DistributedIterator,
)
from tfjax._src.distribute.context import (
    get_strategy as get_strategy,
    has_strategy as has_strategy,
    in_cross_replica_context as in_cross_replica_context,
    get_replica_context as get_replica_context,
    experimental_set_strategy as experimental_set_strategy,
)
from tfjax.distribute import cluster_resolver as cluster_resolver
from tfjax.distribute import experimental as experimental


class RunOptions:
    """``tf.distribute.RunOptions`` (accepted; XLA decides placement)."""

    def __init__(self, experimental_enable_dynamic_batch_size=True, experimental_bucketizing_dynamic_shape=False,
                 experimental_xla_options=None):
        self.experimental_enable_dynamic_batch_size = experimental_enable_dynamic_batch_size
        self.experimental_bucketizing_dynamic_shape = experimental_bucketizing_dynamic_shape
        self.experimental_xla_options = experimental_xla_options
