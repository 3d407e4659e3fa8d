"""``keras.losses``."""

from tfjax._src.keras.losses.losses import *  # noqa: F401,F403
from tfjax._src.keras.losses.losses import (  # noqa: F401
    Loss, LossFunctionWrapper, reduce_weighted_values, squeeze_or_expand_to_same_rank,
)
from tfjax._src.keras.losses import losses as _l
from tfjax._src.keras.losses import extra_losses as _x
from tfjax._src.keras.losses.extra_losses import (  # noqa: F401
    CTC, Circle, CategoricalGeneralizedCrossEntropy, ctc, circle, categorical_generalized_cross_entropy,
)

_BY_NAME = {
    "mse": _l.mean_squared_error, "mae": _l.mean_absolute_error, "mape": _l.mean_absolute_percentage_error,
    "msle": _l.mean_squared_logarithmic_error, "kld": _l.kl_divergence, "kullback_leibler_divergence": _l.kl_divergence,
    "logcosh": _l.log_cosh, "huber_loss": _l.huber, "ctc": ctc, "circle": circle,
    "categorical_generalized_cross_entropy": categorical_generalized_cross_entropy,
}
_CLASSES = {c.__name__: c for m in (_l, _x) for c in vars(m).values() if isinstance(c, type) and issubclass(c, _l.Loss)}


def get(identifier):
    """``keras.losses.get``: a loss name (function form), a class name, a config dict, or a callable."""
    if identifier is None:
        return None
    if isinstance(identifier, str):
        if identifier in _CLASSES:
            return _CLASSES[identifier]()
        fn = _BY_NAME.get(identifier) or (getattr(_l, identifier, None) if identifier in _l._RAW else None)
        if fn is None:
            raise ValueError(f"Could not interpret loss identifier: {identifier}")
        return fn
    if isinstance(identifier, dict):
        cls = _CLASSES.get(identifier["class_name"])
        if cls is None:
            raise ValueError(f"Could not interpret loss identifier: {identifier}")
        return cls.from_config(identifier["config"])
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret loss identifier: {identifier}")


def serialize(loss):
    if isinstance(loss, Loss):
        return {"module": "keras.losses", "class_name": type(loss).__name__, "config": loss.get_config(),
                "registered_name": None}
    return getattr(loss, "__name__", str(loss))


def deserialize(name, custom_objects=None):
    if isinstance(name, dict) and custom_objects and name.get("class_name") in custom_objects:
        return custom_objects[name["class_name"]].from_config(name["config"])
    return get(name)
