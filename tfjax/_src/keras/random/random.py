"""``keras.random`` and ``SeedGenerator`` (a per-layer seed-state variable, as Keras 3)."""

from __future__ import annotations

import random as _pyrandom

import jax
import jax.numpy as jnp
import numpy as np

from tfjax._src import variables as _vars
from tfjax._src.tensor import Tensor
from tfjax._src.keras import backend
from tfjax._src.keras.ops.core import apply, apply_unrecorded, t1, np_dtype

__all__ = ["SeedGenerator", "normal", "uniform", "truncated_normal", "randint", "dropout",
           "shuffle", "categorical", "gamma", "binomial", "beta"]


def make_default_seed():
    return _pyrandom.randint(1, int(1e9))


class SeedGenerator:
    """Holds a ``(2,)`` int64 seed state variable; ``next()`` returns it and advances it."""

    def __init__(self, seed=None, name=None, **kwargs):
        from tfjax._src.keras.variables import KerasVariable, name_scope  # noqa: PLC0415
        if name is None:
            name = backend.unique_object_name("seed_generator")
        self.name = name
        if seed is None:
            seed = make_default_seed()
        elif isinstance(seed, SeedGenerator):
            seed = int(np.asarray(seed.state.numpy())[0])
        if not isinstance(seed, (int, np.integer)):
            raise ValueError(f"Argument `seed` must be an integer. Received: seed={seed}")
        self._initial_seed = int(seed)
        with name_scope(self.name, caller=self):
            self.state = KerasVariable(np.array([int(seed), 0], dtype=np.int64), dtype="int64",
                                       trainable=False, name="seed_generator_state")

    def next(self, ordered=True):
        cur = self.state._read_raw()
        self.state._write(cur + jnp.asarray([0, 1], dtype=cur.dtype))
        return Tensor(cur)

    def get_config(self):
        return {"seed": self._initial_seed}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def _tfjax_tracked_variables(self):
        return [self.state]


_global = {"sg": None}


def global_seed_generator():
    sg = _global["sg"]
    if sg is None:
        sg = SeedGenerator(name="global_seed_generator")
        _global["sg"] = sg
        _vars.ALWAYS_CAPTURED.append(sg.state)
    return sg


def _reset_global_seed_generator():
    sg = _global["sg"]
    if sg is not None:
        try:
            _vars.ALWAYS_CAPTURED.remove(sg.state)
        except ValueError:
            pass
    _global["sg"] = None


def draw_seed(seed):
    """A uint32[2] key-data Tensor for ``seed`` (int, SeedGenerator, tensor or None)."""
    if isinstance(seed, SeedGenerator):
        return seed.next()
    if seed is None:
        return global_seed_generator().next()
    if isinstance(seed, (int, np.integer)):
        return Tensor(jnp.asarray([0, int(seed)], dtype=jnp.int64))
    if isinstance(seed, (tuple, list)) and len(seed) == 2:
        return Tensor(jnp.asarray([int(seed[0]), int(seed[1])], dtype=jnp.int64))
    return t1(seed)


def host_rng(seed):
    """A numpy Generator for host-side draws (initializers: no XLA compile per weight shape)."""
    import jax as _jax  # noqa: PLC0415
    if isinstance(seed, SeedGenerator):
        with _jax.ensure_compile_time_eval():
            k = np.asarray(seed.next()._value)
    elif seed is None:
        with _jax.ensure_compile_time_eval():
            k = np.asarray(global_seed_generator().next()._value)
    elif isinstance(seed, (int, np.integer)):
        k = np.array([0, int(seed)])
    else:
        k = np.asarray(seed).reshape(-1)
    return np.random.default_rng([int(v) & 0xFFFFFFFF for v in k.tolist()])


def _key(k):
    return jax.random.wrap_key_data(k.astype(jnp.uint32), impl="threefry2x32")


def _shape(shape):
    if isinstance(shape, int):
        return (shape,)
    return tuple(int(s) for s in shape)


def _normal(k, mean, std, *, shape, dtype):
    return (jax.random.normal(_key(k), shape, dtype) * std + mean).astype(dtype)


def _uniform(k, lo, hi, *, shape, dtype):
    return jax.random.uniform(_key(k), shape, dtype, lo, hi)


def _truncated(k, mean, std, *, shape, dtype):
    return (jax.random.truncated_normal(_key(k), -2.0, 2.0, shape, dtype) * std + mean).astype(dtype)


def _randint(k, *, shape, lo, hi, dtype):
    return jax.random.randint(_key(k), shape, lo, hi, dtype)


def _dt(dtype):
    return np_dtype(dtype or backend.floatx())


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    d = _dt(dtype)
    return apply_unrecorded(_normal, draw_seed(seed), Tensor(jnp.asarray(mean, d)),
                            Tensor(jnp.asarray(stddev, d)) if not isinstance(stddev, Tensor) else stddev,
                            shape=_shape(shape), dtype=d)


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    d = _dt(dtype)
    if jnp.issubdtype(d, jnp.integer):
        return randint(shape, minval, maxval, dtype, seed)
    return apply_unrecorded(_uniform, draw_seed(seed), Tensor(jnp.asarray(minval, d)),
                            Tensor(jnp.asarray(maxval, d)), shape=_shape(shape), dtype=d)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    d = _dt(dtype)
    return apply_unrecorded(_truncated, draw_seed(seed), Tensor(jnp.asarray(mean, d)),
                            Tensor(jnp.asarray(stddev, d)), shape=_shape(shape), dtype=d)


def randint(shape, minval, maxval, dtype="int32", seed=None):
    return apply_unrecorded(_randint, draw_seed(seed), shape=_shape(shape), lo=int(minval), hi=int(maxval),
                            dtype=np_dtype(dtype or "int32"))


def _dropout(x, k, *, rate, noise_shape):
    keep = jax.random.bernoulli(_key(k), 1.0 - rate, noise_shape or x.shape)
    return jnp.where(keep, x / (1.0 - rate), jnp.zeros((), x.dtype)).astype(x.dtype)


def dropout(inputs, rate, noise_shape=None, seed=None):
    x = t1(inputs)
    ns = None
    if noise_shape is not None:
        ns = tuple(x._value.shape[i] if s is None else int(s) for i, s in enumerate(noise_shape))
    return apply(_dropout, x, draw_seed(seed), rate=float(rate), noise_shape=ns)


def _shuffle(x, k, *, axis):
    return jax.random.permutation(_key(k), x, axis=axis, independent=False)


def shuffle(x, axis=0, seed=None):
    return apply(_shuffle, t1(x), draw_seed(seed), axis=int(axis))


def _categorical(logits, k, *, num, dtype):
    out = jax.random.categorical(_key(k), logits[..., None, :], axis=-1,
                                 shape=(logits.shape[0], num))
    return out.astype(dtype)


def categorical(logits, num_samples, dtype="int32", seed=None):
    return apply_unrecorded(_categorical, t1(logits), draw_seed(seed), num=int(num_samples), dtype=np_dtype(dtype))


def _gamma(k, *, shape, alpha, dtype):
    return jax.random.gamma(_key(k), alpha, shape, dtype)


def gamma(shape, alpha, dtype=None, seed=None):
    return apply_unrecorded(_gamma, draw_seed(seed), shape=_shape(shape), alpha=float(alpha), dtype=_dt(dtype))


def _binomial(k, *, shape, n, p, dtype):
    return jax.random.binomial(_key(k), n, p, shape).astype(dtype)


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    return apply_unrecorded(_binomial, draw_seed(seed), shape=_shape(shape), n=float(counts),
                            p=float(probabilities), dtype=_dt(dtype))


def _beta(k, *, shape, a, b, dtype):
    return jax.random.beta(_key(k), a, b, shape, dtype)


def beta(shape, alpha, beta, dtype=None, seed=None):
    return apply_unrecorded(_beta, draw_seed(seed), shape=_shape(shape), a=float(alpha), b=float(beta),
                            dtype=_dt(dtype))
