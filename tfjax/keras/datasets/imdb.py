"""``tf.keras.datasets.imdb``."""

from tfjax._src.keras.datasets.imdb import get_word_index, load_data  # noqa: F401
