"""``IntegerLookup``: int64 values → vocabulary indices (or back); traceable, so it also runs in compiled steps."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from tfjax._src.keras.layers.preprocessing import _host
from tfjax._src.keras.layers.preprocessing.index_lookup import IndexLookup

__all__ = ["IntegerLookup"]


class IntegerLookup(IndexLookup):
    _is_string = False

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token=-1, vocabulary=None,
                 vocabulary_dtype="int64", idf_weights=None, invert=False, output_mode="int", sparse=False,
                 pad_to_max_tokens=False, oov_method="floormod", salt=None, name=None, **kwargs):
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError("If `max_tokens` is set for `IntegerLookup`, it must be greater than 1. "
                             f"Received: max_tokens={max_tokens}")
        if num_oov_indices < 0:
            raise ValueError("The value of `num_oov_indices` argument for `IntegerLookup` must >= 0. "
                             f"Received: num_oov_indices={num_oov_indices}")
        if vocabulary_dtype != "int64":
            raise ValueError("Only `vocabulary_dtype='int64'` is supported at this time. Received: "
                             f"vocabulary_dtype={vocabulary_dtype}")
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices, mask_token=mask_token,
                         oov_token=oov_token, vocabulary=vocabulary, vocabulary_dtype=vocabulary_dtype,
                         idf_weights=idf_weights, invert=invert, output_mode=output_mode, sparse=sparse,
                         pad_to_max_tokens=pad_to_max_tokens, oov_method=oov_method, salt=salt, name=name, **kwargs)

    def _key(self, token):
        return int(token)

    def _token(self, key):
        return int(key)

    def _keys_array(self, x):
        v = _host.raw(x)
        if _host.is_string(v):
            raise TypeError(f"Cannot convert {x!r} to EagerTensor of dtype int64")
        if isinstance(v, np.ndarray):
            return v.astype(np.int64, copy=False)
        return jnp.asarray(v).astype(jnp.int64)

    def _lookup_inverse(self, inputs):
        idx = self._keys_array(inputs)
        xp = np if isinstance(idx, np.ndarray) else jnp
        by_index = self._vocab.by_index
        table = xp.asarray(by_index)
        n = int(by_index.shape[0])
        oov = self.oov_token if self.oov_token is not None else -1
        if n == 0:
            return xp.full(idx.shape, oov, np.int64)
        inside = (idx >= self._token_start_index()) & (idx < n)
        out = xp.where(inside, table[xp.clip(idx, 0, n - 1)], oov)
        if self.mask_token is not None:
            out = xp.where(idx == 0, self.mask_token, out)
        return out.astype(np.int64)

    def call(self, inputs):
        from tfjax._src.sparse_tensor import SparseTensor, to_dense  # noqa: PLC0415
        if isinstance(inputs, SparseTensor):
            # Keras' IntegerLookup converts a SparseTensor to a dense array first (its implicit
            # zeros are looked up too); StringLookup keeps it sparse.
            inputs = to_dense(inputs)
        return super().call(inputs)

    def get_config(self):
        base = super().get_config()
        for k in ("oov_token", "mask_token"):
            if base[k] is not None:
                base[k] = int(base[k])
        if base["vocabulary"] is not None:
            base["vocabulary"] = [int(v) for v in base["vocabulary"]]
        return base
