"""Dtype policies used by layers: ``keras.mixed_precision``'s when present (one global policy)."""

try:
    from tfjax._src.keras.mixed_precision.policy import (  # noqa: F401
        DTypePolicy, Policy, FloatDTypePolicy, set_global_policy, global_policy, dtype_policy, set_dtype_policy,
    )
    from tfjax._src.keras.mixed_precision.policy import get as _get
except ImportError:  # pragma: no cover - mixed_precision not installed
    from tfjax._src.keras.dtype_policies._fallback import (  # noqa: F401
        DTypePolicy, Policy, FloatDTypePolicy, set_global_policy, global_policy, dtype_policy, set_dtype_policy,
    )
    from tfjax._src.keras.dtype_policies._fallback import get as _get


def get(identifier):
    if identifier is not None and not isinstance(identifier, (str, dict, DTypePolicy)):
        if hasattr(identifier, "compute_dtype") and hasattr(identifier, "variable_dtype"):
            return identifier
        if hasattr(identifier, "name"):
            identifier = identifier.name
        elif isinstance(identifier, type):
            import numpy as np  # noqa: PLC0415
            identifier = np.dtype(identifier).name
    if isinstance(identifier, str):
        from tfjax._src.keras import backend  # noqa: PLC0415
        identifier = backend.standardize_dtype(identifier) if not identifier.startswith("mixed") else identifier
    return _get(identifier)


def serialize(policy):
    return {"module": "keras", "class_name": "DTypePolicy", "config": {"name": policy.name},
            "registered_name": None}
