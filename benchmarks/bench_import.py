"""Import time: ``import tfjax`` vs ``import tensorflow`` vs ``import jax`` (the floor tfjax stands on).

Each import runs in a fresh interpreter (``python -c``), rounds interleaved so machine load hits all
candidates alike; we report the median wall time of the import statement itself (interpreter start-up
excluded). Target (issue #2): ``import tfjax`` under 0.6 s on this machine.

    python benchmarks/bench_import.py            # print the table
    python benchmarks/bench_import.py --write    # also update docs/performance.md ("Import time")
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADING = "## Import time"

CANDIDATES = {
    "tfjax": "import tfjax",
    "jax + jax.numpy": "import jax, jax.numpy",
    "tensorflow": "import tensorflow",
}

_SNIPPET = ("import time, os; os.environ['TF_CPP_MIN_LOG_LEVEL'] = '3'; t = time.perf_counter(); {stmt}; "
            "print(time.perf_counter() - t)")


def time_import(stmt):
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    out = subprocess.run([sys.executable, "-c", _SNIPPET.format(stmt=stmt)], capture_output=True,
                         text=True, env=env, check=True, cwd=ROOT)
    return float(out.stdout.strip().splitlines()[-1])


def bench(rounds):
    samples = {name: [] for name in CANDIDATES}
    names = list(CANDIDATES)
    for r in range(rounds):
        for name in names[r % len(names):] + names[:r % len(names)]:
            try:
                samples[name].append(time_import(CANDIDATES[name]))
            except subprocess.CalledProcessError:  # e.g. TensorFlow not installed
                samples[name] = None
                names.remove(name)
    return {k: (statistics.median(v) if v else None) for k, v in samples.items()}


def table(res):
    lines = ["| import | median (s) | vs tfjax |", "|---|---:|---:|"]
    for name, t in res.items():
        if t is None:
            lines.append(f"| `{CANDIDATES[name]}` | n/a | |")
        else:
            lines.append(f"| `{CANDIDATES[name]}` | {t:.3f} | {t / res['tfjax']:.2f}x |")
    return "\n".join(lines)


def load_average():
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


def write_section(text, load, rounds, path=ROOT / "docs" / "performance.md"):
    """Replaces (or appends) only the "Import time" section of docs/performance.md."""
    section = (f"{HEADING}\n\n"
               "Wall time of the import statement in a fresh interpreter, median of "
               f"{rounds} interleaved rounds (`python benchmarks/bench_import.py --write`). "
               "Target: `import tfjax` under 0.6 s. tfjax's own share is what it adds on top of JAX: "
               "it imports no op-heavy JAX submodule it does not need and never starts the JAX backend "
               "(devices are created on first use).\n\n"
               f"Machine: {os.cpu_count()} CPU cores, load average {load:.1f} at the start, "
               f"{time.strftime('%Y-%m-%d')}.\n\n{text}\n")
    old = path.read_text() if path.exists() else "# Performance\n"
    pat = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.S | re.M)
    new = pat.sub(lambda _: section + "\n", old, count=1) if pat.search(old) else \
        old.rstrip("\n") + "\n\n" + section
    path.write_text(new.rstrip("\n") + "\n")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--write", action="store_true", help="update docs/performance.md")
    p.add_argument("--rounds", type=int, default=7)
    args = p.parse_args(argv)
    load = load_average()
    res = bench(args.rounds)
    t = table(res)
    print(f"load average {load:.1f}\n{t}")
    if args.write:
        write_section(t, load, args.rounds)
    return res


if __name__ == "__main__":
    main()
