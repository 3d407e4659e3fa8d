"""``keras.models.clone_model``: a new model with the same architecture and freshly initialized weights."""

from __future__ import annotations

from tfjax._src.keras.saving import serialization_lib


def _default_clone(layer):
    return layer.__class__.from_config(layer.get_config())


def clone_model(model, input_tensors=None, clone_function=None, call_function=None, recursive=False, **kwargs):
    from tfjax._src.keras.layers.input_layer import Input, InputLayer  # noqa: PLC0415
    from tfjax._src.keras.models import Functional, Sequential  # noqa: PLC0415

    if kwargs:
        raise ValueError(f"Unexpected keyword argument(s) passed to `clone_model()`: {list(kwargs)}")
    if isinstance(model, Sequential):
        if call_function is not None:
            raise ValueError("`call_function` argument is not supported with Sequential models. In a Sequential "
                             "model, layers aren't called at model-construction time (they're merely listed). "
                             "Use `call_function` with Functional models only. Received model of type "
                             f"'{model.__class__.__name__}', with call_function={clone_function}")
        fn = clone_function or _default_clone
        cloned = []
        for layer in model.layers:
            if recursive and isinstance(layer, Sequential):
                cloned.append(clone_model(layer, clone_function=clone_function, recursive=True))
            else:
                cloned.append(fn(layer))
        stack = []
        if input_tensors is not None:
            if isinstance(input_tensors, (list, tuple)):
                if len(input_tensors) != 1:
                    raise ValueError("Argument `input_tensors` must contain a single tensor.")
                input_tensors = input_tensors[0]
            stack.append(input_tensors)
        elif model._layers and isinstance(model._layers[0], InputLayer):
            il = model._layers[0]
            stack.append(Input(batch_shape=il.batch_shape, dtype=il.dtype, name=il.name))
        return Sequential(stack + cloned, name=model.name, trainable=model.trainable)
    if isinstance(model, Functional):
        if clone_function is None and call_function is None and input_tensors is None:
            return model.__class__.from_config(model.get_config())
        from tfjax._src.keras.models import functional as _functional  # noqa: PLC0415
        impl = getattr(_functional, "clone_functional_model", None)
        if impl is None:
            from tfjax._src.errors import unsupported  # noqa: PLC0415
            raise unsupported("clone_model(functional_model, clone_function/call_function/input_tensors=...)",
                              "clone without these arguments, or rebuild the model")
        return impl(model, input_tensors=input_tensors, clone_function=clone_function,
                    call_function=call_function, recursive=recursive)
    if clone_function or input_tensors:
        raise ValueError(
            "Arguments `clone_function` and `input_tensors` are only supported for Sequential models or "
            f"Functional models. Received model of type '{model.__class__.__name__}', with "
            f"clone_function={clone_function} and input_tensors={input_tensors}")
    if call_function is not None:
        raise ValueError(
            "Argument `call_function` is only supported for Functional models. Received model of type "
            f"'{model.__class__.__name__}', with call_function={clone_function}")
    return serialization_lib.deserialize_keras_object(serialization_lib.serialize_keras_object(model))
