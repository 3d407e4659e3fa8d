"""Legacy ``tf.keras.layers.experimental.preprocessing`` aliases of the preprocessing layers."""

from tfjax._src.keras.layers import preprocessing as _p

globals().update({k: getattr(_p, k) for k in _p.__all__})
