"""``keras.ops.linalg``: decompositions, solves, determinants (one dispatched JAX op each); triangular solves,
``cholesky_inverse``, ``matrix_rank`` / ``pinv`` (over the tf.linalg kernels), ``lstsq``, ``jvp``."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from tfjax._src import nest
from tfjax._src.tensor import Tensor
from tfjax._src.keras.ops.core import apply, keras_op, t1, cast
from tfjax._src.keras.ops.numpy import norm  # noqa: F401


def _jfn1(f):
    def op(x):
        return apply(f, t1(x))
    return keras_op(op)


def _logdet(x):
    return jnp.linalg.slogdet(x)[1]


logdet = _jfn1(_logdet)
inv = _jfn1(jnp.linalg.inv)
det = _jfn1(jnp.linalg.det)
cholesky = _jfn1(jnp.linalg.cholesky)


def _qr(x, *, mode):
    return tuple(jnp.linalg.qr(x, mode=mode))


def qr(x, mode="reduced"):
    return apply(_qr, t1(x), mode=mode)


def _svd(x, *, full_matrices, compute_uv):
    r = jnp.linalg.svd(x, full_matrices=full_matrices, compute_uv=compute_uv)
    return tuple(r) if compute_uv else r


def svd(x, full_matrices=True, compute_uv=True):
    return apply(_svd, t1(x), full_matrices=full_matrices, compute_uv=compute_uv)


def _solve(a, b):
    return jnp.linalg.solve(a, b)


def solve(a, b):
    return apply(_solve, t1(a), t1(b))


def _eig(x):
    return tuple(jnp.linalg.eig(x))


def eig(x):
    return apply(_eig, t1(x))


def _eigh(x):
    return tuple(jnp.linalg.eigh(x))


def eigh(x):
    return apply(_eigh, t1(x))


def lu_factor(x):
    lu, piv = jax.scipy.linalg.lu_factor(t1(x)._value)
    return Tensor(lu), Tensor(piv)


# -- triangular solves, ``cholesky_inverse``, ``matrix_rank``, ``pinv``, ``lstsq``, ``jvp`` ------------------

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
