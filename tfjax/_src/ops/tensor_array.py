"""``tf.TensorArray``: a write-once list of same-dtype tensors.

Two representations, chosen by what is known:

* a Python list of Tensors when the size can grow (``dynamic_size=True``) or
  elements are not written in order — the eager/unrolled case;
* a preallocated buffer ``[size, *element_shape]`` once size and element shape
  are known, so that a TensorArray can be a loop variable of ``tf.while_loop``
  under ``tf.function`` (the buffer is the loop-carried value: ``flow``).

Like TF's, ``write`` returns a new TensorArray; use the returned one.
"""

from __future__ import annotations

import jax.numpy as jnp

from tfjax._src import dispatch
from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src.ops import convert
from tfjax._src.tensor import Tensor
from tfjax._src.tensor_shape import TensorShape


def _write_row(buf, i, v):
    return buf.at[i].set(v)


def _read_row(buf, i):
    return buf[i]


class TensorArray:
    """See ``tf.TensorArray``."""

    def __init__(self, dtype, size=None, dynamic_size=None, clear_after_read=None,
                 tensor_array_name=None, handle=None, flow=None, infer_shape=True,
                 element_shape=None, colocate_with_first_write_call=True, name=None):
        self._dtype = dtypes.as_dtype(dtype)
        self._dynamic_size = bool(dynamic_size)
        self._element_shape = TensorShape(element_shape) if element_shape is not None else TensorShape(None)
        self._size = None if size is None else convert.static_int(size, "TensorArray size")
        self._items = {}          # index -> Tensor (list mode)
        self._buffer = flow       # Tensor [size, *element_shape] (buffer mode)
        if (self._buffer is None and not self._dynamic_size and self._size is not None
                and self._element_shape.is_fully_defined()):
            self._buffer = Tensor(jnp.zeros((self._size,) + tuple(self._element_shape.as_list()), self._dtype._np))

    # -- properties -------------------------------------------------------------
    @property
    def dtype(self):
        return self._dtype

    @property
    def element_shape(self):
        return self._element_shape

    @property
    def dynamic_size(self):
        return self._dynamic_size

    @property
    def flow(self):
        """The buffer carried through loops (buffer mode)."""
        return self._buffer

    def _copy(self):
        new = TensorArray.__new__(TensorArray)
        new.__dict__.update(self.__dict__)
        new._items = dict(self._items)
        return new

    def size(self, name=None):
        if self._buffer is not None:
            return Tensor(jnp.asarray(self._buffer._value.shape[0], jnp.int32))
        n = max(self._items, default=-1) + 1
        return Tensor(jnp.asarray(max(n, self._size or 0), jnp.int32))

    # -- writes -------------------------------------------------------------------
    def write(self, index, value, name=None):
        v = convert.tensor(value, dtype_hint=self._dtype)
        if v.dtype is not self._dtype:
            raise TypeError(f"TensorArray dtype is {self._dtype.name} but op has dtype {v.dtype.name}.")
        if not self._element_shape.is_compatible_with(v.shape):
            raise ValueError(f"Inconsistent shapes: saw {v.shape} but expected {self._element_shape}")
        new = self._copy()
        new._element_shape = self._element_shape.merge_with(v.shape)
        idx = convert.tensor(index)
        if (new._buffer is None and not new._dynamic_size and new._size is not None
                and new._element_shape.is_fully_defined()):
            new._buffer = Tensor(jnp.zeros((new._size,) + tuple(new._element_shape.as_list()), new._dtype._np))
            for k, item in new._items.items():
                new._buffer = dispatch.apply(_write_row, new._buffer, Tensor(jnp.asarray(k, jnp.int32)), item)
            new._items = {}
        if new._buffer is not None:
            if convert.is_concrete(idx):
                i = int(idx._value)
                if not 0 <= i < new._buffer._value.shape[0]:
                    raise errors.OutOfRangeError(None, None, errors.op_message(
                        "TensorArrayWriteV3",
                        f"Tried to write to index {i} but array is not resizeable and size is: "
                        f"{new._buffer._value.shape[0]}"))
            new._buffer = dispatch.apply(_write_row, new._buffer, idx, v)
            return new
        i = convert.static_int(idx, "TensorArray index")
        if not self._dynamic_size and self._size is not None and not 0 <= i < self._size:
            raise errors.OutOfRangeError(None, None, errors.op_message(
                "TensorArrayWriteV3",
                f"Tried to write to index {i} but array is not resizeable and size is: {self._size}"))
        new._items[i] = v
        return new

    def unstack(self, value, name=None):
        v = convert.tensor(value, dtype_hint=self._dtype)
        new = TensorArray(self._dtype, size=v._value.shape[0], dynamic_size=self._dynamic_size,
                          element_shape=v.shape[1:])
        new._buffer = v
        return new

    def scatter(self, indices, value, name=None):
        from tfjax._src.ops import manip_ops  # noqa: PLC0415
        new = self
        for k, row in zip(convert.static_shape(indices), manip_ops.unstack(convert.tensor(value))):
            new = new.write(k, row)
        return new

    # -- reads ---------------------------------------------------------------------
    def read(self, index, name=None):
        idx = convert.tensor(index)
        if self._buffer is not None:
            return dispatch.apply(_read_row, self._buffer, idx)
        i = convert.static_int(idx, "TensorArray index")
        if i not in self._items:
            if self._element_shape.is_fully_defined():
                return Tensor(jnp.zeros(tuple(self._element_shape.as_list()), self._dtype._np))
            raise errors.invalid_argument(
                "TensorArrayReadV3", f"Could not read from TensorArray index {i}.  Furthermore, the element "
                "shape is not fully defined")
        return self._items[i]

    def stack(self, name=None):
        from tfjax._src.ops import manip_ops  # noqa: PLC0415
        if self._buffer is not None:
            return self._buffer
        n = int(self.size()._value)
        if n == 0:
            shape = (0,) + tuple(self._element_shape.as_list() if self._element_shape.is_fully_defined() else ())
            return Tensor(jnp.zeros(shape, self._dtype._np))
        return manip_ops.stack([self.read(i) for i in range(n)])

    def gather(self, indices, name=None):
        from tfjax._src.ops import array_ops  # noqa: PLC0415
        return array_ops.gather(self.stack(), indices)

    def concat(self, name=None):
        from tfjax._src.ops import manip_ops  # noqa: PLC0415
        n = int(self.size()._value)
        return manip_ops.concat([self.read(i) for i in range(n)], 0)

    def close(self, name=None):
        return None

    def identity(self):
        return self

    def mark_used(self):
        return None
