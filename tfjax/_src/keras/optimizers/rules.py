"""The standard Keras 3 optimizers.

Each ``_update`` is the pure per-variable rule of the Keras class of the same
name, written with ``jnp`` step for step (same casts, same place for epsilon),
so results agree with Keras to float32 round-off.
"""

from __future__ import annotations

import jax.numpy as jnp

from tfjax._src.keras.optimizers.base import Optimizer

_BASE_KW = ("weight_decay", "clipnorm", "clipvalue", "global_clipnorm", "use_ema", "ema_momentum",
            "ema_overwrite_frequency", "loss_scale_factor", "gradient_accumulation_steps", "name")


def _c(x, dt):
    return jnp.asarray(x, dt)


class SGD(Optimizer):
    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, weight_decay=None, clipnorm=None,
                 clipvalue=None, global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None, gradient_accumulation_steps=None, name=None,
                 **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        if not isinstance(momentum, float) or momentum < 0 or momentum > 1:
            raise ValueError("`momentum` must be a float between [0, 1].")
        self.momentum = momentum
        self.nesterov = nesterov

    def _slot_groups(self):
        return [[("momentum", 0)]] if self.momentum != 0 else []

    def _update(self, g, v, s, lr, step, glob):
        dt = v.dtype
        lr = lr.astype(dt)
        if self.momentum != 0:
            mom = _c(self.momentum, dt)
            m = s["momentum"] * mom - g * lr
            if self.nesterov:
                v = v + (m * mom - g * lr)
            else:
                v = v + m
            return v, {"momentum": m}
        return v - g * lr, {}

    def get_config(self):
        c = super().get_config()
        c.update(momentum=self.momentum, nesterov=self.nesterov)
        return c


class Adam(Optimizer):
    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False,
                 ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.amsgrad = amsgrad

    def _slot_groups(self):
        groups = [[("momentum", 0), ("velocity", 0)]]
        if self.amsgrad:
            groups.append([("velocity_hat", 0)])
        return groups

    def _update(self, g, v, s, lr, step, glob):
        dt = v.dtype
        lr = lr.astype(dt)
        local_step = (step + 1).astype(dt)
        b1p = jnp.power(_c(self.beta_1, dt), local_step)
        b2p = jnp.power(_c(self.beta_2, dt), local_step)
        m, vel = s["momentum"], s["velocity"]
        alpha = lr * jnp.sqrt(1 - b2p) / (1 - b1p)
        m = m + (g - m) * (1 - self.beta_1)
        vel = vel + (jnp.square(g) - vel) * (1 - self.beta_2)
        out = {"momentum": m, "velocity": vel}
        if self.amsgrad:
            vhat = jnp.maximum(s["velocity_hat"], vel)
            out["velocity_hat"] = vhat
            vel = vhat
        return v - (m * alpha) / (jnp.sqrt(vel) + self.epsilon), out

    def get_config(self):
        c = super().get_config()
        c.update(beta_1=self.beta_1, beta_2=self.beta_2, epsilon=self.epsilon, amsgrad=self.amsgrad)
        return c


class AdamW(Adam):
    def __init__(self, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 amsgrad=False, clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False,
                 ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon,
                         amsgrad=amsgrad, weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, use_ema=use_ema, ema_momentum=ema_momentum,
                         ema_overwrite_frequency=ema_overwrite_frequency, loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        if self.weight_decay is None:
            raise ValueError("Argument `weight_decay` must be a float. Received: weight_decay=None")


class RMSprop(Optimizer):
    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None, gradient_accumulation_steps=None, name=None,
                 **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        self.rho = rho
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered

    def _slot_groups(self):
        groups = [[("velocity", 0)]]
        if self.momentum > 0:
            groups.append([("momentum", 0)])
        if self.centered:
            groups.append([("average_gradient", 0)])
        return groups

    def _update(self, g, v, s, lr, step, glob):
        dt = v.dtype
        lr = lr.astype(dt)
        rho = self.rho
        out = {}
        vel = rho * s["velocity"] + (1 - rho) * jnp.square(g)
        out["velocity"] = vel
        if self.centered:
            avg = rho * s["average_gradient"] + (1 - rho) * g
            out["average_gradient"] = avg
            denom = vel - jnp.square(avg) + self.epsilon
        else:
            denom = vel + self.epsilon
        inc = (lr * g) / jnp.sqrt(denom)
        if self.momentum > 0:
            mom = self.momentum * s["momentum"] + inc
            out["momentum"] = mom
            return v - mom, out
        return v - inc, out

    def get_config(self):
        c = super().get_config()
        c.update(rho=self.rho, momentum=self.momentum, epsilon=self.epsilon, centered=self.centered)
        return c


class Adagrad(Optimizer):
    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None, gradient_accumulation_steps=None, name=None,
                 **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon

    def _slot_groups(self):
        return [[("accumulator", self.initial_accumulator_value)]]

    def _update(self, g, v, s, lr, step, glob):
        lr = lr.astype(v.dtype)
        acc = s["accumulator"] + jnp.square(g)
        return v - (lr * g) / jnp.sqrt(acc + self.epsilon), {"accumulator": acc}

    def get_config(self):
        c = super().get_config()
        c.update(initial_accumulator_value=self.initial_accumulator_value, epsilon=self.epsilon)
        return c


class Adadelta(Optimizer):
    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-7, weight_decay=None, clipnorm=None,
                 clipvalue=None, global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None, gradient_accumulation_steps=None, name=None,
                 **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        self.rho = rho
        self.epsilon = epsilon

    def _slot_groups(self):
        return [[("accumulated_grad", 0), ("accumulated_delta_var", 0)]]

    def _update(self, g, v, s, lr, step, glob):
        lr = lr.astype(v.dtype)
        rho = self.rho

        def rms(x):
            return jnp.sqrt(x + self.epsilon)

        ag = rho * s["accumulated_grad"] + (1 - rho) * jnp.square(g)
        adv = s["accumulated_delta_var"]
        delta = -((rms(adv) * g) / rms(ag))
        adv = rho * adv + (1 - rho) * jnp.square(delta)
        return v + lr * delta, {"accumulated_grad": ag, "accumulated_delta_var": adv}

    def get_config(self):
        c = super().get_config()
        c.update(rho=self.rho, epsilon=self.epsilon)
        return c


class Adamax(Optimizer):
    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None, gradient_accumulation_steps=None, name=None,
                 **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def _slot_groups(self):
        return [[("momentum", 0), ("norm", 0)]]

    def _update(self, g, v, s, lr, step, glob):
        dt = v.dtype
        lr = lr.astype(dt)
        local_step = (step + 1).astype(dt)
        b1p = jnp.power(_c(self.beta_1, dt), local_step)
        m = s["momentum"] + (g - s["momentum"]) * (1 - self.beta_1)
        u = jnp.maximum(self.beta_2 * s["norm"], jnp.abs(g))
        return v - (lr * m) / ((1 - b1p) * (u + self.epsilon)), {"momentum": m, "norm": u}

    def get_config(self):
        c = super().get_config()
        c.update(beta_1=self.beta_1, beta_2=self.beta_2, epsilon=self.epsilon)
        return c


class Nadam(Optimizer):
    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None, gradient_accumulation_steps=None, name=None,
                 **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def _slot_groups(self):
        return [[("momentum", 0), ("velocity", 0)]]

    def _build_globals(self, var_list):
        dt = var_list[0].dtype._np if var_list else jnp.float32
        self._globals["u_product"] = self._new_variable(jnp.asarray(1.0, dt), "u_product")

    def _update_globals(self, glob, step, variables):
        up = glob["u_product"]
        dt = up.dtype
        glob = dict(glob)
        glob["u_product"] = up * self.beta_1 * (1.0 - 0.5 * jnp.power(_c(0.96, dt), (step + 1).astype(dt)))
        return glob

    def _update(self, g, v, s, lr, step, glob):
        dt = v.dtype
        lr = lr.astype(dt)
        local_step = (step + 1).astype(dt)
        next_step = (step + 2).astype(dt)
        decay = _c(0.96, dt)
        b1 = _c(self.beta_1, dt)
        b2 = _c(self.beta_2, dt)
        u_t = b1 * (1.0 - 0.5 * jnp.power(decay, local_step))
        u_t_1 = b1 * (1.0 - 0.5 * jnp.power(decay, next_step))
        u_prod = glob["u_product"].astype(dt)
        u_prod_1 = u_prod * u_t_1
        b2p = jnp.power(b2, local_step)
        m = s["momentum"] + (g - s["momentum"]) * (1 - b1)
        vel = s["velocity"] + (jnp.square(g) - s["velocity"]) * (1 - b2)
        m_hat = (u_t_1 * m) / (1 - u_prod_1) + ((1 - u_t) * g) / (1 - u_prod)
        v_hat = vel / (1 - b2p)
        return v - (m_hat * lr) / (jnp.sqrt(v_hat) + self.epsilon), {"momentum": m, "velocity": vel}

    def get_config(self):
        c = super().get_config()
        c.update(beta_1=self.beta_1, beta_2=self.beta_2, epsilon=self.epsilon)
        return c


class Ftrl(Optimizer):
    def __init__(self, learning_rate=0.001, learning_rate_power=-0.5, initial_accumulator_value=0.1,
                 l1_regularization_strength=0.0, l2_regularization_strength=0.0,
                 l2_shrinkage_regularization_strength=0.0, beta=0.0, weight_decay=None, clipnorm=None,
                 clipvalue=None, global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None, gradient_accumulation_steps=None, name=None,
                 **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        for name, val in (("initial_accumulator_value", initial_accumulator_value),
                          ("l1_regularization_strength", l1_regularization_strength),
                          ("l2_regularization_strength", l2_regularization_strength),
                          ("l2_shrinkage_regularization_strength", l2_shrinkage_regularization_strength)):
            if val < 0.0:
                raise ValueError(f"`{name}` needs to be positive or zero. Received: {name}={val}.")
        if learning_rate_power > 0.0:
            raise ValueError("`learning_rate_power` needs to be negative or zero. Received: "
                             f"learning_rate_power={learning_rate_power}.")
        self.learning_rate_power = learning_rate_power
        self.initial_accumulator_value = initial_accumulator_value
        self.l1_regularization_strength = l1_regularization_strength
        self.l2_regularization_strength = l2_regularization_strength
        self.l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self.beta = beta

    def _slot_groups(self):
        return [[("accumulator", self.initial_accumulator_value), ("linear", 0)]]

    def _update(self, g, v, s, lr, step, glob):
        lr = lr.astype(v.dtype)
        accum, linear = s["accumulator"], s["linear"]
        p = self.learning_rate_power
        l2 = self.l2_regularization_strength + self.beta / (2.0 * lr)
        g2 = g + 2 * self.l2_shrinkage_regularization_strength * v
        new_accum = accum + jnp.square(g)
        linear = linear + (g2 - ((jnp.power(new_accum, -p) - jnp.power(accum, -p)) / lr) * v)
        quadratic = jnp.power(new_accum, -p) / lr + 2 * l2
        l1 = self.l1_regularization_strength
        clipped = jnp.clip(linear, -l1, l1)
        return (clipped - linear) / quadratic, {"accumulator": new_accum, "linear": linear}

    def get_config(self):
        c = super().get_config()
        c.update(learning_rate_power=self.learning_rate_power,
                 initial_accumulator_value=self.initial_accumulator_value,
                 l1_regularization_strength=self.l1_regularization_strength,
                 l2_regularization_strength=self.l2_regularization_strength,
                 l2_shrinkage_regularization_strength=self.l2_shrinkage_regularization_strength,
                 beta=self.beta)
        return c


class Lion(Optimizer):
    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.99, weight_decay=None, clipnorm=None,
                 clipvalue=None, global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None, gradient_accumulation_steps=None, name=None,
                 **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        if beta_1 <= 0 or beta_1 > 1:
            raise ValueError("Argument `beta_1` must be in the [0, 1] range. Otherwise, the optimizer "
                             f"degenerates to SignSGD. Received: beta_1={beta_1}.")
        self.beta_1 = beta_1
        self.beta_2 = beta_2

    def _slot_groups(self):
        return [[("momentum", 0)]]

    def _update(self, g, v, s, lr, step, glob):
        dt = v.dtype
        lr = lr.astype(dt)
        b1, b2 = _c(self.beta_1, dt), _c(self.beta_2, dt)
        m = s["momentum"]
        v = v - lr * jnp.sign(m * b1 + g * (1.0 - b1))
        return v, {"momentum": m * b2 + g * (1.0 - b2)}

    def get_config(self):
        c = super().get_config()
        c.update(beta_1=self.beta_1, beta_2=self.beta_2)
        return c


def _rms(x):
    return jnp.sqrt(jnp.mean(jnp.square(x)))


class Adafactor(Optimizer):
    def __init__(self, learning_rate=0.001, beta_2_decay=-0.8, epsilon_1=1e-30, epsilon_2=1e-3, clip_threshold=1.0,
                 relative_step=True, weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        self.beta_2_decay = beta_2_decay
        self.epsilon_1 = epsilon_1
        self.epsilon_2 = epsilon_2
        self.clip_threshold = clip_threshold
        self.relative_step = relative_step

    def _slot_groups(self):
        def r_init(v):
            shp = tuple(v.shape)
            return jnp.zeros(shp[:-1], v.dtype._np) if len(shp) >= 2 else jnp.zeros((), jnp.float32)

        def c_init(v):
            shp = tuple(v.shape)
            return jnp.zeros(shp[:-2] + shp[-1:], v.dtype._np) if len(shp) >= 2 else jnp.zeros((), jnp.float32)
        return [[("r", r_init), ("c", c_init), ("velocity", 0)]]

    def _update(self, g, v, s, lr, step, glob):
        dt = v.dtype
        lr = lr.astype(dt)
        eps2 = _c(self.epsilon_2, dt)
        one = _c(1.0, dt)
        local_step = (step + 1).astype(dt)
        if not callable(self._learning_rate) and self.relative_step:
            lr = jnp.minimum(lr, 1 / jnp.sqrt(local_step))
        r, c, vel = s["r"], s["c"], s["velocity"]
        rho_t = jnp.minimum(lr, 1 / jnp.sqrt(local_step))
        alpha_t = jnp.maximum(eps2, _rms(v)) * rho_t
        rg2 = jnp.square(g) + self.epsilon_1
        beta_2_t = 1 - jnp.power(local_step, self.beta_2_decay)
        out = {}
        if v.ndim >= 2:
            r = beta_2_t * r + (1 - beta_2_t) * jnp.mean(rg2, axis=-1)
            c = beta_2_t * c + (1 - beta_2_t) * jnp.mean(rg2, axis=-2)
            vel = jnp.expand_dims(r / jnp.mean(r, axis=-1, keepdims=True), -1) * jnp.expand_dims(c, -2)
            out.update(r=r, c=c)
        else:
            vel = beta_2_t * vel + (1 - beta_2_t) * rg2
        out["velocity"] = vel
        u_t = g / jnp.sqrt(vel)
        u_hat = u_t / jnp.maximum(one, _rms(u_t) / self.clip_threshold)
        return v - alpha_t * u_hat, out

    def get_config(self):
        c = super().get_config()
        c.update(beta_2_decay=self.beta_2_decay, epsilon_1=self.epsilon_1, epsilon_2=self.epsilon_2,
                 clip_threshold=self.clip_threshold, relative_step=self.relative_step)
        return c


class Lamb(Optimizer):
    """Keras's ``Lamb``: Adam's bias-corrected step scaled per variable by ``||w|| / ||step||`` (trust ratio)."""

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None, gradient_accumulation_steps=None, name=None,
                 **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def _slot_groups(self):
        return [[("momentum", 0), ("velocity", 0)]]

    def _update(self, g, v, s, lr, step, glob):
        dt = v.dtype
        lr = lr.astype(dt)
        g = g.astype(dt)
        local_step = (step + 1).astype(dt)
        b1p = jnp.power(_c(self.beta_1, dt), local_step)
        b2p = jnp.power(_c(self.beta_2, dt), local_step)
        m = s["momentum"] + (g - s["momentum"]) * (1 - self.beta_1)
        vel = s["velocity"] + (jnp.square(g) - s["velocity"]) * (1 - self.beta_2)
        m_hat = m / (1.0 - b1p)
        v_sqrt = jnp.sqrt(vel / (1.0 - b2p)) + self.epsilon
        update = m_hat / v_sqrt
        w_norm = jnp.sqrt(jnp.sum(jnp.power(v, 2)))
        g_norm = jnp.sqrt(jnp.sum(jnp.power(update, 2)))
        one = jnp.ones((), dt)
        ratio = jnp.where(w_norm > 0, jnp.where(g_norm > 0, w_norm / jnp.where(g_norm > 0, g_norm, one), one), one)
        return v - ratio * lr * update, {"momentum": m, "velocity": vel}

    def get_config(self):
        c = super().get_config()
        c.update(beta_1=self.beta_1, beta_2=self.beta_2, epsilon=self.epsilon)
        return c
