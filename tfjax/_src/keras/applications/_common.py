"""Helpers shared by the application builders."""

from tfjax._src.keras import backend
from tfjax._src.keras.applications import imagenet_utils as U


def start(input_shape, input_tensor, default_size, min_size, include_top, weights, classes):
    U.check_weights(weights, include_top, classes)
    fmt = backend.image_data_format()
    shape = U.obtain_input_shape(input_shape, default_size, min_size, fmt, include_top, weights)
    img_input, src = U.make_input(shape, input_tensor)
    return img_input, src, (3 if fmt == "channels_last" else 1)


def head(x, L, include_top, pooling, classes, classifier_activation, weights, name_avg="avg_pool",
         name_max="max_pool"):
    if include_top:
        x = L.GlobalAveragePooling2D(name=name_avg)(x)
        U.validate_activation(classifier_activation, weights)
        x = L.Dense(classes, activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = L.GlobalAveragePooling2D(name=name_avg)(x)
    elif pooling == "max":
        x = L.GlobalMaxPooling2D(name=name_max)(x)
    return x
