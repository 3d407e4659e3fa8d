"""Keras preprocessing (implementation modules; the public namespace re-exports them)."""

from tfjax._src.keras.utils.dataset_utils import (  # noqa: F401,E402
    image_dataset_from_directory, text_dataset_from_directory, timeseries_dataset_from_array,
)
