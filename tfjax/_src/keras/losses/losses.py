"""``keras.losses``: Keras 3 losses, class and function forms.

Each loss is one module-level ``jnp`` function of ``(y_true, y_pred)`` run
through ``dispatch.apply``, so a GradientTape records it as a single op and its
gradient is JAX's. The formulas follow Keras's TensorFlow backend step for step
(clipping to ``epsilon``, ``_keras_logits`` of softmax/sigmoid outputs).
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np

from tfjax._src import dispatch
from tfjax._src import dtypes as _dtypes
from tfjax._src.ops.binary_ops import _maximum_raw
from tfjax._src.ops.clip_ops import _clip as _tf_clip
from tfjax._src.ops.math_ops import _abs as _tf_abs
from tfjax._src.ops.nn_ops import _sigmoid_ce
from tfjax._src.tensor import Tensor, convert_to_tensor
from tfjax._src.keras import _signatures as _sig

EPSILON = 1e-7


def _as_tensor(x, dtype=None):
    if isinstance(x, Tensor) and (dtype is None or x._value.dtype == dtype):
        return x
    if isinstance(x, Tensor):
        from tfjax._src.ops import math_ops  # noqa: PLC0415
        return math_ops.cast(x, _dtypes.from_numpy(np.dtype(dtype)))
    t = convert_to_tensor(x)
    if dtype is not None and t._value.dtype != dtype:
        from tfjax._src.ops import math_ops  # noqa: PLC0415
        t = math_ops.cast(t, _dtypes.from_numpy(np.dtype(dtype)))
    return t


# ---------------------------------------------------------------------------
# rank helpers (static shapes)
# ---------------------------------------------------------------------------

def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True):
    r1, r2 = x1.ndim, x2.ndim
    if r1 == r2:
        return x1, x2
    if r1 == r2 + 1 and x1.shape[-1] == 1:
        if r2 == 1 and expand_rank_1:
            x2 = jnp.expand_dims(x2, -1)
        else:
            x1 = jnp.squeeze(x1, -1)
    if r2 == r1 + 1 and x2.shape[-1] == 1:
        if r1 == 1 and expand_rank_1:
            x1 = jnp.expand_dims(x1, -1)
        else:
            x2 = jnp.squeeze(x2, -1)
    return x1, x2


def _same_rank_cast(y_true, y_pred):
    y_true = y_true.astype(y_pred.dtype)
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


# tf.abs / tf.maximum / tf.clip_by_value / tf.nn.relu's kernels (Keras's TF backend runs those ops): the
# gradient at a zero error, a hinge's margin or a clip bound is TF's, not JAX's tie-splitting one.
def _abs(x):
    return _tf_abs(x)


def _maximum(a, b):
    return _maximum_raw(a, jnp.asarray(b, a.dtype))


def _relu(x):
    # keras: ops.maximum(x, 0.0), which routes a tie to x
    return _maximum_raw(x, jnp.zeros((), x.dtype))


def _clip(x, lo, hi):
    return _tf_clip(x, jnp.asarray(lo, x.dtype), jnp.asarray(hi, x.dtype))


def _normalize(x, axis):
    sq = jnp.sum(jnp.square(x), axis=axis, keepdims=True)
    return x * jax.lax.rsqrt(jnp.maximum(sq, 1e-12))


# ---------------------------------------------------------------------------
# raw per-sample loss functions
# ---------------------------------------------------------------------------

def _mse(y_true, y_pred):
    t, p = _same_rank_cast(y_true, y_pred)
    return jnp.mean(jnp.square(t - p), axis=-1)


def _mae(y_true, y_pred):
    t, p = _same_rank_cast(y_true, y_pred)
    return jnp.mean(_abs(t - p), axis=-1)


def _mape(y_true, y_pred):
    t, p = _same_rank_cast(y_true, y_pred)
    diff = _abs((t - p) / _maximum(_abs(t), jnp.asarray(EPSILON, p.dtype)))
    return 100.0 * jnp.mean(diff, axis=-1)


def _msle(y_true, y_pred):
    t, p = _same_rank_cast(y_true, y_pred)
    eps = jnp.asarray(EPSILON, p.dtype)
    return jnp.mean(jnp.square(jnp.log(_maximum(p, eps) + 1.0) - jnp.log(_maximum(t, eps) + 1.0)), axis=-1)


def _cosine(y_true, y_pred, *, axis=-1):
    t, p = _same_rank_cast(y_true, y_pred)
    return -jnp.sum(_normalize(t, axis) * _normalize(p, axis), axis=axis)


def _huber(y_true, y_pred, *, delta=1.0):
    t, p = _same_rank_cast(y_true, y_pred)
    d = jnp.asarray(delta, p.dtype)
    err = p - t
    a = _abs(err)
    half = jnp.asarray(0.5, p.dtype)
    return jnp.mean(jnp.where(a <= d, half * jnp.square(err), d * a - half * jnp.square(d)), axis=-1)


def _log_cosh(y_true, y_pred):
    t, p = _same_rank_cast(y_true, y_pred)
    x = p - t
    log2 = jnp.asarray(math.log(2.0), p.dtype)
    return jnp.mean(x + jax.nn.softplus(x * -2.0) - log2, axis=-1)


def _hinge_labels(t):
    is_binary = jnp.all((t == 0) | (t == 1))
    return jnp.where(is_binary, 2.0 * t - 1.0, t)


def _hinge(y_true, y_pred):
    t = _hinge_labels(y_true.astype(y_pred.dtype))
    return jnp.mean(_relu(1.0 - t * y_pred), axis=-1)


def _squared_hinge(y_true, y_pred):
    t = _hinge_labels(y_true.astype(y_pred.dtype))
    return jnp.mean(jnp.square(_relu(1.0 - t * y_pred)), axis=-1)


def _categorical_hinge(y_true, y_pred):
    t = y_true.astype(y_pred.dtype)
    pos = jnp.sum(t * y_pred, axis=-1)
    neg = jnp.max((1.0 - t) * y_pred, axis=-1)
    return _maximum(neg - pos + 1.0, jnp.zeros((), y_pred.dtype))


def _kld(y_true, y_pred):
    t = _clip(y_true.astype(y_pred.dtype), EPSILON, 1)
    p = _clip(y_pred, EPSILON, 1)
    return jnp.sum(t * jnp.log(t / p), axis=-1)


def _poisson(y_true, y_pred):
    t = y_true.astype(y_pred.dtype)
    return jnp.mean(y_pred - t * jnp.log(y_pred + jnp.asarray(EPSILON, y_pred.dtype)), axis=-1)


def _bce_elementwise(t, p, from_logits):
    if from_logits:
        return _sigmoid_ce(t, p)
    p = _clip(p, EPSILON, 1.0 - EPSILON)
    return -(t * jnp.log(p) + (1 - t) * jnp.log(1 - p))


def _bce(y_true, y_pred, *, from_logits=False, label_smoothing=0.0, axis=-1):
    t = y_true.astype(y_pred.dtype)
    if label_smoothing:
        t = t * (1.0 - label_smoothing) + 0.5 * label_smoothing
    return jnp.mean(_bce_elementwise(t, y_pred, from_logits), axis=axis)


def _binary_focal(y_true, y_pred, *, apply_class_balancing=False, alpha=0.25, gamma=2.0, from_logits=False,
                  label_smoothing=0.0, axis=-1):
    t = y_true.astype(y_pred.dtype)
    if label_smoothing:
        t = t * (1.0 - label_smoothing) + 0.5 * label_smoothing
    p = jax.nn.sigmoid(y_pred) if from_logits else y_pred
    bce = _bce_elementwise(t, p, False)
    p_t = t * p + (1 - t) * (1 - p)
    focal = jnp.power(1.0 - p_t, gamma) * bce
    if apply_class_balancing:
        focal = (t * alpha + (1 - t) * (1 - alpha)) * focal
    return jnp.mean(focal, axis=axis)


def _cce(y_true, y_pred, *, from_logits=False, label_smoothing=0.0, axis=-1):
    t = y_true.astype(y_pred.dtype)
    if label_smoothing:
        n = jnp.asarray(t.shape[-1], y_pred.dtype)
        t = t * (1.0 - label_smoothing) + (label_smoothing / n)
    if from_logits:
        return -jnp.sum(t * jax.nn.log_softmax(y_pred, axis=axis), axis=axis)
    p = y_pred / jnp.sum(y_pred, axis, keepdims=True)
    p = _clip(p, EPSILON, 1.0 - EPSILON)
    return -jnp.sum(t * jnp.log(p), axis)


def _categorical_focal(y_true, y_pred, *, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1):
    t = y_true.astype(y_pred.dtype)
    if label_smoothing:
        n = jnp.asarray(t.shape[-1], y_pred.dtype)
        t = t * (1.0 - label_smoothing) + (label_smoothing / n)
    p = jax.nn.softmax(y_pred, axis=axis) if from_logits else y_pred
    out = p / jnp.sum(p, axis=axis, keepdims=True)
    out = _clip(out, EPSILON, 1.0 - EPSILON)
    cce = -t * jnp.log(out)
    return jnp.sum(jnp.power(1.0 - out, gamma) * alpha * cce, axis=axis)


def _sparse_cce_core(t, p, from_logits):
    if not from_logits:
        p = jnp.log(_clip(p, EPSILON, 1 - EPSILON))
    t = t.astype(jnp.int32)
    lse = jax.nn.logsumexp(p, axis=-1)
    picked = jnp.take_along_axis(p, t[..., None], axis=-1)[..., 0]
    return lse - picked


def _sparse_cce(y_true, y_pred, *, from_logits=False, ignore_class=None, axis=-1):
    t = y_true
    if t.ndim == y_pred.ndim and t.shape[axis] == 1:
        t = jnp.squeeze(t, axis=axis)
    if ignore_class is None:
        return _sparse_cce_core(t, y_pred, from_logits)
    valid = t != jnp.asarray(ignore_class, t.dtype)
    t = jnp.where(valid, t, 0)
    p = jnp.where(jnp.expand_dims(valid, axis), y_pred, 0)
    res = _sparse_cce_core(t, p, from_logits)
    return jnp.where(valid, res, 0.0)


def _dice(y_true, y_pred, *, axis=None):
    t = y_true.astype(y_pred.dtype)
    inter = jnp.sum(t * y_pred, axis=axis)
    return 1 - 2.0 * inter / (jnp.sum(t, axis=axis) + jnp.sum(y_pred, axis=axis) + EPSILON)


def _tversky(y_true, y_pred, *, alpha=0.5, beta=0.5, axis=None):
    t = y_true.astype(y_pred.dtype)
    inter = jnp.sum(t * y_pred, axis=axis)
    fp = jnp.sum((1 - y_pred) * t, axis=axis)
    fn = jnp.sum(y_pred * (1 - t), axis=axis)
    return 1 - inter / (inter + fp * alpha + fn * beta + EPSILON)


_RAW = {
    "mean_squared_error": _mse, "mean_absolute_error": _mae, "mean_absolute_percentage_error": _mape,
    "mean_squared_logarithmic_error": _msle, "cosine_similarity": _cosine, "huber": _huber,
    "log_cosh": _log_cosh, "hinge": _hinge, "squared_hinge": _squared_hinge,
    "categorical_hinge": _categorical_hinge, "kl_divergence": _kld, "poisson": _poisson,
    "binary_crossentropy": _bce, "binary_focal_crossentropy": _binary_focal,
    "categorical_crossentropy": _cce, "categorical_focal_crossentropy": _categorical_focal,
    "sparse_categorical_crossentropy": _sparse_cce, "dice": _dice, "tversky": _tversky,
}

_LOGITS_OF = {"binary_crossentropy": "sigmoid", "categorical_crossentropy": "softmax",
              "sparse_categorical_crossentropy": "softmax"}

_INT_LABELS = {"sparse_categorical_crossentropy"}


def _apply_raw(name, y_true, y_pred, params):
    """Runs loss ``name`` on Tensors; uses a softmax/sigmoid output's cached logits as Keras's TF backend does."""
    if name in _LOGITS_OF:
        logits = getattr(y_pred, "_keras_logits", None)
        if logits is not None:
            y_pred = logits
            params = dict(params, from_logits=True)
    y_pred = _as_tensor(y_pred)
    if not isinstance(y_true, Tensor):
        y_true = _as_tensor(y_true)
    if name in _INT_LABELS and y_true._value.dtype.kind == "f":
        from tfjax._src.ops import math_ops  # noqa: PLC0415
        y_true = math_ops.cast(y_true, _dtypes.int64)
    return dispatch.apply(_RAW[name], y_true, y_pred, **params)


class MaskedTensor(Tensor):
    """A Tensor carrying a Keras mask (``_keras_mask``), as Keras attaches to layer outputs and losses."""

    __slots__ = ("_keras_mask",)

    def __init__(self, value, mask):
        super().__init__(value)
        self._keras_mask = mask


def _identity_raw(x):
    return x


def with_mask(t, mask):
    """``t`` as a MaskedTensor, still connected to any recording GradientTape."""
    from tfjax._src import tape as _tape  # noqa: PLC0415
    out = MaskedTensor(t._value, mask)
    if _tape.state.recording:
        _tape.record(_identity_raw, {}, (t,), out)
    return out


def _valid_mask_raw(y_true, y_pred, *, ignore_class, axis):
    t = y_true
    if t.ndim == y_pred.ndim and t.shape[axis] == 1:
        t = jnp.squeeze(t, axis=axis)
    return t != jnp.asarray(ignore_class, t.dtype)


def _valid_mask(y_true, y_pred, params):
    return dispatch.apply_unrecorded(_valid_mask_raw, _as_tensor(y_true), _as_tensor(y_pred),
                                     ignore_class=params["ignore_class"], axis=params.get("axis", -1))


# ---------------------------------------------------------------------------
# reductions
# ---------------------------------------------------------------------------

_REDUCTIONS = {"sum_over_batch_size", "sum", None, "none", "mean", "mean_with_sample_weight"}


def standardize_reduction(reduction):
    if reduction not in _REDUCTIONS:
        raise ValueError(f"Invalid value for argument `reduction`. Expected one of {_REDUCTIONS}. Received: "
                         f"reduction={reduction}")
    return reduction


def _reduce_values(values, sample_weight, reduction):
    if reduction is None or reduction == "none" or values.shape == () or values.shape == (0,):
        return values
    loss = jnp.sum(values)
    if reduction in ("sum_over_batch_size", "mean", "mean_with_sample_weight"):
        if reduction == "mean_with_sample_weight" and sample_weight is not None:
            divisor = jnp.sum(sample_weight).astype(loss.dtype)
        else:
            divisor = jnp.asarray(int(np.prod(values.shape)), loss.dtype)
        loss = jnp.where(divisor == 0, jnp.zeros_like(loss), loss / jnp.where(divisor == 0, 1, divisor))
    return loss


def _mask_weight(mask, dtype, reduction):
    if reduction in ("mean", "sum_over_batch_size"):
        total = jnp.asarray(int(np.prod(mask.shape)), dtype)
        valid = jnp.sum(mask.astype(dtype))
        w = jnp.where(valid == 0, 0, total / jnp.where(valid == 0, 1, valid))
        return jnp.where(mask.astype(bool), w, 0).astype(dtype)
    return mask.astype(dtype)


def _reduce_weighted_raw(values, *rest, reduction, has_sw, has_mask):
    rest = list(rest)
    sw = rest.pop(0) if has_sw else None
    mask = rest.pop(0) if has_mask else None
    if mask is not None:
        fm = _mask_weight(mask, values.dtype, reduction)
        if sw is not None:
            sw = sw.astype(values.dtype)
            fm, sw = squeeze_or_expand_to_same_rank(fm, sw)
            sw = sw * fm
        else:
            sw = fm
    if sw is not None:
        sw = sw.astype(values.dtype)
        values, sw = squeeze_or_expand_to_same_rank(values, sw)
        values = values * sw
    return _reduce_values(values, sw, reduction)


def reduce_weighted_values(values, sample_weight=None, mask=None, reduction="sum_over_batch_size", dtype=None):
    reduction = standardize_reduction(reduction)
    values = _as_tensor(values, None if dtype is None else np.dtype(_dtypes.as_dtype(dtype)._np))
    args = [values]
    if sample_weight is not None:
        args.append(_as_tensor(sample_weight, values._value.dtype))
    if mask is not None:
        args.append(_as_tensor(mask))
    return dispatch.apply(_reduce_weighted_raw, *args, reduction=reduction,
                          has_sw=sample_weight is not None, has_mask=mask is not None)


# ---------------------------------------------------------------------------
# Loss classes
# ---------------------------------------------------------------------------

def _floatx_dtype(dtype):
    if dtype is None:
        from tfjax._src.keras.mixed_precision import policy as _policy  # noqa: PLC0415
        return np.dtype("float32") if _policy.floatx() is None else np.dtype(_policy.floatx())
    if hasattr(dtype, "compute_dtype"):
        return np.dtype(dtype.compute_dtype)
    return np.dtype(_dtypes.as_dtype(dtype)._np)


class Loss:
    """``keras.losses.Loss``: ``__call__(y_true, y_pred, sample_weight)`` -> reduced loss."""

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        self.name = name or _snake(type(self).__name__)
        self.reduction = standardize_reduction(reduction)
        self._dtype = _floatx_dtype(dtype)

    @property
    def dtype(self):
        return self._dtype.name

    def __call__(self, y_true, y_pred, sample_weight=None):
        in_mask = getattr(y_pred, "_keras_mask", None)
        y_pred = _cast_structure(y_pred, self._dtype)
        y_true = _cast_structure(y_true, self._dtype, keep_int=self._keeps_int_labels())
        losses = self.call(y_true, y_pred)
        out_mask = getattr(losses, "_keras_mask", None)
        mask = in_mask if out_mask is None else (out_mask if in_mask is None else _and(in_mask, out_mask))
        return reduce_weighted_values(losses, sample_weight=sample_weight, mask=mask, reduction=self.reduction,
                                      dtype=self._dtype)

    def _keeps_int_labels(self):
        return False

    def call(self, y_true, y_pred):
        raise NotImplementedError

    def get_config(self):
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _and(a, b):
    from tfjax._src.ops import math_ops  # noqa: PLC0415
    return math_ops.logical_and(_as_tensor(a), _as_tensor(b))


def _cast_structure(x, dtype, keep_int=False):
    from tfjax._src import nest  # noqa: PLC0415
    if nest.is_nested(x):
        return nest.map_structure(lambda e: _cast_structure(e, dtype, keep_int), x)
    if keep_int:
        t = _as_tensor(x)
        return t if t._value.dtype.kind in "iu" else _as_tensor(t, dtype)
    if isinstance(x, Tensor) and getattr(x, "_keras_logits", None) is not None:
        return x if x._value.dtype == dtype else _as_tensor(x, dtype)
    return _as_tensor(x, dtype)


def _snake(name):
    import re  # noqa: PLC0415
    s = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", s).lower()


class LossFunctionWrapper(Loss):
    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self):
        c = super().get_config()
        c.update(self._fn_kwargs)
        return c


class _BuiltinLoss(Loss):
    _fn_name = None
    _unlisted = frozenset()
    _defaults = {}
    _default_name = None

    def __init__(self, reduction="sum_over_batch_size", name=None, dtype=None, **params):
        super().__init__(name=name or self._default_name, reduction=reduction, dtype=dtype)
        p = dict(self._defaults)
        p.update(params)
        self._params = p

    def __getattr__(self, item):
        p = self.__dict__.get("_params", {})
        if item in p:
            return p[item]
        raise AttributeError(item)

    def _keeps_int_labels(self):
        return self._fn_name in _INT_LABELS

    def call(self, y_true, y_pred):
        out = _apply_raw(self._fn_name, y_true, y_pred, self._params)
        if self._fn_name == "sparse_categorical_crossentropy" and self._params.get("ignore_class") is not None:
            out = with_mask(out, _valid_mask(y_true, y_pred, self._params))
        return out

    def get_config(self):
        c = super().get_config()
        c.update({k: v for k, v in self._params.items() if k not in self._unlisted})
        return c


_RND = ("reduction", "name", "dtype")


def _make_loss(cls_name, fn_name, default_name, params=(), unlisted=()):
    """A built-in loss class with Keras's ``__init__`` signature.

    ``params``: the loss's own ``(name, default)`` parameters in Keras's order, with any of
    ``"reduction"``/``"name"``/``"dtype"`` (given as bare strings) where Keras places them; those missing
    are appended in that order. ``unlisted``: arguments Keras accepts but leaves out of ``get_config()``.
    """
    own = [p for p in params if p not in _RND]
    rnd = {"reduction": "sum_over_batch_size", "name": default_name, "dtype": None}
    sig = [(p, rnd[p]) if p in _RND else p for p in params]
    sig += [(p, rnd[p]) for p in _RND if p not in params]
    defaults = dict(own)

    @_sig.with_signature(sig, qualname=f"{cls_name}.__init__")
    def __init__(self, reduction, name, dtype, **kwargs):
        _BuiltinLoss.__init__(self, reduction=reduction, name=name, dtype=dtype, **kwargs)

    return type(cls_name, (_BuiltinLoss,), {"_fn_name": fn_name, "_defaults": defaults,
                                            "_default_name": default_name, "__init__": __init__,
                                            "_unlisted": frozenset(unlisted)})


MeanSquaredError = _make_loss("MeanSquaredError", "mean_squared_error", "mean_squared_error")
MeanAbsoluteError = _make_loss("MeanAbsoluteError", "mean_absolute_error", "mean_absolute_error")
MeanAbsolutePercentageError = _make_loss("MeanAbsolutePercentageError", "mean_absolute_percentage_error",
                                         "mean_absolute_percentage_error")
MeanSquaredLogarithmicError = _make_loss("MeanSquaredLogarithmicError", "mean_squared_logarithmic_error",
                                         "mean_squared_logarithmic_error")
CosineSimilarity = _make_loss("CosineSimilarity", "cosine_similarity", "cosine_similarity", [("axis", -1)],
                              unlisted=("axis",))
Huber = _make_loss("Huber", "huber", "huber_loss", [("delta", 1.0)], unlisted=("delta",))
LogCosh = _make_loss("LogCosh", "log_cosh", "log_cosh")
Hinge = _make_loss("Hinge", "hinge", "hinge")
SquaredHinge = _make_loss("SquaredHinge", "squared_hinge", "squared_hinge")
CategoricalHinge = _make_loss("CategoricalHinge", "categorical_hinge", "categorical_hinge")
KLDivergence = _make_loss("KLDivergence", "kl_divergence", "kl_divergence")
Poisson = _make_loss("Poisson", "poisson", "poisson")
BinaryCrossentropy = _make_loss("BinaryCrossentropy", "binary_crossentropy", "binary_crossentropy",
                                [("from_logits", False), ("label_smoothing", 0.0), ("axis", -1)])
BinaryFocalCrossentropy = _make_loss(
    "BinaryFocalCrossentropy", "binary_focal_crossentropy", "binary_focal_crossentropy",
    [("apply_class_balancing", False), ("alpha", 0.25), ("gamma", 2.0), ("from_logits", False),
     ("label_smoothing", 0.0), ("axis", -1)])
CategoricalCrossentropy = _make_loss("CategoricalCrossentropy", "categorical_crossentropy",
                                     "categorical_crossentropy",
                                     [("from_logits", False), ("label_smoothing", 0.0), ("axis", -1)])
CategoricalFocalCrossentropy = _make_loss(
    "CategoricalFocalCrossentropy", "categorical_focal_crossentropy", "categorical_focal_crossentropy",
    [("alpha", 0.25), ("gamma", 2.0), ("from_logits", False), ("label_smoothing", 0.0), ("axis", -1)])
SparseCategoricalCrossentropy = _make_loss(
    "SparseCategoricalCrossentropy", "sparse_categorical_crossentropy", "sparse_categorical_crossentropy",
    [("from_logits", False), ("ignore_class", None), "reduction", ("axis", -1)], unlisted=("axis",))
Dice = _make_loss("Dice", "dice", "dice", ["reduction", "name", ("axis", None)])
Tversky = _make_loss("Tversky", "tversky", "tversky",
                     [("alpha", 0.5), ("beta", 0.5), "reduction", "name", ("axis", None)])


# ---------------------------------------------------------------------------
# function forms (per-sample losses)
# ---------------------------------------------------------------------------

def _fn(name, params=()):
    @_sig.with_signature(params, leading=("y_true", "y_pred"), qualname=name)
    def f(y_true, y_pred, **kwargs):
        y_pred = y_pred if getattr(y_pred, "_keras_logits", None) is not None else _as_tensor(y_pred)
        return _apply_raw(name, y_true, y_pred, kwargs)
    f.__name__ = name
    return f


mean_squared_error = _fn("mean_squared_error")
mean_absolute_error = _fn("mean_absolute_error")
mean_absolute_percentage_error = _fn("mean_absolute_percentage_error")
mean_squared_logarithmic_error = _fn("mean_squared_logarithmic_error")
cosine_similarity = _fn("cosine_similarity", [("axis", -1)])
huber = _fn("huber", [("delta", 1.0)])
log_cosh = _fn("log_cosh")
hinge = _fn("hinge")
squared_hinge = _fn("squared_hinge")
categorical_hinge = _fn("categorical_hinge")
kl_divergence = _fn("kl_divergence")
poisson = _fn("poisson")
binary_crossentropy = _fn("binary_crossentropy", [("from_logits", False), ("label_smoothing", 0.0), ("axis", -1)])
binary_focal_crossentropy = _fn("binary_focal_crossentropy",
                                [("apply_class_balancing", False), ("alpha", 0.25), ("gamma", 2.0),
                                 ("from_logits", False), ("label_smoothing", 0.0), ("axis", -1)])
categorical_crossentropy = _fn("categorical_crossentropy",
                               [("from_logits", False), ("label_smoothing", 0.0), ("axis", -1)])
categorical_focal_crossentropy = _fn("categorical_focal_crossentropy",
                                     [("alpha", 0.25), ("gamma", 2.0), ("from_logits", False),
                                      ("label_smoothing", 0.0), ("axis", -1)])
sparse_categorical_crossentropy = _fn("sparse_categorical_crossentropy",
                                      [("from_logits", False), ("ignore_class", None), ("axis", -1)])
dice = _fn("dice", [("axis", None)])
tversky = _fn("tversky", [("alpha", 0.5), ("beta", 0.5), ("axis", None)])

# aliases (keras.losses.mse, MSE, kld, ...)
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh
