"""``tf.keras.datasets.boston_housing``."""

from tfjax._src.keras.datasets.boston_housing import load_data  # noqa: F401
