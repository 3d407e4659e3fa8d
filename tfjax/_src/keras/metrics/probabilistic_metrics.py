"""Probabilistic (crossentropy, KL divergence, Poisson) and hinge metrics: running means of a loss."""

from __future__ import annotations

import jax.numpy as jnp

from tfjax._src.keras.losses import losses as _losses
from tfjax._src.keras.metrics.base_metric import _floatx
from tfjax._src.keras.metrics.reduction_metrics import _float_inputs, _wrapper


Hinge = _wrapper("Hinge", _float_inputs(_losses._hinge), "hinge")
SquaredHinge = _wrapper("SquaredHinge", _float_inputs(_losses._squared_hinge), "squared_hinge")
CategoricalHinge = _wrapper("CategoricalHinge", _float_inputs(_losses._categorical_hinge), "categorical_hinge")
KLDivergence = _wrapper("KLDivergence", _float_inputs(_losses._kld), "kl_divergence")
Poisson = _wrapper("Poisson", _float_inputs(_losses._poisson), "poisson")
BinaryCrossentropy = _wrapper("BinaryCrossentropy", _float_inputs(_losses._bce), "binary_crossentropy",
                              [("from_logits", False), ("label_smoothing", 0)])
CategoricalCrossentropy = _wrapper("CategoricalCrossentropy", _float_inputs(_losses._cce),
                                   "categorical_crossentropy",
                                   [("from_logits", False), ("label_smoothing", 0), ("axis", -1)])
def _sparse_cce_raw(y_true, y_pred, from_logits=False, ignore_class=None, axis=-1):
    yp = y_pred.astype(_floatx())
    values = _losses._sparse_cce(y_true, yp, from_logits=from_logits, ignore_class=ignore_class, axis=axis)
    if ignore_class is None:
        return values
    yt = y_true
    if yt.ndim == yp.ndim and yt.shape[axis] == 1:
        yt = jnp.squeeze(yt, axis=axis)
    # Keras attaches the valid-entry mask to the values: ignored entries then carry no weight when a
    # sample_weight is given, but still count as (zero-loss) samples when none is.
    return values, yt != jnp.asarray(ignore_class, yt.dtype)


SparseCategoricalCrossentropy = _wrapper(
    "SparseCategoricalCrossentropy", _sparse_cce_raw, "sparse_categorical_crossentropy",
    [("from_logits", False), ("ignore_class", None), ("axis", -1)])


for _cls in (Hinge, SquaredHinge, CategoricalHinge, KLDivergence, Poisson, BinaryCrossentropy,
             CategoricalCrossentropy, SparseCategoricalCrossentropy):
    _cls._direction = "down"
