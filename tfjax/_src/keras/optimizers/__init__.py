"""``keras.optimizers``."""

from tfjax._src.keras.optimizers.base import Optimizer
from tfjax._src.keras.optimizers.rules import (
    SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax, Nadam, Ftrl, Lion, Adafactor, Lamb,
)
from tfjax._src.keras.optimizers import schedules
from tfjax._src.keras.optimizers.optax_wrapper import OptaxOptimizer
from tfjax._src.keras.optimizers.loss_scale import LossScaleOptimizer

_ALIASES = {
    "sgd": SGD, "adam": Adam, "adamw": AdamW, "rmsprop": RMSprop, "adagrad": Adagrad, "adadelta": Adadelta,
    "adamax": Adamax, "nadam": Nadam, "ftrl": Ftrl, "lion": Lion, "adafactor": Adafactor, "lamb": Lamb,
}


def get(identifier):
    """``keras.optimizers.get``: a name, a config dict, an Optimizer, or an optax GradientTransformation."""
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str):
        cls = _ALIASES.get(identifier.lower())
        if cls is None:
            raise ValueError(f"Could not interpret optimizer identifier: {identifier}")
        return cls()
    if isinstance(identifier, dict):
        cls = _ALIASES.get(identifier["class_name"].lower()) or globals().get(identifier["class_name"])
        if cls is None:
            raise ValueError(f"Could not interpret optimizer identifier: {identifier}")
        return cls.from_config(identifier["config"])
    if hasattr(identifier, "init") and hasattr(identifier, "update"):
        return OptaxOptimizer(identifier)
    raise ValueError(f"Could not interpret optimizer identifier: {identifier}")


def serialize(optimizer):
    return {"module": "keras.optimizers", "class_name": type(optimizer).__name__,
            "config": optimizer.get_config(), "registered_name": None}


def deserialize(config, custom_objects=None):
    if custom_objects and config["class_name"] in custom_objects:
        return custom_objects[config["class_name"]].from_config(config["config"])
    return get(config)
