"""tfjax: the TensorFlow 2 API on JAX. ``import tfjax as tf``."""

__version__ = "0.1.0"
