"""Joining, splitting and rearranging: ``tf.concat`` / ``stack`` / ``unstack`` / ``split``, ``tile``, ``pad``,
``reverse``, ``roll``, ``repeat``, ``reverse_sequence``, ``parallel_stack``."""

from __future__ import annotations

import builtins

import jax.numpy as jnp
import numpy as np

from tfjax._src import dispatch
from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src.ops import convert
from tfjax._src.ops.array_ops import identity, reshape
from tfjax._src.ragged.ragged_tensor import RaggedTensor
from tfjax._src.tensor import Tensor
from tfjax._src.variables import Variable


def _concat(*xs, axis):
    return jnp.concatenate(xs, axis=axis)


def concat(values, axis, name="concat"):
    if isinstance(values, (list, tuple)) and any(isinstance(v, RaggedTensor) for v in values):
        from tfjax._src.ragged import ragged_math  # noqa: PLC0415
        return ragged_math.concat(values, axis)
    ts = convert.same_dtype(list(values), "ConcatV2")
    if not ts:
        raise ValueError("List argument 'values' to 'ConcatV2' Op with length 0 shorter than minimum length 2.")
    r = ts[0]._value.ndim
    axis = convert.static_int(axis, "axis")
    if not -r <= axis < max(r, 1):
        raise errors.invalid_argument("ConcatV2", f"ConcatOp : Expected concatenating dimensions in the range [{-r}, {r}), but got {axis}")
    axis %= max(r, 1)
    for i, t in enumerate(ts[1:], 1):
        s0, s = ts[0]._value.shape, t._value.shape
        if len(s) != r or any(a != b for k, (a, b) in enumerate(zip(s0, s)) if k != axis):
            raise errors.invalid_argument(
                "ConcatV2", f"ConcatOp : Dimension {next((k for k, (a, b) in enumerate(zip(s0, s)) if k != axis and a != b), 0)} "
                f"in both shapes must be equal: shape[0] = {list(s0)} vs. shape[{i}] = {list(s)}")
    if len(ts) == 1:
        return identity(ts[0])
    return dispatch.apply(_concat, *ts, axis=axis)


def _stack(*xs, axis):
    return jnp.stack(xs, axis=axis)


def stack(values, axis=0, name="stack"):
    if isinstance(values, (list, tuple)) and any(isinstance(v, RaggedTensor) for v in values):
        from tfjax._src.ragged import ragged_math  # noqa: PLC0415
        return ragged_math.stack(values, axis)
    ts = convert.same_dtype(list(values), "Pack")
    if not ts:
        raise ValueError("stack of an empty list is not supported")
    s0 = ts[0]._value.shape
    for i, t in enumerate(ts[1:], 1):
        if t._value.shape != s0:
            raise errors.invalid_argument(
                "Pack", f"Shapes of all inputs must match: values[0].shape = {list(s0)} != "
                f"values[{i}].shape = {list(t._value.shape)}")
    r = len(s0) + 1
    axis = convert.static_int(axis, "axis")
    if not -r <= axis < r:
        raise ValueError(f"Argument `axis` = {axis} not in range [{-r}, {r})")
    return dispatch.apply(_stack, *ts, axis=axis % r)


def _unstack(x, *, axis, num):
    return tuple(jnp.squeeze(s, axis) for s in jnp.split(x, num, axis=axis))


def unstack(value, num=None, axis=0, name="unstack"):
    x = convert.tensor(value)
    r = x._value.ndim
    if r == 0:
        raise ValueError("Cannot unstack a scalar (rank 0) tensor.")
    axis = convert.static_int(axis, "axis") % r
    n = x._value.shape[axis]
    if num is not None and num != n:
        raise ValueError(f"Cannot infer argument `num` from shape {x.shape}")
    if n == 0:
        return []
    return list(dispatch.apply(_unstack, x, axis=axis, num=n))


def _split(x, *, indices, axis):
    return tuple(jnp.split(x, indices, axis=axis))


def split(value, num_or_size_splits, axis=0, num=None, name="split"):
    """``tf.split``: a number of equal parts, or a list of sizes (one may be -1)."""
    x = convert.tensor(value)
    r = x._value.ndim
    axis = convert.static_int(axis, "axis")
    if not -r <= axis < r:
        raise errors.invalid_argument("Split", f"-input rank(-{r}) <= split_dim < input rank ({r}), but got {axis}")
    axis %= r
    n = x._value.shape[axis]
    if isinstance(num_or_size_splits, (int, np.integer)) or (
            isinstance(num_or_size_splits, (Tensor, Variable)) and np.ndim(num_or_size_splits) == 0):
        k = convert.static_int(num_or_size_splits)
        if k <= 0 or n % k:
            raise errors.invalid_argument(
                "Split", f"Number of ways to split should evenly divide the split dimension, but got "
                f"split_dim {axis} (size = {n}) and num_split {k}")
        sizes = [n // k] * k
    else:
        sizes = list(convert.static_shape(num_or_size_splits, "size_splits"))
        unknown = [i for i, s in enumerate(sizes) if s == -1]
        if len(unknown) > 1:
            raise errors.invalid_argument("SplitV", "Only one dimensions can have a value of -1")
        if unknown:
            sizes[unknown[0]] = n - (builtins.sum(sizes) + 1)
        if builtins.sum(sizes) != n or any(s < 0 for s in sizes):
            raise errors.invalid_argument(
                "SplitV", f"Determined shape must either match input shape along split_dim exactly if "
                f"fully specified, or be less than the size of the input along split_dim if not fully "
                f"specified.  Got: {builtins.sum(sizes)}")
    idx = tuple(int(i) for i in np.cumsum(sizes)[:-1])
    out = dispatch.apply(_split, x, indices=idx, axis=axis)
    return list(out) if isinstance(out, tuple) else [out]


def _tile(x, *, reps):
    return jnp.tile(x, reps)


def tile(input, multiples, name=None):  # noqa: A002 - TF name
    x = convert.tensor(input)
    reps = convert.static_shape(multiples, "multiples")
    if len(reps) != x._value.ndim:
        raise errors.invalid_argument(
            "Tile", f"Expected multiples argument to be a vector of length {x._value.ndim} but got length {len(reps)}")
    if any(m < 0 for m in reps):
        raise errors.invalid_argument("Tile", f"Expected multiples[i] >= 0, but got {list(reps)}")
    return dispatch.apply(_tile, x, reps=tuple(reps))


def _pad(x, c, *, pads, mode):
    if mode == "constant":
        return jnp.pad(x, pads, mode="constant", constant_values=c)
    return jnp.pad(x, pads, mode=mode)


def _pad_nc(x, *, pads, mode):
    return jnp.pad(x, pads, mode=mode)


def pad(tensor, paddings, mode="CONSTANT", constant_values=0, name=None):
    """``tf.pad`` with CONSTANT, REFLECT and SYMMETRIC modes."""
    x = convert.tensor(tensor)
    p = np.asarray(paddings if not isinstance(paddings, (Tensor, Variable)) else np.asarray(paddings))
    if p.ndim != 2 or p.shape != (x._value.ndim, 2):
        raise errors.invalid_argument(
            "Pad", f"The first dimension of paddings must be the rank of inputs[{x._value.ndim},2], "
            f"but got {list(p.shape)}")
    pads = tuple((int(a), int(b)) for a, b in p.tolist())
    if any(a < 0 or b < 0 for a, b in pads):
        raise errors.invalid_argument("Pad", f"Paddings must be non-negative: {pads}")
    m = str(mode).upper()
    if m == "CONSTANT":
        c = convert.binary(x, constant_values, "Pad")[1] if x.dtype is not dtypes.string else None
        if c is None:
            raise errors.unsupported("tf.pad on strings")
        return dispatch.apply(_pad, x, c, pads=pads, mode="constant")
    if m not in ("REFLECT", "SYMMETRIC"):
        raise ValueError(f"Value of argument `mode` expected to be one of \"CONSTANT\", \"REFLECT\", or "
                         f"\"SYMMETRIC\". Received `mode` = {mode}")
    off = 0 if m == "REFLECT" else 1
    for d, (a, b) in zip(x._value.shape, pads):
        if a >= d + off or b >= d + off:
            raise errors.invalid_argument(
                "MirrorPad", f"paddings must be less than{'' if off == 0 else ' or equal to'} the dimension "
                f"size: {a}, {b} not less than {d + off}")
    return dispatch.apply(_pad_nc, x, pads=pads, mode=m.lower())


def _reverse(x, *, axis):
    return jnp.flip(x, axis)


def reverse(tensor, axis, name=None):
    x = convert.tensor(tensor)
    r = x._value.ndim
    axes = [int(a) for a in np.asarray(axis if not isinstance(axis, (Tensor, Variable)) else np.asarray(axis)).reshape(-1)]
    for a in axes:
        if not -r <= a < r:
            raise errors.invalid_argument("ReverseV2", f"'axis'[0] = {a} is out of valid range [0, {r - 1}")
    norm = tuple(sorted({a % r for a in axes}))
    if len(norm) != len(axes):
        raise errors.invalid_argument("ReverseV2", f"axis {axes[0]} specified more than once.")
    return dispatch.apply(_reverse, x, axis=norm)


reverse_v2 = reverse


def _roll(x, *, shift, axis):
    return jnp.roll(x, shift, axis)


def roll(input, shift, axis, name=None):  # noqa: A002 - TF name
    x = convert.tensor(input)
    sh = [int(s) for s in np.asarray(np.asarray(shift) if isinstance(shift, (Tensor, Variable)) else shift).reshape(-1)]
    ax = [int(a) for a in np.asarray(np.asarray(axis) if isinstance(axis, (Tensor, Variable)) else axis).reshape(-1)]
    if len(sh) != len(ax):
        raise errors.invalid_argument("Roll", f"shift and axis must have the same size")
    r = x._value.ndim
    for a in ax:
        if not -r <= a < r:
            raise errors.invalid_argument("Roll", f"axis {a} is out of range")
    total = {}
    for s, a in zip(sh, ax):
        total[a % r] = total.get(a % r, 0) + s
    keys = tuple(sorted(total))
    return dispatch.apply(_roll, x, shift=tuple(total[k] for k in keys), axis=keys)


def _repeat(x, *, repeats, axis, total):
    return jnp.repeat(x, jnp.asarray(repeats) if isinstance(repeats, tuple) else repeats, axis=axis,
                      total_repeat_length=total)


def repeat(input, repeats, axis=None, name=None):  # noqa: A002 - TF name
    x = convert.tensor(input)
    if axis is None:
        x = reshape(x, [-1])
        axis = 0
    axis = convert.static_int(axis, "axis") % builtins.max(x._value.ndim, 1)
    reps = np.asarray(np.asarray(repeats) if isinstance(repeats, (Tensor, Variable)) else repeats).reshape(-1)
    if reps.size == 1:
        rep = int(reps[0])
        total = rep * x._value.shape[axis]
        return dispatch.apply(_repeat, x, repeats=rep, axis=axis, total=total)
    if reps.size != x._value.shape[axis]:
        raise errors.invalid_argument(
            "Repeat", f"repeats must have the same size as input along axis, got {reps.size} and {x._value.shape[axis]}")
    reps_t = tuple(int(r) for r in reps)
    return dispatch.apply(_repeat, x, repeats=reps_t, axis=axis, total=builtins.sum(reps_t))


def _reverse_sequence(x, lens, *, seq_axis, batch_axis):
    n = x.shape[seq_axis]
    pos = jnp.arange(n)
    shape = [1] * x.ndim
    shape[seq_axis] = n
    pos = pos.reshape(shape)
    lshape = [1] * x.ndim
    lshape[batch_axis] = x.shape[batch_axis]
    l = lens.reshape(lshape).astype(pos.dtype)
    src = jnp.where(pos < l, l - 1 - pos, pos)
    src = jnp.broadcast_to(src, x.shape)
    return jnp.take_along_axis(x, src, axis=seq_axis)


def reverse_sequence(input, seq_lengths, seq_axis=None, batch_axis=None, name=None):  # noqa: A002
    x = convert.tensor(input)
    l = convert.tensor(seq_lengths)
    seq_axis = convert.static_int(seq_axis if seq_axis is not None else 0) % x._value.ndim
    batch_axis = convert.static_int(batch_axis if batch_axis is not None else 0) % x._value.ndim
    if convert.is_concrete(l) and np.size(l._value):
        if np.max(np.asarray(l._value)) > x._value.shape[seq_axis]:
            raise errors.invalid_argument("ReverseSequence", "seq_lens(0) > input.dim_size(seq_dim)")
    return dispatch.apply(_reverse_sequence, x, l, seq_axis=seq_axis, batch_axis=batch_axis)


def parallel_stack(values, name="parallel_stack"):
    """``tf.parallel_stack``: graph-only in TF, so eager calls raise RuntimeError as TF does."""
    ts = [convert.tensor(v) for v in values]
    if all(convert.is_concrete(t) for t in ts):
        raise RuntimeError("tf.parallel_stack() is not compatible with eager execution.")
    return stack(ts, 0)
