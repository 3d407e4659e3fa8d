"""``keras.initializers``."""

from __future__ import annotations

import inspect
import math

import jax.numpy as jnp
import numpy as np

from tfjax._src.tensor import Tensor
from tfjax._src.keras import backend
from tfjax._src.keras import serialization as _ser
from tfjax._src.keras.ops import core as _core
from tfjax._src.keras.random import random as _random


class Initializer:
    def __call__(self, shape, dtype=None):
        raise NotImplementedError

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def clone(self):
        return self.__class__.from_config(self.get_config())


def _dt(dtype):
    return _core.np_dtype(dtype or backend.floatx())


def _shape(shape):
    return tuple(int(s) for s in shape)


class Constant(Initializer):
    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape, dtype=None):
        return Tensor(jnp.broadcast_to(jnp.asarray(np.asarray(self.value), _dt(dtype)), _shape(shape)))

    def get_config(self):
        v = self.value
        if isinstance(v, np.ndarray) or hasattr(v, "numpy"):
            v = np.asarray(v).tolist()
        return {"value": v}


class Zeros(Initializer):
    def __call__(self, shape, dtype=None):
        return Tensor(jnp.zeros(_shape(shape), _dt(dtype)))


class Ones(Initializer):
    def __call__(self, shape, dtype=None):
        return Tensor(jnp.ones(_shape(shape), _dt(dtype)))


class Identity(Initializer):
    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None):
        if len(shape) != 2:
            raise ValueError(f"Identity matrix initializer can only be used for 2D matrices. Received: shape={shape}")
        return Tensor(self.gain * jnp.eye(*_shape(shape), dtype=_dt(dtype)))

    def get_config(self):
        # Keras's Identity has no get_config (its config is {}), so a gain it saves is lost on reload.
        # Writing gain only when it is not the default keeps Keras's dict for the default and still
        # round-trips other gains (Keras's Identity(gain=...) accepts the key).
        return {} if self.gain == 1.0 else {"gain": self.gain}


IdentityInitializer = Identity


class RandomInitializer(Initializer):
    def __init__(self, seed=None):
        self._init_seed = seed
        if seed is None:
            seed = _random.make_default_seed()
        elif isinstance(seed, dict):
            seed = _random.SeedGenerator.from_config(seed.get("config", seed))
        elif not isinstance(seed, (int, _random.SeedGenerator)):
            raise ValueError(
                "`seed` argument should be an instance of `keras.random.SeedGenerator()` or an "
                f"integer. Received: seed={seed}")
        self.seed = seed

    def get_config(self):
        s = self._init_seed
        if isinstance(s, _random.SeedGenerator):
            s = {"module": "keras.random", "class_name": "SeedGenerator", "config": s.get_config(),
                 "registered_name": None}
        return {"seed": s}


def _host(arr, dtype):
    return Tensor(jnp.asarray(np.asarray(arr).astype(_dt(dtype))))


def _np_normal(shape, mean, stddev, dtype, seed):
    return _host(_random.host_rng(seed).normal(mean, stddev, _shape(shape)), dtype)


def _np_uniform(shape, lo, hi, dtype, seed):
    d = _dt(dtype)
    if np.issubdtype(d, np.integer):
        return _host(_random.host_rng(seed).integers(lo, hi, _shape(shape)), dtype)
    return _host(_random.host_rng(seed).uniform(lo, hi, _shape(shape)), dtype)


def _np_truncated(shape, mean, stddev, dtype, seed):
    rng = _random.host_rng(seed)
    shape = _shape(shape)
    out = rng.standard_normal(shape)
    bad = np.abs(out) > 2.0
    while bad.any():
        out[bad] = rng.standard_normal(int(bad.sum()))
        bad = np.abs(out) > 2.0
    return _host(out * stddev + mean, dtype)


class RandomNormal(RandomInitializer):
    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean, self.stddev = mean, stddev
        super().__init__(seed)

    def __call__(self, shape, dtype=None):
        return _np_normal(shape, self.mean, self.stddev, dtype, self.seed)

    def get_config(self):
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


class TruncatedNormal(RandomInitializer):
    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean, self.stddev = mean, stddev
        super().__init__(seed)

    def __call__(self, shape, dtype=None):
        return _np_truncated(shape, self.mean, self.stddev, dtype, self.seed)

    def get_config(self):
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


class RandomUniform(RandomInitializer):
    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        self.minval, self.maxval = minval, maxval
        super().__init__(seed)

    def __call__(self, shape, dtype=None):
        return _np_uniform(shape, self.minval, self.maxval, dtype, self.seed)

    def get_config(self):
        return {**super().get_config(), "minval": self.minval, "maxval": self.maxval}


def compute_fans(shape):
    shape = tuple(shape)
    if len(shape) < 1:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive = 1
    for d in shape[:-2]:
        receptive *= d
    return shape[-2] * receptive, shape[-1] * receptive


class VarianceScaling(RandomInitializer):
    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None, input_axes=None,
                 output_axes=None):
        self.input_axes, self.output_axes = input_axes, output_axes
        if scale <= 0.0:
            raise ValueError(f"Argument `scale` must be positive float. Received: scale={scale}")
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError(f"Invalid `mode` argument: {mode}")
        distribution = distribution.lower()
        if distribution == "normal":
            distribution = "truncated_normal"
        if distribution not in ("uniform", "truncated_normal", "untruncated_normal"):
            raise ValueError(f"Invalid `distribution` argument: {distribution}")
        self.scale, self.mode, self.distribution = scale, mode, distribution
        super().__init__(seed)

    def __call__(self, shape, dtype=None):
        fan_in, fan_out = compute_fans(shape)
        scale = self.scale
        if self.mode == "fan_in":
            scale /= max(1.0, fan_in)
        elif self.mode == "fan_out":
            scale /= max(1.0, fan_out)
        else:
            scale /= max(1.0, (fan_in + fan_out) / 2.0)
        if self.distribution == "truncated_normal":
            stddev = math.sqrt(scale) / 0.87962566103423978
            return _np_truncated(shape, 0.0, stddev, dtype, self.seed)
        if self.distribution == "untruncated_normal":
            return _np_normal(shape, 0.0, math.sqrt(scale), dtype, self.seed)
        limit = math.sqrt(3.0 * scale)
        return _np_uniform(shape, -limit, limit, dtype, self.seed)

    def get_config(self):
        return {**super().get_config(), "scale": self.scale, "mode": self.mode,
                "distribution": self.distribution, "input_axes": self.input_axes, "output_axes": self.output_axes}


def _vs(name, scale, mode, dist):
    class _Init(VarianceScaling):
        def __init__(self, seed=None, input_axes=None, output_axes=None):
            super().__init__(scale=scale, mode=mode, distribution=dist, seed=seed)
            self.input_axes, self.output_axes = input_axes, output_axes

        def get_config(self):
            return {"seed": self._init_seed, "input_axes": self.input_axes, "output_axes": self.output_axes}

        @classmethod
        def from_config(cls, config):
            return cls(**config)
    _Init.__name__ = _Init.__qualname__ = name
    return _Init


GlorotUniform = _vs("GlorotUniform", 1.0, "fan_avg", "uniform")
GlorotNormal = _vs("GlorotNormal", 1.0, "fan_avg", "truncated_normal")
HeNormal = _vs("HeNormal", 2.0, "fan_in", "truncated_normal")
HeUniform = _vs("HeUniform", 2.0, "fan_in", "uniform")
LecunNormal = _vs("LecunNormal", 1.0, "fan_in", "truncated_normal")
LecunUniform = _vs("LecunUniform", 1.0, "fan_in", "uniform")


class Orthogonal(RandomInitializer):
    def __init__(self, gain=1.0, seed=None):
        self.gain = gain
        super().__init__(seed)

    def __call__(self, shape, dtype=None):
        shape = _shape(shape)
        if len(shape) < 2:
            raise ValueError(f"The tensor to initialize must be at least two-dimensional. Received: shape={shape} of rank {len(shape)}.")
        rows = int(np.prod(shape[:-1]))
        cols = shape[-1]
        flat = (max(rows, cols), min(rows, cols))
        a = _random.host_rng(self.seed).standard_normal(flat)
        q, r = np.linalg.qr(a)
        q = q * np.sign(np.diag(r))
        if rows < cols:
            q = q.T
        return Tensor(jnp.asarray((self.gain * q).reshape(shape), _dt(dtype)))

    def get_config(self):
        return {**super().get_config(), "gain": self.gain}


OrthogonalInitializer = Orthogonal

_ALL = {c.__name__: c for c in (
    Constant, Zeros, Ones, Identity, RandomNormal, TruncatedNormal, RandomUniform,
    VarianceScaling, GlorotUniform, GlorotNormal, HeNormal, HeUniform, LecunNormal, LecunUniform,
    Orthogonal)}
_ALIASES = {
    "constant": Constant, "zeros": Zeros, "ones": Ones, "identity": Identity,
    "IdentityInitializer": Identity, "random_normal": RandomNormal, "truncated_normal": TruncatedNormal,
    "random_uniform": RandomUniform, "variance_scaling": VarianceScaling, "glorot_uniform": GlorotUniform,
    "glorot_normal": GlorotNormal, "he_normal": HeNormal, "he_uniform": HeUniform,
    "lecun_normal": LecunNormal, "lecun_uniform": LecunUniform, "orthogonal": Orthogonal,
    "OrthogonalInitializer": Orthogonal, "zero": Zeros, "one": Ones, "uniform": RandomUniform,
    "normal": RandomNormal,
}

constant, zeros, ones = Constant, Zeros, Ones
random_normal, truncated_normal, random_uniform = RandomNormal, TruncatedNormal, RandomUniform
variance_scaling, glorot_uniform, glorot_normal = VarianceScaling, GlorotUniform, GlorotNormal
he_normal, he_uniform, lecun_normal, lecun_uniform = HeNormal, HeUniform, LecunNormal, LecunUniform
orthogonal = Orthogonal
identity = Identity


def serialize(initializer):
    return _ser.serialize(initializer, "keras.initializers")


def deserialize(config, custom_objects=None):
    return _ser.deserialize(config, {**_ALL, **_ALIASES}, custom_objects, "initializer")


def get(identifier):
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        return deserialize(identifier)
    if inspect.isclass(identifier):
        return identifier()
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret initializer identifier: {identifier}")
