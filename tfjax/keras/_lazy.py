"""Lazy public namespaces: ``tf.keras.<name>`` modules that import their implementation on first use.

Each namespace lists the names it exports (the names of TF's / Keras's module that tfjax
implements); everything else in the implementation module (its imports, helpers, private
submodules) stays out of the public namespace and out of ``dir()``.
"""

import importlib
import sys


def make_getattr(module_name, src, names=None, submodules=()):
    """``__getattr__`` / ``__dir__`` for ``module_name``, re-exporting ``names`` of ``src``.

    ``names=None`` exports what ``src.__all__`` lists. ``submodules`` are public child
    namespaces: the ``module_name.<sub>`` package when tfjax has one, else ``src.<sub>``.
    """
    submodules = tuple(submodules)

    def _names():
        if names is not None:
            return tuple(names)
        return tuple(getattr(importlib.import_module(src), "__all__", ()))

    def __getattr__(name):
        if name.startswith("__"):
            raise AttributeError(name)
        if name in submodules:
            for target in (f"{module_name}.{name}", f"{src}.{name}"):
                try:
                    value = importlib.import_module(target)
                    setattr(sys.modules[module_name], name, value)
                    return value
                except ModuleNotFoundError as e:
                    if e.name != target:
                        raise
            raise AttributeError(f"module '{module_name}' has no attribute '{name}'")
        try:
            mod = importlib.import_module(src)
        except ImportError as e:
            raise AttributeError(f"module '{module_name}' has no attribute '{name}' ({src} is not available: {e})") from None
        if name in _names():
            value = getattr(mod, name)
            setattr(sys.modules[module_name], name, value)  # later lookups skip __getattr__
            return value
        raise AttributeError(f"module '{module_name}' has no attribute '{name}'")

    def _existing_submodules():
        import importlib.util  # noqa: PLC0415
        out = []
        for sub in submodules:
            for target in (f"{module_name}.{sub}", f"{src}.{sub}"):
                try:
                    if importlib.util.find_spec(target) is not None:
                        out.append(sub)
                        break
                except ModuleNotFoundError:
                    pass
        return out

    def __dir__():
        try:
            return sorted(set(_names()) | set(_existing_submodules()))
        except ImportError:
            return sorted(_existing_submodules())

    return __getattr__, __dir__
