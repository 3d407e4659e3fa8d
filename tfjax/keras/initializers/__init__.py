"""``tf.keras.initializers``."""

from tfjax._src.keras import initializers as _m

globals().update({k: v for k, v in vars(_m).items() if not k.startswith("_")})
