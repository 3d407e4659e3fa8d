"""Hypothesis strategies for the differential op tests: small shapes, TF-valid dtypes."""

from __future__ import annotations

import numpy as np
import hypothesis.strategies as st
from hypothesis.extra import numpy as hnp

FLOATS = ("float32", "float64")
INTS = ("int32", "int64")
SINTS = ("int8", "int16", "int32", "int64")
UINTS = ("uint8", "uint16", "uint32", "uint64")

SHAPE = hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4)
SHAPE1 = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4)
SHAPE2 = hnp.array_shapes(min_dims=2, max_dims=3, min_side=1, max_side=4)
VEC = hnp.array_shapes(min_dims=1, max_dims=1, min_side=1, max_side=6)


def _elements(dtype, lo, hi):
    d = np.dtype(dtype)
    if d.kind == "f":
        w = 32 if d.itemsize <= 4 else 64
        if w == 32:
            lo, hi = float(np.float32(lo)), float(np.float32(hi))
        return st.floats(lo, hi, width=w, allow_nan=False, allow_infinity=False)
    if d.kind in "iu":
        info = np.iinfo(d)
        return st.integers(max(int(lo), int(info.min)), min(int(hi), int(info.max)))
    if d.kind == "b":
        return st.booleans()
    if d.kind == "c":
        part = st.floats(lo, hi, width=32 if d.itemsize <= 8 else 64, allow_nan=False)
        return st.builds(complex, part, part)
    raise ValueError(dtype)


def arr(dtype, shape=SHAPE, lo=-5, hi=5):
    """One array of ``dtype`` (a name or a strategy of names)."""
    dts = st.just(dtype) if isinstance(dtype, str) else dtype
    return dts.flatmap(lambda d: hnp.arrays(np.dtype(d), shape, elements=_elements(d, lo, hi)))


def arrs(n, dtypes=FLOATS, shape=SHAPE, lo=-5, hi=5, broadcast=False):
    """``n`` arrays of one dtype drawn from ``dtypes``, of one shape (or mutually broadcastable)."""
    @st.composite
    def build(draw):
        d = draw(st.sampled_from(dtypes))
        if broadcast:
            shapes = draw(hnp.mutually_broadcastable_shapes(num_shapes=n, max_dims=3, max_side=3)).input_shapes
        else:
            s = draw(shape)
            shapes = [s] * n
        return tuple(draw(hnp.arrays(np.dtype(d), sh, elements=_elements(d, lo, hi))) for sh in shapes)
    return build()


def one(dtypes=FLOATS, shape=SHAPE, lo=-5, hi=5):
    return arrs(1, dtypes, shape, lo, hi)


def axis_for(shape_strategy=SHAPE1):
    """(array, axis) with a valid axis (possibly negative)."""
    return shape_strategy.flatmap(lambda s: st.tuples(st.just(s), st.integers(-len(s), len(s) - 1)))
