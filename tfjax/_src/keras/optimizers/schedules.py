"""``keras.optimizers.schedules``: learning-rate schedules as pure ``jnp`` functions of the step.

``schedule(step)`` returns a float32 Tensor. Optimizers call ``schedule._raw(step_array)``
inside their compiled update, so a schedule costs nothing extra per step.
"""

from __future__ import annotations

import math

import jax.numpy as jnp

from tfjax._src.tensor import Tensor, to_array


def _f32(x):
    return jnp.asarray(x, jnp.float32)


class LearningRateSchedule:
    """Base class: subclasses implement ``__call__(step)`` (or ``_raw(step)`` on raw arrays)."""

    def __call__(self, step):
        return Tensor(self._raw(to_array(step)))

    def _raw(self, step):
        raise NotImplementedError(f"Learning rate schedule '{type(self).__name__}' must override `__call__(self, step)`.")

    def get_config(self):
        raise NotImplementedError(f"Learning rate schedule '{type(self).__name__}' must override `get_config()`.")

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _check_steps(name, v):
    if v <= 0:
        raise ValueError(f"Argument `{name}` must be > 0. Received: {name}={v}")


class ExponentialDecay(LearningRateSchedule):
    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False, name="ExponentialDecay"):
        _check_steps("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def _raw(self, step):
        p = _f32(step) / _f32(self.decay_steps)
        if self.staircase:
            p = jnp.floor(p)
        return _f32(self.initial_learning_rate) * jnp.power(_f32(self.decay_rate), p)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "decay_rate": self.decay_rate, "staircase": self.staircase, "name": self.name}


class PiecewiseConstantDecay(LearningRateSchedule):
    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "The length of boundaries should be 1 less than the length of values. Received: "
                f"boundaries={boundaries} of length {len(boundaries)}, and values={values} of length {len(values)}.")
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def _raw(self, step):
        step = jnp.asarray(step)
        vals = [jnp.asarray(to_array(v)) for v in self.values]
        rdt = vals[0].dtype if vals[0].dtype != jnp.float64 or isinstance(self.values[0], Tensor) else jnp.float32
        vals = [v.astype(rdt) for v in vals]
        bnds = [jnp.asarray(to_array(b)).astype(step.dtype) for b in self.boundaries]
        out = (step <= bnds[0]).astype(rdt) * vals[0] + (step > bnds[-1]).astype(rdt) * vals[-1]
        for lo, hi, v in zip(bnds[:-1], bnds[1:], vals[1:-1]):
            out = out + ((step > lo) & (step <= hi)).astype(rdt) * v
        return out

    def get_config(self):
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


class PolynomialDecay(LearningRateSchedule):
    def __init__(self, initial_learning_rate, decay_steps, end_learning_rate=0.0001, power=1.0, cycle=False,
                 name="PolynomialDecay"):
        _check_steps("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name

    def _raw(self, step):
        init = _f32(self.initial_learning_rate)
        end = _f32(self.end_learning_rate)
        s = _f32(step)
        ds = _f32(self.decay_steps)
        if self.cycle:
            mult = jnp.where(s == 0, _f32(1.0), jnp.ceil(s / ds))
            ds = ds * mult
        else:
            s = jnp.minimum(s, ds)
        p = s / ds
        return (init - end) * jnp.power(1 - p, _f32(self.power)) + end

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "end_learning_rate": self.end_learning_rate, "power": self.power, "cycle": self.cycle,
                "name": self.name}


class InverseTimeDecay(LearningRateSchedule):
    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False, name="InverseTimeDecay"):
        _check_steps("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def _raw(self, step):
        p = _f32(step) / _f32(self.decay_steps)
        if self.staircase:
            p = jnp.floor(p)
        return _f32(self.initial_learning_rate) / (_f32(1.0) + _f32(self.decay_rate) * p)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "decay_rate": self.decay_rate, "staircase": self.staircase, "name": self.name}


class CosineDecay(LearningRateSchedule):
    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0, name="CosineDecay", warmup_target=None,
                 warmup_steps=0):
        _check_steps("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_target = warmup_target
        self.warmup_steps = warmup_steps

    def _decay(self, step, decay_steps, from_lr):
        frac = step / decay_steps
        cos = 0.5 * (1.0 + jnp.cos(_f32(math.pi) * frac))
        return from_lr * ((1 - self.alpha) * cos + self.alpha)

    def _raw(self, step):
        init = _f32(self.initial_learning_rate)
        ds = _f32(self.decay_steps)
        s = _f32(step)
        if self.warmup_target is None:
            return self._decay(jnp.minimum(s, ds), ds, init)
        tgt = _f32(self.warmup_target)
        ws = _f32(self.warmup_steps)
        s = jnp.minimum(s, ds + ws)
        warm = (tgt - init) * (s / ws) + init
        return jnp.where(s < ws, warm, self._decay(s - ws, ds, tgt))

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "alpha": self.alpha, "name": self.name, "warmup_target": self.warmup_target,
                "warmup_steps": self.warmup_steps}


class CosineDecayRestarts(LearningRateSchedule):
    def __init__(self, initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0, alpha=0.0, name="SGDRDecay"):
        _check_steps("first_decay_steps", first_decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self._t_mul = t_mul
        self._m_mul = m_mul
        self.alpha = alpha
        self.name = name

    def _raw(self, step):
        init = _f32(self.initial_learning_rate)
        alpha = _f32(self.alpha)
        t_mul = _f32(self._t_mul)
        m_mul = _f32(self._m_mul)
        frac = _f32(step) / _f32(self.first_decay_steps)
        if float(self._t_mul) == 1.0:
            i_restart = jnp.floor(frac)
            frac = frac - i_restart
        else:
            i_restart = jnp.floor(jnp.log(1.0 - frac * (1.0 - t_mul)) / jnp.log(t_mul))
            sum_r = (1.0 - jnp.power(t_mul, i_restart)) / (1.0 - t_mul)
            frac = (frac - sum_r) / jnp.power(t_mul, i_restart)
        m_fac = jnp.power(m_mul, i_restart)
        cos = 0.5 * m_fac * (1.0 + jnp.cos(_f32(math.pi) * frac))
        return init * ((1 - alpha) * cos + alpha)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "first_decay_steps": self.first_decay_steps,
                "t_mul": self._t_mul, "m_mul": self._m_mul, "alpha": self.alpha, "name": self.name}


def serialize(learning_rate_schedule):
    return {"module": "keras.optimizers.schedules", "class_name": type(learning_rate_schedule).__name__,
            "config": learning_rate_schedule.get_config(), "registered_name": None}


def deserialize(config, custom_objects=None):
    name = config["class_name"]
    cls = (custom_objects or {}).get(name) or globals().get(name)
    if cls is None:
        raise ValueError(f"Unknown learning rate schedule: {name}")
    return cls.from_config(config["config"])
