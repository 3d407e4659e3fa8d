"""tf.data throughput: tfjax vs real TensorFlow (batches/s over 2 epochs).

Pipelines:
  mnist        from_tensor_slices((x[60000,784] f32, y i64)).shuffle(10000).batch(128)
               .map(normalize, num_parallel_calls=AUTOTUNE).prefetch(AUTOTUNE)
  mnist_cache  the same with .cache() after from_tensor_slices
  tfrecord     TFRecordDataset(20000 Examples: 784 floats + label)
               .map(parse_single_example, AUTOTUNE).batch(128).prefetch(AUTOTUNE)
  tfrecord_batched  TFRecordDataset(...).batch(128).map(parse_example).prefetch(AUTOTUNE)

Usage: python benchmarks/bench_data.py [--rounds 3] [--pipelines tfrecord,tfrecord_batched]
                                       [--baseline DIR]
       (runs both frameworks, interleaved rounds, prints medians; --baseline DIR adds the tfjax
        found in DIR, e.g. `git worktree add /tmp/base HEAD`, as a third variant)
       python benchmarks/bench_data.py --framework tfjax|tf --pipeline mnist
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

PIPELINES = ["mnist", "mnist_cache", "tfrecord", "tfrecord_batched"]
EPOCHS = 2


def _import(framework):
    if framework == "tf":
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        import tensorflow as tf  # noqa: PLC0415
        return tf
    import tfjax as tf  # noqa: PLC0415
    return tf


def _tfrecord_file(path, n=20000):
    if os.path.exists(path):
        return path
    from tfjax._src.io import example as ex  # noqa: PLC0415
    import tfjax as tfx  # noqa: PLC0415
    rng = np.random.default_rng(0)
    tmp = path + ".tmp"
    with tfx.io.TFRecordWriter(tmp) as w:
        for i in range(n):
            e = ex.Example(features=ex.Features(feature={
                "image": ex.Feature(float_list=ex.FloatList(value=rng.random(784, dtype=np.float32))),
                "label": ex.Feature(int64_list=ex.Int64List(value=[i % 10])),
            }))
            w.write(e.SerializeToString())
    os.replace(tmp, path)
    return path


def build(tf, name, data_dir):
    autotune = tf.data.AUTOTUNE
    if name.startswith("mnist"):
        rng = np.random.default_rng(0)
        x = rng.random((60000, 784), dtype=np.float32)
        y = rng.integers(0, 10, 60000).astype(np.int64)

        def normalize(a, b):
            return a / 255.0, b
        ds = tf.data.Dataset.from_tensor_slices((x, y))
        if name == "mnist_cache":
            ds = ds.cache()
        return ds.shuffle(10000).batch(128).map(normalize, num_parallel_calls=autotune).prefetch(autotune)
    path = _tfrecord_file(os.path.join(data_dir, "bench_examples.tfrecord"))
    spec = {"image": tf.io.FixedLenFeature([784], tf.float32), "label": tf.io.FixedLenFeature([], tf.int64)}
    if name == "tfrecord":
        def parse(s):
            d = tf.io.parse_single_example(s, spec)
            return d["image"], d["label"]
        return tf.data.TFRecordDataset(path).map(parse, num_parallel_calls=autotune).batch(128).prefetch(autotune)

    def parse_batch(s):
        d = tf.io.parse_example(s, spec)
        return d["image"], d["label"]
    return tf.data.TFRecordDataset(path).batch(128).map(parse_batch, num_parallel_calls=autotune).prefetch(autotune)


def run_one(framework, name, data_dir):
    tf = _import(framework)
    ds = build(tf, name, data_dir)
    times, counts = [], []
    for _ in range(EPOCHS):
        t0 = time.perf_counter()
        n = 0
        for _batch in ds:
            n += 1
        times.append(time.perf_counter() - t0)
        counts.append(n)
    return {"framework": framework, "pipeline": name, "batches": counts, "seconds": times,
            "batches_per_s_total": sum(counts) / sum(times),
            "batches_per_s_epochs": [c / t for c, t in zip(counts, times)]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--framework", choices=["tfjax", "tf"])
    ap.add_argument("--pipeline", choices=PIPELINES)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--pipelines", default=",".join(PIPELINES),
                    help="comma-separated subset of the pipelines to run (default: all)")
    ap.add_argument("--baseline", metavar="DIR",
                    help="also run the tfjax found in DIR (e.g. a `git worktree` of an older commit) "
                         "as 'tfjax@base', interleaved with the others: before/after at the same load")
    ap.add_argument("--data-dir", default=os.path.join(tempfile.gettempdir(), "tfjax_bench_data"))
    args = ap.parse_args()
    os.makedirs(args.data_dir, exist_ok=True)
    if args.framework:
        print(json.dumps(run_one(args.framework, args.pipeline, args.data_dir)))
        return
    pipelines = [p for p in args.pipelines.split(",") if p]
    unknown = set(pipelines) - set(PIPELINES)
    if unknown:
        ap.error(f"unknown pipelines: {sorted(unknown)}")
    _tfrecord_file(os.path.join(args.data_dir, "bench_examples.tfrecord"))
    variants = ["tf", "tfjax"] + (["tfjax@base"] if args.baseline else [])
    runs = {}  # (pipeline, variant) -> one result per round
    for rnd in range(args.rounds):  # interleaved rounds: the machine may be shared
        for name in pipelines:
            for var in variants:
                env = dict(os.environ)
                if var == "tfjax@base":
                    env["PYTHONPATH"] = os.path.abspath(args.baseline) + os.pathsep + env.get("PYTHONPATH", "")
                out = subprocess.run([sys.executable, __file__, "--framework", var.split("@")[0],
                                      "--pipeline", name, "--data-dir", args.data_dir],
                                     capture_output=True, text=True, check=True, env=env)
                r = json.loads(out.stdout.strip().splitlines()[-1])
                runs.setdefault((name, var), []).append(r)
                print(f"round {rnd + 1} {name:<18}{var:<11}{r['batches_per_s_total']:>8.0f} b/s"
                      f"  (load {os.getloadavg()[0]:.1f})", file=sys.stderr, flush=True)
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"{'pipeline':<18}{'framework':<12}{'epoch1 b/s':>12}{'epoch2 b/s':>12}{'2 epochs b/s':>14}"
          f"{'best':>8}")
    for name in pipelines:
        for var in variants:
            rs = runs[(name, var)]
            med = [float(np.median([r["batches_per_s_epochs"][i] for r in rs])) for i in range(EPOCHS)]
            tot = float(np.median([r["batches_per_s_total"] for r in rs]))
            best = max(r["batches_per_s_total"] for r in rs)
            print(f"{name:<18}{var:<12}{med[0]:>12.0f}{med[1]:>12.0f}{tot:>14.0f}{best:>8.0f}")
    print("(medians over rounds; 'best' is the best round's 2-epoch rate)")
    for name in pipelines:
        for var in variants[1:]:
            # ratio per round (the variants ran back to back), then the median of those
            ratios = [a["batches_per_s_total"] / b["batches_per_s_total"]
                      for a, b in zip(runs[(name, var)], runs[(name, "tf")])]
            print(f"ratio {var}/tf {name}: median {float(np.median(ratios)):.2f} "
                  f"(rounds: {', '.join(f'{x:.2f}' for x in ratios)})")


if __name__ == "__main__":
    main()
