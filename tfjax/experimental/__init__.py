"""``tf.experimental``: explicit re-exports (the implementation lives in ``tfjax._src``).

``to_jax`` is tfjax's documented accessor for the raw JAX array of a Tensor.
"""

from tfjax._src.tensor import value_of as to_jax
from tfjax.experimental import numpy as numpy
from tfjax._src.data.iterator import Optional as Optional
