"""``tf.keras.utils``: lazily re-exported from ``tfjax._src.keras.utils``."""

from tfjax.keras._lazy import make_getattr as _mg

__getattr__, __dir__ = _mg(__name__, "tfjax._src.keras.utils")
