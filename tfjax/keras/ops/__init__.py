"""``tf.keras.ops``: the Keras 3 op namespace (``image``, ``linalg``, ``nn``, ``numpy`` are sub-namespaces)."""

from tfjax._src.keras.ops import (  # noqa: F401
    abs, absolute, add, all, amax, amin, any, append, arange, arccos, arccosh, arcsin, arcsinh, arctan, arctan2,
    arctanh, argmax, argmin, argsort, array, associative_scan, average, average_pool, batch_normalization,
    binary_crossentropy, bincount, bitwise_and, bitwise_or, bitwise_xor, broadcast_to, cast,
    categorical_crossentropy, ceil, celu, cholesky, clip, concatenate, cond, conj, conjugate, conv,
    conv_transpose, convert_to_numpy, convert_to_tensor, copy, cos, cosh, count_nonzero, cross, cumprod, cumsum,
    custom_gradient, depthwise_conv, det, diag, diff, digitize, divide, divide_no_nan, dot,
    dot_product_attention, dtype, eig, eigh, einsum, elu, empty, equal, erf, erfinv, exp, exp2, expand_dims,
    expm1, extract_sequences, eye, fft, fft2, flip, floor, floor_divide, fori_loop, full, full_like, gelu,
    greater, greater_equal, hard_sigmoid, hard_silu, hard_swish, hstack, identity, imag, in_top_k, inner, inv,
    irfft, is_tensor, isclose, isfinite, isinf, isnan, istft, leaky_relu, less, less_equal, linspace, log,
    log10, log1p, log2, log_sigmoid, log_softmax, logaddexp, logdet, logical_and, logical_not, logical_or,
    logical_xor, logsumexp, lu_factor, map, matmul, max, max_pool, maximum, mean, median, meshgrid, min,
    minimum, mod, moments, moveaxis, multi_hot, multiply, nan_to_num, ndim, negative, nonzero, norm, normalize,
    not_equal, one_hot, ones, ones_like, outer, pad, power, prod, qr, quantile, ravel, real, reciprocal, relu,
    relu6, repeat, reshape, rfft, roll, round, rsqrt, saturate_cast, scan, scatter, scatter_update, segment_max,
    segment_sum, select, selu, separable_conv, shape, sigmoid, sign, silu, sin, sinh, size, slice, slice_update,
    softmax, softplus, softsign, solve, sort, sparse_categorical_crossentropy, split, sqrt, square, squareplus,
    squeeze, stack, std, stft, stop_gradient, subtract, sum, svd, swapaxes, swish, switch, take,
    take_along_axis, tan, tanh, tanh_shrink, tensordot, tile, top_k, trace, transpose, tri, tril, triu,
    true_divide, trunc, unstack, var, vdot, vectorized_map, vstack, where, while_loop, zeros, zeros_like,
)
from tfjax._src.keras.ops.numpy import (  # noqa: F401,E402
    allclose, angle, argpartition, array_split, bitwise_invert, bitwise_left_shift, bitwise_not,
    bitwise_right_shift, cbrt, corrcoef, correlate, deg2rad, diagflat, diagonal, dsplit, dstack, empty_like,
    erfc, fabs, fliplr, flipud, fmax, fmin, fmod, gcd, geomspace, get_item, heaviside, histogram, hsplit, hypot,
    i0, isin, isneginf, isposinf, isreal, kron, lcm, ldexp, left_shift, logaddexp2, logspace, nanargmax,
    nanargmin, nancumprod, nancumsum, nanmax, nanmean, nanmedian, nanmin, nanpercentile, nanprod, nanquantile,
    nanstd, nansum, nanvar, nextafter, percentile, ptp, rad2deg, right_shift, rot90, searchsorted, signbit,
    sinc, slogdet, trapezoid, unique, unravel_index, vander, vectorize, view, vsplit,
    bartlett, blackman, hamming, hanning, kaiser,
)
from tfjax._src.keras.ops import (  # noqa: F401,E402
    segment_min, segment_prod, ifft2, view_as_complex, view_as_real, cdist, cholesky_inverse, lstsq,
    matrix_rank, pinv, solve_triangular, jvp, sparsemax, glu, psnr, rms_normalization, layer_normalization,
    polar, space_to_depth, depth_to_space, ctc_loss, ctc_decode, hard_tanh, hard_shrink, soft_shrink, sparse_plus,
    sparse_sigmoid, threshold,
)
from tfjax.keras.ops import image, linalg, nn, numpy  # noqa: F401,E402
