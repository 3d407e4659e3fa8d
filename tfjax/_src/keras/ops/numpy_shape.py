"""``keras.ops`` numpy-like shape manipulation, indexing and sorting: ``reshape``, ``concatenate``, ``split``, ``pad``,
``take``, ``where``, ``slice`` / ``scatter`` / ``gather_nd``, ``sort``, ..."""

from __future__ import annotations

import builtins

import jax
import jax.numpy as jnp
import numpy as np

from tfjax._src.tensor import Tensor
from tfjax._src.keras import backend
from tfjax._src.keras.ops.core import apply, apply_unrecorded, keras_op, t, t1, cast, np_dtype
from tfjax._src.keras.ops.numpy_base import _axis, _promote, _static_ints


# -- shape manipulation ---------------------------------------------------------

def _reshape(x, *, shape):
    return jnp.reshape(x, shape)


@keras_op
def reshape(x, newshape):
    return apply(_reshape, t1(x), shape=_static_ints(newshape))


def _transpose(x, *, axes):
    return jnp.transpose(x, axes)


@keras_op
def transpose(x, axes=None):
    return apply(_transpose, t1(x), axes=None if axes is None else tuple(int(a) for a in axes))


def _expand_dims(x, *, axis):
    return jnp.expand_dims(x, axis)


@keras_op
def expand_dims(x, axis):
    return apply(_expand_dims, t1(x), axis=_axis(axis))


def _squeeze(x, *, axis):
    return jnp.squeeze(x, axis)


@keras_op
def squeeze(x, axis=None):
    return apply(_squeeze, t1(x), axis=_axis(axis))


def _concat(*xs, axis):
    return jnp.concatenate(xs, axis=axis)


@keras_op
def concatenate(xs, axis=0):
    ts = _promote([t1(x) for x in xs])
    if axis is None:
        ts = [reshape(x, (-1,)) for x in ts]
        axis = 0
    return apply(_concat, *ts, axis=int(axis))


concat = concatenate


@keras_op
def stack(x, axis=0):
    ts = _promote([t1(e) for e in x])
    return apply(_stack, *ts, axis=int(axis))


def _stack(*xs, axis):
    return jnp.stack(xs, axis=axis)


def _unstack(x, *, axis, num):
    return tuple(jnp.moveaxis(x, axis, 0)[i] for i in range(num))


@keras_op
def unstack(x, num=None, axis=0):
    x = t1(x)
    n = x._value.shape[axis]
    return list(apply(_unstack, x, axis=int(axis), num=int(n)))


def _split(x, *, indices, axis):
    return tuple(jnp.split(x, indices, axis=axis))


@keras_op
def split(x, indices_or_sections, axis=0):
    x = t1(x)
    if isinstance(indices_or_sections, int):
        n = x._value.shape[axis]
        step = n // indices_or_sections
        idx = tuple(step * i for i in range(1, indices_or_sections))
    else:
        idx = tuple(int(i) for i in indices_or_sections)
    return list(apply(_split, x, indices=idx, axis=int(axis)))


def _tile(x, *, reps):
    return jnp.tile(x, reps)


@keras_op
def tile(x, repeats):
    return apply(_tile, t1(x), reps=_static_ints(repeats))


def _repeat(x, *, repeats, axis):
    return jnp.repeat(x, repeats, axis=axis)


@keras_op
def repeat(x, repeats, axis=None):
    return apply(_repeat, t1(x), repeats=int(repeats) if not isinstance(repeats, (list, tuple)) else tuple(repeats),
                 axis=axis)


def _broadcast_to(x, *, shape):
    return jnp.broadcast_to(x, shape)


@keras_op
def broadcast_to(x, shape):
    return apply(_broadcast_to, t1(x), shape=_static_ints(shape))


def _moveaxis(x, *, source, destination):
    return jnp.moveaxis(x, source, destination)


@keras_op
def moveaxis(x, source, destination):
    return apply(_moveaxis, t1(x), source=_axis(source), destination=_axis(destination))


def _swapaxes(x, *, a, b):
    return jnp.swapaxes(x, a, b)


@keras_op
def swapaxes(x, axis1, axis2):
    return apply(_swapaxes, t1(x), a=int(axis1), b=int(axis2))


def _flip(x, *, axis):
    return jnp.flip(x, axis)


@keras_op
def flip(x, axis=None):
    return apply(_flip, t1(x), axis=_axis(axis))


def _roll(x, *, shift, axis):
    return jnp.roll(x, shift, axis)


@keras_op
def roll(x, shift, axis=None):
    return apply(_roll, t1(x), shift=shift if isinstance(shift, int) else tuple(shift), axis=_axis(axis))


def _pad(x, *, pad_width, mode, constant_values):
    if mode == "constant":
        return jnp.pad(x, pad_width, mode="constant", constant_values=constant_values)
    return jnp.pad(x, pad_width, mode=mode)


@keras_op
def pad(x, pad_width, mode="constant", constant_values=None):
    x = t1(x)
    pw = np.asarray(pad_width, dtype=np.int64)
    if pw.ndim == 1:
        pw = np.tile(pw, (x.ndim, 1))
    pw = tuple(tuple(int(v) for v in row) for row in pw)
    return apply(_pad, x, pad_width=pw, mode=mode, constant_values=0 if constant_values is None else constant_values)


@keras_op
def ravel(x):
    return reshape(x, (-1,))


def _take(x, idx, *, axis):
    return jnp.take(x, idx, axis=axis)


@keras_op
def take(x, indices, axis=None):
    x = t1(x)
    idx = t1(indices)
    if not jnp.issubdtype(idx._value.dtype, jnp.integer):
        idx = cast(idx, "int32")
    return apply(_take, x, idx, axis=axis)


def _take_along_axis(x, idx, *, axis):
    return jnp.take_along_axis(x, idx, axis=axis)


@keras_op
def take_along_axis(x, indices, axis=None):
    return apply(_take_along_axis, t1(x), t1(indices), axis=axis)


def _where(c, a, b):
    return jnp.where(c, a, b)


def _where1(c):
    return jnp.nonzero(c)


@keras_op
def where(condition, x1=None, x2=None):
    c = t1(condition)
    if x1 is None and x2 is None:
        return list(apply_unrecorded(_where1, c))
    a, b = t(x1), t(x2)
    return apply(_where, c, a, b)


def _sort(x, *, axis):
    return jnp.sort(x, axis=axis)


@keras_op
def sort(x, axis=-1):
    return apply(_sort, t1(x), axis=axis)


def _argsort(x, *, axis):
    return jnp.argsort(x, axis=axis).astype(np.int32)


@keras_op
def argsort(x, axis=-1):
    return apply_unrecorded(_argsort, t1(x), axis=axis)


@keras_op
def size(x):
    return int(np.prod(t1(x)._value.shape))


@keras_op
def ndim(x):
    return t1(x).ndim


@keras_op
def hstack(xs):
    return concatenate(xs, axis=1 if t1(xs[0]).ndim > 1 else 0)


@keras_op
def vstack(xs):
    return concatenate([reshape(x, (1, -1)) if t1(x).ndim == 1 else x for x in xs], axis=0)


@keras_op
def append(x1, x2, axis=None):
    return concatenate([x1, x2], axis=axis)


def _nonzero(x):
    return jnp.nonzero(x)


@keras_op
def nonzero(x):
    return list(apply_unrecorded(_nonzero, t1(x)))


@keras_op
def slice(inputs, start_indices, shape):  # noqa: A001
    x = t1(inputs)
    start = tuple(int(s) for s in np.asarray(start_indices))
    size_ = tuple(int(s) for s in np.asarray(shape))
    return apply(_slice, x, start=start, size=size_)


def _slice(x, *, start, size):
    return jax.lax.dynamic_slice(x, start, size)


def _slice_update(x, u, *, start):
    return jax.lax.dynamic_update_slice(x, u, start)


@keras_op
def slice_update(inputs, start_indices, updates):
    x = t1(inputs)
    return apply(_slice_update, x, cast(t1(updates), x._value.dtype),
                 start=tuple(int(s) for s in np.asarray(start_indices)))


def _scatter(idx, upd, *, shape):
    z = jnp.zeros(shape, upd.dtype)
    return z.at[tuple(jnp.moveaxis(idx, -1, 0))].add(upd)


@keras_op
def scatter(indices, values, shape):
    return apply(_scatter, t1(indices), t1(values), shape=_static_ints(shape))


def _scatter_update(x, idx, upd):
    return x.at[tuple(jnp.moveaxis(idx, -1, 0))].set(upd)


@keras_op
def scatter_update(inputs, indices, updates):
    x = t1(inputs)
    return apply(_scatter_update, x, t1(indices), cast(t1(updates), x._value.dtype))


def _gather_idx(x, idx):
    return x[tuple(jnp.moveaxis(idx, -1, 0))]


@keras_op
def gather_nd(x, indices):
    return apply(_gather_idx, t1(x), t1(indices))


# -- flips, splits, ``rot90``, indexing, views; searching, partitioning, ``unique`` --------------------------

def _flip_lr(x):
    return jnp.flip(x, 1)


def _flip_ud(x):
    return jnp.flip(x, 0)


@keras_op
def fliplr(x):
    return apply(_flip_lr, t1(x))


@keras_op
def flipud(x):
    return apply(_flip_ud, t1(x))


def _split_static(x, indices_or_sections, axis, kind):
    x = t1(x)
    n = x.shape[axis]
    if kind == "array":
        if not isinstance(indices_or_sections, int):
            raise TypeError("Argument `indices_or_sections` must be of type `int`. "
                            f"Received: indices_or_sections={indices_or_sections}")
        k = int(indices_or_sections)
        q, r = divmod(n, k)
        sizes = [q + 1] * r + [q] * (k - r)
        idx = list(np.cumsum(sizes)[:-1])
        return split(x, [int(i) for i in idx], axis=axis)
    return split(x, indices_or_sections, axis=axis)


@keras_op
def array_split(x, indices_or_sections, axis=0):
    return _split_static(x, indices_or_sections, int(axis), "array")


@keras_op
def hsplit(x, indices_or_sections):
    x = t1(x)
    return _split_static(x, indices_or_sections, 0 if len(x.shape) == 1 else 1, "split")


@keras_op
def vsplit(x, indices_or_sections):
    return _split_static(x, indices_or_sections, 0, "split")


@keras_op
def dsplit(x, indices_or_sections):
    return _split_static(x, indices_or_sections, 2, "split")


@keras_op
def dstack(xs):
    ts = _promote([t1(e) for e in xs])
    ts = [apply(_atleast3d, e) for e in ts]
    return concatenate(ts, axis=2)


def _atleast3d(x):
    return jnp.atleast_3d(x)


def _rot90(x, *, k, axes):
    return jnp.rot90(x, k, axes)


@keras_op
def rot90(array, k=1, axes=(0, 1)):
    return apply(_rot90, t1(array), k=int(k), axes=tuple(int(a) for a in axes))


@keras_op
def get_item(x, key):
    from tfjax._src.ops import array_ops  # noqa: PLC0415
    if isinstance(key, (Tensor,)) and key._value.dtype == np.bool_:
        return Tensor(t1(x)._value[np.asarray(key)])
    return array_ops.getitem(t1(x), key)


def _view(x, *, dtype):
    return x.view(dtype)


@keras_op
def view(x, dtype=None):
    x = t1(x)
    if dtype is None:
        return x
    new = np_dtype(dtype)
    old = x._value.dtype
    shp = x.shape.as_list() if hasattr(x.shape, "as_list") else list(x.shape)
    last = shp[-1] if shp else -1
    if (last == -1 and old.itemsize != new.itemsize) or (last * old.itemsize % new.itemsize != 0):
        raise ValueError(
            f"Cannot view array of shape {tuple(shp)} and dtype {backend.standardize_dtype(old)} as dtype "
            f"{backend.standardize_dtype(new)} because the total number of bytes is not divisible by the new "
            "itemsize.")
    return apply_unrecorded(_view, x, dtype=new)


def _unravel(idx, *, shape):
    return jnp.stack(jnp.unravel_index(idx, shape)).astype(idx.dtype)


@keras_op
def unravel_index(indices, shape):
    idx = t1(indices)
    shape = tuple(int(s) for s in shape)
    out = apply_unrecorded(_unravel, idx, shape=shape)
    return tuple(unstack(out, axis=0)) if len(shape) else ()


def _searchsorted(s, v, *, side):
    return jnp.searchsorted(s, v, side=side).astype(jnp.int32)


@keras_op
def searchsorted(sorted_sequence, values, side="left"):
    s, v = t1(sorted_sequence), t1(values)
    if len(s.shape) != 1:
        raise ValueError(f"`searchsorted` only supports 1-D sorted sequences. You can use `keras.ops.vectorized_map` "
                         f"to extend it to N-D sequences. Received: sorted_sequence.shape={s.shape}")
    s, v = _promote([s, v])
    return apply_unrecorded(_searchsorted, s, v, side=side)


def _argpartition(x, *, kth, axis):
    # Keras's TF backend: the kth+1 smallest (by top_k of -x, ties by index), then the rest by top_k.
    x = jnp.swapaxes(x, axis, -1)
    n = x.shape[-1]
    k = builtins.min(builtins.max(kth, 0), n - 1)
    _, bottom = jax.lax.top_k(-x, k + 1)
    mask = jnp.sum(jax.nn.one_hot(bottom, n, dtype=jnp.int32), axis=-2) > 0
    masked = jnp.where(mask, jnp.zeros_like(x), x)
    _, top = jax.lax.top_k(masked, n - k - 1)
    return jnp.swapaxes(jnp.concatenate([bottom, top], -1).astype(jnp.int32), -1, axis)


@keras_op
def argpartition(x, kth, axis=-1):
    x = cast(t1(x), "int32")
    if axis is None:
        x = reshape(x, (-1,))
        axis = 0
    return apply_unrecorded(_argpartition, x, kth=int(kth), axis=int(axis))


def unique(x, sorted=True, return_index=False, return_inverse=False, return_counts=False, axis=None,  # noqa: A002
           size=None, fill_value=None):
    x = t1(x)
    a = np.asarray(x._value)
    res = np.unique(a, return_index=True, return_inverse=True, return_counts=True, axis=axis)
    u, ind, inv, cnt = res
    if not sorted:
        order = np.argsort(ind, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        u = np.take(u, order, axis=0 if axis is None else axis)
        ind, cnt = ind[order], cnt[order]
        inv = rank[inv]
    if size is not None:
        n = u.shape[0 if axis is None else axis]
        if n < size:
            fv = 0 if fill_value is None else fill_value
            padw = [(0, 0)] * u.ndim
            padw[0 if axis is None else axis] = (0, size - n)
            u = np.pad(u, padw, constant_values=fv)
            ind = np.pad(ind, (0, size - n))
            cnt = np.pad(cnt, (0, size - n))
        else:
            u = np.take(u, np.arange(size), axis=0 if axis is None else axis)
            ind, cnt = ind[:size], cnt[:size]
    if axis is None:
        inv = inv.reshape(a.shape)
    out = [Tensor(jnp.asarray(u))]
    if return_index:
        out.append(Tensor(jnp.asarray(ind.astype(np.int32))))
    if return_inverse:
        out.append(Tensor(jnp.asarray(np.asarray(inv).reshape(-1 if axis is not None else a.shape)
                                      .astype(np.int32))))
    if return_counts:
        out.append(Tensor(jnp.asarray(cnt.astype(np.int32))))
    return out[0] if len(out) == 1 else tuple(out)
