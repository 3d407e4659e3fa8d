"""Reduction metrics (``Sum``, ``Mean``, ``MeanMetricWrapper``) and the per-sample reduction they share."""

from __future__ import annotations

import jax.numpy as jnp

from tfjax._src.tensor import Tensor
from tfjax._src.keras import _signatures as _sig
from tfjax._src.keras.losses import losses as _losses
from tfjax._src.keras.metrics.base_metric import Metric, _floatx, _raw, _snake


def _apply_mask_sum(sample_weight, mask, dtype):
    if mask is None:
        return sample_weight
    fm = mask.astype(dtype)
    if sample_weight is None:
        return fm
    sw = sample_weight.astype(dtype)
    fm, sw = _losses.squeeze_or_expand_to_same_rank(fm, sw)
    return sw * fm


def reduce_to_samplewise_values(values, sample_weight, reduce_fn, dtype):
    values = values.astype(dtype)
    if sample_weight is not None:
        sample_weight = sample_weight.astype(dtype)
        values, sample_weight = _losses.squeeze_or_expand_to_same_rank(values, sample_weight)
        wn, vn = sample_weight.ndim, values.ndim
        if vn > wn:
            values = reduce_fn(values, axis=tuple(range(wn, vn)))
        sample_weight = jnp.broadcast_to(sample_weight, values.shape)
        values = values * sample_weight
        if wn > 1:
            sample_weight = reduce_fn(sample_weight, axis=tuple(range(1, wn)))
    if values.ndim > 1:
        values = reduce_fn(values, axis=tuple(range(1, values.ndim)))
    return values, sample_weight


def _mean_update(state, values, sample_weight, dtype):
    total, count = state
    values, sample_weight = reduce_to_samplewise_values(values, sample_weight, jnp.mean, dtype)
    total = total + jnp.sum(values)
    if sample_weight is not None:
        n = jnp.sum(sample_weight)
    elif values.ndim >= 1:
        n = values.shape[0]
    else:
        n = 1
    return [total, count + jnp.asarray(n, dtype)]


def _divide_no_nan(a, b):
    safe = jnp.where(b == 0, jnp.ones_like(b), b)
    return jnp.where(b == 0, jnp.zeros_like(a / safe), a / safe)


class Sum(Metric):
    def __init__(self, name="sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), name="total")

    def update_state(self, values, sample_weight=None):
        dt = self._dtype

        def fn(state, v, sw):
            v, _ = reduce_to_samplewise_values(v, sw, jnp.sum, dt)
            return [state[0] + jnp.sum(v)]
        self._run("u", fn, _raw(values), _raw(sample_weight))

    def result(self):
        return Tensor(self.total._read_raw().astype(self._dtype))


class Mean(Metric):
    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), name="total")
        self.count = self.add_variable(shape=(), name="count")

    def update_state(self, values, sample_weight=None):
        dt = self._dtype
        mask = getattr(values, "_keras_mask", None)
        sw = _raw(sample_weight)
        if mask is not None and sw is not None:
            sw = _apply_mask_sum(sw, _raw(mask), dt)
        self._run("u", lambda s, v, w: _mean_update(s, v, w, dt), _raw(values), sw)

    def result(self):
        return Tensor(_divide_no_nan(self.total._read_raw(), self.count._read_raw().astype(self._dtype)))


class MeanMetricWrapper(Mean):
    """Wraps ``fn(y_true, y_pred, **kwargs)`` (per-sample values) as a running mean."""

    _raw_fn = None   # a pure jnp fn(y_true, y_pred, **kwargs) for built-ins

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name=name or (getattr(fn, "__name__", None) if fn is not None else None)
                         or _snake(type(self).__name__), dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true, y_pred, sample_weight=None):
        dt = self._dtype
        mask = getattr(y_pred, "_keras_mask", None)
        if self._raw_fn is not None:
            raw_fn, kw = type(self)._raw_fn, self._fn_kwargs
            if "from_logits" in kw and getattr(y_pred, "_keras_logits", None) is not None:
                # Keras's TF backend computes crossentropy from a softmax/sigmoid output's logits.
                y_pred, kw = y_pred._keras_logits, dict(kw, from_logits=True)
            sw = _apply_mask_sum(_raw(sample_weight), _raw(mask), dt)

            def fn(state, yt, yp, w):
                values = raw_fn(yt, yp, **kw)
                if isinstance(values, tuple):   # (values, mask of the valid values)
                    values, valid = values
                    if w is not None:
                        w = _apply_mask_sum(w, valid, dt)
                return _mean_update(state, values, w, dt)
            self._run(("w", tuple(sorted(kw.items()))), fn, _raw(y_true), _raw(y_pred), sw)
            return
        values = self._fn(y_true, y_pred, **self._fn_kwargs)
        sw = _apply_mask_sum(_raw(sample_weight), _raw(mask), dt)
        values_mask = getattr(values, "_keras_mask", None)
        if values_mask is not None and sw is not None:
            sw = _apply_mask_sum(sw, _raw(values_mask), dt)
        self._run("v", lambda s, v, w: _mean_update(s, v, w, dt), _raw(values), sw)

    # Arguments Keras accepts but leaves out of get_config() (its configs omit them).
    _unlisted = frozenset()

    def get_config(self):
        c = super().get_config()
        c.update({k: v for k, v in self._fn_kwargs.items() if k not in self._unlisted})
        return c


def _wrapper(cls_name, raw_fn, default_name, params=(), unlisted=()):
    """A ``MeanMetricWrapper`` subclass of ``raw_fn``, constructed as Keras's class of that name.

    ``params``: Keras's ``__init__`` parameters as ``(name, default)`` pairs in Keras's order; a
    ``"name"``/``"dtype"`` entry places those two, else they come first (``(name, dtype, *params)``).
    """
    params = list(params)
    names = [n for n, _ in params]
    if "name" not in names:
        params = [("name", default_name)] + params
    if "dtype" not in names:
        params.insert([n for n, _ in params].index("name") + 1, ("dtype", None))

    @_sig.with_signature(params, qualname=f"{cls_name}.__init__")
    def __init__(self, name, dtype, **fn_kwargs):
        MeanMetricWrapper.__init__(self, fn=None, name=name, dtype=dtype, **fn_kwargs)
        for k, v in fn_kwargs.items():
            setattr(self, k, v)

    return type(cls_name, (MeanMetricWrapper,), {"_raw_fn": staticmethod(raw_fn), "__init__": __init__,
                                                 "_unlisted": frozenset(unlisted)})


def _float_inputs(raw):
    """A loss's per-sample function as a metric: both inputs cast to floatx first."""
    def f(y_true, y_pred, **kw):
        yp = y_pred.astype(_floatx())
        return raw(y_true.astype(yp.dtype), yp, **kw)
    return f
