"""``TimeDistributed``: applies a layer to every temporal slice of its input."""

from __future__ import annotations

from tfjax._src.keras.layers.wrapper import Wrapper
from tfjax._src.keras.ops import core as C
from tfjax._src.keras.ops import numpy as N

__all__ = ["TimeDistributed"]


class TimeDistributed(Wrapper):
    def __init__(self, layer, **kwargs):
        super().__init__(layer, **kwargs)
        self.supports_masking = True

    def build(self, input_shape):
        child = (input_shape[0],) + tuple(input_shape[2:])
        if not self.layer.built:
            self.layer.build(child)

    def call(self, inputs, training=None, mask=None):
        x = C.t1(inputs)
        s = C.static_shape(x)
        flat = N.reshape(x, (-1,) + tuple(s[2:]))
        kw = {"training": training} if self.layer._call_spec.has_training else {}
        y = self.layer(flat, **kw)
        ys = C.static_shape(y)
        return N.reshape(y, (s[0] if s[0] is not None else -1, s[1]) + tuple(ys[1:]))

    def compute_output_shape(self, input_shape):
        child = self.layer.compute_output_shape((input_shape[0],) + tuple(input_shape[2:]))
        return (child[0], input_shape[1]) + tuple(child[1:])
