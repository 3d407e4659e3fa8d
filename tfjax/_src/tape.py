"""``tf.GradientTape``: record the ops, then replay them through one ``jax.vjp``.

Recording is cheap: a recording tape appends ``(jax_fn, params, inputs,
outputs)`` for every op (see :mod:`tfjax._src.dispatch`) whose inputs are
connected to something the tape watches. ``gradient()`` compiles the recorded
nodes into a pure function of the sources and differentiates it with JAX.

Two details carry TF's semantics:

* Every read of a watched variable is a separate source instance. The variable's
  gradient is the sum over its reads, so an ``assign`` in the middle of a tape
  gives TF's answer (gradients flow through the reads before and after).
* The gradient computation is itself an op (``apply_composite``), so an
  enclosing tape records it and nested tapes give higher-order derivatives
  through JAX's own nested autodiff.

The compiled replay is cached by the recorded program's structure (op identities,
static params, wiring); tensor values always enter as arguments.
"""

from __future__ import annotations

import collections
import enum
import threading

import jax
import jax.numpy as jnp
import numpy as np

from tfjax._src import dtypes
from tfjax._src import nest
from tfjax._src.tensor import Tensor


class _State(threading.local):
    def __init__(self):
        self.tapes = []          # active tapes, innermost last
        self.recording = False   # any active tape recording (the dispatch fast check)


state = _State()


def _refresh():
    state.recording = any(t._recording for t in state.tapes)


def record(jax_fn, params, inputs, outputs):
    """Called by dispatch.apply for every op while some tape records."""
    for tape in state.tapes:
        if tape._recording:
            tape._record_op(jax_fn, params, inputs, outputs)


def record_nondifferentiable(jax_fn, params, inputs, outputs):
    """Called by dispatch.apply_unrecorded: only control-flow captures keep these ops."""
    for tape in state.tapes:
        if tape._recording and type(tape) is _CaptureTape:
            tape._record_op(jax_fn, params, inputs, outputs)


def record_read(var, tensor):
    """Called by Variable reads while some tape records."""
    for tape in state.tapes:
        if tape._recording:
            tape._record_read(var, tensor)


def apply_composite(fn, *inputs):
    """Runs a composite op (a gradient, a compiled tf.function call, a custom_gradient
    function) like ``dispatch.apply``, without turning its errors into op errors: they
    come from user code and must keep their class."""
    out = fn(*[t._value for t in inputs])
    if type(out) is tuple or type(out) is list:
        result = tuple(Tensor(o) for o in out)
    else:
        result = Tensor(out)
    if state.recording:
        record(fn, {}, inputs, result)
    return result


def _identity_raw(x):
    return x


def record_alias(src, dst):
    """``dst`` is a new Tensor object standing for ``src``'s value (e.g. a Tensor subclass
    wrapping it): recording tapes treat it as an identity op of ``src``."""
    for tape in state.tapes:
        if tape._recording:
            tape._record_op(_identity_raw, {}, (src,), dst)


def record_watch_all(tensors):
    """Marks op outputs as connected on every recording tape (used by composite ops)."""
    for tape in state.tapes:
        if tape._recording:
            for t in tensors:
                tape._live[id(t)] = t


class UnconnectedGradients(enum.Enum):
    NONE = "none"
    ZERO = "zero"


class _OpNode:
    __slots__ = ("fn", "params", "inputs", "outputs")

    def __init__(self, fn, params, inputs, outputs):
        self.fn = fn
        self.params = params
        self.inputs = inputs
        self.outputs = outputs   # a Tensor, or a tuple of Tensors for multi-output ops


class _ReadNode:
    __slots__ = ("var", "output")

    def __init__(self, var, output):
        self.var = var
        self.output = output


_Variable = None


def _is_variable(x):
    global _Variable
    if _Variable is None:
        from tfjax._src.variables import Variable  # noqa: PLC0415 - variables imports tape
        _Variable = Variable
    return isinstance(x, _Variable)


_DIFFERENTIABLE = {}


def _differentiable(dtype) -> bool:
    r = _DIFFERENTIABLE.get(dtype)
    if r is None:
        d = dtypes.from_numpy(dtype)
        r = _DIFFERENTIABLE[dtype] = bool(d.is_floating or d.is_complex)
    return r


class GradientTape:
    """Records operations for automatic differentiation (see ``tf.GradientTape``)."""

    def __init__(self, persistent=False, watch_accessed_variables=True):
        self._persistent = persistent
        self._watch_accessed_variables = watch_accessed_variables
        self._recording = False
        self._used = False
        self._reset_records()

    def _reset_records(self):
        self._nodes = []
        self._live = {}        # id(tensor) -> tensor connected to a watched source
        self._watched_vars = {}  # id(var) -> var

    # -- context ------------------------------------------------------------
    def __enter__(self):
        state.tapes.append(self)
        self._recording = True
        _refresh()
        return self

    def __exit__(self, *exc):
        self._recording = False
        if self in state.tapes:
            state.tapes.remove(self)
        _refresh()
        return False

    def stop_recording(self):
        """Context manager that suspends recording on this tape."""
        return _StopRecording(self)

    def reset(self):
        """Clears everything recorded so far (the tape keeps recording)."""
        self._reset_records()

    # -- watching -------------------------------------------------------------
    def watch(self, tensor):
        for t in nest.flatten(tensor):
            if _is_variable(t):
                self._watched_vars[id(t)] = t
            elif isinstance(t, Tensor):
                self._live[id(t)] = t
            else:
                raise ValueError(
                    f"Passed in object {t!r} of type {type(t).__name__!r}, not tf.Tensor or tf.Variable "
                    "or ExtensionType.")

    def watched_variables(self):
        return tuple(self._watched_vars.values())

    def _record_op(self, fn, params, inputs, outputs):
        live = self._live
        for t in inputs:
            if id(t) in live:
                break
        else:
            return
        self._nodes.append(_OpNode(fn, params, inputs, outputs))
        if type(outputs) is tuple:
            for o in outputs:
                live[id(o)] = o
        else:
            live[id(outputs)] = outputs

    def _record_read(self, var, tensor):
        if id(var) not in self._watched_vars:
            if not (self._watch_accessed_variables and var.trainable):
                return
            self._watched_vars[id(var)] = var
        self._nodes.append(_ReadNode(var, tensor))
        self._live[id(tensor)] = tensor

    # -- gradients ------------------------------------------------------------
    def _check_usable(self):
        if self._used and not self._persistent:
            raise RuntimeError(
                "A non-persistent GradientTape can only be used to compute one set of "
                "gradients (or jacobians)")
        self._used = True

    def gradient(self, target, sources, output_gradients=None,
                 unconnected_gradients=UnconnectedGradients.NONE):
        """Gradients of ``target`` w.r.t. ``sources`` (structures preserved)."""
        self._check_usable()
        unconnected = unconnected_gradients if type(unconnected_gradients) is UnconnectedGradients \
            else UnconnectedGradients(unconnected_gradients)
        if target is None:
            raise TypeError("Argument `target` should be a list or nested structure of Tensors, "
                            "Variables or CompositeTensors to be differentiated, but received None.")
        flat_targets = [_as_target(t) for t in (nest.flatten(target) if nest.is_nested(target) else (target,))]
        single_source = not nest.is_nested(sources)
        flat_sources = [sources] if single_source else nest.flatten(sources)
        if output_gradients is not None:
            out_grads = [None if g is None else _as_cotangent(g) for g in nest.flatten(output_gradients)]
            if len(out_grads) != len(flat_targets):
                raise ValueError("output_gradients must have the same structure as target.")
        else:
            out_grads = [None] * len(flat_targets)
        if self._recording and self._persistent:
            # TF records a gradient computed inside a persistent tape's context on that
            # tape too (so it can be differentiated again with the same tape).
            grads = _compute(self._nodes, flat_targets, flat_sources, out_grads, jacobian=False)
        elif self._recording:
            self._recording = False
            _refresh()
            try:
                grads = _compute(self._nodes, flat_targets, flat_sources, out_grads, jacobian=False)
            finally:
                self._recording = True
                _refresh()
        else:
            grads = _compute(self._nodes, flat_targets, flat_sources, out_grads, jacobian=False)
        if unconnected is UnconnectedGradients.ZERO:
            grads = [_finish(g, s, unconnected) for g, s in zip(grads, flat_sources)]
        return grads[0] if single_source else nest.pack_sequence_as(sources, grads)

    def jacobian(self, target, sources, unconnected_gradients=UnconnectedGradients.NONE,
                 parallel_iterations=None, experimental_use_pfor=True):
        """Full Jacobian of ``target`` w.r.t. each source: shape target.shape + source.shape."""
        self._check_usable()
        unconnected = UnconnectedGradients(unconnected_gradients)
        flat_sources = nest.flatten(sources)
        tgt = _as_target(target)
        with self.stop_recording():
            jacs = _compute(self._nodes, [tgt], flat_sources, [None], jacobian=True)
        out = []
        for j, s in zip(jacs, flat_sources):
            if j is None and unconnected is UnconnectedGradients.ZERO:
                j = Tensor(jnp.zeros(tuple(tgt.shape) + tuple(_source_shape(s)), _source_dtype(s)))
            out.append(j)
        return nest.pack_sequence_as(sources, out)

    def batch_jacobian(self, target, source, unconnected_gradients=UnconnectedGradients.NONE,
                       parallel_iterations=None, experimental_use_pfor=True):
        """Per-example Jacobian: target [b, ...] and source [b, ...] give [b, t..., s...]."""
        jac = self.jacobian(target, source, unconnected_gradients=unconnected_gradients)
        if jac is None:
            return None
        tgt_rank = len(_as_target(target).shape)
        from tfjax._src import dispatch  # noqa: PLC0415
        return dispatch.apply(_batch_diagonal, jac, target_rank=tgt_rank)


def _batch_diagonal(jac, *, target_rank):
    # jac: [b, t..., b, s...] -> [b, t..., s...] by taking the batch diagonal.
    b = jac.shape[0]
    moved = jnp.moveaxis(jac, target_rank, 1)          # [b, b, t..., s...]
    return moved[jnp.arange(b), jnp.arange(b)]


class _StopRecording:
    def __init__(self, tape):
        self._tape = tape

    def __enter__(self):
        self._prev = self._tape._recording
        self._tape._recording = False
        _refresh()

    def __exit__(self, *exc):
        self._tape._recording = self._prev
        _refresh()
        return False


def _as_target(t):
    if isinstance(t, Tensor) or _is_variable(t):
        return t
    from tfjax._src.tensor import convert_to_tensor  # noqa: PLC0415
    return convert_to_tensor(t)


def _as_cotangent(g):
    if _is_variable(g):
        return Tensor(g._read_raw())
    if isinstance(g, Tensor):
        return g
    from tfjax._src.tensor import convert_to_tensor  # noqa: PLC0415
    return convert_to_tensor(g)


def _source_shape(s):
    return s.shape


def _source_dtype(s):
    return s.dtype._np


def _finish(g, source, unconnected):
    if g is None and unconnected is UnconnectedGradients.ZERO:
        return Tensor(jnp.zeros(tuple(_source_shape(source)), _source_dtype(source)))
    return g


# ---------------------------------------------------------------------------
# Turning recorded nodes into a pure program
# ---------------------------------------------------------------------------

class _Program:
    """A recorded computation as a pure function of (source values, constants).

    Wiring uses ints: ``r >= 0`` is an environment slot, ``r < 0`` is constant
    ``-r - 1``. Hashable by structure, so compiled replays can be cached.
    """

    __slots__ = ("steps", "n_sources", "n_slots", "targets", "key", "_hash")

    def __init__(self, steps, n_sources, n_slots, targets):
        self.steps = steps            # tuple of (fn, params_items, in_refs, out_slots)
        self.n_sources = n_sources
        self.n_slots = n_slots
        self.targets = targets        # tuple of refs
        self.key = (steps, n_sources, n_slots, targets)
        try:
            self._hash = hash(self.key)
        except TypeError:
            self._hash = None          # unhashable static params: no caching

    def __hash__(self):
        return self._hash if self._hash is not None else id(self)

    def __eq__(self, other):
        return isinstance(other, _Program) and (self is other or (self._hash is not None and self.key == other.key))

    def run(self, sources, consts):
        env = list(sources)
        env.extend([None] * (self.n_slots - len(env)))
        for fn, params, in_refs, out_slots in self.steps:
            args = [env[r] if r >= 0 else consts[-r - 1] for r in in_refs]
            out = fn(*args, **dict(params))
            if len(out_slots) == 1 and not isinstance(out, (tuple, list)):
                env[out_slots[0]] = out
            else:
                for s, o in zip(out_slots, out):
                    if s is not None:
                        env[s] = o
        return [env[r] if r >= 0 else consts[-r - 1] for r in self.targets]


def _zeros_raw(x):
    return jnp.zeros(x.shape, x.dtype)


def _build(nodes, targets, sources):
    """Returns (program, instances, consts, connected, mask), or None if nothing connects.

    ``instances[i]`` is ``(source key, Tensor)`` for every vjp input: one per tensor
    source, one per recorded read of a variable source (a variable's gradient is
    the sum over its reads), one zero "perturbation" per source that is itself an
    intermediate result (its gradient is d target / d intermediate, while the
    sources upstream of it still get their full gradient, as in TF), and one per
    variable that is both a target and a source (TF differentiates the handle:
    d v / d v = 1). The source key is ``id()`` of the source object.
    """
    slot_of = {}          # id(tensor) -> env slot
    instances = []        # (source key, tensor whose value enters the vjp)
    var_ids = set()
    produced = None
    perturb = {}          # id(intermediate source) -> perturbation slot
    for s in sources:
        if _is_variable(s):
            var_ids.add(id(s))
        elif isinstance(s, Tensor):
            if id(s) in slot_of or id(s) in perturb or not _differentiable(s._value.dtype):
                continue
            if produced is None:
                produced = set()
                for node in nodes:
                    if type(node) is _OpNode:
                        outs = node.outputs if type(node.outputs) is tuple else (node.outputs,)
                        produced.update(id(o) for o in outs)
            if id(s) in produced:
                perturb[id(s)] = len(instances)
                instances.append((id(s), Tensor(_zeros_raw(s._value))))
            else:
                slot_of[id(s)] = len(instances)
                instances.append((id(s), s))
        else:
            raise ValueError(f"Cannot compute gradient with respect to {s!r}: not a Tensor or Variable.")

    # Read nodes of source variables become extra source instances.
    if var_ids:
        for node in nodes:
            if type(node) is _ReadNode and id(node.var) in var_ids and _differentiable(node.output._value.dtype):
                if id(node.output) not in slot_of:
                    slot_of[id(node.output)] = len(instances)
                    instances.append((id(node.var), node.output))
    # A variable target that is also a source: its handle is one more instance.
    target_var_slot = {}
    for t in targets:
        if _is_variable(t) and id(t) in var_ids and id(t) not in target_var_slot and _differentiable(t._value.dtype):
            target_var_slot[id(t)] = len(instances)
            instances.append((id(t), Tensor(t._read_raw())))
    n_sources = len(instances)
    next_slot = n_sources
    consts, const_of = [], {}

    def ref(t):
        s = slot_of.get(id(t))
        if s is not None:
            return s
        c = const_of.get(id(t))
        if c is None:
            c = const_of[id(t)] = -len(consts) - 1
            consts.append(t)
        return c

    raw_steps = []
    for node in nodes:
        if type(node) is _ReadNode:
            continue
        for t in node.inputs:
            if id(t) in slot_of:
                break
        else:
            if perturb:
                # An intermediate source computed from unconnected inputs: its value is a
                # constant, plus its perturbation.
                outs = node.outputs if type(node.outputs) is tuple else (node.outputs,)
                for o in outs:
                    p = perturb.get(id(o))
                    if p is not None and id(o) not in slot_of:
                        raw_steps.append((_add_raw, (), (ref(o), p), (next_slot,)))
                        slot_of[id(o)] = next_slot
                        next_slot += 1
            continue
        in_refs = tuple(ref(t) for t in node.inputs)
        outs = node.outputs if type(node.outputs) is tuple else (node.outputs,)
        out_slots = []
        for o in outs:
            if id(o) in slot_of:      # a tensor already bound (e.g. a leaf source): keep it
                out_slots.append(None)
                continue
            slot_of[id(o)] = next_slot
            out_slots.append(next_slot)
            next_slot += 1
        params = node.params
        if params:
            try:
                params = tuple(sorted(params.items()))
            except TypeError:
                params = tuple(params.items())
        else:
            params = ()
        raw_steps.append((node.fn, params, in_refs, tuple(out_slots)))
        if perturb:
            for o in outs:
                p = perturb.get(id(o))
                if p is not None:
                    raw_steps.append((_add_raw, (), (slot_of[id(o)], p), (next_slot,)))
                    slot_of[id(o)] = next_slot
                    next_slot += 1

    target_refs = []
    for t in targets:
        if _is_variable(t):
            target_refs.append(target_var_slot.get(id(t)))
            continue
        s = slot_of.get(id(t))
        if s is None:
            s = perturb.get(id(t))   # a source that is its own target, never recomputed
        target_refs.append(s if s is not None and _differentiable(t._value.dtype) else None)
    if all(r is None for r in target_refs):
        return None

    # Prune steps that no target depends on, and find the sources that matter.
    needed = {r for r in target_refs if r is not None}
    kept = []
    for step in reversed(raw_steps):
        for s in step[3]:
            if s is not None and s in needed:
                kept.append(step)
                needed.update(r for r in step[2] if r >= 0)
                break
    kept.reverse()
    connected = [k in needed for k in range(n_sources)]
    # Renumber consts so the program only references what it uses.
    used_consts = sorted({-r - 1 for step in kept for r in step[2] if r < 0})
    if len(used_consts) != len(consts):
        remap = {old: -new - 1 for new, old in enumerate(used_consts)}
        kept = [(fn, params, tuple(remap[-r - 1] if r < 0 else r for r in in_refs), out_slots)
                for fn, params, in_refs, out_slots in kept]
        consts = [consts[i] for i in used_consts]
    mask = tuple(r is not None for r in target_refs)
    program = _Program(tuple(kept), n_sources, next_slot, tuple(r for r in target_refs if r is not None))
    return program, instances, consts, connected, mask


_CACHE_SIZE = 256
_grad_cache: "collections.OrderedDict" = collections.OrderedDict()


class _GradOp:
    """The gradient of a program as one op: (sources..., consts..., cotangents...) -> grads.

    ``ones`` marks the targets whose cotangent is the default ``ones_like(target)``: it
    is made inside the compiled function rather than passed in. Hashable by the
    program, so an enclosing tape's replay cache also hits.
    """

    __slots__ = ("program", "n_consts", "jacobian", "ones", "_hash", "__weakref__")

    def __init__(self, program, n_consts, jacobian, ones=()):
        self.program = program
        self.n_consts = n_consts
        self.jacobian = jacobian
        self.ones = ones
        self._hash = hash((program, n_consts, jacobian, ones))

    def __hash__(self):
        return self._hash

    def __eq__(self, other):
        return self is other or (
            isinstance(other, _GradOp) and self._hash == other._hash and self.program == other.program
            and self.n_consts == other.n_consts and self.jacobian == other.jacobian
            and self.ones == other.ones)

    def __call__(self, *vals):
        n = self.program.n_sources
        return _compiled(self)(vals[:n], vals[n:n + self.n_consts], vals[n + self.n_consts:])


def _pure_grad(op: _GradOp, sources, consts, cotangents):
    program = op.program

    def f(*s):
        return program.run(s, consts)

    if op.jacobian:
        jac = jax.jacrev(lambda *s: f(*s)[0], argnums=tuple(range(len(sources))))(*sources)
        return tuple(jac)
    outs, vjp = jax.vjp(f, *sources)
    it = iter(cotangents)
    cots = [jnp.ones_like(o) if one else _conj(next(it)) for o, one in zip(outs, op.ones)]
    return tuple(_conj(g) for g in vjp(cots))


def _conj(x):
    """TF's complex gradients are the conjugates of JAX's cotangents (for a real loss L of z,
    TF returns dL/dRe(z) + i dL/dIm(z), JAX its conjugate), so a complex cotangent is conjugated
    going into jax.vjp and coming out. Real dtypes pass through."""
    return jnp.conj(x) if jnp.iscomplexobj(x) else x


def _compiled(op: _GradOp):
    if op.program._hash is None:
        return lambda s, c, g: _pure_grad(op, s, c, g)
    fn = _grad_cache.get(op)
    if fn is None:
        fn = jax.jit(lambda s, c, g: _pure_grad(op, s, c, g))
        _grad_cache[op] = fn
        while len(_grad_cache) > _CACHE_SIZE:
            _grad_cache.popitem(last=False)
    else:
        _grad_cache.move_to_end(op)
    return fn


def _compute(nodes, targets, sources, out_grads, jacobian):
    built = _build(nodes, targets, sources)
    if built is None:
        return [None] * len(sources)
    program, instances, consts, connected, mask = built
    cots = []
    ones = []
    if not jacobian:
        for t, g, m in zip(targets, out_grads, mask):
            if not m:
                continue
            ones.append(g is None)
            if g is None:
                continue
            tv = t._read_raw() if _is_variable(t) else t._value
            if g._value.dtype != tv.dtype:
                g = Tensor(g._value.astype(tv.dtype))
            cots.append(g)
    op = _GradOp(program, len(consts), jacobian, tuple(ones))
    inputs = [t for _, t in instances] + list(consts) + cots
    results = apply_composite(op, *inputs)
    if type(results) is not tuple:
        results = (results,)
    by_key = {}
    for (key, _), g, conn in zip(instances, results, connected):
        if not conn:
            continue
        prev = by_key.get(key)
        by_key[key] = g if prev is None else _add(prev, g)
    return [by_key.get(id(s)) for s in sources]


def _add_raw(a, b):
    return a + b


def _add(a, b):
    return apply_composite(_add_raw, a, b)


# ---------------------------------------------------------------------------
# Capturing a Python callable as a program (used by control flow)
# ---------------------------------------------------------------------------

class _CaptureTape(GradientTape):
    """Records every op and variable read, connected or not."""

    def _record_op(self, fn, params, inputs, outputs):
        self._nodes.append(_OpNode(fn, params, inputs, outputs))

    def _record_read(self, var, tensor):
        self._nodes.append(_ReadNode(var, tensor))


def capture(fn, args):
    """Runs ``fn(*args)`` once and returns it as a pure program over its inputs.

    Returns ``(program, free, reads, out)``: ``program.run(arg_values, free_values)``
    recomputes the flat output values; ``free`` are the Tensors ``fn`` used from
    outside (its closure); ``reads[i]`` is the Variable whose read produced
    ``free[i]`` (or None), so callers can re-read it where outer tapes see it;
    ``out`` is ``fn``'s own return value (for its structure).
    Enclosing tapes are paused while ``fn`` runs: the caller records the whole
    construct as one op instead.
    """
    cap = _CaptureTape()
    saved = state.tapes
    state.tapes = [cap]
    cap._recording = True
    _refresh()
    try:
        out = fn(*args)
    finally:
        state.tapes = saved
        _refresh()
    flat_out = nest.flatten(out)
    slot_of = {id(a): i for i, a in enumerate(args)}
    next_slot = len(args)
    free, reads, const_of = [], [], {}
    read_var = {id(n.output): n.var for n in cap._nodes if type(n) is _ReadNode}

    def ref(t):
        s = slot_of.get(id(t))
        if s is not None:
            return s
        c = const_of.get(id(t))
        if c is None:
            c = const_of[id(t)] = -len(free) - 1
            free.append(t)
            reads.append(read_var.get(id(t)))
        return c

    steps = []
    for node in cap._nodes:
        if type(node) is _ReadNode:
            continue
        in_refs = tuple(ref(t) for t in node.inputs)
        outs = node.outputs if type(node.outputs) is tuple else (node.outputs,)
        out_slots = []
        for o in outs:
            slot_of[id(o)] = next_slot
            out_slots.append(next_slot)
            next_slot += 1
        try:
            params = tuple(sorted(node.params.items()))
        except TypeError:
            params = tuple(node.params.items())
        steps.append((node.fn, params, in_refs, tuple(out_slots)))
    targets = []
    for t in flat_out:
        if _is_variable(t):
            t = t.value()
        if not isinstance(t, Tensor):
            from tfjax._src.tensor import convert_to_tensor  # noqa: PLC0415
            t = convert_to_tensor(t)
        targets.append(ref(t))
    program = _Program(tuple(steps), len(args), next_slot, tuple(targets))
    return program, free, reads, out
