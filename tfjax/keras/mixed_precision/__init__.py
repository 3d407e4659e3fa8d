"""``tf.keras.mixed_precision``: lazily re-exported from ``tfjax._src.keras.mixed_precision``."""

from tfjax.keras._lazy import make_getattr as _mg

_NAMES = (
    'DTypePolicy', 'LossScaleOptimizer', 'Policy', 'dtype_policy', 'global_policy', 'set_dtype_policy',
    'set_global_policy'
)

__getattr__, __dir__ = _mg(__name__, "tfjax._src.keras.mixed_precision", _NAMES)
