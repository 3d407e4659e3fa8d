"""``keras.utils.to_categorical`` / ``normalize`` (Keras 3 semantics)."""

from __future__ import annotations

import numpy as np


def _is_tensor(x):
    from tfjax._src.tensor import Tensor  # noqa: PLC0415
    return isinstance(x, Tensor) or hasattr(x, "_read_array")


def to_categorical(x, num_classes=None):
    """One-hot encodes integer class vectors.

    numpy / Python input gives a numpy float64 array (as Keras 3 does); a tfjax
    Tensor gives a float32 Tensor. A trailing dimension of size 1 is squeezed.
    """
    if _is_tensor(x):
        from tfjax._src.tensor import Tensor  # noqa: PLC0415
        import jax.numpy as jnp  # noqa: PLC0415
        arr = np.asarray(x)
        if arr.ndim > 1 and arr.shape[-1] == 1:
            arr = arr.reshape(arr.shape[:-1])
        if num_classes is None:
            raise ValueError("num_classes must be given for tensor input to to_categorical.")
        out = (arr[..., None] == np.arange(int(num_classes))).astype(np.float32)
        return Tensor(jnp.asarray(out))
    x = np.array(x, dtype="int64")
    input_shape = x.shape
    if input_shape and input_shape[-1] == 1 and len(input_shape) > 1:
        input_shape = tuple(input_shape[:-1])
    x = x.reshape(-1)
    if not num_classes:
        num_classes = int(np.max(x)) + 1
    batch_size = x.shape[0]
    categorical = np.zeros((batch_size, num_classes))
    categorical[np.arange(batch_size), x] = 1
    return np.reshape(categorical, input_shape + (num_classes,))


def normalize(x, axis=-1, order=2):
    """Lp-normalises ``x`` along ``axis`` (numpy in, numpy out; Tensors in, Tensor out)."""
    tensor_in = _is_tensor(x)
    arr = np.asarray(x)
    norm = np.atleast_1d(np.linalg.norm(arr, order, axis))
    norm[norm == 0] = 1
    axis = axis or -1
    out = arr / np.expand_dims(norm, axis)
    if tensor_in:
        from tfjax._src.tensor import Tensor  # noqa: PLC0415
        import jax.numpy as jnp  # noqa: PLC0415
        return Tensor(jnp.asarray(out.astype(arr.dtype)))
    return out
