"""``Bidirectional``: runs a recurrent layer forwards and backwards and merges the results."""

from __future__ import annotations

from tfjax._src.keras.layers.layer import Layer
from tfjax._src.keras.layers.wrapper import Wrapper
from tfjax._src.keras.ops import numpy as N

__all__ = ["Bidirectional"]


class Bidirectional(Wrapper):
    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(f"Please initialize `Bidirectional` layer with a `keras.layers.Layer` instance. "
                             f"Received: {layer}")
        if merge_mode not in ("sum", "mul", "ave", "concat", None):
            raise ValueError(f"Invalid merge mode. Received: {merge_mode}. Merge mode should be one of "
                             '{"sum", "mul", "ave", "concat", None}')
        super().__init__(layer, **kwargs)
        cfg = layer.get_config()
        cfg["name"] = "forward_" + layer.name.split("/")[-1] if not layer.name.startswith("forward_") else layer.name
        self.forward_layer = type(layer).from_config(cfg)
        if backward_layer is None:
            bcfg = layer.get_config()
            bcfg["go_backwards"] = not bcfg.get("go_backwards", False)
            bcfg["name"] = "backward_" + layer.name.split("/")[-1]
            self.backward_layer = type(layer).from_config(bcfg)
        else:
            self.backward_layer = backward_layer
        self.__dict__["_layers"][:] = [l for l in self._layers if l is not layer]
        self.merge_mode = merge_mode
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.supports_masking = True
        if self.return_sequences:
            self.forward_layer.zero_output_for_mask = True
            self.backward_layer.zero_output_for_mask = True
        self.stateful = layer.stateful

    def build(self, sequences_shape, initial_state_shape=None):
        self.forward_layer.build(sequences_shape)
        self.backward_layer.build(sequences_shape)

    def call(self, sequences, initial_state=None, mask=None, training=None):
        kw = {"mask": mask, "training": training}
        if initial_state is not None:
            half = len(initial_state) // 2
            fi, bi = initial_state[:half], initial_state[half:]
        else:
            fi = bi = None
        fo = self.forward_layer(sequences, initial_state=fi, **kw)
        bo = self.backward_layer(sequences, initial_state=bi, **kw)
        if self.return_state:
            fs, bs = fo[1:], bo[1:]
            fo, bo = fo[0], bo[0]
        if self.return_sequences:
            bo = N.flip(bo, axis=1)
        if self.merge_mode == "concat":
            out = N.concatenate([fo, bo], axis=-1)
        elif self.merge_mode == "sum":
            out = N.add(fo, bo)
        elif self.merge_mode == "ave":
            out = N.multiply(N.add(fo, bo), 0.5)
        elif self.merge_mode == "mul":
            out = N.multiply(fo, bo)
        else:
            out = [fo, bo]
        if self.return_state:
            if self.merge_mode is None:
                return out + list(fs) + list(bs)
            return [out] + list(fs) + list(bs)
        return out

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        fs = self.forward_layer.compute_output_shape(sequences_shape)
        if self.return_state:
            out, states = fs[0], fs[1:]
        else:
            out, states = fs, []
        if self.merge_mode == "concat":
            out = tuple(out[:-1]) + (out[-1] * 2,)
        elif self.merge_mode is None:
            out = [out, out]
        if self.return_state:
            return ([out] if self.merge_mode is not None else out) + list(states) * 2
        return out

    def compute_output_spec(self, *args, **kwargs):
        from tfjax._src.keras.keras_tensor import KerasTensor  # noqa: PLC0415
        shp = self.compute_output_shape(args[0].shape)
        if isinstance(shp, list):
            return [KerasTensor(s, self.compute_dtype) for s in shp]
        return KerasTensor(shp, self.compute_dtype)

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, list):
            mask = mask[0]
        out_mask = mask if self.return_sequences else None
        if self.return_state:
            n = len(self.forward_layer.cell.state_size) if isinstance(self.forward_layer.cell.state_size, list) else 1
            return [out_mask] + [None] * (2 * n)
        return out_mask

    def reset_states(self):
        self.forward_layer.reset_states()
        self.backward_layer.reset_states()

    def get_config(self):
        from tfjax._src.keras.layers import serialize  # noqa: PLC0415
        base = Layer.get_config(self)
        base["merge_mode"] = self.merge_mode
        base["layer"] = serialize(self.forward_layer)
        base["backward_layer"] = serialize(self.backward_layer)
        return base

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from tfjax._src.keras.layers import deserialize  # noqa: PLC0415
        config = dict(config)
        config["layer"] = deserialize(config["layer"], custom_objects)
        if config.get("backward_layer"):
            config["backward_layer"] = deserialize(config["backward_layer"], custom_objects)
        return cls(**config)
