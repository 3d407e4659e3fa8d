"""``tf.sets``: explicit re-exports."""

from tfjax._src.ops.set_ops import difference, intersection, size, union  # noqa: F401
