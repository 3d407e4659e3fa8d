"""DenseNet121."""

from tfjax._src.keras import backend
from tfjax._src.keras import layers as L
from tfjax._src.keras.applications import imagenet_utils as U
from tfjax._src.keras.applications._common import start, head
from tfjax._src.keras.models.functional import Functional

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/densenet/"


def _dense_block(x, blocks, name, bn_axis):
    for i in range(blocks):
        x = _conv_block(x, 32, name=f"{name}_block{i + 1}", bn_axis=bn_axis)
    return x


def _transition_block(x, reduction, name, bn_axis):
    x = L.BatchNormalization(axis=bn_axis, epsilon=1.001e-5, name=name + "_bn")(x)
    x = L.Activation("relu", name=name + "_relu")(x)
    x = L.Conv2D(int(x.shape[bn_axis] * reduction), 1, use_bias=False, name=name + "_conv")(x)
    return L.AveragePooling2D(2, strides=2, name=name + "_pool")(x)


def _conv_block(x, growth_rate, name, bn_axis):
    x1 = L.BatchNormalization(axis=bn_axis, epsilon=1.001e-5, name=name + "_0_bn")(x)
    x1 = L.Activation("relu", name=name + "_0_relu")(x1)
    x1 = L.Conv2D(4 * growth_rate, 1, use_bias=False, name=name + "_1_conv")(x1)
    x1 = L.BatchNormalization(axis=bn_axis, epsilon=1.001e-5, name=name + "_1_bn")(x1)
    x1 = L.Activation("relu", name=name + "_1_relu")(x1)
    x1 = L.Conv2D(growth_rate, 3, padding="same", use_bias=False, name=name + "_2_conv")(x1)
    return L.Concatenate(axis=bn_axis, name=name + "_concat")([x, x1])


def DenseNet(blocks, include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None,
             classes=1000, classifier_activation="softmax", name="densenet"):  # noqa: N802
    img_input, src, bn_axis = start(input_shape, input_tensor, 224, 32, include_top, weights, classes)
    x = L.ZeroPadding2D(padding=((3, 3), (3, 3)))(img_input)
    x = L.Conv2D(64, 7, strides=2, use_bias=False, name="conv1_conv")(x)
    x = L.BatchNormalization(axis=bn_axis, epsilon=1.001e-5, name="conv1_bn")(x)
    x = L.Activation("relu", name="conv1_relu")(x)
    x = L.ZeroPadding2D(padding=((1, 1), (1, 1)))(x)
    x = L.MaxPooling2D(3, strides=2, name="pool1")(x)
    x = _dense_block(x, blocks[0], "conv2", bn_axis)
    x = _transition_block(x, 0.5, "pool2", bn_axis)
    x = _dense_block(x, blocks[1], "conv3", bn_axis)
    x = _transition_block(x, 0.5, "pool3", bn_axis)
    x = _dense_block(x, blocks[2], "conv4", bn_axis)
    x = _transition_block(x, 0.5, "pool4", bn_axis)
    x = _dense_block(x, blocks[3], "conv5", bn_axis)
    x = L.BatchNormalization(axis=bn_axis, epsilon=1.001e-5, name="bn")(x)
    x = L.Activation("relu", name="relu")(x)
    x = head(x, L, include_top, pooling, classes, classifier_activation, weights)
    model = Functional(U.source_inputs(img_input, src), x, name=name)
    if weights == "imagenet" and blocks == [6, 12, 24, 16]:
        fname = ("densenet121_weights_tf_dim_ordering_tf_kernels.h5" if include_top
                 else "densenet121_weights_tf_dim_ordering_tf_kernels_notop.h5")
        U.load_weights(model, weights, BASE_WEIGHTS_PATH + fname, fname)
    elif weights is not None and weights != "imagenet":
        model.load_weights(weights)
    return model


def DenseNet121(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None,
                classes=1000, classifier_activation="softmax", name="densenet121"):  # noqa: N802
    return DenseNet([6, 12, 24, 16], include_top, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, name=name)


def preprocess_input(x, data_format=None):
    return U.preprocess_input(x, data_format=data_format, mode="torch")


def decode_predictions(preds, top=5):
    return U.decode_predictions(preds, top=top)
