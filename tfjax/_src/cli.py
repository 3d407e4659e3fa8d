"""The ``tfjax`` command: ``tfjax run``, ``tfjax info``, ``tfjax compat``.

``tfjax compat script.py`` runs a script under real TensorFlow and under tfjax
(each in a fresh subprocess) and compares what they print, numbers with a
tolerance. The comparison helpers here are also what the compatibility suite
(``compat_tests/harness.py``) uses, so the command line and the suite judge
outputs the same way.
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import math
import os
import re
import subprocess
import sys
import tempfile

from tfjax._src import install, runner

# ---------------------------------------------------------------- comparing output

# A number as Python/numpy print it: ints, floats, exponents, inf/nan.
_NUMBER = re.compile(
    r"(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?(?![\w])|(?<![\w])[-+]?(?:inf|nan)(?![\w])"
)

# Keras progress bars and timings: they depend on speed, never on semantics.
DEFAULT_IGNORE = (
    r"━",  # Keras 3 progress bar
    r"\[[=>.]+\]",  # Keras 2 progress bar
    r"\d+(?:\.\d+)?\s*[mµu]?s/(?:step|epoch|sample)",
)


def split_numbers(line: str) -> tuple[str, list[float]]:
    """``"loss: 0.25 (n=3)"`` -> (``"loss: # (n=#)"``, [0.25, 3.0])."""
    numbers = [float(m.group()) for m in _NUMBER.finditer(line)]
    return _NUMBER.sub("#", line), numbers


def numbers_close(a: float, b: float, rtol: float, atol: float) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= atol + rtol * abs(b)


def lines_match(got: str, want: str, rtol: float, atol: float) -> bool:
    got_text, got_nums = split_numbers(got)
    want_text, want_nums = split_numbers(want)
    if got_text != want_text or len(got_nums) != len(want_nums):
        return False
    return all(numbers_close(g, w, rtol, atol) for g, w in zip(got_nums, want_nums))


def filter_lines(text: str, ignore=DEFAULT_IGNORE, prefix: str | None = None) -> list[str]:
    """The lines of ``text`` that take part in a comparison.

    ``\\r``-overwritten progress output is reduced to its final state;
    lines matching any ``ignore`` regex are dropped; with ``prefix`` only
    lines starting with it are kept.
    """
    kept = []
    patterns = [re.compile(p) for p in ignore]
    # Split on "\n" only: str.splitlines() would also split at the bare "\r"
    # that progress bars use to redraw themselves.
    raw_lines = text.split("\n")
    if raw_lines and raw_lines[-1] == "":
        raw_lines.pop()
    for raw in raw_lines:
        line = raw.rstrip("\r").rsplit("\r", 1)[-1].rstrip()
        if prefix is not None and not line.startswith(prefix):
            continue
        if any(p.search(line) for p in patterns):
            continue
        kept.append(line)
    return kept


@dataclasses.dataclass
class Difference:
    want_line: int | None  # 1-based line in the reference output, None if extra
    got_line: int | None  # 1-based line in the tested output, None if missing
    want: str | None
    got: str | None

    def __str__(self):
        if self.got is None:
            return f"missing (reference line {self.want_line}): {self.want}"
        if self.want is None:
            return f"extra (line {self.got_line}): {self.got}"
        return f"line {self.want_line}:\n  tensorflow: {self.want}\n  tfjax:      {self.got}"


def compare_lines(want: list[str], got: list[str], rtol: float = 1e-5, atol: float = 1e-8) -> list[Difference]:
    """Differences between reference lines ``want`` and ``got`` (empty if they match).

    Lines are aligned on their text with numbers masked (difflib), so one
    missing line shows as one difference instead of shifting every later
    line; aligned pairs are then compared number by number.
    """
    masked_want = [split_numbers(line)[0] for line in want]
    masked_got = [split_numbers(line)[0] for line in got]
    diffs = []
    matcher = difflib.SequenceMatcher(a=masked_want, b=masked_got, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("equal", "replace"):
            pairs = list(zip(range(i1, i2), range(j1, j2)))
            for i, j in pairs:
                if not lines_match(got[j], want[i], rtol, atol):
                    diffs.append(Difference(i + 1, j + 1, want[i], got[j]))
            # A replace block of unequal sizes leaves a tail on one side.
            for i in range(i1 + len(pairs), i2):
                diffs.append(Difference(i + 1, None, want[i], None))
            for j in range(j1 + len(pairs), j2):
                diffs.append(Difference(None, j + 1, None, got[j]))
        elif tag == "delete":
            diffs.extend(Difference(i + 1, None, want[i], None) for i in range(i1, i2))
        elif tag == "insert":
            diffs.extend(Difference(None, j + 1, None, got[j]) for j in range(j1, j2))
    return diffs


# ---------------------------------------------------------------- running scripts


@dataclasses.dataclass
class ScriptRun:
    backend: str  # "tensorflow" or "tfjax"
    returncode: int | None  # None: timed out
    stdout: str
    stderr: str
    seconds: float


def clean_env(extra: dict | None = None) -> dict:
    """The environment for a child run: no inherited tfjax aliasing, quiet TF logs."""
    env = dict(os.environ)
    env.pop(install.ENV_AS_TENSORFLOW, None)
    env.pop(install.ENV_NO_KERAS, None)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("PYTHONHASHSEED", "0")
    env["PYTHONUNBUFFERED"] = "1"
    # Keep the child's stdout decodable whatever the locale (progress bars are UTF-8).
    env["PYTHONIOENCODING"] = "utf-8"
    if extra:
        env.update(extra)
    return env


def run_script(
    script: str,
    backend: str,
    args: list[str] = (),
    cwd: str | None = None,
    timeout: float | None = None,
    keras: bool = True,
    env: dict | None = None,
) -> ScriptRun:
    """Runs ``script`` in a fresh interpreter under real TF or under tfjax."""
    import time

    script = os.path.abspath(script)
    if backend == "tensorflow":
        cmd = [sys.executable, script, *args]
    elif backend == "tfjax":
        cmd = [sys.executable, "-m", "tfjax", *([] if keras else ["--no-keras"]), script, *args]
    else:
        raise ValueError(f"unknown backend {backend!r}")
    start = time.monotonic()
    try:
        proc = subprocess.run(
            cmd, cwd=cwd, env=clean_env(env), stdin=subprocess.DEVNULL,
            capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=timeout,
        )
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode("utf-8", "replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        err = e.stderr.decode("utf-8", "replace") if isinstance(e.stderr, bytes) else (e.stderr or "")
        return ScriptRun(backend, None, out, err, time.monotonic() - start)
    return ScriptRun(backend, proc.returncode, proc.stdout, proc.stderr, time.monotonic() - start)


# ---------------------------------------------------------------- commands


def tfjax_version() -> str:
    """tfjax's own release (the installed distribution's, else the package's)."""
    import importlib.metadata

    import tfjax

    try:
        return importlib.metadata.version("tfjax")
    except importlib.metadata.PackageNotFoundError:  # running from an uninstalled checkout
        return tfjax.__version__


def cmd_info(args) -> int:
    import platform

    import jax
    import jaxlib

    import tfjax

    lines = [
        f"tfjax:               {tfjax_version()}",
        f"emulates TensorFlow: {install.EMULATED_TF_VERSION}",
        f"tf.__version__:      {tfjax.__version__}",
        f"jax:                 {jax.__version__}",
        f"jaxlib:              {jaxlib.__version__}",
        f"backend:             {jax.default_backend()}",
        f"devices:             {', '.join(str(d) for d in jax.devices())}",
        f"x64 enabled:         {bool(jax.config.jax_enable_x64)}",
        f"python:              {platform.python_version()} ({sys.executable})",
        f"as-tensorflow .pth:  {', '.join(install.installed_pth_files()) or 'not installed'}",
    ]
    print("\n".join(lines))
    return 0


def cmd_compat(args) -> int:
    def run_both(cwd_tf, cwd_jx):
        tf_run = run_script(args.script, "tensorflow", args.args, cwd=cwd_tf, timeout=args.timeout)
        jx_run = run_script(args.script, "tfjax", args.args, cwd=cwd_jx, timeout=args.timeout,
                            keras=not args.no_keras)
        return tf_run, jx_run

    if args.isolate:
        with tempfile.TemporaryDirectory(prefix="tfjax-compat-tf-") as a, \
                tempfile.TemporaryDirectory(prefix="tfjax-compat-jx-") as b:
            tf_run, jx_run = run_both(a, b)
    else:
        tf_run, jx_run = run_both(None, None)

    ignore = () if args.keep_all else DEFAULT_IGNORE
    ignore = (*ignore, *args.ignore)
    want = filter_lines(tf_run.stdout, ignore, args.prefix)
    got = filter_lines(jx_run.stdout, ignore, args.prefix)
    diffs = compare_lines(want, got, rtol=args.rtol, atol=args.atol)

    print(f"tensorflow: exit {_status(tf_run)} in {tf_run.seconds:.1f}s, {len(want)} lines compared")
    print(f"tfjax:      exit {_status(jx_run)} in {jx_run.seconds:.1f}s, {len(got)} lines compared")
    same_status = tf_run.returncode == jx_run.returncode
    if not same_status:
        print("exit statuses differ")
        if jx_run.returncode != 0:
            print("--- tfjax stderr (tail) ---")
            print("\n".join(jx_run.stderr.splitlines()[-20:]))
    for d in diffs[: args.max_diffs]:
        print(d)
    if len(diffs) > args.max_diffs:
        print(f"... and {len(diffs) - args.max_diffs} more differences")
    if not diffs and same_status:
        print("outputs match")
        return 0
    print(f"{len(diffs)} differing lines")
    return 1


def _status(run: ScriptRun) -> str:
    return "timeout" if run.returncode is None else str(run.returncode)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tfjax", description="TensorFlow's API on JAX.")
    sub = parser.add_subparsers(dest="command", required=True)

    run_p = sub.add_parser("run", help="run a TensorFlow script on tfjax (like `python -m tfjax`)",
                           add_help=False)
    run_p.add_argument("argv", nargs=argparse.REMAINDER)

    sub.add_parser("info", help="versions, backend, devices")

    compat = sub.add_parser("compat", help="compare a script's output under TensorFlow and tfjax")
    compat.add_argument("script")
    compat.add_argument("args", nargs=argparse.REMAINDER, help="arguments passed to the script")
    compat.add_argument("--rtol", type=float, default=1e-5, help="relative tolerance for numbers (default 1e-5)")
    compat.add_argument("--atol", type=float, default=1e-8, help="absolute tolerance for numbers (default 1e-8)")
    compat.add_argument("--prefix", default=None, help="compare only stdout lines starting with PREFIX")
    compat.add_argument("--ignore", action="append", default=[], metavar="REGEX",
                        help="drop lines matching REGEX (repeatable)")
    compat.add_argument("--keep-all", action="store_true",
                        help="also compare progress-bar/timing lines (dropped by default)")
    compat.add_argument("--isolate", action="store_true",
                        help="run each side in its own temporary working directory")
    compat.add_argument("--no-keras", action="store_true", help="tfjax side: leave `import keras` alone")
    compat.add_argument("--timeout", type=float, default=None, help="seconds per run")
    compat.add_argument("--max-diffs", type=int, default=50)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # `tfjax run ...` is the runner verbatim; argparse must not touch the
    # script's own options (argparse would grab e.g. `--help`).
    if argv[:1] == ["run"]:
        return runner.main(argv[1:], prog="tfjax run")
    args = build_parser().parse_args(argv)
    if args.command == "info":
        return cmd_info(args)
    if args.command == "compat":
        if args.args[:1] == ["--"]:
            args.args = args.args[1:]
        return cmd_compat(args)
    raise AssertionError(args.command)
