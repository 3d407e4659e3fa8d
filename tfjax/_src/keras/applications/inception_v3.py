"""InceptionV3."""

from tfjax._src.keras import layers as L
from tfjax._src.keras.applications import imagenet_utils as U
from tfjax._src.keras.applications._common import start
from tfjax._src.keras.models.functional import Functional

_BASE = "https://storage.googleapis.com/tensorflow/keras-applications/inception_v3/"


def conv2d_bn(x, filters, num_row, num_col, padding="same", strides=(1, 1), name=None, bn_axis=3):
    x = L.Conv2D(filters, (num_row, num_col), strides=strides, padding=padding, use_bias=False,
                 name=None if name is None else name + "_conv")(x)
    x = L.BatchNormalization(axis=bn_axis, scale=False, name=None if name is None else name + "_bn")(x)
    return L.Activation("relu", name=name)(x)


def _avg(x):
    return L.AveragePooling2D((3, 3), strides=(1, 1), padding="same")(x)


def InceptionV3(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None,
                classes=1000, classifier_activation="softmax", name="inception_v3"):  # noqa: N802
    img_input, src, ax = start(input_shape, input_tensor, 299, 75, include_top, weights, classes)

    def cb(x, f, r, c, padding="same", strides=(1, 1)):
        return conv2d_bn(x, f, r, c, padding=padding, strides=strides, bn_axis=ax)

    x = cb(img_input, 32, 3, 3, strides=(2, 2), padding="valid")
    x = cb(x, 32, 3, 3, padding="valid")
    x = cb(x, 64, 3, 3)
    x = L.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = cb(x, 80, 1, 1, padding="valid")
    x = cb(x, 192, 3, 3, padding="valid")
    x = L.MaxPooling2D((3, 3), strides=(2, 2))(x)
    for i, pool_f in enumerate((32, 64, 64)):
        b1 = cb(x, 64, 1, 1)
        b5 = cb(cb(x, 48, 1, 1), 64, 5, 5)
        b3 = cb(cb(cb(x, 64, 1, 1), 96, 3, 3), 96, 3, 3)
        bp = cb(_avg(x), pool_f, 1, 1)
        x = L.concatenate([b1, b5, b3, bp], axis=ax, name=f"mixed{i}")
    b3 = cb(x, 384, 3, 3, strides=(2, 2), padding="valid")
    bd = cb(cb(cb(x, 64, 1, 1), 96, 3, 3), 96, 3, 3, strides=(2, 2), padding="valid")
    bp = L.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = L.concatenate([b3, bd, bp], axis=ax, name="mixed3")
    for i, f in enumerate((128, 160, 160, 192)):
        b1 = cb(x, 192, 1, 1)
        b7 = cb(cb(cb(x, f, 1, 1), f, 1, 7), 192, 7, 1)
        bd = cb(x, f, 1, 1)
        bd = cb(bd, f, 7, 1)
        bd = cb(bd, f, 1, 7)
        bd = cb(bd, f, 7, 1)
        bd = cb(bd, 192, 1, 7)
        bp = cb(_avg(x), 192, 1, 1)
        x = L.concatenate([b1, b7, bd, bp], axis=ax, name=f"mixed{4 + i}")
    b3 = cb(cb(x, 192, 1, 1), 320, 3, 3, strides=(2, 2), padding="valid")
    b7 = cb(cb(cb(x, 192, 1, 1), 192, 1, 7), 192, 7, 1)
    b7 = cb(b7, 192, 3, 3, strides=(2, 2), padding="valid")
    bp = L.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = L.concatenate([b3, b7, bp], axis=ax, name="mixed8")
    for i in range(2):
        b1 = cb(x, 320, 1, 1)
        b3 = cb(x, 384, 1, 1)
        b3 = L.concatenate([cb(b3, 384, 1, 3), cb(b3, 384, 3, 1)], axis=ax, name=f"mixed9_{i}")
        bd = cb(cb(x, 448, 1, 1), 384, 3, 3)
        bd = L.concatenate([cb(bd, 384, 1, 3), cb(bd, 384, 3, 1)], axis=ax)
        bp = cb(_avg(x), 192, 1, 1)
        x = L.concatenate([b1, b3, bd, bp], axis=ax, name=f"mixed{9 + i}")
    if include_top:
        x = L.GlobalAveragePooling2D(name="avg_pool")(x)
        U.validate_activation(classifier_activation, weights)
        x = L.Dense(classes, activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = L.GlobalAveragePooling2D()(x)
    elif pooling == "max":
        x = L.GlobalMaxPooling2D()(x)
    model = Functional(U.source_inputs(img_input, src), x, name=name)
    if weights == "imagenet":
        if include_top:
            fname, h = "inception_v3_weights_tf_dim_ordering_tf_kernels.h5", "9a0d58056eeedaa3f26cb7ebd46da564"
        else:
            fname, h = "inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5", "bcbd6486424b2319ff4ef7d526e38f63"
        U.load_weights(model, weights, _BASE + fname, fname, h)
    elif weights is not None:
        model.load_weights(weights)
    return model


def preprocess_input(x, data_format=None):
    return U.preprocess_input(x, data_format=data_format, mode="tf")


def decode_predictions(preds, top=5):
    return U.decode_predictions(preds, top=top)
