"""``Wrapper``: the base of layers that wrap another layer (``Bidirectional``, ``TimeDistributed``)."""

from __future__ import annotations

from tfjax._src.keras.layers.layer import Layer


class Wrapper(Layer):
    def __init__(self, layer, **kwargs):
        super().__init__(**kwargs)
        self.layer = layer

    def get_config(self):
        from tfjax._src.keras.layers import serialize  # noqa: PLC0415
        base = super().get_config()
        base["layer"] = serialize(self.layer)
        return base

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from tfjax._src.keras.layers import deserialize  # noqa: PLC0415
        config = dict(config)
        config["layer"] = deserialize(config["layer"], custom_objects)
        return super().from_config(config)
