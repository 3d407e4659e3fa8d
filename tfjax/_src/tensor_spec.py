"""``tf.TensorSpec``: the type of a tensor (shape, dtype, optional name)."""

from __future__ import annotations

import numpy as np

from tfjax._src import dtypes
from tfjax._src.tensor_shape import TensorShape, as_shape


class TypeSpec:
    """Base of the value-type descriptions used by ``element_spec`` (``tf.TypeSpec``)."""

    __slots__ = ()

    def is_compatible_with(self, spec_or_value) -> bool:  # pragma: no cover - overridden
        raise NotImplementedError


class TensorSpec(TypeSpec):
    """Describes a dense tensor: ``tf.TensorSpec(shape, dtype=tf.float32, name=None)``."""

    __slots__ = ("_shape", "_dtype", "_name")

    def __init__(self, shape, dtype=dtypes.float32, name=None):
        self._shape = as_shape(shape)
        self._dtype = dtypes.as_dtype(dtype)
        self._name = name

    @property
    def shape(self) -> TensorShape:
        return self._shape

    @property
    def dtype(self) -> dtypes.DType:
        return self._dtype

    @property
    def name(self):
        return self._name

    @property
    def value_type(self):
        from tfjax._src.tensor import Tensor  # noqa: PLC0415
        return Tensor

    @classmethod
    def from_spec(cls, spec, name=None):
        return cls(spec.shape, spec.dtype, name if name is not None else getattr(spec, "name", None))

    @classmethod
    def from_tensor(cls, tensor, name=None):
        from tfjax._src import tensor as tensor_lib  # noqa: PLC0415
        if not hasattr(tensor, "dtype") or not hasattr(tensor, "shape"):
            tensor = tensor_lib.convert_to_tensor(tensor)
        if isinstance(tensor, np.ndarray) and tensor.dtype.kind in "OSU":
            return cls(tensor.shape, dtypes.string, name)
        return cls(tensor.shape, dtypes.as_dtype(tensor.dtype), name)

    def is_compatible_with(self, spec_or_tensor) -> bool:
        other = spec_or_tensor
        if not isinstance(other, TensorSpec):
            if not (hasattr(other, "shape") and hasattr(other, "dtype")):
                from tfjax._src import tensor as tensor_lib  # noqa: PLC0415
                try:
                    other = tensor_lib.convert_to_tensor(other)
                except (TypeError, ValueError):
                    return False
            try:
                other = TensorSpec.from_tensor(other)
            except TypeError:
                return False
        return self._dtype == other.dtype and self._shape.is_compatible_with(other.shape)

    def most_specific_compatible_type(self, other):
        if not isinstance(other, TensorSpec) or other.dtype != self._dtype:
            raise ValueError(f"No TypeSpec is compatible with both {self} and {other}")
        return TensorSpec(self._shape.most_specific_compatible_shape(other.shape), self._dtype,
                          self._name if self._name == other.name else None)

    def most_specific_common_supertype(self, others):
        out = self
        for o in others:
            try:
                out = out.most_specific_compatible_type(o)
            except ValueError:
                return None
        return out

    def _unbatch(self):
        if self._shape.rank is None:
            return TensorSpec(None, self._dtype)
        if self._shape.rank == 0:
            raise ValueError("Unbatching a tensor is only supported for rank >= 1")
        return TensorSpec(self._shape[1:], self._dtype)

    def _batch(self, batch_size):
        return TensorSpec(TensorShape([batch_size]).concatenate(self._shape), self._dtype)

    def __eq__(self, other):
        return (type(other) is type(self) and self._shape == other._shape
                and self._dtype == other._dtype and self._name == other._name)

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash((self._shape, self._dtype, self._name))

    def __repr__(self):
        name = "None" if self._name is None else repr(self._name)
        return f"TensorSpec(shape={self._shape}, dtype={self._dtype!r}, name={name})"

    def __reduce__(self):
        return TensorSpec, (self._shape, self._dtype, self._name)


class BoundedTensorSpec(TensorSpec):
    """A TensorSpec with inclusive ``minimum``/``maximum`` bounds (``tf.BoundedTensorSpec``)."""

    __slots__ = ("_minimum", "_maximum")

    def __init__(self, shape, dtype, minimum, maximum, name=None):
        super().__init__(shape, dtype, name)
        self._minimum = np.array(minimum, dtype=self._dtype.as_numpy_dtype)
        self._maximum = np.array(maximum, dtype=self._dtype.as_numpy_dtype)

    @property
    def minimum(self):
        return self._minimum

    @property
    def maximum(self):
        return self._maximum

    def __repr__(self):
        return (f"BoundedTensorSpec(shape={self._shape}, dtype={self._dtype!r}, name={self._name!r}, "
                f"minimum={self._minimum!r}, maximum={self._maximum!r})")
