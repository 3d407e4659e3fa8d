"""Run an unchanged TensorFlow script on tfjax: ``python -m tfjax script.py [args]``.

The script runs exactly as ``python script.py`` would run it -- same
``sys.argv``, ``__name__ == "__main__"``, ``__file__``, ``sys.path[0]`` (the
script's directory, so sibling imports work), exit status -- except that
``import tensorflow`` (and ``keras``/``tf_keras``) load tfjax; see
:mod:`tfjax._src.install`.
"""

from __future__ import annotations

import builtins
import importlib.machinery
import io
import os
import runpy
import sys
import types

from tfjax._src import install

USAGE = """\
usage: python -m tfjax [--no-keras] script.py [args ...]
       python -m tfjax [--no-keras] -c CODE [args ...]
       python -m tfjax [--no-keras] -m MODULE [args ...]

Runs a TensorFlow program with `import tensorflow` (and `keras`, `tf_keras`)
resolved to tfjax. Child Python processes inherit this through the
TFJAX_AS_TENSORFLOW environment variable.

options:
  --no-keras   leave `import keras` to the real Keras package
               (`tensorflow.keras` and `tf_keras` still map to tfjax.keras)
  -c CODE      run CODE as the __main__ module, like `python -c`
  -m MODULE    run MODULE as __main__, like `python -m`
  -h, --help   show this help
"""


class UsageError(Exception):
    pass


def parse_args(argv: list[str]) -> tuple[dict, list[str]]:
    """Splits runner options from the program and its arguments.

    Like the python command line: options come first; the first non-option
    (or the argument of -c/-m) ends option parsing and everything after it
    belongs to the program untouched.
    Returns ({"keras": bool, "kind": "script"|"code"|"module"|"help", "target": str}, program_args).
    """
    opts = {"keras": True, "kind": None, "target": None}
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in ("-h", "--help"):
            opts["kind"] = "help"
            return opts, []
        if arg == "--no-keras":
            opts["keras"] = False
            i += 1
            continue
        if arg in ("-c", "-m"):
            if i + 1 >= len(argv):
                raise UsageError(f"argument expected for the {arg} option")
            opts["kind"] = "code" if arg == "-c" else "module"
            opts["target"] = argv[i + 1]
            return opts, argv[i + 2 :]
        if arg == "--":
            i += 1
            if i >= len(argv):
                break
            arg = argv[i]
        elif arg.startswith("-") and arg != "-":
            raise UsageError(f"unknown option {arg!r}")
        opts["kind"] = "script"
        opts["target"] = arg
        return opts, argv[i + 1 :]
    raise UsageError("no script given")


def main(argv: list[str] | None = None, prog: str = "python -m tfjax") -> int:
    """Command-line entry point; returns the exit status (SystemExit propagates)."""
    argv = sys.argv[1:] if argv is None else argv
    try:
        opts, program_args = parse_args(argv)
    except UsageError as e:
        sys.stderr.write(USAGE.replace("python -m tfjax", prog) + f"\n{prog}: error: {e}\n")
        return 2
    if opts["kind"] == "help":
        sys.stdout.write(USAGE.replace("python -m tfjax", prog))
        return 0
    install.install_as_tensorflow(keras=opts["keras"])
    if opts["kind"] == "script":
        return run_script(opts["target"], program_args)
    if opts["kind"] == "code":
        return run_code(opts["target"], program_args)
    return run_module(opts["target"], program_args)


def run_script(path: str, args: list[str]) -> int:
    """Runs ``path`` as ``__main__`` the way ``python path args...`` does."""
    if not os.path.exists(path):
        sys.stderr.write(f"{sys.executable}: can't open file {os.path.abspath(path)!r}: "
                         f"[Errno 2] No such file or directory\n")
        return 2
    sys.argv = [path, *args]
    if not os.path.isfile(path):
        # A directory or zip archive with a __main__.py: runpy implements
        # exactly Python's rules for those (including the sys.path entry).
        _set_path0(os.getcwd())
        return _run_user_code(lambda: runpy.run_path(path, run_name="__main__"))
    # `python script.py` puts the script's directory (symlinks resolved) first
    # on sys.path, instead of the current directory that `python -m` put there.
    _set_path0(os.path.dirname(os.path.realpath(path)))
    # Done by hand rather than with runpy.run_path, which would rewrite
    # sys.argv[0] to the path it is given and put the runner's __main__ back
    # afterwards; Python keeps argv[0] as typed, makes __file__ absolute
    # (3.9+) and leaves the script as __main__ for atexit handlers and
    # threads that outlive the module body.
    filename = os.path.abspath(path)
    main_module = _fresh_main_module()
    main_module.__file__ = filename
    main_module.__cached__ = None
    main_module.__loader__ = importlib.machinery.SourceFileLoader("__main__", filename)

    def run():
        with io.open_code(filename) as f:
            source = f.read()
        # compile() on bytes honours PEP 263 coding declarations, as python does.
        code = compile(source, filename, "exec", dont_inherit=True)
        exec(code, main_module.__dict__)

    return _run_user_code(run)


def _fresh_main_module() -> types.ModuleType:
    module = types.ModuleType("__main__")
    module.__dict__["__builtins__"] = builtins
    sys.modules["__main__"] = module
    return module


def run_code(code: str, args: list[str]) -> int:
    """Runs ``code`` as the ``__main__`` module, like ``python -c code args...``."""
    sys.argv = ["-c", *args]
    _set_path0("")
    main_module = _fresh_main_module()

    def run():
        exec(compile(code, "<string>", "exec", dont_inherit=True), main_module.__dict__)

    return _run_user_code(run)


def run_module(name: str, args: list[str]) -> int:
    """Runs module ``name`` as ``__main__``, like ``python -m name args...``."""
    sys.argv = [name, *args]  # runpy replaces argv[0] with the module's file
    _set_path0(os.getcwd())
    return _run_user_code(lambda: runpy.run_module(name, run_name="__main__", alter_sys=True))


def _set_path0(entry: str) -> None:
    if sys.path:
        sys.path[0] = entry
    else:
        sys.path.insert(0, entry)


def _run_user_code(run) -> int:
    try:
        run()
    except (SystemExit, KeyboardInterrupt):
        # Python's own handling gives the right exit status / message.
        raise
    except BaseException as exc:  # noqa: BLE001 -- report it like the interpreter would
        exc.__traceback__ = _user_traceback(exc.__traceback__)
        sys.excepthook(type(exc), exc, exc.__traceback__)
        return 1
    return 0


def _user_traceback(tb):
    """Drops the runner's and runpy's frames from the top of ``tb``.

    The interpreter's own traceback for ``python script.py`` starts at the
    script; ours should too, so users see only their frames (and tfjax's
    below them, where an op failed).
    """
    start = tb
    # runpy is frozen in 3.11+ (co_filename "<frozen runpy>"), so recognise
    # the frames to drop by their module rather than their file.
    while start is not None and start.tb_frame.f_globals.get("__name__") in _OWN_MODULES:
        start = start.tb_next
    if start is None:
        # Nothing ran yet: the script could not be read or compiled
        # (SyntaxError). Python shows no frames then; the exception itself
        # carries the file and line.
        return None
    return start


_OWN_MODULES = frozenset({__name__, "runpy"})
