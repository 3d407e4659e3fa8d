"""``keras.mixed_precision``."""

from tfjax._src.keras.mixed_precision.policy import (  # noqa: F401
    DTypePolicy, Policy, FloatDTypePolicy, set_global_policy, global_policy, dtype_policy, set_dtype_policy,
    get, floatx, set_floatx,
)
from tfjax._src.keras.optimizers.loss_scale import LossScaleOptimizer  # noqa: F401
