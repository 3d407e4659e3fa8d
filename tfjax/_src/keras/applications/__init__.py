"""``keras.applications``."""

from tfjax._src.keras.applications import imagenet_utils  # noqa: F401
from tfjax._src.keras.applications import resnet, mobilenet_v2, vgg16, densenet  # noqa: F401
from tfjax._src.keras.applications.resnet import ResNet50  # noqa: F401
from tfjax._src.keras.applications.mobilenet_v2 import MobileNetV2  # noqa: F401
from tfjax._src.keras.applications.vgg16 import VGG16  # noqa: F401
from tfjax._src.keras.applications.densenet import DenseNet121  # noqa: F401

resnet50 = resnet
try:
    from tfjax._src.keras.applications import inception_v3, efficientnet  # noqa: F401
    from tfjax._src.keras.applications.inception_v3 import InceptionV3  # noqa: F401
    from tfjax._src.keras.applications.efficientnet import EfficientNetB0  # noqa: F401
except ImportError:  # pragma: no cover
    pass
