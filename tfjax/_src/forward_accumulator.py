"""``tf.autodiff.ForwardAccumulator``: forward-mode autodiff (JVPs) over eager ops.

How it works. TF computes tangents eagerly, op by op. tfjax records instead: the
accumulator is a (persistent, non-variable-watching) GradientTape that watches its
primals, so while it is active every op connected to a primal is recorded exactly as a
GradientTape records it (``dispatch.apply`` -> ``tape.record``). ``acc.jvp(y)`` turns the
recorded nodes into a pure program of the primals (the same ``tape._build`` the tapes
use) and runs one ``jax.jvp`` over it with the accumulator's tangents. That JVP is itself
an op (``tape.apply_composite``), so:

* a GradientTape recording around ``acc.jvp(...)`` differentiates through it
  (backward-over-forward), and
* a ``tape.gradient`` computed inside the accumulator is recorded on it as one op, so
  ``acc.jvp(grad)`` is a Hessian-vector product (forward-over-backward); nested
  accumulators give higher-order JVPs the same way.

Variables can be primals: every read of the variable inside the accumulator's scope gets
the variable's tangent (as in TF).

Limits. Only ops run *inside* the ``with`` block are seen (as in TF); ``jvp`` of a tensor
computed before the accumulator was entered, or not connected to a primal, is ``None``
(or zeros with ``unconnected_gradients="zero"``). Integer/bool primals carry no tangent.
``tf.function`` calls inside the block are recorded as one op each and differentiated
through their compiled program. The tangents are computed lazily, when ``jvp`` is asked.
"""

from __future__ import annotations

import collections

import jax
import jax.numpy as jnp

from tfjax._src import nest
from tfjax._src import tape as _tape
from tfjax._src.tensor import Tensor, convert_to_tensor


class _JvpOp:
    """The JVP of a recorded program as one op: (sources..., consts..., tangents...) -> tangents."""

    __slots__ = ("program", "n_consts", "_hash", "__weakref__")

    def __init__(self, program, n_consts):
        self.program = program
        self.n_consts = n_consts
        self._hash = hash((program, n_consts, "jvp"))

    def __hash__(self):
        return self._hash

    def __eq__(self, other):
        return self is other or (isinstance(other, _JvpOp) and self._hash == other._hash
                                 and self.program == other.program and self.n_consts == other.n_consts)

    def __call__(self, *vals):
        n = self.program.n_sources
        return _compiled(self)(vals[:n], vals[n:n + self.n_consts], vals[n + self.n_consts:])


def _pure_jvp(op, sources, consts, tangents):
    program = op.program
    _, out = jax.jvp(lambda *s: tuple(program.run(s, consts)), tuple(sources), tuple(tangents))
    return tuple(out)


_cache: "collections.OrderedDict" = collections.OrderedDict()


def _compiled(op):
    if op.program._hash is None:
        return lambda s, c, t: _pure_jvp(op, s, c, t)
    fn = _cache.get(op)
    if fn is None:
        fn = _cache[op] = jax.jit(lambda s, c, t: _pure_jvp(op, s, c, t))
        while len(_cache) > 256:
            _cache.popitem(last=False)
    return fn


class ForwardAccumulator(_tape.GradientTape):
    """Computes Jacobian-vector products of the ops run inside its ``with`` block."""

    def __init__(self, primals, tangents):
        super().__init__(persistent=True, watch_accessed_variables=False)
        flat_p = nest.flatten(primals)
        flat_t = nest.flatten(tangents)
        if len(flat_p) != len(flat_t):
            raise ValueError(
                f"The structure of primals ({primals!r}) does not match the structure of tangents "
                f"({tangents!r}).")
        self._primals = []
        self._tangent_of = {}
        for p, t in zip(flat_p, flat_t):
            if not (isinstance(p, Tensor) or _tape._is_variable(p)):
                p = convert_to_tensor(p)
            t = convert_to_tensor(t)
            if t.dtype != p.dtype:
                t = Tensor(t._value.astype(p.dtype._np))
            self._primals.append(p)
            self._tangent_of[id(p)] = t
        self.watch(self._primals)

    def __enter__(self):
        if self in _tape.state.tapes:
            raise ValueError("Attempted to enter a ForwardAccumulator's context twice.")
        return super().__enter__()

    def jvp(self, primals, unconnected_gradients=_tape.UnconnectedGradients.NONE):
        """The tangent of ``primals`` (a Tensor or nested structure of them) with respect to
        this accumulator's primals and tangents; ``None`` where unconnected."""
        unconnected = _tape.UnconnectedGradients(unconnected_gradients)
        single = not nest.is_nested(primals)
        flat = [primals] if single else nest.flatten(primals)
        targets = [t if (isinstance(t, Tensor) or _tape._is_variable(t)) else convert_to_tensor(t)
                   for t in flat]
        results = [None] * len(targets)
        built = _tape._build(self._nodes, targets, self._primals) if targets else None
        if built is not None:
            program, instances, consts, _connected, mask = built
            tans = [self._tangent_of[key] for key, _ in instances]
            op = _JvpOp(program, len(consts))
            out = _tape.apply_composite(op, *([t for _, t in instances] + list(consts) + tans))
            if type(out) is not tuple:
                out = (out,)
            it = iter(out)
            for i, m in enumerate(mask):
                if m:
                    results[i] = next(it)
        if unconnected is _tape.UnconnectedGradients.ZERO:
            results = [Tensor(jnp.zeros(tuple(t.shape), t.dtype._np)) if r is None else r
                       for r, t in zip(results, targets)]
        return results[0] if single else nest.pack_sequence_as(primals, results)

    # GradientTape API that makes no sense on an accumulator.
    def gradient(self, *args, **kwargs):
        raise AttributeError("'ForwardAccumulator' object has no attribute 'gradient'")

    def jacobian(self, *args, **kwargs):
        raise AttributeError("'ForwardAccumulator' object has no attribute 'jacobian'")
