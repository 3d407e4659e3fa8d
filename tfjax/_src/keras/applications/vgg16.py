"""VGG16."""

from tfjax._src.keras import layers as L
from tfjax._src.keras.applications import imagenet_utils as U
from tfjax._src.keras.applications._common import start
from tfjax._src.keras.models.functional import Functional

WEIGHTS_PATH = ("https://storage.googleapis.com/tensorflow/keras-applications/vgg16/"
                "vgg16_weights_tf_dim_ordering_tf_kernels.h5")
WEIGHTS_PATH_NO_TOP = ("https://storage.googleapis.com/tensorflow/keras-applications/vgg16/"
                       "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5")


def VGG16(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000,
          classifier_activation="softmax", name="vgg16"):  # noqa: N802
    img_input, src, _ = start(input_shape, input_tensor, 224, 32, include_top, weights, classes)
    x = img_input
    for b, (n, f) in enumerate([(2, 64), (2, 128), (3, 256), (3, 512), (3, 512)], start=1):
        for c in range(1, n + 1):
            x = L.Conv2D(f, (3, 3), activation="relu", padding="same", name=f"block{b}_conv{c}")(x)
        x = L.MaxPooling2D((2, 2), strides=(2, 2), name=f"block{b}_pool")(x)
    if include_top:
        x = L.Flatten(name="flatten")(x)
        x = L.Dense(4096, activation="relu", name="fc1")(x)
        x = L.Dense(4096, activation="relu", name="fc2")(x)
        U.validate_activation(classifier_activation, weights)
        x = L.Dense(classes, activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = L.GlobalAveragePooling2D()(x)
    elif pooling == "max":
        x = L.GlobalMaxPooling2D()(x)
    model = Functional(U.source_inputs(img_input, src), x, name=name)
    if weights == "imagenet":
        if include_top:
            U.load_weights(model, weights, WEIGHTS_PATH, "vgg16_weights_tf_dim_ordering_tf_kernels.h5",
                           "64373286793e3c8b2b4e3219cbf3544b")
        else:
            U.load_weights(model, weights, WEIGHTS_PATH_NO_TOP, "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5",
                           "6d6bbae143d832006294945121d1f1fc")
    elif weights is not None:
        model.load_weights(weights)
    return model


def preprocess_input(x, data_format=None):
    return U.preprocess_input(x, data_format=data_format, mode="caffe")


def decode_predictions(preds, top=5):
    return U.decode_predictions(preds, top=top)
