"""Confusion-matrix metrics: true/false positive/negative counts, precision, recall and AUC."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from tfjax._src.tensor import Tensor
from tfjax._src.keras.losses import losses as _losses
from tfjax._src.keras.metrics.base_metric import EPSILON, NEG_INF, Metric, _raw
from tfjax._src.keras.metrics.reduction_metrics import _divide_no_nan


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


for _cls in (Precision, Recall, AUC, TruePositives, TrueNegatives):
    _cls._direction = "up"
FalsePositives._direction = FalseNegatives._direction = "down"


class SensitivitySpecificityBase(Metric):
    """Keras's base of the "X at fixed Y" metrics: tp/fp/tn/fn over ``num_thresholds`` even thresholds."""

    def __init__(self, value, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        if num_thresholds <= 0:
            raise ValueError(f"Argument `num_thresholds` must be an integer > 0. Received: "
                             f"num_thresholds={num_thresholds}")
        self.value = value
        self.class_id = class_id
        if num_thresholds == 1:
            self.thresholds = [0.5]
            self._thresholds_distributed_evenly = False
        else:
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self.thresholds = [0.0] + inner + [1.0]
            self._thresholds_distributed_evenly = True
        n = len(self.thresholds)
        self.true_positives = self.add_variable(shape=(n,), name="true_positives")
        self.false_positives = self.add_variable(shape=(n,), name="false_positives")
        self.true_negatives = self.add_variable(shape=(n,), name="true_negatives")
        self.false_negatives = self.add_variable(shape=(n,), name="false_negatives")

    def update_state(self, y_true, y_pred, sample_weight=None):
        thr, evenly, cid = self.thresholds, self._thresholds_distributed_evenly, self.class_id

        def fn(s, yt, yp, w):
            return _confusion_update(["tp", "fp", "tn", "fn"], s, yt, yp, w, thr, class_id=cid, evenly=evenly)
        self._run("u", fn, _raw(y_true), _raw(y_pred), _raw(sample_weight))

    def _rates(self):
        tp, fp, tn, fn = (v._read_raw() for v in (self.true_positives, self.false_positives, self.true_negatives,
                                                   self.false_negatives))
        return tp, fp, tn, fn

    def _find_max_under_constraint(self, constrained, dependent):
        feasible = constrained >= jnp.asarray(self.value, constrained.dtype)
        return Tensor(jnp.maximum(jnp.max(jnp.where(feasible, dependent, 0)), jnp.zeros((), dependent.dtype)))

    def get_config(self):
        c = super().get_config()
        c["class_id"] = self.class_id
        return c


class SensitivityAtSpecificity(SensitivitySpecificityBase):
    def __init__(self, specificity, num_thresholds=200, class_id=None, name=None, dtype=None):
        if specificity < 0 or specificity > 1:
            raise ValueError(f"Argument `specificity` must be in the range [0, 1]. Received: specificity={specificity}")
        self.specificity = specificity
        self.num_thresholds = num_thresholds
        super().__init__(specificity, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def result(self):
        tp, fp, tn, fn = self._rates()
        return self._find_max_under_constraint(_divide_no_nan(tn, tn + fp), _divide_no_nan(tp, tp + fn))

    def get_config(self):
        return {**super().get_config(), "num_thresholds": self.num_thresholds, "specificity": self.specificity}


class SpecificityAtSensitivity(SensitivitySpecificityBase):
    def __init__(self, sensitivity, num_thresholds=200, class_id=None, name=None, dtype=None):
        if sensitivity < 0 or sensitivity > 1:
            raise ValueError(f"Argument `sensitivity` must be in the range [0, 1]. Received: sensitivity={sensitivity}")
        self.sensitivity = sensitivity
        self.num_thresholds = num_thresholds
        super().__init__(sensitivity, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def result(self):
        tp, fp, tn, fn = self._rates()
        return self._find_max_under_constraint(_divide_no_nan(tp, tp + fn), _divide_no_nan(tn, tn + fp))

    def get_config(self):
        return {**super().get_config(), "num_thresholds": self.num_thresholds, "sensitivity": self.sensitivity}


class PrecisionAtRecall(SensitivitySpecificityBase):
    def __init__(self, recall, num_thresholds=200, class_id=None, name=None, dtype=None):
        if recall < 0 or recall > 1:
            raise ValueError(f"Argument `recall` must be in the range [0, 1]. Received: recall={recall}")
        self.recall = recall
        self.num_thresholds = num_thresholds
        super().__init__(value=recall, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def result(self):
        tp, fp, tn, fn = self._rates()
        return self._find_max_under_constraint(_divide_no_nan(tp, tp + fn), _divide_no_nan(tp, tp + fp))

    def get_config(self):
        return {**super().get_config(), "num_thresholds": self.num_thresholds, "recall": self.recall}


class RecallAtPrecision(SensitivitySpecificityBase):
    def __init__(self, precision, num_thresholds=200, class_id=None, name=None, dtype=None):
        if precision < 0 or precision > 1:
            raise ValueError(f"Argument `precision` must be in the range [0, 1]. Received: precision={precision}")
        self.precision = precision
        self.num_thresholds = num_thresholds
        super().__init__(value=precision, num_thresholds=num_thresholds, class_id=class_id, name=name,
                         dtype=dtype)

    def result(self):
        tp, fp, tn, fn = self._rates()
        return self._find_max_under_constraint(_divide_no_nan(tp, tp + fp), _divide_no_nan(tp, tp + fn))

    def get_config(self):
        return {**super().get_config(), "num_thresholds": self.num_thresholds, "precision": self.precision}
