"""``tf.keras.regularizers``."""

from tfjax._src.keras import regularizers as _m

globals().update({k: v for k, v in vars(_m).items() if not k.startswith("_")})
