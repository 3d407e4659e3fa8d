"""``tf.math.special``: explicit re-exports (the implementation lives in ``tfjax._src.ops``)."""

from tfjax._src.ops.math_ops import bessel_i0 as bessel_i0
from tfjax._src.ops.math_ops import bessel_i0e as bessel_i0e
from tfjax._src.ops.math_ops import bessel_i1 as bessel_i1
from tfjax._src.ops.math_ops import bessel_i1e as bessel_i1e
from tfjax._src.ops.special_functions import bessel_j0 as bessel_j0
from tfjax._src.ops.special_functions import bessel_j1 as bessel_j1
from tfjax._src.ops.special_functions import bessel_k0 as bessel_k0
from tfjax._src.ops.special_functions import bessel_k0e as bessel_k0e
from tfjax._src.ops.special_functions import bessel_k1 as bessel_k1
from tfjax._src.ops.special_functions import bessel_k1e as bessel_k1e
from tfjax._src.ops.special_functions import bessel_y0 as bessel_y0
from tfjax._src.ops.special_functions import bessel_y1 as bessel_y1
from tfjax._src.ops.special_functions import dawsn as dawsn
from tfjax._src.ops.special_functions import expint as expint
from tfjax._src.ops.special_functions import fresnel_cos as fresnel_cos
from tfjax._src.ops.special_functions import fresnel_sin as fresnel_sin
from tfjax._src.ops.special_functions import spence as spence
