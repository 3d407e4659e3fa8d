"""tf.io implementation: TFRecord, Example protos and parsing, gfile, file/tensor/image codecs."""
