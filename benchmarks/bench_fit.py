"""Keras ``fit`` throughput: tfjax vs TF 2.21 (Keras 3), Keras 3 on JAX, and hand-written jax.jit + optax.

Every run is a fresh subprocess. With ``--repeats R`` the runs are interleaved
(repeat r runs every model under every framework, the framework order rotating
between repeats), so load from other jobs on a shared machine hits all frameworks
alike; the table reports the median over repeats. Steady-state throughput is
N / median(epoch time) over epochs 2..E (epoch 1 includes compilation); "first
epoch" is the wall time of epoch 1; "peak RSS" is the child's ``ru_maxrss``
(imports included). The 1-minute load average is recorded before every run.
The hand-written JAX baseline is ``jax.jit(value_and_grad(stateless_call) +
optax.adam)`` over the same Keras-JAX model with donated state, i.e. one compiled
step with no framework around it.

Usage: python benchmarks/bench_fit.py [--models mlp,cnn,lstm,transformer] [--repeats R] [--write-doc]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

import numpy as np

MODELS = {
    # name: (batch, n_batches, epochs)
    "mlp": (128, 40, 4),
    "cnn": (64, 16, 4),
    "lstm": (64, 6, 3),
    "transformer": (32, 16, 4),
}
FRAMEWORKS = ["tfjax", "tf", "keras_jax", "jax_optax"]
LABELS = {"tfjax": "tfjax fit", "tf": "TF 2.21 fit", "keras_jax": "Keras 3 (JAX) fit",
          "jax_optax": "jax.jit + optax"}


def make_data(name, n):
    rng = np.random.default_rng(0)
    if name == "mlp":
        return rng.normal(size=(n, 784)).astype("float32"), rng.integers(0, 10, n)
    if name == "cnn":
        return rng.normal(size=(n, 32, 32, 3)).astype("float32"), rng.integers(0, 10, n)
    if name == "lstm":
        return rng.integers(0, 10000, (n, 100)).astype("int32"), rng.integers(0, 2, n)
    return rng.integers(0, 10000, (n, 64)).astype("int32"), rng.integers(0, 2, n)


def build(name, k):
    """The benchmark model with Keras-3 API module ``k`` (keras, or tfjax.keras)."""
    L = k.layers
    if name == "mlp":
        return k.Sequential([L.Input((784,)), L.Dense(256, activation="relu"), L.Dense(128, activation="relu"),
                             L.Dense(10)])
    if name == "cnn":
        return k.Sequential([L.Input((32, 32, 3)), L.Conv2D(32, 3, padding="same", activation="relu"),
                             L.BatchNormalization(), L.Conv2D(32, 3, padding="same", activation="relu"),
                             L.MaxPooling2D(), L.Conv2D(64, 3, padding="same", activation="relu"),
                             L.GlobalAveragePooling2D(), L.Dense(10)])
    if name == "lstm":
        return k.Sequential([L.Input((100,), dtype="int32"), L.Embedding(10000, 64), L.LSTM(64), L.Dense(2)])
    inp = L.Input((64,), dtype="int32")
    x = L.Embedding(10000, 64)(inp)
    for _ in range(2):
        a = L.MultiHeadAttention(num_heads=4, key_dim=16)(x, x)
        x = L.LayerNormalization(epsilon=1e-6)(L.Add()([x, a]))
        f = L.Dense(128, activation="relu")(x)
        f = L.Dense(64)(f)
        x = L.LayerNormalization(epsilon=1e-6)(L.Add()([x, f]))
    x = L.GlobalAveragePooling1D()(x)
    return k.Model(inp, L.Dense(2)(x))


def _keras_module(framework):
    if framework == "tfjax":
        import tfjax.keras as k  # noqa: PLC0415
        return k
    import keras as k  # noqa: PLC0415
    return k


def run_fit(framework, name):
    batch, nb, epochs = MODELS[name]
    n = batch * nb
    x, y = make_data(name, n)
    k = _keras_module(framework)
    model = build(name, k)
    model.compile(optimizer=k.optimizers.Adam(1e-3),
                  loss=k.losses.SparseCategoricalCrossentropy(from_logits=True))
    times, cpu = [], []

    class Timer(k.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.t, self.c = time.perf_counter(), time.process_time()

        def on_epoch_end(self, epoch, logs=None):
            times.append(time.perf_counter() - self.t)
            cpu.append(time.process_time() - self.c)

    model.fit(x, y, batch_size=batch, epochs=epochs, verbose=0, shuffle=False, callbacks=[Timer()])
    return times, cpu, n


def run_jax_optax(name):
    import jax  # noqa: PLC0415
    import keras  # noqa: PLC0415
    import optax  # noqa: PLC0415
    batch, nb, epochs = MODELS[name]
    n = batch * nb
    x, y = make_data(name, n)
    model = build(name, keras)
    tv = [v.value for v in model.trainable_variables]
    ntv = [v.value for v in model.non_trainable_variables]
    tx = optax.adam(1e-3)
    opt_state = tx.init(tv)

    def loss_fn(tv, ntv, xb, yb):
        logits, ntv = model.stateless_call(tv, ntv, xb, training=True)
        loss = optax.softmax_cross_entropy_with_integer_labels(logits, yb).mean()
        return loss, ntv

    @jax.jit
    def step(tv, ntv, opt_state, xb, yb):  # noqa: E306
        (loss, ntv), g = jax.value_and_grad(loss_fn, has_aux=True)(tv, ntv, xb, yb)
        upd, opt_state = tx.update(g, opt_state, tv)
        return optax.apply_updates(tv, upd), ntv, opt_state, loss

    step = jax.jit(step.__wrapped__, donate_argnums=(0, 1, 2))
    batches = [(jax.device_put(x[i * batch:(i + 1) * batch]), jax.device_put(y[i * batch:(i + 1) * batch]))
               for i in range(nb)]
    times, cpu = [], []
    for _ in range(epochs):
        t, c = time.perf_counter(), time.process_time()
        for xb, yb in batches:
            tv, ntv, opt_state, loss = step(tv, ntv, opt_state, xb, yb)
        jax.block_until_ready(loss)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return times, cpu, n


def child(framework, name):
    if framework == "jax_optax":
        times, cpu, n = run_jax_optax(name)
    else:
        times, cpu, n = run_fit(framework, name)
    steady = float(np.median(times[1:]))
    # process CPU time (all threads) per steady epoch: less sensitive than wall time to other jobs
    steady_cpu = float(np.median(cpu[1:]))
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0   # Linux reports KiB
    print("RESULT " + json.dumps({"framework": framework, "model": name, "first_epoch_s": times[0],
                                  "steady_epoch_s": steady, "samples_per_s": n / steady, "epochs": times,
                                  "steady_cpu_s": steady_cpu, "samples_per_cpu_s": n / steady_cpu,
                                  "peak_rss_mb": rss_mb}))


def run_child(framework, name, timeout=900):
    env = dict(os.environ)
    env["TF_CPP_MIN_LOG_LEVEL"] = "3"
    if framework in ("keras_jax", "jax_optax"):
        env["KERAS_BACKEND"] = "jax"
    elif framework == "tf":
        env["KERAS_BACKEND"] = "tensorflow"
    cmd = [sys.executable, os.path.abspath(__file__), "--child", framework, name]
    load = os.getloadavg()[0]
    try:
        out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"framework": framework, "model": name, "error": "timeout"}
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            r = json.loads(line[7:])
            r["load_1m"] = load
            return r
    return {"framework": framework, "model": name, "error": (out.stderr or out.stdout)[-600:], "load_1m": load}


def summarize(results):
    """(model, framework) -> medians over the successful repeats, plus their count and spread."""
    out = {}
    for m in MODELS:
        for f in FRAMEWORKS:
            rs = [r for r in results if r["model"] == m and r["framework"] == f and "samples_per_s" in r]
            if not rs:
                if any(r["model"] == m and r["framework"] == f for r in results):
                    out[(m, f)] = {"error": True}
                continue
            sps = [r["samples_per_s"] for r in rs]
            out[(m, f)] = {"samples_per_s": float(np.median(sps)), "min": min(sps), "max": max(sps), "n": len(rs),
                           "first_epoch_s": float(np.median([r["first_epoch_s"] for r in rs])),
                           "peak_rss_mb": float(np.median([r["peak_rss_mb"] for r in rs]))
                           if all("peak_rss_mb" in r for r in rs) else None,
                           "samples_per_cpu_s": float(np.median([r["samples_per_cpu_s"] for r in rs]))
                           if all("samples_per_cpu_s" in r for r in rs) else None}
    return out


def table(results):
    summ = summarize(results)
    models = [m for m in MODELS if any(r["model"] == m for r in results)]
    lines = ["| model | " + " | ".join(LABELS[f] + " (samples/s)" for f in FRAMEWORKS)
             + " | tfjax / TF | tfjax / Keras-JAX | tfjax / jit+optax |",
             "|" + "---|" * (len(FRAMEWORKS) + 4)]
    side = ["| model | " + " | ".join(f"first epoch {LABELS[f]} (s)" for f in FRAMEWORKS) + " | "
            + " | ".join(f"peak RSS {LABELS[f]} (MB)" for f in FRAMEWORKS)
            + " | CPU-time ratio tfjax / Keras-JAX | CPU-time ratio tfjax / jit+optax |",
            "|" + "---|" * (2 * len(FRAMEWORKS) + 3)]
    for m in models:
        row, vals = [m], {}
        for f in FRAMEWORKS:
            r = summ.get((m, f), {})
            v = vals[f] = r.get("samples_per_s")
            if v and r["n"] > 1:
                row.append(f"{v:,.0f} ({r['min']:,.0f}-{r['max']:,.0f})")
            else:
                row.append(f"{v:,.0f}" if v else ("error" if r else "-"))

        def ratio(a, b):
            return f"{vals[a] / vals[b]:.2f}" if vals.get(a) and vals.get(b) else "-"
        row += [ratio("tfjax", "tf"), ratio("tfjax", "keras_jax"), ratio("tfjax", "jax_optax")]
        lines.append("| " + " | ".join(row) + " |")
        fe = [summ.get((m, f), {}).get("first_epoch_s") for f in FRAMEWORKS]
        rss = [summ.get((m, f), {}).get("peak_rss_mb") for f in FRAMEWORKS]
        cpu = {f: summ.get((m, f), {}).get("samples_per_cpu_s") for f in FRAMEWORKS}
        cr = [f"{cpu['tfjax'] / cpu[b]:.2f}" if cpu.get("tfjax") and cpu.get(b) else "-"
              for b in ("keras_jax", "jax_optax")]
        side.append("| " + " | ".join([m] + [f"{v:.2f}" if v else "-" for v in fe]
                                      + [f"{v:,.0f}" if v else "-" for v in rss] + cr) + " |")
    return "\n".join(lines) + "\n\n" + "\n".join(side)


def load_summary(results):
    loads = [r["load_1m"] for r in results if "load_1m" in r]
    if not loads:
        return "unknown"
    return f"{min(loads):.1f}-{max(loads):.1f} (median {float(np.median(loads)):.1f})"


def write_doc(results, path, repeats):
    """Rewrites the head of the "## Keras fit" section (up to its first ### subsection)."""
    section = ["## Keras fit", "",
               "`benchmarks/bench_fit.py`: every run a fresh process, CPU "
               f"({os.cpu_count()} cores), Adam, batch sizes as in the issue (MLP 784-256-128-10 b128, "
               "CNN conv32-BN-conv32-pool-conv64-GAP-dense10 b64 on 32x32x3, LSTM (Embedding 10000x64, "
               "LSTM 64, seq 100) b64, 2-block Transformer (embed 64, 4 heads, ff 128, seq 64) b32). "
               "Throughput is steady state: samples / median epoch time over epochs 2..E. "
               f"{repeats} interleaved repeat(s) per model and framework (framework order rotating); the "
               "table gives the median over repeats and, in brackets, the min-max. "
               "tfjax runs with its default (automatic) `steps_per_execution`; Keras runs with its default 1. "
               "The jit+optax baseline is `jax.jit(value_and_grad(model.stateless_call) + optax.adam)` on the "
               "Keras-JAX model with donated state and device-resident batches.", "",
               f"**Load:** 1-minute load average before each run: {load_summary(results)} on this "
               f"{os.cpu_count()}-core machine, shared with other jobs.", "",
               table(results), "",
               "First epoch includes tracing and XLA compilation. Peak RSS is the whole process's "
               "`ru_maxrss` (framework imports included; TF's runtime alone is several hundred MB).", ""]
    text = open(path).read() if os.path.exists(path) else "# Performance\n"
    start = text.find("## Keras fit")
    if start >= 0:
        ends = [e for e in (text.find("\n### ", start), text.find("\n## ", start + 5)) if e >= 0]
        end = min(ends) if ends else -1
        text = text[:start] + "\n".join(section) + ("" if end < 0 else text[end:])
    else:
        text = text.rstrip("\n") + "\n\n" + "\n".join(section)
    with open(path, "w") as f:
        f.write(text)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--child", nargs=2)
    p.add_argument("--models", default=",".join(MODELS))
    p.add_argument("--frameworks", default=",".join(FRAMEWORKS))
    p.add_argument("--repeats", type=int, default=1)
    p.add_argument("--write-doc", action="store_true")
    p.add_argument("--json", default=None)
    p.add_argument("--from-json", default=None, help="tabulate (and --write-doc) a saved --json instead of running")
    a = p.parse_args()
    if a.child:
        child(*a.child)
        return
    fws = a.frameworks.split(",")
    for kind, names, known in (("framework", fws, FRAMEWORKS), ("model", a.models.split(","), list(MODELS))):
        unknown = [n for n in names if n not in known]
        if unknown:
            p.error(f"unknown {kind}(s) {unknown}; choose from {known}")
    results = []
    if a.from_json:
        with open(a.from_json) as fh:
            results = json.load(fh)
        a.repeats = max([r.get("repeat", 0) for r in results] + [0]) + 1
    for rep in range(0 if a.from_json else a.repeats):
        order = fws[rep % len(fws):] + fws[:rep % len(fws)]
        for m in a.models.split(","):
            for f in order:
                r = run_child(f, m)
                r["repeat"] = rep
                print(json.dumps(r), flush=True)
                results.append(r)
                if a.json:   # written as it goes: a long run interrupted keeps what it measured
                    with open(a.json, "w") as fh:
                        json.dump(results, fh, indent=1)
    print(table(results))
    print("load average (1 min) before runs:", load_summary(results))
    if a.write_doc:
        write_doc(results, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "docs",
                                        "performance.md"), a.repeats)


if __name__ == "__main__":
    main()
