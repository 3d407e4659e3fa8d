"""``tf.keras.optimizers.schedules``: lazily re-exported from ``tfjax._src.keras.optimizers.schedules``."""

from tfjax.keras._lazy import make_getattr as _mg

_NAMES = (
    'CosineDecay', 'CosineDecayRestarts', 'ExponentialDecay', 'InverseTimeDecay', 'LearningRateSchedule',
    'PiecewiseConstantDecay', 'PolynomialDecay', 'deserialize', 'serialize'
)

__getattr__, __dir__ = _mg(__name__, "tfjax._src.keras.optimizers.schedules", _NAMES)
