"""``tf.train``: checkpoints (and, lazily, the ``tf.train.Example`` protos)."""

from tfjax._src.train.checkpoint import (
    Checkpoint as Checkpoint, CheckpointOptions as CheckpointOptions,
    load_checkpoint as load_checkpoint, list_variables as list_variables, load_variable as load_variable,
)
from tfjax._src.train.checkpoint_management import (
    CheckpointManager as CheckpointManager, latest_checkpoint as latest_checkpoint,
    get_checkpoint_state as get_checkpoint_state, checkpoints_iterator as checkpoints_iterator,
)
from tfjax._src.train.checkpoint_view import CheckpointView as CheckpointView, TrackableView as TrackableView
from tfjax._src.train.coordinator import Coordinator as Coordinator
from tfjax._src.train.moving_averages import ExponentialMovingAverage as ExponentialMovingAverage
from tfjax._src.distribute.cluster_resolver import ClusterSpec as ClusterSpec

_EXAMPLE_NAMES = ("Example", "Features", "Feature", "BytesList", "FloatList", "Int64List",
                  "SequenceExample", "FeatureList", "FeatureLists")


_PROTO_NAMES = ("ClusterDef", "JobDef", "ServerDef")


def __getattr__(name):
    if name in _PROTO_NAMES:
        def unsupported_proto(*args, **kwargs):
            from tfjax._src import errors  # noqa: PLC0415
            raise errors.unsupported(f"tf.train.{name}", "tfjax has no distributed-runtime protocol buffers; "
                                     "describe clusters with tf.train.ClusterSpec")
        unsupported_proto.__name__ = name
        return unsupported_proto
    if name in _EXAMPLE_NAMES:
        from tfjax._src.io import example  # noqa: PLC0415 - written by the tf.io owner; imported lazily

        return getattr(example, name)
    raise AttributeError(f"module 'tfjax.train' has no attribute '{name}'")


def __dir__():
    return sorted(list(globals()) + list(_EXAMPLE_NAMES) + list(_PROTO_NAMES))
