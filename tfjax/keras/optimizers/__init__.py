"""``tf.keras.optimizers``: lazily re-exported from ``tfjax._src.keras.optimizers``."""

from tfjax.keras._lazy import make_getattr as _mg

_NAMES = (
    'Adadelta', 'Adafactor', 'Adagrad', 'Adam', 'AdamW', 'Adamax', 'Ftrl', 'Lamb', 'Lion', 'LossScaleOptimizer',
    'Nadam', 'OptaxOptimizer', 'Optimizer', 'RMSprop', 'SGD', 'deserialize', 'get', 'serialize'
)

__getattr__, __dir__ = _mg(__name__, "tfjax._src.keras.optimizers", _NAMES, submodules=('legacy', 'schedules'))
