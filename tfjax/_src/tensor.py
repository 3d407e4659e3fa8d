"""``tf.Tensor``: an immutable value over a JAX array (or a JAX tracer).

A tfjax Tensor is a one-slot wrapper. The wrapper exists for three reasons:
TF's Python-level semantics differ from JAX's (``.shape`` is a TensorShape, no
implicit dtype promotion, eager bool/len rules); the gradient tape needs a
stable object identity per value; and string tensors (host-side numpy object
arrays) need the same type as numeric ones.

Operators (``+``, ``[]``, ``==``, …) are attached by ``tfjax._src.ops.operators``
so this module stays free of op logic.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src.tensor_shape import TensorShape

_Tracer = jax.core.Tracer


class Tensor:
    """A multi-dimensional array with a fixed dtype and shape (see ``tf.Tensor``)."""

    __slots__ = ("_value", "__weakref__")
    # Make numpy defer to our reflected operators (np_array + tensor -> Tensor).
    __array_priority__ = 100

    def __init__(self, value):
        self._value = value

    # -- metadata -----------------------------------------------------------
    @property
    def dtype(self) -> dtypes.DType:
        return dtypes.from_numpy(self._value.dtype)

    @property
    def shape(self) -> TensorShape:
        return TensorShape(self._value.shape)

    @property
    def ndim(self) -> int:
        return self._value.ndim

    def get_shape(self) -> TensorShape:
        return self.shape

    def set_shape(self, shape):
        if not self.shape.is_compatible_with(shape):
            raise ValueError(f"Tensor's shape {self.shape} is not compatible with supplied shape {TensorShape(shape)}.")

    @property
    def device(self) -> str:
        v = self._value
        if isinstance(v, jax.Array) and not isinstance(v, _Tracer):
            d = next(iter(v.devices()))
            return _tf_device_name(d)
        return "/job:localhost/replica:0/task:0/device:CPU:0"

    @property
    def name(self):
        raise AttributeError("Tensor.name is undefined when eager execution is enabled.")

    @property
    def is_symbolic(self) -> bool:
        """True while traced by ``tf.function`` (a graph tensor in TF terms)."""
        return isinstance(self._value, _Tracer)

    # -- conversion ----------------------------------------------------------
    def numpy(self):
        """A numpy copy of the value (eager only, as in TF)."""
        v = self._value
        if isinstance(v, _Tracer):
            raise NotImplementedError(
                "numpy() is only available when eager execution is enabled "
                "(this tensor is symbolic, inside tf.function).")
        if isinstance(v, np.ndarray):
            out = v.copy()
            return out if out.ndim else out[()]   # a scalar string is bytes, as in TF
        out = np.array(v)
        return out if out.ndim else out[()]

    def __array__(self, dtype=None, copy=None):
        v = self._value
        if isinstance(v, _Tracer):
            raise NotImplementedError(
                f"Cannot convert a symbolic tf.Tensor ({self.shape}, {self.dtype.name}) to a "
                "numpy array. This happens inside tf.function: use tf ops instead of numpy.")
        out = np.asarray(v)
        return out.astype(dtype) if dtype is not None else out

    def __jax_array__(self):
        return self._value

    def __bool__(self):
        v = self._value
        if isinstance(v, _Tracer):
            # Inside tf.function: tf.function catches this to fall back to eager.
            return bool(v)
        if v.size != 1:
            raise ValueError(
                "The truth value of an array with more than one element is ambiguous. "
                "Use a.any() or a.all()")
        return bool(v.reshape(()))

    def __len__(self):
        if not self._value.shape:
            raise TypeError("len() of unsized object")
        return self._value.shape[0]

    def __index__(self):
        v = self._value
        if v.ndim or not dtypes.from_numpy(v.dtype).is_integer:
            raise TypeError("Only integer scalar tensors can be converted to an index.")
        return self._python_scalar(int)

    def _python_scalar(self, kind):
        if isinstance(self._value, _Tracer):
            # tf.function catches this and runs the signature eagerly (AutoGraph's job in TF).
            raise errors.SymbolicValueError(
                f"{kind.__name__}() of a symbolic tensor ({self.shape}, {self.dtype.name}) inside tf.function")
        return kind(self.numpy())

    def __int__(self):
        return self._python_scalar(int)

    def __float__(self):
        return self._python_scalar(float)

    def __complex__(self):
        return self._python_scalar(complex)

    def __iter__(self):
        if not self._value.shape:
            raise TypeError("Cannot iterate over a scalar tensor.")
        from tfjax._src.ops import manip_ops  # noqa: PLC0415 - avoid import cycle
        return iter(manip_ops.unstack(self, axis=0))

    def __hash__(self):
        # TF tensors are unhashable when equality is elementwise (TF2 behaviour).
        raise TypeError("Tensor is unhashable. Instead, use tensor.ref() as the key.")

    def ref(self):
        return _Reference(self)

    def experimental_ref(self):
        return self.ref()

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return Tensor(self._value)

    def __reduce__(self):
        return convert_to_tensor, (self.numpy(),)

    def __repr__(self):
        v = self._value
        if isinstance(v, _Tracer):
            return f"<tf.Tensor '{type(v).__name__}' shape={self.shape} dtype={self.dtype.name}>"
        return f"<tf.Tensor: shape={self.shape}, dtype={self.dtype.name}, numpy={numpy_repr(v)}>"

    def __str__(self):
        v = self._value
        if isinstance(v, _Tracer):
            return repr(self)
        text = str(np.asarray(v))
        if "\n" in text:
            text = "\n" + text
        return f"tf.Tensor({text}, shape={self.shape}, dtype={self.dtype.name})"

    def __format__(self, spec):
        # As TF: format the numpy value (f"{t}" of an array is numpy's text).
        if isinstance(self._value, _Tracer):
            return format(repr(self), spec)
        return format(self.numpy(), spec)


def numpy_repr(value) -> str:
    """How TF shows a value inside reprs: Python scalars' repr, numpy's for arrays; a multi-line
    array starts on its own line so its rows stay aligned."""
    arr = np.asarray(value)
    text = repr(arr.item()) if arr.ndim == 0 else np.array_repr(arr)
    return "\n" + text if "\n" in text else text


class _Reference:
    """A hashable handle on a tensor (``tensor.ref()``), compared by identity."""

    __slots__ = ("_t",)

    def __init__(self, t):
        self._t = t

    def deref(self):
        return self._t

    def __hash__(self):
        return id(self._t)

    def __eq__(self, other):
        return isinstance(other, _Reference) and other._t is self._t


def _tf_device_name(d) -> str:
    kind = {"cpu": "CPU", "gpu": "GPU", "cuda": "GPU", "rocm": "GPU", "tpu": "TPU"}.get(d.platform, d.platform.upper())
    local = jax.local_devices(backend=d.platform)
    index = local.index(d) if d in local else d.id
    return f"/job:localhost/replica:0/task:{d.process_index}/device:{kind}:{index}"


jax.tree_util.register_pytree_node(
    Tensor, lambda t: ((t._value,), None), lambda _, c: Tensor(c[0]))


# ---------------------------------------------------------------------------
# Conversion (tf.convert_to_tensor / tf.constant)
# ---------------------------------------------------------------------------

def is_tensor(x) -> bool:
    from tfjax._src.variables import Variable  # noqa: PLC0415
    return isinstance(x, (Tensor, Variable))


def _to_string_array(value):
    arr = np.array(value, dtype=object)
    flat = arr.reshape(-1)
    for i, e in enumerate(flat):
        if isinstance(e, str):
            flat[i] = e.encode("utf-8")
        elif not isinstance(e, bytes):
            raise TypeError(f"Failed to convert elements of {value!r} to Tensor: expected str or bytes, got {e!r}.")
    return arr


def _cannot_convert(value, dtype):
    return TypeError(f"Cannot convert {value!r} to EagerTensor of dtype {dtypes.as_dtype(dtype).name}")


def _python_to_array(value, dtype: dtypes.DType | None):
    """Converts Python scalars / nested lists with TF's inference and checks."""
    if dtype is not None and isinstance(value, (list, tuple)) and next(_flatten_nested(value), None) is None:
        # No elements: any requested dtype fits (tf.constant([], tf.int32)).
        return np.empty(np.shape(value), dtype=object if dtype is dtypes.string else dtype._np)
    inferred = dtypes.infer_python_dtype(value)
    if inferred is dtypes.string:
        if dtype is not None and dtype is not dtypes.string:
            raise _cannot_convert(value, dtype)
        return _to_string_array(value)
    if dtype is None:
        dtype = inferred
    elif dtype is dtypes.string:
        raise _cannot_convert(value, dtype)
    elif inferred.is_floating and not (dtype.is_floating or dtype.is_complex):
        raise _cannot_convert(value, dtype)
    elif inferred.is_complex and not dtype.is_complex:
        raise _cannot_convert(value, dtype)
    elif inferred is dtypes.bool and dtype is not dtypes.bool:
        raise _cannot_convert(value, dtype)
    elif inferred.is_integer and dtype is dtypes.bool:
        raise _cannot_convert(value, dtype)
    try:
        arr = np.array(value, dtype=dtype._np)
    except OverflowError:
        raise _cannot_convert(value, dtype) from None
    except ValueError as e:  # ragged nested lists
        raise ValueError(f"Can't convert non-rectangular Python sequence to Tensor. ({e})") from None
    if dtype.is_integer and not isinstance(value, np.ndarray):
        # numpy wraps silently on some paths; TF refuses out-of-range literals.
        check = np.array(value, dtype=object)
        lo, hi = dtype.min, dtype.max
        if check.size and any(not (lo <= int(e) <= hi) for e in check.reshape(-1)):
            raise _cannot_convert(value, dtype)
    return arr


def to_array(value, dtype=None, dtype_hint=None):
    """Converts ``value`` to the raw array (jax.Array, tracer, or numpy object array).

    This is the single conversion routine behind ``tf.convert_to_tensor``,
    ``tf.constant`` and the implicit conversion of op arguments.
    """
    from tfjax._src.variables import Variable  # noqa: PLC0415
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
    if isinstance(value, Tensor):
        v = value._value
        if type(v) is np.ndarray and v.dtype != object:
            v = jnp.asarray(v)   # host-side (tf.data) tensors become device arrays here
    elif isinstance(value, Variable):
        v = value._read_array()
    elif isinstance(value, (jax.Array, _Tracer)):
        v = value
    elif isinstance(value, (np.ndarray, np.generic)):
        if value.dtype.kind in "OSU":
            return _to_string_array(value)
        target = dtype or (dtypes.as_dtype(dtype_hint) if dtype_hint is not None else None)
        if target is not None and target is not dtypes.string:
            # numpy inputs adopt the requested dtype (TF casts them).
            return jnp.asarray(np.asarray(value).astype(target._np))
        return jnp.asarray(value)
    else:
        if hasattr(value, "__tf_tensor__"):
            return to_array(value.__tf_tensor__(dtype), dtype)
        if isinstance(value, (list, tuple)) and any(is_tensor(e) for e in _flatten_nested(value)):
            from tfjax._src.ops import manip_ops  # noqa: PLC0415
            return to_array(manip_ops.stack([convert_to_tensor(e, dtype) for e in value]), dtype)
        if isinstance(value, TensorShape):
            value = value.as_list()
        if dtype is None and dtype_hint is not None:
            try:
                arr = _python_to_array(value, dtypes.as_dtype(dtype_hint))
            except (TypeError, ValueError):
                arr = _python_to_array(value, None)
        else:
            arr = _python_to_array(value, dtype)
        return arr if arr.dtype == object else jnp.asarray(arr)
    if dtype is not None and dtypes.from_numpy(v.dtype) is not dtype:
        raise ValueError(
            f"Tensor conversion requested dtype {dtype.name} for Tensor with dtype "
            f"{dtypes.from_numpy(v.dtype).name}: {Tensor(v)!r}")
    return v


def _flatten_nested(x):
    if isinstance(x, (list, tuple)):
        for e in x:
            yield from _flatten_nested(e)
    else:
        yield x


def convert_to_tensor(value, dtype=None, dtype_hint=None, name=None) -> Tensor:
    """``tf.convert_to_tensor``: Tensors pass through; Variables are read."""
    if dtype is None and (type(value) is Tensor or isinstance(value, Tensor)):
        return value  # subclasses (e.g. a variable slice) keep their identity for the tape
    from tfjax._src.variables import Variable  # noqa: PLC0415
    if isinstance(value, Variable):
        t = value.value()
        if dtype is not None and dtypes.as_dtype(dtype) != value.dtype:
            raise ValueError(
                f"Tensor conversion requested dtype {dtypes.as_dtype(dtype).name} for "
                f"Tensor with dtype {value.dtype.name}")
        return t
    if hasattr(type(value), "__tf_tensor__") and not isinstance(value, (np.ndarray, np.generic)):
        # Composite values (IndexedSlices) convert through their own op, which the tape records.
        t = value.__tf_tensor__(dtype)
        if isinstance(t, Tensor):
            return t
    if _conversion_hook is not None:  # tf.register_tensor_conversion_function was used
        t = _conversion_hook(value, dtype)
        if t is not None:
            return t
    return Tensor(to_array(value, dtype, dtype_hint))


_conversion_hook = None  # set by tf.register_tensor_conversion_function (ops/api_extras.py)


def constant(value, dtype=None, shape=None, name="Const") -> Tensor:
    """``tf.constant``: unlike convert_to_tensor, casts Tensors/arrays to ``dtype``."""
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
    if isinstance(value, Tensor) or (hasattr(value, "dtype") and not isinstance(value, (np.ndarray, np.generic))):
        arr = to_array(value)
        if dtype is not None and dtypes.from_numpy(arr.dtype) is not dtype:
            arr = arr.astype(dtype._np)
    else:
        arr = to_array(value, dtype)
    if shape is not None:
        shape = tuple(TensorShape(shape).as_list())
        size = int(np.prod(shape)) if shape else 1
        if arr.size == 1 and size != 1:
            arr = (np.broadcast_to(arr.reshape(()), shape).copy() if isinstance(arr, np.ndarray)
                   else jnp.broadcast_to(arr.reshape(()), shape))
        elif arr.size == size:
            arr = arr.reshape(shape)
        else:
            raise TypeError(
                f"Eager execution of tf.constant with unsupported shape. Tensor {value!r} "
                f"(converted from {value!r}) has {arr.size} elements, but got `shape` "
                f"{shape} with {size} elements).")
    return Tensor(arr)


def value_of(x):
    """The underlying JAX array of a Tensor/Variable/array-like (the documented accessor)."""
    return to_array(x)


def raise_if_string(t: Tensor, op: str):
    if t._value.dtype == object:
        raise errors.invalid_argument(op, f"Value for attr 'T' of string is not in the list of allowed values")
