"""``tf.lookup``: explicit re-exports (the implementation lives in ``tfjax._src.lookup_ops``)."""

from tfjax._src.lookup_ops import (  # noqa: F401
    KeyValueTensorInitializer, StaticHashTable, StaticVocabularyTable, TextFileIndex, TextFileInitializer,
)
from tfjax.lookup import experimental  # noqa: F401,E402
