"""Custom-object registry: ``register_keras_serializable``, ``CustomObjectScope``, ``get_custom_objects``."""

from __future__ import annotations

import inspect
import threading

GLOBAL_CUSTOM_OBJECTS = {}
GLOBAL_CUSTOM_NAMES = {}


class _ScopeState(threading.local):
    def __init__(self):
        self.objects = {}


_scope = _ScopeState()


class CustomObjectScope:
    """``with CustomObjectScope({"name": obj}):`` exposes custom objects to deserialization."""

    def __init__(self, custom_objects):
        self.custom_objects = dict(custom_objects or {})
        self.backup = None

    def __enter__(self):
        self.backup = dict(_scope.objects)
        merged = dict(_scope.objects)
        merged.update(self.custom_objects)
        _scope.objects = merged
        return self

    def __exit__(self, *args):
        _scope.objects = self.backup
        return False


custom_object_scope = CustomObjectScope


def get_custom_objects():
    """The live global dictionary of custom objects (scoped ones are not in it, as in Keras)."""
    return GLOBAL_CUSTOM_OBJECTS


def scoped_custom_objects():
    """The objects of the active ``CustomObjectScope``s."""
    return dict(_scope.objects)


def all_custom_objects(extra=None):
    """Global + scoped + ``extra`` custom objects: what deserialization may look names up in."""
    d = dict(GLOBAL_CUSTOM_OBJECTS)
    d.update(_scope.objects)
    if extra:
        d.update(extra)
    return d


def register_keras_serializable(package="Custom", name=None):
    """Registers a class/function under ``"package>name"`` for (de)serialization."""

    def decorator(arg):
        class_name = name if name is not None else arg.__name__
        registered_name = f"{package}>{class_name}"
        if inspect.isclass(arg) and not hasattr(arg, "get_config"):
            raise ValueError("Cannot register a class that does not have a get_config() method.")
        GLOBAL_CUSTOM_OBJECTS[registered_name] = arg
        GLOBAL_CUSTOM_NAMES[arg] = registered_name
        return arg

    return decorator


def get_registered_name(obj):
    try:
        return GLOBAL_CUSTOM_NAMES[obj]
    except (KeyError, TypeError):
        return obj.__name__


def get_registered_object(name, custom_objects=None, module_objects=None):
    if name in _scope.objects:
        return _scope.objects[name]
    if name in GLOBAL_CUSTOM_OBJECTS:
        return GLOBAL_CUSTOM_OBJECTS[name]
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    if module_objects and name in module_objects:
        return module_objects[name]
    return None
