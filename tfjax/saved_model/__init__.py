"""``tf.saved_model`` (writing/reading SavedModels needs the ``tfjax[export]`` extra)."""

from tfjax._src.saved_model import (  # noqa: F401
    DEFAULT_SERVING_SIGNATURE_DEF_KEY, SERVING, TRAINING, LoadOptions, SaveOptions, contains_saved_model, load,
    save,
)
