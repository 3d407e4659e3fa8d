"""``tf.config.threading``: accepted and recorded (XLA sizes its own thread pools)."""

from tfjax._src.config.devices import (
    set_intra_op_parallelism_threads as set_intra_op_parallelism_threads,
    get_intra_op_parallelism_threads as get_intra_op_parallelism_threads,
    set_inter_op_parallelism_threads as set_inter_op_parallelism_threads,
    get_inter_op_parallelism_threads as get_inter_op_parallelism_threads,
)
