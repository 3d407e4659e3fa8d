"""``Hashing``: TF's FarmHash Fingerprint64 buckets (SipHash-2-4 with a ``salt``), bit-identical to TF."""

from __future__ import annotations

import jax
import numpy as np

from tfjax._src import errors
from tfjax._src.keras import backend
from tfjax._src.keras.keras_tensor import KerasTensor
from tfjax._src.keras.layers.layer import Layer
from tfjax._src.keras.layers.preprocessing import _host
from tfjax._src.keras.layers.preprocessing.categorical import encode_indices
from tfjax._src.ops import string_hash

__all__ = ["Hashing"]

_MODES = ("int", "one_hot", "multi_hot", "count")


def as_string_array(v):
    """TF's ``tf.as_string`` of a numeric numpy array (floats are first truncated to int64)."""
    if v.dtype == np.bool_:
        return np.where(v, b"true", b"false").astype(object)
    if np.issubdtype(v.dtype, np.floating):
        v = v.astype(np.int64)
    out = np.empty(v.shape, object)
    out.reshape(-1)[:] = [str(e).encode() for e in v.reshape(-1).tolist()]
    return out


def _equal_mask(v, mask_value):
    if v.dtype == object:
        mv = mask_value.encode() if isinstance(mask_value, str) else mask_value
        return v == mv
    return v == mask_value


def hash_to_bins(v, num_bins, mask_value, salt):
    """int64 bins of the numpy array ``v`` (strings or numbers); bin 0 is the mask bin if any."""
    bins = num_bins
    mask = None
    if mask_value is not None and bins > 1:
        bins -= 1
        mask = _equal_mask(v, mask_value)
    strings = v if v.dtype == object else as_string_array(v)
    if salt is not None:
        k0, k1 = string_hash.strong_key(salt)
        out = string_hash.hash_buckets(strings, bins, lambda s: string_hash.siphash24(k0, k1, s))
    else:
        out = string_hash.hash_buckets(strings, bins, string_hash.fingerprint64)
    if mask is not None:
        out = np.where(mask, 0, out + 1)
    return out


class Hashing(Layer):
    def __init__(self, num_bins, mask_value=None, salt=None, output_mode="int", sparse=False, **kwargs):
        if kwargs.get("dtype") is None:
            kwargs["dtype"] = "int64" if output_mode == "int" else backend.floatx()
        super().__init__(**kwargs)
        if num_bins is None or num_bins <= 0:
            raise ValueError("The `num_bins` for `Hashing` cannot be `None` or non-positive values. "
                             f"Received: num_bins={num_bins}.")
        if output_mode == "int" and self.dtype_policy.name not in ("int32", "int64"):
            raise ValueError("When `output_mode=\"int\"`, `dtype` should be an integer type, 'int32' or 'in64'. "
                             f"Received: dtype={kwargs['dtype']}")
        if output_mode not in _MODES:
            raise ValueError(f"Invalid value for argument `output_mode`. Expected one of {_MODES}. "
                             f"Received: output_mode={output_mode}")
        if sparse and output_mode == "int":
            raise ValueError('`sparse` may only be true if `output_mode` is `"one_hot"`, `"multi_hot"`, or '
                             f'`"count"`. Received: sparse={sparse} and output_mode={output_mode}')
        # Inputs are hashed as given: autocasting floats to the layer dtype would change their string form.
        self.autocast = False
        self.num_bins, self.mask_value = num_bins, mask_value
        self.strong_hash = salt is not None
        self.output_mode, self.sparse = output_mode, sparse
        self.salt = None
        if salt is not None:
            if isinstance(salt, (tuple, list)) and len(salt) == 2:
                self.salt = list(salt)
            elif isinstance(salt, int):
                self.salt = [salt, salt]
            else:
                raise ValueError("The `salt` argument for `Hashing` can only be a tuple of size 2 integers, or a "
                                 f"single integer. Received: salt={salt}.")
        self.built = True

    def _bins(self, v):
        return hash_to_bins(np.asarray(v), self.num_bins, self.mask_value, self.salt)

    def call(self, inputs):
        from tfjax._src.sparse_tensor import SparseTensor  # noqa: PLC0415
        if isinstance(inputs, SparseTensor):
            if self.output_mode != "int":
                raise errors.unsupported(f"Hashing(output_mode='{self.output_mode}') of a SparseTensor",
                                         "densify the input first")
            bins = self._bins(_host.raw(inputs.values)).astype(np.dtype(self.dtype_policy.compute_dtype))
            return SparseTensor(inputs.indices, _host.wrap(bins), inputs.dense_shape)
        v = _host.raw(inputs)
        if self.output_mode == "one_hot" and v.ndim and v.shape[-1] == 1:
            v = v[..., 0]
        if _host.is_string(v):
            _host.run_outside_traces(self)
        if _host.is_traced(v):
            # Numbers inside a compiled function: hash on the host through a callback
            # (strings never reach here while tracing: tf.function keys them by value).
            idx = jax.pure_callback(lambda a: self._bins(a).astype(np.int64),
                                    jax.ShapeDtypeStruct(v.shape, np.int64), v, vmap_method="sequential")
        else:
            idx = self._bins(v)
        out = encode_indices(idx, self.output_mode, self.num_bins, np.dtype(self.dtype_policy.compute_dtype))
        out = _host.wrap(out)
        if self.sparse:
            from tfjax._src.sparse_tensor import from_dense  # noqa: PLC0415
            return from_dense(out)
        return out

    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return tuple(input_shape)
        if len(input_shape) == 0:
            return (self.num_bins,)
        return tuple(input_shape[:-1]) + (self.num_bins,)

    def compute_output_spec(self, inputs):
        return KerasTensor(self.compute_output_shape(tuple(inputs.shape)), self.dtype_policy.compute_dtype)

    def get_config(self):
        base = super().get_config()
        base.update({"num_bins": self.num_bins, "salt": self.salt, "mask_value": self.mask_value,
                     "output_mode": self.output_mode, "sparse": self.sparse})
        return base
