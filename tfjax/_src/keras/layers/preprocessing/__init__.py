"""Keras preprocessing layers: image, numerical, categorical (hashing, lookups) and text."""

from tfjax._src.keras.layers.preprocessing.image import (  # noqa: F401
    Rescaling, Resizing, CenterCrop, RandomCrop, RandomFlip, RandomRotation, RandomZoom, RandomContrast,
    RandomTranslation, RandomBrightness,
)
from tfjax._src.keras.layers.preprocessing.categorical import CategoryEncoding  # noqa: F401
from tfjax._src.keras.layers.preprocessing.numerical import Normalization, Discretization  # noqa: F401
from tfjax._src.keras.layers.preprocessing.hashing import Hashing  # noqa: F401
from tfjax._src.keras.layers.preprocessing.string_lookup import StringLookup  # noqa: F401
from tfjax._src.keras.layers.preprocessing.integer_lookup import IntegerLookup  # noqa: F401
from tfjax._src.keras.layers.preprocessing.text_vectorization import TextVectorization  # noqa: F401

__all__ = ["Rescaling", "Resizing", "CenterCrop", "RandomCrop", "RandomFlip", "RandomRotation", "RandomZoom",
           "RandomContrast", "RandomTranslation", "RandomBrightness", "Normalization", "Discretization",
           "CategoryEncoding", "Hashing", "StringLookup", "IntegerLookup", "TextVectorization"]
