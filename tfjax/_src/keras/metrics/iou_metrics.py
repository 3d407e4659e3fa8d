"""IoU metrics."""

from __future__ import annotations

import jax.numpy as jnp

from tfjax._src.tensor import Tensor
from tfjax._src.keras.metrics.base_metric import EPSILON, Metric, _raw

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


MeanIoU._direction = IoU._direction = "up"


def _iou_get_config(self):
    c = _IoUBase.get_config(self)
    c["target_class_ids"] = self.target_class_ids
    return c


IoU.get_config = _iou_get_config


class BinaryIoU(IoU):
    def __init__(self, target_class_ids=(0, 1), threshold=0.5, name=None, dtype=None):
        super().__init__(num_classes=2, target_class_ids=target_class_ids, name=name, dtype=dtype)
        self.threshold = threshold

    def update_state(self, y_true, y_pred, sample_weight=None):
        yp = _raw(y_pred)
        yp = (jnp.asarray(yp).astype(jnp.float32) >= self.threshold).astype(self._dtype)
        return super().update_state(y_true, Tensor(yp), sample_weight)

    def get_config(self):
        return {"target_class_ids": self.target_class_ids, "threshold": self.threshold, "name": self.name,
                "dtype": self._dtype}


class OneHotIoU(IoU):
    def __init__(self, num_classes, target_class_ids, name=None, dtype=None, ignore_class=None,
                 sparse_y_pred=False, axis=-1):
        super().__init__(num_classes=num_classes, target_class_ids=target_class_ids, name=name, dtype=dtype,
                         ignore_class=ignore_class, sparse_y_true=False, sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self):
        return {"num_classes": self.num_classes, "target_class_ids": self.target_class_ids, "name": self.name,
                "dtype": self._dtype, "ignore_class": self.ignore_class, "sparse_y_pred": self.sparse_y_pred,
                "axis": self.axis}


class OneHotMeanIoU(MeanIoU):
    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_pred=False, axis=-1):
        super().__init__(num_classes=num_classes, axis=axis, name=name, dtype=dtype, ignore_class=ignore_class,
                         sparse_y_true=False, sparse_y_pred=sparse_y_pred)

    def get_config(self):
        return {"num_classes": self.num_classes, "name": self.name, "dtype": self._dtype,
                "ignore_class": self.ignore_class, "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}


BinaryIoU._direction = OneHotIoU._direction = OneHotMeanIoU._direction = "up"
