"""Dtype kinds shared by the ``tf.math`` op modules (math_ops, binary_ops, reduction_ops, ...).

Dtype checks use precomputed sets of numpy dtypes: ``x._value.dtype in ALLOWED``
is the whole cost of TF's kernel-registration check on the eager fast path.
"""

from __future__ import annotations

import numpy as np

from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src.tensor import Tensor


# -- dtype kinds as sets of numpy dtypes -------------------------------------------
_KINDS = {
    "float": [dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64],
    "complex": [dtypes.complex64, dtypes.complex128],
    "int": [dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64,
            dtypes.uint8, dtypes.uint16, dtypes.uint32, dtypes.uint64],
    "sint": [dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64],
    "bool": [dtypes.bool],
}
NUMERIC = ("float", "complex", "int")
REAL = ("float", "int")
FLOATC = ("float", "complex")
_SET_CACHE = {}


def kinds(allowed) -> frozenset:
    """The frozenset of numpy dtypes of the kinds named in ``allowed``."""
    key = tuple(allowed)
    s = _SET_CACHE.get(key)
    if s is None:
        s = frozenset(d._np for k in allowed for d in _KINDS[k])
        _SET_CACHE[key] = s
    return s


def bad_kind(dtype, op_name):
    name = dtypes.as_dtype(dtype).name if not (isinstance(dtype, np.dtype) and dtype == object) else "string"
    return errors.invalid_argument(op_name, f"Value for attr 'T' of {name} is not in the list of allowed values")


def _check_kind(x: Tensor, allowed, op_name):
    if x._value.dtype not in kinds(allowed):
        raise bad_kind(x._value.dtype, op_name)


def check(x: Tensor, allowed_set: frozenset, op_name):
    if x._value.dtype not in allowed_set:
        raise bad_kind(x._value.dtype, op_name)


def _keep_dtype(fn):
    """Wraps ``fn`` so its output has its first input's dtype (JAX may upcast)."""
    def wrapped(x, *rest):
        return fn(x, *rest).astype(x.dtype)
    wrapped.__name__ = getattr(fn, "__name__", "fn")
    return wrapped
