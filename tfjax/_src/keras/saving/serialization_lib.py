"""Keras 3 object (de)serialization: ``serialize_keras_object`` / ``deserialize_keras_object``.

The format is Keras 3's::

    {"module": "keras.layers", "class_name": "Dense", "config": {...},
     "registered_name": null, "build_config": {...}, "compile_config": {...}}

``module`` is the *public Keras* module name (``keras``, ``keras.layers``,
``keras.optimizers`` ...), so configs written by tfjax load in real Keras and the
other way round; tfjax resolves ``keras.X`` to ``tfjax.keras.X``. Custom classes
are found only through ``custom_objects=``, ``CustomObjectScope`` or
``register_keras_serializable`` -- a config never makes tfjax import an arbitrary
module. Python lambdas (stored as marshalled bytecode) are only rebuilt with
``safe_mode=False``.
"""

from __future__ import annotations

import base64
import importlib
import inspect
import marshal
import threading
import types
import warnings

import numpy as np

from tfjax._src.keras.saving import object_registration

PLAIN_TYPES = (str, int, float, bool)

# Public Keras namespaces, in the order Keras's canonical export names use them.
_PUBLIC_MODULES = (
    "keras", "keras.layers", "keras.models", "keras.optimizers", "keras.optimizers.schedules", "keras.losses",
    "keras.metrics", "keras.initializers", "keras.regularizers", "keras.constraints", "keras.activations",
    "keras.dtype_policies", "keras.random", "keras.callbacks", "keras.mixed_precision",
)
# tfjax implementation modules holding what a public Keras module name refers to.
_SRC_FOR_PUBLIC = {
    "keras": ("tfjax._src.keras.models", "tfjax._src.keras.dtype_policies", "tfjax._src.keras.layers"),
    "keras.models": ("tfjax._src.keras.models",),
    "keras.src.models.functional": ("tfjax._src.keras.models.functional", "tfjax._src.keras.models"),
    "keras.src.models.sequential": ("tfjax._src.keras.models.sequential", "tfjax._src.keras.models"),
    "keras.src.models.model": ("tfjax._src.keras.models.model", "tfjax._src.keras.models"),
}
# Keras classes whose config "module" is not a plain public namespace.
_MODULE_OVERRIDES = {"Sequential": "keras", "Model": "keras", "Functional": "keras.src.models.functional",
                     "DTypePolicy": "keras", "InputLayer": "keras.layers"}
_BUILTIN_FN_MODULES = ("activations", "losses", "metrics", "ops")


class _SafeModeState(threading.local):
    def __init__(self):
        self.safe_mode = None


_safe = _SafeModeState()


class SafeModeScope:
    def __init__(self, safe_mode=True):
        self.safe_mode = safe_mode

    def __enter__(self):
        self.original = _safe.safe_mode
        _safe.safe_mode = self.safe_mode
        return self

    def __exit__(self, *args):
        _safe.safe_mode = self.original
        return False


_UNSAFE_GLOBAL = [False]


def enable_unsafe_deserialization():
    """``keras.config.enable_unsafe_deserialization()``: lambdas load without ``safe_mode=False``."""
    _UNSAFE_GLOBAL[0] = True


def in_safe_mode():
    if _UNSAFE_GLOBAL[0]:
        return False
    return _safe.safe_mode


def _import_quiet(name):
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _modules_for(public_name):
    """The tfjax modules that may define the symbols of Keras's ``public_name`` module."""
    mods = []
    for name in ("tfjax." + public_name,) + _SRC_FOR_PUBLIC.get(public_name, ("tfjax._src." + public_name,)):
        if public_name.startswith("keras.src.") and name.startswith("tfjax.keras.src"):
            continue
        m = _import_quiet(name)
        if m is not None:
            mods.append(m)
    return mods


def public_module_of(obj_or_cls):
    """The public Keras module name under which Keras would record this tfjax class/function, or None."""
    mod = getattr(obj_or_cls, "__module__", "") or ""
    if not mod.startswith("tfjax"):
        return None
    name = obj_or_cls.__name__
    if isinstance(obj_or_cls, type) and name in _MODULE_OVERRIDES:
        for base in obj_or_cls.__mro__:
            if base.__module__.startswith("tfjax._src.keras") and base.__name__ == name:
                return _MODULE_OVERRIDES[name]
    parts = mod.split(".")
    if len(parts) >= 4 and parts[:3] == ["tfjax", "_src", "keras"]:
        family = parts[3]
        if family == "optimizers" and len(parts) >= 5 and parts[4] == "schedules":
            return "keras.optimizers.schedules"
        if family in ("layers", "optimizers", "losses", "metrics", "initializers", "regularizers", "constraints",
                      "activations", "random", "callbacks", "mixed_precision", "dtype_policies"):
            return "keras." + family
        if family == "models":
            return "keras"
    if len(parts) >= 2 and parts[0] == "tfjax" and parts[1] == "keras":
        return ".".join(["keras"] + parts[2:])
    return None


# ---------------------------------------------------------------------------
# serialize
# ---------------------------------------------------------------------------

def func_dump(func):
    code = base64.encodebytes(marshal.dumps(func.__code__)).decode("ascii")
    closure = tuple(c.cell_contents for c in func.__closure__) if func.__closure__ else None
    return code, func.__defaults__, closure


def func_load(code, defaults=None, closure=None, globs=None):
    if isinstance(code, (tuple, list)):
        code, defaults, closure = code
        if isinstance(defaults, list):
            defaults = tuple(defaults)

    def cell(value):
        return (lambda: value).__closure__[0]

    if closure is not None:
        closure = tuple(cell(c) for c in closure)
    raw = base64.decodebytes(code.encode("ascii"))
    try:
        co = marshal.loads(raw)
    except (ValueError, EOFError, TypeError) as e:
        raise ValueError(
            f"Could not load the bytecode of a serialized lambda ({e}); lambdas only reload under the Python "
            "version that saved them.") from None
    return types.FunctionType(co, globs if globs is not None else {"__builtins__": __builtins__},
                              name=co.co_name, argdefs=defaults, closure=closure)


def serialize_dict(obj):
    return {k: serialize_keras_object(v) for k, v in obj.items()}


def _get_class_or_fn_config(obj):
    if isinstance(obj, types.FunctionType):
        return object_registration.get_registered_name(obj)
    if hasattr(obj, "get_config"):
        config = obj.get_config()
        if not isinstance(config, dict):
            raise TypeError(f"The `get_config()` method of {obj} should return a dict. It returned: {config}")
        return serialize_dict(config)
    if hasattr(obj, "__name__"):
        return object_registration.get_registered_name(obj)
    raise TypeError(f"Cannot serialize {obj} because it doesn't implement `get_config()`.")


def _add_build_and_compile(obj, config):
    if hasattr(obj, "get_build_config"):
        bc = obj.get_build_config()
        if bc is not None:
            config["build_config"] = serialize_dict(bc)
    if hasattr(obj, "get_compile_config"):
        cc = obj.get_compile_config()
        if cc is not None:
            config["compile_config"] = serialize_dict(cc)


def serialize_keras_object(obj):
    """The Keras 3 config dict of ``obj`` (the inverse of :func:`deserialize_keras_object`)."""
    from tfjax._src import dtypes  # noqa: PLC0415
    from tfjax._src.tensor import Tensor  # noqa: PLC0415
    from tfjax._src.tensor_shape import TensorShape  # noqa: PLC0415
    from tfjax._src.variables import Variable  # noqa: PLC0415

    if obj is None or isinstance(obj, PLAIN_TYPES):
        return obj
    if isinstance(obj, (list, tuple)):
        out = [serialize_keras_object(x) for x in obj]
        return tuple(out) if isinstance(obj, tuple) else out
    if isinstance(obj, dict):
        return serialize_dict(obj)
    if isinstance(obj, bytes):
        return {"class_name": "__bytes__", "config": {"value": obj.decode("utf-8")}}
    if isinstance(obj, slice):
        return {"class_name": "__slice__", "config": {"start": serialize_keras_object(obj.start),
                                                      "stop": serialize_keras_object(obj.stop),
                                                      "step": serialize_keras_object(obj.step)}}
    if obj is Ellipsis:
        return {"class_name": "__ellipsis__", "config": {}}
    if isinstance(obj, TensorShape):
        return obj.as_list() if obj.rank is not None else None
    if isinstance(obj, (Tensor, Variable)):
        arr = np.asarray(obj.numpy())
        return {"class_name": "__tensor__", "config": {"value": arr.tolist(), "dtype": obj.dtype.name}}
    if isinstance(obj, dtypes.DType):
        return obj.name
    if isinstance(obj, (np.ndarray, np.generic)):
        if isinstance(obj, np.ndarray) and obj.ndim > 0:
            return {"class_name": "__numpy__", "config": {"value": obj.tolist(), "dtype": str(obj.dtype)}}
        return obj.item()
    if isinstance(obj, types.FunctionType) and obj.__name__ == "<lambda>":
        warnings.warn(
            "The object being serialized includes a `lambda`. This is unsafe. In order to reload the object, "
            "you will have to pass `safe_mode=False` to the loading function. Please avoid using `lambda` in "
            "the future, and use named Python functions instead.", stacklevel=2)
        return {"class_name": "__lambda__", "config": {"value": func_dump(obj)}}

    inner = _get_class_or_fn_config(obj)
    if isinstance(obj, types.FunctionType):
        # Keras 3 records every plain function under the class ``function`` of module ``builtins``; the
        # config is its registered name ("package>name") or bare name, resolved again at load time.
        return {"module": "builtins", "class_name": "function", "config": inner, "registered_name": "function"}
    cls = type(obj)
    public = public_module_of(cls)
    if public is not None and object_registration.GLOBAL_CUSTOM_NAMES.get(cls) is None:
        # Keras classes without a public export name (Functional) keep their class name as registered name.
        config = {"module": public, "class_name": cls.__name__, "config": inner,
                  "registered_name": cls.__name__ if public.startswith("keras.src.") else None}
    else:
        module = cls.__module__
        config = {"module": None if module == "__main__" else module, "class_name": cls.__name__,
                  "config": inner,
                  "registered_name": None if module == "builtins" else object_registration.get_registered_name(cls)}
    _add_build_and_compile(obj, config)
    return config


# ---------------------------------------------------------------------------
# deserialize
# ---------------------------------------------------------------------------

def _lookup_public(module, name):
    """A tfjax symbol for Keras's ``module.name`` (None when tfjax lacks it). Never imports non-tfjax code."""
    if not (module == "keras" or module.startswith("keras.")):
        return None
    for m in _modules_for(module):
        obj = getattr(m, name, None)
        if obj is not None and not isinstance(obj, type(importlib)):
            return obj
    # The same class under another namespace (keras.models.Sequential / keras.Sequential / keras.src.*).
    for public in _PUBLIC_MODULES + tuple(_SRC_FOR_PUBLIC):
        if public == module:
            continue
        for m in _modules_for(public):
            obj = getattr(m, name, None)
            if inspect.isclass(obj):
                return obj
    return None


def _retrieve(name, registered_name, module, obj_type, full_config, custom_objects):
    key = name if obj_type == "function" else registered_name
    obj = object_registration.get_registered_object(key, custom_objects=custom_objects)
    if obj is None and key != name:
        obj = object_registration.get_registered_object(name, custom_objects=custom_objects)
    if obj is not None:
        return obj
    if not module:
        # Legacy configs (Keras 2 / legacy .h5) name built-in classes without a module.
        obj = _lookup_public("keras", name)
        if obj is not None and (inspect.isclass(obj) or obj_type == "function"):
            return obj
    if module:
        obj = _lookup_public(module, name)
        if obj is not None:
            return obj
        if obj_type == "function" and module == "builtins":
            for mod in _BUILTIN_FN_MODULES:
                obj = _lookup_public(f"keras.{mod}", name)
                if obj is not None:
                    return obj
            if ">" not in name:
                for cname, cobj in (custom_objects or {}).items():
                    if cname.endswith(">" + name):
                        return cobj
    raise TypeError(
        f"Could not locate {obj_type} '{name}'. Make sure custom classes and functions are decorated with "
        "`@keras.saving.register_keras_serializable()`, or pass them in `custom_objects=`. "
        f"Full object config: {full_config}")


class _SharedObjects(threading.local):
    def __init__(self):
        self.objects = None


_shared = _SharedObjects()


class ObjectSharingScope:
    """Objects with the same ``shared_object_id`` deserialize to one instance."""

    def __enter__(self):
        self._prev = _shared.objects
        _shared.objects = {}
        return self

    def __exit__(self, *args):
        _shared.objects = self._prev
        return False


def contains_lambda(config, _depth=0) -> bool:
    """Whether a config holds serialized Python bytecode (``__lambda__``) anywhere."""
    if _depth > 200:
        return False
    if isinstance(config, dict):
        if config.get("class_name") == "__lambda__":
            return True
        return any(contains_lambda(v, _depth + 1) for v in config.values())
    if isinstance(config, (list, tuple)):
        return any(contains_lambda(v, _depth + 1) for v in config)
    return False


LAMBDA_ERROR = (
    "Requested the deserialization of a Python lambda (e.g. in a `Lambda` layer). This carries a potential risk "
    "of arbitrary code execution and thus it is disallowed by default. If you trust the source of the artifact, "
    "you can override this error by passing `safe_mode=False` to the loading function, or calling "
    "`keras.config.enable_unsafe_deserialization()`.")


def check_safe(config, safe_mode):
    """Raises before anything is built when ``safe_mode`` and the config carries bytecode."""
    scoped = in_safe_mode()
    safe_mode = scoped if scoped is not None else safe_mode
    if safe_mode and contains_lambda(config):
        raise ValueError(LAMBDA_ERROR)


def deserialize_keras_object(config, custom_objects=None, safe_mode=True, **kwargs):
    """Rebuilds an object from its Keras 3 config (see :func:`serialize_keras_object`)."""
    scoped = in_safe_mode()
    safe_mode = scoped if scoped is not None else safe_mode
    if scoped is None:  # outermost call: vet the whole config before constructing anything
        check_safe(config, safe_mode)
    module_objects = kwargs.pop("module_objects", None)
    custom_objects = object_registration.all_custom_objects(custom_objects)

    if config is None:
        return None
    if isinstance(config, str) and custom_objects.get(config) is not None:
        return custom_objects[config]
    if isinstance(config, (list, tuple)):
        return [deserialize_keras_object(x, custom_objects=custom_objects, safe_mode=safe_mode) for x in config]
    if module_objects is not None:
        if isinstance(config, str):
            obj = module_objects.get(config)
            if obj is None:
                return config
            return obj() if inspect.isclass(obj) else obj
        if isinstance(config, dict) and "class_name" in config:
            cls = custom_objects.get(config.get("registered_name") or "") or custom_objects.get(
                config["class_name"]) or module_objects.get(config["class_name"])
            if cls is not None and inspect.isclass(cls) and config["class_name"] != "function":
                with object_registration.CustomObjectScope(custom_objects), SafeModeScope(safe_mode):
                    return cls.from_config(config.get("config") or {})
    if isinstance(config, PLAIN_TYPES):
        return config
    if not isinstance(config, dict):
        raise TypeError(f"Could not parse config: {config}")
    if "class_name" not in config or "config" not in config:
        return {k: deserialize_keras_object(v, custom_objects=custom_objects, safe_mode=safe_mode)
                for k, v in config.items()}

    class_name = config["class_name"]
    inner = config["config"] if config["config"] is not None else {}
    if class_name == "__tensor__":
        from tfjax._src.tensor import constant  # noqa: PLC0415
        return constant(inner["value"], dtype=inner["dtype"])
    if class_name == "__numpy__":
        return np.array(inner["value"], dtype=inner["dtype"])
    if class_name == "__bytes__":
        return inner["value"].encode("utf-8")
    if class_name == "__ellipsis__":
        return Ellipsis
    if class_name == "__slice__":
        return slice(*(deserialize_keras_object(inner[k], custom_objects=custom_objects, safe_mode=safe_mode)
                       for k in ("start", "stop", "step")))
    if class_name == "__lambda__":
        if safe_mode:
            raise ValueError(
                "Requested the deserialization of a Python lambda. This carries a potential risk of arbitrary "
                "code execution and thus it is disallowed by default. If you trust the source of the artifact, "
                "you can override this error by passing `safe_mode=False` to the loading function, or calling "
                "`keras.config.enable_unsafe_deserialization()`.")
        return func_load(inner["value"])
    if class_name == "__keras_tensor__":
        from tfjax._src.keras.keras_tensor import KerasTensor  # noqa: PLC0415
        kt = KerasTensor(tuple(inner["shape"]), inner["dtype"])
        kt._pre_serialization_keras_history = inner.get("keras_history")
        return kt
    if class_name == "__typespec__":
        raise TypeError(f"Deserializing a tf.TypeSpec ({config.get('spec_name')}) is not supported by tfjax.")

    module = config.get("module")
    registered_name = config.get("registered_name", class_name)
    if class_name == "function":
        if not isinstance(inner, str):
            raise TypeError(f"Expected 'config' to be a non-null str for a function classname, got {inner!r}")
        return _retrieve(inner, registered_name, module, "function", config, custom_objects)
    if not isinstance(inner, dict):
        raise TypeError(f"Expected 'config' to be a dict for {class_name}, instead got {type(inner)}. "
                        f"Full config: {config}")
    sid = config.get("shared_object_id")
    if sid is not None and _shared.objects is not None and sid in _shared.objects:
        return _shared.objects[sid]
    cls = _retrieve(class_name, registered_name, module, "class", config, custom_objects)
    if isinstance(cls, types.FunctionType):
        return cls
    if not hasattr(cls, "from_config"):
        raise TypeError(f"Unable to reconstruct an instance of '{class_name}' because the class is missing a "
                        f"`from_config()` method. Full object config: {config}")
    with object_registration.CustomObjectScope(custom_objects), SafeModeScope(safe_mode):
        try:
            try:
                takes_custom = "custom_objects" in inspect.signature(cls.from_config).parameters
            except (TypeError, ValueError):
                takes_custom = False
            if takes_custom:
                # Nested configs may name registered classes without their "package>" prefix.
                passed = {k.split(">", 1)[1]: v for k, v in custom_objects.items() if ">" in k}
                passed.update(custom_objects)
                instance = cls.from_config(inner, custom_objects=passed)
            else:
                instance = cls.from_config(inner)
        except TypeError as e:
            raise TypeError(
                f"{cls} could not be deserialized properly. Please ensure that components that are Python "
                "object instances (layers, models, etc.) returned by `get_config()` are explicitly deserialized "
                f"in the model's `from_config()` method.\n\nconfig={config}.\n\nException encountered: {e}") from e
        build_config = config.get("build_config")
        if build_config and not getattr(instance, "built", True):
            instance.build_from_config(build_config)
            instance.built = True
        compile_config = config.get("compile_config")
        if compile_config and hasattr(instance, "compile_from_config"):
            instance.compile_from_config(compile_config)
            instance.compiled = True
    if sid is not None and _shared.objects is not None:
        _shared.objects[sid] = instance
    return instance
