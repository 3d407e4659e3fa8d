"""F-score metrics."""

from __future__ import annotations

import jax.numpy as jnp

from tfjax._src.tensor import Tensor
from tfjax._src.keras.metrics.base_metric import EPSILON, Metric, _assign_raw, _raw

class FBetaScore(Metric):
    def __init__(self, average=None, beta=1.0, threshold=None, name="fbeta_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        if average not in (None, "micro", "macro", "weighted"):
            raise ValueError("Invalid `average` argument value. Expected one of: {None, 'micro', 'macro', "
                             f"'weighted'}}. Received: average={average}")
        self.average = average
        self.beta = beta
        self.threshold = threshold
        self.axis = None if average == "micro" else 0
        self._built = False

    def _build(self, yt_shape, yp_shape):
        if len(yp_shape) != 2 or len(yt_shape) != 2:
            raise ValueError("FBetaScore expects 2D inputs with shape (batch_size, output_dim). Received input "
                             f"shapes: y_pred.shape={yp_shape} and y_true.shape={yt_shape}.")
        shape = (yp_shape[-1],) if self.average != "micro" else ()
        self.true_positives = self.add_variable(shape=shape, name="true_positives")
        self.false_positives = self.add_variable(shape=shape, name="false_positives")
        self.false_negatives = self.add_variable(shape=shape, name="false_negatives")
        self.intermediate_weights = self.add_variable(shape=shape, name="intermediate_weights")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        yt, yp, sw = _raw(y_true), _raw(y_pred), _raw(sample_weight)
        if not self._built:
            self._build(tuple(yt.shape), tuple(yp.shape))
        dt, thr, ax = self._dtype, self.threshold, self.axis

        def fn(s, yt, yp, w):
            yt = yt.astype(dt)
            yp = yp.astype(dt)
            if thr is None:
                yp = (yp >= jnp.max(yp, axis=-1, keepdims=True)) & (jnp.abs(yp) > 1e-9)
            else:
                yp = yp > thr
            yp = yp.astype(dt)

            def ws(v):
                if w is not None:
                    v = v * jnp.expand_dims(w.astype(dt), 1)
                return jnp.sum(v, axis=ax)
            return [s[0] + ws(yp * yt), s[1] + ws(yp * (1 - yt)), s[2] + ws((1 - yp) * yt), s[3] + ws(yt)]
        self._run("u", fn, yt, yp, sw)

    def result(self):
        tp, fp, fn, iw = (v._read_raw() for v in self._variables)
        precision = tp / (tp + fp + EPSILON)
        recall = tp / (tp + fn + EPSILON)
        b2 = self.beta ** 2
        f = (precision * recall) / (b2 * precision + recall + EPSILON) * (1 + b2)
        if self.average == "weighted":
            f = jnp.sum(f * (iw / (jnp.sum(iw) + EPSILON)))
        elif self.average is not None:
            f = jnp.mean(f)
        return Tensor(f)

    def reset_state(self):
        for v in self._variables:
            _assign_raw(v, jnp.zeros(tuple(v.shape), v.dtype._np))

    def get_config(self):
        c = super().get_config()
        c.update(average=self.average, beta=self.beta, threshold=self.threshold)
        return c


class F1Score(FBetaScore):
    def __init__(self, average=None, threshold=None, name="f1_score", dtype=None):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)

    def get_config(self):
        c = super().get_config()
        c.pop("beta", None)
        return c


FBetaScore._direction = "up"
