"""``tf.clip_by_value`` / ``clip_by_norm`` / ``clip_by_global_norm`` / ``tf.linalg.global_norm``."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from tfjax._src import dispatch
from tfjax._src import errors
from tfjax._src.ops import convert
from tfjax._src.ops.binary_ops import _maximum_raw, _minimum_raw
from tfjax._src.ops.math_common import REAL, kinds, bad_kind, _check_kind
from tfjax._src.tensor import Tensor

_FLOAT = kinds(("float",))


# -- clip_by_value ------------------------------------------------------------------
def _clip(x, lo, hi):
    # As TF: minimum with the upper bound, then maximum with the lower, with tf.minimum / tf.maximum's
    # tie rule, so x gets the whole gradient where lo <= x <= hi (JAX's clip would give half at a bound).
    return _maximum_raw(_minimum_raw(x, hi), lo)


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    """``tf.clip_by_value``: bounds broadcast to ``t``'s shape; min > max raises eagerly."""
    x = convert.tensor(t)
    lo = convert.binary(x, clip_value_min, "ClipByValue")[1]
    hi = convert.binary(x, clip_value_max, "ClipByValue")[1]
    _check_kind(x, REAL, "ClipByValue")
    for b in (lo, hi):
        try:
            if np.broadcast_shapes(b._value.shape, x._value.shape) != x._value.shape:
                raise ValueError
        except ValueError:
            raise errors.invalid_argument(
                "ClipByValue", f"clip_value_min and clip_value_max must be either scalars or have the "
                f"same shape as the input: {b.shape} vs. {x.shape}") from None
    return dispatch.apply(_clip, x, lo, hi)


def _clip_by_norm(x, c, *, axes):
    l2sum = jnp.sum(x * x, axis=axes, keepdims=True)
    pred = l2sum > 0
    safe = jnp.where(pred, l2sum, jnp.ones_like(l2sum))
    norm = jnp.where(pred, jnp.sqrt(safe), l2sum)
    return x * c / jnp.maximum(norm, c)


def clip_by_norm(t, clip_norm, axes=None, name=None):
    """``tf.clip_by_norm``: scales ``t`` so its L2 norm over ``axes`` is at most ``clip_norm``."""
    x = convert.tensor(t)
    if x._value.dtype not in _FLOAT:
        raise bad_kind(x._value.dtype, "ClipByNorm")
    c = convert.binary(x, clip_norm, "ClipByNorm")[1]
    ax = convert.axis_tuple(axes, x._value.ndim)
    return dispatch.apply(_clip_by_norm, x, c, axes=ax)


def _global_norm(*xs):
    return jnp.sqrt(sum(jnp.sum(jnp.square(x.astype(xs[0].dtype))) for x in xs))


def _as_list(t_list, what):
    if isinstance(t_list, (Tensor,)) or not isinstance(t_list, (list, tuple)):
        raise TypeError(f"{what} should be a sequence of tensors")
    return [convert.tensor(t) for t in t_list if t is not None]


def global_norm(t_list, name=None):
    """``tf.linalg.global_norm``: sqrt of the sum of squares of all entries (Nones skipped)."""
    ts = _as_list(t_list, "t_list")
    if not ts:
        return Tensor(jnp.zeros((), jnp.float32))
    return dispatch.apply(_global_norm, *ts)


def _clip_global(*xs, n):
    ts, c = xs[:n], xs[n]
    gn = jnp.sqrt(sum(jnp.sum(jnp.square(x)) for x in ts))
    scale = c.astype(gn.dtype) * jnp.minimum(1.0 / gn, 1.0 / c.astype(gn.dtype))
    out = tuple((x * scale.astype(x.dtype)) for x in ts)
    return out + (gn,)


def clip_by_global_norm(t_list, clip_norm, use_norm=None, name=None):
    """``tf.clip_by_global_norm``: returns (clipped list, global norm); Nones stay None."""
    if not isinstance(t_list, (list, tuple)):
        raise TypeError("`t_list` should be a sequence of tensors. Received %s." % type(t_list))
    present = [i for i, t in enumerate(t_list) if t is not None]
    from tfjax._src.indexed_slices import IndexedSlices  # noqa: PLC0415
    # IndexedSlices are clipped through their values (as TF does: repeated indices count twice).
    ts = [convert.tensor(t_list[i].values if isinstance(t_list[i], IndexedSlices) else t_list[i])
          for i in present]
    if not ts:
        return list(t_list), Tensor(jnp.zeros((), jnp.float32))
    c = convert.tensor(clip_norm, dtype_hint=ts[0].dtype)
    if use_norm is not None:
        gn = convert.tensor(use_norm, dtype_hint=ts[0].dtype)
        scale_fn_out = [dispatch.apply(_scale_by, t, c, gn) for t in ts]
        norm = gn
    else:
        outs = dispatch.apply(_clip_global, *ts, c, n=len(ts))
        scale_fn_out, norm = list(outs[:-1]), outs[-1]
    result = list(t_list)
    for i, o in zip(present, scale_fn_out):
        src = t_list[i]
        result[i] = IndexedSlices(o, src.indices, src.dense_shape) if isinstance(src, IndexedSlices) else o
    return result, norm


def _scale_by(x, c, gn):
    scale = c * jnp.minimum(1.0 / gn, 1.0 / c)
    return x * scale.astype(x.dtype)
