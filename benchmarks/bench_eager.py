"""Eager dispatch cost: tfjax vs TF eager vs raw ``jax.numpy``, same process, same inputs.

Three ops: ``a + b`` on two (4,) float32 tensors, a 64x64 float32 matmul, and
``reduce_sum`` of 1000 float32. Each candidate is timed in interleaved rounds
(so machine load hits all of them alike); we report the median per-call time
and the ratios tfjax / jnp and tfjax / TF. The default clock is the process's
CPU time (``--clock cpu``: all threads, immune to waiting for a core on a shared
machine); ``--clock wall`` measures elapsed time.

    python benchmarks/bench_eager.py            # print the table
    python benchmarks/bench_eager.py --write    # also update docs/performance.md ("Eager dispatch")
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402

import tfjax  # noqa: E402

tf_real = None   # imported only in the TF child process (see measure_tf)

HEADING = "## Eager dispatch"


CLOCKS = {"cpu": time.process_time, "wall": time.perf_counter}
_clock = [time.process_time]


def _time_per_call(fn, number):
    clock = _clock[0]
    t0 = clock()
    for _ in range(number):
        fn()
    return (clock() - t0) / number


def bench(cases, rounds=25, number=400):
    """cases: {name: {candidate: fn}} -> {name: {candidate: median seconds}}."""
    out = {}
    for name, cands in cases.items():
        for fn in cands.values():  # warm up (compile caches, allocators)
            for _ in range(200):
                fn()
        samples = {c: [] for c in cands}
        names = list(cands)
        for r in range(rounds):
            # rotate the order every round so no candidate always runs first / last
            for c in names[r % len(names):] + names[:r % len(names)]:
                samples[c].append(_time_per_call(cands[c], number))
        out[name] = {c: statistics.median(v) for c, v in samples.items()}
    return out


def make_cases():
    rng = np.random.default_rng(0)
    a4, b4 = rng.standard_normal(4).astype(np.float32), rng.standard_normal(4).astype(np.float32)
    m1, m2 = rng.standard_normal((64, 64)).astype(np.float32), rng.standard_normal((64, 64)).astype(np.float32)
    v = rng.standard_normal(1000).astype(np.float32)

    xa, xb = tfjax.constant(a4), tfjax.constant(b4)
    xm1, xm2 = tfjax.constant(m1), tfjax.constant(m2)
    xv = tfjax.constant(v)
    ja, jb, jm1, jm2, jv = (jnp.asarray(t) for t in (a4, b4, m1, m2, v))
    cases = {
        "add (4,) f32": {"tfjax": lambda: xa + xb, "jnp": lambda: jnp.add(ja, jb)},
        "matmul 64x64 f32": {"tfjax": lambda: tfjax.matmul(xm1, xm2), "jnp": lambda: jnp.matmul(jm1, jm2)},
        "reduce_sum 1000 f32": {"tfjax": lambda: tfjax.reduce_sum(xv), "jnp": lambda: jnp.sum(jv)},
    }
    if tf_real is not None:
        cases = {k: {} for k in cases}
        ta, tb = tf_real.constant(a4), tf_real.constant(b4)
        tm1, tm2 = tf_real.constant(m1), tf_real.constant(m2)
        tv = tf_real.constant(v)
        cases["add (4,) f32"]["tf"] = lambda: ta + tb
        cases["matmul 64x64 f32"]["tf"] = lambda: tf_real.matmul(tm1, tm2)
        cases["reduce_sum 1000 f32"]["tf"] = lambda: tf_real.reduce_sum(tv)
    # The jnp/tfjax calls are asynchronous; make sure results are real by blocking once.
    for c in cases.values():
        for fn in c.values():
            r = fn()
            getattr(getattr(r, "_value", r), "block_until_ready", lambda: None)()
    return cases


def table(results):
    lines = ["| op | tfjax (µs) | jax.numpy (µs) | TF eager (µs) | tfjax / jnp | tfjax / TF |",
             "|---|---:|---:|---:|---:|---:|"]
    for name, r in results.items():
        tf_t = r.get("tf")
        tfx, jn = r["tfjax"], r["jnp"]
        tf_us = "n/a" if tf_t is None else "%.2f" % (tf_t * 1e6)
        tf_ratio = "n/a" if tf_t is None else "%.2fx" % (tfx / tf_t)
        lines.append(f"| {name} | {tfx * 1e6:.2f} | {jn * 1e6:.2f} | {tf_us} | {tfx / jn:.2f}x | {tf_ratio} |")
    return "\n".join(lines)


def _tf_version():
    try:
        from importlib.metadata import version  # noqa: PLC0415
        return version("tensorflow-cpu")
    except Exception:  # noqa: BLE001
        return "n/a"


def write_section(text, clock="cpu", path=ROOT / "docs" / "performance.md"):
    """Replaces (or appends) only the "Eager dispatch" section of docs/performance.md."""
    section = (f"{HEADING}\n\n"
               "Per-call eager dispatch cost, medians of interleaved rounds (tfjax and jax.numpy in one "
               "process, TF eager in a child process of the same run, since TF's spinning thread pools "
               "would bill CPU time to whatever runs next) "
               "(`python benchmarks/bench_eager.py --write`), "
               f"{'process CPU time per call' if clock == 'cpu' else 'wall-clock time per call'}. "
               "Target: tfjax <= 1.5x raw `jax.numpy`.\n\n"
               f"Machine: {os.cpu_count()} CPU cores, JAX {jax.__version__}, "
               f"TF {_tf_version()}, {time.strftime('%Y-%m-%d')}, load average {os.getloadavg()[0]:.1f} "
               "at the end of the run (the machine is shared; CPU time is less sensitive to that than "
               "wall time).\n\n"
               f"{text}\n")
    old = path.read_text() if path.exists() else "# Performance\n"
    pat = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pat.search(old):
        new = pat.sub(lambda _: section + "\n", old, count=1)
    else:
        new = old.rstrip("\n") + "\n\n" + section
    path.write_text(new.rstrip("\n") + "\n")


def measure_tf(rounds, number, clock):
    """TF eager timings, in a child process of this same run: TF's intra-op thread pools keep
    spinning after each op, which would bill CPU time to whatever runs next in a shared process."""
    import json  # noqa: PLC0415
    import subprocess  # noqa: PLC0415
    cmd = [sys.executable, __file__, "--tf-child", "--rounds", str(rounds), "--number", str(number),
           "--clock", clock]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=900, check=True).stdout
        return json.loads(out.strip().splitlines()[-1])
    except Exception as e:  # noqa: BLE001
        print(f"(TF eager timings unavailable: {e})", file=sys.stderr)
        return {}


def main(argv=None):
    global tf_real
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--write", action="store_true", help="update docs/performance.md")
    p.add_argument("--rounds", type=int, default=25)
    p.add_argument("--number", type=int, default=400)
    p.add_argument("--clock", choices=sorted(CLOCKS), default="cpu")
    p.add_argument("--tf-child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    _clock[0] = CLOCKS[args.clock]
    if args.tf_child:
        import json  # noqa: PLC0415
        import tensorflow  # noqa: PLC0415
        tf_real = tensorflow
        res = bench(make_cases(), rounds=args.rounds, number=args.number)
        print(json.dumps({k: v["tf"] for k, v in res.items()}))
        return res
    res = bench(make_cases(), rounds=args.rounds, number=args.number)
    for k, v in measure_tf(args.rounds, args.number, args.clock).items():
        res[k]["tf"] = v
    t = table(res)
    print(t)
    if args.write:
        write_section(t, clock=args.clock)
    return res


if __name__ == "__main__":
    main()
