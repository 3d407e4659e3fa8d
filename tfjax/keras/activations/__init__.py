"""``tf.keras.activations``."""

from tfjax._src.keras import activations as _m

globals().update({k: v for k, v in vars(_m).items() if not k.startswith("_")})
