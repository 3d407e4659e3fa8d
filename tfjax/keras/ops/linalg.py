"""``tf.keras.ops.linalg``."""

from tfjax._src.keras.ops.linalg import (  # noqa: F401
    cholesky, det, eig, eigh, inv, lu_factor, norm, qr, solve, svd,
    cholesky_inverse, lstsq, matrix_rank, pinv, solve_triangular, jvp,
)
