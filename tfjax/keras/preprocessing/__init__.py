"""``tf.keras.preprocessing``: lazily re-exported from ``tfjax._src.keras.preprocessing``."""

from tfjax.keras._lazy import make_getattr as _mg

_NAMES = (
    'image_dataset_from_directory', 'text_dataset_from_directory', 'timeseries_dataset_from_array'
)

__getattr__, __dir__ = _mg(__name__, "tfjax._src.keras.preprocessing", _NAMES, submodules=('image', 'sequence', 'text'))
