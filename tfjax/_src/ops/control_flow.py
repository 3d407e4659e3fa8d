"""``tf.cond``, ``tf.case``, ``tf.switch_case``, ``tf.while_loop``, ``tf.map_fn``, ``tf.scan``,
``tf.vectorized_map``, ``tf.foldl`` / ``tf.foldr``.

In eager mode these run as plain Python (TF eager does too: branches and loop
bodies execute op by op, and the tape records them as usual). While
``tf.function`` traces, a branch or body is captured once as a pure program over
its inputs (:func:`tfjax._src.tape.capture`) and the whole construct becomes ONE
op over ``lax.cond`` / ``lax.while_loop`` / ``lax.scan`` / ``lax.map`` — one node
for enclosing tapes, so gradients flow through it with JAX's own autodiff.

``lax.while_loop`` is not reverse-differentiable; a ``tf.while_loop`` with
``maximum_iterations`` is lowered to a ``lax.scan`` over that bound with a
predicate-guarded body instead, which is (TFP's approach). Assigning variables
inside a traced branch or loop body is not supported (clear error).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
from jax import lax

from tfjax._src import dispatch
from tfjax._src import nest
from tfjax._src import tape as _tape
from tfjax._src import variables as _vars
from tfjax._src.ops import convert
from tfjax._src.tensor import Tensor
from tfjax._src.variables import Variable

_Tracer = jax.core.Tracer


def _traced(*tensors) -> bool:
    return _vars.current_scope() is not None or any(
        isinstance(t, Tensor) and isinstance(t._value, _Tracer) for t in tensors)


def _to_tensors(structure):
    return nest.map_structure(
        lambda x: x.value() if isinstance(x, Variable) else convert.tensor(x), structure)


class _NoStateWrites:
    """Refuses variable assignment while a traced branch/body is being captured."""

    def __enter__(self):
        self._scope = _vars.current_scope()
        self._before = dict(self._scope.written) if self._scope is not None else None

    def __exit__(self, *exc):
        if self._scope is not None and exc[0] is None and set(self._scope.written) != set(self._before):
            raise NotImplementedError(
                "Assigning a tf.Variable inside a tf.cond branch or tf.while_loop body under "
                "tf.function is not supported by tfjax; move the assign outside the control flow "
                "(e.g. compute the new value with tf.where / tf.cond, then assign).")
        return False


def _capture(fn, arg_tensors):
    # Fresh wrappers: capture tells arguments from closed-over tensors by identity, and a loop
    # variable initialised with a tensor the body also closes over (``while_loop(c, lambda s: s * x,
    # [x])``) must stay two inputs.
    arg_tensors = [Tensor(t._value) if type(t) is Tensor else t for t in arg_tensors]
    with _NoStateWrites():
        program, free, reads, out = _tape.capture(fn, arg_tensors)
    # Re-read captured variables at this level so enclosing tapes record the reads.
    free = [v.value() if v is not None else t for t, v in zip(free, reads)]
    return program, free, out


# -- cond / case / switch_case ---------------------------------------------------
def _run_cond(pred, *vals, true_prog, false_prog, n_true):
    ft, ff = vals[:n_true], vals[n_true:]
    return tuple(lax.cond(pred.reshape(()).astype(bool),
                          lambda: tuple(true_prog.run((), ft)),
                          lambda: tuple(false_prog.run((), ff))))


def cond(pred, true_fn=None, false_fn=None, name=None):
    """``tf.cond``: eager runs one branch; traced, both branches compile into ``lax.cond``."""
    if true_fn is None or false_fn is None:
        raise TypeError("cond(): 'true_fn' and 'false_fn' arguments are required.")
    if not callable(true_fn) or not callable(false_fn):
        raise TypeError("'true_fn' and 'false_fn' must be callable.")
    p = convert.tensor(pred)
    if p._value.shape not in ((), (1,)):
        raise ValueError(f"The `pred` argument to cond must be a scalar, got shape {p.shape}")
    if not _traced(p):
        return true_fn() if bool(p._value.reshape(())) else false_fn()
    prog_t, free_t, out_t = _capture(true_fn, [])
    prog_f, free_f, out_f = _capture(false_fn, [])
    try:
        nest.assert_same_structure(out_t, out_f, check_types=False)
    except (ValueError, TypeError) as e:
        raise ValueError(f"true_fn and false_fn arguments to tf.cond must have the same number, type, "
                         f"and overall structure of return values. {e}") from None
    result = dispatch.apply(_run_cond, p, *free_t, *free_f, true_prog=prog_t, false_prog=prog_f,
                            n_true=len(free_t))
    if type(result) is not tuple:
        result = (result,)
    for a, b in zip(result, nest.flatten(out_f)):
        if isinstance(b, Tensor) and a.dtype != b.dtype:
            raise TypeError(f"true_fn and false_fn return different dtypes: {a.dtype.name} vs {b.dtype.name}")
    return nest.pack_sequence_as(out_t, list(result)) if out_t is not None else None


def _run_switch(index, *vals, progs, counts):
    branches = []
    start = 0
    for prog, n in zip(progs, counts):
        fv = vals[start:start + n]
        branches.append(lambda fv=fv, prog=prog: tuple(prog.run((), fv)))
        start += n
    i = jnp.clip(index.reshape(()).astype(jnp.int32), 0, len(progs) - 1)
    return tuple(lax.switch(i, branches))


def switch_case(branch_index, branch_fns, default=None, name="switch_case"):
    """``tf.switch_case``: out-of-range indices run ``default`` (or the last branch)."""
    if isinstance(branch_fns, dict):
        keys = sorted(branch_fns)
        if keys != list(range(len(keys))):
            raise ValueError("branch_fns keys must be the integers 0..n-1")
        fns = [branch_fns[k] for k in keys]
    else:
        fns = [f[1] if isinstance(f, tuple) else f for f in branch_fns]
    if default is None:
        default = fns[-1]
    idx = convert.tensor(branch_index)
    if not _traced(idx):
        i = int(idx._value)
        return fns[i]() if 0 <= i < len(fns) else default()
    all_fns = fns + [default]
    captured = [_capture(f, []) for f in all_fns]
    # Out-of-range -> default: map the index to len(fns) when outside [0, n).
    n = len(fns)
    safe = dispatch.apply_unrecorded(_default_index, idx, n=n)
    result = dispatch.apply(_run_switch, safe, *[t for _, free, _ in captured for t in free],
                            progs=tuple(p for p, _, _ in captured),
                            counts=tuple(len(free) for _, free, _ in captured))
    if type(result) is not tuple:
        result = (result,)
    return nest.pack_sequence_as(captured[0][2], list(result))


def _default_index(i, *, n):
    i = i.astype(jnp.int32)
    return jnp.where((i < 0) | (i >= n), n, i)


def case(pred_fn_pairs, default=None, exclusive=False, strict=False, name="case"):
    """``tf.case``: the first pair whose predicate is true wins (exclusive checks eagerly)."""
    pairs = list(pred_fn_pairs.items()) if isinstance(pred_fn_pairs, dict) else list(pred_fn_pairs)
    if not pairs and default is None:
        raise ValueError("pred_fn_pairs is empty and no default given")
    preds = [convert.tensor(p) for p, _ in pairs]
    if not _traced(*preds):
        hits = [i for i, p in enumerate(preds) if bool(p._value)]
        if exclusive and len(hits) > 1:
            from tfjax._src import errors  # noqa: PLC0415
            raise errors.invalid_argument("Case", f"Input error: exclusive=True and more than 1 conditions ({hits}) evaluated as True")
        if hits:
            return pairs[hits[0]][1]()
        return (default or pairs[-1][1])()
    result_fn = default or pairs[-1][1]
    for p, (_, fn) in reversed(list(zip(preds, pairs))):
        result_fn = (lambda p=p, fn=fn, rest=result_fn: cond(p, fn, rest))
    return result_fn()


# -- while_loop ------------------------------------------------------------------
def _run_while(*vals, cond_prog, body_prog, n_loop, n_cond_free, max_iter):
    loop0 = tuple(vals[:n_loop])
    cfree = vals[n_loop:n_loop + n_cond_free]
    bfree = vals[n_loop + n_cond_free:]

    def pred(carry):
        return cond_prog.run(carry, cfree)[0].reshape(()).astype(bool)

    def body(carry):
        return tuple(b.astype(c.dtype) for b, c in zip(body_prog.run(carry, bfree), carry))

    if max_iter is None:
        return _differentiable_while(cond_prog, body_prog, loop0, tuple(cfree), tuple(bfree))

    def step(carry, _):
        go = pred(carry)
        new = body(carry)
        return tuple(jnp.where(go, n, c) for n, c in zip(new, carry)), None

    out, _ = lax.scan(step, loop0, None, length=max_iter)
    return out


def _inexact(x):
    return jnp.issubdtype(x.dtype, jnp.inexact)


def _differentiable_while(cond_prog, body_prog, loop0, cfree, bfree):
    """``lax.while_loop`` with a reverse-mode rule (TF's while_loop is differentiable).

    The forward pass is a plain while_loop that also counts its trips ``n``. The
    backward pass walks k = n-1 .. 0, recomputing the carry at step k from the initial
    carry and pulling the cotangent back through one body step: O(n^2) body
    evaluations, O(1) extra memory, no static bound needed. Pass
    ``maximum_iterations`` to get the O(n) scan lowering instead.
    """

    def pred(carry, cf):
        return cond_prog.run(carry, cf)[0].reshape(()).astype(bool)

    def body(carry, bf):
        return tuple(b.astype(c.dtype) for b, c in zip(body_prog.run(carry, bf), carry))

    @jax.custom_vjp
    def run(loop0, cf, bf):
        return lax.while_loop(lambda c: pred(c, cf), lambda c: body(c, bf), loop0)

    def fwd(loop0, cf, bf):
        out, n = lax.while_loop(lambda s: pred(s[0], cf), lambda s: (body(s[0], bf), s[1] + 1),
                                (loop0, jnp.int32(0)))
        return out, (loop0, cf, bf, n)

    def bwd(res, ct):
        loop0, cf, bf, n = res
        d_c = [i for i, x in enumerate(loop0) if _inexact(x)]
        d_f = [i for i, x in enumerate(bf) if _inexact(x)]

        def step_diff(c_d, f_d, c_full):
            c = list(c_full)
            for i, x in zip(d_c, c_d):
                c[i] = x
            f = list(bf)
            for i, x in zip(d_f, f_d):
                f[i] = x
            out = body(tuple(c), tuple(f))
            return tuple(out[i] for i in d_c)

        def back(state):
            k, ct_c, ct_f = state
            ck = lax.fori_loop(0, k - 1, lambda _, c: body(c, bf), loop0)
            _, vjp = jax.vjp(lambda c_d, f_d: step_diff(c_d, f_d, ck),
                             tuple(ck[i] for i in d_c), tuple(bf[i] for i in d_f))
            dc, df = vjp(ct_c)
            return k - 1, dc, tuple(a + b for a, b in zip(ct_f, df))

        ct_c0 = tuple(ct[i] for i in d_c)
        ct_f0 = tuple(jnp.zeros_like(bf[i]) for i in d_f)
        _, ct_c, ct_f = lax.while_loop(lambda s: s[0] > 0, back, (n, ct_c0, ct_f0))
        out_c = [None] * len(loop0)
        for i, x in zip(d_c, ct_c):
            out_c[i] = x
        out_f = [None] * len(bf)
        for i, x in zip(d_f, ct_f):
            out_f[i] = x
        return tuple(out_c), tuple(None for _ in cf), tuple(out_f)

    run.defvjp(fwd, bwd)
    return run(tuple(loop0), cfree, bfree)


def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10,
               back_prop=True, swap_memory=False, maximum_iterations=None, name=None):
    """``tf.while_loop`` (``cond``/``body`` take the loop variables as positional args)."""
    if not callable(cond) or not callable(body):
        raise TypeError("'cond' and 'body' must be callable.")
    single = not isinstance(loop_vars, (list, tuple)) or (
        isinstance(loop_vars, tuple) and hasattr(type(loop_vars), "_fields"))
    structure = loop_vars
    current = _to_tensors(loop_vars)
    flat = nest.flatten(current)

    def call(fn, flat_vals):
        packed = nest.pack_sequence_as(structure, flat_vals)
        return fn(packed) if single else fn(*packed)

    if not _traced(*flat):
        i = 0
        max_iter = None if maximum_iterations is None else convert.static_int(maximum_iterations)
        while (max_iter is None or i < max_iter) and bool(convert.tensor(call(cond, flat))._value):
            out = call(body, flat)
            out = [out] if single and not nest.is_nested(structure) else out
            flat = nest.flatten(_to_tensors(out))
            i += 1
        return nest.pack_sequence_as(structure, flat)

    prog_c, free_c, _ = _capture(lambda *a: call(cond, list(a)), flat)
    def body_flat(*a):
        out = call(body, list(a))
        out = [out] if single and not nest.is_nested(structure) else out
        return nest.flatten(_to_tensors(out))
    prog_b, free_b, out_b = _capture(body_flat, flat)
    if len(nest.flatten(out_b)) != len(flat):
        raise ValueError("body must return the same structure as loop_vars")
    max_iter = None if maximum_iterations is None else convert.static_int(maximum_iterations)
    result = dispatch.apply(_run_while, *flat, *free_c, *free_b, cond_prog=prog_c, body_prog=prog_b,
                            n_loop=len(flat), n_cond_free=len(free_c), max_iter=max_iter)
    if type(result) is not tuple:
        result = (result,)
    return nest.pack_sequence_as(structure, list(result))


# -- map_fn / scan / vectorized_map ------------------------------------------------
def _run_map(*vals, prog, n_elems):
    elems, free = vals[:n_elems], vals[n_elems:]
    return tuple(lax.map(lambda e: tuple(prog.run(e, free)), tuple(elems)))


def map_fn(fn, elems, dtype=None, parallel_iterations=None, back_prop=True, swap_memory=False,
           infer_shape=True, name=None, fn_output_signature=None):
    """``tf.map_fn``: ``fn`` over the first dimension of ``elems`` (a nested structure)."""
    elems_t = _to_tensors(elems)
    flat = nest.flatten(elems_t)
    n = flat[0]._value.shape[0]
    if any(t._value.shape[:1] != (n,) for t in flat):
        raise ValueError("Elements in elems must have the same first dimension.")
    from tfjax._src.ops import array_ops, manip_ops  # noqa: PLC0415
    if not _traced(*flat):
        outs = [fn(nest.pack_sequence_as(elems, [array_ops.getitem(t, i) for t in flat])) for i in range(n)]
        if not outs:
            raise ValueError("map_fn over zero elements needs fn_output_signature.")
        flat_outs = [nest.flatten(_to_tensors(o)) for o in outs]
        stacked = [manip_ops.stack([fo[k] for fo in flat_outs]) for k in range(len(flat_outs[0]))]
        return nest.pack_sequence_as(outs[0], stacked)
    slices = [array_ops.getitem(t, 0) for t in flat]
    structure = []

    def flat_fn(*a):
        out = fn(nest.pack_sequence_as(elems, list(a)))
        structure.append(out)
        return nest.flatten(_to_tensors(out))

    prog, free, _ = _capture(flat_fn, slices)
    result = dispatch.apply(_run_map, *flat, *free, prog=prog, n_elems=len(flat))
    if type(result) is not tuple:
        result = (result,)
    return nest.pack_sequence_as(structure[0], list(result))


def _run_scan(*vals, prog, n_elems, n_init, reverse):
    elems, init, free = vals[:n_elems], vals[n_elems:n_elems + n_init], vals[n_elems + n_init:]

    def step(carry, e):
        new = tuple(prog.run(tuple(carry) + tuple(e), free))
        new = tuple(x.astype(c.dtype) for x, c in zip(new, carry))
        return new, new

    _, ys = lax.scan(step, tuple(init), tuple(elems), reverse=reverse)
    return tuple(ys)


def scan(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False,
         infer_shape=True, reverse=False, name=None):
    """``tf.scan``: ``fn(accumulator, element)``, returning every accumulator."""
    from tfjax._src.ops import array_ops, manip_ops  # noqa: PLC0415
    elems_t = _to_tensors(elems)
    flat_e = nest.flatten(elems_t)
    n = flat_e[0]._value.shape[0]
    if initializer is None:
        init = nest.map_structure(lambda t: array_ops.getitem(t, -1 if reverse else 0), elems_t)
        order = list(range(n - 2, -1, -1)) if reverse else list(range(1, n))
        acc_struct = elems
    else:
        init = _to_tensors(initializer)
        order = list(range(n - 1, -1, -1)) if reverse else list(range(n))
        acc_struct = initializer
    flat_init = nest.flatten(init)
    if not _traced(*flat_e, *flat_init):
        acc = init
        outs = [] if initializer is not None else [flat_init]
        for i in order:
            acc = _to_tensors(fn(acc, nest.pack_sequence_as(elems, [array_ops.getitem(t, i) for t in flat_e])))
            outs.append(nest.flatten(acc))
        if reverse:
            outs.reverse()
        stacked = [manip_ops.stack([o[k] for o in outs]) for k in range(len(flat_init))]
        return nest.pack_sequence_as(acc_struct, stacked)
    if initializer is None:
        raise NotImplementedError("tf.scan without initializer inside tf.function is not supported by tfjax yet; pass initializer.")
    k = len(flat_init)
    slices = [array_ops.getitem(t, 0) for t in flat_e]
    prog, free, _ = _capture(
        lambda *a: nest.flatten(_to_tensors(fn(nest.pack_sequence_as(acc_struct, list(a[:k])),
                                                nest.pack_sequence_as(elems, list(a[k:]))))),
        flat_init + slices)
    result = dispatch.apply(_run_scan, *flat_e, *flat_init, *free, prog=prog, n_elems=len(flat_e),
                            n_init=k, reverse=bool(reverse))
    if type(result) is not tuple:
        result = (result,)
    return nest.pack_sequence_as(acc_struct, list(result))


def _run_vmap(*vals, prog, n_elems):
    elems, free = vals[:n_elems], vals[n_elems:]
    return tuple(jax.vmap(lambda *e: tuple(prog.run(e, free)))(*elems))


def vectorized_map(fn, elems, fallback_to_while_loop=True, warn=True):
    """``tf.vectorized_map``: ``fn`` over the first dimension, vectorised with ``jax.vmap``."""
    from tfjax._src.ops import array_ops  # noqa: PLC0415
    elems_t = _to_tensors(elems)
    flat = nest.flatten(elems_t)
    slices = [array_ops.getitem(t, 0) for t in flat]
    structure = []

    def flat_fn(*a):
        out = fn(nest.pack_sequence_as(elems, list(a)))
        structure.append(out)
        return nest.flatten(_to_tensors(out))

    prog, free, _ = _capture(flat_fn, slices)
    result = dispatch.apply(_run_vmap, *flat, *free, prog=prog, n_elems=len(flat))
    if type(result) is not tuple:
        result = (result,)
    return nest.pack_sequence_as(structure[0], list(result))



# -- foldl / foldr -----------------------------------------------------------------
def _run_fold(*vals, prog, n_elems, n_init, reverse):
    elems, init, free = vals[:n_elems], vals[n_elems:n_elems + n_init], vals[n_elems + n_init:]

    def step(carry, e):
        new = tuple(prog.run(tuple(carry) + tuple(e), free))
        return tuple(x.astype(c.dtype) for x, c in zip(new, carry)), None

    out, _ = lax.scan(step, tuple(init), tuple(elems), reverse=reverse)
    return tuple(out)


def _fold(fn, elems, initializer, reverse, op_name):
    from tfjax._src import errors  # noqa: PLC0415
    from tfjax._src.ops import array_ops  # noqa: PLC0415
    if not callable(fn):
        raise TypeError(f"{op_name}: fn must be callable.")
    elems_t = _to_tensors(elems)
    flat_e = nest.flatten(elems_t)
    n = flat_e[0]._value.shape[0] if flat_e[0]._value.ndim else None
    if n is None or any(t._value.ndim == 0 or t._value.shape[0] != n for t in flat_e):
        sizes = [t._value.shape[0] if t._value.ndim else None for t in flat_e]
        raise ValueError(f"Cannot unstack tensors with leading dimensions {sizes}: the elements of "
                         f"`elems` must all have the same first dimension.")
    if initializer is None:
        if n == 0:
            # TF reads element 0 of an empty TensorArray.
            raise errors.OutOfRangeError(None, None, "Tried to read from index 0 but array size is: 0")
        first = n - 1 if reverse else 0
        acc = nest.map_structure(lambda t: array_ops.getitem(t, first), elems_t)
        rest = nest.map_structure(
            lambda t: array_ops.getitem(t, slice(None, -1) if reverse else slice(1, None)), elems_t)
        acc_struct = elems
    else:
        acc = _to_tensors(initializer)
        rest = elems_t
        acc_struct = initializer
    flat_rest = nest.flatten(rest)
    flat_acc = nest.flatten(acc)
    m = flat_rest[0]._value.shape[0]
    if not _traced(*flat_rest, *flat_acc):
        for i in (range(m - 1, -1, -1) if reverse else range(m)):
            acc = _to_tensors(fn(acc, nest.pack_sequence_as(elems, [array_ops.getitem(t, i) for t in flat_rest])))
        return acc
    if m == 0:
        return acc
    k = len(flat_acc)
    slices = [array_ops.getitem(t, 0) for t in flat_rest]
    out_struct = []

    def body(*a):
        out = fn(nest.pack_sequence_as(acc_struct, list(a[:k])), nest.pack_sequence_as(elems, list(a[k:])))
        out_struct.append(out)
        return nest.flatten(_to_tensors(out))

    prog, free, _ = _capture(body, flat_acc + slices)
    if len(nest.flatten(out_struct[0])) != k:
        raise ValueError(f"{op_name}: fn must return the same structure as the accumulator.")
    result = dispatch.apply(_run_fold, *flat_rest, *flat_acc, *free, prog=prog, n_elems=len(flat_rest),
                            n_init=k, reverse=bool(reverse))
    if type(result) is not tuple:
        result = (result,)
    return nest.pack_sequence_as(out_struct[0], list(result))


def foldl(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False, name=None):
    """``tf.foldl``: ``fn(accumulator, element)`` left to right; returns the last accumulator.

    Eager: a Python loop (recorded op by op, like TF eager). Traced: one ``lax.scan``
    that carries only the accumulator. ``parallel_iterations``/``swap_memory`` are
    scheduling hints with no JAX counterpart; ``back_prop=False`` stops gradients at
    the result under ``tf.function`` and is ignored eagerly (both as TF).
    """
    return _no_backprop(_fold(fn, elems, initializer, False, "foldl"), back_prop)


def foldr(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False, name=None):
    """``tf.foldr``: like :func:`foldl`, right to left."""
    return _no_backprop(_fold(fn, elems, initializer, True, "foldr"), back_prop)


def _no_backprop(result, back_prop):
    # TF ignores back_prop=False eagerly; in a tf.function it cuts the gradient.
    if back_prop or _vars.current_scope() is None:
        return result
    # A fresh, unrecorded Tensor: the result is unconnected, so the tape gives None (as TF).
    return nest.map_structure(lambda t: Tensor(t._value) if isinstance(t, Tensor) else t, result)
