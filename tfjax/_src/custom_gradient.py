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
    """The JAX function of one ``@tf.custom_gradient`` function (hashable by it).

    Inputs are the call's tensors followed by the values of ``variables`` (the trainable
    variables ``f`` reads, when its ``grad_fn`` takes a ``variables`` argument, as in TF);
    ``grad_fn(*dy, variables=...)`` then returns ``(input grads, variable grads)``.
    """

    def __init__(self, f):
        self.f = f
        self.structure = None
        self.variables = None       # None: not discovered yet; () when grad_fn takes none
        self.n_args = 0
        fn = jax.custom_vjp(self._primal)
        fn.defvjp(self._fwd, self._bwd)
        self._fn = fn

    def _run_user(self, vals):
        with _Paused():
            out, grad_fn = self.f(*[Tensor(v) for v in vals[:self.n_args]])
        return out, grad_fn

    def _primal(self, *vals):
        out, _ = self._run_user(vals)
        self.structure = out
        return tuple(_raw(o) for o in nest.flatten(out))

    def _fwd(self, *vals):
        return self._primal(*vals), vals

    def _bwd(self, vals, cotangents):
        _, grad_fn = self._run_user(vals)
        n = self.n_args
        dys = [Tensor(c) for c in cotangents]
        with _Paused():
            if self.variables:
                grads, var_grads = grad_fn(*dys, variables=list(self.variables))
                var_grads = list(var_grads) if var_grads is not None else []
                if len(var_grads) != len(self.variables):
                    raise ValueError(
                        f"custom_gradient grad_fn must return {len(self.variables)} variable gradients "
                        f"(one per variable read), got {len(var_grads)}.")
            else:
                if _takes_variables(grad_fn):
                    grads = grad_fn(*dys, variables=[])
                    if isinstance(grads, tuple) and len(grads) == 2 and isinstance(grads[1], (list, tuple)) \
                            and len(grads[1]) == 0:
                        grads = grads[0]
                else:
                    grads = grad_fn(*dys)
                var_grads = []
        grads = list(grads) if isinstance(grads, (list, tuple)) else [grads]
        if len(grads) != n:
            raise ValueError(
                f"custom_gradient function expected to return {n} gradients, but returned "
                f"{len(grads)} instead.")
        out = [jnp.zeros_like(v) if g is None else _raw(g).astype(v.dtype)
               for g, v in zip(grads + var_grads, vals)]
        return tuple(out)

    def discover(self, inputs):
        """First call: run ``f`` once recording variable reads, to learn which variables
        ``grad_fn(..., variables=...)`` is about (TF: the trainable variables ``f`` reads)."""
        rec = _ReadRecorder()
        saved = _tape.state.tapes
        _tape.state.tapes = [rec]
        rec._recording = True
        _tape._refresh()
        try:
            _, grad_fn = self.f(*inputs)
        finally:
            _tape.state.tapes = saved
            _tape._refresh()
        if _takes_variables(grad_fn):
            seen, found = set(), []
            for v in rec.read_vars:
                if id(v) not in seen and v.trainable:
                    seen.add(id(v))
                    found.append(v)
            self.variables = tuple(found)
        else:
            self.variables = ()

    def __call__(self, *vals):
        return self._fn(*vals)


def _takes_variables(grad_fn):
    try:
        return "variables" in inspect.signature(grad_fn).parameters
    except (TypeError, ValueError):
        return False


class _ReadRecorder(_tape.GradientTape):
    """Notes every variable read (and nothing else)."""

    def __init__(self):
        super().__init__()
        self.read_vars = []

    def _record_op(self, fn, params, inputs, outputs):
        pass

    def _record_read(self, var, tensor):
        self.read_vars.append(var)


def custom_gradient(f=None):
    """Decorator: ``f(*x) -> (y, grad_fn)`` where ``grad_fn(*dy) -> dx`` (or, taking
    ``variables=``, ``-> (dx, dvariables)``)."""
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
        if op.variables is None:
            op.discover(inputs)
        op.n_args = len(inputs)
        var_inputs = [v.value() for v in op.variables]   # recorded as reads by outer tapes
        result = _tape.apply_composite(op, *inputs, *var_inputs)
        flat = list(result) if type(result) is tuple else [result]
        return nest.pack_sequence_as(op.structure, flat)

    return wrapped
