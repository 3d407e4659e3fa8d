"""Regression metrics."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from tfjax._src.tensor import Tensor
from tfjax._src.keras.losses import losses as _losses
from tfjax._src.keras.metrics.base_metric import Metric, _raw
from tfjax._src.keras.metrics.reduction_metrics import Mean, _divide_no_nan, _float_inputs, _mean_update, _wrapper

MeanSquaredError = _wrapper("MeanSquaredError", _float_inputs(_losses._mse), "mean_squared_error")
MeanAbsoluteError = _wrapper("MeanAbsoluteError", _float_inputs(_losses._mae), "mean_absolute_error")
MeanAbsolutePercentageError = _wrapper("MeanAbsolutePercentageError", _float_inputs(_losses._mape),
                                       "mean_absolute_percentage_error")
MeanSquaredLogarithmicError = _wrapper("MeanSquaredLogarithmicError", _float_inputs(_losses._msle),
                                       "mean_squared_logarithmic_error")
def _cosine_metric_raw(y_true, y_pred, axis=-1):
    return -_losses._cosine(y_true, y_pred, axis=axis)


CosineSimilarity = _wrapper("CosineSimilarity", _float_inputs(_cosine_metric_raw), "cosine_similarity", [("axis", -1)],
                            unlisted=("axis",))


LogCoshError = _wrapper("LogCoshError", _float_inputs(_losses._log_cosh), "logcosh")


class RootMeanSquaredError(Mean):
    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        dt = self._dtype

        def fn(state, yt, yp, w):
            yp = yp.astype(dt)
            yt = yt.astype(dt)
            yt, yp = _losses.squeeze_or_expand_to_same_rank(yt, yp)
            return _mean_update(state, jnp.square(yp - yt), w, dt)
        self._run("r", fn, _raw(y_true), _raw(y_pred), _raw(sample_weight))

    def result(self):
        return Tensor(jnp.sqrt(_divide_no_nan(self.total._read_raw(), self.count._read_raw())))


class R2Score(Metric):
    def __init__(self, class_aggregation="uniform_average", num_regressors=0, name="r2_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self.num_samples = self.add_variable(shape=(), dtype="int32", name="num_samples")
        self._built = False

    def _build(self, yt_shape):
        n = yt_shape[-1] if len(yt_shape) > 1 else 1
        self.squared_sum = self.add_variable(shape=(n,), name="squared_sum")
        self.sum = self.add_variable(shape=(n,), name="sum")
        self.total_mse = self.add_variable(shape=(n,), name="residual")
        self.count = self.add_variable(shape=(n,), name="count")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        dt = self._dtype
        yt, yp = _raw(y_true).astype(dt), _raw(y_pred).astype(dt)
        yt, yp = _losses.squeeze_or_expand_to_same_rank(yt, yp)
        if not self._built:
            self._build(tuple(yt.shape))

        def fn(s, yt, yp, w):
            ns, sq, sm, mse, cnt = s
            if w is None:
                w = jnp.ones((), dt)
            w = w.astype(dt)
            if w.ndim == 1:
                w = jnp.expand_dims(w, 1)
            w = jnp.broadcast_to(w, yt.shape)
            wy = yt * w
            return [ns + yt.size, sq + jnp.sum(yt * wy, axis=0), sm + jnp.sum(wy, axis=0),
                    mse + jnp.sum((yt - yp) ** 2 * w, axis=0), cnt + jnp.sum(w, axis=0)]
        self._run("u", fn, yt, yp, _raw(sample_weight))

    def result(self):
        ns, sq, sm, mse, cnt = (v._read_raw() for v in self._variables)
        mean = sm / cnt
        total = sq - sm * mean
        raw = 1 - mse / total
        raw = jnp.where(jnp.isinf(raw), 0.0, raw)
        if self.class_aggregation == "uniform_average":
            r2 = jnp.mean(raw)
        elif self.class_aggregation == "variance_weighted_average":
            r2 = jnp.sum(total * raw) / jnp.sum(total)
        else:
            r2 = raw
        if self.num_regressors != 0:
            n = float(np.asarray(ns))
            p = float(self.num_regressors)
            if p < n - 1:
                r2 = 1.0 - (1.0 - r2) * (n - 1.0) / (n - p - 1.0)
        return Tensor(r2)

    def get_config(self):
        c = super().get_config()
        c.update(class_aggregation=self.class_aggregation, num_regressors=self.num_regressors)
        return c


CosineSimilarity._direction = R2Score._direction = "up"
for _cls in (MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredLogarithmicError,
             RootMeanSquaredError, LogCoshError):
    _cls._direction = "down"
