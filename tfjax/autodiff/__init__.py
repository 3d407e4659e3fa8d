"""``tf.autodiff``: explicit re-exports (the implementation lives in ``tfjax._src``)."""

from tfjax._src.forward_accumulator import ForwardAccumulator as ForwardAccumulator
from tfjax._src.tape import GradientTape as GradientTape
