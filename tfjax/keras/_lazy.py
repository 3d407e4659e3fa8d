"""Lazy re-export of a ``tfjax._src.keras`` module owned elsewhere (lights up when it lands)."""

import importlib


def make_getattr(module_name, src):
    def __getattr__(name):
        if name.startswith("__"):
            raise AttributeError(name)
        try:
            mod = importlib.import_module(src)
        except ImportError as e:
            raise AttributeError(f"module '{module_name}' has no attribute '{name}' ({src} is not available: {e})") from None
        try:
            return getattr(mod, name)
        except AttributeError:
            try:
                return importlib.import_module(f"{src}.{name}")
            except ImportError:
                raise AttributeError(f"module '{module_name}' has no attribute '{name}'") from None

    def __dir__():
        try:
            return sorted(dir(importlib.import_module(src)))
        except ImportError:
            return []

    return __getattr__, __dir__
