"""``tf.keras.backend``."""

from tfjax._src.keras.backend import *  # noqa: F401,F403
from tfjax._src.keras.backend import (  # noqa: F401
    floatx, set_floatx, epsilon, set_epsilon, image_data_format, set_image_data_format, clear_session, int_shape,
    ndim, dtype, is_keras_tensor, get_value, set_value, batch_get_value, batch_set_value, standardize_dtype,
    backend, get_uid, learning_phase,
)
