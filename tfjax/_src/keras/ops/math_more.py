"""More ``keras.ops.math`` / ``keras.ops.linalg`` (Keras 3.x additions): ``segment_min`` / ``segment_prod``,
``ifft2``, ``view_as_complex`` / ``view_as_real``, ``cdist``, ``erfc``; ``cholesky_inverse``, ``lstsq``,
``matrix_rank``, ``pinv``, ``solve_triangular``, ``jvp``. Where Keras's TF backend calls a tf op, the tfjax
kernel of that op runs here."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from tfjax._src import nest
from tfjax._src.tensor import Tensor
from tfjax._src.keras.ops.core import apply, keras_op, t1, cast


def _segment(kind, data, segment_ids, num_segments, sorted):  # noqa: A002
    from tfjax._src.ops import segment_ops  # noqa: PLC0415
    if sorted:
        if num_segments is not None:
            raise ValueError("Argument `num_segments` cannot be set when sorted is True when using the tensorflow "
                             f"backend.Received: num_segments={num_segments}, sorted={sorted}.")
        return getattr(segment_ops, f"segment_{kind}")(t1(data), t1(segment_ids))
    ids = t1(segment_ids)
    if num_segments is None:
        num_segments = int(np.asarray(ids._value).max()) + 1
    return getattr(segment_ops, f"unsorted_segment_{kind}")(t1(data), ids, num_segments)


def segment_min(data, segment_ids, num_segments=None, sorted=False):  # noqa: A002
    return _segment("min", data, segment_ids, num_segments, sorted)


def segment_prod(data, segment_ids, num_segments=None, sorted=False):  # noqa: A002
    return _segment("prod", data, segment_ids, num_segments, sorted)


def ifft2(x):
    from tfjax._src.keras.ops.math import fft2  # noqa: PLC0415
    re, im = t1(x[0]), t1(x[1])
    h, w = re.shape[-2], re.shape[-1]
    fr, fi = fft2((re, -im))
    n = float(h * w)
    return fr / n, -fi / n


def _view_as_complex(x):
    return jax.lax.complex(x[..., 0], x[..., 1])


@keras_op
def view_as_complex(x):
    x = t1(x)
    if x.shape[-1] != 2:
        raise ValueError(f"Last dimension of input must be size 2 (real and imaginary). Received shape: {x.shape}")
    if x._value.dtype not in (np.float32, np.float64):
        x = cast(x, "float32")
    return apply(_view_as_complex, x)


def _view_as_real(x):
    return jnp.stack([jnp.real(x), jnp.imag(x)], axis=-1)


@keras_op
def view_as_real(x):
    x = t1(x)
    if not jnp.issubdtype(x._value.dtype, jnp.complexfloating):
        raise ValueError("Input must be a complex tensor.")
    return apply(_view_as_real, x)


def _cdist(x, y):
    d = jnp.expand_dims(x, -2) - jnp.expand_dims(y, -3)
    return jnp.sqrt(jnp.sum(jnp.square(d), axis=-1))


@keras_op
def cdist(x, y):
    x, y = t1(x), t1(y)
    if len(x.shape) < 2 or len(y.shape) < 2:
        raise ValueError("`cdist` inputs must have rank >= 2")
    if x.shape[-1] != y.shape[-1]:
        raise ValueError("Last dimension of inputs to `cdist` must match")
    return apply(_cdist, x, y)


@keras_op
def erfc(x):
    from tfjax._src.ops import math_ops  # noqa: PLC0415
    from tfjax._src.keras.ops.numpy_base import _fdtype  # noqa: PLC0415
    return math_ops.erfc(_fdtype(t1(x)))


# -- linalg ----------------------------------------------------------------------

@keras_op
def solve_triangular(a, b, lower=False):
    from tfjax._src.ops import linalg_ops  # noqa: PLC0415
    from tfjax._src.keras.ops.numpy_shape import expand_dims, squeeze  # noqa: PLC0415
    a, b = t1(a), t1(b)
    if len(b.shape) == len(a.shape) - 1:
        return squeeze(linalg_ops.triangular_solve(a, expand_dims(b, -1), lower=lower), -1)
    return linalg_ops.triangular_solve(a, b, lower=lower)


@keras_op
def cholesky_inverse(x, upper=False):
    from tfjax._src.ops import linalg_ops  # noqa: PLC0415
    from tfjax._src.keras.ops.numpy_creation import eye  # noqa: PLC0415
    from tfjax._src.keras.ops.numpy_linalg import matmul  # noqa: PLC0415
    from tfjax._src.keras.ops.numpy_shape import swapaxes  # noqa: PLC0415
    a = t1(x)
    ident = eye(a.shape[-1], dtype=a._value.dtype)
    inv_chol = linalg_ops.triangular_solve(a, ident, lower=not upper)
    if upper:
        return matmul(inv_chol, swapaxes(inv_chol, -1, -2))
    return matmul(swapaxes(inv_chol, -1, -2), inv_chol)


@keras_op
def matrix_rank(x, tol=None):
    from tfjax._src.ops import linalg_ops  # noqa: PLC0415
    return linalg_ops.matrix_rank(t1(x), tol=tol)


@keras_op
def pinv(x, rcond=None):
    from tfjax._src.ops import linalg_ops  # noqa: PLC0415
    return linalg_ops.pinv(t1(x), rcond=rcond)


def _lstsq(a, b, *, rcond, vec):
    if vec:
        b = b[:, None]
    m, n = a.shape
    eps = jnp.finfo(a.dtype).eps
    rc = eps * max(n, m) if rcond is None else (eps if rcond < 0 else rcond)
    u, s, vt = jnp.linalg.svd(a, full_matrices=False)
    mask = s >= jnp.asarray(rc, s.dtype) * s[0]
    safe = jnp.where(mask, s, 1).astype(a.dtype)
    s_inv = jnp.where(mask, 1 / safe, 0)[:, None]
    x = jnp.conj(vt).T @ (s_inv * (jnp.conj(u).T @ b))
    return x.reshape(-1) if vec else x


@keras_op
def lstsq(a, b, rcond=None):
    a, b = t1(a), t1(b)
    if a.shape[0] != b.shape[0]:
        raise ValueError("Leading dimensions of input arrays must match")
    if len(a.shape) != 2:
        raise TypeError(f"{len(a.shape)}-dimensional array given. Array must be two-dimensional")
    if len(b.shape) not in (1, 2):
        raise TypeError(f"{len(b.shape)}-dimensional array given. Array must be one or two-dimensional")
    return apply(_lstsq, a, b, rcond=rcond, vec=len(b.shape) == 1)


def jvp(fun, primals, tangents, has_aux=False):
    """``keras.ops.jvp``: forward-mode derivative of ``fun`` at ``primals`` along ``tangents``."""
    pf = [t1(p) for p in nest.flatten(primals)]
    tf_ = [cast(t1(tg), p._value.dtype) for tg, p in zip(nest.flatten(tangents), pf)]

    def raw(*vals):
        args = nest.pack_sequence_as(primals, [Tensor(v) for v in vals])
        out = fun(*args)
        if has_aux:
            out, aux = out
            return (jax.tree_util.tree_map(lambda o: t1(o)._value, out),
                    jax.tree_util.tree_map(lambda o: t1(o)._value, aux))
        return jax.tree_util.tree_map(lambda o: t1(o)._value, out)
    res = jax.jvp(raw, tuple(p._value for p in pf), tuple(tg._value for tg in tf_), has_aux=has_aux)
    return tuple(jax.tree_util.tree_map(Tensor, r) for r in res)
