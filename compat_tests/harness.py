"""Differential harness: run a TF script under real TensorFlow and under tfjax, compare reports.

A script's *report* is the lines of its stdout that start with ``[report] ``
(everything else -- progress bars, model.summary(), guide prints -- is
ignored). Each run gets a fresh interpreter and its own temporary working
directory. Numbers in report lines are compared with a relative tolerance
(``RTOL``), text exactly. The TF side is computed live every time: real
TensorFlow is the oracle and is installed with the test extra.

Command line, to look at one script::

    python compat_tests/harness.py compat_tests/guide/g05_tensors.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import tfjax
from tfjax._src import cli

HERE = Path(__file__).resolve().parent
GUIDE_DIR = HERE / "guide"
REPO_ROOT = Path(tfjax.__file__).resolve().parent.parent
REPORT_PREFIX = "[report] "
DEFAULT_TIMEOUT = 240.0  # seconds per run (each side)
RTOL = 1e-4  # printed float32 results of different kernels agree to ~1e-6
ATOL = 1e-6


class TfjaxMismatch(AssertionError):
    """tfjax failed to run the script, or its report differs from TensorFlow's."""


class ReferenceFailure(RuntimeError):
    """The script itself is broken under real TensorFlow: fix the script, not tfjax."""


def report_lines(stdout: str) -> list[str]:
    return cli.filter_lines(stdout, ignore=(), prefix=REPORT_PREFIX)


def _tail(text: str, n: int = 25) -> str:
    return "\n".join(text.splitlines()[-n:])


def _tfjax_env() -> dict:
    # Make the tfjax under test importable even from an uninstalled checkout.
    return {"PYTHONPATH": os.pathsep.join(p for p in (str(REPO_ROOT), os.environ.get("PYTHONPATH")) if p)}


def run_tensorflow(script: Path, timeout: float = DEFAULT_TIMEOUT) -> list[str]:
    """The reference report; raises ReferenceFailure if the script fails under TF."""
    with tempfile.TemporaryDirectory(prefix="compat-tf-") as cwd:
        run = cli.run_script(str(script), "tensorflow", cwd=cwd, timeout=timeout)
    if run.returncode != 0:
        status = "timed out" if run.returncode is None else f"exited {run.returncode}"
        raise ReferenceFailure(f"{script.name} {status} under real TensorFlow:\n{_tail(run.stderr)}")
    lines = report_lines(run.stdout)
    if not lines:
        raise ReferenceFailure(f"{script.name} printed no {REPORT_PREFIX!r} lines under real TensorFlow")
    return lines


def run_tfjax(script: Path, timeout: float = DEFAULT_TIMEOUT) -> tuple[list[str], cli.ScriptRun]:
    with tempfile.TemporaryDirectory(prefix="compat-tfjax-") as cwd:
        run = cli.run_script(str(script), "tfjax", cwd=cwd, timeout=timeout, env=_tfjax_env())
    return report_lines(run.stdout), run


def check_script(script: Path, timeout: float = DEFAULT_TIMEOUT, rtol: float = RTOL, atol: float = ATOL) -> None:
    """Passes silently if tfjax reproduces TensorFlow's report for ``script``.

    Raises ReferenceFailure if the script fails under TensorFlow itself,
    TfjaxMismatch if tfjax fails or reports something else.
    """
    want = run_tensorflow(script, timeout)
    got, run = run_tfjax(script, timeout)
    diffs = cli.compare_lines(want, got, rtol=rtol, atol=atol)
    if run.returncode == 0 and not diffs:
        return
    parts = [f"{script.name}: tfjax does not reproduce TensorFlow's report"]
    if run.returncode != 0:
        status = "timed out" if run.returncode is None else f"exited {run.returncode}"
        parts.append(f"tfjax run {status}; stderr tail:\n{_tail(run.stderr)}")
    if diffs:
        parts.append(f"{len(diffs)} report lines differ:")
        parts.extend(str(d) for d in diffs[:40])
    raise TfjaxMismatch("\n".join(parts))


def guide_scripts() -> list[Path]:
    return sorted(GUIDE_DIR.glob("g[0-9][0-9]_*.py"))


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    status = 0
    for name in argv:
        script = Path(name)
        try:
            check_script(script)
        except (TfjaxMismatch, ReferenceFailure) as e:
            print(f"FAIL {e}\n")
            status = 1
        else:
            print(f"PASS {script.name}")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
