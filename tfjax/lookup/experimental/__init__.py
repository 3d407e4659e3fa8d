"""``tf.lookup.experimental``."""

from tfjax._src.lookup_ops import DenseHashTable, MutableHashTable  # noqa: F401
