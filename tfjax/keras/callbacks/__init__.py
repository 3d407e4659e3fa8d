"""``tf.keras.callbacks``: lazily re-exported from ``tfjax._src.keras.callbacks``."""

from tfjax.keras._lazy import make_getattr as _mg

_NAMES = (
    'BackupAndRestore', 'CSVLogger', 'Callback', 'CallbackList', 'EarlyStopping', 'History', 'LambdaCallback',
    'LearningRateScheduler', 'ModelCheckpoint', 'ProgbarLogger', 'ReduceLROnPlateau', 'RemoteMonitor',
    'SwapEMAWeights', 'TensorBoard', 'TerminateOnNaN'
)

__getattr__, __dir__ = _mg(__name__, "tfjax._src.keras.callbacks", _NAMES)
