"""``tf.keras.config``."""

from tfjax._src.keras.backend import (  # noqa: F401
    floatx, set_floatx, epsilon, set_epsilon, image_data_format, set_image_data_format, backend,
)
from tfjax._src.keras.dtype_policies import set_dtype_policy, dtype_policy  # noqa: F401


from tfjax._src.keras.saving.serialization_lib import enable_unsafe_deserialization  # noqa: F401,E402


def disable_interactive_logging():
    pass


def enable_interactive_logging():
    pass


def is_interactive_logging_enabled():
    return True
