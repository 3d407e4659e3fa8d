"""Make ``import tensorflow`` (and ``keras``, ``tf_keras``) resolve to tfjax.

This is what lets an unchanged TensorFlow script run on tfjax: the runner
(``python -m tfjax script.py``) calls :func:`install_as_tensorflow` before the
script starts. Plain ``import tfjax`` never installs anything, so a process
may hold real TensorFlow and tfjax side by side (the differential tests do).

How the aliasing works: a :data:`sys.meta_path` finder, placed first, answers
for ``tensorflow``, ``tensorflow.X.Y``, ``tf_keras...`` and (unless disabled)
``keras...``. It maps the name onto the tfjax module that implements it,
imports that module normally and hands back *the same module object*, so
``tensorflow.keras is tfjax.keras`` and state is never duplicated.

Child processes: :func:`install_as_tensorflow` also sets
``TFJAX_AS_TENSORFLOW=1`` (and ``TFJAX_NO_KERAS=1`` when keras is not aliased)
in ``os.environ``. A ``.pth`` file shipped with the package (see
:data:`PTH_LINE`) calls :func:`install_from_env` at interpreter start-up when
that variable is set, so subprocesses (``subprocess.run([sys.executable,
...])``, multiprocessing spawn workers) see tfjax as well. When the variable
is unset the ``.pth`` line costs one dict lookup and imports nothing.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
import types

# The TensorFlow release whose Python API tfjax emulates (``tf.__version__``).
EMULATED_TF_VERSION = "2.21.0"

ENV_AS_TENSORFLOW = "TFJAX_AS_TENSORFLOW"
ENV_NO_KERAS = "TFJAX_NO_KERAS"

# The single line of the ``tfjax-as-tensorflow.pth`` file installed next to the
# package. ``site`` executes .pth lines that start with ``import``; the
# ``and`` short-circuits so nothing is imported unless the variable is set.
PTH_FILENAME = "tfjax-as-tensorflow.pth"
PTH_LINE = (
    "import os; os.environ.get('TFJAX_AS_TENSORFLOW', '0') not in ('', '0') and "
    "__import__('tfjax._src.install', fromlist=['install_from_env']).install_from_env()\n"
)

_TF_ROOT = "tensorflow"
_KERAS_ROOTS = ("keras", "tf_keras")


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "0") not in ("", "0")


class _AliasLoader(importlib.abc.Loader):
    """Loads an alias name by returning the already-imported tfjax module."""

    def __init__(self, target: types.ModuleType):
        self._target = target
        self._target_spec = getattr(target, "__spec__", None)

    def create_module(self, spec):
        return self._target

    def exec_module(self, module):
        # The import system unconditionally stamps the alias spec onto the
        # module it loaded (importlib._bootstrap._init_module_attrs); put the
        # module's own spec back so ``tfjax.keras.__spec__.name`` stays
        # ``"tfjax.keras"`` (reload, pickling by reference and
        # ``python -m`` depend on it).
        module.__spec__ = self._target_spec


class _FacadeLoader(importlib.abc.Loader):
    """Loads the ``tensorflow`` root as a :class:`TensorFlowModule` over tfjax."""

    def __init__(self, facade):
        self._facade = facade

    def create_module(self, spec):
        return self._facade

    def exec_module(self, module):
        pass


class TensorFlowModule(types.ModuleType):
    """``tensorflow`` as a script sees it: tfjax's namespace, reporting TF's version.

    Only the root differs from tfjax (``tf.__version__`` is the TensorFlow version
    tfjax emulates, while ``tfjax.__version__`` stays tfjax's own); every attribute
    and submodule is tfjax's very object.
    """

    def __init__(self, target: types.ModuleType):
        super().__init__(_TF_ROOT, target.__doc__)
        self.__dict__["_tfjax_target"] = target
        self.__path__ = list(target.__path__)
        self.__file__ = target.__file__
        self.__version__ = EMULATED_TF_VERSION

    def __getattr__(self, name):
        return getattr(self.__dict__["_tfjax_target"], name)

    def __dir__(self):
        return sorted(set(dir(self.__dict__["_tfjax_target"])) | set(self.__dict__))


class TfjaxAliasFinder(importlib.abc.MetaPathFinder):
    """Resolves ``tensorflow.*`` (and keras roots) to the ``tfjax`` modules."""

    def __init__(self, keras: bool = True):
        # alias root -> tfjax module name it stands for
        self.roots = {_TF_ROOT: "tfjax", "tf_keras": "tfjax.keras"}
        if keras:
            self.roots["keras"] = "tfjax.keras"

    def target_name(self, fullname: str) -> str | None:
        root, dot, rest = fullname.partition(".")
        base = self.roots.get(root)
        if base is None:
            return None
        return base + dot + rest

    def find_spec(self, fullname, path=None, target=None):
        target_name = self.target_name(fullname)
        if target_name is None:
            return None
        module = _import_target(fullname, target_name)
        if fullname == _TF_ROOT:
            facade = TensorFlowModule(module)
            return importlib.machinery.ModuleSpec(
                fullname, _FacadeLoader(facade), origin=module.__file__, is_package=True)
        is_package = hasattr(module, "__path__")
        return importlib.machinery.ModuleSpec(
            fullname, _AliasLoader(module), origin=getattr(module, "__file__", None), is_package=is_package
        )

    def __repr__(self):
        return f"TfjaxAliasFinder(roots={sorted(self.roots)})"


def _import_target(alias: str, target_name: str) -> types.ModuleType:
    """Imports ``target_name``; a missing module names both the TF and tfjax names."""
    try:
        return importlib.import_module(target_name)
    except ModuleNotFoundError as e:
        # Only translate "this very module (or a parent) does not exist";
        # a ModuleNotFoundError raised *inside* an existing tfjax module is a
        # real bug there and must surface unchanged.
        if e.name is None or not (target_name == e.name or target_name.startswith(e.name + ".")):
            raise
        # Some namespaces are attributes holding module objects rather than
        # importable files (e.g. created at import time); accept those.
        parent_name, _, child = target_name.rpartition(".")
        parent = sys.modules.get(parent_name)
        candidate = getattr(parent, child, None) if parent is not None else None
        if isinstance(candidate, types.ModuleType):
            return candidate
        raise ModuleNotFoundError(
            f"No module named {alias!r}: tfjax does not provide {target_name!r} "
            f"(the TensorFlow API is emulated by tfjax in this process)",
            name=alias,
        ) from None


_installed: TfjaxAliasFinder | None = None


def installed_finder() -> TfjaxAliasFinder | None:
    """The active finder, or None when tfjax is not standing in for TensorFlow."""
    return _installed


def install_as_tensorflow(keras: bool = True, propagate: bool = True) -> None:
    """Makes ``import tensorflow`` (and keras, unless ``keras=False``) load tfjax.

    ``propagate`` also sets the environment variables that make child Python
    processes do the same (through the installed ``.pth`` file).
    Raises ``RuntimeError`` if real TensorFlow/Keras is already imported in
    this process: aliasing then would leave two different ``tensorflow``
    modules alive at once.
    """
    global _installed
    finder = TfjaxAliasFinder(keras=keras)
    if _installed is not None:
        if _installed.roots != finder.roots:
            raise RuntimeError(
                f"tfjax is already installed as TensorFlow with aliases {sorted(_installed.roots)}; "
                f"cannot reinstall with {sorted(finder.roots)}"
            )
    else:
        clashes = sorted(
            name
            for name, mod in list(sys.modules.items())
            if name.partition(".")[0] in finder.roots and _is_foreign(mod)
        )
        if clashes:
            raise RuntimeError(
                "cannot install tfjax as TensorFlow: these modules are already imported from "
                f"another package: {', '.join(clashes[:5])}{' ...' if len(clashes) > 5 else ''}"
            )
        sys.meta_path.insert(0, finder)
        _installed = finder
    if propagate:
        os.environ[ENV_AS_TENSORFLOW] = "1"
        if keras:
            os.environ.pop(ENV_NO_KERAS, None)
        else:
            os.environ[ENV_NO_KERAS] = "1"


def _is_foreign(module) -> bool:
    name = getattr(getattr(module, "__spec__", None), "name", None) or getattr(module, "__name__", "")
    return not (name == "tfjax" or name.startswith("tfjax."))


def uninstall() -> None:
    """Removes the finder and the aliases it created (mainly for tests)."""
    global _installed
    if _installed is None:
        return
    for name in list(sys.modules):
        if name.partition(".")[0] in _installed.roots and not _is_foreign(sys.modules[name]):
            del sys.modules[name]
    try:
        sys.meta_path.remove(_installed)
    except ValueError:
        pass
    _installed = None
    os.environ.pop(ENV_AS_TENSORFLOW, None)
    os.environ.pop(ENV_NO_KERAS, None)


def install_from_env() -> None:
    """Entry point of the ``.pth`` line: installs the aliases if the env asks for it."""
    if _env_flag(ENV_AS_TENSORFLOW):
        install_as_tensorflow(keras=not _env_flag(ENV_NO_KERAS), propagate=False)


def installed_pth_files() -> list[str]:
    """Paths of ``tfjax-as-tensorflow.pth`` files in this interpreter's site dirs."""
    import site

    dirs = list(site.getsitepackages()) if hasattr(site, "getsitepackages") else []
    if site.ENABLE_USER_SITE:
        dirs.append(site.getusersitepackages())
    return [p for d in dirs if os.path.isfile(p := os.path.join(d, PTH_FILENAME))]
