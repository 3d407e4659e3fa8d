"""``tf.io``: file and record I/O, Example parsing, tensor/image codecs."""

from tfjax._src.io.file_io import (decode_base64, decode_bmp, decode_compressed, decode_csv,  # noqa: F401
                                   decode_gif, decode_image, decode_jpeg, decode_png, decode_raw,
                                   encode_base64, encode_jpeg, encode_png, extract_jpeg_shape, is_jpeg,
                                   matching_files, parse_tensor, read_file, serialize_tensor,
                                   write_file)
from tfjax._src.io.parsing import (FixedLenFeature, FixedLenSequenceFeature, RaggedFeature,  # noqa: F401
                                   SparseFeature, VarLenFeature, parse_example,
                                   parse_sequence_example, parse_single_example,
                                   parse_single_sequence_example)
from tfjax._src.io.file_io import (decode_json_example, decode_proto, encode_proto,  # noqa: F401
                                   match_filenames_once, write_graph)
from tfjax._src.io.sparse_serialization import (deserialize_many_sparse, serialize_many_sparse,  # noqa: F401
                                                serialize_sparse)
from tfjax._src.io.tfrecord import TFRecordOptions, TFRecordWriter  # noqa: F401
from tfjax.io import gfile  # noqa: F401
