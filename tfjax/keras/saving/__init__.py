"""``tf.keras.saving``: lazily re-exported from ``tfjax._src.keras.saving``."""

from tfjax.keras._lazy import make_getattr as _mg

_NAMES = (
    'CustomObjectScope', 'custom_object_scope', 'deserialize_keras_object', 'get_custom_objects',
    'get_registered_name', 'get_registered_object', 'load_model', 'load_weights', 'register_keras_serializable',
    'save_model', 'save_weights', 'serialize_keras_object'
)

__getattr__, __dir__ = _mg(__name__, "tfjax._src.keras.saving", _NAMES)
