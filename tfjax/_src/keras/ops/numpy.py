"""``keras.ops.numpy``: the numpy-like ``keras.ops`` (see :mod:`.core`), gathered from the modules next to this one.

:mod:`.numpy_elementwise` (math, comparisons, logical ops), :mod:`.numpy_reductions`, :mod:`.numpy_shape`
(shape manipulation, indexing, sorting), :mod:`.numpy_linalg`, :mod:`.numpy_creation` and
:mod:`.numpy_windows`; their shared helpers are in :mod:`.numpy_base`. Layers and ``keras.ops`` use this module
as one namespace (``N.<op>``).
"""

from __future__ import annotations

from tfjax._src.keras.ops.numpy_elementwise import (  # noqa: F401
    abs, absolute, negative, exp, exp2, expm1, log, log1p, log2, log10, sqrt, square, sin, cos, tan, arcsin,
    arccos, arctan, sinh, cosh, tanh, arcsinh, arccosh, arctanh, floor, ceil, sign, reciprocal, logical_not,
    isnan, isinf, isfinite, real, imag, conj, conjugate, trunc, add, subtract, multiply, power, maximum,
    minimum, mod, floor_divide, arctan2, equal, not_equal, less, less_equal, greater, greater_equal,
    logical_and, logical_or, logical_xor, bitwise_and, bitwise_or, bitwise_xor, divide, true_divide,
    divide_no_nan, clip, round, nan_to_num, logaddexp, isclose, diff, digitize, sqrt_safe, select, erf, erfinv,
    rsqrt,
    allclose, angle, bitwise_invert, bitwise_left_shift, bitwise_not, bitwise_right_shift, cbrt, deg2rad, erfc,
    fabs, fmax, fmin, fmod, gcd, heaviside, hypot, i0, isin, isneginf, isposinf, isreal, lcm, ldexp, left_shift,
    logaddexp2, nextafter, rad2deg, right_shift, signbit, sinc, vectorize,
)
from tfjax._src.keras.ops.numpy_reductions import (  # noqa: F401
    sum, prod, mean, max, amax, min, amin, any, all, var, std, logsumexp, argmax, argmin, cumsum, cumprod,
    count_nonzero, bincount, quantile, median, average,
    corrcoef, histogram, nanargmax, nanargmin, nancumprod, nancumsum, nanmax, nanmean, nanmedian, nanmin,
    nanpercentile, nanprod, nanquantile, nanstd, nansum, nanvar, percentile, ptp, trapezoid,
)
from tfjax._src.keras.ops.numpy_shape import (  # noqa: F401
    reshape, transpose, expand_dims, squeeze, concatenate, concat, stack, unstack, split, tile, repeat,
    broadcast_to, moveaxis, swapaxes, flip, roll, pad, ravel, take, take_along_axis, where, sort, argsort, size,
    ndim, hstack, vstack, append, nonzero, slice, slice_update, scatter, scatter_update, gather_nd,
    argpartition, array_split, dsplit, dstack, fliplr, flipud, get_item, hsplit, rot90, searchsorted, unique,
    unravel_index, view, vsplit,
)
from tfjax._src.keras.ops.numpy_linalg import (  # noqa: F401
    matmul, dot, tensordot, einsum, outer, triu, tril, diag, trace, norm, cross, vdot, inner, expm,
    correlate, diagflat, diagonal, kron, slogdet,
)
from tfjax._src.keras.ops.numpy_creation import (  # noqa: F401
    zeros, ones, full, zeros_like, ones_like, full_like, arange, eye, identity, tri, linspace, array, copy,
    meshgrid, empty,
    empty_like, geomspace, logspace, vander,
)
from tfjax._src.keras.ops.numpy_windows import (  # noqa: F401
    bartlett, blackman, hamming, hanning, kaiser,
)
from tfjax._src.keras.ops.numpy_base import _fdtype  # noqa: F401 - used by keras.ops.nn
# The op-building helpers were importable from here before the split (control_flow uses
# ``convert_to_tensor`` through this namespace).
from tfjax._src.keras.ops.core import (  # noqa: F401
    apply, apply_unrecorded, keras_op, t, t1, cast, np_dtype, convert_to_tensor, stack_list,
)
