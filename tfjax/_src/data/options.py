"""``tf.data.Options`` and its sub-option groups (attribute-checked records)."""

from __future__ import annotations

import enum


class AutoShardPolicy(enum.IntEnum):
    OFF = -1
    AUTO = 0
    FILE = 1
    DATA = 2
    HINT = 3


class ExternalStatePolicy(enum.Enum):
    WARN = 0
    IGNORE = 1
    FAIL = 2


class AutotuneAlgorithm(enum.Enum):
    DEFAULT = 0
    HILL_CLIMB = 1
    GRADIENT_DESCENT = 2
    MAX_PARALLELISM = 3
    STAGE_BASED = 4


class _OptionsBase:
    """Options objects only accept their declared attributes (TF raises likewise)."""

    _FIELDS: dict = {}

    def __init__(self):
        for k, v in self._FIELDS.items():
            object.__setattr__(self, k, v() if callable(v) and isinstance(v, type) and issubclass(v, _OptionsBase) else v)

    def __setattr__(self, name, value):
        if name not in self._FIELDS:
            raise AttributeError(f"Cannot set the property {name} on {type(self).__name__}.")
        object.__setattr__(self, name, value)

    def __eq__(self, other):
        return type(self) is type(other) and all(getattr(self, k) == getattr(other, k) for k in self._FIELDS)

    def __ne__(self, other):
        return not self == other

    __hash__ = None

    def _merge(self, other):
        """Values set (non-None) in ``other`` win."""
        out = type(self)()
        for k in self._FIELDS:
            a, b = getattr(self, k), getattr(other, k)
            if isinstance(a, _OptionsBase):
                object.__setattr__(out, k, a._merge(b))
            else:
                object.__setattr__(out, k, b if b is not None else a)
        return out

    def __repr__(self):
        items = ", ".join(f"{k}={getattr(self, k)!r}" for k in self._FIELDS)
        return f"{type(self).__name__}({items})"


class ThreadingOptions(_OptionsBase):
    _FIELDS = {"max_intra_op_parallelism": None, "private_threadpool_size": None}


class AutotuneOptions(_OptionsBase):
    _FIELDS = {"enabled": None, "cpu_budget": None, "ram_budget": None, "autotune_algorithm": None,
               "initial_parallelism": None, "min_parallelism": None}


class OptimizationOptions(_OptionsBase):
    _FIELDS = {"apply_default_optimizations": None, "filter_fusion": None, "filter_parallelization": None,
               "inject_prefetch": None, "map_and_batch_fusion": None, "map_and_filter_fusion": None,
               "map_fusion": None, "map_parallelization": None, "noop_elimination": None,
               "parallel_batch": None, "seq_interleave_prefetch": None, "shuffle_and_repeat_fusion": None}


class DistributeOptions(_OptionsBase):
    _FIELDS = {"auto_shard_policy": AutoShardPolicy.AUTO, "num_devices": None}


class Options(_OptionsBase):
    """``tf.data.Options``: settings attached with ``Dataset.with_options``.

    ``deterministic`` is honoured by parallel ``map``/``interleave``; the
    threading options bound the worker pools; the rest is accepted and recorded
    (tfjax's pipeline has no graph optimiser to configure).
    """

    _FIELDS = {"autotune": AutotuneOptions, "deterministic": None,
               "experimental_deterministic": None,
               "experimental_distribute": DistributeOptions,
               "experimental_external_state_policy": None,
               "experimental_optimization": OptimizationOptions,
               "experimental_slack": None, "experimental_symbolic_checkpoint": None,
               "experimental_warm_start": None, "framework_type": None,
               "threading": ThreadingOptions, "experimental_threading": None,
               "dataset_name": None}

    def __setattr__(self, name, value):
        if name == "experimental_deterministic":
            name = "deterministic"
        if name == "experimental_threading":
            name = "threading"
        super().__setattr__(name, value)

    def __getattribute__(self, name):
        if name == "experimental_deterministic":
            name = "deterministic"
        elif name == "experimental_threading":
            name = "threading"
        return object.__getattribute__(self, name)

    def merge(self, options):
        return self._merge(options)
