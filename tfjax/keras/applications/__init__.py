"""``tf.keras.applications``: lazily re-exported from ``tfjax._src.keras.applications``."""

from tfjax.keras._lazy import make_getattr as _mg

_NAMES = (
    'DenseNet121', 'EfficientNetB0', 'InceptionV3', 'MobileNetV2', 'ResNet50', 'VGG16'
)

__getattr__, __dir__ = _mg(__name__, "tfjax._src.keras.applications", _NAMES, submodules=('convnext', 'densenet', 'efficientnet', 'efficientnet_v2', 'imagenet_utils', 'inception_resnet_v2', 'inception_v3', 'mobilenet', 'mobilenet_v2', 'mobilenet_v3', 'nasnet', 'resnet', 'resnet50', 'resnet_v2', 'vgg16', 'vgg19', 'xception'))
