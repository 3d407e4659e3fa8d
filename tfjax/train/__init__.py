"""``tf.train``: checkpoints (and, lazily, the ``tf.train.Example`` protos)."""

from tfjax._src.train.checkpoint import (
    Checkpoint as Checkpoint, CheckpointOptions as CheckpointOptions,
    load_checkpoint as load_checkpoint, list_variables as list_variables, load_variable as load_variable,
)
from tfjax._src.train.checkpoint_management import (
    CheckpointManager as CheckpointManager, latest_checkpoint as latest_checkpoint,
    get_checkpoint_state as get_checkpoint_state,
)

_EXAMPLE_NAMES = ("Example", "Features", "Feature", "BytesList", "FloatList", "Int64List",
                  "SequenceExample", "FeatureList", "FeatureLists")


def __getattr__(name):
    if name in _EXAMPLE_NAMES:
        from tfjax._src.io import example  # noqa: PLC0415 - written by the tf.io owner; imported lazily

        return getattr(example, name)
    raise AttributeError(f"module 'tfjax.train' has no attribute '{name}'")


def __dir__():
    return sorted(list(globals()) + list(_EXAMPLE_NAMES))
