"""Python operators on Tensor and Variable, with TF's semantics.

Attached here, in one table, so ``tensor.py`` and ``variables.py`` stay free of
op logic. ``==`` is elementwise (TF2), falling back to identity for operands that
cannot be compared (``t == None`` is False).
"""

from __future__ import annotations

from tfjax._src import errors
from tfjax._src.ops import array_ops
from tfjax._src.ops import math_ops
from tfjax._src.tensor import Tensor
from tfjax._src.variables import Variable


def _reflect(fn):
    return lambda self, other: fn(other, self)


def _eq(self, other):
    try:
        return math_ops.equal(self, other)
    except (TypeError, ValueError, errors.InvalidArgumentError):
        return self is other


def _ne(self, other):
    try:
        return math_ops.not_equal(self, other)
    except (TypeError, ValueError, errors.InvalidArgumentError):
        return self is not other


def _logical_or_bitwise(logical, bitwise):
    def op(x, y):
        from tfjax._src.ops import convert  # noqa: PLC0415
        a, b = convert.binary(x, y, "LogicalAnd")
        return (logical if a.dtype.is_bool else bitwise)(a, b)
    return op


def _invert(x):
    from tfjax._src.ops import convert  # noqa: PLC0415
    x = convert.tensor(x)
    if x.dtype.is_bool:
        return math_ops.logical_not(x)
    from tfjax._src.ops import bitwise_ops  # noqa: PLC0415
    return bitwise_ops.invert(x)


def _bitwise(name):
    def op(x, y):
        from tfjax._src.ops import bitwise_ops  # noqa: PLC0415
        return getattr(bitwise_ops, name)(x, y)
    return op


_and = _logical_or_bitwise(math_ops.logical_and, _bitwise("bitwise_and"))
_or = _logical_or_bitwise(math_ops.logical_or, _bitwise("bitwise_or"))
_xor = _logical_or_bitwise(math_ops.logical_xor, _bitwise("bitwise_xor"))

OPERATORS = {
    "__add__": math_ops.add,
    "__radd__": _reflect(math_ops.add),
    "__sub__": math_ops.subtract,
    "__rsub__": _reflect(math_ops.subtract),
    "__mul__": math_ops.multiply,
    "__rmul__": _reflect(math_ops.multiply),
    "__truediv__": math_ops.truediv,
    "__rtruediv__": _reflect(math_ops.truediv),
    "__floordiv__": math_ops.floordiv,
    "__rfloordiv__": _reflect(math_ops.floordiv),
    "__mod__": math_ops.floormod,
    "__rmod__": _reflect(math_ops.floormod),
    "__pow__": math_ops.pow,
    "__rpow__": _reflect(math_ops.pow),
    "__matmul__": math_ops.matmul,
    "__rmatmul__": _reflect(math_ops.matmul),
    "__neg__": lambda self: math_ops.negative(self),
    "__pos__": lambda self: self if isinstance(self, Tensor) else self.value(),
    "__abs__": lambda self: math_ops.abs(self),
    "__invert__": _invert,
    "__and__": _and,
    "__rand__": _reflect(_and),
    "__or__": _or,
    "__ror__": _reflect(_or),
    "__xor__": _xor,
    "__rxor__": _reflect(_xor),
    "__lt__": math_ops.less,
    "__le__": math_ops.less_equal,
    "__gt__": math_ops.greater,
    "__ge__": math_ops.greater_equal,
    "__eq__": _eq,
    "__ne__": _ne,
}


def _install():
    for name, fn in OPERATORS.items():
        setattr(Tensor, name, fn)
        setattr(Variable, name, fn)
    Tensor.__getitem__ = array_ops.getitem


_install()
