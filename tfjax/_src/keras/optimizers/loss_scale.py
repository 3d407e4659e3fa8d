"""``keras.optimizers.LossScaleOptimizer``: dynamic loss scaling (Keras 3 rules).

If every gradient is finite, the inner optimizer applies ``grads / scale`` and
the scale doubles after ``dynamic_growth_steps`` finite steps in a row;
otherwise nothing is applied (the inner ``iterations`` does not move) and the
scale halves. All of it is one pure function (``jnp.where`` selects the branch),
so it compiles into the train step.
"""

from __future__ import annotations


import jax
import jax.numpy as jnp
import numpy as np

from tfjax._src import variables as _vars
from tfjax._src.tensor import Tensor, to_array
from tfjax._src.keras.optimizers.base import Optimizer
from tfjax._src.keras.optimizers import schedules as _schedules
from tfjax._src.variables import Variable


class LossScaleOptimizer(Optimizer):
    def __init__(self, inner_optimizer, initial_scale=2.0 ** 15, dynamic_growth_steps=2000, name=None, **kwargs):
        if not kwargs.pop("dynamic", True):
            raise ValueError("LossScaleOptimizer no longer supports `dynamic=False`. Instead, simply set "
                             "`loss_scale_factor` directly on the `inner_optimizer`.")
        for k in list(kwargs):
            if kwargs[k] in (None, False, 0.99):
                kwargs.pop(k)
        if kwargs:
            raise ValueError(f"LossScaleOptimizer does not support arguments: `{'`, `'.join(kwargs.keys())}`.")
        super().__init__(learning_rate=0.0, name=name)
        self.inner_optimizer = inner_optimizer
        self.initial_scale = initial_scale
        self.dynamic_growth_steps = dynamic_growth_steps
        self.inner_optimizer.loss_scale_factor = None

    def build(self, var_list):
        if self.built:
            return
        var_list = list(var_list)
        self.step_counter = self._new_variable(np.int64(0), "step_counter")
        self.dynamic_scale = self._new_variable(np.float32(self.initial_scale), "dynamic_scale")
        self.inner_optimizer.build(var_list)
        self._trainable_variables = var_list
        self._var_index = {id(v): i for i, v in enumerate(var_list)}
        self.built = True

    @property
    def variables(self):
        return self._variables + self.inner_optimizer.variables

    def _tfjax_tracked_variables(self):
        return self.variables

    @property
    def learning_rate(self):
        return self.inner_optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        self.inner_optimizer.learning_rate = value

    @property
    def iterations(self):
        return self.inner_optimizer.iterations

    def scale_loss(self, loss):
        scale = self.dynamic_scale if self.built else self.initial_scale
        if isinstance(scale, Variable):
            scale = scale.value()
            if isinstance(loss, Tensor) and loss.dtype != scale.dtype:
                from tfjax._src.ops import math_ops  # noqa: PLC0415
                scale = math_ops.cast(scale, loss.dtype)
        return loss * scale

    def check_finite(self, grads):
        return Tensor(jnp.all(jnp.stack([jnp.all(jnp.isfinite(to_array(g))) for g in grads if g is not None])))

    def apply(self, grads, trainable_variables=None):
        inner = self.inner_optimizer
        if not self.built:
            self.build(trainable_variables if trainable_variables is not None else inner._trainable_variables)
        if trainable_variables is None:
            trainable_variables = self._trainable_variables
        pairs = [(g, v) for g, v in zip(grads, trainable_variables) if g is not None]
        if not pairs:
            raise ValueError("No gradients provided for any variable.")
        idx = tuple(inner._var_index[id(v)] for _, v in pairs)
        grads_raw = [to_array(g) for g, _ in pairs]
        inner_state = inner._gather_state(idx)
        own = (self.step_counter._read_raw(), self.dynamic_scale._read_raw())
        lr_in = None if isinstance(inner._learning_rate, (_schedules.LearningRateSchedule, Variable)) \
            else inner._lr_raw(None)
        if _vars.current_scope() is None:
            fn = self._jit_cache.get(idx)
            if fn is None:
                fn = jax.jit(lambda s, o, g, lr: self._pure(idx, s, o, g, lr))
                self._jit_cache[idx] = fn
            new_inner, new_own = fn(inner_state, own, grads_raw, lr_in)
        else:
            new_inner, new_own = self._pure(idx, inner_state, own, grads_raw, lr_in)
        inner._scatter_state(idx, new_inner)
        from tfjax._src.keras.optimizers.base import assign_raw  # noqa: PLC0415
        assign_raw(self.step_counter, new_own[0])
        assign_raw(self.dynamic_scale, new_own[1])

    def _pure(self, idx, inner_state, own, grads, lr_in):
        counter, scale = own
        finite = jnp.all(jnp.stack([jnp.all(jnp.isfinite(g)) for g in grads]))
        unscaled = [g / scale.astype(g.dtype) for g in grads]
        updated = self.inner_optimizer._pure_apply(idx, inner_state, unscaled, lr_in)
        old = dict(inner_state)
        old.pop("lr", None)
        updated = dict(updated)
        updated.pop("lr", None)
        new_inner = jax.tree_util.tree_map(
            lambda n, o: jnp.where(finite, n, o) if n is not None else None, updated, old,
            is_leaf=lambda x: x is None)
        grow = counter == self.dynamic_growth_steps - 1
        f_counter = jnp.where(grow, jnp.zeros_like(counter), counter + 1)
        f_scale = jnp.where(grow, scale * 2.0, scale)
        new_counter = jnp.where(finite, f_counter, jnp.zeros_like(counter))
        new_scale = jnp.where(finite, f_scale, scale * 0.5)
        return new_inner, (new_counter, new_scale)

    def finalize_variable_values(self, var_list):
        self.inner_optimizer.finalize_variable_values(var_list)

    def get_config(self):
        from tfjax._src.keras.optimizers import serialize  # noqa: PLC0415
        return {"name": self.name, "inner_optimizer": serialize(self.inner_optimizer),
                "initial_scale": self.initial_scale, "dynamic_growth_steps": self.dynamic_growth_steps}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from tfjax._src.keras.optimizers import deserialize  # noqa: PLC0415
        config = dict(config)
        inner = deserialize(config.pop("inner_optimizer"), custom_objects)
        return cls(inner, **config)
