"""``tf.linalg``: decompositions, solves, norms and matrix helpers.

Singular / non-positive-definite inputs raise ``InvalidArgumentError`` eagerly
where TF's kernels do (``inv``, ``cholesky`` of a non-PD matrix is NaN in TF 2.21
and so here too); JAX would return inf/NaN silently.
"""

from __future__ import annotations

import builtins
import collections

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from tfjax._src import dispatch
from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src.ops import convert
from tfjax._src.ops import math_ops
from tfjax._src.ops.math_common import kinds, bad_kind
from tfjax._src.ops.math_ops import matmul as matmul  # noqa: F401 - tf.linalg.matmul
from tfjax._src.ops.special_math_ops import einsum as einsum, tensordot as tensordot  # noqa: F401
from tfjax._src.ops.clip_ops import global_norm as global_norm  # noqa: F401
from tfjax._src.tensor import Tensor

_apply = dispatch.apply
_FC = kinds(("float", "complex"))


def _square(x, op_name, allowed=_FC):
    t = convert.tensor(x)
    if t._value.dtype not in allowed:
        raise bad_kind(t._value.dtype, op_name)
    s = t._value.shape
    if len(s) < 2:
        raise errors.invalid_argument(op_name, f"Input tensor 0 must have rank >= 2, got {len(s)}")
    if s[-1] != s[-2]:
        raise errors.invalid_argument(op_name, f"Input matrices must be squares, got {s[-2]} != {s[-1]}")
    return t


def _inv(a, *, adjoint):
    if adjoint:
        a = jnp.conj(jnp.swapaxes(a, -1, -2))
    return jnp.linalg.inv(a)


def inv(input, adjoint=False, name=None):  # noqa: A002
    """``tf.linalg.inv``: a singular input raises ``InvalidArgumentError`` eagerly (as TF)."""
    a = _square(input, "MatrixInverse")
    if convert.is_concrete(a) and a._value.size:
        lu_ = jax.lax.linalg.lu(a._value)[0]
        if bool(jnp.any(jnp.diagonal(lu_, axis1=-2, axis2=-1) == 0)):
            raise errors.invalid_argument("MatrixInverse", "Input is not invertible.")
    return _apply(_inv, a, adjoint=bool(adjoint))


def _det(a):
    return jnp.linalg.det(a)


def det(input, name=None):  # noqa: A002
    return _apply(_det, _square(input, "MatrixDeterminant"))


def _slogdet(a):
    s, l = jnp.linalg.slogdet(a)
    return s.astype(a.dtype), l.astype(jnp.real(a).dtype) if not jnp.iscomplexobj(a) else l.astype(a.dtype)


def slogdet(input, name=None):  # noqa: A002
    """``tf.linalg.slogdet``: (sign, log|det|)."""
    return _apply(_slogdet, _square(input, "LogMatrixDeterminant"))


def _sym_from_lower(a):
    """The Hermitian matrix TF's kernels read (lower triangle), with TF's symmetric gradient."""
    low = jnp.tril(a)
    s = low + jnp.conj(jnp.swapaxes(jnp.tril(a, -1), -1, -2))
    t = (a + jnp.conj(jnp.swapaxes(a, -1, -2))) / 2
    return t + lax.stop_gradient(s - t)


def _logdet(a):
    l = jnp.linalg.cholesky(_sym_from_lower(a), symmetrize_input=False)
    return 2.0 * jnp.sum(jnp.log(jnp.real(jnp.diagonal(l, axis1=-2, axis2=-1))), axis=-1)


def logdet(matrix, name=None):
    """``tf.linalg.logdet`` of a Hermitian positive-definite matrix (via Cholesky)."""
    return _apply(_logdet, _square(matrix, "Logdet"))


def _lower_hermitian(a):
    """The Hermitian matrix TF's kernels read: the lower triangle mirrored.

    Differentiating through it also reproduces TF's gradient, which is
    lower-triangular (off-diagonal G + G^H, diagonal G)."""
    return jnp.tril(a) + jnp.conj(jnp.swapaxes(jnp.tril(a, -1), -1, -2))


def _eigh(a):
    w, v = jnp.linalg.eigh(_lower_hermitian(a), symmetrize_input=True)
    return w, v


def eigh(tensor, name=None):
    """``tf.linalg.eigh``: (eigenvalues ascending, eigenvectors as columns)."""
    return _apply(_eigh, _square(tensor, "SelfAdjointEigV2"))


def _eigvalsh(a):
    return jnp.linalg.eigvalsh(_lower_hermitian(a))


def eigvalsh(tensor, name=None):
    return _apply(_eigvalsh, _square(tensor, "SelfAdjointEigV2"))


def _eig(a, *, np_dtype):
    w, v = jnp.linalg.eig(a)
    return w.astype(np_dtype), v.astype(np_dtype)


def _eigvals(a, *, np_dtype):
    return jnp.linalg.eigvals(a).astype(np_dtype)


def _complex_of(d):
    return np.dtype(np.complex128 if d in (np.float64, np.complex128) else np.complex64)


def eig(tensor, name=None):
    a = _square(tensor, "Eig")
    return _apply(_eig, a, np_dtype=_complex_of(a._value.dtype))


def eigvals(tensor, name=None):
    a = _square(tensor, "Eig")
    return _apply(_eigvals, a, np_dtype=_complex_of(a._value.dtype))


def _svd(a, *, full, uv):
    if not uv:
        return jnp.linalg.svd(a, compute_uv=False)
    u, s, vh = jnp.linalg.svd(a, full_matrices=full)
    return s, u, jnp.conj(jnp.swapaxes(vh, -1, -2))


def svd(tensor, full_matrices=False, compute_uv=True, name=None):
    """``tf.linalg.svd``: returns ``(s, u, v)`` (TF's order, and ``v`` not ``v^H``), or ``s``."""
    a = convert.tensor(tensor)
    if a._value.dtype not in _FC:
        raise bad_kind(a._value.dtype, "Svd")
    if a._value.ndim < 2:
        raise ValueError(f"Shape must be at least rank 2 but is rank {a._value.ndim}")
    return _apply(_svd, a, full=bool(full_matrices), uv=bool(compute_uv))


def _qr(a, *, full):
    q, r = jnp.linalg.qr(a, mode="complete" if full else "reduced")
    return q, r


Qr = collections.namedtuple("Qr", ["q", "r"])


def qr(input, full_matrices=False, name=None):  # noqa: A002
    a = convert.tensor(input)
    if a._value.dtype not in _FC:
        raise bad_kind(a._value.dtype, "Qr")
    if a._value.ndim < 2:
        raise ValueError(f"Shape must be at least rank 2 but is rank {a._value.ndim}")
    q, r = _apply(_qr, a, full=bool(full_matrices))
    return Qr(q, r)


def _cholesky(a):
    return jnp.linalg.cholesky(_sym_from_lower(a), symmetrize_input=False)


def cholesky(input, name=None):  # noqa: A002
    """``tf.linalg.cholesky`` (lower triangle read; non-PD input gives NaN as TF 2.21 does)."""
    return _apply(_cholesky, _square(input, "Cholesky"))


def _cholesky_solve(chol, rhs):
    y = jax.scipy.linalg.solve_triangular(chol, rhs, lower=True)
    return jax.scipy.linalg.solve_triangular(chol, y, lower=True, trans="C")


def cholesky_solve(chol, rhs, name=None):
    c, b = convert.binary(chol, rhs, "CholeskySolve")
    return _apply(_cholesky_solve, c, b)


def _solve(a, b, *, adjoint):
    if adjoint:
        a = jnp.conj(jnp.swapaxes(a, -1, -2))
    return jnp.linalg.solve(a, b)


def solve(matrix, rhs, adjoint=False, name=None):
    a, b = convert.binary(matrix, rhs, "MatrixSolve")
    _square(a, "MatrixSolve")
    if b._value.ndim < 2 or b._value.shape[-2] != a._value.shape[-1]:
        raise errors.invalid_argument(
            "MatrixSolve", f"Input matrix and right-hand side must have the same number of rows: "
            f"{a._value.shape[-2]} vs. {b._value.shape[-2] if b._value.ndim >= 2 else b._value.shape}")
    out = _apply(_solve, a, b, adjoint=bool(adjoint))
    if convert.is_concrete(out) and not bool(jnp.all(jnp.isfinite(out._value))) and bool(
            jnp.all(jnp.isfinite(a._value))) and bool(jnp.all(jnp.isfinite(b._value))):
        raise errors.invalid_argument("MatrixSolve", "Input matrix is not invertible.")
    return out


def _triangular_solve(a, b, *, lower, adjoint):
    return jax.scipy.linalg.solve_triangular(a, b, lower=lower, trans="C" if adjoint else 0)


def triangular_solve(matrix, rhs, lower=True, adjoint=False, name=None):
    a, b = convert.binary(matrix, rhs, "MatrixTriangularSolve")
    _square(a, "MatrixTriangularSolve")
    if b._value.ndim < 2 or b._value.shape[-2] != a._value.shape[-1]:
        raise errors.invalid_argument("MatrixTriangularSolve", "Incompatible shapes of matrix and rhs")
    bshape = np.broadcast_shapes(a._value.shape[:-2], b._value.shape[:-2])
    a2 = a if a._value.shape[:-2] == bshape else Tensor(jnp.broadcast_to(a._value, bshape + a._value.shape[-2:]))
    b2 = b if b._value.shape[:-2] == bshape else Tensor(jnp.broadcast_to(b._value, bshape + b._value.shape[-2:]))
    return _apply(_triangular_solve, a2, b2, lower=bool(lower), adjoint=bool(adjoint))


def _lstsq(a, b, l2, *, fast):
    at = jnp.conj(jnp.swapaxes(a, -1, -2))
    m, n = a.shape[-2], a.shape[-1]
    if m >= n:
        gram = at @ a + l2 * jnp.eye(n, dtype=a.dtype)
        return jnp.linalg.solve(gram, at @ b)
    gram = a @ at + l2 * jnp.eye(m, dtype=a.dtype)
    return at @ jnp.linalg.solve(gram, b)


def lstsq(matrix, rhs, l2_regularizer=0.0, fast=True, name=None):
    """``tf.linalg.lstsq`` (normal equations, TF's ``fast=True`` path)."""
    a, b = convert.binary(matrix, rhs, "MatrixSolveLs")
    l2 = convert.binary(a, l2_regularizer, "MatrixSolveLs")[1]
    if b._value.shape[-2] != a._value.shape[-2]:
        raise errors.invalid_argument("MatrixSolveLs", "Incompatible shapes of matrix and rhs")
    if not fast:
        return _apply(_lstsq_slow, a, b, l2)
    return _apply(_lstsq, a, b, l2, fast=True)


def _lstsq_slow(a, b, l2):
    return jnp.linalg.lstsq(a, b)[0] if a.ndim == 2 else jax.vmap(lambda x, y: jnp.linalg.lstsq(x, y)[0])(a, b)


def _matrix_transpose(a, *, conj):
    t = jnp.swapaxes(a, -1, -2)
    return jnp.conj(t) if conj else t


def matrix_transpose(a, name="matrix_transpose", conjugate=False):
    t = convert.tensor(a)
    if t._value.ndim < 2:
        raise ValueError(f"Argument `a` should be a (batch) matrix with rank >= 2.  Received `a` = {t!r} with shape: {t.shape}")
    return _apply(_matrix_transpose, t, conj=bool(conjugate) and t.dtype.is_complex)


def adjoint(matrix, name=None):
    return matrix_transpose(matrix, conjugate=True)


def _matrix_diag(v, pad, *, k, num_rows, num_cols, align):
    lo, hi = k
    if lo == hi:
        n = v.shape[-1]
        rows = num_rows if num_rows > 0 else n + builtins.max(-lo, 0)
        cols = num_cols if num_cols > 0 else n + builtins.max(lo, 0)
        if num_rows <= 0 and num_cols > 0:
            rows = cols - lo if lo >= 0 else cols - lo
            rows = builtins.max(rows, n + builtins.max(-lo, 0))
        if num_cols <= 0 and num_rows > 0:
            cols = builtins.max(n + builtins.max(lo, 0), rows + lo)
        i = jnp.arange(rows)[:, None]
        j = jnp.arange(cols)[None, :]
        on = (j - i) == lo
        pos = jnp.where(lo >= 0, i, j)
        pos = jnp.clip(pos, 0, n - 1)
        vals = jnp.take(v, pos.reshape(-1), axis=-1).reshape(v.shape[:-1] + (rows, cols))
        return jnp.where(on, vals, pad)
    raise ValueError("band diag")


def diag(diagonal, name="diag", k=0, num_rows=-1, num_cols=-1, padding_value=0, align="RIGHT_LEFT"):
    """``tf.linalg.diag`` (``matrix_diag``): a batch of diagonal matrices (single diagonal ``k``)."""
    v = convert.tensor(diagonal)
    if not isinstance(k, (int, np.integer)):
        kk = np.asarray(k).reshape(-1)
        if kk.size == 1 or kk[0] == kk[-1]:
            k = int(kk[0])
        else:
            raise errors.unsupported("tf.linalg.diag with a band of diagonals (k=(lo, hi))")
    p = convert.binary(v, padding_value, "MatrixDiagV3")[1]
    return _apply(_matrix_diag, v, p, k=(int(k), int(k)), num_rows=int(num_rows), num_cols=int(num_cols), align=align)


matrix_diag = diag


def _diag_part(a, pad, *, k):
    m, n = a.shape[-2], a.shape[-1]
    length = builtins.min(m + builtins.min(k, 0), n - builtins.max(k, 0))
    length = builtins.max(length, 0)
    i = jnp.arange(length) + builtins.max(-k, 0)
    j = jnp.arange(length) + builtins.max(k, 0)
    return a[..., i, j]


def diag_part(input, name="diag_part", k=0, padding_value=0, align="RIGHT_LEFT"):  # noqa: A002
    a = convert.tensor(input)
    if a._value.ndim < 2:
        raise ValueError(f"input must be at least 2-D, got shape {a.shape}")
    if not isinstance(k, (int, np.integer)):
        kk = np.asarray(k).reshape(-1)
        if kk.size == 1 or kk[0] == kk[-1]:
            k = int(kk[0])
        else:
            raise errors.unsupported("tf.linalg.diag_part with a band of diagonals (k=(lo, hi))")
    p = convert.binary(a, padding_value, "MatrixDiagPartV3")[1]
    return _apply(_diag_part, a, p, k=int(k))


matrix_diag_part = diag_part


def _set_diag(a, d, *, k):
    m, n = a.shape[-2], a.shape[-1]
    length = builtins.max(builtins.min(m + builtins.min(k, 0), n - builtins.max(k, 0)), 0)
    i = jnp.arange(length) + builtins.max(-k, 0)
    j = jnp.arange(length) + builtins.max(k, 0)
    return a.at[..., i, j].set(d)


def set_diag(input, diagonal, name="set_diag", k=0, align="RIGHT_LEFT"):  # noqa: A002
    a, d = convert.binary(input, diagonal, "MatrixSetDiagV3")
    return _apply(_set_diag, a, d, k=int(k))


matrix_set_diag = set_diag


def _tensor_diag(v):
    n = v.size
    return (jnp.eye(n, dtype=v.dtype) * v.reshape(-1)).reshape(v.shape + v.shape)


def tensor_diag(diagonal, name=None):
    return _apply(_tensor_diag, convert.tensor(diagonal))


def _tensor_diag_part(a):
    r = a.ndim // 2
    shp = a.shape[:r]
    n = int(np.prod(shp, dtype=np.int64))
    return jnp.diagonal(a.reshape(n, n)).reshape(shp)


def tensor_diag_part(input, name=None):  # noqa: A002
    a = convert.tensor(input)
    r = a._value.ndim
    if r % 2 or a._value.shape[:r // 2] != a._value.shape[r // 2:]:
        raise errors.invalid_argument("DiagPart", f"Invalid shape {list(a._value.shape)}")
    return _apply(_tensor_diag_part, a)


def _band_part(a, *, lo, hi):
    m, n = a.shape[-2], a.shape[-1]
    i = jnp.arange(m)[:, None]
    j = jnp.arange(n)[None, :]
    keep = jnp.ones((m, n), bool)
    if lo >= 0:
        keep = keep & (i - j <= lo)
    if hi >= 0:
        keep = keep & (j - i <= hi)
    return jnp.where(keep, a, jnp.zeros_like(a))


def band_part(input, num_lower, num_upper, name=None):  # noqa: A002
    a = convert.tensor(input)
    if a._value.ndim < 2:
        raise ValueError(f"input must be at least rank 2, got {a._value.ndim}")
    lo, hi = convert.static_int(num_lower), convert.static_int(num_upper)
    m, n = a._value.shape[-2:]
    if lo > m:
        raise errors.invalid_argument("MatrixBandPart", f"num_lower must be negative or less or equal to number of rows ({m}) got: {lo}")
    if hi > n:
        raise errors.invalid_argument("MatrixBandPart", f"num_upper must be negative or less or equal to number of columns ({n}) got: {hi}")
    return _apply(_band_part, a, lo=lo, hi=hi)


matrix_band_part = band_part


def _trace(a):
    return jnp.trace(a, axis1=-2, axis2=-1).astype(a.dtype)


def trace(x, name=None):
    a = convert.tensor(x)
    if a._value.ndim < 2:
        raise ValueError(f"Argument `x` must have rank >= 2. Received: {a.shape}")
    return _apply(_trace, a)


def eye(num_rows, num_columns=None, batch_shape=None, dtype=dtypes.float32, name=None):
    n = convert.static_int(num_rows, "num_rows")
    m = n if num_columns is None else convert.static_int(num_columns, "num_columns")
    d = dtypes.as_dtype(dtype)
    e = jnp.eye(n, m, dtype=d._np)
    if batch_shape is not None:
        bs = tuple(convert.static_shape(batch_shape))
        e = jnp.broadcast_to(e, bs + (n, m))
    return Tensor(e)


def _matvec(a, b, *, ta, aa):
    if ta:
        a = jnp.swapaxes(a, -1, -2)
    if aa:
        a = jnp.conj(jnp.swapaxes(a, -1, -2))
    return jnp.matmul(a, b[..., None])[..., 0]


def matvec(a, b, transpose_a=False, adjoint_a=False, a_is_sparse=False, b_is_sparse=False, name=None):
    x, v = convert.binary(a, b, "MatMul")
    k = x._value.shape[-2] if (transpose_a or adjoint_a) else x._value.shape[-1]
    if v._value.ndim < 1 or v._value.shape[-1] != k:
        raise errors.invalid_argument(
            "MatMul", f"Matrix size-incompatible: In[0]: {list(x._value.shape)}, In[1]: {list(v._value.shape) + [1]}")
    return _apply(_matvec, x, v, ta=bool(transpose_a), aa=bool(adjoint_a))


def _pinv(a, rcond):
    u, s, vh = jnp.linalg.svd(a, full_matrices=False)
    cutoff = rcond * jnp.max(s, axis=-1, keepdims=True)
    s_inv = jnp.where(s > cutoff, 1 / jnp.where(s > cutoff, s, 1), 0)
    return jnp.conj(jnp.swapaxes(vh, -1, -2)) @ (s_inv[..., None] * jnp.conj(jnp.swapaxes(u, -1, -2)))


def pinv(a, rcond=None, validate_args=False, name=None):
    t = convert.tensor(a)
    if not t.dtype.is_floating:
        raise TypeError(f"Input `a` must have `float`-like `dtype` (saw {t.dtype.name}).")
    if rcond is None:
        m, n = t._value.shape[-2:]
        rcond = 10.0 * builtins.max(m, n) * float(np.finfo(t._value.dtype).eps)
    r = convert.binary(t, rcond, "Pinv")[1]
    return _apply(_pinv, t, r)


def _cross(a, b):
    return jnp.cross(a, b)


def cross(a, b, name=None):
    x, y = convert.binary(a, b, "Cross")
    if x._value.shape[-1:] != (3,) or y._value.shape != x._value.shape:
        raise errors.invalid_argument("Cross", f"Both inputs must be of the same shape with last dimension 3: "
                                      f"{list(x._value.shape)} vs {list(y._value.shape)}")
    return _apply(_cross, x, y)


def _expm(a):
    return jax.scipy.linalg.expm(a) if a.ndim == 2 else jax.vmap(_expm)(a)


def expm(input, name=None):  # noqa: A002
    return _apply(_expm, _square(input, "MatrixExponential"))


def _sqrtm(a):
    return jax.scipy.linalg.sqrtm(a).real.astype(a.dtype) if not jnp.iscomplexobj(a) else jax.scipy.linalg.sqrtm(a)


def _norm(x, *, ord, axis, keepdims):
    if ord == "euclidean":
        if axis is None:
            y = jnp.sqrt(jnp.sum(jnp.abs(x) ** 2))
            return y.reshape((1,) * x.ndim) if keepdims else y
        y = jnp.sqrt(jnp.sum(jnp.abs(x) ** 2, axis=axis, keepdims=keepdims))
        return y
    if ord == "fro":
        return jnp.sqrt(jnp.sum(jnp.abs(x) ** 2, axis=axis, keepdims=keepdims))
    if isinstance(axis, tuple) and len(axis) == 2:
        if ord in (1, np.inf):
            # As TF: max over one axis of the sums of |x| over the other, through tf.abs's kernel
            # (gradient 0 at x == 0, where jnp.abs's is 1).
            rows, cols = axis if ord == 1 else axis[::-1]
            y = jnp.max(jnp.sum(_abs_kernel(x), axis=rows, keepdims=True), axis=cols, keepdims=True)
            return y if keepdims else jnp.squeeze(y, axis)
        return jnp.linalg.norm(x, ord=ord, axis=axis, keepdims=keepdims)
    if axis is None:
        y = _vector_norm(x.reshape(-1), ord, 0, False)
        return y.reshape((1,) * x.ndim) if keepdims else y
    return _vector_norm(x, ord, axis, keepdims)


def _abs_kernel(x):
    from tfjax._src.ops.math_ops import _abs  # noqa: PLC0415
    return _abs(x)


def _vector_norm(x, ord, axis, keepdims):  # noqa: A002
    """TF's vector p-norms: through tf.abs's kernel, so that the gradient at x == 0 is TF's."""
    a = _abs_kernel(x)
    if ord == np.inf:
        return jnp.max(a, axis=axis, keepdims=keepdims)
    if ord == -np.inf:
        return jnp.min(a, axis=axis, keepdims=keepdims)
    if ord == 1:
        return jnp.sum(a, axis=axis, keepdims=keepdims)
    if ord == 2:
        return jnp.linalg.norm(x, ord=ord, axis=axis, keepdims=keepdims)
    return jnp.sum(a ** ord, axis=axis, keepdims=keepdims) ** (1.0 / ord)


def norm(tensor, ord="euclidean", axis=None, keepdims=None, name=None):  # noqa: A002
    """``tf.norm`` / ``tf.linalg.norm``: vector norms (1, 2, inf, p>0) and matrix norms (fro, 1, 2, inf)."""
    x = convert.tensor(tensor)
    if x._value.dtype not in _FC:
        raise bad_kind(x._value.dtype, "Norm")
    r = x._value.ndim
    if axis is not None:
        ax = [int(a) for a in np.atleast_1d(np.asarray(axis))]
        if len(ax) not in (1, 2) or len(set(a % r for a in ax)) != len(ax):
            raise ValueError(f"'axis' must be None, an integer, or a tuple of 2 unique integers, got {axis}")
        axis_t = tuple(a % r for a in ax) if len(ax) == 2 else ax[0] % r
    else:
        axis_t = None
    is_matrix = isinstance(axis_t, tuple)
    if isinstance(ord, str) and ord not in ("euclidean", "fro"):
        raise ValueError(f"'ord' must be a supported vector norm, got {ord}")
    if ord == "fro" and not is_matrix:
        raise ValueError("'ord' must be a supported vector norm, got fro")
    if is_matrix and ord not in ("euclidean", "fro", 1, 2, np.inf):
        raise ValueError(f"'ord' must be a supported matrix norm in ['euclidean', 'fro', 1, 2, inf], got {ord}")
    if not is_matrix and not isinstance(ord, str):
        o = float(ord)
        if not (o > 0):
            raise ValueError(f"'ord' must be a supported vector norm, got {ord}")
    o = ord if isinstance(ord, str) else (float(ord) if not np.isinf(ord) else np.inf)
    if isinstance(o, float) and o.is_integer() and not np.isinf(o):
        o = int(o)
    out = _apply(_norm_dtype, x, ord=o, axis=axis_t, keepdims=bool(keepdims))
    return out


def _norm_dtype(x, *, ord, axis, keepdims):
    return _norm(x, ord=ord, axis=axis, keepdims=keepdims).astype(jnp.real(x).dtype if jnp.iscomplexobj(x) else x.dtype)


def normalize(tensor, ord="euclidean", axis=None, name=None):
    n = norm(tensor, ord=ord, axis=axis, keepdims=True)
    return math_ops.divide(convert.tensor(tensor), math_ops.cast(n, convert.tensor(tensor).dtype)), n


def _matrix_rank(a, tol):
    s = jnp.linalg.svd(a, compute_uv=False)
    return jnp.sum(s > tol[..., None] if tol.ndim else s > tol, axis=-1).astype(jnp.int32)


def matrix_rank(a, tol=None, validate_args=False, name=None):
    t = convert.tensor(a)
    if tol is None:
        m, n = t._value.shape[-2:]
        s = jnp.linalg.svd(t._value, compute_uv=False)
        tol_v = jnp.max(s, axis=-1) * builtins.max(m, n) * np.finfo(t._value.dtype).eps
        tt = Tensor(tol_v.astype(t._value.dtype))
    else:
        tt = convert.binary(t, tol, "MatrixRank")[1]
    return dispatch.apply_unrecorded(_matrix_rank, t, tt)


def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None):
    from tfjax._src.ops import nn_ops  # noqa: PLC0415
    return nn_ops.l2_normalize(x, axis=axis, epsilon=epsilon, dim=dim)


def _lu(a, *, np_idx):
    lu, piv, perm = jax.lax.linalg.lu(a)
    return lu, perm.astype(np_idx)


Lu = collections.namedtuple("Lu", ["lu", "p"])


def lu(input, output_idx_type=dtypes.int32, name=None):  # noqa: A002
    a = _square(input, "Lu")
    out = _apply(_lu, a, np_idx=dtypes.as_dtype(output_idx_type)._np)
    return Lu(*out)


def _lu_reconstruct(lu_, perm):
    n = lu_.shape[-1]
    l = jnp.tril(lu_, -1) + jnp.eye(n, dtype=lu_.dtype)
    u = jnp.triu(lu_)
    x = l @ u
    inv = jnp.argsort(perm, axis=-1)
    return jnp.take_along_axis(x, inv[..., :, None].astype(jnp.int32) * jnp.ones((1, n), jnp.int32), axis=-2)


def lu_reconstruct(lower_upper, perm, validate_args=False, name=None):
    return _apply(_lu_reconstruct, convert.tensor(lower_upper), convert.tensor(perm))


def _lu_solve(lu_, perm, rhs):
    n = lu_.shape[-1]
    b = jnp.take_along_axis(rhs, perm[..., :, None].astype(jnp.int32) * jnp.ones((1, rhs.shape[-1]), jnp.int32), axis=-2)
    y = jax.scipy.linalg.solve_triangular(lu_, b, lower=True, unit_diagonal=True)
    return jax.scipy.linalg.solve_triangular(lu_, y, lower=False)


def lu_solve(lower_upper, perm, rhs, validate_args=False, name=None):
    lu_, b = convert.binary(lower_upper, rhs, "LuSolve")
    return _apply(_lu_solve, lu_, convert.tensor(perm), b)


def lu_matrix_inverse(lower_upper, perm, validate_args=False, name=None):
    lu_ = convert.tensor(lower_upper)
    n = lu_._value.shape[-1]
    e = Tensor(jnp.broadcast_to(jnp.eye(n, dtype=lu_._value.dtype), lu_._value.shape))
    return lu_solve(lu_, perm, e)


def sqrtm(input, name=None):  # noqa: A002
    a = _square(input, "MatrixSquareRoot")
    if a._value.ndim != 2:
        raise errors.unsupported("tf.linalg.sqrtm on batches")
    return _apply(_sqrtm, a)


def _logm(a):
    w, v = jnp.linalg.eig(a)
    return v @ (jnp.log(w)[..., None] * jnp.linalg.inv(v))


def logm(input, name=None):  # noqa: A002
    a = convert.tensor(input)
    if not a.dtype.is_complex:
        raise TypeError("tf.linalg.logm needs a complex matrix (as TF)")
    return _apply(_logm, _square(a, "MatrixLogarithm"))


def _tridiagonal_matmul(diags, rhs):
    sup, main, sub = diags[..., 0, :], diags[..., 1, :], diags[..., 2, :]
    out = main[..., :, None] * rhs
    out = out.at[..., :-1, :].add(sup[..., :-1, None] * rhs[..., 1:, :])
    out = out.at[..., 1:, :].add(sub[..., 1:, None] * rhs[..., :-1, :])
    return out


def tridiagonal_matmul(diagonals, rhs, diagonals_format="compact", name=None):
    if diagonals_format != "compact":
        raise errors.unsupported(f"tf.linalg.tridiagonal_matmul(diagonals_format={diagonals_format!r})", "only 'compact'")
    d, b = convert.binary(diagonals, rhs, "TridiagonalMatMul")
    return _apply(_tridiagonal_matmul, d, b)


def _tridiagonal_solve(diags, rhs):
    sup, main, sub = diags[..., 0, :], diags[..., 1, :], diags[..., 2, :]
    n = main.shape[-1]
    m = jnp.zeros(main.shape + (n,), main.dtype)
    i = jnp.arange(n)
    m = m.at[..., i, i].set(main)
    m = m.at[..., i[:-1], i[1:]].set(sup[..., :-1])
    m = m.at[..., i[1:], i[:-1]].set(sub[..., 1:])
    return jnp.linalg.solve(m, rhs)


def tridiagonal_solve(diagonals, rhs, diagonals_format="compact", transpose_rhs=False, conjugate_rhs=False,
                      name=None, partial_pivoting=True, perturb_singular=False):
    if diagonals_format != "compact":
        raise errors.unsupported(f"tf.linalg.tridiagonal_solve(diagonals_format={diagonals_format!r})", "only 'compact'")
    if transpose_rhs or conjugate_rhs:
        raise errors.unsupported("tf.linalg.tridiagonal_solve(transpose_rhs/conjugate_rhs)")
    d, b = convert.binary(diagonals, rhs, "TridiagonalSolve")
    return _apply(_tridiagonal_solve, d, b)
