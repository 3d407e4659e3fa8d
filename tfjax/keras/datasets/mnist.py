"""``tf.keras.datasets.mnist``."""

from tfjax._src.keras.datasets.mnist import load_data  # noqa: F401
