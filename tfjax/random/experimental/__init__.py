"""``tf.random.experimental``: explicit re-exports (the implementation lives in ``tfjax._src``)."""

from tfjax._src.ops.random_ops import Algorithm as Algorithm
from tfjax._src.ops.random_ops import Generator as Generator
from tfjax._src.ops.random_ops import create_rng_state as create_rng_state
from tfjax._src.ops.random_ops import get_global_generator as get_global_generator
from tfjax._src.ops.random_ops import set_global_generator as set_global_generator
from tfjax._src.ops.random_ops import stateless_fold_in as stateless_fold_in
from tfjax._src.ops.random_ops import stateless_shuffle as stateless_shuffle
from tfjax._src.ops.random_ops import stateless_split as stateless_split
