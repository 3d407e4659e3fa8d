"""The Keras 3 optimizer base class on tfjax Variables.

All state (``iterations``, ``learning_rate``, per-variable slots, EMA averages,
gradient accumulators) lives in tfjax ``Variable``s, so a ``tf.function`` that
calls ``apply_gradients`` captures and updates it like any other variable.

One update is a *pure* function ``(variables, slots, grads, step, lr) -> new
values`` written with ``jnp`` and mirroring Keras's formulas operation for
operation (epsilon placement, casts), so numerics match Keras. Eagerly, that
function runs as one ``jax.jit`` program per set of variables; inside a
``tf.function`` trace it is inlined into the caller's program.

An optimizer is not a ``tf.Module`` (Keras's ``model.variables`` never contains
optimizer state); ``tf.function`` finds its variables through
``_tfjax_tracked_variables``.
"""

from __future__ import annotations

import re
import warnings

import jax
import jax.numpy as jnp
import numpy as np

from tfjax._src import variables as _vars
from tfjax._src.tensor import Tensor, to_array
from tfjax._src.variables import Variable
from tfjax._src.keras.optimizers import schedules as _schedules


def assign_raw(var, value):
    """Stores a raw array into ``var`` (eagerly, or into the active trace's state)."""
    scope = _vars.current_scope()
    if scope is None:
        var._value = value
    else:
        scope.write(var, value)


def _var_key_name(var):
    path = getattr(var, "path", None)
    if path is None:
        path = var.name
        if path.endswith(":0"):
            path = path[:-2]
    return path.replace("/", "_")


def _zeros_like_raw(var):
    return jnp.zeros(tuple(var.shape), var.dtype._np)


_NAME_COUNTS = {}


def _unique_name(base):
    n = _NAME_COUNTS.get(base, 0)
    _NAME_COUNTS[base] = n + 1
    return base if n == 0 else f"{base}_{n}"


def _snake(name):
    # Keras's default names split before a capital that starts a lowercase word: SGD -> sgd,
    # RMSprop -> rm_sprop, AdamW -> adam_w.
    from tfjax._src.keras.layers.layer import to_snake_case  # noqa: PLC0415
    return to_snake_case(name)


class Optimizer:
    """``keras.optimizers.Optimizer``: subclasses define ``_slot_groups`` and ``_update``."""

    # Per-variable slot names, created in Keras's order: for each group, for each
    # variable, each name of the group.
    _default_lr = 0.001

    def __init__(self, learning_rate, weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        kwargs.pop("decay", None)
        if kwargs:
            raise ValueError(f"Argument(s) not recognized: {kwargs}")
        if name is None:
            name = _snake(type(self).__name__)
        self.name = name
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.global_clipnorm = global_clipnorm
        self.clipvalue = clipvalue
        if sum(x is not None for x in (clipnorm, clipvalue, global_clipnorm)) > 1:
            raise ValueError(
                "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received: "
                f"clipnorm={clipnorm}, clipvalue={clipvalue}, global_clipnorm={global_clipnorm}")
        self.use_ema = use_ema
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        if use_ema and not (0 <= ema_momentum <= 1):
            raise ValueError(f"`ema_momentum` must be in the range [0, 1]. Received: ema_momentum={ema_momentum}")
        self.loss_scale_factor = loss_scale_factor
        if gradient_accumulation_steps is not None and gradient_accumulation_steps < 2:
            raise ValueError(
                "`gradient_accumulation_steps` must be an integer >= 2. Received: "
                f"gradient_accumulation_steps={gradient_accumulation_steps}")
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self.built = False
        self._variables = []
        self._trainable_variables = []
        self._var_index = {}
        self._slots = {}          # slot name -> list of Variables (aligned with _trainable_variables)
        self._globals = {}        # optimizer-wide extra state (e.g. Nadam's u_product)
        self._accumulated_gradients = []
        self._model_variables_moving_average = []
        self._exclude_from_weight_decay = set()
        self._exclude_from_weight_decay_pattern = None
        self._jit_cache = {}
        self._iterations = self._new_variable(np.int64(0), "iteration")
        if isinstance(learning_rate, _schedules.LearningRateSchedule) or callable(learning_rate):
            self._learning_rate = learning_rate
        else:
            self._learning_rate = self._new_variable(np.float32(to_array(learning_rate)), "learning_rate")

    # -- variables --------------------------------------------------------------
    def _new_variable(self, value, name):
        with _vars.init_scope():
            v = Variable(value, trainable=False, name=f"{self.name}/{name}")
        v.path = f"{self.name}/{name}"
        self._variables.append(v)
        return v

    def _tfjax_tracked_variables(self):
        return list(self._variables)

    @property
    def variables(self):
        return list(self._variables)

    @property
    def iterations(self):
        if self.gradient_accumulation_steps:
            from tfjax._src.ops import math_ops  # noqa: PLC0415
            return math_ops.floordiv(self._iterations.value(), self.gradient_accumulation_steps)
        return self._iterations

    @iterations.setter
    def iterations(self, value):
        self._iterations.assign(value)

    def add_variable(self, shape, initializer="zeros", dtype=None, aggregation="none", name=None):
        dtype = np.dtype("float32") if dtype is None else np.dtype(getattr(dtype, "_np", dtype))
        if callable(initializer):
            value = np.asarray(initializer(shape, dtype))
        elif initializer == "zeros":
            value = np.zeros(shape, dtype)
        elif initializer == "ones":
            value = np.ones(shape, dtype)
        else:
            raise ValueError(f"Unsupported initializer {initializer!r}")
        return self._new_variable(value, name or "variable")

    def add_variable_from_reference(self, reference_variable, name=None, initializer="zeros"):
        value = jnp.full(tuple(reference_variable.shape), initializer if not isinstance(initializer, str) else
                         (1 if initializer == "ones" else 0), reference_variable.dtype._np)
        return self._new_variable(value, f"{_var_key_name(reference_variable)}_{name}")

    def _slot_groups(self):
        """List of groups of (slot name, initial scalar value or callable(var)->array)."""
        return []

    def _build_globals(self, var_list):
        """Optimizer-wide extra variables (override)."""

    def build(self, var_list):
        if self.built:
            return
        var_list = list(var_list)
        self._trainable_variables = var_list
        self._var_index = {id(v): i for i, v in enumerate(var_list)}
        # Keras's base build creates these first (EMA averages start at zero).
        if self.use_ema:
            self._model_variables_moving_average = [
                self._new_variable(_zeros_like_raw(v), f"{_var_key_name(v)}_average") for v in var_list]
        if self.gradient_accumulation_steps:
            self._accumulated_gradients = [
                self._new_variable(_zeros_like_raw(v), f"{_var_key_name(v)}_gradient_accumulator")
                for v in var_list]
        for group in self._slot_groups():
            for name, _ in group:
                self._slots[name] = []
            for v in var_list:
                for name, init in group:
                    if callable(init):
                        value = init(v)
                    else:
                        value = jnp.full(tuple(v.shape), init, v.dtype._np)
                    if value is None:
                        self._slots[name].append(None)
                        continue
                    self._slots[name].append(self._new_variable(value, f"{_var_key_name(v)}_{name}"))
        self._build_globals(var_list)
        self.built = True

    # -- learning rate ----------------------------------------------------------
    @property
    def learning_rate(self):
        lr = self._learning_rate
        if isinstance(lr, _schedules.LearningRateSchedule):
            return lr(self._iterations)
        if isinstance(lr, Variable):
            return lr
        if callable(lr):
            return lr()
        return lr

    @learning_rate.setter
    def learning_rate(self, value):
        if isinstance(value, _schedules.LearningRateSchedule) or (callable(value) and not isinstance(value, Variable)):
            self._learning_rate = value
            self._jit_cache.clear()
            return
        if not isinstance(self._learning_rate, Variable):
            if isinstance(self._learning_rate, _schedules.LearningRateSchedule):
                raise TypeError(
                    "This optimizer was created with a `LearningRateSchedule` object as its `learning_rate` "
                    "constructor argument, hence its learning rate is not settable. If you need the learning "
                    "rate to be settable, you should instantiate the optimizer with a float `learning_rate` "
                    "argument.")
            self._learning_rate = self._new_variable(np.float32(0.0), "learning_rate")
            self._jit_cache.clear()
        self._learning_rate.assign(np.float32(to_array(value)) if not isinstance(value, Tensor)
                                   else to_array(value).astype(jnp.float32))

    lr = learning_rate

    def _lr_raw(self, iterations):
        lr = self._learning_rate
        if isinstance(lr, _schedules.LearningRateSchedule):
            return lr._raw(iterations)
        if isinstance(lr, Variable):
            return lr._read_raw()
        return to_array(lr())

    # -- weight decay -------------------------------------------------------------
    def exclude_from_weight_decay(self, var_list=None, var_names=None):
        if self.built:
            raise ValueError("`exclude_from_weight_decay()` can only be configured before the optimizer is built.")
        self._exclude_from_weight_decay = {id(v) for v in (var_list or [])}
        if var_names:
            self._exclude_from_weight_decay_pattern = re.compile("|".join(set(var_names)))
        else:
            self._exclude_from_weight_decay_pattern = None

    def _use_weight_decay(self, variable):
        if id(variable) in self._exclude_from_weight_decay:
            return False
        if self._exclude_from_weight_decay_pattern is not None:
            name = getattr(variable, "path", None) or variable.name
            if self._exclude_from_weight_decay_pattern.search(name) is not None:
                return False
        return True

    # -- applying -----------------------------------------------------------------
    def apply_gradients(self, grads_and_vars):
        grads, trainable_variables = zip(*grads_and_vars)
        self.apply(grads, trainable_variables)
        return self._iterations

    def apply(self, grads, trainable_variables=None):
        grads = list(grads)
        if len(grads) == 0:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    "When passing `grads` without `variables`, the optimizer must already be built on a list "
                    "of variables. Call `optimizer.build(trainable_variables)` first. ")
            if len(grads) != len(self._trainable_variables):
                raise ValueError(
                    "When passing `grads` as a list of gradient tensors, the gradients must match "
                    f"`optimizer.variables` one-to-on. Received a list of {len(grads)} gradients, but the "
                    f"optimizer is tracking {len(self._trainable_variables)} trainable variables.")
            trainable_variables = self._trainable_variables
        else:
            trainable_variables = list(trainable_variables)
            if not self.built:
                self.build(trainable_variables)
            for v in trainable_variables:
                if id(v) not in self._var_index:
                    raise ValueError(
                        f"Unknown variable: {v!r}. This optimizer can only be called for the variables it "
                        "was originally built with. When working with a new set of variables, you should "
                        "recreate a new optimizer instance.")
        pairs = [(g, v) for g, v in zip(grads, trainable_variables) if g is not None]
        if len(pairs) < len(grads):
            missing = [getattr(v, "path", v.name) for g, v in zip(grads, trainable_variables) if g is None]
            if not pairs:
                raise ValueError("No gradients provided for any variable.")
            warnings.warn(f"Gradients do not exist for variables {missing} when minimizing the loss. "
                          "If using `model.compile()`, did you forget to provide a `loss` argument?")
        idx = tuple(self._var_index[id(v)] for _, v in pairs)
        grads_raw = [to_array(g) for g, _ in pairs]
        state = self._gather_state(idx)
        lr_in = None if isinstance(self._learning_rate, (_schedules.LearningRateSchedule, Variable)) \
            else self._lr_raw(None)
        if _vars.current_scope() is None:
            fn = self._jit_cache.get(idx)
            if fn is None:
                fn = jax.jit(lambda s, g, lr: self._pure_apply(idx, s, g, lr))
                self._jit_cache[idx] = fn
            new_state = fn(state, grads_raw, lr_in)
        else:
            new_state = self._pure_apply(idx, state, grads_raw, lr_in)
        self._scatter_state(idx, new_state)
        for _, v in pairs:
            if v.constraint is not None:
                v.assign(v.constraint(v))

    def _state_vars(self, idx):
        tv = self._trainable_variables
        state = {"vars": [tv[i] for i in idx], "iter": self._iterations,
                 "slots": {k: [s[i] for i in idx] for k, s in self._slots.items()},
                 "glob": dict(self._globals)}
        if isinstance(self._learning_rate, Variable):
            state["lr"] = self._learning_rate
        if self.use_ema:
            state["ema"] = list(self._model_variables_moving_average)
            state["all_vars"] = list(tv)
        if self.gradient_accumulation_steps:
            state["acc"] = [self._accumulated_gradients[i] for i in idx]
        return state

    def _gather_state(self, idx):
        return jax.tree_util.tree_map(lambda v: v._read_raw(), self._state_vars(idx),
                                      is_leaf=lambda x: isinstance(x, Variable))

    def _scatter_state(self, idx, new_state):
        sv = self._state_vars(idx)
        sv.pop("lr", None)
        new_state = dict(new_state)
        new_state.pop("lr", None)
        leaves_v = jax.tree_util.tree_leaves(sv, is_leaf=lambda x: isinstance(x, Variable))
        leaves_n = jax.tree_util.tree_leaves(new_state, is_leaf=lambda x: x is None)
        for v, x in zip(leaves_v, leaves_n):
            if x is not None:
                assign_raw(v, x)

    # The pure update ------------------------------------------------------------
    def _pure_apply(self, idx, state, grads, lr_in):
        step = state["iter"]
        if lr_in is not None:
            lr = jnp.asarray(lr_in)
        elif "lr" in state:
            lr = state["lr"]
        else:
            lr = self._learning_rate._raw(step)
        variables = list(state["vars"])
        tvars = [self._trainable_variables[i] for i in idx]
        grads = [g.astype(v.dtype) if g.dtype != v.dtype else g for g, v in zip(grads, variables)]
        if self.loss_scale_factor is not None:
            grads = [g / self.loss_scale_factor for g in grads]
        slots = {k: list(s) for k, s in state["slots"].items()}
        glob = dict(state["glob"])
        new = dict(state)

        def do_update(grads, variables, slots, glob):
            grads = self._clip_gradients(grads)
            variables = list(variables)
            if self.weight_decay is not None:
                for i, (tv, v) in enumerate(zip(tvars, variables)):
                    if self._use_weight_decay(tv):
                        lr_c = lr.astype(v.dtype)
                        wd = jnp.asarray(self.weight_decay, v.dtype)
                        variables[i] = v - v * wd * lr_c
            glob = self._update_globals(glob, step, variables)
            new_vars, new_slots = [], {k: list(s) for k, s in slots.items()}
            for i, (g, v) in enumerate(zip(grads, variables)):
                own = {k: s[i] for k, s in slots.items()}
                nv, ns = self._update(g, v, own, lr, step, glob)
                new_vars.append(nv)
                for k, x in ns.items():
                    new_slots[k][i] = x
            return new_vars, new_slots, glob

        if self.gradient_accumulation_steps:
            n = self.gradient_accumulation_steps
            acc = state["acc"]
            is_update = (step + 1) % n == 0
            avg = [(g + a) / n for g, a in zip(grads, acc)]
            upd_vars, upd_slots, upd_glob = do_update(avg, variables, slots, glob)
            sel = lambda a, b: jax.tree_util.tree_map(lambda x, y: jnp.where(is_update, x, y), a, b)  # noqa: E731
            new["vars"] = sel(upd_vars, variables)
            new["slots"] = sel(upd_slots, slots)
            new["glob"] = sel(upd_glob, glob)
            new["acc"] = [jnp.where(is_update, jnp.zeros_like(a), g + a) for g, a in zip(grads, acc)]
        else:
            new["vars"], new["slots"], new["glob"] = do_update(grads, variables, slots, glob)

        if self.use_ema:
            all_vals = list(state["all_vars"])
            pos = {i: k for k, i in enumerate(idx)}
            all_vals = [new["vars"][pos[i]] if i in pos else x for i, x in enumerate(all_vals)]
            new_ema = []
            for x, avg in zip(all_vals, state["ema"]):
                mom = (step != 0).astype(x.dtype) * self.ema_momentum
                new_ema.append(mom * avg + (1 - mom) * x)
            new["ema"] = new_ema
            if self.ema_overwrite_frequency:
                ow = (step + 1) % self.ema_overwrite_frequency == 0
                new["all_vars"] = [jnp.where(ow, a, x) for a, x in zip(new_ema, all_vals)]
                # the overwritten values of the variables being updated win over new["vars"]
                new["vars"] = [new["all_vars"][i] for i in idx]
            else:
                new["all_vars"] = [None] * len(all_vals)
        new["iter"] = step + 1
        return new

    def _update_globals(self, glob, step, variables):
        return glob

    def _update(self, g, v, slots, lr, step, glob):
        raise NotImplementedError

    def _clip_gradients(self, grads):
        if self.clipnorm and self.clipnorm > 0:
            out = []
            for g in grads:
                l2sum = jnp.sum(jnp.square(g), keepdims=True)
                pred = l2sum > 0
                l2norm = jnp.where(pred, jnp.sqrt(jnp.where(pred, l2sum, jnp.ones_like(l2sum))), l2sum)
                out.append(g * self.clipnorm / jnp.maximum(l2norm, self.clipnorm))
            return out
        if self.global_clipnorm and self.global_clipnorm > 0:
            norm = jnp.sqrt(jnp.sum(jnp.stack([jnp.sum(jnp.square(g)) for g in grads])))
            c = self.global_clipnorm
            scale = c * jnp.minimum(1.0 / norm, 1.0 / c)
            scale = scale + (norm - norm)
            return [g * scale.astype(g.dtype) for g in grads]
        if self.clipvalue and self.clipvalue > 0:
            c = self.clipvalue
            return [jnp.clip(g, -c, c) for g in grads]
        return grads

    # -- misc API -----------------------------------------------------------------
    def minimize(self, loss, var_list, tape=None):
        from tfjax._src.tape import GradientTape  # noqa: PLC0415
        if callable(var_list):
            var_list = var_list()
        var_list = list(var_list)
        if callable(loss):
            with GradientTape() as tape:
                for v in var_list:
                    tape.watch(v)
                loss = loss()
        elif tape is None:
            raise ValueError("`tape` is required when a `Tensor` loss is passed. ")
        grads = tape.gradient(loss, var_list)
        return self.apply_gradients(zip(grads, var_list))

    def scale_loss(self, loss):
        if self.loss_scale_factor is not None:
            return loss * self.loss_scale_factor
        return loss

    def finalize_variable_values(self, var_list):
        if self.use_ema:
            for v, avg in zip(var_list, self._model_variables_moving_average):
                v.assign(avg)

    def set_weights(self, weights):
        if not self.built:
            raise ValueError(
                "You are calling `set_weights()` on an optimizer that has not yet been built. Please call "
                "`optimizer.build(trainable_variables)` to create the optimizer weights before calling "
                "`set_weights()`.")
        for v, w in zip(self._variables, weights):
            if tuple(v.shape) != tuple(np.shape(w)):
                raise ValueError(f"Optimizer variable {v.name} has shape {v.shape} not compatible with provided "
                                 f"weight shape {np.shape(w)}.")
            v.assign(np.asarray(w).astype(v.dtype._np))

    def get_weights(self):
        return [np.asarray(v._value) for v in self._variables]

    def save_own_variables(self, store):
        for i, v in enumerate(self.variables):
            store[str(i)] = np.asarray(v._value)

    def load_own_variables(self, store):
        if len(store.keys()) != len(self.variables):
            warnings.warn(f"Skipping variable loading for optimizer '{self.name}', because it has "
                          f"{len(self.variables)} variables whereas the saved optimizer has {len(store.keys())} "
                          "variables. ", stacklevel=2)
            return
        for i, v in enumerate(self.variables):
            v.assign(np.asarray(store[str(i)]).astype(v.dtype._np))

    def get_config(self):
        lr = self._learning_rate
        if isinstance(lr, _schedules.LearningRateSchedule):
            lr = _schedules.serialize(lr)
        elif isinstance(lr, Variable):
            lr = float(np.asarray(lr._value))
        return {"name": self.name, "learning_rate": lr, "weight_decay": self.weight_decay,
                "clipnorm": self.clipnorm, "global_clipnorm": self.global_clipnorm, "clipvalue": self.clipvalue,
                "use_ema": self.use_ema, "ema_momentum": self.ema_momentum,
                "ema_overwrite_frequency": self.ema_overwrite_frequency,
                "loss_scale_factor": self.loss_scale_factor,
                "gradient_accumulation_steps": self.gradient_accumulation_steps}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = _schedules.deserialize(config["learning_rate"], custom_objects)
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"
