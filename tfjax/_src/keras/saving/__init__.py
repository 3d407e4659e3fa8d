"""``keras.saving`` for tfjax (the public namespace re-exports these names)."""

from tfjax._src.keras.saving.object_registration import (  # noqa: F401
    CustomObjectScope, custom_object_scope, get_custom_objects, get_registered_name, get_registered_object,
    register_keras_serializable,
)
from tfjax._src.keras.saving.serialization_lib import (  # noqa: F401
    deserialize_keras_object, enable_unsafe_deserialization, serialize_keras_object,
)
from tfjax._src.keras.saving.cloning import clone_model  # noqa: F401
from tfjax._src.keras.saving.saving_api import (  # noqa: F401
    load_model, load_weights, model_from_config, model_from_json, model_to_json, save_model, save_weights,
)

__all__ = [
    "CustomObjectScope", "custom_object_scope", "get_custom_objects", "get_registered_name",
    "get_registered_object", "register_keras_serializable", "deserialize_keras_object",
    "serialize_keras_object", "enable_unsafe_deserialization", "load_model", "load_weights", "save_model",
    "save_weights", "model_from_json", "model_from_config", "clone_model",
]
