"""``keras.ops``: the Keras 3 op namespace over tfjax (recorded by tapes, traced by tf.function)."""

from tfjax._src.keras.ops.numpy import *  # noqa: F401,F403
from tfjax._src.keras.ops.numpy import (  # noqa: F401
    abs, all, any, max, min, sum, round, slice, where, take, transpose, reshape, concatenate, stack, split,
)
from tfjax._src.keras.ops.nn import *  # noqa: F401,F403
from tfjax._src.keras.ops.nn import tanh  # noqa: F401
from tfjax._src.keras.ops.core import (  # noqa: F401
    convert_to_tensor, cast, shape, is_tensor, convert_to_numpy, stop_gradient, result_type, dtype_of as dtype,
)
from tfjax._src.keras.ops import image  # noqa: F401
from tfjax._src.keras.ops import nn, numpy  # noqa: F401
from tfjax._src.keras.ops.control_flow import (  # noqa: F401
    cond, scan, fori_loop, while_loop, vectorized_map, map, switch, associative_scan, custom_gradient,
)
from tfjax._src.keras.ops.math import (  # noqa: F401
    top_k, in_top_k, segment_sum, segment_max, logdet, erf, extract_sequences, rsqrt, fft, fft2, rfft, irfft,
    stft, istft, is_nan_safe, saturate_cast, unstack, dtype_name,
)
from tfjax._src.keras.ops.linalg import (  # noqa: F401
    qr, svd, solve, inv, det, cholesky, eig, eigh, lu_factor, norm as linalg_norm,
)
from tfjax._src.keras.ops import linalg, math  # noqa: F401
from tfjax._src.keras.ops.math import (  # noqa: F401,E402
    segment_min, segment_prod, ifft2, view_as_complex, view_as_real, cdist, erfc,
)
from tfjax._src.keras.ops.linalg import (  # noqa: F401,E402
    cholesky_inverse, lstsq, matrix_rank, pinv, solve_triangular, jvp,
)
