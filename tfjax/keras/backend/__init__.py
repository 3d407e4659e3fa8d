"""``tf.keras.backend``."""

from tfjax._src.keras.backend import (  # noqa: F401
    backend, batch_get_value, batch_set_value, clear_session, dtype, epsilon, floatx, get_uid, get_value,
    image_data_format, int_shape, is_float_dtype, is_int_dtype, is_keras_tensor, ndim, result_type, set_epsilon,
    set_floatx, set_image_data_format, set_value, standardize_dtype,
)
