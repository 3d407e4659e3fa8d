"""``tf.keras.constraints``."""

from tfjax._src.keras import constraints as _m

globals().update({k: v for k, v in vars(_m).items() if not k.startswith("_")})
