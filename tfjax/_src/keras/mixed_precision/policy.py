"""``keras.mixed_precision``: dtype policies (Keras 3 API).

``DTypePolicy("mixed_float16")`` computes in float16 and keeps float32
variables; ``set_global_policy`` sets the policy new layers pick up (layers read
``global_policy().compute_dtype`` / ``.variable_dtype``). ``Policy`` is the
Keras 2 name of ``DTypePolicy``.
"""

from __future__ import annotations

import threading

_FLOATS = ("float16", "bfloat16", "float32", "float64")


class _State(threading.local):
    def __init__(self):
        self.policy = None


_state = _State()
_FLOATX = ["float32"]


def floatx():
    """``keras.config.floatx()``: the default float type ('float32')."""
    return _FLOATX[0]


def set_floatx(value):
    value = str(value)
    if value not in _FLOATS:
        raise ValueError(f"Unknown `floatx` value: {value}. Expected one of {set(_FLOATS)}")
    _FLOATX[0] = value


class DTypePolicy:
    def __init__(self, name=None):
        if name is None:
            name = floatx()
        if not isinstance(name, str):
            name = getattr(name, "name", str(name))
        if name == "mixed_float16":
            compute, variable = "float16", "float32"
        elif name == "mixed_bfloat16":
            compute, variable = "bfloat16", "float32"
        elif name in _FLOATS or name in ("int8", "int16", "int32", "int64", "uint8", "bool"):
            compute = variable = name
        else:
            try:
                from tfjax._src import dtypes  # noqa: PLC0415
                compute = variable = dtypes.as_dtype(name).name
            except Exception:  # noqa: BLE001
                raise ValueError(f"Cannot convert '{name}' to a mixed precision DTypePolicy. Valid policies "
                                 "include 'mixed_float16', 'mixed_bfloat16', and the name of any float dtype "
                                 "such as 'float32'.") from None
        self._name = name
        self._compute_dtype = compute
        self._variable_dtype = variable

    @property
    def name(self):
        return self._name

    @property
    def compute_dtype(self):
        return self._compute_dtype

    @property
    def variable_dtype(self):
        return self._variable_dtype

    @property
    def quantization_mode(self):
        return None

    def convert_input(self, x, autocast, dtype):
        from tfjax._src.ops import math_ops  # noqa: PLC0415
        from tfjax._src.tensor import convert_to_tensor  # noqa: PLC0415
        x = convert_to_tensor(x)
        if autocast and x.dtype.is_floating and x.dtype.name != dtype:
            return math_ops.cast(x, dtype)
        return x

    def get_config(self):
        return {"name": self._name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __eq__(self, other):
        return isinstance(other, DTypePolicy) and other.name == self.name

    def __hash__(self):
        return hash(self._name)

    def __repr__(self):
        return f'<DTypePolicy "{self._name}">'


Policy = DTypePolicy
FloatDTypePolicy = DTypePolicy


def set_global_policy(policy):
    """Sets the global dtype policy (``None`` resets it to ``floatx()``)."""
    if policy is None:
        _state.policy = None
        return
    if isinstance(policy, str):
        policy = DTypePolicy(policy)
    elif not isinstance(policy, DTypePolicy):
        raise ValueError(f"Invalid `policy` argument. Expected the string name of a policy (such as "
                         f"'mixed_float16') or a `DTypePolicy` instance. Received: policy={policy} "
                         f"(of type {type(policy)})")
    _state.policy = policy


def global_policy():
    """The global dtype policy (``DTypePolicy(floatx())`` unless set)."""
    p = _state.policy
    return p if p is not None else DTypePolicy(floatx())


dtype_policy = global_policy
set_dtype_policy = set_global_policy


def get(identifier):
    if identifier is None:
        return global_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, dict):
        return DTypePolicy.from_config(identifier.get("config", identifier))
    return DTypePolicy(identifier)
