"""``StringLookup``: strings → vocabulary indices (or back, with ``invert=True``), computed on the host."""

from __future__ import annotations

import numpy as np

from tfjax._src import errors
from tfjax._src.keras.layers.preprocessing import _host
from tfjax._src.keras.layers.preprocessing.index_lookup import IndexLookup

__all__ = ["StringLookup"]


class StringLookup(IndexLookup):
    _is_string = True

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token="[UNK]", vocabulary=None,
                 idf_weights=None, invert=False, output_mode="int", pad_to_max_tokens=False, sparse=False,
                 encoding="utf-8", name=None, salt=None, **kwargs):
        self.encoding = encoding
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices, mask_token=mask_token,
                         oov_token=oov_token, vocabulary=vocabulary, idf_weights=idf_weights, invert=invert,
                         output_mode=output_mode, pad_to_max_tokens=pad_to_max_tokens, sparse=sparse, name=name,
                         salt=salt, vocabulary_dtype="string", **kwargs)

    def _key(self, token):
        # TF stores Python str tokens as UTF-8 whatever `encoding` says; `encoding` only decodes them back.
        if isinstance(token, bytes):
            return token
        if isinstance(token, str):
            return token.encode("utf-8")
        raise TypeError(f"StringLookup vocabulary entries must be strings, got {token!r}")

    def _token(self, key):
        return key.decode(self.encoding)

    def _keys_array(self, x):
        _host.run_outside_traces(self)
        v = _host.raw(x)
        if not _host.is_string(v):
            dt = np.dtype(getattr(v, "dtype", np.int64)).name
            raise errors.UnimplementedError(None, None, errors.op_message(
                "Cast", f"Cast {dt} to string is not supported"))
        return _host.string_array(v, self.name)

    def _lookup_inverse(self, inputs):
        _host.run_outside_traces(self)
        v = _host.raw(inputs)
        if _host.is_traced(v):
            raise errors.unsupported(
                "StringLookup(invert=True) inside a compiled function (tf.function / Model.fit)",
                "its output is a string tensor and strings live on the host in tfjax; call the layer eagerly or "
                "inside a tf.data pipeline")
        if _host.is_string(v):
            raise TypeError(f"Cannot convert {inputs!r} to EagerTensor of dtype int64")
        idx = np.asarray(v).astype(np.int64)
        vocab = [self._key(t) for t in self.get_vocabulary()]
        oov = self._key(self.oov_token) if self.oov_token is not None else b""
        start = self._token_start_index()
        out = np.empty(idx.shape, object)
        flat = out.reshape(-1)
        for i, j in enumerate(idx.reshape(-1).tolist()):
            flat[i] = vocab[j] if start <= j < len(vocab) else oov
        if self.mask_token is not None:
            out[idx == 0] = self._key(self.mask_token)
        return out

    def _output_dtype(self):
        return "string" if self.invert else "int64"

    def get_config(self):
        base = super().get_config()
        del base["vocabulary_dtype"]
        base["encoding"] = self.encoding
        return base
