"""Accuracy metrics (classes and their function forms)."""

from __future__ import annotations

import jax.numpy as jnp

from tfjax._src.tensor import Tensor
from tfjax._src.keras import _signatures as _sig
from tfjax._src.keras.losses import losses as _losses
from tfjax._src.keras.metrics.base_metric import _floatx, _raw
from tfjax._src.keras.metrics.reduction_metrics import _wrapper


def _accuracy_raw(y_true, y_pred):
    yt = y_true.astype(y_pred.dtype)
    yt, yp = _losses.squeeze_or_expand_to_same_rank(yt, y_pred)
    return (yt == yp).astype(_floatx())


def _binary_accuracy_raw(y_true, y_pred, threshold=0.5):
    yt, yp = _losses.squeeze_or_expand_to_same_rank(y_true, y_pred)
    yp = (yp > threshold).astype(yt.dtype)
    return (yt == yp).astype(_floatx())


def _categorical_accuracy_raw(y_true, y_pred):
    yt = jnp.argmax(y_true, axis=-1)
    reshape = False
    org_shape = yt.shape
    if yt.ndim == y_pred.ndim:
        yt = jnp.squeeze(yt, -1)
        reshape = True
    yp = jnp.argmax(y_pred, axis=-1)
    m = (yt.astype(jnp.int64) == yp.astype(jnp.int64)).astype(_floatx())
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
    m = (yt == yp).astype(_floatx())
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
    m = _in_top_k(yt, yp, k).astype(_floatx())
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
    m = m.astype(_floatx())
    return m.reshape(org) if reshape else m


Accuracy = _wrapper("Accuracy", _accuracy_raw, "accuracy")
BinaryAccuracy = _wrapper("BinaryAccuracy", _binary_accuracy_raw, "binary_accuracy", [("threshold", 0.5)])
CategoricalAccuracy = _wrapper("CategoricalAccuracy", _categorical_accuracy_raw, "categorical_accuracy")
SparseCategoricalAccuracy = _wrapper("SparseCategoricalAccuracy", _sparse_categorical_accuracy_raw,
                                     "sparse_categorical_accuracy")
TopKCategoricalAccuracy = _wrapper("TopKCategoricalAccuracy", _top_k_categorical_accuracy_raw,
                                   "top_k_categorical_accuracy",
                                   [("k", 5), ("name", "top_k_categorical_accuracy"), ("dtype", None)])
SparseTopKCategoricalAccuracy = _wrapper("SparseTopKCategoricalAccuracy", _sparse_top_k_categorical_accuracy_raw,
                                         "sparse_top_k_categorical_accuracy",
                                         [("k", 5), ("name", "sparse_top_k_categorical_accuracy"), ("dtype", None),
                                          ("from_sorted_ids", False)], unlisted=("from_sorted_ids",))

for _cls in (Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy, TopKCategoricalAccuracy,
             SparseTopKCategoricalAccuracy):
    _cls._direction = "up"


def _metric_fn(raw, name, params=()):
    @_sig.with_signature(params, leading=("y_true", "y_pred"), qualname=name)
    def f(y_true, y_pred, **kw):
        return Tensor(raw(_raw(y_true), _raw(y_pred), **kw))
    f.__name__ = name
    return f


accuracy = _metric_fn(_accuracy_raw, "accuracy")
binary_accuracy = _metric_fn(_binary_accuracy_raw, "binary_accuracy", [("threshold", 0.5)])
categorical_accuracy = _metric_fn(_categorical_accuracy_raw, "categorical_accuracy")
sparse_categorical_accuracy = _metric_fn(_sparse_categorical_accuracy_raw, "sparse_categorical_accuracy")
top_k_categorical_accuracy = _metric_fn(_top_k_categorical_accuracy_raw, "top_k_categorical_accuracy", [("k", 5)])
sparse_top_k_categorical_accuracy = _metric_fn(_sparse_top_k_categorical_accuracy_raw,
                                               "sparse_top_k_categorical_accuracy",
                                               [("k", 5), ("from_sorted_ids", False)])
