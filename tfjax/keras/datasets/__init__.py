"""``tf.keras.datasets``: one lazily imported submodule per dataset (each with ``load_data``)."""

from tfjax.keras._lazy import make_getattr as _mg

__getattr__, __dir__ = _mg(__name__, "tfjax._src.keras.datasets", (), submodules=(
    "boston_housing", "california_housing", "cifar10", "cifar100", "fashion_mnist", "imdb", "mnist", "reuters"))
