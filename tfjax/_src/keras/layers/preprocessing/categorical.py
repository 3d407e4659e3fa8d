"""CategoryEncoding and the one-hot / multi-hot / count encoding shared by the categorical layers."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from tfjax._src.keras.layers.layer import Layer
from tfjax._src.keras.ops import core as C
from tfjax._src.keras.ops import numpy as N

__all__ = ["CategoryEncoding"]


def encode_indices(idx, output_mode, depth, dtype):
    """Keras' ``encode_categorical_inputs`` over a numpy or a jax array of indices.

    Indices outside ``[0, depth)`` (the lookup layers map a non-int-mode mask token to
    int64 max) contribute nothing, like TF's bincount / one_hot. numpy input stays numpy
    so host-side layers inside ``tf.data`` never touch the device.
    """
    xp = np if isinstance(idx, np.ndarray) else jnp
    if output_mode == "int":
        return idx.astype(dtype)
    if idx.ndim == 0:
        idx = idx[None]
    if output_mode == "one_hot":
        if idx.ndim > 1 and idx.shape[-1] == 1:
            idx = idx[..., 0]
        return (idx[..., None] == xp.arange(depth, dtype=idx.dtype)).astype(dtype)
    # TF reduces axis 1 of any rank >= 2 input (bincount on rank 2, one_hot + reduce beyond).
    axis = 1 if idx.ndim > 1 else 0
    moved = xp.moveaxis(idx, axis, -1)
    lead = moved.shape[:-1]
    n = int(np.prod(lead))
    rows = moved.reshape(n, moved.shape[-1])
    valid = (rows >= 0) & (rows < depth)
    if xp is np:
        flat = (np.arange(n)[:, None] * depth + rows)[valid]
        counts = np.bincount(flat, minlength=n * depth).reshape(n, depth)
    else:
        r = jnp.broadcast_to(jnp.arange(n)[:, None], rows.shape)
        counts = jnp.zeros((n, depth), jnp.int32).at[r, jnp.where(valid, rows, depth)].add(1, mode="drop")
    if output_mode == "multi_hot":
        counts = counts > 0
    return counts.astype(dtype).reshape(lead + (depth,))


def _encode(idx, *, depth, mode, dtype, counts):
    oh = jax.nn.one_hot(idx, depth, dtype=dtype)
    if mode == "one_hot":
        return oh
    if idx.ndim >= 2 or counts:
        return jnp.sum(oh, axis=-2) if mode == "count" else jnp.max(oh, axis=-2)
    return jnp.sum(oh, axis=-2) if mode == "count" else jnp.max(oh, axis=-2)


class CategoryEncoding(Layer):
    def __init__(self, num_tokens=None, output_mode="multi_hot", sparse=False, **kwargs):
        super().__init__(**kwargs)
        if output_mode not in ("one_hot", "multi_hot", "count"):
            raise ValueError(f"Unknown arg for output_mode: {output_mode}")
        self.num_tokens = num_tokens
        self.output_mode = output_mode
        self.sparse = sparse
        self.built = True

    def call(self, inputs, count_weights=None):
        x = C.cast(inputs, "int32")
        squeeze = False
        if self.output_mode != "one_hot" and x.ndim == 1:
            x = N.expand_dims(x, 0)
            squeeze = True
        if self.output_mode == "one_hot" and x.ndim >= 2 and C.static_shape(x)[-1] == 1:
            x = N.squeeze(x, -1)
        out = C.apply_unrecorded(_encode, x, depth=int(self.num_tokens), mode=self.output_mode,
                                 dtype=C.np_dtype(self.compute_dtype), counts=False)
        if squeeze:
            out = N.squeeze(out, 0)
        return out

    def compute_output_shape(self, input_shape):
        if self.output_mode == "one_hot" and input_shape and input_shape[-1] != 1:
            return tuple(input_shape) + (self.num_tokens,)
        if len(input_shape) <= 1:
            return (self.num_tokens,)
        return tuple(input_shape[:-1]) + (self.num_tokens,)

    def get_config(self):
        base = super().get_config()
        base.update({"num_tokens": self.num_tokens, "output_mode": self.output_mode})
        return base
