"""``tf.distribute.experimental`` (+ tfjax's LayoutMap / ModelParallelStrategy for sharded variables)."""

from tfjax._src.distribute.multi_worker import (
    MultiWorkerMirroredStrategy as MultiWorkerMirroredStrategy,
    CommunicationOptions as CommunicationOptions,
    CommunicationImplementation as CommunicationImplementation,
    CollectiveCommunication as CollectiveCommunication,
)
from tfjax._src.distribute.tpu import TPUStrategy as TPUStrategy
from tfjax._src.distribute.input_lib import ValueContext as ValueContext
from tfjax._src.distribute.layout import (
    LayoutMap as LayoutMap,
    DeviceMesh as DeviceMesh,
    TensorLayout as TensorLayout,
)
from tfjax._src.distribute.strategy import ModelParallelStrategy as ModelParallelStrategy
