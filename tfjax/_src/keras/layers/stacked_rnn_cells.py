"""``StackedRNNCells``: several cells run as one."""

from __future__ import annotations

from tfjax._src.keras.layers.layer import Layer

__all__ = ["StackedRNNCells"]


class StackedRNNCells(Layer):
    def __init__(self, cells, **kwargs):
        super().__init__(**kwargs)
        self.cells = list(cells)

    @property
    def state_size(self):
        return [c.state_size for c in self.cells]

    @property
    def output_size(self):
        return self.cells[-1].output_size

    def build(self, input_shape):
        shape = input_shape
        for c in self.cells:
            c.build(shape)
            shape = tuple(shape[:-1]) + (c.output_size,)

    def get_initial_state(self, batch_size=None):
        return [c.get_initial_state(batch_size) for c in self.cells]

    def call(self, inputs, states, training=False):
        new_states = []
        x = inputs
        for c, s in zip(self.cells, states):
            x, ns = c(x, s, training=training) if c._call_spec.has_training else c(x, s)
            new_states.append(ns)
        return x, new_states
