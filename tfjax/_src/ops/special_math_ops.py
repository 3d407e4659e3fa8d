"""``tf.einsum`` and ``tf.tensordot``."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from tfjax._src import dispatch
from tfjax._src import errors
from tfjax._src.ops import convert
from tfjax._src.tensor import Tensor
from tfjax._src.variables import Variable


def _einsum(*xs, eq):
    return jnp.einsum(eq, *xs)


def einsum(equation, *inputs, **kwargs):
    """``tf.einsum`` (ellipses and implicit output supported; inputs share one dtype)."""
    kwargs.pop("name", None)
    kwargs.pop("optimize", None)
    if kwargs:
        raise TypeError(f"Invalid keyword arguments for einsum: {sorted(kwargs)}")
    ts = convert.same_dtype(list(inputs), "Einsum")
    eq = equation.replace(" ", "")
    lhs = eq.split("->")[0].split(",")
    if len(lhs) != len(ts):
        raise ValueError(f"Expected {len(lhs)} inputs for equation {equation!r}, got {len(ts)}")
    for term, t in zip(lhs, ts):
        n = len(term.replace("...", ""))
        if "..." not in term and n != t._value.ndim:
            raise errors.invalid_argument(
                "Einsum", f"Expected input {lhs.index(term)} to have rank {n} but got: {t._value.ndim}")
    try:
        jnp.einsum(eq, *[jnp.zeros(t._value.shape, t._value.dtype) for t in ts]) if not all(
            convert.is_concrete(t) for t in ts) else None
    except ValueError as e:
        raise errors.invalid_argument("Einsum", str(e)) from None
    try:
        return dispatch.apply(_einsum, *ts, eq=eq)
    except ValueError as e:
        raise errors.invalid_argument("Einsum", str(e)) from None


def _tensordot(a, b, *, axes):
    return jnp.tensordot(a, b, axes)


def tensordot(a, b, axes, name=None):
    """``tf.tensordot``: ``axes`` is an int N or a pair of axis lists."""
    x, y = convert.binary(a, b, "MatMul")
    if isinstance(axes, (Tensor, Variable)):
        axes = np.asarray(axes).tolist()
    if isinstance(axes, (int, np.integer)):
        n = int(axes)
        if n < 0:
            raise ValueError(f"'axes' must be at least 0, got {n}")
        if n > x._value.ndim or n > y._value.ndim:
            raise ValueError(f"'axes' must not be larger than the number of dimensions of tensor {x.shape}")
        ax = (tuple(range(x._value.ndim - n, x._value.ndim)), tuple(range(n)))
    else:
        if len(axes) != 2:
            raise ValueError(f"'axes' must be an integer or have length 2, got {axes}")
        a0, a1 = axes
        a0 = [a0] if isinstance(a0, (int, np.integer)) else list(a0)
        a1 = [a1] if isinstance(a1, (int, np.integer)) else list(a1)
        if len(a0) != len(a1):
            raise errors.invalid_argument("Tensordot", f"Different number of contraction axes 'a' and 'b', {len(a0)} != {len(a1)}.")
        ax = (tuple(int(i) % x._value.ndim for i in a0), tuple(int(i) % y._value.ndim for i in a1))
    for i, j in zip(*ax):
        if x._value.shape[i] != y._value.shape[j]:
            raise errors.invalid_argument(
                "MatMul", f"Matrix size-incompatible: In[0]: {list(x._value.shape)}, In[1]: {list(y._value.shape)}")
    return dispatch.apply(_tensordot, x, y, axes=ax)
