"""``tf.keras.utils``: lazily re-exported from ``tfjax._src.keras.utils``."""

from tfjax.keras._lazy import make_getattr as _mg

_NAMES = (
    'CustomObjectScope', 'Progbar', 'PyDataset', 'Sequence', 'clear_session', 'custom_object_scope',
    'deserialize_keras_object', 'disable_interactive_logging', 'enable_interactive_logging',
    'get_custom_objects', 'get_file', 'get_registered_name', 'get_registered_object',
    'image_dataset_from_directory', 'is_interactive_logging_enabled', 'is_keras_tensor', 'normalize',
    'pack_x_y_sample_weight', 'pad_sequences', 'register_keras_serializable', 'serialize_keras_object',
    'set_random_seed', 'split_dataset', 'standardize_dtype', 'text_dataset_from_directory',
    'timeseries_dataset_from_array', 'to_categorical', 'unpack_x_y_sample_weight'
)

__getattr__, __dir__ = _mg(__name__, "tfjax._src.keras.utils", _NAMES, submodules=('bounding_boxes', 'legacy'))
