"""``tf.bitwise``: explicit re-exports (the implementation lives in ``tfjax._src``)."""

from tfjax._src.ops.bitwise_ops import bitwise_and as bitwise_and
from tfjax._src.ops.bitwise_ops import bitwise_or as bitwise_or
from tfjax._src.ops.bitwise_ops import bitwise_xor as bitwise_xor
from tfjax._src.ops.bitwise_ops import invert as invert
from tfjax._src.ops.bitwise_ops import left_shift as left_shift
from tfjax._src.ops.bitwise_ops import right_shift as right_shift
