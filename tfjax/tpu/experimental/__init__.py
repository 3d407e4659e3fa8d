"""``tf.tpu.experimental``."""

from tfjax._src.distribute.tpu import (
    initialize_tpu_system as initialize_tpu_system,
    shutdown_tpu_system as shutdown_tpu_system,
    Topology as Topology,
    TPUSystemMetadata as TPUSystemMetadata,
)
