"""Minimal ``keras.DTypePolicy`` (compute / variable dtypes) and the global policy."""

from __future__ import annotations

from tfjax._src.keras import backend

_GLOBAL = {"policy": None}


class DTypePolicy:
    def __init__(self, name=None):
        if name is None:
            name = backend.floatx()
        if isinstance(name, DTypePolicy):
            name = name.name
        name = str(name)
        if name in ("mixed_float16", "mixed_bfloat16"):
            self._compute = "float16" if name == "mixed_float16" else "bfloat16"
            self._variable = "float32"
        else:
            try:
                d = backend.standardize_dtype(name)
                from tfjax._src import dtypes as _d  # noqa: PLC0415
                _d.as_dtype(d)
            except Exception:  # noqa: BLE001
                raise ValueError(f"Cannot convert '{name}' to a mixed precision DTypePolicy. Valid policies "
                                 "include 'mixed_float16', 'mixed_bfloat16', and the name of any float dtype "
                                 "such as 'float32'.") from None
            self._compute = self._variable = d
            name = d
        self._name = name

    @property
    def name(self):
        return self._name

    @property
    def compute_dtype(self):
        return self._compute

    @property
    def variable_dtype(self):
        return self._variable

    @property
    def quantization_mode(self):
        return None

    def get_config(self):
        return {"name": self._name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f'<DTypePolicy "{self._name}">'

    def __eq__(self, other):
        return isinstance(other, DTypePolicy) and other.name == self.name

    def __hash__(self):
        return hash(self._name)


Policy = DTypePolicy
FloatDTypePolicy = DTypePolicy


def set_dtype_policy(policy):
    if policy is not None and not isinstance(policy, DTypePolicy):
        policy = DTypePolicy(policy)
    _GLOBAL["policy"] = policy


def dtype_policy():
    p = _GLOBAL["policy"]
    if p is None:
        return DTypePolicy(backend.floatx())
    return p


set_global_policy = set_dtype_policy
global_policy = dtype_policy


def get(identifier):
    if identifier is None:
        return dtype_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, dict):
        return DTypePolicy(**identifier.get("config", {}))
    if hasattr(identifier, "compute_dtype") and hasattr(identifier, "variable_dtype"):
        return identifier
    if hasattr(identifier, "name") and not isinstance(identifier, str):
        identifier = identifier.name
    return DTypePolicy(identifier)


def serialize(policy):
    return {"module": "keras", "class_name": "DTypePolicy", "config": {"name": policy.name},
            "registered_name": None}
