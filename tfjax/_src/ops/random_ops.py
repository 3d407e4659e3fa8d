"""``tf.random``: TF's seeding semantics on JAX keys.

Bitwise equality with TF's Philox streams is not a goal; the *semantics* are:

* The global RNG state lives in a non-trainable ``tf.Variable`` of raw uint32 key
  data registered in ``variables.ALWAYS_CAPTURED``: every ``tf.function`` captures
  it, each random op splits it and writes the new state back, so compiled calls
  give fresh values on every call.
* ``tf.random.set_seed(s)`` resets the state, so the sequence of draws replays.
  An op-level ``seed=`` is folded into the key: same global + op seed gives the
  same sequence after a reset, and successive calls still differ.
* Without a global seed, the unseeded stream starts from OS entropy
  (nondeterministic across processes); op-seeded draws start from TF's default
  graph seed, so they are reproducible across processes as in TF.
* ``stateless_*`` ops are pure functions of ``seed=[a, b]``.
* ``tf.random.Generator`` keeps its own state Variable.
"""

from __future__ import annotations

import os

import jax
import jax.numpy as jnp
import numpy as np

from tfjax._src import dispatch
from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src import variables as _vars
from tfjax._src.ops import convert
from tfjax._src.ops import math_ops
from tfjax._src.tensor import Tensor
from tfjax._src.variables import Variable, Module

_DEFAULT_GRAPH_SEED = 87654321


def _key_data(seed: int) -> np.ndarray:
    # Concrete even when reached while tf.function traces (seeds are host values).
    with jax.ensure_compile_time_eval():
        return np.asarray(jax.random.key_data(jax.random.PRNGKey(int(seed) & (2**63 - 1))), np.uint32)


def _entropy_seed() -> int:
    return int.from_bytes(os.urandom(8), "little") & (2**63 - 1)


# State: [unseeded stream key (2 words), op-seeded stream key (2 words)], in a
# Variable so tf.function captures and advances it. Created on first use, not at
# import: creating an array starts JAX's backend, after which virtual devices and
# jax.distributed can no longer be configured.
_state_box = []


def _state() -> Variable:
    if not _state_box:
        with _vars.init_scope():
            state = Variable(np.concatenate([_key_data(_entropy_seed()), _key_data(_DEFAULT_GRAPH_SEED)]),
                             trainable=False, name="global_rng_state")
        _state_box.append(state)
        _vars.ALWAYS_CAPTURED.append(state)
    return _state_box[0]


_global_seed = [None]


def set_seed(seed):
    """``tf.random.set_seed``: resets the global stream so subsequent draws replay."""
    if seed is None:
        _global_seed[0] = None
        _state().assign(np.concatenate([_key_data(_entropy_seed()), _key_data(_DEFAULT_GRAPH_SEED)]))
        return
    s = int(np.asarray(seed))
    _global_seed[0] = s
    _state().assign(np.concatenate([_key_data(s), _key_data(s ^ 0x5DEECE66D)]))


def get_seed(op_seed):
    """``tf.compat.v1.get_seed``-like: (global seed, op seed)."""
    g = _global_seed[0]
    if g is None and op_seed is None:
        return None, None
    if g is None:
        g = _DEFAULT_GRAPH_SEED
    return g, op_seed


# -- sampling kernels (module level: static params are hashable) ------------------------
def _wrap(data):
    return jax.random.wrap_key_data(data.astype(jnp.uint32), impl="threefry2x32")


def _advance(state, *, seeded, op_seed):
    """Splits the relevant half of the global state: returns (new_state, key)."""
    lo = 2 if seeded else 0
    k = _wrap(state[lo:lo + 2])
    nk, sub = jax.random.split(k)
    new = state.at[lo:lo + 2].set(jax.random.key_data(nk))
    if op_seed is not None:
        sub = jax.random.fold_in(sub, op_seed & 0xFFFFFFFF)
    return new, sub


def _sample(key, *, kind, shape, np_dtype, extra):
    if kind == "uniform_float":
        return jax.random.uniform(key, shape, dtype=np_dtype if np_dtype != np.float16 and np_dtype != jnp.bfloat16
                                  else np.float32).astype(np_dtype)
    if kind == "uniform_int":
        lo, hi = extra
        return jax.random.randint(key, shape, lo, hi, dtype=np_dtype)
    if kind == "uniform_full_int":
        bits = jax.random.bits(key, shape, dtype=np.dtype(f"uint{np.dtype(np_dtype).itemsize * 8}"))
        return jax.lax.bitcast_convert_type(bits, np_dtype)
    if kind == "normal":
        return jax.random.normal(key, shape, dtype=np.float32 if np_dtype in (np.float16, jnp.bfloat16) else np_dtype).astype(np_dtype)
    if kind == "truncated_normal":
        return jax.random.truncated_normal(key, -2.0, 2.0, shape,
                                           dtype=np.float32 if np_dtype in (np.float16, jnp.bfloat16) else np_dtype).astype(np_dtype)
    raise ValueError(kind)


def _draw(state, *, seeded, op_seed, kind, shape, np_dtype, extra):
    new, key = _advance(state, seeded=seeded, op_seed=op_seed)
    return new, _sample(key, kind=kind, shape=shape, np_dtype=np_dtype, extra=extra)


_draw_jit = jax.jit(_draw, static_argnames=("seeded", "op_seed", "kind", "shape", "np_dtype", "extra"))


def _run_draw(state_var, **params):
    """Reads ``state_var``, draws, writes the new state back; returns the sample Tensor."""
    st = Tensor(state_var._read_raw())
    new, out = dispatch.apply_unrecorded(_draw_jit, st, **params)
    state_var._write(new._value)
    return out


def _global_draw(seed, **params):
    op_seed = None if seed is None else int(np.asarray(seed)) & 0xFFFFFFFF
    return _run_draw(_state(), seeded=seed is not None, op_seed=op_seed, **params)


def _shape(shape):
    return tuple(convert.static_shape(shape, "shape"))


def _affine(sample, scale, shift):
    """``sample * scale + shift`` with TF's broadcasting (differentiable in scale/shift)."""
    out = sample
    if scale is not None:
        out = math_ops.multiply(out, scale)
    if shift is not None:
        out = math_ops.add(out, shift)
    return out


def _float_dtype(dtype, what):
    d = dtypes.as_dtype(dtype)
    if not d.is_floating:
        raise ValueError(f"Invalid dtype {d!r} for {what}: must be floating")
    return d


def _is_one(v):
    return not isinstance(v, (Tensor, Variable)) and np.ndim(v) == 0 and float(v) == 1.0


def _is_zero(v):
    return not isinstance(v, (Tensor, Variable)) and np.ndim(v) == 0 and float(v) == 0.0


def _param(v, d):
    return None if v is None else convert.tensor(v, dtype_hint=d) if not isinstance(v, (Tensor, Variable)) else convert.tensor(v)


def _check_param_dtype(t, d, what):
    if t is not None and t.dtype is not d:
        raise TypeError(f"{what} dtype {t.dtype.name} does not match requested dtype {d.name}")
    return t


def uniform(shape, minval=0, maxval=None, dtype=dtypes.float32, seed=None, name=None):
    """``tf.random.uniform``: floats in [minval, maxval); integer dtypes need ``maxval``."""
    d = dtypes.as_dtype(dtype)
    shp = _shape(shape)
    if d.is_integer:
        if maxval is None:
            if minval is not None and not _is_zero(minval):
                raise ValueError(f"Must specify maxval for integer dtype {d!r}")
            raise ValueError(f"Must specify maxval for integer dtype {d!r}")
        lo = int(np.asarray(minval))
        hi = int(np.asarray(maxval))
        if lo >= hi:
            raise errors.invalid_argument("RandomUniformInt", f"Need minval < maxval: {lo} >= {hi}")
        return _global_draw(seed, kind="uniform_int", shape=shp, np_dtype=d._np, extra=(lo, hi))
    if not d.is_floating:
        raise ValueError(f"Invalid dtype {d!r} for tf.random.uniform")
    u = _global_draw(seed, kind="uniform_float", shape=shp, np_dtype=d._np, extra=None)
    maxval = 1 if maxval is None else maxval
    if _is_zero(minval) and _is_one(maxval):
        return u
    lo = _check_param_dtype(_param(minval, d), d, "minval")
    hi = _check_param_dtype(_param(maxval, d), d, "maxval")
    return _affine(u, math_ops.subtract(hi, lo), lo)


def normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    d = _float_dtype(dtype, "tf.random.normal")
    z = _global_draw(seed, kind="normal", shape=_shape(shape), np_dtype=d._np, extra=None)
    if _is_zero(mean) and _is_one(stddev):
        return z
    return _affine(z, _check_param_dtype(_param(stddev, d), d, "stddev"), _check_param_dtype(_param(mean, d), d, "mean"))


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    d = _float_dtype(dtype, "tf.random.truncated_normal")
    z = _global_draw(seed, kind="truncated_normal", shape=_shape(shape), np_dtype=d._np, extra=None)
    if _is_zero(mean) and _is_one(stddev):
        return z
    return _affine(z, _check_param_dtype(_param(stddev, d), d, "stddev"), _check_param_dtype(_param(mean, d), d, "mean"))


def _categorical_from_key(key, logits, *, num_samples, np_dtype):
    lg = logits.astype(jnp.float32) if logits.dtype in (jnp.float16, jnp.bfloat16) else logits
    out = jax.random.categorical(key, lg[:, None, :], axis=-1, shape=(lg.shape[0], num_samples))
    return out.astype(np_dtype)


def _categorical_state(state, logits, *, seeded, op_seed, num_samples, np_dtype):
    new, key = _advance(state, seeded=seeded, op_seed=op_seed)
    return new, _categorical_from_key(key, logits, num_samples=num_samples, np_dtype=np_dtype)


_categorical_jit = jax.jit(_categorical_state, static_argnames=("seeded", "op_seed", "num_samples", "np_dtype"))


def _check_logits(logits):
    lg = convert.tensor(logits)
    if lg._value.ndim != 2:
        raise errors.invalid_argument("Multinomial", f"logits should be a matrix, got shape {list(lg._value.shape)}")
    if not lg.dtype.is_floating:
        raise TypeError(f"logits must be floating, got {lg.dtype.name}")
    return lg


def categorical(logits, num_samples, dtype=None, seed=None, name=None):
    """``tf.random.categorical``: [batch, num_classes] logits -> [batch, num_samples] int64."""
    lg = _check_logits(logits)
    d = dtypes.as_dtype(dtype) if dtype is not None else dtypes.int64
    op_seed = None if seed is None else int(seed) & 0xFFFFFFFF
    st = Tensor(_state()._read_raw())
    new, out = dispatch.apply_unrecorded(_categorical_jit, st, lg, seeded=seed is not None, op_seed=op_seed,
                                         num_samples=convert.static_int(num_samples), np_dtype=d._np)
    _state()._write(new._value)
    return out


def _shuffle_state(state, x, *, seeded, op_seed):
    new, key = _advance(state, seeded=seeded, op_seed=op_seed)
    return new, jax.random.permutation(key, x, axis=0, independent=False)


_shuffle_jit = jax.jit(_shuffle_state, static_argnames=("seeded", "op_seed"))


def shuffle(value, seed=None, name=None):
    """``tf.random.shuffle``: permutes along the first dimension."""
    x = convert.tensor(value)
    if x._value.ndim == 0:
        raise errors.invalid_argument("RandomShuffle", "value must be at least 1-D")
    op_seed = None if seed is None else int(seed) & 0xFFFFFFFF
    st = Tensor(_state()._read_raw())
    new, out = dispatch.apply_unrecorded(_shuffle_jit, st, x, seeded=seed is not None, op_seed=op_seed)
    _state()._write(new._value)
    return out


def _gamma_state(state, alpha, beta, *, seeded, op_seed, shape, np_dtype):
    new, key = _advance(state, seeded=seeded, op_seed=op_seed)
    full = shape + jnp.broadcast_shapes(alpha.shape, beta.shape)
    a = jnp.broadcast_to(alpha, full).astype(np.float32 if np_dtype == np.float16 else np_dtype)
    g = jax.random.gamma(key, a, full)
    return new, (g / jnp.broadcast_to(beta, full)).astype(np_dtype)


_gamma_jit = jax.jit(_gamma_state, static_argnames=("seeded", "op_seed", "shape", "np_dtype"))


def gamma(shape, alpha, beta=None, dtype=dtypes.float32, seed=None, name=None):
    """``tf.random.gamma``: output shape ``shape + broadcast(alpha, beta).shape``."""
    d = _float_dtype(dtype, "tf.random.gamma")
    a = convert.tensor(alpha, dtype_hint=d)
    if a.dtype is not d:
        a = math_ops.cast(a, d)
    b = convert.tensor(1.0 if beta is None else beta, dtype_hint=d)
    if b.dtype is not d:
        b = math_ops.cast(b, d)
    op_seed = None if seed is None else int(seed) & 0xFFFFFFFF
    st = Tensor(_state()._read_raw())
    new, out = dispatch.apply_unrecorded(_gamma_jit, st, a, b, seeded=seed is not None, op_seed=op_seed,
                                         shape=_shape(shape), np_dtype=d._np)
    _state()._write(new._value)
    return out


def _poisson_state(state, lam, *, seeded, op_seed, shape, np_dtype):
    new, key = _advance(state, seeded=seeded, op_seed=op_seed)
    full = shape + lam.shape
    s = jax.random.poisson(key, jnp.broadcast_to(lam, full).astype(jnp.float32 if lam.dtype != jnp.float64 else lam.dtype), full)
    return new, s.astype(np_dtype)


_poisson_jit = jax.jit(_poisson_state, static_argnames=("seeded", "op_seed", "shape", "np_dtype"))


def poisson(shape, lam, dtype=dtypes.float32, seed=None, name=None):
    d = dtypes.as_dtype(dtype)
    l = convert.tensor(lam, dtype_hint=dtypes.float32)
    if not l.dtype.is_floating:
        l = math_ops.cast(l, dtypes.float32)
    op_seed = None if seed is None else int(seed) & 0xFFFFFFFF
    st = Tensor(_state()._read_raw())
    new, out = dispatch.apply_unrecorded(_poisson_jit, st, l, seeded=seed is not None, op_seed=op_seed,
                                         shape=_shape(shape), np_dtype=d._np)
    _state()._write(new._value)
    return out


# -- stateless -------------------------------------------------------------------------
def _seed_key(seed):
    s = seed.astype(jnp.int64).reshape(2)
    k = jax.random.PRNGKey(s[0])
    return jax.random.fold_in(k, (s[1] & 0xFFFFFFFF).astype(jnp.uint32))


def _stateless(seed, *, kind, shape, np_dtype, extra):
    return _sample(_seed_key(seed), kind=kind, shape=shape, np_dtype=np_dtype, extra=extra)


def _seed_tensor(seed):
    s = convert.tensor(seed, dtype_hint=dtypes.int64)
    if s._value.shape != (2,):
        raise errors.invalid_argument("StatelessRandom", f"seed must have shape [2], not {list(s._value.shape)}")
    if not s.dtype.is_integer:
        raise TypeError(f"seed must be int32/int64, got {s.dtype.name}")
    return s


def stateless_uniform(shape, seed, minval=0, maxval=None, dtype=dtypes.float32, name=None, alg="auto_select"):
    d = dtypes.as_dtype(dtype)
    s = _seed_tensor(seed)
    shp = _shape(shape)
    if d.is_integer:
        if maxval is None and minval is None:
            return dispatch.apply_unrecorded(_stateless, s, kind="uniform_full_int", shape=shp, np_dtype=d._np, extra=None)
        if maxval is None:
            raise ValueError(f"Must specify maxval for integer dtype {d!r}")
        lo, hi = int(np.asarray(minval)), int(np.asarray(maxval))
        if lo >= hi:
            raise errors.invalid_argument("StatelessRandomUniformInt", f"Need minval < maxval: {lo} >= {hi}")
        return dispatch.apply_unrecorded(_stateless, s, kind="uniform_int", shape=shp, np_dtype=d._np, extra=(lo, hi))
    u = dispatch.apply_unrecorded(_stateless, s, kind="uniform_float", shape=shp, np_dtype=d._np, extra=None)
    maxval = 1 if maxval is None else maxval
    if _is_zero(minval) and _is_one(maxval):
        return u
    lo, hi = _param(minval, d), _param(maxval, d)
    return _affine(u, math_ops.subtract(hi, lo), lo)


def stateless_normal(shape, seed, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None, alg="auto_select"):
    d = _float_dtype(dtype, "tf.random.stateless_normal")
    z = dispatch.apply_unrecorded(_stateless, _seed_tensor(seed), kind="normal", shape=_shape(shape), np_dtype=d._np, extra=None)
    if _is_zero(mean) and _is_one(stddev):
        return z
    return _affine(z, _param(stddev, d), _param(mean, d))


def stateless_truncated_normal(shape, seed, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None, alg="auto_select"):
    d = _float_dtype(dtype, "tf.random.stateless_truncated_normal")
    z = dispatch.apply_unrecorded(_stateless, _seed_tensor(seed), kind="truncated_normal", shape=_shape(shape),
                                  np_dtype=d._np, extra=None)
    if _is_zero(mean) and _is_one(stddev):
        return z
    return _affine(z, _param(stddev, d), _param(mean, d))


def _stateless_categorical(seed, logits, *, num_samples, np_dtype):
    return _categorical_from_key(_seed_key(seed), logits, num_samples=num_samples, np_dtype=np_dtype)


def stateless_categorical(logits, num_samples, seed, dtype=dtypes.int64, name=None):
    lg = _check_logits(logits)
    return dispatch.apply_unrecorded(_stateless_categorical, _seed_tensor(seed), lg,
                                     num_samples=convert.static_int(num_samples), np_dtype=dtypes.as_dtype(dtype)._np)


def _stateless_binomial(seed, counts, probs, *, shape, np_dtype):
    key = _seed_key(seed)
    c = jnp.broadcast_to(counts, shape).astype(jnp.float32 if probs.dtype != jnp.float64 else jnp.float64)
    p = jnp.broadcast_to(probs, shape).astype(c.dtype)
    return jax.random.binomial(key, c, p, shape).astype(np_dtype)


def stateless_binomial(shape, seed, counts, probs, output_dtype=dtypes.int32, name=None):
    c = convert.tensor(counts, dtype_hint=dtypes.float32)
    p = convert.tensor(probs, dtype_hint=dtypes.float32)
    return dispatch.apply_unrecorded(_stateless_binomial, _seed_tensor(seed), c, p, shape=_shape(shape),
                                     np_dtype=dtypes.as_dtype(output_dtype)._np)


def _stateless_gamma(seed, alpha, beta, *, shape, np_dtype):
    key = _seed_key(seed)
    a = jnp.broadcast_to(alpha, shape).astype(np.float32 if np_dtype == np.float16 else np_dtype)
    return (jax.random.gamma(key, a, shape) / jnp.broadcast_to(beta, shape)).astype(np_dtype)


def stateless_gamma(shape, seed, alpha, beta=None, dtype=dtypes.float32, name=None):
    d = _float_dtype(dtype, "tf.random.stateless_gamma")
    a = math_ops.cast(convert.tensor(alpha, dtype_hint=d), d)
    b = math_ops.cast(convert.tensor(1.0 if beta is None else beta, dtype_hint=d), d)
    return dispatch.apply_unrecorded(_stateless_gamma, _seed_tensor(seed), a, b, shape=_shape(shape), np_dtype=d._np)


def _stateless_poisson(seed, lam, *, shape, np_dtype):
    key = _seed_key(seed)
    l = jnp.broadcast_to(lam, shape).astype(jnp.float32 if lam.dtype != jnp.float64 else lam.dtype)
    return jax.random.poisson(key, l, shape).astype(np_dtype)


def stateless_poisson(shape, seed, lam, dtype=dtypes.int32, name=None):
    l = convert.tensor(lam, dtype_hint=dtypes.float32)
    return dispatch.apply_unrecorded(_stateless_poisson, _seed_tensor(seed), l, shape=_shape(shape),
                                     np_dtype=dtypes.as_dtype(dtype)._np)


def _split_seed(seed, *, num):
    keys = jax.random.split(_seed_key(seed), num)
    data = jax.random.key_data(keys).astype(jnp.int64)
    return (data & 0x7FFFFFFF).astype(seed.dtype)


def stateless_split(seed, num=2, alg="auto_select"):
    """``tf.random.experimental.stateless_split``: [num, 2] new seeds."""
    return dispatch.apply_unrecorded(_split_seed, _seed_tensor(seed), num=int(num))


split = stateless_split


def _fold_seed(seed, data):
    k = jax.random.fold_in(_seed_key(seed), data.astype(jnp.uint32))
    return (jax.random.key_data(k).astype(jnp.int64) & 0x7FFFFFFF).astype(seed.dtype)


def stateless_fold_in(seed, data, alg="auto_select"):
    return dispatch.apply_unrecorded(_fold_seed, _seed_tensor(seed), convert.tensor(data, dtype_hint=dtypes.int64))


fold_in = stateless_fold_in


def _stateless_shuffle(seed, x):
    return jax.random.permutation(_seed_key(seed), x, axis=0, independent=False)


def stateless_shuffle(value, seed, alg="auto_select", name=None):
    return dispatch.apply_unrecorded(_stateless_shuffle, _seed_tensor(seed), convert.tensor(value))


def create_rng_state(seed, alg):
    """A raw state for ``Generator(state=..., alg=...)`` (tfjax's uint32 key data)."""
    return Tensor(jnp.asarray(_key_data(int(seed))))


class Algorithm:
    PHILOX = 1
    THREEFRY = 2
    AUTO_SELECT = 3


# -- Generator -----------------------------------------------------------------------------
def _gen_draw(state, *, kind, shape, np_dtype, extra):
    k = _wrap(state)
    nk, sub = jax.random.split(k)
    return jax.random.key_data(nk), _sample(sub, kind=kind, shape=shape, np_dtype=np_dtype, extra=extra)


_gen_draw_jit = jax.jit(_gen_draw, static_argnames=("kind", "shape", "np_dtype", "extra"))


def _gen_split(state, *, count):
    keys = jax.random.split(_wrap(state), count + 1)
    data = jax.random.key_data(keys)
    return data[0], data[1:]


def _gen_make_seeds(state, *, count):
    k = _wrap(state)
    nk, sub = jax.random.split(k)
    bits = jax.random.bits(sub, (2, count), dtype=jnp.uint32).astype(jnp.int64)
    return jax.random.key_data(nk), bits


class Generator(Module):
    """``tf.random.Generator``: an RNG whose ``state`` is a ``tf.Variable`` (works in tf.function)."""

    def __init__(self, copy_from=None, state=None, alg=None):
        super().__init__(name="generator")
        if copy_from is not None:
            init = copy_from.state._read_raw()
        elif state is not None:
            arr = np.asarray(state).astype(np.uint32).reshape(-1)
            if arr.size < 2:
                arr = np.concatenate([arr, np.zeros(2 - arr.size, np.uint32)])
            init = arr[:2]
        else:
            init = _key_data(_entropy_seed())
        self._state_var = Variable(jnp.asarray(init, jnp.uint32), trainable=False, name="StateVar")
        self._alg = alg if alg is not None else Algorithm.THREEFRY

    @classmethod
    def from_seed(cls, seed, alg=None):
        return cls(state=_key_data(int(np.asarray(seed))), alg=alg)

    @classmethod
    def from_non_deterministic_state(cls, alg=None):
        return cls(alg=alg)

    @classmethod
    def from_state(cls, state, alg):
        return cls(state=state, alg=alg)

    @classmethod
    def from_key_counter(cls, key, counter, alg):
        k = int(np.asarray(key).reshape(-1)[0])
        c = int(np.asarray(counter).reshape(-1)[0])
        return cls(state=_key_data(k * 1000003 + c), alg=alg)

    @property
    def state(self):
        return self._state_var

    @property
    def algorithm(self):
        return self._alg

    def reset(self, state):
        self._state_var.assign(jnp.asarray(np.asarray(state).astype(np.uint32).reshape(-1)[:2]))

    def reset_from_seed(self, seed):
        self._state_var.assign(jnp.asarray(_key_data(int(np.asarray(seed)))))

    def reset_from_key_counter(self, key, counter):
        k = int(np.asarray(key).reshape(-1)[0])
        c = int(np.asarray(counter).reshape(-1)[0])
        self._state_var.assign(jnp.asarray(_key_data(k * 1000003 + c)))

    def _draw(self, **params):
        return _run_draw_gen(self._state_var, **params)

    def uniform(self, shape, minval=0, maxval=None, dtype=dtypes.float32, name=None):
        d = dtypes.as_dtype(dtype)
        shp = _shape(shape)
        if d.is_integer:
            if maxval is None:
                raise ValueError(f"Must specify maxval for integer dtype {d!r}")
            lo, hi = int(np.asarray(minval)), int(np.asarray(maxval))
            if lo >= hi:
                raise errors.invalid_argument("StatefulUniformInt", f"Need minval < maxval: {lo} >= {hi}")
            return self._draw(kind="uniform_int", shape=shp, np_dtype=d._np, extra=(lo, hi))
        u = self._draw(kind="uniform_float", shape=shp, np_dtype=d._np, extra=None)
        maxval = 1 if maxval is None else maxval
        if _is_zero(minval) and _is_one(maxval):
            return u
        lo, hi = _param(minval, d), _param(maxval, d)
        return _affine(u, math_ops.subtract(hi, lo), lo)

    def uniform_full_int(self, shape, dtype=dtypes.uint64, name=None):
        d = dtypes.as_dtype(dtype)
        return self._draw(kind="uniform_full_int", shape=_shape(shape), np_dtype=d._np, extra=None)

    def normal(self, shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None):
        d = _float_dtype(dtype, "Generator.normal")
        z = self._draw(kind="normal", shape=_shape(shape), np_dtype=d._np, extra=None)
        if _is_zero(mean) and _is_one(stddev):
            return z
        return _affine(z, _param(stddev, d), _param(mean, d))

    def truncated_normal(self, shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None):
        d = _float_dtype(dtype, "Generator.truncated_normal")
        z = self._draw(kind="truncated_normal", shape=_shape(shape), np_dtype=d._np, extra=None)
        if _is_zero(mean) and _is_one(stddev):
            return z
        return _affine(z, _param(stddev, d), _param(mean, d))

    def make_seeds(self, count=1):
        st = Tensor(self._state_var._read_raw())
        new, seeds = dispatch.apply_unrecorded(_gen_make_seeds, st, count=int(count))
        self._state_var._write(new._value)
        return seeds

    def split(self, count=1):
        st = Tensor(self._state_var._read_raw())
        new, children = dispatch.apply_unrecorded(_gen_split, st, count=int(count))
        self._state_var._write(new._value)
        arr = np.asarray(children._value)
        return [Generator(state=arr[i], alg=self._alg) for i in range(int(count))]


def _run_draw_gen(state_var, **params):
    st = Tensor(state_var._read_raw())
    new, out = dispatch.apply_unrecorded(_gen_draw_jit, st, **params)
    state_var._write(new._value)
    return out


_global_generator = [None]


def get_global_generator():
    if _global_generator[0] is None:
        _global_generator[0] = Generator.from_non_deterministic_state()
    return _global_generator[0]


def set_global_generator(generator):
    _global_generator[0] = generator
