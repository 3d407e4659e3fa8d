"""``tf.keras.preprocessing.sequence``: lazily re-exported from ``tfjax._src.keras.preprocessing.sequence``."""

from tfjax.keras._lazy import make_getattr as _mg

_NAMES = (
    'pad_sequences',
)

__getattr__, __dir__ = _mg(__name__, "tfjax._src.keras.preprocessing.sequence", _NAMES)
