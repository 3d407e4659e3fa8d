"""``tf.IndexedSlices``: a sparse set of rows of a dense tensor (``values``, ``indices``, ``dense_shape``).

TF's tape produces these for the gradient of a gather; tfjax's tape returns dense
gradients instead (see docs/differences.md), so here IndexedSlices is a value users
build themselves. It converts to a dense Tensor wherever a Tensor is expected
(``__tf_tensor__``, the conversion hook of ``tensor.to_array``), summing rows that
repeat an index, which is what TF's conversion does. The scatter goes through
``dispatch.apply`` so a tape sees the dense value as a function of ``values``.
"""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from tfjax._src import dispatch
from tfjax._src import dtypes
from tfjax._src import tensor as tensor_lib
from tfjax._src.tensor_shape import TensorShape
from tfjax._src.tensor_spec import TypeSpec


def _scatter_rows(values, indices, *, shape):
    return jnp.zeros(shape, values.dtype).at[indices].add(values)


class IndexedSlices:
    """``tf.IndexedSlices(values, indices, dense_shape=None)``."""

    __slots__ = ("_values", "_indices", "_dense_shape", "__weakref__")
    # numpy must defer to our conversion, not broadcast over the object.
    __array_priority__ = 100

    def __init__(self, values, indices, dense_shape=None):
        self._values = tensor_lib.convert_to_tensor(values)
        self._indices = tensor_lib.convert_to_tensor(indices)
        self._dense_shape = None if dense_shape is None else tensor_lib.convert_to_tensor(dense_shape)

    @property
    def values(self):
        return self._values

    @property
    def indices(self):
        return self._indices

    @property
    def dense_shape(self):
        return self._dense_shape

    @property
    def dtype(self):
        return self._values.dtype

    @property
    def device(self):
        return self._values.device

    @property
    def name(self):
        return None

    @property
    def op(self):
        from tfjax._src import errors  # noqa: PLC0415
        raise AttributeError(str(errors.unsupported("IndexedSlices.op", "tfjax builds no graph")))

    @property
    def graph(self):
        return self.op

    @property
    def shape(self) -> TensorShape:
        if self._dense_shape is None:
            return TensorShape(None)
        v = self._dense_shape._value
        if isinstance(v, np.ndarray) or not hasattr(v, "aval") or _concrete(v):
            return TensorShape([int(d) for d in np.asarray(v)])
        return TensorShape([None] * int(v.shape[0]))

    def get_shape(self):
        return self.shape

    @property
    def _type_spec(self):
        return IndexedSlicesSpec(self.shape, self.dtype, self._indices.dtype,
                                 None if self._dense_shape is None else self._dense_shape.dtype,
                                 self._indices.shape)

    def __neg__(self):
        from tfjax._src.ops import math_ops  # noqa: PLC0415
        return IndexedSlices(math_ops.negative(self._values), self._indices, self._dense_shape)

    def _dense(self, dtype=None):
        if self._dense_shape is None:
            raise ValueError(f"Tensor conversion requested for IndexedSlices for argument `value` "
                             f"without dense_shape: {self}")
        from tfjax._src.ops import convert  # noqa: PLC0415
        shape = convert.static_shape(self._dense_shape, "dense_shape")
        if dtype is not None and dtypes.as_dtype(dtype) != self.dtype:
            raise ValueError(f"Tensor conversion requested dtype {dtypes.as_dtype(dtype).name} for "
                             f"IndexedSlices with dtype {self.dtype.name}")
        return dispatch.apply(_scatter_rows, self._values, self._indices, shape=tuple(shape))

    def __tf_tensor__(self, dtype=None, name=None):
        return self._dense(dtype)

    def __array__(self, dtype=None, copy=None):
        arr = np.asarray(self._dense()._value)
        return arr if dtype is None else arr.astype(dtype)

    def __str__(self):
        ds = "" if self._dense_shape is None else f", dense_shape={self._dense_shape!s}"
        return f"IndexedSlices(indices={self._indices!s}, values={self._values!s}{ds})"

    def __repr__(self):
        return f"<tfjax.IndexedSlices object at {hex(id(self))}>"


def _concrete(v):
    import jax  # noqa: PLC0415
    return not isinstance(v, jax.core.Tracer)


class IndexedSlicesSpec(TypeSpec):
    """``tf.IndexedSlicesSpec(shape, dtype, indices_dtype, dense_shape_dtype, indices_shape)``."""

    __slots__ = ("_shape", "_dtype", "_indices_dtype", "_dense_shape_dtype", "_indices_shape")

    def __init__(self, shape=None, dtype=dtypes.float32, indices_dtype=dtypes.int64,
                 dense_shape_dtype=None, indices_shape=None):
        self._shape = TensorShape(shape)
        self._dtype = dtypes.as_dtype(dtype)
        self._indices_dtype = dtypes.as_dtype(indices_dtype)
        self._dense_shape_dtype = None if dense_shape_dtype is None else dtypes.as_dtype(dense_shape_dtype)
        self._indices_shape = TensorShape(indices_shape).with_rank(1)

    shape = property(lambda self: self._shape)
    dtype = property(lambda self: self._dtype)

    @property
    def value_type(self):
        return IndexedSlices

    def _key(self):
        return (self._shape, self._dtype, self._indices_dtype, self._dense_shape_dtype, self._indices_shape)

    def is_compatible_with(self, other):
        if isinstance(other, IndexedSlices):
            other = other._type_spec
        return (isinstance(other, IndexedSlicesSpec) and other._dtype == self._dtype
                and other._indices_dtype == self._indices_dtype
                and self._shape.is_compatible_with(other._shape))

    def __eq__(self, other):
        return type(other) is type(self) and self._key() == other._key()

    def __hash__(self):
        return hash((IndexedSlicesSpec, repr(self)))

    def __repr__(self):
        ds = None if self._dense_shape_dtype is None else repr(self._dense_shape_dtype)
        return (f"IndexedSlicesSpec({self._shape!r}, {self._dtype!r}, {self._indices_dtype!r}, {ds}, "
                f"{self._indices_shape!r})")
