"""Core layers (Keras's ``layers/core``): Dense, EinsumDense, Embedding, Identity, Lambda, Masking.

Activation layers live in :mod:`.activation`, the Dropout / noise family and ActivityRegularization in
:mod:`.regularization`, and Flatten / Reshape / Permute / RepeatVector in :mod:`.reshaping`.
"""

from __future__ import annotations

import re

import numpy as np

from tfjax._src import nest
from tfjax._src.keras import activations, constraints, initializers, regularizers
from tfjax._src.keras.layers.layer import Layer, InputSpec
from tfjax._src.keras.ops import core as C
from tfjax._src.keras.ops import numpy as N


def _ser(x, kind):
    if x is None:
        return None
    mod = {"init": initializers, "reg": regularizers, "con": constraints}[kind]
    return mod.serialize(x)


def _reject_unsupported(cls_name, **args):
    """Keras arguments tfjax has no implementation of: accepted at their default, refused otherwise."""
    for k, v in args.items():
        if v is not None:
            raise NotImplementedError(
                f"{cls_name}: the `{k}` argument (LoRA / quantization) is not supported by tfjax; "
                f"received {k}={v!r}. Leave it at its default (None).")


class Dense(Layer):
    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, lora_rank=None,
                 lora_alpha=None, quantization_config=None, **kwargs):
        _reject_unsupported("Dense", lora_rank=lora_rank, lora_alpha=lora_alpha,
                            quantization_config=quantization_config)
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.units = int(units)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.supports_masking = True
        self.input_spec = InputSpec(min_ndim=2)

    def build(self, input_shape):
        in_dim = input_shape[-1]
        self.kernel = self.add_weight(name="kernel", shape=(in_dim, self.units),
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer, constraint=self.kernel_constraint)
        if self.use_bias:
            self.bias = self.add_weight(name="bias", shape=(self.units,), initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer, constraint=self.bias_constraint)
        else:
            self.bias = None
        self.input_spec = InputSpec(min_ndim=2, axes={-1: in_dim})

    def call(self, inputs, training=None):
        x = N.matmul(inputs, self.kernel)
        if self.bias is not None:
            x = N.add(x, self.bias)
        if self.activation is not None and self.activation is not activations.linear:
            x = self.activation(x)
        return x

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self):
        base = super().get_config()
        base.update({
            "units": self.units, "activation": activations.serialize(self.activation), "use_bias": self.use_bias,
            "kernel_initializer": _ser(self.kernel_initializer, "init"),
            "bias_initializer": _ser(self.bias_initializer, "init"),
            "kernel_regularizer": _ser(self.kernel_regularizer, "reg"),
            "bias_regularizer": _ser(self.bias_regularizer, "reg"),
            "kernel_constraint": _ser(self.kernel_constraint, "con"),
            "bias_constraint": _ser(self.bias_constraint, "con"),
            "quantization_config": None,
        })
        return base


class EinsumDense(Layer):
    def __init__(self, equation, output_shape, activation=None, bias_axes=None,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, bias_constraint=None, lora_rank=None,
                 lora_alpha=None, gptq_unpacked_column_size=None, quantization_config=None, **kwargs):
        _reject_unsupported("EinsumDense", lora_rank=lora_rank, lora_alpha=lora_alpha,
                            gptq_unpacked_column_size=gptq_unpacked_column_size,
                            quantization_config=quantization_config)
        super().__init__(**kwargs)
        self.equation = equation
        if isinstance(output_shape, int):
            self.partial_output_shape = (output_shape,)
        else:
            self.partial_output_shape = tuple(output_shape)
        self.bias_axes = bias_axes
        self.activation = activations.get(activation)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)

    def build(self, input_shape):
        kernel_shape, bias_shape, full_out = _analyze_einsum(self.equation, self.bias_axes, input_shape,
                                                             self.partial_output_shape)
        self.full_output_shape = tuple(full_out)
        self.kernel = self.add_weight(name="kernel", shape=tuple(kernel_shape),
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer, constraint=self.kernel_constraint)
        if bias_shape is not None:
            self.bias = self.add_weight(name="bias", shape=tuple(bias_shape), initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer, constraint=self.bias_constraint)
        else:
            self.bias = None

    def call(self, inputs, training=None):
        x = N.einsum(self.equation, inputs, self.kernel)
        if self.bias is not None:
            x = N.add(x, self.bias)
        if self.activation is not None and self.activation is not activations.linear:
            x = self.activation(x)
        return x

    def compute_output_shape(self, input_shape):
        _, _, full = _analyze_einsum(self.equation, self.bias_axes, input_shape, self.partial_output_shape)
        return tuple(full)

    def get_config(self):
        base = super().get_config()
        base.update({
            "output_shape": self.partial_output_shape, "equation": self.equation,
            "activation": activations.serialize(self.activation), "bias_axes": self.bias_axes,
            "kernel_initializer": _ser(self.kernel_initializer, "init"),
            "bias_initializer": _ser(self.bias_initializer, "init"),
            "kernel_regularizer": _ser(self.kernel_regularizer, "reg"),
            "bias_regularizer": _ser(self.bias_regularizer, "reg"),
            "activity_regularizer": _ser(self.activity_regularizer, "reg"),
            "kernel_constraint": _ser(self.kernel_constraint, "con"),
            "bias_constraint": _ser(self.bias_constraint, "con"),
            "quantization_config": None,
        })
        return base


def _analyze_einsum(equation, bias_axes, input_shape, output_shape):
    dot_replaced = re.sub(r"\.\.\.", "0", equation)
    m = re.match(r"([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)", dot_replaced)
    if m:
        return _analyze_split(m.groups(), bias_axes, input_shape, output_shape, False)
    m = re.match(r"0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)", dot_replaced)
    if m:
        return _analyze_split(m.groups(), bias_axes, input_shape, output_shape, True)
    m = re.match(r"([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0", dot_replaced)
    if m:
        return _analyze_split(m.groups(), bias_axes, input_shape, output_shape, True)
    raise ValueError(f"Invalid einsum equation '{equation}'. Equations must be in the form "
                     "[X],[Y]->[Z], ...[X],[Y]->...[Z], or [X]...,[Y]->[Z]....")


def _analyze_split(groups, bias_axes, input_shape, output_shape, left_elided):
    input_spec, weight_spec, output_spec = groups
    input_shape = list(input_shape)
    output_shape = list(output_shape)
    num_input_dims = len(input_shape)
    elided = num_input_dims - len(input_spec)
    if len(output_shape) < len(output_spec):
        output_shape = [None] * (len(output_spec) - len(output_shape)) + output_shape if False else output_shape
    if left_elided:
        full_output_shape = input_shape[:elided]
    else:
        full_output_shape = []
    output_dim_map = {}
    if len(output_shape) != len(output_spec) - (0):
        # output_shape covers the non-input dims only
        pass
    input_dim_map = {dim: i + (elided if left_elided else 0) for i, dim in enumerate(input_spec)}
    out_full = []
    # Keras: output_shape lists every output dim except the batch/elided ones; dims from the input use
    # input sizes.
    spec_shape = list(output_shape)
    if len(spec_shape) < len(output_spec):
        # the leading dims come from the input
        spec_shape = [None] * (len(output_spec) - len(spec_shape)) + spec_shape
    n_lead = len(output_spec) - len(output_shape)
    for i, dim in enumerate(output_spec):
        if i < n_lead and dim in input_dim_map:
            out_full.append(input_shape[input_dim_map[dim]])
        elif spec_shape[i] is None and dim in input_dim_map:
            out_full.append(None)
        else:
            out_full.append(spec_shape[i])
    out_dim_map = {dim: i for i, dim in enumerate(output_spec)}
    weight_shape = []
    for dim in weight_spec:
        if dim in input_dim_map:
            weight_shape.append(input_shape[input_dim_map[dim]])
        elif dim in out_dim_map:
            weight_shape.append(out_full[out_dim_map[dim]])
            if weight_shape[-1] is None:
                raise ValueError(f"Weight dimension '{dim}' of the einsum kernel is unknown.")
        else:
            raise ValueError(f"Weight dimension '{dim}' did not have a match in either the input spec "
                             f"'{input_spec}' or the output spec '{output_spec}'.")
    bias_shape = None
    if bias_axes is not None:
        num_left = elided if left_elided else 0
        idx = sorted(output_spec.find(c) for c in bias_axes)
        first = min(idx)
        bias_shape = [out_full[i] if i in idx else 1 for i in range(first, len(output_spec))]
    full = (list(input_shape[:elided]) if left_elided else []) + out_full
    if not left_elided and elided > 0:
        full = out_full + list(input_shape[-elided:])
    return weight_shape, bias_shape, full


class Embedding(Layer):
    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform", embeddings_regularizer=None,
                 embeddings_constraint=None, mask_zero=False, weights=None, lora_rank=None, lora_alpha=None,
                 quantization_config=None, **kwargs):
        _reject_unsupported("Embedding", lora_rank=lora_rank, lora_alpha=lora_alpha,
                            quantization_config=quantization_config)
        input_length = kwargs.pop("input_length", None)   # as Keras: deprecated, warned about, unused
        if input_length is not None:
            import warnings  # noqa: PLC0415
            warnings.warn("Argument `input_length` is deprecated. Just remove it.", stacklevel=2)
        super().__init__(**kwargs)
        self.input_dim = int(input_dim)
        self.output_dim = int(output_dim)
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = mask_zero
        self.supports_masking = mask_zero
        self.autocast = False
        self._initial_weights = weights
        if weights is not None:
            self.build()
            self.set_weights(weights if isinstance(weights, list) else [weights])

    def build(self, input_shape=None):
        if self.built:
            return
        self.embeddings = self.add_weight(shape=(self.input_dim, self.output_dim),
                                          initializer=self.embeddings_initializer, name="embeddings",
                                          regularizer=self.embeddings_regularizer,
                                          constraint=self.embeddings_constraint, trainable=True)

    def call(self, inputs):
        x = C.t1(inputs)
        if not np.issubdtype(x._value.dtype, np.integer):
            x = C.cast(x, "int32")
        out = N.take(self.embeddings, x, axis=0)
        return C.cast(out, self.compute_dtype)

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        return N.not_equal(inputs, 0)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape) + (self.output_dim,)

    def compute_output_spec(self, *args, **kwargs):
        from tfjax._src.keras.keras_tensor import KerasTensor  # noqa: PLC0415
        return KerasTensor(self.compute_output_shape(args[0].shape), self.compute_dtype)

    def get_config(self):
        base = super().get_config()
        base.update({
            "input_dim": self.input_dim, "output_dim": self.output_dim,
            "embeddings_initializer": _ser(self.embeddings_initializer, "init"),
            "embeddings_regularizer": _ser(self.embeddings_regularizer, "reg"),
            "activity_regularizer": _ser(self.activity_regularizer, "reg"),
            "embeddings_constraint": _ser(self.embeddings_constraint, "con"),
            "mask_zero": self.mask_zero, "quantization_config": None,
        })
        return base


class Identity(Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return nest.map_structure(lambda x: x, inputs)

    def compute_output_shape(self, input_shape):
        return input_shape


class Lambda(Layer):
    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        self.function = function
        self.arguments = arguments or {}
        self._output_shape = output_shape
        self.mask = mask
        self.supports_masking = mask is not None
        self.built = True

    def call(self, inputs, mask=None, training=None):
        import inspect  # noqa: PLC0415
        kw = dict(self.arguments)
        try:
            params = inspect.signature(self.function).parameters
        except (TypeError, ValueError):
            params = {}
        if "mask" in params:
            kw["mask"] = mask
        if "training" in params:
            kw["training"] = training
        return self.function(inputs, **kw)

    def compute_mask(self, inputs, mask=None):
        if callable(self.mask):
            return self.mask(inputs, mask)
        return self.mask

    def get_config(self):
        from tfjax._src.keras.saving import serialization_lib as _sl  # noqa: PLC0415
        config = {"function": _function_config(self.function)}
        if self._output_shape is not None:
            config["output_shape"] = (_function_config(self._output_shape) if callable(self._output_shape)
                                      else self._output_shape)
        if self.mask is not None:
            config["mask"] = _function_config(self.mask) if callable(self.mask) else _sl.serialize_keras_object(
                self.mask)
        config["arguments"] = _sl.serialize_keras_object(self.arguments)
        return {**super().get_config(), **config}

    @classmethod
    def from_config(cls, config, custom_objects=None, safe_mode=None):
        from tfjax._src.keras.saving import serialization_lib as _sl  # noqa: PLC0415
        # An unset safe_mode falls back to the ambient deserialization scope, and an unset scope counts
        # as safe: a direct from_config() call must not run bytecode from an untrusted config.
        if safe_mode is None:
            safe_mode = _sl.in_safe_mode()
        safe_mode = safe_mode is not False
        config = dict(config)
        for key in ("function", "output_shape", "mask"):
            if key not in config:
                continue
            value = config[key]
            if isinstance(value, dict) and value.get("class_name") == "__lambda__":
                if safe_mode:
                    raise ValueError(_LAMBDA_LAYER_ERROR)
                inner = value["config"]
                config[key] = _sl.func_load(inner["code"], defaults=inner.get("defaults"),
                                            closure=inner.get("closure"))
            elif key == "function" or isinstance(value, dict):
                config[key] = _sl.deserialize_keras_object(value, custom_objects=custom_objects)
                if key == "output_shape" and isinstance(config[key], list) and all(
                        isinstance(e, (int, type(None))) for e in config[key]):
                    config[key] = tuple(config[key])
            elif key == "output_shape" and isinstance(value, list):
                config[key] = tuple(value)
        if "arguments" in config:
            config["arguments"] = _sl.deserialize_keras_object(config["arguments"], custom_objects=custom_objects)
        return cls(**config)


_LAMBDA_LAYER_ERROR = (
    "Requested the deserialization of a `Lambda` layer whose `function` is a Python lambda. This carries a "
    "potential risk of arbitrary code execution and thus it is disallowed by default. If you trust the source "
    "of the artifact, you can override this error by passing `safe_mode=False` to the loading function, or "
    "calling `keras.config.enable_unsafe_deserialization()`.")


def _function_config(fn):
    """A Lambda's callable in Keras's format: bytecode for a Python lambda, the function/object dict otherwise."""
    from tfjax._src.keras.saving import serialization_lib as _sl  # noqa: PLC0415
    import types  # noqa: PLC0415
    if isinstance(fn, types.LambdaType) and fn.__name__ == "<lambda>":
        code, defaults, closure = _sl.func_dump(fn)
        return {"class_name": "__lambda__", "config": {"code": code, "defaults": defaults, "closure": closure}}
    if callable(fn):
        return _sl.serialize_keras_object(fn)
    raise ValueError(f"Invalid input type for serialization. Received: {fn} of type {type(fn)}.")


class Masking(Layer):
    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        self.mask_value = mask_value
        self.supports_masking = True
        self.built = True

    def compute_mask(self, inputs, mask=None):
        return N.any(N.not_equal(inputs, self.mask_value), axis=-1)

    def call(self, inputs):
        keep = N.any(N.not_equal(inputs, self.mask_value), axis=-1, keepdims=True)
        x = C.t1(inputs)
        return N.multiply(x, C.cast(keep, C.dtype_of(x)))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        base = super().get_config()
        base["mask_value"] = self.mask_value
        return base
