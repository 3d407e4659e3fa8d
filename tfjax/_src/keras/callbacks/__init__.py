"""``keras.callbacks``."""

from tfjax._src.keras.callbacks.callbacks import (  # noqa: F401
    Callback, CallbackList, History, ProgbarLogger, EarlyStopping, ModelCheckpoint, ReduceLROnPlateau,
    LearningRateScheduler, TerminateOnNaN, CSVLogger, LambdaCallback, BackupAndRestore, RemoteMonitor,
    MonitorCallback,
)
from tfjax._src.keras.callbacks.tensorboard import TensorBoard  # noqa: F401
from tfjax._src.keras.callbacks.swap_ema_weights import SwapEMAWeights  # noqa: F401,E402
