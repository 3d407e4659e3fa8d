"""``tf.tpu``: TPU system initialisation on JAX's TPU runtime (see docs/tpu.md)."""

from tfjax.tpu import experimental as experimental
