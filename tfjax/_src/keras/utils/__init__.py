"""Keras utils (implementation modules; the public namespace ``tf.keras.utils`` re-exports these names)."""

import random as _py_random

import numpy as _np

from tfjax._src.keras.trainers.progbar import Progbar  # noqa: F401
from tfjax._src.keras.trainers.py_dataset import PyDataset, Sequence  # noqa: F401
from tfjax._src.keras.utils.dataset_utils import (  # noqa: F401
    image_dataset_from_directory, split_dataset, text_dataset_from_directory, timeseries_dataset_from_array,
)
from tfjax._src.keras.utils.numerical_utils import normalize, to_categorical  # noqa: F401
from tfjax._src.keras.preprocessing.sequence import pad_sequences  # noqa: F401
from tfjax._src.keras.datasets._download import get_file  # noqa: F401
from tfjax._src.keras.saving.object_registration import (  # noqa: F401
    CustomObjectScope, custom_object_scope, get_custom_objects, get_registered_name, get_registered_object,
    register_keras_serializable,
)
from tfjax._src.keras.saving.serialization_lib import (  # noqa: F401
    deserialize_keras_object, serialize_keras_object,
)
from tfjax._src.keras.backend import clear_session, standardize_dtype  # noqa: F401
from tfjax._src.keras.keras_tensor import is_keras_tensor  # noqa: F401
from tfjax._src.keras.trainers.data_adapters import pack_x_y_sample_weight, unpack_x_y_sample_weight  # noqa: F401


def disable_interactive_logging():
    pass


def enable_interactive_logging():
    pass


def is_interactive_logging_enabled():
    return True


def set_random_seed(seed):
    """``keras.utils.set_random_seed``: seeds Python ``random``, NumPy and the backend (``tf.random``) RNG."""
    if not isinstance(seed, int):
        raise ValueError(f"Expected `seed` argument to be an integer. Received: seed={seed} (of type {type(seed)})")
    _py_random.seed(seed)
    _np.random.seed(seed)
    from tfjax._src.ops import random_ops  # noqa: PLC0415
    random_ops.set_seed(seed)
    from tfjax._src.keras.random import random as _kr  # noqa: PLC0415
    _kr._reset_global_seed_generator()  # recreated from the new seed on next use (as Keras does)
