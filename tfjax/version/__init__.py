"""``tf.version``: the TensorFlow release tfjax emulates (2.21)."""

from tfjax._src.compat import (  # noqa: F401
    COMPILER_VERSION, GIT_VERSION, GRAPH_DEF_VERSION, GRAPH_DEF_VERSION_MIN_CONSUMER,
    GRAPH_DEF_VERSION_MIN_PRODUCER, VERSION,
)
