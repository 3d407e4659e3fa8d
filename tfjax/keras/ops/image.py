"""``tf.keras.ops.image``."""

from tfjax._src.keras.ops.image import (  # noqa: F401
    resize,
)
