"""ResNet50 (Keras's layer names and weight layout)."""

from tfjax._src.keras import layers as L
from tfjax._src.keras.applications import imagenet_utils as U
from tfjax._src.keras.applications._common import start, head
from tfjax._src.keras.models.functional import Functional

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/resnet/"
WEIGHTS_HASHES = {"resnet50": ("2cb95161c43110f7111970584f804107", "4d473c1dd8becc155b73f8504c6f6626")}


def _block1(x, filters, bn_axis, kernel_size=3, stride=1, conv_shortcut=True, name=None):
    if conv_shortcut:
        shortcut = L.Conv2D(4 * filters, 1, strides=stride, name=name + "_0_conv")(x)
        shortcut = L.BatchNormalization(axis=bn_axis, epsilon=1.001e-5, name=name + "_0_bn")(shortcut)
    else:
        shortcut = x
    x = L.Conv2D(filters, 1, strides=stride, name=name + "_1_conv")(x)
    x = L.BatchNormalization(axis=bn_axis, epsilon=1.001e-5, name=name + "_1_bn")(x)
    x = L.Activation("relu", name=name + "_1_relu")(x)
    x = L.Conv2D(filters, kernel_size, padding="SAME", name=name + "_2_conv")(x)
    x = L.BatchNormalization(axis=bn_axis, epsilon=1.001e-5, name=name + "_2_bn")(x)
    x = L.Activation("relu", name=name + "_2_relu")(x)
    x = L.Conv2D(4 * filters, 1, name=name + "_3_conv")(x)
    x = L.BatchNormalization(axis=bn_axis, epsilon=1.001e-5, name=name + "_3_bn")(x)
    x = L.Add(name=name + "_add")([shortcut, x])
    return L.Activation("relu", name=name + "_out")(x)


def _stack1(x, filters, blocks, bn_axis, stride1=2, name=None):
    x = _block1(x, filters, bn_axis, stride=stride1, name=name + "_block1")
    for i in range(2, blocks + 1):
        x = _block1(x, filters, bn_axis, conv_shortcut=False, name=name + "_block" + str(i))
    return x


def ResNet(stack_fn, preact, use_bias, include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
           pooling=None, classes=1000, classifier_activation="softmax", name="resnet", weights_name=None):  # noqa: N802
    img_input, src, bn_axis = start(input_shape, input_tensor, 224, 32, include_top, weights, classes)
    x = L.ZeroPadding2D(padding=((3, 3), (3, 3)), name="conv1_pad")(img_input)
    x = L.Conv2D(64, 7, strides=2, use_bias=use_bias, name="conv1_conv")(x)
    if not preact:
        x = L.BatchNormalization(axis=bn_axis, epsilon=1.001e-5, name="conv1_bn")(x)
        x = L.Activation("relu", name="conv1_relu")(x)
    x = L.ZeroPadding2D(padding=((1, 1), (1, 1)), name="pool1_pad")(x)
    x = L.MaxPooling2D(3, strides=2, name="pool1_pool")(x)
    x = stack_fn(x, bn_axis)
    x = head(x, L, include_top, pooling, classes, classifier_activation, weights)
    model = Functional(U.source_inputs(img_input, src), x, name=name)
    if weights == "imagenet" and weights_name in WEIGHTS_HASHES:
        fname = f"{weights_name}_weights_tf_dim_ordering_tf_kernels{'' if include_top else '_notop'}.h5"
        U.load_weights(model, weights, BASE_WEIGHTS_PATH + fname, fname, WEIGHTS_HASHES[weights_name][0 if include_top else 1])
    elif weights is not None and weights != "imagenet":
        model.load_weights(weights)
    return model


def ResNet50(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000,
             classifier_activation="softmax", name="resnet50"):  # noqa: N802
    def stack_fn(x, bn_axis):
        x = _stack1(x, 64, 3, bn_axis, stride1=1, name="conv2")
        x = _stack1(x, 128, 4, bn_axis, name="conv3")
        x = _stack1(x, 256, 6, bn_axis, name="conv4")
        return _stack1(x, 512, 3, bn_axis, name="conv5")
    return ResNet(stack_fn, False, True, include_top, weights, input_tensor, input_shape, pooling, classes,
                  classifier_activation, name=name, weights_name="resnet50")


def preprocess_input(x, data_format=None):
    return U.preprocess_input(x, data_format=data_format, mode="caffe")


def decode_predictions(preds, top=5):
    return U.decode_predictions(preds, top=top)
