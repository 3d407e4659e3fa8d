"""``keras.callbacks.TerminateOnNaN``: stops training when the loss becomes NaN or Inf."""

from __future__ import annotations

import numpy as np

from tfjax._src.keras.trainers.progbar import print_msg
from tfjax._src.keras.callbacks.callback import Callback


class TerminateOnNaN(Callback):
    def __init__(self, raise_error=False):
        super().__init__()
        self.raise_error = raise_error

    def on_batch_end(self, batch, logs=None):
        logs = logs or {}
        loss = logs.get("loss")
        if loss is not None and (np.isnan(loss) or np.isinf(loss)):
            if self.raise_error:
                raise RuntimeError(f"NaN or Inf loss encountered at batch {batch}. Loss value: {loss}. "
                                   "Terminating training immediately.")
            print_msg(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True
