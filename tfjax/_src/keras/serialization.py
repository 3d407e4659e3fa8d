"""Minimal Keras object (de)serialization used by initializers/activations/layers configs.

The full ``keras.saving`` implementation lives in ``saving/`` (another module); this
holds the dict format ``{"module", "class_name", "config", "registered_name"}``.
"""

from __future__ import annotations

import inspect

_CUSTOM = {}


def register(name, obj):
    _CUSTOM[name] = obj


def custom_objects():
    try:
        from tfjax._src.keras.saving import object_registration as _reg  # noqa: PLC0415
        d = dict(_reg.get_custom_objects())
    except Exception:  # noqa: BLE001
        d = {}
    d.update(_CUSTOM)
    return d


def serialize(obj, module):
    if obj is None:
        return None
    if inspect.isfunction(obj):
        return obj.__name__
    cfg = obj.get_config()
    return {"module": module, "class_name": type(obj).__name__, "config": cfg, "registered_name": None}


def deserialize(config, module_objects, custom_objects=None, printable_module_name="object"):
    if config is None:
        return None
    objs = dict(module_objects)
    objs.update(custom_objects_of(custom_objects))
    if isinstance(config, str):
        if config in objs:
            obj = objs[config]
            return obj() if inspect.isclass(obj) else obj
        raise ValueError(f"Could not interpret {printable_module_name} identifier: {config}")
    if isinstance(config, dict):
        name = config.get("registered_name") or config["class_name"]
        cls = objs.get(name) or objs.get(config["class_name"])
        if cls is None:
            raise ValueError(f"Could not interpret {printable_module_name} identifier: {config}")
        if inspect.isclass(cls):
            if hasattr(cls, "from_config"):
                return cls.from_config(config.get("config", {}))
            return cls(**config.get("config", {}))
        return cls
    raise ValueError(f"Could not interpret {printable_module_name} identifier: {config}")


def custom_objects_of(extra):
    d = custom_objects()
    if extra:
        d.update(extra)
    return d
