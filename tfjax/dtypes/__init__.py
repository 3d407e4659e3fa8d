"""``tf.dtypes``: explicit re-exports (the implementation lives in ``tfjax._src``)."""

from tfjax._src.dtypes import DType as DType
from tfjax._src.dtypes import as_dtype as as_dtype
from tfjax._src.dtypes import bfloat16 as bfloat16
from tfjax._src.dtypes import bool as bool  # noqa: A004
from tfjax._src.dtypes import complex64 as complex64
from tfjax._src.dtypes import complex128 as complex128
from tfjax._src.dtypes import double as double
from tfjax._src.dtypes import float16 as float16
from tfjax._src.dtypes import float32 as float32
from tfjax._src.dtypes import float64 as float64
from tfjax._src.dtypes import half as half
from tfjax._src.dtypes import int8 as int8
from tfjax._src.dtypes import int16 as int16
from tfjax._src.dtypes import int32 as int32
from tfjax._src.dtypes import int64 as int64
from tfjax._src.dtypes import qint8 as qint8
from tfjax._src.dtypes import qint32 as qint32
from tfjax._src.dtypes import quint8 as quint8
from tfjax._src.dtypes import resource as resource
from tfjax._src.dtypes import string as string
from tfjax._src.dtypes import uint8 as uint8
from tfjax._src.dtypes import uint16 as uint16
from tfjax._src.dtypes import uint32 as uint32
from tfjax._src.dtypes import uint64 as uint64
from tfjax._src.dtypes import variant as variant
from tfjax._src.ops.math_ops import cast as cast
from tfjax._src.ops.math_ops import complex as complex  # noqa: A004
from tfjax._src.ops.math_ops import saturate_cast as saturate_cast

QUANTIZED_DTYPES = frozenset([qint8, quint8, qint32])
