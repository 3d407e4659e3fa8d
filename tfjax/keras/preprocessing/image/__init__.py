"""``tf.keras.preprocessing.image``: not implemented by tfjax yet (no names)."""

from tfjax.keras._lazy import make_getattr as _mg

__getattr__, __dir__ = _mg(__name__, "tfjax._src.keras.preprocessing.image", ())
