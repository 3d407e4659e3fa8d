"""Per-family ``serialize`` / ``deserialize`` helpers (initializers, regularizers, constraints, ...).

The dict format and the rules for ``module`` / ``registered_name`` live in
``saving.serialization_lib``; this module only adds what the family functions do on
top: a table of short names (``"glorot_uniform"``, ``"l2"``) that strings resolve to.
Custom objects are looked up in every place Keras looks: the global registry
(``register_keras_serializable`` / ``get_custom_objects()``), the active
``custom_object_scope``s and the ``custom_objects=`` argument.
"""

from __future__ import annotations

import inspect


def custom_objects():
    """Global + scoped custom objects, keyed both by ``"package>Name"`` and by the names users gave."""
    from tfjax._src.keras.saving import object_registration as _reg  # noqa: PLC0415
    return _reg.all_custom_objects()


def custom_objects_of(extra):
    from tfjax._src.keras.saving import object_registration as _reg  # noqa: PLC0415
    return _reg.all_custom_objects(extra)


def serialize(obj, module=None):
    """Keras's config dict of ``obj``; ``module`` is ignored (the object's own class decides it, as in Keras)."""
    if obj is None:
        return None
    from tfjax._src.keras.saving import serialization_lib  # noqa: PLC0415
    return serialization_lib.serialize_keras_object(obj)


def deserialize(config, module_objects, custom_objects=None, printable_module_name="object"):
    if config is None:
        return None
    objs = custom_objects_of(custom_objects)
    if isinstance(config, str):
        obj = objs.get(config, module_objects.get(config))
        if obj is None:
            raise ValueError(f"Could not interpret {printable_module_name} identifier: {config}")
        return obj() if inspect.isclass(obj) else obj
    if isinstance(config, dict) and "class_name" in config:
        cls = (objs.get(config.get("registered_name") or "") or objs.get(config["class_name"])
               or module_objects.get(config["class_name"]))
        if cls is None:
            # Not one of this family's names: let the general resolver find it (public module, registry).
            from tfjax._src.keras.saving import serialization_lib  # noqa: PLC0415
            try:
                return serialization_lib.deserialize_keras_object(config, custom_objects=custom_objects)
            except TypeError:
                raise ValueError(f"Could not interpret {printable_module_name} identifier: {config}") from None
        if inspect.isclass(cls):
            inner = config.get("config") or {}
            if hasattr(cls, "from_config"):
                return cls.from_config(inner)
            return cls(**inner)
        return cls
    raise ValueError(f"Could not interpret {printable_module_name} identifier: {config}")
