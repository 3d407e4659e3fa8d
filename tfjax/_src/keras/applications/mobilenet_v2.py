"""MobileNetV2 (Keras's layer names and weight layout)."""

from tfjax._src.keras import backend
from tfjax._src.keras import layers as L
from tfjax._src.keras.applications import imagenet_utils as U
from tfjax._src.keras.applications._common import start, head
from tfjax._src.keras.models.functional import Functional

BASE_WEIGHT_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v2/"


def _make_divisible(v, divisor, min_value=None):
    if min_value is None:
        min_value = divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


def correct_pad(x, kernel_size):
    d = 2 if backend.image_data_format() == "channels_first" else 1
    size = x.shape[d:d + 2]
    k = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    adjust = (1, 1) if size[0] is None else (1 - size[0] % 2, 1 - size[1] % 2)
    c = (k[0] // 2, k[1] // 2)
    return ((c[0] - adjust[0], c[0]), (c[1] - adjust[1], c[1]))


def _inverted_res_block(inputs, expansion, stride, alpha, filters, block_id, ch_axis):
    in_channels = inputs.shape[ch_axis]
    pointwise_filters = _make_divisible(int(filters * alpha), 8)
    x = inputs
    prefix = f"block_{block_id}_"
    if block_id:
        x = L.Conv2D(expansion * in_channels, kernel_size=1, padding="same", use_bias=False, activation=None,
                     name=prefix + "expand")(x)
        x = L.BatchNormalization(axis=ch_axis, epsilon=1e-3, momentum=0.999, name=prefix + "expand_BN")(x)
        x = L.ReLU(6.0, name=prefix + "expand_relu")(x)
    else:
        prefix = "expanded_conv_"
    if stride == 2:
        x = L.ZeroPadding2D(padding=correct_pad(x, 3), name=prefix + "pad")(x)
    x = L.DepthwiseConv2D(kernel_size=3, strides=stride, activation=None, use_bias=False,
                          padding="same" if stride == 1 else "valid", name=prefix + "depthwise")(x)
    x = L.BatchNormalization(axis=ch_axis, epsilon=1e-3, momentum=0.999, name=prefix + "depthwise_BN")(x)
    x = L.ReLU(6.0, name=prefix + "depthwise_relu")(x)
    x = L.Conv2D(pointwise_filters, kernel_size=1, padding="same", use_bias=False, activation=None,
                 name=prefix + "project")(x)
    x = L.BatchNormalization(axis=ch_axis, epsilon=1e-3, momentum=0.999, name=prefix + "project_BN")(x)
    if in_channels == pointwise_filters and stride == 1:
        return L.Add(name=prefix + "add")([inputs, x])
    return x


_BLOCKS = [(16, 1, 1), (24, 2, 6), (24, 1, 6), (32, 2, 6), (32, 1, 6), (32, 1, 6), (64, 2, 6), (64, 1, 6),
           (64, 1, 6), (64, 1, 6), (96, 1, 6), (96, 1, 6), (96, 1, 6), (160, 2, 6), (160, 1, 6), (160, 1, 6),
           (320, 1, 6)]


def MobileNetV2(input_shape=None, alpha=1.0, include_top=True, weights="imagenet", input_tensor=None, pooling=None,
                classes=1000, classifier_activation="softmax", name=None):  # noqa: N802
    if weights == "imagenet" and alpha not in (0.35, 0.50, 0.75, 1.0, 1.3, 1.4):
        raise ValueError("If imagenet weights are being loaded, alpha must be one of `0.35`, `0.50`, `0.75`, `1.0`, "
                         f"`1.3` or `1.4` only. Received: alpha={alpha}")
    img_input, src, ch_axis = start(input_shape, input_tensor, 224, 32, include_top, weights, classes)
    ch_axis = -1 if ch_axis == 3 else 1
    rows = img_input.shape[1 if ch_axis == -1 else 2]
    if weights == "imagenet" and rows not in (96, 128, 160, 192, 224):
        rows = 224
    x = L.Conv2D(_make_divisible(32 * alpha, 8), kernel_size=3, strides=(2, 2), padding="same", use_bias=False,
                 name="Conv1")(img_input)
    x = L.BatchNormalization(axis=ch_axis, epsilon=1e-3, momentum=0.999, name="bn_Conv1")(x)
    x = L.ReLU(6.0, name="Conv1_relu")(x)
    for i, (f, s, e) in enumerate(_BLOCKS):
        x = _inverted_res_block(x, filters=f, alpha=alpha, stride=s, expansion=e, block_id=i, ch_axis=ch_axis)
    last = _make_divisible(1280 * alpha, 8) if alpha > 1.0 else 1280
    x = L.Conv2D(last, kernel_size=1, use_bias=False, name="Conv_1")(x)
    x = L.BatchNormalization(axis=ch_axis, epsilon=1e-3, momentum=0.999, name="Conv_1_bn")(x)
    x = L.ReLU(6.0, name="out_relu")(x)
    if include_top:
        x = L.GlobalAveragePooling2D()(x)
        U.validate_activation(classifier_activation, weights)
        x = L.Dense(classes, activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = L.GlobalAveragePooling2D()(x)
    elif pooling == "max":
        x = L.GlobalMaxPooling2D()(x)
    if name is None:
        name = f"mobilenetv2_{alpha:0.2f}_{rows}"
    model = Functional(U.source_inputs(img_input, src), x, name=name)
    if weights == "imagenet":
        fname = f"mobilenet_v2_weights_tf_dim_ordering_tf_kernels_{float(alpha)}_{rows}{'' if include_top else '_no_top'}.h5"
        U.load_weights(model, weights, BASE_WEIGHT_PATH + fname, fname)
    elif weights is not None:
        model.load_weights(weights)
    return model


def preprocess_input(x, data_format=None):
    return U.preprocess_input(x, data_format=data_format, mode="tf")


def decode_predictions(preds, top=5):
    return U.decode_predictions(preds, top=top)
