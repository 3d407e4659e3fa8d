"""``compile()``'s loss and metrics containers (Keras 3 ``CompileLoss`` / ``CompileMetrics``).

Supports a single output, and several outputs given as a list/tuple or a dict
(keyed by the model's output names), with per-output losses, ``loss_weights``,
per-output metric lists and ``weighted_metrics``. With several losses each one
also gets a ``{output}_loss`` Mean tracker, as in Keras.
"""

from __future__ import annotations

from tfjax._src import nest
from tfjax._src.keras import losses as losses_module
from tfjax._src.keras import metrics as metrics_module
from tfjax._src.keras.metrics.base_metric import Metric
from tfjax._src.keras.metrics.reduction_metrics import Mean


def _shape(x):
    s = getattr(x, "shape", None)
    if s is None:
        import numpy as np  # noqa: PLC0415
        s = np.shape(x)
    if hasattr(s, "as_list"):
        s = s.as_list() if s.rank is not None else []
    return tuple(s)


def is_binary_or_sparse_categorical(y_true, y_pred):
    ts, ps = _shape(y_true), _shape(y_pred)
    is_binary = bool(ps) and ps[-1] == 1
    is_sparse = len(ts) < len(ps) or (bool(ts) and bool(ps) and ts[-1] == 1 and ps[-1] > 1)
    return is_binary, is_sparse


def _object_name(obj):
    if hasattr(obj, "name") and isinstance(getattr(obj, "name"), str):
        return obj.name
    if hasattr(obj, "__name__"):
        return obj.__name__
    return type(obj).__name__.lower()


def get_metric(identifier, y_true, y_pred):
    if identifier is None:
        raise ValueError("Expected metric, received `None`")
    if str(identifier).lower() not in ("accuracy", "acc"):
        obj = metrics_module.get(identifier)
    else:
        is_binary, is_sparse = is_binary_or_sparse_categorical(y_true, y_pred)
        if is_binary:
            obj = metrics_module.BinaryAccuracy(name=str(identifier))
        elif is_sparse:
            obj = metrics_module.SparseCategoricalAccuracy(name=str(identifier))
        else:
            obj = metrics_module.CategoricalAccuracy(name=str(identifier))
    name = identifier if isinstance(identifier, str) else _object_name(obj)
    if not isinstance(obj, Metric):
        obj = metrics_module.MeanMetricWrapper(obj)
    obj.name = name
    return obj


class MetricsList:
    def __init__(self, metrics, output_name=None):
        self.metrics = metrics
        self.output_name = output_name

    def update_state(self, y_true, y_pred, sample_weight=None):
        for m in self.metrics:
            m.update_state(y_true, y_pred, sample_weight=sample_weight)

    def reset_state(self):
        for m in self.metrics:
            m.reset_state()


def _metrics_list(metrics, y_true, y_pred, output_name=None):
    if metrics is None:
        return None
    if not isinstance(metrics, (list, tuple)):
        metrics = [metrics]
    return MetricsList([get_metric(m, y_true, y_pred) for m in metrics], output_name)


def _flat_outputs(y_pred, output_names):
    """(list of outputs, names) for the model's output structure."""
    if isinstance(y_pred, dict):
        names = list(output_names) if output_names and set(output_names) == set(y_pred) else sorted(y_pred)
        return [y_pred[n] for n in names], names
    flat = nest.flatten(y_pred)
    if output_names and len(output_names) == len(flat):
        return flat, list(output_names)
    return flat, [None] * len(flat)


def _flat_targets(y_true, names, n):
    if isinstance(y_true, dict):
        return [y_true[k] for k in names]
    flat = nest.flatten(y_true)
    if n == 1 and len(flat) != 1:
        return [y_true]
    return flat


class CompileMetrics(Metric):
    def __init__(self, metrics, weighted_metrics, output_names=None):
        super().__init__(name="compile_metrics")
        if metrics and not isinstance(metrics, (list, tuple, dict)):
            raise ValueError(f"Expected `metrics` argument to be a list, tuple, or dict. Received instead: "
                             f"metrics={metrics} of type {type(metrics)}")
        if weighted_metrics and not isinstance(weighted_metrics, (list, tuple, dict)):
            raise ValueError(f"Expected `weighted_metrics` argument to be a list, tuple, or dict. Received "
                             f"instead: weighted_metrics={weighted_metrics} of type {type(weighted_metrics)}")
        self._user_metrics = metrics
        self._user_weighted_metrics = weighted_metrics
        self.output_names = output_names
        self.built = False
        self._flat_metrics = []
        self._flat_weighted_metrics = []

    @property
    def metrics(self):
        out = []
        for m in self._flat_metrics + self._flat_weighted_metrics:
            if m is not None:
                out.extend(m.metrics)
        return out

    @property
    def variables(self):
        out = []
        for m in self.metrics:
            out.extend(m.variables)
        return out

    def _build_set(self, metrics, outs, names, targets):
        n = len(outs)
        if not metrics:
            return [None] * n
        if n == 1:
            return [_metrics_list(nest.flatten(metrics) if isinstance(metrics, (list, tuple)) else metrics,
                                  targets[0], outs[0], None)]
        if isinstance(metrics, dict):
            return [_metrics_list(metrics.get(nm), t, o, nm) for t, o, nm in zip(targets, outs, names)]
        if isinstance(metrics, (list, tuple)) and len(metrics) == n and all(
                isinstance(m, (list, tuple)) or m is None for m in metrics):
            return [_metrics_list(m, t, o, nm) for m, t, o, nm in zip(metrics, targets, outs, names)]
        # the same metrics for every output
        return [_metrics_list(list(metrics) if isinstance(metrics, (list, tuple)) else metrics, t, o, nm)
                for t, o, nm in zip(targets, outs, names)]

    def build(self, y_true, y_pred):
        outs, names = _flat_outputs(y_pred, self.output_names)
        targets = _flat_targets(y_true, names, len(outs))
        self._names = names
        self._n = len(outs)
        self._flat_metrics = self._build_set(self._user_metrics, outs, names, targets)
        self._flat_weighted_metrics = self._build_set(self._user_weighted_metrics, outs, names, targets)
        self.built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        if not self.built:
            self.build(y_true, y_pred)
        outs, names = _flat_outputs(y_pred, self.output_names)
        targets = _flat_targets(y_true, names, len(outs))
        for m, t, o in zip(self._flat_metrics, targets, outs):
            if m:
                m.update_state(t, o)
        if sample_weight is not None:
            sws = [sample_weight[k] for k in names] if isinstance(sample_weight, dict) else nest.flatten(sample_weight)
            if len(sws) < len(targets):
                sws = [sws[0]] * len(targets)
        else:
            sws = [None] * len(targets)
        for m, t, o, w in zip(self._flat_weighted_metrics, targets, outs, sws):
            if m:
                m.update_state(t, o, w)

    def reset_state(self):
        for m in self._flat_metrics + self._flat_weighted_metrics:
            if m:
                m.reset_state()

    def result(self):
        if not self.built:
            raise ValueError("Cannot get result() since the metric has not yet been built.")
        results = {}
        counters = {}
        for mls in self._flat_metrics:
            if not mls:
                continue
            for m in mls.metrics:
                name = f"{mls.output_name}_{m.name}" if mls.output_name else m.name
                if name not in counters:
                    results[name] = m.result()
                    counters[name] = 1
                else:
                    idx = counters[name]
                    counters[name] += 1
                    results[f"{name}_{idx}"] = m.result()
        for mls in self._flat_weighted_metrics:
            if not mls:
                continue
            for m in mls.metrics:
                name = f"{mls.output_name}_{m.name}" if mls.output_name else m.name
                if name not in counters:
                    results[name] = m.result()
                    counters[name] = 1
                else:
                    name = f"weighted_{m.name}"
                    if mls.output_name:
                        name = f"{mls.output_name}_{name}"
                    if name not in counters:
                        counters[name] = 1
                    else:
                        idx = counters[name]
                        counters[name] += 1
                        name = f"{name}_{idx}"
                    results[name] = m.result()
        return results


def get_loss(identifier, y_true, y_pred):
    if identifier is None:
        return None
    if str(identifier).lower() in ("crossentropy", "ce"):
        is_binary, is_sparse = is_binary_or_sparse_categorical(y_true, y_pred)
        if is_binary:
            obj = losses_module.binary_crossentropy
        elif is_sparse:
            obj = losses_module.sparse_categorical_crossentropy
        else:
            obj = losses_module.categorical_crossentropy
    else:
        obj = losses_module.get(identifier)
    if not isinstance(obj, losses_module.Loss):
        name = identifier if isinstance(identifier, str) else _object_name(obj)
        obj = losses_module.LossFunctionWrapper(obj, name=name)
    return obj


class CompileLoss:
    def __init__(self, loss, loss_weights=None, reduction="sum_over_batch_size", output_names=None):
        if loss_weights and not isinstance(loss_weights, (list, tuple, dict, float, int)):
            raise ValueError("Expected `loss_weights` argument to be a float (single output case) or a list, "
                             f"tuple, or dict (multiple output case). Received instead: loss_weights="
                             f"{loss_weights} of type {type(loss_weights)}")
        self._user_loss = loss
        self._user_loss_weights = loss_weights
        self.output_names = output_names
        self.built = False
        self._flat = []        # (index into flat outputs, loss obj, weight, name)
        self.metrics = []

    @property
    def variables(self):
        out = []
        for m in self.metrics:
            out.extend(m.variables)
        return out

    def build(self, y_true, y_pred):
        outs, names = _flat_outputs(y_pred, self.output_names)
        targets = _flat_targets(y_true, names, len(outs))
        n = len(outs)
        loss, weights = self._user_loss, self._user_loss_weights
        if isinstance(loss, dict):
            losses = [loss.get(nm) for nm in names]
        elif isinstance(loss, (list, tuple)):
            if len(loss) != n:
                raise ValueError(f"For a model with {n} outputs, `loss` should have {n} entries. Received: "
                                 f"loss={loss}")
            losses = list(loss)
        else:
            losses = [loss] * n
        if weights is None:
            ws = [None] * n
        elif isinstance(weights, dict):
            ws = [weights.get(nm) for nm in names]
        elif isinstance(weights, (list, tuple)):
            ws = list(weights)
            if len([l for l in losses if l is not None]) == len(ws) and len(ws) != n:
                it = iter(ws)
                ws = [next(it) if l is not None else None for l in losses]
        else:
            ws = [weights] * n
        self._flat = []
        for i, (l, w, nm) in enumerate(zip(losses, ws, names)):
            if l is None:
                continue
            obj = get_loss(l, targets[i], outs[i])
            self._flat.append((i, obj, w, nm if nm is not None else obj.name))
        if len(self._flat) > 1:
            self.metrics = [Mean(name=f"{nm}_loss") for _, _, _, nm in self._flat]
        self.built = True

    def __call__(self, y_true, y_pred, sample_weight=None):
        if not self.built:
            self.build(y_true, y_pred)
        outs, names = _flat_outputs(y_pred, self.output_names)
        targets = _flat_targets(y_true, names, len(outs))
        if sample_weight is not None and (isinstance(sample_weight, dict) or
                                          (isinstance(sample_weight, (list, tuple)) and len(outs) > 1)):
            sws = [sample_weight[k] for k in names] if isinstance(sample_weight, dict) else list(sample_weight)
        else:
            sws = [sample_weight] * len(outs)
        from tfjax._src.ops import math_ops  # noqa: PLC0415
        from tfjax._src import dtypes  # noqa: PLC0415
        values = []
        metrics = self.metrics or [None] * len(self._flat)
        for (i, fn, w, _), m in zip(self._flat, metrics):
            v = fn(targets[i], outs[i], sws[i])
            if v.dtype != dtypes.float32:
                v = math_ops.cast(v, dtypes.float32)
            if m is not None:
                m.update_state(v, sample_weight=_batch_size(outs[i]))
            if w is not None:
                v = v * w
            values.append(v)
        if not values:
            return None
        total = values[0]
        for v in values[1:]:
            total = total + v
        return total


def _batch_size(x):
    s = _shape(nest.flatten(x)[0])
    return s[0] if s else 1
