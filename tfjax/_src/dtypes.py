"""TensorFlow's dtype model on top of numpy/JAX dtypes.

TensorFlow never promotes implicitly between tensors, infers Python literals in
its own way (``2**40`` is int64, ``1.0`` is float32) and has real 64-bit types.
tfjax therefore turns on ``jax_enable_x64`` at import and gives every value an
explicit dtype itself, so JAX's own defaults and weak-type promotion never decide
a dtype. The x64 policy is described in docs/design.md.
"""

from __future__ import annotations

import builtins
import numbers

import jax
import ml_dtypes
import numpy as np

jax.config.update("jax_enable_x64", True)

__all__ = [
    "DType", "as_dtype", "infer_python_dtype",
]


class DType:
    """A TensorFlow data type, comparable with numpy dtypes as in TF."""

    __slots__ = ("_np", "_name", "_enum")

    def __init__(self, np_dtype, name: str, enum: int):
        self._np = np.dtype(np_dtype) if np_dtype is not None else None
        self._name = name
        self._enum = enum

    # -- identity -----------------------------------------------------------
    @property
    def name(self) -> str:
        return self._name

    @property
    def as_numpy_dtype(self):
        return self._np.type if self._np is not None else object

    @property
    def as_datatype_enum(self) -> int:
        return self._enum

    @property
    def base_dtype(self) -> "DType":
        return self

    @property
    def real_dtype(self) -> "DType":
        if self is complex64:
            return float32
        if self is complex128:
            return float64
        return self

    @property
    def size(self) -> int:
        return self._np.itemsize if self._np is not None else 8

    # -- categories ---------------------------------------------------------
    @property
    def is_floating(self) -> bool:
        return self in _FLOATING

    @property
    def is_integer(self) -> bool:
        return self in _INTEGER

    @property
    def is_unsigned(self) -> bool:
        return self in (uint8, uint16, uint32, uint64)

    @property
    def is_complex(self) -> bool:
        return self in (complex64, complex128)

    @property
    def is_bool(self) -> bool:
        return self is bool

    @property
    def is_numeric(self) -> bool:
        return self.is_floating or self.is_integer or self.is_complex

    @property
    def is_quantized(self) -> bool:
        return False

    @property
    def min(self):
        if self.is_floating:
            return float(ml_dtypes.finfo(self._np).min)
        if self.is_integer:
            return int(np.iinfo(self._np).min)
        if self is bool:
            return False
        raise TypeError(f"Cannot find minimum value of {self}.")

    @property
    def max(self):
        if self.is_floating:
            return float(ml_dtypes.finfo(self._np).max)
        if self.is_integer:
            return int(np.iinfo(self._np).max)
        if self is bool:
            return True
        raise TypeError(f"Cannot find maximum value of {self}.")

    @property
    def limits(self):
        return (self.min, self.max)

    def is_compatible_with(self, other) -> bool:
        return self == as_dtype(other)

    # -- comparison with numpy dtypes / strings, as TF allows ---------------
    def __eq__(self, other):
        if other is self:
            return True
        if other is None:
            return False
        try:
            return as_dtype(other) is self
        except TypeError:
            return False

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return self._enum

    def __repr__(self):
        return f"tf.{self._name}"

    def __str__(self):
        return f"<dtype: '{self._name}'>"

    def __reduce__(self):
        return as_dtype, (self._name,)


def _make(np_dtype, name, enum):
    return DType(np_dtype, name, enum)


# Enum values are TensorFlow's DataType proto numbers, so serialized files agree.
float16 = half = _make(np.float16, "float16", 19)
float32 = _make(np.float32, "float32", 1)
float64 = double = _make(np.float64, "float64", 2)
bfloat16 = _make(ml_dtypes.bfloat16, "bfloat16", 14)
int8 = _make(np.int8, "int8", 6)
int16 = _make(np.int16, "int16", 5)
int32 = _make(np.int32, "int32", 3)
int64 = _make(np.int64, "int64", 9)
uint8 = _make(np.uint8, "uint8", 4)
uint16 = _make(np.uint16, "uint16", 17)
uint32 = _make(np.uint32, "uint32", 22)
uint64 = _make(np.uint64, "uint64", 23)
bool = _make(np.bool_, "bool", 10)  # noqa: A001 - TF's own name
complex64 = _make(np.complex64, "complex64", 8)
complex128 = _make(np.complex128, "complex128", 18)
string = _make(None, "string", 7)
# Types TF defines that have no JAX meaning; kept so code naming them imports.
resource = _make(None, "resource", 20)
variant = _make(None, "variant", 21)
qint8 = _make(None, "qint8", 11)
quint8 = _make(None, "quint8", 12)
qint32 = _make(None, "qint32", 13)

_FLOATING = frozenset([float16, float32, float64, bfloat16])
_INTEGER = frozenset([int8, int16, int32, int64, uint8, uint16, uint32, uint64])

_ALL = [float16, float32, float64, bfloat16, int8, int16, int32, int64, uint8,
        uint16, uint32, uint64, bool, complex64, complex128, string, resource,
        variant, qint8, quint8, qint32]

_BY_NAME = {d.name: d for d in _ALL}
_BY_NAME.update({"half": float16, "double": float64, "bool_": bool, "str": string,
                 "bytes": string, "object": string})
_BY_NP = {d._np: d for d in _ALL if d._np is not None}
_BY_ENUM = {d._enum: d for d in _ALL}
_BY_PYTYPE = {float: float32, int: int32, complex: complex128, np.bool_: bool,
              builtins.bool: bool,
              str: string, bytes: string, object: string}


def as_dtype(type_value) -> DType:
    """Converts ``type_value`` (DType, numpy dtype, name, enum, Python type) to a DType."""
    if isinstance(type_value, DType):
        return type_value
    if isinstance(type_value, np.dtype):
        d = _BY_NP.get(type_value)
        if d is not None:
            return d
        if type_value.kind in "OSU":
            return string
    elif isinstance(type_value, str):
        d = _BY_NAME.get(type_value)
        if d is not None:
            return d
    elif isinstance(type_value, numbers.Integral) and not isinstance(type_value, type):
        d = _BY_ENUM.get(int(type_value))
        if d is not None:
            return d
    elif isinstance(type_value, type):
        d = _BY_PYTYPE.get(type_value)
        if d is not None:
            return d
        try:
            return as_dtype(np.dtype(type_value))
        except TypeError:
            pass
    elif hasattr(type_value, "dtype") and isinstance(getattr(type_value, "dtype"), np.dtype):
        # e.g. jax's scalar type objects (jnp.float32)
        return as_dtype(type_value.dtype)
    else:
        try:
            return as_dtype(np.dtype(type_value))
        except TypeError:
            pass
    raise TypeError(f"Cannot convert {type_value!r} to a dtype.")


def from_numpy(np_dtype) -> DType:
    """Fast path used on every tensor's ``.dtype``."""
    d = _BY_NP.get(np_dtype)
    if d is None:
        d = as_dtype(np_dtype)
    return d


_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1


def _is_int(x):
    return isinstance(x, (int, np.integer)) and not isinstance(x, (builtins.bool, np.bool_))


def infer_python_dtype(value) -> DType:
    """The dtype ``tf.constant(value)`` gives a Python scalar or nested list.

    Floats win over ints; an int outside int32's range makes the whole value int64,
    and one outside int64's range is rejected (as TF does).
    """
    kinds = set()
    big = [False]

    def walk(v):
        if isinstance(v, (list, tuple)):
            for e in v:
                walk(e)
            return
        if isinstance(v, (np.ndarray, np.generic)):
            kinds.add(("np", as_dtype(v.dtype)))
        elif isinstance(v, builtins.bool):
            kinds.add("b")
        elif _is_int(v):
            kinds.add("i")
            if not (_INT32_MIN <= v <= _INT32_MAX):
                big[0] = True
        elif isinstance(v, (float, np.floating)):
            kinds.add("f")
        elif isinstance(v, (complex, np.complexfloating)):
            kinds.add("c")
        elif isinstance(v, (str, bytes)):
            kinds.add("s")
        elif hasattr(v, "dtype") and hasattr(v, "shape"):
            kinds.add(("np", as_dtype(v.dtype)))
        else:
            raise TypeError(f"Cannot convert {v!r} (type {type(v).__name__}) to a Tensor.")

    walk(value)
    np_kinds = [k[1] for k in kinds if isinstance(k, tuple)]
    if np_kinds:
        return np_kinds[0]
    if "s" in kinds:
        if len(kinds) > 1:
            raise TypeError(f"Cannot convert {value!r} to a Tensor: mixed strings and numbers.")
        return string
    if "c" in kinds:
        return complex128
    if "f" in kinds:
        return float32
    if "i" in kinds:
        return int64 if big[0] else int32
    if "b" in kinds:
        return bool
    return float32  # empty list: TF gives float32
