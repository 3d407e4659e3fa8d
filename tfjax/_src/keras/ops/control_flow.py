"""``keras.ops`` control flow: ``cond``, ``switch``, ``while_loop``, ``fori_loop``, ``scan``, ``map``,
``associative_scan``, ``vectorized_map``, ``custom_gradient``.

Semantics (argument conventions, return structures, index clamping, ``None`` outputs
of ``scan``) are those of Keras's JAX backend, i.e. of ``jax.lax``. Eagerly the loops
run in Python, op by op, so a ``GradientTape`` records them like any other ops. While
``tf.function`` (or a compiled ``fit`` step) traces, each body is captured once as a
pure program (the machinery of ``tfjax._src.ops.control_flow``, shared with
``tf.cond`` / ``tf.while_loop``) and the construct becomes ONE op over ``lax.cond`` /
``lax.switch`` / ``lax.scan`` / ``lax.map``: XLA compiles one loop whatever the trip
count, and enclosing tapes differentiate it with JAX's own autodiff.
"""

from __future__ import annotations

import jax
from jax import lax

from tfjax._src import dispatch
from tfjax._src.ops import control_flow as _cf
from tfjax._src.ops import convert
from tfjax._src.tensor import Tensor
from tfjax._src.variables import Variable

__all__ = ["cond", "switch", "while_loop", "fori_loop", "scan", "map", "associative_scan", "vectorized_map",
           "custom_gradient"]


def _is_leaf(x):
    return isinstance(x, (Tensor, Variable))


def _flatten(tree):
    """JAX pytree flattening (``None`` is an empty subtree, as in ``lax.scan``) with Tensors as leaves."""
    return jax.tree_util.tree_flatten(tree, is_leaf=_is_leaf)


def _tensor(x):
    return x.value() if isinstance(x, Variable) else convert.tensor(x)


def _tensors(tree):
    leaves, treedef = _flatten(tree)
    return jax.tree_util.tree_unflatten(treedef, [_tensor(x) for x in leaves])


# -- cond / switch ---------------------------------------------------------------
def cond(pred, true_fn, false_fn):
    """Runs one branch eagerly; traced, both branches compile into one ``lax.cond``."""
    return _cf.cond(pred, true_fn, false_fn)


def switch(index, branches, *operands):
    """``branches[index](*operands)``; like ``lax.switch``, an out-of-range index is clamped."""
    branches = list(branches)
    if not branches:
        raise ValueError("`branches` must contain at least one callable.")
    idx = convert.tensor(index)
    if not _cf._traced(idx):
        i = int(idx._value)
        return branches[min(max(i, 0), len(branches) - 1)](*operands)
    from tfjax._src.keras.ops import numpy as _np  # noqa: PLC0415
    clamped = _np.clip(_np.convert_to_tensor(idx, "int32"), 0, len(branches) - 1)
    return _cf.switch_case(clamped, [lambda f=f: f(*operands) for f in branches])


# -- while_loop / fori_loop ------------------------------------------------------
def while_loop(cond, body, loop_vars, maximum_iterations=None):  # noqa: A002
    """``cond(*loop_vars)`` / ``body(*loop_vars)`` for a tuple or list, else called on the single value.

    Returns a tuple when ``loop_vars`` is a list or tuple. Traced with
    ``maximum_iterations``, the loop is a guarded ``lax.scan`` of that length (reverse-mode
    differentiable); without it a ``lax.while_loop`` (see ``tf.while_loop``).
    """
    is_tuple = isinstance(loop_vars, (tuple, list))
    if is_tuple:
        # A namedtuple would be one loop value for tf.while_loop; Keras unpacks it like any tuple.
        loop_vars = list(loop_vars)

        def body_fn(*a):
            return list(body(*a))
    else:
        body_fn = body
    out = _cf.while_loop(cond, body_fn, loop_vars, maximum_iterations=maximum_iterations)
    return tuple(out) if is_tuple else out


def fori_loop(lower, upper, body_fun, init_val):
    """``for i in range(lower, upper): val = body_fun(i, val)`` (``i`` an int32 tensor, as in Keras)."""
    lo, hi = _int32(lower), _int32(upper)
    init_val = _tensors(init_val)
    if not _cf._traced(lo, hi, *_flatten(init_val)[0]):
        val = init_val
        for i in range(int(lo._value), int(hi._value)):
            val = body_fun(convert.tensor(i, dtype="int32"), val)
        return val
    n = _static_trip_count(lower, upper)
    if n == 0:
        return init_val
    _, val = _cf.while_loop(lambda i, v: i < hi, lambda i, v: [i + 1, body_fun(i, v)], [lo, init_val],
                            maximum_iterations=n)
    return val


def _static_trip_count(lower, upper):
    """upper - lower when both bounds are known while tracing (Python ints or concrete tensors), else None."""
    try:
        return max(convert.static_int(upper) - convert.static_int(lower), 0)
    except Exception:  # noqa: BLE001 - a symbolic bound: the loop runs as a lax.while_loop
        return None


def _int32(x):
    t = _tensor(x)
    if t.dtype.name == "int32":
        return t
    from tfjax._src.keras.ops.core import cast  # noqa: PLC0415
    return cast(t, "int32")


# -- scan ------------------------------------------------------------------------
def _stack_leaves(outs, treedef):
    from tfjax._src.keras.ops import numpy as _np  # noqa: PLC0415
    cols = [_np.stack([o[k] for o in outs], axis=0) for k in range(len(outs[0]))]
    return jax.tree_util.tree_unflatten(treedef, cols)


def _run_scan(*vals, prog, n_carry, n_xs, length, reverse, unroll):
    init, xs, free = vals[:n_carry], vals[n_carry:n_carry + n_xs], vals[n_carry + n_xs:]

    def step(carry, x):
        out = prog.run(tuple(carry) + tuple(x), free)
        new = tuple(o.astype(c.dtype) for o, c in zip(out[:n_carry], carry))
        return new, tuple(out[n_carry:])

    carry, ys = lax.scan(step, tuple(init), tuple(xs), length=length, reverse=reverse, unroll=unroll)
    return tuple(carry) + tuple(ys)


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """``lax.scan`` semantics: ``f(carry, x) -> (carry, y)``; returns ``(carry, stacked ys)``.

    ``xs`` may be any structure (or None with ``length``); ``y`` may be None, and the stacked
    result is then None.
    """
    if not isinstance(unroll, bool) and (not isinstance(unroll, int) or unroll < 1):
        raise ValueError(f"`unroll` must be an positive integer or boolean. Received: unroll={unroll}")
    xs_leaves, xs_def = _flatten(xs)
    xs_t = [_tensor(x) for x in xs_leaves]
    sizes = {int(t.shape[0]) for t in xs_t}
    if len(sizes) > 1:
        raise ValueError(f"scan got `xs` with different leading axis sizes: {sorted(sizes)}")
    if xs_t:
        n = sizes.pop()
        if length is not None and int(length) != n:
            raise ValueError(f"scan got `length` argument of {length} which disagrees with leading axis "
                             f"sizes {n}.")
    elif length is None:
        raise ValueError("scan got no values to scan over and `length` not provided.")
    else:
        n = int(length)
    init_leaves, init_def = _flatten(init)
    init_t = [_tensor(x) for x in init_leaves]
    from tfjax._src.ops import array_ops  # noqa: PLC0415

    def x_at(i):
        if not xs_t:
            return xs if xs is None else jax.tree_util.tree_unflatten(xs_def, [])
        return jax.tree_util.tree_unflatten(xs_def, [array_ops.getitem(t, i) for t in xs_t])

    if not _cf._traced(*xs_t, *init_t):
        carry, ys = jax.tree_util.tree_unflatten(init_def, init_t), []
        y_def = None
        for i in (range(n - 1, -1, -1) if reverse else range(n)):
            carry, y = f(carry, x_at(i))
            y_leaves, y_def = _flatten(_tensors(y))
            ys.append(y_leaves)
        carry = _tensors(carry)
        if reverse:
            ys.reverse()
        if y_def is None:
            return carry, None
        if not ys[0]:
            return carry, jax.tree_util.tree_unflatten(y_def, [])
        return carry, _stack_leaves(ys, y_def)
    structure = {}

    def body(*a):
        c = jax.tree_util.tree_unflatten(init_def, list(a[:len(init_t)]))
        x = jax.tree_util.tree_unflatten(xs_def, list(a[len(init_t):])) if xs_t else xs
        new_c, y = f(c, x)
        c_leaves, c_def = _flatten(_tensors(new_c))
        y_leaves, structure["y"] = _flatten(_tensors(y))
        if c_def != init_def:
            raise TypeError(f"scan body function carry input and carry output must have the same pytree "
                            f"structure, but they differ: {init_def} vs {c_def}")
        return c_leaves + y_leaves

    slices = [array_ops.getitem(t, 0) for t in xs_t]
    prog, free, _ = _cf._capture(body, init_t + slices)
    result = dispatch.apply(_run_scan, *init_t, *xs_t, *free, prog=prog, n_carry=len(init_t),
                            n_xs=len(xs_t), length=n, reverse=bool(reverse), unroll=unroll)
    result = list(result) if type(result) is tuple else [result]
    carry = jax.tree_util.tree_unflatten(init_def, result[:len(init_t)])
    return carry, jax.tree_util.tree_unflatten(structure["y"], result[len(init_t):])


# -- map / vectorized_map ----------------------------------------------------------
def map(f, xs):  # noqa: A001
    """``f`` over the leading axis of every leaf of ``xs``; outputs stacked (``lax.map``)."""
    return _cf.map_fn(f, xs)


def vectorized_map(function, elements):
    """``jax.vmap(function)(elements)``: the function sees one slice of the structure."""
    return _cf.vectorized_map(function, elements)


# -- associative_scan ------------------------------------------------------------
def _along(t, start, stop, axis):
    from tfjax._src.ops import array_ops  # noqa: PLC0415
    key = [slice(None)] * t.shape.rank
    key[axis] = slice(start, stop)
    return array_ops.getitem(t, tuple(key))


def associative_scan(f, elems, reverse=False, axis=0):
    """Inclusive prefix combination with an associative ``f`` (``lax.associative_scan``).

    Runs as ceil(log2 n) vectorised applications of ``f`` (Hillis-Steele doubling) over
    shifted slices, built from ordinary ops: eager, traced and taped alike. ``f`` must
    accept batched slices, as ``lax.associative_scan`` requires.
    """
    from tfjax._src.keras.ops import numpy as _np  # noqa: PLC0415
    leaves, treedef = _flatten(elems)
    leaves = [_tensor(x) for x in leaves]
    if not leaves:
        return elems
    ax = axis % leaves[0].shape.rank
    sizes = {int(t.shape[ax]) for t in leaves}
    if len(sizes) != 1:
        raise ValueError(f"Array inputs to associative_scan must have the same first dimension. "
                         f"(saw: {[tuple(t.shape) for t in leaves]})")
    n = sizes.pop()
    if reverse:
        leaves = [_np.flip(t, axis=ax) for t in leaves]
    offset = 1
    while offset < n:
        a = jax.tree_util.tree_unflatten(treedef, [_along(t, 0, n - offset, ax) for t in leaves])
        b = jax.tree_util.tree_unflatten(treedef, [_along(t, offset, n, ax) for t in leaves])
        c_leaves, _ = _flatten(_tensors(f(a, b)))
        leaves = [_np.concatenate([_along(t, 0, offset, ax), c], axis=ax) for t, c in zip(leaves, c_leaves)]
        offset *= 2
    if reverse:
        leaves = [_np.flip(t, axis=ax) for t in leaves]
    return jax.tree_util.tree_unflatten(treedef, leaves)


def custom_gradient(f):
    from tfjax._src.tape import custom_gradient as _cg  # noqa: PLC0415
    return _cg(f)
