"""An ``optax.GradientTransformation`` used as a Keras optimizer (``model.compile(optimizer=optax.adam(1e-3))``).

The optax state's array leaves are held in tfjax Variables, so compiled train
steps capture and update them like any other optimizer slot.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from tfjax._src.keras.optimizers.base import Optimizer


class OptaxOptimizer(Optimizer):
    def __init__(self, transformation, name="optax", **kwargs):
        super().__init__(learning_rate=0.0, name=name, **kwargs)
        self.transformation = transformation
        self._treedef = None
        self._leaf_vars = []

    def build(self, var_list):
        if self.built:
            return
        var_list = list(var_list)
        self._trainable_variables = var_list
        self._var_index = {id(v): i for i, v in enumerate(var_list)}
        state = self.transformation.init([v._value for v in var_list])
        leaves, self._treedef = jax.tree_util.tree_flatten(state)
        self._leaf_vars = [self._new_variable(jnp.asarray(x), f"optax_state_{i}") for i, x in enumerate(leaves)]
        self.built = True

    def _state_vars(self, idx):
        if idx != tuple(range(len(self._trainable_variables))):
            raise ValueError("An optax GradientTransformation must be applied to all the variables it was built with.")
        return {"vars": list(self._trainable_variables), "iter": self._iterations, "opt": list(self._leaf_vars)}

    def _pure_apply(self, idx, state, grads, lr_in):
        import optax  # noqa: PLC0415
        params = list(state["vars"])
        grads = [g.astype(p.dtype) for g, p in zip(grads, params)]
        opt_state = jax.tree_util.tree_unflatten(self._treedef, list(state["opt"]))
        updates, opt_state = self.transformation.update(grads, opt_state, params)
        params = optax.apply_updates(params, updates)
        return {"vars": list(params), "iter": state["iter"] + 1, "opt": jax.tree_util.tree_leaves(opt_state)}

    def get_config(self):
        return {"name": self.name}
