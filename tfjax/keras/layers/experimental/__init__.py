from tfjax.keras.layers.experimental import preprocessing  # noqa: F401
