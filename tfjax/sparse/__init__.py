"""``tf.sparse``: explicit re-exports."""

from tfjax._src.sparse_tensor import (
    SparseTensor as SparseTensor, to_dense as to_dense, from_dense as from_dense,
)
from tfjax._src.sparse_ops import (  # noqa: F401
    add, bincount, concat, expand_dims, eye, fill_empty_rows, map_values, mask, maximum, minimum, reduce_max,
    reduce_sum, reorder, reset_shape, reshape, retain, segment_mean, segment_sqrt_n, segment_sum, slice, softmax,
    sparse_dense_matmul, split, to_indicator, transpose,
)


def __getattr__(name):
    from tfjax._src.errors import unsupported  # noqa: PLC0415
    if name in ("cross", "cross_hashed", "sampled_addmm"):
        raise AttributeError(str(unsupported(f"tf.sparse.{name}", "not implemented yet")))
    raise AttributeError(f"module 'tfjax.sparse' has no attribute {name!r}")
