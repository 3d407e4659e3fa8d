"""``keras.Model``: a Layer with training (``Trainer``), layer access and ``summary()``."""

from __future__ import annotations

from tfjax._src.keras.layers.layer import Layer
from tfjax._src.keras.trainers.trainer import Trainer


def _is_functional_args(args, kwargs):
    if "inputs" in kwargs and "outputs" in kwargs:
        return True
    if len(args) == 2 or (len(args) == 1 and "outputs" in kwargs):
        return True
    return False


class Model(Trainer, Layer):
    """A model: Functional (``Model(inputs, outputs)``), Sequential, or subclassed."""

    def __new__(cls, *args, **kwargs):
        if cls is Model and _is_functional_args(args, kwargs):
            from tfjax._src.keras.models.functional import Functional  # noqa: PLC0415
            return Functional.__new__(Functional, *args, **kwargs)
        return super().__new__(cls, *args, **kwargs)

    def __init__(self, *args, **kwargs):
        from tfjax._src.keras.models.functional import Functional  # noqa: PLC0415
        functional = kwargs.pop("_functional", False)
        if not functional and _is_functional_args(args, kwargs) and not isinstance(self, Functional):
            # Subclassed model built with super().__init__(inputs, outputs): become functional.
            inputs = kwargs.pop("inputs", None) if "inputs" in kwargs else args[0]
            outputs = kwargs.pop("outputs", None) if "outputs" in kwargs else args[1]
            cls = type(self)
            self.__class__ = type(cls.__name__, (cls, Functional), {"__module__": cls.__module__})
            Trainer.__init__(self)
            Layer.__init__(self, name=kwargs.pop("name", None), trainable=kwargs.pop("trainable", True),
                           dtype=kwargs.pop("dtype", None))
            self._is_graph_network = False
            Functional._init_graph(self, inputs, outputs)
            return
        Trainer.__init__(self)
        Layer.__init__(self, **kwargs)
        if "_is_graph_network" not in self.__dict__:
            self._is_graph_network = False

    @property
    def layers(self):
        return list(self._flatten_layers(include_self=False, recursive=False))

    @layers.setter
    def layers(self, _):
        raise AttributeError("`Model.layers` attribute is reserved and should not be used. Please use "
                             "another name.")

    def get_layer(self, name=None, index=None):
        if index is not None and name is not None:
            raise ValueError(f"Provide only a layer name or a layer index. Received: index={index}, name={name}.")
        if index is not None:
            if len(self.layers) <= index:
                raise ValueError(f"Was asked to retrieve layer at index {index} but model only has "
                                 f"{len(self.layers)} layers.")
            return self.layers[index]
        if name is not None:
            for layer in self.layers:
                if layer.name == name:
                    return layer
            raise ValueError(f"No such layer: {name}. Existing layers are: {[l.name for l in self.layers]}.")
        raise ValueError("Provide either a layer name or layer index at `get_layer`.")

    def summary(self, line_length=None, positions=None, print_fn=None, expand_nested=False, show_trainable=False,
                layer_range=None):
        from tfjax._src.keras.models.summary import print_summary  # noqa: PLC0415
        print_summary(self, line_length=line_length, positions=positions, print_fn=print_fn,
                      expand_nested=expand_nested, show_trainable=show_trainable, layer_range=layer_range)

    def build(self, input_shape=None):
        """Keras 3's default ``build``: marks the model built (sublayers build on the first call)."""
        if any(not l.built for l in self._flatten_layers(include_self=False)):
            import warnings  # noqa: PLC0415
            warnings.warn(
                f"`build()` was called on layer '{self.name}', however the layer does not have a `build()` method "
                "implemented and it looks like it has unbuilt state. This will cause the layer to be marked as "
                "built, despite not being actually built, which may cause failures down the line. Make sure to "
                "implement a proper `build()` method.", stacklevel=2)
        self.built = True

    def build_from_config(self, config):
        if not config or self.built:
            return
        shape = config.get("input_shape")
        if shape is None and config.get("shapes_dict"):
            shape = next(iter(config["shapes_dict"].values()))
        if shape is not None:
            if type(self).build is Model.build:
                self._build_by_run(shape)
            else:
                self.build(shape)

    def _build_by_run(self, input_shape):
        if self.built:
            return
        if input_shape is None:
            raise ValueError("You must provide an `input_shape` argument.")
        from tfjax._src.keras.layers.layer import _shape_struct_to_kt  # noqa: PLC0415
        from tfjax._src.keras.ops.core import convert_to_tensor  # noqa: PLC0415
        import numpy as np  # noqa: PLC0415
        # Build by running the model once on zeros of that shape (batch dims of None -> 1).

        def zeros(s):
            s = tuple(1 if d is None else d for d in (s.as_list() if hasattr(s, "as_list") else s))
            return convert_to_tensor(np.zeros(s, dtype=self.compute_dtype))
        if isinstance(input_shape, dict):
            x = {k: zeros(v) for k, v in input_shape.items()}
        elif isinstance(input_shape, list) and input_shape and isinstance(input_shape[0], (list, tuple)):
            x = [zeros(s) for s in input_shape]
        else:
            x = zeros(input_shape)
        try:
            self.__call__(x)
        except Exception as e:
            raise ValueError(
                "You cannot build your model by calling `build()` if your layers do not support float type "
                f"inputs. Instead, in order to instantiate and build your model, call your model on real "
                f"tensor data (of the correct dtype).\n\nThe actual error from `call` is: {e}.") from e
        self._build_shapes_dict = {"input_shape": input_shape}
        self.built = True

    def _maybe_build(self, args, kwargs):
        if self.built:
            return
        if type(self).build is Model.build:
            # Subclassed model without its own build(): sublayers build lazily inside call().
            from tfjax._src.keras.layers.layer import _shapes  # noqa: PLC0415
            if args:
                self._build_shapes_dict = {"input_shape": _shapes(args[0])}
            self.built = True
            return
        Layer._maybe_build(self, args, kwargs)

    def get_config(self):
        return Layer.get_config(self)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        if "layers" in config and "input_layers" in config:
            from tfjax._src.keras.models.functional import Functional  # noqa: PLC0415
            return Functional.from_config.__func__(cls if issubclass(cls, Functional) else Functional, config,
                                                   custom_objects)
        return cls(**config)

    # -- saving (implemented in keras.saving) ------------------------------------------
    def save(self, filepath, overwrite=True, zipped=None, **kwargs):
        from tfjax._src.keras.saving import saving_api  # noqa: PLC0415
        return saving_api.save_model(self, filepath, overwrite=overwrite, zipped=zipped, **kwargs)

    def save_weights(self, filepath, overwrite=True, max_shard_size=None, **kwargs):
        from tfjax._src.keras.saving import saving_api  # noqa: PLC0415
        return saving_api.save_weights(self, filepath, overwrite=overwrite, max_shard_size=max_shard_size, **kwargs)

    def load_weights(self, filepath, skip_mismatch=False, **kwargs):
        from tfjax._src.keras.saving import saving_api  # noqa: PLC0415
        return saving_api.load_weights(self, filepath, skip_mismatch=skip_mismatch, **kwargs)

    def export(self, filepath, format="tf_saved_model", verbose=True, input_signature=None, **kwargs):
        """``Model.export``: a TF SavedModel artifact (the only format tfjax exports)."""
        from tfjax._src.saved_model import export_model  # noqa: PLC0415
        return export_model(self, filepath, format=format, verbose=verbose, input_signature=input_signature,
                            **kwargs)

    def to_json(self, **kwargs):
        import json  # noqa: PLC0415
        from tfjax._src.keras.layers import serialize  # noqa: PLC0415
        return json.dumps(serialize(self), default=_json_default, **kwargs)

    def __reduce__(self):
        return object.__reduce__(self)


def _json_default(o):
    import numpy as np  # noqa: PLC0415
    if isinstance(o, (np.integer,)):
        return int(o)
    if isinstance(o, np.floating):
        return float(o)
    if isinstance(o, np.ndarray):
        return o.tolist()
    if isinstance(o, tuple):
        return list(o)
    raise TypeError(f"Not JSON serializable: {o!r}")
