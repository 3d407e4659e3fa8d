"""``tf.keras.datasets.fashion_mnist``."""

from tfjax._src.keras.datasets.fashion_mnist import load_data  # noqa: F401
