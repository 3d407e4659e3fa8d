"""``keras.metrics.Metric``: stateful metrics over tfjax Variables.

A metric's state is a list of tfjax ``Variable``s, so ``update_state`` works the
same eagerly and inside ``tf.function`` (the compiled train step captures and
updates the state). Built-in metrics implement their update as one pure ``jnp``
function of ``(state, y_true, y_pred, sample_weight)``: eagerly it runs as a
single ``jax.jit`` program, while tracing it is inlined into the caller's
program. Formulas follow Keras 3 (``reduce_to_samplewise_values``, confusion
matrix buckets, ...).

Metrics are not ``tf.Module``s; ``tf.function`` finds their state through
``_tfjax_tracked_variables`` and ``.variables``.
"""

from __future__ import annotations

import re

import jax
import jax.numpy as jnp
import numpy as np

from tfjax._src import variables as _vars
from tfjax._src.tensor import Tensor, to_array
from tfjax._src.variables import Variable

EPSILON = 1e-7
NEG_INF = -1e10


def _assign_raw(var, value):
    scope = _vars.current_scope()
    if scope is None:
        var._value = value
    else:
        scope.write(var, value)


def _raw(x):
    if x is None:
        return None
    if isinstance(x, (Tensor, Variable)):
        return to_array(x)
    if isinstance(x, (jax.Array, jax.core.Tracer)):
        return x
    a = np.asarray(x)
    if a.dtype == np.float64:
        a = a.astype(np.float32)
    return jnp.asarray(a)


def _snake(name):
    s = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s).lower()


def _floatx():
    from tfjax._src.keras.mixed_precision import policy as _policy  # noqa: PLC0415
    return _policy.floatx()


class Metric:
    """``keras.metrics.Metric``: ``update_state`` / ``result`` / ``reset_state`` over Variables."""

    def __init__(self, dtype=None, name=None):
        self.name = name or _snake(type(self).__name__)
        if dtype is not None and hasattr(dtype, "compute_dtype"):
            dtype = dtype.compute_dtype
        self._dtype = np.dtype(getattr(dtype, "_np", dtype) if dtype is not None else _floatx()).name
        self._variables = []
        self._jits = {}
        self.built = True

    # -- state --------------------------------------------------------------------
    @property
    def dtype(self):
        return self._dtype

    @property
    def variables(self):
        out = list(self._variables)
        for v in vars(self).values():
            if isinstance(v, Metric) and v is not self:
                out.extend(v.variables)
        return out

    def _tfjax_tracked_variables(self):
        return self.variables

    def add_variable(self, shape=(), initializer="zeros", dtype=None, aggregation="sum", name=None):
        dtype = np.dtype(getattr(dtype, "_np", dtype) if dtype is not None else self._dtype)
        shape = tuple(shape)
        if callable(initializer) and not isinstance(initializer, str):
            value = np.asarray(initializer(shape, dtype)).astype(dtype)
        elif initializer in ("zeros", None):
            value = np.zeros(shape, dtype)
        elif initializer == "ones":
            value = np.ones(shape, dtype)
        else:
            raise ValueError(f"Unsupported initializer {initializer!r}")
        with _vars.init_scope():
            v = Variable(value, trainable=False, name=f"{self.name}/{name or 'variable'}")
        v.path = f"{self.name}/{name or 'variable'}"
        v._metric_initial = value
        self._variables.append(v)
        return v

    def add_weight(self, name=None, shape=(), initializer="zeros", dtype=None, aggregation="sum"):
        return self.add_variable(shape=shape, initializer=initializer, dtype=dtype, aggregation=aggregation,
                                 name=name)

    def reset_state(self):
        for v in self._variables:
            _assign_raw(v, jnp.asarray(getattr(v, "_metric_initial", np.zeros(tuple(v.shape), v.dtype._np))))

    def reset_states(self):
        self.reset_state()

    def update_state(self, *args, **kwargs):
        raise NotImplementedError

    def result(self):
        raise NotImplementedError

    def __call__(self, *args, **kwargs):
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self):
        return {"name": self.name, "dtype": self._dtype}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"

    # -- pure update machinery ---------------------------------------------------
    def _run(self, key, fn, *args):
        """Runs ``fn(state_arrays, *args) -> new state`` (jit eagerly, inlined while tracing)."""
        state_vars = self._variables
        if _vars.current_scope() is None:
            jitted = self._jits.get(key)
            if jitted is None:
                jitted = self._jits[key] = jax.jit(fn)
            new = jitted([v._value for v in state_vars], *args)
        else:
            new = fn([v._read_raw() for v in state_vars], *args)
        for v, x in zip(state_vars, new):
            _assign_raw(v, x)

    def _state(self):
        return [v._read_raw() for v in self._variables]
