"""``tf.keras.layers``."""

from tfjax._src.keras.layers import *  # noqa: F401,F403
from tfjax._src.keras.layers import (  # noqa: F401
    Layer, InputSpec, InputLayer, Input, serialize, deserialize,
)
from tfjax._src.keras import layers as _l

globals().update({k: v for k, v in vars(_l).items() if not k.startswith("_")})
from tfjax.keras.layers import experimental  # noqa: F401,E402
