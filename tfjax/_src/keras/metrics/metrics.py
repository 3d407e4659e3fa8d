"""``keras.metrics``: stateful metrics over tfjax Variables.

A metric's state is a list of tfjax ``Variable``s, so ``update_state`` works the
same eagerly and inside ``tf.function`` (the compiled train step captures and
updates the state). Built-in metrics implement their update as one pure ``jnp``
function of ``(state, y_true, y_pred, sample_weight)``: eagerly it runs as a
single ``jax.jit`` program, while tracing it is inlined into the caller's
program. Formulas follow Keras 3 (``reduce_to_samplewise_values``, confusion
matrix buckets, ...).

Metrics are not ``tf.Module``s; ``tf.function`` finds their state through
``_tfjax_tracked_variables`` and ``.variables``.
"""

from __future__ import annotations

import re

import jax
import jax.numpy as jnp
import numpy as np

from tfjax._src import variables as _vars
from tfjax._src.tensor import Tensor, to_array
from tfjax._src.variables import Variable
from tfjax._src.keras.losses import losses as _losses

EPSILON = 1e-7
NEG_INF = -1e10


def _assign_raw(var, value):
    scope = _vars.current_scope()
    if scope is None:
        var._value = value
    else:
        scope.write(var, value)


def _raw(x):
    if x is None:
        return None
    if isinstance(x, (Tensor, Variable)):
        return to_array(x)
    if isinstance(x, (jax.Array, jax.core.Tracer)):
        return x
    a = np.asarray(x)
    if a.dtype == np.float64:
        a = a.astype(np.float32)
    return jnp.asarray(a)


def _snake(name):
    s = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s).lower()


def _floatx():
    from tfjax._src.keras.mixed_precision import policy as _policy  # noqa: PLC0415
    return _policy.floatx()


class Metric:
    """``keras.metrics.Metric``: ``update_state`` / ``result`` / ``reset_state`` over Variables."""

    def __init__(self, dtype=None, name=None):
        self.name = name or _snake(type(self).__name__)
        if dtype is not None and hasattr(dtype, "compute_dtype"):
            dtype = dtype.compute_dtype
        self._dtype = np.dtype(getattr(dtype, "_np", dtype) if dtype is not None else _floatx()).name
        self._variables = []
        self._jits = {}
        self.built = True

    # -- state --------------------------------------------------------------------
    @property
    def dtype(self):
        return self._dtype

    @property
    def variables(self):
        out = list(self._variables)
        for v in vars(self).values():
            if isinstance(v, Metric) and v is not self:
                out.extend(v.variables)
        return out

    def _tfjax_tracked_variables(self):
        return self.variables

    def add_variable(self, shape=(), initializer="zeros", dtype=None, aggregation="sum", name=None):
        dtype = np.dtype(getattr(dtype, "_np", dtype) if dtype is not None else self._dtype)
        shape = tuple(shape)
        if callable(initializer) and not isinstance(initializer, str):
            value = np.asarray(initializer(shape, dtype)).astype(dtype)
        elif initializer in ("zeros", None):
            value = np.zeros(shape, dtype)
        elif initializer == "ones":
            value = np.ones(shape, dtype)
        else:
            raise ValueError(f"Unsupported initializer {initializer!r}")
        with _vars.init_scope():
            v = Variable(value, trainable=False, name=f"{self.name}/{name or 'variable'}")
        v.path = f"{self.name}/{name or 'variable'}"
        v._metric_initial = value
        self._variables.append(v)
        return v

    def add_weight(self, name=None, shape=(), initializer="zeros", dtype=None, aggregation="sum"):
        return self.add_variable(shape=shape, initializer=initializer, dtype=dtype, aggregation=aggregation,
                                 name=name)

    def reset_state(self):
        for v in self._variables:
            _assign_raw(v, jnp.asarray(getattr(v, "_metric_initial", np.zeros(tuple(v.shape), v.dtype._np))))

    def reset_states(self):
        self.reset_state()

    def update_state(self, *args, **kwargs):
        raise NotImplementedError

    def result(self):
        raise NotImplementedError

    def __call__(self, *args, **kwargs):
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self):
        return {"name": self.name, "dtype": self._dtype}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"

    # -- pure update machinery ---------------------------------------------------
    def _run(self, key, fn, *args):
        """Runs ``fn(state_arrays, *args) -> new state`` (jit eagerly, inlined while tracing)."""
        state_vars = self._variables
        if _vars.current_scope() is None:
            jitted = self._jits.get(key)
            if jitted is None:
                jitted = self._jits[key] = jax.jit(fn)
            new = jitted([v._value for v in state_vars], *args)
        else:
            new = fn([v._read_raw() for v in state_vars], *args)
        for v, x in zip(state_vars, new):
            _assign_raw(v, x)

    def _state(self):
        return [v._read_raw() for v in self._variables]


# ---------------------------------------------------------------------------
# reductions
# ---------------------------------------------------------------------------

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

    def __init__(self, fn=None, name=None, dtype=None, **kwargs):
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
                return _mean_update(state, raw_fn(yt, yp, **kw), w, dt)
            self._run(("w", tuple(sorted(kw.items()))), fn, _raw(y_true), _raw(y_pred), sw)
            return
        values = self._fn(y_true, y_pred, **self._fn_kwargs)
        sw = _apply_mask_sum(_raw(sample_weight), _raw(mask), dt)
        self._run("v", lambda s, v, w: _mean_update(s, v, w, dt), _raw(values), sw)

    # Arguments Keras accepts but leaves out of get_config() (its configs omit them).
    _unlisted = frozenset()

    def get_config(self):
        c = super().get_config()
        c.update({k: v for k, v in self._fn_kwargs.items() if k not in self._unlisted})
        return c


def _wrapper(cls_name, raw_fn, default_name, defaults=None, arg_order=(), unlisted=()):
    defaults = dict(defaults or {})

    def __init__(self, *args, name=default_name, dtype=None, **kwargs):
        for k, v in zip(arg_order, args):
            kwargs[k] = v
        params = dict(defaults)
        unknown = set(kwargs) - set(defaults)
        if unknown:
            raise TypeError(f"{cls_name}.__init__() got an unexpected keyword argument '{sorted(unknown)[0]}'")
        params.update(kwargs)
        MeanMetricWrapper.__init__(self, fn=None, name=name, dtype=dtype, **params)
        for k, v in params.items():
            setattr(self, k, v)

    return type(cls_name, (MeanMetricWrapper,), {"_raw_fn": staticmethod(raw_fn), "__init__": __init__,
                                                 "_unlisted": frozenset(unlisted)})


# ---------------------------------------------------------------------------
# accuracy family (raw jnp)
# ---------------------------------------------------------------------------

def _floatx_np():
    return _floatx()


def _accuracy_raw(y_true, y_pred):
    yt = y_true.astype(y_pred.dtype)
    yt, yp = _losses.squeeze_or_expand_to_same_rank(yt, y_pred)
    return (yt == yp).astype(_floatx_np())


def _binary_accuracy_raw(y_true, y_pred, threshold=0.5):
    yt, yp = _losses.squeeze_or_expand_to_same_rank(y_true, y_pred)
    yp = (yp > threshold).astype(yt.dtype)
    return (yt == yp).astype(_floatx_np())


def _categorical_accuracy_raw(y_true, y_pred):
    yt = jnp.argmax(y_true, axis=-1)
    reshape = False
    org_shape = yt.shape
    if yt.ndim == y_pred.ndim:
        yt = jnp.squeeze(yt, -1)
        reshape = True
    yp = jnp.argmax(y_pred, axis=-1)
    m = (yt.astype(jnp.int64) == yp.astype(jnp.int64)).astype(_floatx_np())
    if reshape:
        m = m.reshape(org_shape)
    return m


def _sparse_categorical_accuracy_raw(y_true, y_pred):
    yt = y_true.astype(y_pred.dtype)
    reshape = False
    org_shape = yt.shape
    if yt.ndim == y_pred.ndim and yt.shape[-1] == 1:
        yt = jnp.squeeze(yt, -1)
        reshape = True
    yp = jnp.argmax(y_pred, axis=-1).astype(yt.dtype)
    m = (yt == yp).astype(_floatx_np())
    if reshape:
        m = m.reshape(org_shape)
    if m.ndim > 1 and m.shape[-1] == 1:
        m = jnp.squeeze(m, -1)
    return m


def _in_top_k(targets, predictions, k):
    targets = targets.astype(jnp.int32)
    tgt = jnp.take_along_axis(predictions, targets[:, None], axis=-1)
    # TF's in_top_k: true iff fewer than k predictions are strictly larger (ties count as in).
    larger = jnp.sum(predictions > tgt, axis=-1)
    finite = jnp.all(jnp.isfinite(predictions), axis=-1)
    return (larger < k) & finite


def _top_k_categorical_accuracy_raw(y_true, y_pred, k=5):
    yt = jnp.argmax(y_true.astype(y_pred.dtype), axis=-1)
    org = yt.shape
    reshape = False
    yp = y_pred
    if yp.ndim > 2:
        yp = yp.reshape(-1, yp.shape[-1])
    if yt.ndim > 1:
        reshape = True
        yt = yt.reshape(-1)
    m = _in_top_k(yt, yp, k).astype(_floatx_np())
    return m.reshape(org) if reshape else m


def _sparse_top_k_categorical_accuracy_raw(y_true, y_pred, k=5, from_sorted_ids=False):
    yt = y_true.astype(y_pred.dtype if from_sorted_ids else jnp.int32)
    org = yt.shape
    reshape = False
    yp = y_pred
    if yp.ndim > 2:
        yp = yp.reshape(-1, yp.shape[-1])
    if yt.ndim > 1:
        reshape = True
        yt = yt.reshape(-1)
    if from_sorted_ids:
        m = jnp.any(yt[:, None] == yp[:, :k], axis=1)
    else:
        m = _in_top_k(yt, yp, k)
    m = m.astype(_floatx_np())
    return m.reshape(org) if reshape else m


Accuracy = _wrapper("Accuracy", _accuracy_raw, "accuracy")
BinaryAccuracy = _wrapper("BinaryAccuracy", _binary_accuracy_raw, "binary_accuracy", {"threshold": 0.5},
                          ("threshold",))
CategoricalAccuracy = _wrapper("CategoricalAccuracy", _categorical_accuracy_raw, "categorical_accuracy")
SparseCategoricalAccuracy = _wrapper("SparseCategoricalAccuracy", _sparse_categorical_accuracy_raw,
                                     "sparse_categorical_accuracy")
TopKCategoricalAccuracy = _wrapper("TopKCategoricalAccuracy", _top_k_categorical_accuracy_raw,
                                   "top_k_categorical_accuracy", {"k": 5}, ("k",))
SparseTopKCategoricalAccuracy = _wrapper("SparseTopKCategoricalAccuracy", _sparse_top_k_categorical_accuracy_raw,
                                         "sparse_top_k_categorical_accuracy", {"k": 5, "from_sorted_ids": False},
                                         ("k",), unlisted=("from_sorted_ids",))


def _probabilistic(raw):
    def f(y_true, y_pred, **kw):
        return raw(y_true, y_pred.astype(_floatx_np()), **kw)
    return f


def _float_inputs(raw):
    def f(y_true, y_pred, **kw):
        yp = y_pred.astype(_floatx_np())
        return raw(y_true.astype(yp.dtype), yp, **kw)
    return f


MeanSquaredError = _wrapper("MeanSquaredError", _float_inputs(_losses._mse), "mean_squared_error")
MeanAbsoluteError = _wrapper("MeanAbsoluteError", _float_inputs(_losses._mae), "mean_absolute_error")
MeanAbsolutePercentageError = _wrapper("MeanAbsolutePercentageError", _float_inputs(_losses._mape),
                                       "mean_absolute_percentage_error")
MeanSquaredLogarithmicError = _wrapper("MeanSquaredLogarithmicError", _float_inputs(_losses._msle),
                                       "mean_squared_logarithmic_error")
def _cosine_metric_raw(y_true, y_pred, axis=-1):
    return -_losses._cosine(y_true, y_pred, axis=axis)


CosineSimilarity = _wrapper("CosineSimilarity", _float_inputs(_cosine_metric_raw), "cosine_similarity", {"axis": -1},
                            ("axis",), unlisted=("axis",))
LogCoshError = _wrapper("LogCoshError", _float_inputs(_losses._log_cosh), "logcosh")
Hinge = _wrapper("Hinge", _float_inputs(_losses._hinge), "hinge")
SquaredHinge = _wrapper("SquaredHinge", _float_inputs(_losses._squared_hinge), "squared_hinge")
CategoricalHinge = _wrapper("CategoricalHinge", _float_inputs(_losses._categorical_hinge), "categorical_hinge")
KLDivergence = _wrapper("KLDivergence", _float_inputs(_losses._kld), "kl_divergence")
Poisson = _wrapper("Poisson", _float_inputs(_losses._poisson), "poisson")
BinaryCrossentropy = _wrapper("BinaryCrossentropy", _float_inputs(_losses._bce), "binary_crossentropy",
                              {"from_logits": False, "label_smoothing": 0.0}, ("from_logits", "label_smoothing"))
CategoricalCrossentropy = _wrapper("CategoricalCrossentropy", _float_inputs(_losses._cce),
                                   "categorical_crossentropy",
                                   {"from_logits": False, "label_smoothing": 0.0, "axis": -1},
                                   ("from_logits", "label_smoothing", "axis"))
SparseCategoricalCrossentropy = _wrapper(
    "SparseCategoricalCrossentropy", _probabilistic(_losses._sparse_cce), "sparse_categorical_crossentropy",
    {"from_logits": False, "axis": -1}, ("from_logits",))


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


# ---------------------------------------------------------------------------
# confusion-matrix metrics
# ---------------------------------------------------------------------------

def _filter_top_k(x, k):
    _, idx = jax.lax.top_k(x, k)
    mask = jnp.sum(jax.nn.one_hot(idx, x.shape[-1], dtype=x.dtype), axis=-2)
    return x * mask + NEG_INF * (1 - mask)


def _confusion_update(state_keys, state, y_true, y_pred, sample_weight, thresholds, top_k=None, class_id=None,
                      multi_label=False, label_weights=None, evenly=False, thresholds_with_epsilon=False):
    dt = state[0].dtype
    yt = y_true.astype(dt)
    yp = y_pred.astype(dt)
    thr = jnp.asarray(thresholds, dt)
    T = thr.shape[0]
    yp, yt = _losses.squeeze_or_expand_to_same_rank(yp, yt)
    sw = None
    if sample_weight is not None:
        sw = jnp.expand_dims(sample_weight.astype(dt), -1)
        _, sw = _losses.squeeze_or_expand_to_same_rank(yt, sw, expand_rank_1=False)
    if top_k is not None:
        yp = _filter_top_k(yp, top_k)
    if class_id is not None:
        yt = yt[..., class_id, None]
        yp = yp[..., class_id, None]
    new = dict(zip(state_keys, state))
    if evenly:
        w = 1.0 if sw is None else jnp.broadcast_to(sw.astype(dt), yp.shape)
        lw = 1.0
        if label_weights is not None:
            lw = jnp.broadcast_to(jnp.expand_dims(label_weights, 0), yp.shape)
        weights = (w * lw) if not (isinstance(w, float) and isinstance(lw, float)) else 1.0
        yp = jnp.clip(yp, 0.0, 1.0)
        yt = (yt != 0).astype(dt)
        if not multi_label:
            yt = yt.reshape(-1)
            yp = yp.reshape(-1)
            if not isinstance(weights, float):
                weights = weights.reshape(-1)
        true_labels = yt * weights
        false_labels = (1.0 - yt) * weights
        bucket = jnp.ceil(yp * (T - 1)) - 1
        if thresholds_with_epsilon:
            bucket = jnp.maximum(bucket, 0)
        bucket = bucket.astype(jnp.int32)
        if multi_label:
            seg = jax.vmap(lambda d, i: jax.ops.segment_sum(d, i, num_segments=T), in_axes=(1, 1))
            tp = jnp.flip(jnp.cumsum(jnp.flip(seg(true_labels, bucket), 1), axis=1), 1).T
            fp = jnp.flip(jnp.cumsum(jnp.flip(seg(false_labels, bucket), 1), axis=1), 1).T
            tot_t = jnp.sum(true_labels, axis=0)
            tot_f = jnp.sum(false_labels, axis=0)
        else:
            tp = jnp.flip(jnp.cumsum(jnp.flip(jax.ops.segment_sum(true_labels, bucket, num_segments=T))))
            fp = jnp.flip(jnp.cumsum(jnp.flip(jax.ops.segment_sum(false_labels, bucket, num_segments=T))))
            tot_t = jnp.sum(true_labels)
            tot_f = jnp.sum(false_labels)
        vals = {"tp": tp, "fp": fp, "tn": tot_f - fp, "fn": tot_t - tp}
        for k in state_keys:
            new[k] = new[k] + vals[k]
        return [new[k] for k in state_keys]
    # generic thresholds: compare every prediction with every threshold
    if multi_label:
        preds = yp[None]                     # [1, N, L]
        labels = (yt != 0)[None]
        thr_b = thr.reshape(T, 1, 1)
    else:
        preds = yp.reshape(1, -1)
        labels = (yt != 0).reshape(1, -1)
        thr_b = thr.reshape(T, 1)
    pred_pos = preds > thr_b
    weights = None
    if sw is not None:
        wb = jnp.broadcast_to(sw.astype(dt), yp.shape)
        weights = wb[None] if multi_label else wb.reshape(1, -1)
    if label_weights is not None and not multi_label:
        lw = jnp.broadcast_to(jnp.expand_dims(label_weights, 0), yp.shape).reshape(1, -1)
        weights = lw if weights is None else weights * lw

    def add(lab, pr):
        both = lab & pr
        if weights is not None:
            r = jnp.where(both, weights.astype(dt), 0)
        else:
            r = both.astype(dt)
        return jnp.sum(r, 1)
    conds = {"tp": (labels, pred_pos), "fn": (labels, ~pred_pos), "fp": (~labels, pred_pos),
             "tn": (~labels, ~pred_pos)}
    for k in state_keys:
        lab, pr = conds[k]
        new[k] = new[k] + add(jnp.broadcast_to(lab, pr.shape), pr)
    return [new[k] for k in state_keys]


def _parse_thresholds(thresholds, default):
    if thresholds is None:
        return [default], False
    if isinstance(thresholds, (list, tuple)):
        return [float(t) for t in thresholds], True
    return [float(thresholds)], False


class _ConfusionMatrixConditionCount(Metric):
    _key = None

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.thresholds, self._list = _parse_thresholds(thresholds, 0.5)
        self.accumulator = self.add_variable(shape=(len(self.thresholds),), name="accumulator")

    def update_state(self, y_true, y_pred, sample_weight=None):
        key, thr = self._key, self.thresholds
        self._run("u", lambda s, yt, yp, w: _confusion_update([key], s, yt, yp, w, thr),
                  _raw(y_true), _raw(y_pred), _raw(sample_weight))

    def result(self):
        v = self.accumulator._read_raw()
        return Tensor(v if self._list else v[0])

    def get_config(self):
        c = super().get_config()
        c["thresholds"] = self.init_thresholds
        return c


class TruePositives(_ConfusionMatrixConditionCount):
    _key = "tp"


class FalsePositives(_ConfusionMatrixConditionCount):
    _key = "fp"


class TrueNegatives(_ConfusionMatrixConditionCount):
    _key = "tn"


class FalseNegatives(_ConfusionMatrixConditionCount):
    _key = "fn"


class _PrecisionRecall(Metric):
    _keys = ()

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        default = NEG_INF if top_k is not None else 0.5
        self.thresholds, self._list = _parse_thresholds(thresholds, default)
        n = len(self.thresholds)
        self.true_positives = self.add_variable(shape=(n,), name="true_positives")
        other = "false_positives" if self._keys[1] == "fp" else "false_negatives"
        setattr(self, other, self.add_variable(shape=(n,), name=other))

    def update_state(self, y_true, y_pred, sample_weight=None):
        keys, thr, k, c = self._keys, self.thresholds, self.top_k, self.class_id
        self._run("u", lambda s, yt, yp, w: _confusion_update(list(keys), s, yt, yp, w, thr, top_k=k, class_id=c),
                  _raw(y_true), _raw(y_pred), _raw(sample_weight))

    def result(self):
        tp, other = self._variables[0]._read_raw(), self._variables[1]._read_raw()
        r = _divide_no_nan(tp, tp + other)
        return Tensor(r if self._list else r[0])

    def get_config(self):
        c = super().get_config()
        c.update(thresholds=self.init_thresholds, top_k=self.top_k, class_id=self.class_id)
        return c


class Precision(_PrecisionRecall):
    _keys = ("tp", "fp")


class Recall(_PrecisionRecall):
    _keys = ("tp", "fn")


class AUC(Metric):
    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation", name=None, dtype=None,
                 thresholds=None, multi_label=False, num_labels=None, label_weights=None, from_logits=False):
        super().__init__(name=name, dtype=dtype)
        if thresholds is not None:
            self.num_thresholds = len(thresholds) + 2
            thresholds = sorted(thresholds)
            n = len(thresholds) + 2
            even = np.arange(n, dtype=np.float32) / (n - 1)
            self._thresholds_distributed_evenly = n >= 3 and np.allclose(
                np.array([0.0] + thresholds + [1.0]), even, atol=EPSILON)
        else:
            if num_thresholds <= 1:
                raise ValueError(f"Argument `num_thresholds` must be an integer > 1. Received: "
                                 f"num_thresholds={num_thresholds}")
            self.num_thresholds = num_thresholds
            thresholds = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self._thresholds_distributed_evenly = True
        self._thresholds = np.array([0.0 - EPSILON] + thresholds + [1.0 + EPSILON])
        self.curve = str(curve).upper()
        if self.curve not in ("ROC", "PR", "PRGAIN"):
            raise ValueError(f'Invalid AUC curve value: "{curve}". Expected values are ["PR", "ROC", "PRGAIN"]')
        self.summation_method = str(summation_method).lower()
        if self.summation_method not in ("interpolation", "majoring", "minoring"):
            raise ValueError(f'Invalid AUC summation method value: "{summation_method}".')
        self.multi_label = multi_label
        self.num_labels = num_labels
        if isinstance(label_weights, dict):
            # get_config() writes the weights as a serialized tensor (as Keras does, which cannot read it back).
            from tfjax._src.keras.saving.serialization_lib import deserialize_keras_object  # noqa: PLC0415
            label_weights = np.asarray(deserialize_keras_object(label_weights))
        self.label_weights = None if label_weights is None else jnp.asarray(label_weights, self._dtype)
        self._from_logits = from_logits
        self._built = False
        if multi_label:
            if num_labels:
                self._build([None, num_labels])
        else:
            if num_labels:
                raise ValueError("`num_labels` is needed only when `multi_label` is True.")
            self._build(None)

    @property
    def thresholds(self):
        return list(self._thresholds)

    def _build(self, shape):
        vshape = (self.num_thresholds, shape[1]) if self.multi_label else (self.num_thresholds,)
        self.true_positives = self.add_variable(shape=vshape, name="true_positives")
        self.false_positives = self.add_variable(shape=vshape, name="false_positives")
        self.true_negatives = self.add_variable(shape=vshape, name="true_negatives")
        self.false_negatives = self.add_variable(shape=vshape, name="false_negatives")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        if not self._built:
            self._build(tuple(np.shape(_raw(y_pred))))
        thr = self._thresholds
        evenly = self._thresholds_distributed_evenly
        with_eps = bool(thr[0] < 0.0 or thr[-1] > 1.0)
        lw = None if self.multi_label else self.label_weights
        ml, fl = self.multi_label, self._from_logits

        def fn(s, yt, yp, w):
            if fl:
                yp = jax.nn.sigmoid(yp)
            return _confusion_update(["tp", "fp", "tn", "fn"], s, yt, yp, w, thr, multi_label=ml,
                                     label_weights=lw, evenly=evenly, thresholds_with_epsilon=with_eps)
        self._run("u", fn, _raw(y_true), _raw(y_pred), _raw(sample_weight))

    def _label_avg(self, by_label):
        if self.multi_label:
            if self.label_weights is None:
                return jnp.mean(by_label)
            return _divide_no_nan(jnp.sum(by_label * self.label_weights), jnp.sum(self.label_weights))
        return jnp.sum(by_label)

    def result(self):
        tp, fp, tn, fn = (v._read_raw() for v in (self.true_positives, self.false_positives, self.true_negatives,
                                                  self.false_negatives))
        T = self.num_thresholds
        if self.curve == "PR" and self.summation_method == "interpolation":
            dtp = tp[:T - 1] - tp[1:]
            p = tp + fp
            dp = p[:T - 1] - p[1:]
            slope = _divide_no_nan(dtp, jnp.maximum(dp, 0))
            intercept = tp[1:] - slope * p[1:]
            ratio = jnp.where((p[:T - 1] > 0) & (p[1:] > 0), _divide_no_nan(p[:T - 1], jnp.maximum(p[1:], 0)),
                              jnp.ones_like(p[1:]))
            inc = _divide_no_nan(slope * (dtp + intercept * jnp.log(ratio)), jnp.maximum(tp[1:] + fn[1:], 0))
            if self.multi_label:
                return Tensor(self._label_avg(jnp.sum(inc, axis=0)))
            return Tensor(jnp.sum(inc))
        recall = _divide_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            x, y = _divide_no_nan(fp, fp + tn), recall
        elif self.curve == "PR":
            x, y = recall, _divide_no_nan(tp, tp + fp)
        else:
            scale = _divide_no_nan(tp + fn, tn + fp)
            rg = 1.0 - scale * _divide_no_nan(fn, tp)
            pg = 1.0 - scale * _divide_no_nan(fp, tp)
            rg = jnp.maximum(jnp.where(tp == 0, 0.0, rg), 0.0)
            pg = jnp.where(tp == 0, 1.0, pg)
            x, y = rg, pg
        if self.summation_method == "interpolation":
            heights = (y[:T - 1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = jnp.minimum(y[:T - 1], y[1:])
        else:
            heights = jnp.maximum(y[:T - 1], y[1:])
        terms = (x[:T - 1] - x[1:]) * heights
        if self.multi_label:
            return Tensor(self._label_avg(jnp.sum(terms, axis=0)))
        return Tensor(jnp.sum(terms))

    def get_config(self):
        c = super().get_config()
        c.update(num_thresholds=self.num_thresholds, curve=self.curve, summation_method=self.summation_method,
                 multi_label=self.multi_label, num_labels=self.num_labels,
                 label_weights=None if self.label_weights is None else Tensor(self.label_weights),
                 from_logits=self._from_logits)
        return c


# ---------------------------------------------------------------------------
# IoU, F-scores, R2
# ---------------------------------------------------------------------------

class _IoUBase(Metric):
    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_true=True,
                 sparse_y_pred=True, axis=-1):
        super().__init__(name=name, dtype=dtype or "int64")
        self.num_classes = num_classes
        self.ignore_class = ignore_class
        self.sparse_y_true = sparse_y_true
        self.sparse_y_pred = sparse_y_pred
        self.axis = axis
        self.total_cm = self.add_variable(shape=(num_classes, num_classes), name="total_confusion_matrix")

    def update_state(self, y_true, y_pred, sample_weight=None):
        nc, ic, st, sp, ax, dt = (self.num_classes, self.ignore_class, self.sparse_y_true, self.sparse_y_pred,
                                  self.axis, self._dtype)

        def fn(s, yt, yp, w):
            if not st:
                yt = jnp.argmax(yt, axis=ax)
            if not sp:
                yp = jnp.argmax(yp, axis=ax)
            yt = yt.astype(dt).reshape(-1)
            yp = yp.astype(dt).reshape(-1)
            w = jnp.ones((), dt) if w is None else w.astype(dt)
            if w.ndim > 1:
                w = w.reshape(-1)
            w = jnp.broadcast_to(w, yt.shape)
            ok = (yt >= 0) & (yt < nc) & (yp >= 0) & (yp < nc)
            if ic is not None:
                ok = ok & (yt != ic)
            yt = jnp.where(ok, yt, 0).astype(jnp.int32)
            yp = jnp.where(ok, yp, 0).astype(jnp.int32)
            w = jnp.where(ok, w, 0)
            cm = jnp.zeros((nc, nc), dt).at[yt, yp].add(w)
            return [s[0] + cm]
        self._run("u", fn, _raw(y_true), _raw(y_pred), _raw(sample_weight))

    def _iou_result(self, ids=None):
        cm = self.total_cm._read_raw()
        dt = self._dtype
        rows = jnp.sum(cm, axis=0).astype(dt)
        cols = jnp.sum(cm, axis=1).astype(dt)
        tp = jnp.diagonal(cm).astype(dt)
        denom = rows + cols - tp
        if ids is not None:
            ids = jnp.asarray(ids, jnp.int32)
            tp, denom = tp[ids], denom[ids]
        denom = denom.astype(jnp.float32)
        tp = tp.astype(jnp.float32)
        valid = (denom > 1e-9).astype(jnp.float32)
        iou = jnp.where(valid > 0, tp / (denom + EPSILON), 0.0)
        return Tensor(jnp.sum(iou) / (jnp.sum(valid) + EPSILON))

    def get_config(self):
        c = super().get_config()
        c.update(num_classes=self.num_classes, ignore_class=self.ignore_class, sparse_y_true=self.sparse_y_true,
                 sparse_y_pred=self.sparse_y_pred, axis=self.axis)
        return c


class MeanIoU(_IoUBase):
    def result(self):
        return self._iou_result()


class IoU(_IoUBase):
    def __init__(self, num_classes, target_class_ids, name=None, dtype=None, ignore_class=None,
                 sparse_y_true=True, sparse_y_pred=True, axis=-1):
        super().__init__(num_classes, name=name, dtype=dtype, ignore_class=ignore_class,
                         sparse_y_true=sparse_y_true, sparse_y_pred=sparse_y_pred, axis=axis)
        self.target_class_ids = list(target_class_ids)

    def result(self):
        return self._iou_result(self.target_class_ids)


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


# ---------------------------------------------------------------------------
# direction (used by monitor callbacks in mode="auto")
# ---------------------------------------------------------------------------

for _cls in (Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy, TopKCategoricalAccuracy,
             SparseTopKCategoricalAccuracy, CosineSimilarity, Precision, Recall, AUC, MeanIoU, IoU, FBetaScore,
             R2Score, TruePositives, TrueNegatives):
    _cls._direction = "up"
for _cls in (MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredLogarithmicError,
             RootMeanSquaredError, LogCoshError, Hinge, SquaredHinge, CategoricalHinge, KLDivergence, Poisson,
             BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy, FalsePositives,
             FalseNegatives):
    _cls._direction = "down"


# ---------------------------------------------------------------------------
# function forms
# ---------------------------------------------------------------------------

def _metric_fn(raw, name):
    def f(y_true, y_pred, **kw):
        return Tensor(raw(_raw(y_true), _raw(y_pred), **kw))
    f.__name__ = name
    return f


accuracy = _metric_fn(_accuracy_raw, "accuracy")
binary_accuracy = _metric_fn(_binary_accuracy_raw, "binary_accuracy")
categorical_accuracy = _metric_fn(_categorical_accuracy_raw, "categorical_accuracy")
sparse_categorical_accuracy = _metric_fn(_sparse_categorical_accuracy_raw, "sparse_categorical_accuracy")
top_k_categorical_accuracy = _metric_fn(_top_k_categorical_accuracy_raw, "top_k_categorical_accuracy")
sparse_top_k_categorical_accuracy = _metric_fn(_sparse_top_k_categorical_accuracy_raw,
                                               "sparse_top_k_categorical_accuracy")
