"""Argument conversion with TensorFlow's rules, shared by every op.

TF never promotes between tensors: ``int32 + float32`` raises
``InvalidArgumentError``. A Python scalar or list adopts the dtype of the tensor
it meets (``f32 + 1`` is float32) unless its kind cannot (``i32 + 1.5`` raises);
a numpy array is cast to it (TF casts numpy inputs). These rules live here and
nowhere else.
"""

from __future__ import annotations

import jax
import numpy as np

from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src.tensor import Tensor, convert_to_tensor, to_array, _python_to_array
from tfjax._src.variables import Variable

_Tracer = jax.core.Tracer


def tensor(x, dtype=None, dtype_hint=None) -> Tensor:
    """Converts an op argument to a Tensor (Variables are read through the tape)."""
    if dtype is None and (type(x) is Tensor or isinstance(x, Tensor)):
        return x
    return convert_to_tensor(x, dtype=dtype, dtype_hint=dtype_hint)


def _is_tensorlike(x):
    return isinstance(x, (Tensor, Variable, jax.Array, _Tracer))


_TF_TYPE_NAMES = {"float32": "float", "float64": "double", "float16": "half"}


def tf_type_name(d) -> str:
    """TF's DataTypeString spelling used in kernel messages (float32 is "float")."""
    return _TF_TYPE_NAMES.get(d.name, d.name)


def _mismatch(op_name, index, expected, got):
    return errors.invalid_argument(
        op_name,
        f"cannot compute {op_name} as input #{index}(zero-based) was expected to be a "
        f"{tf_type_name(expected)} tensor but is a {tf_type_name(got)} tensor")


def _adopt(value, like: Tensor, op_name, index):
    """Converts a non-tensor operand to ``like``'s dtype, as TF's binary ops do."""
    target = dtypes.from_numpy(like._value.dtype)
    if isinstance(value, (np.ndarray, np.generic)):
        if value.dtype.kind in "OSU":
            return convert_to_tensor(value)
        return Tensor(np.asarray(value, dtype=target._np))
    # Python operands stay host-side numpy constants: a device transfer per
    # scalar would dominate eager ops such as ``x * 0.01``.
    t = type(value)
    if t is float and (target.is_floating or target.is_complex):
        return Tensor(np.asarray(value, dtype=target._np))
    if t is int and (target.is_floating or target.is_complex or (
            target.is_integer and target.min <= value <= target.max)):
        return Tensor(np.asarray(value, dtype=target._np))
    try:
        if isinstance(value, (list, tuple, bool, int, float, complex)):
            return Tensor(_python_to_array(value, target))
        return Tensor(to_array(value, dtype=target))
    except TypeError:
        other = convert_to_tensor(value)
        raise _mismatch(op_name, index, target, other.dtype) from None


def binary(x, y, op_name: str):
    """Converts the two operands of a binary op; returns two Tensors of one dtype."""
    tx, ty = type(x), type(y)
    if tx is Tensor and ty is Tensor:
        if x._value.dtype != y._value.dtype:
            raise _mismatch(op_name, 1, x.dtype, y.dtype)
        return x, y
    x_is, y_is = _is_tensorlike(x), _is_tensorlike(y)
    if x_is:
        x = tensor(x)
    if y_is:
        y = tensor(y)
    if x_is and y_is:
        if x._value.dtype != y._value.dtype:
            raise _mismatch(op_name, 1, x.dtype, y.dtype)
        return x, y
    if x_is:
        return x, _adopt(y, x, op_name, 1)
    if y_is:
        return _adopt(x, y, op_name, 0), y
    x = tensor(x)
    return x, _adopt(y, x, op_name, 1)


def same_dtype(values, op_name: str, dtype=None):
    """Converts a list of op arguments (e.g. for concat/stack) to one common dtype."""
    anchor = None
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
    for v in values:
        if _is_tensorlike(v):
            anchor = tensor(v)
            break
    out = []
    for i, v in enumerate(values):
        if _is_tensorlike(v):
            t = tensor(v)
        elif anchor is not None:
            t = _adopt(v, anchor, op_name, i)
        else:
            t = tensor(v, dtype=dtype)
        if dtype is not None and t.dtype is not dtype:
            raise TypeError(
                f"Tensors in list passed to '{op_name}' have types that don't match: expected "
                f"{dtype.name}, got {t.dtype.name}")
        out.append(t)
    if out:
        first = out[0]._value.dtype
        for i, t in enumerate(out):
            if t._value.dtype != first:
                raise errors.invalid_argument(
                    op_name,
                    f"cannot compute {op_name} as input #{i}(zero-based) was expected to be a "
                    f"{tf_type_name(dtypes.from_numpy(first))} tensor but is a {tf_type_name(t.dtype)} tensor")
    return out


def is_concrete(t: Tensor) -> bool:
    """True in eager mode (value known), False while traced by tf.function."""
    return not isinstance(t._value, _Tracer)


def axis_tuple(axis, rank: int):
    """Normalizes a TF ``axis`` argument (int, list, Tensor, None) to a sorted tuple or None."""
    if axis is None:
        return None
    if isinstance(axis, (Tensor, Variable)):
        axis = np.asarray(axis).tolist()
    if isinstance(axis, (list, tuple, np.ndarray)):
        axes = [int(a) for a in np.asarray(axis).reshape(-1)]
    else:
        axes = [int(axis)]
    out = []
    for a in axes:
        if not -rank <= a < max(rank, 1):
            raise errors.invalid_argument(
                "Reduce", f"Invalid reduction dimension {a} for input with {rank} dimensions.")
        out.append(a % rank if rank else 0)
    return tuple(sorted(set(out)))


def static_int(x, what="value"):
    """A concrete Python int from an int / scalar Tensor (shape arguments etc.)."""
    if isinstance(x, (Tensor, Variable)):
        v = x._value if isinstance(x, Tensor) else x._read_raw()
        if isinstance(v, _Tracer):
            try:
                return int(jax.core.concrete_or_error(None, v))
            except Exception:
                raise errors.SymbolicValueError(
                    f"{what} must be known when tf.function traces (got a symbolic tensor); "
                    "XLA needs static shapes.") from None
        return int(np.asarray(v))
    return int(x)


def static_shape(shape, what="shape"):
    """A concrete shape tuple from a list / TensorShape / 1-D int Tensor."""
    from tfjax._src.tensor_shape import TensorShape  # noqa: PLC0415
    if isinstance(shape, TensorShape):
        return tuple(shape.as_list())
    if isinstance(shape, (Tensor, Variable)):
        v = shape._value if isinstance(shape, Tensor) else shape._read_raw()
        if isinstance(v, _Tracer):
            raise errors.SymbolicValueError(f"{what} must be static under tf.function (XLA needs static shapes).")
        return tuple(int(d) for d in np.asarray(v).reshape(-1))
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    return tuple(static_int(d, what) if d is not None else None for d in shape)


def data_dependent(what: str, hint: str = "") -> TypeError:
    """The error for an op whose output shape depends on a symbolic (traced) value:
    tf.function runs that signature eagerly instead."""
    return errors.SymbolicValueError(
        f"{what} got a symbolic tensor inside tf.function, but its output shape depends on the "
        f"values (XLA needs static shapes){'; ' + hint if hint else ''}.")
