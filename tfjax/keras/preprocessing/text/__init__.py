"""``tf.keras.preprocessing.text``: lazily re-exported from ``tfjax._src.keras.preprocessing.text``."""

from tfjax.keras._lazy import make_getattr as _mg

_NAMES = (
    'Tokenizer', 'hashing_trick', 'one_hot', 'text_to_word_sequence', 'tokenizer_from_json',
)

__getattr__, __dir__ = _mg(__name__, "tfjax._src.keras.preprocessing.text", _NAMES)
