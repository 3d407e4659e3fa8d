"""``tf.keras.ops``."""

from tfjax._src.keras import ops as _o

globals().update({k: v for k, v in vars(_o).items() if not k.startswith("_")})
