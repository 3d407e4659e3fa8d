"""``tf.summary``: TensorBoard summaries (scalars, histograms, images, text) on TensorBoard's event writer."""

from tfjax._src.summary.summary import (  # noqa: F401
    SummaryWriter, create_file_writer, create_noop_writer, scalar, histogram, image, text, write, flush,
    record_if, should_record_summaries, experimental, audio,
)
from tfjax._src.summary.trace import graph, trace_export, trace_off, trace_on  # noqa: F401
