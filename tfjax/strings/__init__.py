"""``tf.strings``."""

from tfjax._src.ops.string_ops import (as_string, bytes_split, format, join, length, lower,  # noqa: F401
                                       reduce_join, regex_full_match, regex_replace, split,
                                       split_to_sparse, strip, substr, to_number, unicode_decode,
                                       unicode_encode, unicode_split, unsorted_segment_join, upper)
from tfjax._src.ops.string_hash import to_hash_bucket, to_hash_bucket_fast, to_hash_bucket_strong  # noqa: F401,E402
from tfjax._src.ops.string_unicode import (ngrams, unicode_decode_with_offsets, unicode_script,  # noqa: F401,E402
                                           unicode_split_with_offsets, unicode_transcode)
