"""``keras.ops.linalg``: decompositions, solves, determinants (one dispatched JAX op each)."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from tfjax._src.tensor import Tensor
from tfjax._src.keras.ops.core import apply, keras_op, t1
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


from tfjax._src.keras.ops.math_more import (  # noqa: E402,F401
    cholesky_inverse, lstsq, matrix_rank, pinv, solve_triangular, jvp,
)
