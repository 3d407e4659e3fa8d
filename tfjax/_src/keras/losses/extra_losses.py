"""Keras 3.x losses written over ``keras.ops`` as Keras writes them: ``ctc`` / ``CTC``, ``circle`` / ``Circle``,
``categorical_generalized_cross_entropy`` / ``CategoricalGeneralizedCrossEntropy``."""

from __future__ import annotations

from tfjax._src.keras.losses.losses import Loss, LossFunctionWrapper, with_mask


def _ops():
    from tfjax._src.keras import ops  # noqa: PLC0415
    return ops


def ctc(y_true, y_pred):
    """``keras.losses.ctc``: CTC loss of int labels (0 = padding/blank) against ``(batch, time, classes)`` logits."""
    ops = _ops()
    if len(ops.shape(y_true)) != 2:
        raise ValueError("Targets `y_true` are expected to be a tensor of shape `(batch_size, max_length)` in integer "
                         f"format. Received: y_true.shape={ops.shape(y_true)}")
    if len(ops.shape(y_pred)) != 3:
        raise ValueError("Logits `y_pred` are expected to be a tensor of shape `(batch_size, max_length, num_classes)`."
                         f" Received: y_pred.shape={ops.shape(y_pred)}")
    y_true = ops.convert_to_tensor(y_true)
    b, n = ops.shape(y_pred)[0], ops.shape(y_pred)[1]
    input_length = n * ops.ones((b,), dtype="int32")
    label_length = ops.cast(ops.sum(ops.not_equal(y_true, 0), axis=-1), dtype="int32")
    return ops.ctc_loss(y_true, y_pred, label_length, input_length, mask_index=0)


def _build_pos_neg_masks(ops, q, k, remove_diagonal=True):
    if len(ops.shape(q)) == 1:
        q = ops.reshape(q, (-1, 1))
    if len(ops.shape(k)) == 1:
        k = ops.reshape(k, (-1, 1))
    pos = ops.equal(q, ops.transpose(k))
    neg = ops.logical_not(pos)
    if remove_diagonal:
        pos = ops.logical_and(pos, ops.logical_not(ops.eye(ops.size(q), ops.size(k), k=0, dtype="bool")))
    return pos, neg


def circle(y_true, y_pred, ref_labels=None, ref_embeddings=None, remove_diagonal=True, gamma=80, margin=0.4):
    """``keras.losses.circle`` (Sun et al. 2020) over L2-normalised embeddings ``y_pred`` and int labels."""
    ops = _ops()
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, "int32")
    ref_embeddings = y_pred if ref_embeddings is None else ops.convert_to_tensor(ref_embeddings)
    ref_labels = y_true if ref_labels is None else ops.cast(ref_labels, "int32")
    optim_pos, optim_neg = margin, 1 + margin
    delta_pos, delta_neg = margin, 1 - margin
    d = 1 - ops.matmul(y_pred, ops.transpose(ref_embeddings))
    d = ops.maximum(d, 0.0)
    pos_mask, neg_mask = _build_pos_neg_masks(ops, y_true, ref_labels, remove_diagonal=remove_diagonal)
    pm = ops.cast(pos_mask, dtype=d.dtype)
    nm = ops.cast(neg_mask, dtype=d.dtype)
    pos_w = ops.maximum((optim_pos + d) * pm, 0.0)
    neg_w = ops.maximum((optim_neg - d) * nm, 0.0)
    pos_wd = -1 * gamma * pos_w * (delta_pos - d)
    neg_wd = gamma * neg_w * (delta_neg - d)
    p_loss = ops.logsumexp(ops.where(pos_mask, pos_wd, float("-inf")), axis=1)
    n_loss = ops.logsumexp(ops.where(neg_mask, neg_wd, float("-inf")), axis=1)
    loss = ops.softplus(p_loss + n_loss)
    return with_mask(loss, ops.greater(loss, 0))


def categorical_generalized_cross_entropy(y_true, y_pred, q):
    """``keras.losses.categorical_generalized_cross_entropy`` (Zhang & Sabuncu 2018) of int labels."""
    ops = _ops()
    y_pred = ops.convert_to_tensor(y_pred)
    oh = ops.cast(ops.one_hot(ops.cast(y_true, "int32"), num_classes=ops.shape(y_pred)[-1]), y_pred.dtype)
    p = ops.sum(y_pred * oh, axis=-1)
    return (1 - ops.power(p, q)) / q


class CTC(LossFunctionWrapper):
    def __init__(self, reduction="sum_over_batch_size", name="ctc", dtype=None):
        super().__init__(ctc, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)


class Circle(LossFunctionWrapper):
    def __init__(self, gamma=80.0, margin=0.4, remove_diagonal=True, reduction="sum_over_batch_size",
                 name="circle", dtype=None):
        super().__init__(circle, name=name, reduction=reduction, dtype=dtype, gamma=gamma, margin=margin,
                         remove_diagonal=remove_diagonal)
        self.gamma = gamma
        self.margin = margin
        self.remove_diagonal = remove_diagonal

    def get_config(self):
        c = Loss.get_config(self)
        c.update({"gamma": self.gamma, "margin": self.margin, "remove_diagonal": self.remove_diagonal})
        return c


class CategoricalGeneralizedCrossEntropy(LossFunctionWrapper):
    def __init__(self, q=0.5, reduction="sum_over_batch_size", name="categorical_generalized_cross_entropy",
                 dtype=None):
        if not 0 < q < 1:
            raise ValueError("q must be in the interval (0, 1)")
        super().__init__(categorical_generalized_cross_entropy, name=name, reduction=reduction, dtype=dtype, q=q)
        self.q = q

    def get_config(self):
        c = Loss.get_config(self)
        c.update({"q": self.q})
        return c
