"""``tf.keras.ops.numpy``."""

from tfjax._src.keras.ops.numpy import (  # noqa: F401
    abs, absolute, add, all, amax, amin, any, append, arange, arccos, arccosh, arcsin, arcsinh, arctan, arctan2,
    arctanh, argmax, argmin, argsort, array, average, bincount, bitwise_and, bitwise_or, bitwise_xor,
    broadcast_to, ceil, clip, concatenate, conj, conjugate, copy, cos, cosh, count_nonzero, cross, cumprod,
    cumsum, diag, diff, digitize, divide, divide_no_nan, dot, einsum, empty, equal, exp, exp2, expand_dims,
    expm1, eye, flip, floor, floor_divide, full, full_like, greater, greater_equal, hstack, identity, imag,
    inner, isclose, isfinite, isinf, isnan, less, less_equal, linspace, log, log10, log1p, log2, logaddexp,
    logical_and, logical_not, logical_or, logical_xor, matmul, max, maximum, mean, median, meshgrid, min,
    minimum, mod, moveaxis, multiply, nan_to_num, ndim, negative, nonzero, not_equal, ones, ones_like, outer,
    pad, power, prod, quantile, ravel, real, reciprocal, repeat, reshape, roll, round, select, sign, sin, sinh,
    size, sort, split, sqrt, square, squeeze, stack, std, subtract, sum, swapaxes, take, take_along_axis, tan,
    tanh, tensordot, tile, trace, transpose, tri, tril, triu, true_divide, trunc, var, vdot, vstack, where,
    zeros, zeros_like,
)
from tfjax._src.keras.ops.numpy import (  # noqa: F401,E402
    allclose, angle, argpartition, array_split, bitwise_invert, bitwise_left_shift, bitwise_not,
    bitwise_right_shift, cbrt, corrcoef, correlate, deg2rad, diagflat, diagonal, dsplit, dstack, empty_like,
    fabs, fliplr, flipud, fmax, fmin, fmod, gcd, geomspace, get_item, heaviside, histogram, hsplit, hypot, i0,
    isin, isneginf, isposinf, isreal, kron, lcm, ldexp, left_shift, logaddexp2, logspace, nanargmax, nanargmin,
    nancumprod, nancumsum, nanmax, nanmean, nanmedian, nanmin, nanpercentile, nanprod, nanquantile, nanstd,
    nansum, nanvar, nextafter, percentile, ptp, rad2deg, right_shift, rot90, searchsorted, signbit, sinc,
    slogdet, trapezoid, unique, unravel_index, vander, vectorize, view, vsplit,
    bartlett, blackman, hamming, hanning, kaiser,
)
