"""Forward-pass benchmark: the spec guide's CNN and Transformer classifier.

Measures ``model.predict(x)`` and ``model(x)`` under ``tf.function`` for tfjax,
real TensorFlow 2.21 and Keras 3 on its JAX backend (``jax.jit(model)``-style,
via ``model.predict`` and a jitted ``stateless_call``), each in its own process,
in the same run. Reports medians of repeated timings and the ratios against
Keras-on-JAX. Shapes are reduced for the 2-core CPU (CNN 64×64×3, batch 32;
Transformer vocab 10000, seq 64, embed 64, 4 heads, ff 128, batch 32).

    python benchmarks/bench_forward.py            # prints the table
    python benchmarks/bench_forward.py --write    # also updates docs/performance.md
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECTION = "## Keras forward pass"


def build_models(tf):
    layers = tf.keras.layers

    def cnn():
        return tf.keras.Sequential([
            tf.keras.Input((64, 64, 3)),
            layers.Conv2D(32, 3, padding="same", activation="relu"), layers.BatchNormalization(),
            layers.Conv2D(32, 3, padding="same", activation="relu"), layers.BatchNormalization(),
            layers.MaxPooling2D(2), layers.Dropout(0.25),
            layers.Conv2D(64, 3, padding="same", activation="relu"), layers.BatchNormalization(),
            layers.Conv2D(64, 3, padding="same", activation="relu"), layers.BatchNormalization(),
            layers.MaxPooling2D(2), layers.Dropout(0.25),
            layers.Conv2D(128, 3, padding="same", activation="relu"), layers.BatchNormalization(),
            layers.GlobalAveragePooling2D(), layers.Dropout(0.5),
            layers.Dense(256, activation="relu"), layers.Dropout(0.3), layers.Dense(10)])

    class TransformerBlock(layers.Layer):
        def __init__(self, embed_dim, num_heads, ff_dim, **kw):
            super().__init__(**kw)
            self.attn = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim // num_heads)
            self.ffn = tf.keras.Sequential([layers.Dense(ff_dim, activation="relu"), layers.Dense(embed_dim)])
            self.norm1 = layers.LayerNormalization(epsilon=1e-6)
            self.norm2 = layers.LayerNormalization(epsilon=1e-6)

        def call(self, x, training=False):
            x = self.norm1(x + self.attn(x, x, training=training))
            return self.norm2(x + self.ffn(x))

    def transformer():
        inputs = tf.keras.Input((64,))
        x = layers.Embedding(10000, 64)(inputs)
        for _ in range(2):
            x = TransformerBlock(64, 4, 128)(x)
        x = layers.GlobalAveragePooling1D()(x)
        x = layers.Dense(64, activation="relu")(x)
        return tf.keras.Model(inputs, layers.Dense(3)(x))

    return {"cnn": cnn, "transformer": transformer}


def _median_time(fn, repeats, inner):
    fn()
    fn()
    samples = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(inner):
            fn()
        samples.append((time.perf_counter() - t0) / inner)
    return statistics.median(samples)


def child(framework, repeats):
    import numpy as np  # noqa: PLC0415
    if framework == "tfjax":
        import tfjax as tf  # noqa: PLC0415
    elif framework == "tf":
        import tensorflow as tf  # noqa: PLC0415
    else:
        os.environ["KERAS_BACKEND"] = "jax"
        import keras  # noqa: PLC0415

        class _Shim:  # the Keras 3 namespace shaped like tf.keras for build_models
            pass
        tf = _Shim()
        tf.keras = keras
    rng = np.random.default_rng(0)
    inputs = {"cnn": rng.standard_normal((32, 64, 64, 3)).astype("float32"),
              "transformer": rng.integers(0, 10000, (32, 64)).astype("int32")}
    out = {}
    for name, build in build_models(tf).items():
        model = build()
        x = inputs[name]
        predict = lambda: model.predict(x, batch_size=32, verbose=0)  # noqa: E731
        if framework == "keras_jax":
            import jax  # noqa: PLC0415
            fwd = jax.jit(lambda tv, ntv, x: model.stateless_call(tv, ntv, x, training=False)[0])
            # Read the variables per call: Keras's predict donates their buffers.
            call = lambda: jax.block_until_ready(fwd(  # noqa: E731
                [v.value for v in model.trainable_variables],
                [v.value for v in model.non_trainable_variables], x))
        else:
            fn = tf.function(lambda x: model(x, training=False))
            xt = tf.constant(x)
            call = lambda: np.asarray(fn(xt))  # noqa: E731
        t0 = time.perf_counter()
        call()
        first = time.perf_counter() - t0
        out[name] = {"predict_ms": 1e3 * _median_time(predict, repeats, 3),
                     "call_ms": 1e3 * _median_time(call, repeats, 5), "first_call_s": first}
    print(json.dumps(out))


def run(repeats):
    results = {}
    for fw in ("tfjax", "tf", "keras_jax"):
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONPATH=ROOT)
        proc = subprocess.run([sys.executable, __file__, "--child", fw, "--repeats", str(repeats)],
                              capture_output=True, text=True, env=env, check=True)
        results[fw] = json.loads(proc.stdout.strip().splitlines()[-1])
    return results


def table(results):
    rows = ["| model | measure | tfjax (ms) | TF 2.21 (ms) | Keras 3 on JAX (ms) | tfjax vs Keras-JAX | tfjax vs TF |",
            "|---|---|---:|---:|---:|---:|---:|"]
    for model in ("cnn", "transformer"):
        for measure, label in (("predict_ms", "predict"), ("call_ms", "model(x) under tf.function / jit")):
            t = {fw: results[fw][model][measure] for fw in results}
            rows.append(f"| {model} | {label} | {t['tfjax']:.2f} | {t['tf']:.2f} | {t['keras_jax']:.2f} | "
                        f"{t['keras_jax'] / t['tfjax']:.2f}x | {t['tf'] / t['tfjax']:.2f}x |")
    rows.append("")
    rows.append("First compiled call (s): " + ", ".join(
        f"{fw} {model} {results[fw][model]['first_call_s']:.2f}" for fw in results for model in results[fw]))
    return "\n".join(rows)


def write_section(text):
    path = os.path.join(ROOT, "docs", "performance.md")
    doc = open(path).read() if os.path.exists(path) else "# Performance\n"
    body = (f"{SECTION}\n\n`python benchmarks/bench_forward.py --write` (medians; ratios > 1 mean tfjax "
            f"is faster). Measured on the shared 2-core CPU machine, so read ratios, not absolute times.\n\n"
            f"{text}\n")
    if SECTION in doc:
        start = doc.index(SECTION)
        nxt = doc.find("\n## ", start + len(SECTION))
        doc = doc[:start] + body + (doc[nxt + 1:] if nxt != -1 else "")
    else:
        doc = doc.rstrip() + "\n\n" + body
    with open(path + ".tmp", "w") as f:
        f.write(doc)
    os.replace(path + ".tmp", path)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--child")
    p.add_argument("--repeats", type=int, default=7)
    p.add_argument("--write", action="store_true")
    a = p.parse_args()
    if a.child:
        child(a.child, a.repeats)
        return
    text = table(run(a.repeats))
    print(text)
    if a.write:
        write_section(text)


if __name__ == "__main__":
    main()
