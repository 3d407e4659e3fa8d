"""``tf.random``: explicit re-exports (the implementation lives in ``tfjax._src``)."""

from tfjax._src.ops.random_ops import Algorithm as Algorithm
from tfjax._src.ops.random_ops import Generator as Generator
from tfjax._src.ops.random_ops import categorical as categorical
from tfjax._src.ops.random_ops import create_rng_state as create_rng_state
from tfjax._src.ops.random_ops import fold_in as fold_in
from tfjax._src.ops.random_ops import gamma as gamma
from tfjax._src.ops.random_ops import get_global_generator as get_global_generator
from tfjax._src.ops.random_ops import normal as normal
from tfjax._src.ops.random_ops import poisson as poisson
from tfjax._src.ops.random_ops import set_global_generator as set_global_generator
from tfjax._src.ops.random_ops import set_seed as set_seed
from tfjax._src.ops.random_ops import shuffle as shuffle
from tfjax._src.ops.random_ops import split as split
from tfjax._src.ops.random_ops import stateless_binomial as stateless_binomial
from tfjax._src.ops.random_ops import stateless_categorical as stateless_categorical
from tfjax._src.ops.random_ops import stateless_gamma as stateless_gamma
from tfjax._src.ops.random_ops import stateless_normal as stateless_normal
from tfjax._src.ops.random_ops import stateless_poisson as stateless_poisson
from tfjax._src.ops.random_ops import stateless_truncated_normal as stateless_truncated_normal
from tfjax._src.ops.random_ops import stateless_uniform as stateless_uniform
from tfjax._src.ops.random_ops import truncated_normal as truncated_normal
from tfjax._src.ops.random_ops import uniform as uniform
from tfjax.random import experimental as experimental
