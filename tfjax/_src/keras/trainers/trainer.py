"""``Trainer``: the compile/fit/evaluate/predict half of ``keras.Model``.

``Model`` inherits ``(Trainer, Layer)``. Skeleton; being filled in.
"""

from __future__ import annotations


class Trainer:
    def __init__(self):
        self._run_eagerly = False
        self._jit_compile = None
        self.compiled = False
        self.loss = None
        self.steps_per_execution = 1
        self.train_function = None
        self.test_function = None
        self.predict_function = None
        self._compile_config = None
        self.stop_training = False
        self.history = None

    def compile(self, optimizer="rmsprop", loss=None, loss_weights=None, metrics=None,
                weighted_metrics=None, run_eagerly=False, steps_per_execution=1,
                jit_compile="auto", auto_scale_loss=True):
        raise NotImplementedError("Trainer.compile: in progress")
