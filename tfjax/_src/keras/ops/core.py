"""Infrastructure of ``keras.ops``: argument conversion, dispatch, symbolic (KerasTensor) calls.

Every op converts its arguments to tfjax Tensors (Variables are read through
``Variable.value()`` so tapes see the read) and runs through
``tfjax._src.dispatch.apply`` with a module-level JAX function, so GradientTape
records it and ``tf.function`` traces it like any other tfjax op. When an
argument is a :class:`KerasTensor` (functional model construction), the op is
not run: a graph node is recorded and its output spec inferred with
``jax.eval_shape``.
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import numpy as np

from tfjax._src import dispatch
from tfjax._src import dtypes as tf_dtypes
from tfjax._src import nest
from tfjax._src.tensor import Tensor, convert_to_tensor as _tf_convert
from tfjax._src.variables import Variable
from tfjax._src.keras import backend

apply = dispatch.apply
apply_unrecorded = dispatch.apply_unrecorded


def _is_kt(x):
    from tfjax._src.keras.keras_tensor import KerasTensor  # noqa: PLC0415
    return isinstance(x, KerasTensor)


def any_symbolic(args, kwargs=None):
    from tfjax._src.keras.keras_tensor import KerasTensor  # noqa: PLC0415
    for a in args:
        if isinstance(a, KerasTensor):
            return True
        if isinstance(a, (list, tuple)):
            for b in a:
                if isinstance(b, KerasTensor):
                    return True
                if isinstance(b, (list, tuple, dict)) and any_symbolic([b]):
                    return True
        elif isinstance(a, dict) and any_symbolic(list(a.values())):
            return True
    if kwargs:
        return any_symbolic(list(kwargs.values()))
    return False


def keras_op(fn):
    """Decorator: run ``fn`` eagerly/traced, or record a symbolic node on KerasTensors."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if any_symbolic(args, kwargs):
            from tfjax._src.keras.keras_tensor import symbolic_call  # noqa: PLC0415
            return symbolic_call(fn, args, kwargs)
        return fn(*args, **kwargs)

    wrapper._raw = fn
    return wrapper


# -- conversion ----------------------------------------------------------------

_PY_SCALARS = (bool, int, float, complex)


def tf_dtype(dtype):
    if dtype is None:
        return None
    return tf_dtypes.as_dtype(backend.standardize_dtype(dtype))


def np_dtype(dtype):
    return tf_dtype(dtype)._np


def t(x, dtype=None):
    """Converts ``x`` to a Tensor (Python scalars stay weakly typed)."""
    if type(x) is Tensor:
        if dtype is not None:
            d = np_dtype(dtype)
            if x._value.dtype != d:
                return cast(x, dtype)
        return x
    if isinstance(x, Variable):
        x = x.value()
        return x if dtype is None else t(x, dtype)
    if isinstance(x, Tensor):   # subclasses (variable reads): keep identity so tapes stay connected
        if dtype is not None and x._value.dtype != np_dtype(dtype):
            return cast(x, dtype)
        return x
    if isinstance(x, _PY_SCALARS):
        if dtype is not None:
            return Tensor(jnp.asarray(x, dtype=np_dtype(dtype)))
        return Tensor(jnp.asarray(x))   # weak-typed: adopts the other operand's dtype
    if isinstance(x, (jax.Array, jax.core.Tracer)):
        return Tensor(x) if dtype is None else t(Tensor(x), dtype)
    if hasattr(x, "__tf_tensor__"):
        return t(x.__tf_tensor__(), dtype)
    if isinstance(x, (list, tuple)):
        flat = nest.flatten(x)
        if any(isinstance(e, (Tensor, Variable, jax.Array)) and not isinstance(e, np.ndarray) for e in flat):
            return stack_list([t(e) for e in x], dtype)
    return convert_to_tensor(x, dtype)


def stack_list(ts, dtype=None):
    ts = [t(e, dtype) for e in ts]
    if dtype is None:
        rt = jnp.result_type(*[e._value for e in ts])
        ts = [e if e._value.dtype == rt else cast(e, rt) for e in ts]
    return apply(_stack, *ts, axis=0)


def _stack(*xs, axis):
    return jnp.stack(xs, axis=axis)


def t1(x, dtype=None):
    """Like :func:`t` but Python scalars become strongly typed (floatx / int32)."""
    if isinstance(x, _PY_SCALARS) and dtype is None:
        if isinstance(x, bool):
            return Tensor(jnp.asarray(x))
        if isinstance(x, int):
            return Tensor(jnp.asarray(x, dtype=np.int32))
        if isinstance(x, float):
            return Tensor(jnp.asarray(x, dtype=np_dtype(backend.floatx())))
    return t(x, dtype)


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    if isinstance(x, (Tensor, Variable)) and dtype is None:
        return t(x)
    if isinstance(x, (Tensor, Variable)):
        return t(x, dtype)
    if isinstance(x, np.ndarray) or isinstance(x, np.generic):
        arr = np.asarray(x)
        if arr.dtype.kind in "OSU":
            return _tf_convert(arr)
        if dtype is not None:
            arr = arr.astype(np_dtype(dtype))
        return Tensor(jnp.asarray(arr))
    if isinstance(x, (jax.Array, jax.core.Tracer)):
        return t(x, dtype)
    if dtype is None:
        arr = np.asarray(x)
        if arr.dtype == np.float64:
            arr = arr.astype(np_dtype(backend.floatx()))
        elif arr.dtype == np.int64:
            arr = arr.astype(np.int32)
        if arr.dtype.kind in "OSU":
            return _tf_convert(x)
        return Tensor(jnp.asarray(arr))
    return Tensor(jnp.asarray(np.asarray(x, dtype=np_dtype(dtype))))


def _cast(x, *, dtype):
    return x.astype(dtype)


def cast(x, dtype):
    if _is_kt(x):
        from tfjax._src.keras.keras_tensor import symbolic_call  # noqa: PLC0415
        return symbolic_call(cast, (x, dtype), {})
    x = t(x)
    d = np.dtype(dtype) if isinstance(dtype, np.dtype) else np_dtype(dtype)
    if x._value.dtype == d:
        return x
    return apply(_cast, x, dtype=d)


def dtype_of(x):
    return backend.standardize_dtype(x.dtype)


def static_shape(x):
    s = x.shape
    if hasattr(s, "as_list"):
        return tuple(s.as_list())
    return tuple(s)


def result_type(*dts):
    ds = []
    for d in dts:
        if isinstance(d, (int,)) and not isinstance(d, bool):
            ds.append(d)
        elif isinstance(d, float):
            ds.append(d)
        else:
            ds.append(np_dtype(d) if not isinstance(d, np.dtype) else d)
    return backend.standardize_dtype(jnp.result_type(*ds))


def shape(x):
    """``ops.shape``: a tuple of ints (None for unknown dims of KerasTensors)."""
    s = static_shape(x)
    return s


def is_tensor(x):
    return isinstance(x, (Tensor, Variable))


def convert_to_numpy(x):
    if isinstance(x, (Tensor, Variable)):
        return np.asarray(x)
    return np.asarray(x)


def stop_gradient(x):
    from tfjax._src.ops import array_ops  # noqa: PLC0415
    return array_ops.stop_gradient(t(x))
