"""``tf.summary`` on TensorBoard's own event writer."""

from tfjax._src.summary.summary import (  # noqa: F401
    SummaryWriter, create_file_writer, create_noop_writer, scalar, histogram, image, text, write, flush,
    record_if, should_record_summaries, get_step, set_step, experimental,
)
