"""``tf.keras.models``."""

from tfjax._src.keras.models import Model, Sequential  # noqa: F401


def clone_model(model, input_tensors=None, clone_function=None, call_function=None, recursive=False, **kwargs):
    from tfjax._src.keras.saving.cloning import clone_model as _c  # noqa: PLC0415
    return _c(model, input_tensors=input_tensors, clone_function=clone_function, call_function=call_function,
              recursive=recursive, **kwargs)


def __getattr__(name):
    if name in ("load_model", "save_model", "model_from_json", "model_from_config"):
        import importlib  # noqa: PLC0415
        try:
            mod = importlib.import_module("tfjax._src.keras.saving")
            return getattr(mod, name)
        except (ImportError, AttributeError):
            if name == "model_from_json":
                return _model_from_json
            if name == "model_from_config":
                return _model_from_config
            raise AttributeError(name) from None
    raise AttributeError(f"module 'tfjax.keras.models' has no attribute '{name}'")


def _model_from_config(config, custom_objects=None):
    from tfjax._src.keras.layers import deserialize  # noqa: PLC0415
    return deserialize(config, custom_objects)


def _model_from_json(json_string, custom_objects=None):
    import json  # noqa: PLC0415
    return _model_from_config(json.loads(json_string), custom_objects)
