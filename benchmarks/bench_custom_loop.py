"""The guide's custom training loop (``@tf.function`` train_step: GradientTape + apply_gradients + metric)
in tfjax vs TF 2.21, MLP 784-256-128-10, batch 128, Adam. One run each in a fresh process.

Usage: python benchmarks/bench_custom_loop.py [--write-doc]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np

BATCH, STEPS, EPOCHS = 128, 40, 4


def child(framework):
    if framework == "tfjax":
        import tfjax as tf  # noqa: PLC0415
    else:
        import tensorflow as tf  # noqa: PLC0415
    k = tf.keras
    rng = np.random.default_rng(0)
    x = rng.normal(size=(BATCH * STEPS, 784)).astype("float32")
    y = rng.integers(0, 10, BATCH * STEPS)
    model = k.Sequential([k.layers.Input((784,)), k.layers.Dense(256, activation="relu"),
                          k.layers.Dense(128, activation="relu"), k.layers.Dense(10)])
    opt = k.optimizers.Adam(1e-3)
    loss_fn = k.losses.SparseCategoricalCrossentropy(from_logits=True)
    acc = k.metrics.SparseCategoricalAccuracy()

    @tf.function
    def train_step(xb, yb):
        with tf.GradientTape() as tape:
            logits = model(xb, training=True)
            loss = loss_fn(yb, logits)
        grads = tape.gradient(loss, model.trainable_variables)
        opt.apply_gradients(zip(grads, model.trainable_variables))
        acc.update_state(yb, logits)
        return loss

    batches = [(tf.constant(x[i * BATCH:(i + 1) * BATCH]), tf.constant(y[i * BATCH:(i + 1) * BATCH]))
               for i in range(STEPS)]
    times = []
    for _ in range(EPOCHS):
        t = time.perf_counter()
        for xb, yb in batches:
            loss = train_step(xb, yb)
        float(loss)
        float(acc.result())
        acc.reset_state()
        times.append(time.perf_counter() - t)
    steady = float(np.median(times[1:]))
    print("RESULT " + json.dumps({"framework": framework, "first_epoch_s": times[0], "steady_epoch_s": steady,
                                  "steps_per_s": STEPS / steady, "samples_per_s": STEPS * BATCH / steady}))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--child")
    p.add_argument("--write-doc", action="store_true")
    a = p.parse_args()
    if a.child:
        child(a.child)
        return
    res = {}
    for fw in ("tfjax", "tf"):
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
        out = subprocess.run([sys.executable, os.path.abspath(__file__), "--child", fw], env=env,
                             capture_output=True, text=True, timeout=900)
        line = [l for l in out.stdout.splitlines() if l.startswith("RESULT ")]
        res[fw] = json.loads(line[0][7:]) if line else {"error": out.stderr[-500:]}
        print(fw, res[fw], flush=True)
    if a.write_doc and all("samples_per_s" in r for r in res.values()):
        t, f = res["tfjax"], res["tf"]
        block = ("\n### Custom training loop (guide pattern)\n\n`benchmarks/bench_custom_loop.py`: `@tf.function` "
                 "train_step with GradientTape + `apply_gradients` + a metric, MLP 784-256-128-10 b128, Adam.\n\n"
                 "| | tfjax | TF 2.21 | tfjax / TF |\n|---|---|---|---|\n"
                 f"| steady samples/s | {t['samples_per_s']:,.0f} | {f['samples_per_s']:,.0f} | "
                 f"{t['samples_per_s'] / f['samples_per_s']:.2f} |\n"
                 f"| first epoch (s) | {t['first_epoch_s']:.1f} | {f['first_epoch_s']:.1f} | |\n")
        path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "docs", "performance.md")
        text = open(path).read()
        start = text.find("## Keras fit")
        old = text.find("\n### Custom training loop (guide pattern)", start)
        end = text.find("\n## ", start + 5)
        if old >= 0 and (end < 0 or old < end):
            nxt = text.find("\n## ", old + 5)
            text = text[:old] + block + ("" if nxt < 0 else text[nxt:])
        else:
            text = (text[:end] + "\n" + block + text[end:]) if end >= 0 else text.rstrip("\n") + "\n" + block
        with open(path, "w") as fh:
            fh.write(text)


if __name__ == "__main__":
    main()
