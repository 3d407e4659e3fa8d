"""``tf.keras.datasets.cifar100``."""

from tfjax._src.keras.datasets.cifar100 import load_data  # noqa: F401
