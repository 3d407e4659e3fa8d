"""``tf.keras.optimizers.legacy``: lazily re-exported from ``tfjax._src.keras.optimizers``."""

from tfjax.keras._lazy import make_getattr as _mg

_NAMES = (
    'Adagrad', 'Adam', 'Ftrl', 'Optimizer', 'RMSprop', 'SGD',
)

__getattr__, __dir__ = _mg(__name__, "tfjax._src.keras.optimizers", _NAMES)
