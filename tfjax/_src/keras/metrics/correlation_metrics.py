"""``keras.metrics`` correlation metrics: ``pearson_correlation`` / ``concordance_correlation`` and their
running-mean classes (Keras's ``MeanMetricWrapper`` subclasses)."""

from __future__ import annotations

import jax.numpy as jnp

from tfjax._src import dispatch
from tfjax._src.keras import backend
from tfjax._src.keras.losses import losses as _losses
from tfjax._src.keras.metrics.reduction_metrics import _wrapper


def _pearson_raw(y_true, y_pred, axis=-1):
    y_true = y_true.astype(y_pred.dtype)
    y_true, y_pred = _losses.squeeze_or_expand_to_same_rank(y_true, y_pred)
    tn = y_true - jnp.mean(y_true, axis=axis, keepdims=True)
    pn = y_pred - jnp.mean(y_pred, axis=axis, keepdims=True)
    tn = tn / jnp.std(tn, axis=axis, keepdims=True)
    pn = pn / jnp.std(pn, axis=axis, keepdims=True)
    return jnp.mean(tn * pn, axis=axis)


def _concordance_raw(y_true, y_pred, axis=-1):
    y_true = y_true.astype(y_pred.dtype)
    y_true, y_pred = _losses.squeeze_or_expand_to_same_rank(y_true, y_pred)
    tm = jnp.mean(y_true, axis=axis, keepdims=True)
    pm = jnp.mean(y_pred, axis=axis, keepdims=True)
    tv = jnp.var(y_true - tm, axis=axis, keepdims=True)
    pv = jnp.var(y_pred - pm, axis=axis, keepdims=True)
    covar = (y_true - pm) * (y_pred - pm)
    norm = tv + pv + jnp.square(tm - pm)
    return jnp.mean(2 * covar / (norm + jnp.asarray(backend.epsilon(), norm.dtype)), axis=axis)


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def _pred(y_pred):
    from tfjax._src.keras.ops.core import t  # noqa: PLC0415
    y = t(y_pred)
    if y._value.dtype.kind not in "fc":
        from tfjax._src.keras.ops.core import convert_to_tensor  # noqa: PLC0415
        y = convert_to_tensor(y_pred)
    return y


def pearson_correlation(y_true, y_pred, axis=-1):
    """``keras.metrics.pearson_correlation``."""
    from tfjax._src.keras.ops.core import t  # noqa: PLC0415
    yp = _pred(y_pred)
    return dispatch.apply(_pearson_raw, t(y_true), yp, axis=_axis(axis))


def concordance_correlation(y_true, y_pred, axis=-1):
    """``keras.metrics.concordance_correlation``."""
    from tfjax._src.keras.ops.core import t  # noqa: PLC0415
    yp = _pred(y_pred)
    return dispatch.apply(_concordance_raw, t(y_true), yp, axis=_axis(axis))


def _metric_raw(raw):
    def f(y_true, y_pred, axis=-1):
        from tfjax._src.keras.metrics.base_metric import _floatx  # noqa: PLC0415
        yp = y_pred if y_pred.dtype.kind in "fc" else y_pred.astype(_floatx())
        return raw(y_true, yp, axis=_axis(axis))
    return f


PearsonCorrelation = _wrapper("PearsonCorrelation", _metric_raw(_pearson_raw), "pearson_correlation",
                              [("name", "pearson_correlation"), ("dtype", None), ("axis", -1)])
ConcordanceCorrelation = _wrapper("ConcordanceCorrelation", _metric_raw(_concordance_raw),
                                  "concordance_correlation",
                                  [("name", "concordance_correlation"), ("dtype", None), ("axis", -1)])
