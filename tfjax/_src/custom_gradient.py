"""``tf.custom_gradient`` on ``jax.custom_vjp``.

The decorated function runs as ONE op (through ``tape.apply_composite``) whose JAX
implementation is a ``jax.custom_vjp``: its forward calls the user's function,
its backward calls the user's ``grad_fn``. The backward re-runs the forward to
obtain ``grad_fn`` (a Python closure cannot be a JAX residual); under
``tf.function`` XLA shares the duplicated work.
"""

from __future__ import annotations

import functools
import inspect

import jax
import jax.numpy as jnp

from tfjax._src import nest
from tfjax._src import tape as _tape
from tfjax._src.tensor import Tensor, convert_to_tensor


class _Paused:
    """Runs user code with every tape paused (the op as a whole is what tapes see)."""

    def __enter__(self):
        self._saved = _tape.state.tapes
        _tape.state.tapes = []
        _tape._refresh()

    def __exit__(self, *exc):
        _tape.state.tapes = self._saved
        _tape._refresh()
        return False


def _raw(x):
    return x._value if isinstance(x, Tensor) else convert_to_tensor(x)._value


class _CustomGradientOp:
    """The JAX function of one ``@tf.custom_gradient`` function (hashable by it)."""

    def __init__(self, f):
        self.f = f
        self.structure = None
        fn = jax.custom_vjp(self._primal)
        fn.defvjp(self._fwd, self._bwd)
        self._fn = fn

    def _run_user(self, vals):
        with _Paused():
            out, grad_fn = self.f(*[Tensor(v) for v in vals])
        return out, grad_fn

    def _primal(self, *vals):
        out, _ = self._run_user(vals)
        self.structure = out
        return tuple(_raw(o) for o in nest.flatten(out))

    def _fwd(self, *vals):
        return self._primal(*vals), vals

    def _bwd(self, vals, cotangents):
        _, grad_fn = self._run_user(vals)
        if "variables" in inspect.signature(grad_fn).parameters:
            raise NotImplementedError(
                "tf.custom_gradient with a grad_fn taking `variables` is not supported by tfjax; "
                "pass the variables as explicit inputs instead.")
        with _Paused():
            grads = grad_fn(*[Tensor(c) for c in cotangents])
        grads = list(grads) if isinstance(grads, (list, tuple)) else [grads]
        if len(grads) != len(vals):
            raise ValueError(
                f"custom_gradient function expected to return {len(vals)} gradients, but returned "
                f"{len(grads)} instead.")
        return tuple(jnp.zeros_like(v) if g is None else _raw(g).astype(v.dtype) for g, v in zip(grads, vals))

    def __call__(self, *vals):
        return self._fn(*vals)


def custom_gradient(f=None):
    """Decorator: ``f(*x) -> (y, grad_fn)`` where ``grad_fn(*dy) -> dx``."""
    if f is None:
        return custom_gradient
    op = _CustomGradientOp(f)

    @functools.wraps(f)
    def wrapped(*args, **kwargs):
        if kwargs:
            raise NotImplementedError(
                "tfjax's tf.custom_gradient takes positional tensor arguments only; got keywords "
                f"{sorted(kwargs)}.")
        inputs = [convert_to_tensor(a) for a in args]
        result = _tape.apply_composite(op, *inputs)
        flat = list(result) if type(result) is tuple else [result]
        return nest.pack_sequence_as(op.structure, flat)

    return wrapped
