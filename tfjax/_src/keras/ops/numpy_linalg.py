"""``keras.ops`` numpy-like linear algebra: ``matmul`` / ``dot`` / ``tensordot`` / ``einsum`` / ``outer`` / ``inner`` /
``vdot`` / ``cross``, ``triu`` / ``tril``, ``diag`` / ``trace``, ``norm``, ``expm``."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from tfjax._src.tensor import Tensor
from tfjax._src.keras.ops.core import apply, keras_op, t1, cast
from tfjax._src.keras.ops.numpy_base import _axis, _fdtype, _make_binary, _promote, _float_dt, _res


def _matmul(a, b):
    return jnp.matmul(a, b)


@keras_op
def matmul(x1, x2):
    a, b = t1(x1), t1(x2)
    if a._value.dtype != b._value.dtype:
        a, b = _promote([a, b])
    return apply(_matmul, a, b)


def _dot(a, b):
    return jnp.dot(a, b)


@keras_op
def dot(x1, x2):
    return apply(_dot, *_promote([t1(x1), t1(x2)]))


def _tensordot(a, b, *, axes):
    return jnp.tensordot(a, b, axes)


@keras_op
def tensordot(x1, x2, axes=2):
    if not isinstance(axes, int):
        axes = tuple(tuple(a) if isinstance(a, (list, tuple)) else a for a in axes)
    return apply(_tensordot, *_promote([t1(x1), t1(x2)]), axes=axes)


def _einsum(*xs, subscripts):
    return jnp.einsum(subscripts, *xs)


@keras_op
def einsum(subscripts, *operands):
    return apply(_einsum, *_promote([t1(x) for x in operands]), subscripts=subscripts)


def _outer(a, b):
    return jnp.outer(a, b)


@keras_op
def outer(x1, x2):
    return apply(_outer, *_promote([t1(x1), t1(x2)]))


def _triu(x, *, k):
    return jnp.triu(x, k)


def _tril(x, *, k):
    return jnp.tril(x, k)


@keras_op
def triu(x, k=0):
    return apply(_triu, t1(x), k=int(k))


@keras_op
def tril(x, k=0):
    return apply(_tril, t1(x), k=int(k))


def _diag(x, *, k):
    return jnp.diag(x, k)


@keras_op
def diag(x, k=0):
    return apply(_diag, t1(x), k=int(k))


def _trace(x, *, offset, axis1, axis2):
    return jnp.trace(x, offset, axis1, axis2)


@keras_op
def trace(x, offset=0, axis1=0, axis2=1):
    return apply(_trace, t1(x), offset=offset, axis1=axis1, axis2=axis2)


def _norm(x, *, ord, axis, keepdims):
    vector = isinstance(axis, int) or (axis is None and x.ndim == 1)
    if vector and ord in (1, np.inf, -np.inf) or vector and isinstance(ord, (int, float)) and ord > 2:
        # tf.norm's vector norms: through tf.abs's kernel (gradient 0 at x == 0, as Keras's TF backend).
        from tfjax._src.ops.linalg_ops import _vector_norm  # noqa: PLC0415
        return _vector_norm(x, ord, 0 if axis is None else axis, keepdims)
    return jnp.linalg.norm(x, ord=ord, axis=axis, keepdims=keepdims)


def norm(x, ord=None, axis=None, keepdims=False):  # noqa: A002
    return keras_op(lambda x: apply(_norm, _fdtype(t1(x)), ord=ord, axis=_axis(axis), keepdims=keepdims))(x)


def _cross(a, b):
    return jnp.cross(a, b)


cross = _make_binary(_cross, "cross")


def _vdot(a, b):
    return jnp.vdot(a, b)


vdot = _make_binary(_vdot, "vdot")


def _inner(a, b):
    return jnp.inner(a, b)


inner = _make_binary(_inner, "inner")


@keras_op
def expm(x):
    return Tensor(jax.scipy.linalg.expm(t1(x)._value))


# -- ``kron``, diagonals, ``slogdet``, ``correlate`` ---------------------------------------------------------

def _kron(a, b):
    return jnp.kron(a, b)


@keras_op
def kron(x1, x2):
    a, b = _promote([t1(x1), t1(x2)])
    return apply(_kron, a, b)


def _diagflat(x, *, k):
    return jnp.diagflat(x, k)


@keras_op
def diagflat(x, k=0):
    return apply(_diagflat, t1(x), k=int(k))


def _diagonal(x, *, offset, axis1, axis2):
    return jnp.diagonal(x, offset, axis1, axis2)


@keras_op
def diagonal(x, offset=0, axis1=0, axis2=1):
    return apply(_diagonal, t1(x), offset=int(offset), axis1=int(axis1), axis2=int(axis2))


def _correlate(a, b, *, mode):
    return jnp.correlate(a, b, mode=mode)


@keras_op
def correlate(x1, x2, mode="valid"):
    a, b = t1(x1), t1(x2)
    rt = _res(a, b)
    if rt == np.int64:
        rt = np.dtype(np.float64)
    elif rt not in (np.dtype(jnp.bfloat16), np.dtype(np.float16), np.dtype(np.float64)):
        rt = np.dtype(np.float32)
    return apply(_correlate, cast(a, rt), cast(b, rt), mode=mode)


def _slogdet(x):
    s, l = jnp.linalg.slogdet(x)
    return s, l


@keras_op
def slogdet(x):
    x = t1(x)
    x = cast(x, _float_dt(x._value.dtype, np.float32))
    return apply(_slogdet, x)
