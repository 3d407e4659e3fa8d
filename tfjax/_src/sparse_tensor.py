"""``tf.SparseTensor`` (COO: indices, values, dense_shape) and the basic ``tf.sparse`` ops.

A minimal host-side implementation: the three components are tfjax Tensors;
``to_dense`` scatters with numpy (strings included) and returns a Tensor.
"""

from __future__ import annotations

import numpy as np

from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src import tensor as tensor_lib
from tfjax._src.tensor_shape import TensorShape
from tfjax._src.tensor_spec import TypeSpec


def _host(x):
    """A numpy view of a Tensor / array-like."""
    if isinstance(x, tensor_lib.Tensor):
        v = x._value
        return v if isinstance(v, np.ndarray) else np.asarray(v)
    return np.asarray(x)


def _wrap(arr):
    from tfjax._src.io import host  # noqa: PLC0415
    return host.wrap(np.asarray(arr))


class SparseTensor:
    """``tf.SparseTensor(indices, values, dense_shape)``."""

    __slots__ = ("_indices", "_values", "_dense_shape", "__weakref__")

    def __init__(self, indices, values, dense_shape):
        idx = tensor_lib.convert_to_tensor(indices, dtype_hint=dtypes.int64)
        if idx.dtype != dtypes.int64:
            idx = _wrap(_host(idx).astype(np.int64))
        vals = values if isinstance(values, tensor_lib.Tensor) else tensor_lib.convert_to_tensor(values)
        shp = tensor_lib.convert_to_tensor(dense_shape, dtype_hint=dtypes.int64)
        if shp.dtype != dtypes.int64:
            shp = _wrap(_host(shp).astype(np.int64))
        if idx.shape.rank != 2:
            raise ValueError(f"Shape {idx.shape} must have rank 2 (indices of a SparseTensor)")
        if vals.shape.rank != 1:
            raise ValueError(f"Shape {vals.shape} must have rank 1 (values of a SparseTensor)")
        if shp.shape.rank != 1:
            raise ValueError(f"Shape {shp.shape} must have rank 1 (dense_shape of a SparseTensor)")
        if idx.shape[0] != vals.shape[0]:
            raise ValueError(f"Dimensions {idx.shape[0]} and {vals.shape[0]} are not compatible")
        if idx.shape[1] != shp.shape[0]:
            raise ValueError(f"Dimensions {idx.shape[1]} and {shp.shape[0]} are not compatible")
        self._indices = idx
        self._values = vals
        self._dense_shape = shp

    @classmethod
    def from_value(cls, value):
        if isinstance(value, SparseTensor):
            return value
        return cls(value.indices, value.values, value.dense_shape)

    @property
    def indices(self):
        return self._indices

    @property
    def values(self):
        return self._values

    @property
    def dense_shape(self):
        return self._dense_shape

    @property
    def dtype(self):
        return self._values.dtype

    @property
    def shape(self) -> TensorShape:
        return TensorShape([int(d) for d in _host(self._dense_shape)])

    def get_shape(self):
        return self.shape

    @property
    def _type_spec(self):
        return SparseTensorSpec(self.shape, self.dtype)

    def with_values(self, new_values):
        return SparseTensor(self._indices, new_values, self._dense_shape)

    def __repr__(self):
        return (f"SparseTensor(indices={self._indices!r}, values={self._values!r}, "
                f"dense_shape={self._dense_shape!r})")

    def __str__(self):
        return (f"SparseTensor(indices={self._indices}, values={self._values}, "
                f"dense_shape={self._dense_shape})")


class SparseTensorSpec(TypeSpec):
    """``tf.SparseTensorSpec(shape, dtype)``."""

    __slots__ = ("_shape", "_dtype")

    def __init__(self, shape=None, dtype=dtypes.float32):
        self._shape = TensorShape(shape)
        self._dtype = dtypes.as_dtype(dtype)

    @property
    def shape(self):
        return self._shape

    @property
    def dtype(self):
        return self._dtype

    @property
    def value_type(self):
        return SparseTensor

    @classmethod
    def from_value(cls, value):
        return cls(value.shape, value.dtype)

    def is_compatible_with(self, other):
        if isinstance(other, SparseTensor):
            other = SparseTensorSpec.from_value(other)
        return (isinstance(other, SparseTensorSpec) and other.dtype == self._dtype
                and self._shape.is_compatible_with(other.shape))

    def most_specific_compatible_type(self, other):
        if not isinstance(other, SparseTensorSpec) or other.dtype != self._dtype:
            raise ValueError(f"No TypeSpec is compatible with both {self} and {other}")
        return SparseTensorSpec(self._shape.most_specific_compatible_shape(other.shape), self._dtype)

    def _unbatch(self):
        if self._shape.rank is None:
            return SparseTensorSpec(None, self._dtype)
        return SparseTensorSpec(self._shape[1:], self._dtype)

    def _batch(self, batch_size):
        return SparseTensorSpec(TensorShape([batch_size]).concatenate(self._shape), self._dtype)

    def __eq__(self, other):
        return type(other) is type(self) and self._shape == other._shape and self._dtype == other._dtype

    def __hash__(self):
        return hash((self._shape, self._dtype))

    def __repr__(self):
        return f"SparseTensorSpec(TensorShape({self._shape.as_list() if self._shape.rank is not None else None}), {self._dtype!r})"


def to_dense(sp_input, default_value=None, validate_indices=True, name=None):
    """``tf.sparse.to_dense``: scatters the values into a dense Tensor."""
    if not isinstance(sp_input, SparseTensor):
        raise TypeError(f"Input must be a SparseTensor, got {type(sp_input).__name__}.")
    idx = _host(sp_input.indices)
    vals = _host(sp_input.values)
    shape = tuple(int(d) for d in _host(sp_input.dense_shape))
    if vals.dtype == object:
        fill = b"" if default_value is None else tensor_lib._to_string_array(default_value)[()]
        out = np.full(shape, fill, dtype=object)
    else:
        fill = 0 if default_value is None else _host(default_value)
        out = np.full(shape, fill, dtype=vals.dtype)
    if idx.size:
        if validate_indices:
            if np.any(idx < 0) or np.any(idx >= np.array(shape, dtype=np.int64)):
                raise errors.invalid_argument(
                    "SparseToDense", f"indices is out of bounds: {idx.tolist()} for shape {list(shape)}")
            if len(idx) > 1:
                flat = np.ravel_multi_index(tuple(idx.T), shape)
                if np.any(np.diff(flat) <= 0):
                    raise errors.invalid_argument(
                        "SparseToDense", "indices are not in lexicographic order or contain repeats")
        out[tuple(idx.T)] = vals
    return _wrap(out)


def from_dense(tensor, name=None):
    """``tf.sparse.from_dense``: keeps the non-zero (non-empty) entries."""
    arr = _host(tensor_lib.convert_to_tensor(tensor))
    mask = arr != b"" if arr.dtype == object else arr != 0
    idx = np.argwhere(mask).astype(np.int64)
    return SparseTensor(idx, _wrap(arr[mask]), np.array(arr.shape, dtype=np.int64))


def is_sparse(x) -> bool:
    return isinstance(x, SparseTensor)
