"""Legacy ``layers.experimental.preprocessing`` aliases."""

from tfjax._src.keras import layers as _l

globals().update({k: getattr(_l, k) for k in getattr(_l.preprocessing if hasattr(_l, "preprocessing") else _l,
                                                     "__all__", []) if hasattr(_l, k)})
from tfjax._src.keras.layers import preprocessing as _p  # noqa: E402

globals().update({k: getattr(_p, k) for k in _p.__all__})
