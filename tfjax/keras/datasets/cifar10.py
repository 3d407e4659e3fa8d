"""``tf.keras.datasets.cifar10``."""

from tfjax._src.keras.datasets.cifar10 import load_data  # noqa: F401
