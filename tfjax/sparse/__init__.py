"""``tf.sparse``: explicit re-exports."""

from tfjax._src.sparse_tensor import (
    SparseTensor as SparseTensor, to_dense as to_dense, from_dense as from_dense,
)
