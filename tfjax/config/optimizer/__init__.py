"""``tf.config.optimizer``: tf.function always compiles with XLA in tfjax; these are recorded."""

from tfjax._src.config.devices import (
    set_jit as set_jit,
    get_jit as get_jit,
    set_experimental_options as set_experimental_options,
    get_experimental_options as get_experimental_options,
)
