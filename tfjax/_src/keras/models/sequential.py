"""``keras.Sequential``."""

from __future__ import annotations

from tfjax._src.keras import backend
from tfjax._src.keras.keras_tensor import KerasTensor
from tfjax._src.keras.layers.layer import Layer
from tfjax._src.keras.layers.input_layer import InputLayer, Input
from tfjax._src.keras.models.model import Model
from tfjax._src.keras.variables import name_scope


class Sequential(Model):
    def __init__(self, layers=None, trainable=True, name=None):
        Model.__init__(self, trainable=trainable, name=name)
        self.__dict__["_functional"] = None
        if layers:
            for layer in layers:
                self.add(layer, rebuild=False)
            self._maybe_rebuild()

    def add(self, layer, rebuild=True):
        if isinstance(layer, KerasTensor) and layer._keras_history is not None and \
                isinstance(layer._keras_history.operation, InputLayer):
            layer = layer._keras_history.operation
        if not isinstance(layer, Layer):
            raise ValueError(f"Only instances of `keras.Layer` can be added to a Sequential model. Received: "
                             f"{layer} (of type {type(layer)})")
        if not self._layers and not isinstance(layer, InputLayer):
            bis = getattr(layer, "_batch_input_shape", None)
            if bis is not None:
                self._layers.append(InputLayer(batch_shape=bis))
        if isinstance(layer, InputLayer) and self._layers and isinstance(self._layers[0], InputLayer):
            raise ValueError(f"Sequential model '{self.name}' has already been configured to use input shape "
                             f"{self._layers[0].batch_shape}. You cannot add a different Input layer to it.")
        names = {l.name for l in self._layers}
        if layer.name in names:
            raise ValueError(f"All layers added to a Sequential model should have unique names. Name "
                             f"'{layer.name}' is already the name of a layer in this model. Update the `name` "
                             "argument to pass a unique name.")
        self._layers.append(layer)
        if rebuild:
            self._maybe_rebuild()
        else:
            self.built = False
            self.__dict__["_functional"] = None

    def pop(self, rebuild=True):
        layers = self.layers
        if not layers:
            raise TypeError("There are no layers in the model.")
        layer = layers[-1]
        self._layers[:] = [l for l in self._layers if l is not layer]
        self.built = False
        self.__dict__["_functional"] = None
        if rebuild:
            self._maybe_rebuild()
        return layer

    def _maybe_rebuild(self):
        self.built = False
        self.__dict__["_functional"] = None
        if self._layers and isinstance(self._layers[0], InputLayer) and len(self._layers) > 1:
            self.build(self._layers[0].batch_shape)
        elif self._layers and isinstance(self._layers[0], InputLayer):
            self.built = False

    @property
    def layers(self):
        return [l for l in self._layers if not isinstance(l, InputLayer)]

    @layers.setter
    def layers(self, _):
        raise AttributeError("`Model.layers` attribute is reserved and should not be used.")

    def build(self, input_shape=None):
        if self.built and self._functional is not None:
            return
        if input_shape is None:
            raise ValueError("You must provide an `input_shape` argument.")
        if isinstance(input_shape, dict) or (isinstance(input_shape, list) and input_shape
                                             and isinstance(input_shape[0], (list, tuple))):
            return Model._build_by_run(self, input_shape)
        if hasattr(input_shape, "as_list"):
            input_shape = input_shape.as_list()
        input_shape = tuple(input_shape)
        if self._layers and isinstance(self._layers[0], InputLayer):
            if tuple(self._layers[0].batch_shape) != input_shape:
                raise ValueError(f"Sequential model '{self.name}' has already been configured to use input "
                                 f"shape {self._layers[0].batch_shape}. You cannot build it with input_shape "
                                 f"{input_shape}")
            inp_layer = self._layers[0]
        else:
            dtype = None
            inp_layer = InputLayer(batch_shape=input_shape, dtype=dtype)
            self._layers.insert(0, inp_layer)
        inputs = inp_layer.output
        x = inputs
        with name_scope(self.name, caller=self):
            for layer in self._layers[1:]:
                try:
                    x = layer(x)
                except NotImplementedError:
                    return
                except TypeError as e:
                    import inspect  # noqa: PLC0415
                    sig = inspect.signature(layer.call)
                    positional = [p for p in sig.parameters.values()
                                  if p.default is p.empty and p.kind == p.POSITIONAL_OR_KEYWORD]
                    if len(positional) != 1:
                        raise ValueError(
                            "Layers added to a Sequential model can only have a single positional argument, "
                            f"the input tensor. Layer {type(layer).__name__} has multiple positional "
                            f"arguments: {positional}") from e
                    raise
        from tfjax._src.keras.models.functional import Functional  # noqa: PLC0415
        self.__dict__["_functional"] = Functional(inputs=inputs, outputs=x)
        # Functional's auto-generated name must not consume the counter of user-visible names
        self.built = True
        self._build_shapes_dict = {"input_shape": input_shape}

    def call(self, inputs, training=None, mask=None):
        if self._functional is not None:
            return self._functional.call(inputs, training=training, mask=mask)
        from tfjax._src.keras.keras_tensor import get_mask  # noqa: PLC0415
        x = inputs
        for layer in self.layers:
            kw = {}
            if layer._call_spec.has_training:
                kw["training"] = training
            x = layer(x, **kw)
        return x

    def _maybe_build(self, args, kwargs):
        if self.built:
            return
        x = args[0]
        shape = tuple(x.shape) if not hasattr(x.shape, "as_list") else tuple(x.shape.as_list())
        if self._layers and isinstance(self._layers[0], InputLayer):
            self.build(self._layers[0].batch_shape)
        else:
            try:
                self.build((None,) + shape[1:])
            except Exception:  # noqa: BLE001
                self.built = True
        self.built = True

    @property
    def inputs(self):
        return self._functional.inputs if self._functional is not None else None

    @property
    def outputs(self):
        return self._functional.outputs if self._functional is not None else None

    @property
    def input(self):
        if self._functional is None:
            raise AttributeError(f"Sequential model '{self.name}' has no defined input.")
        return self._functional.input

    @property
    def output(self):
        if self._functional is None:
            raise AttributeError(f"Sequential model '{self.name}' has no defined output.")
        return self._functional.output

    @property
    def input_shape(self):
        if self._layers and isinstance(self._layers[0], InputLayer):
            return self._layers[0].batch_shape
        raise AttributeError(f"Sequential model '{self.name}' has no defined input shape yet.")

    @property
    def output_shape(self):
        if self._functional is not None:
            return self._functional.output_shape
        raise AttributeError(f"Sequential model '{self.name}' has no defined output shape yet.")

    def compute_output_spec(self, *args, **kwargs):
        return Model.compute_output_spec(self, *args, **kwargs)

    def get_config(self):
        from tfjax._src.keras.layers import serialize  # noqa: PLC0415
        layer_configs = [serialize(l) for l in self._layers]
        cfg = {"name": self.name, "trainable": self.trainable,
               "dtype": {"module": "keras", "class_name": "DTypePolicy",
                         "config": {"name": self.dtype_policy.name}, "registered_name": None},
               "layers": layer_configs}
        if self._build_shapes_dict is not None:
            cfg["build_input_shape"] = self._build_shapes_dict.get("input_shape")
        return cfg

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from tfjax._src.keras.layers import deserialize  # noqa: PLC0415
        model = cls(name=config.get("name"), trainable=config.get("trainable", True))
        for lc in config["layers"]:
            model.add(deserialize(lc, custom_objects), rebuild=False)
        model._maybe_rebuild()
        if not model.built and config.get("build_input_shape"):
            model.build(config["build_input_shape"])
        return model
