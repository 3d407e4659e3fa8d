"""Keras ``fit`` throughput, tfjax vs Keras 3 on JAX vs hand-written jit+optax, in ONE process.

``bench_fit.py`` runs each framework in a fresh process, which is the honest setting for
first-epoch time and memory, but on a shared machine the host's load drifts between those
processes by more than the few percent that separate tfjax, Keras-on-JAX and jit+optax.
Here the three train the same model side by side: each round times one steady-state epoch of
each framework (order rotating), so every round compares them under the same load, and the
result is the median over rounds of the per-round ratios.

    python benchmarks/bench_fit_interleaved.py --models mlp,lstm --rounds 15

Epochs are timed from ``on_epoch_begin`` to ``on_epoch_end`` (Keras) and around the step loop
(jit+optax), so per-``fit``-call setup is excluded for both Keras implementations alike. tfjax
runs with its default automatic ``steps_per_execution`` (chosen during the warm-up fit and
kept by the model); Keras with its default 1.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("KERAS_BACKEND", "jax")

import numpy as np  # noqa: E402

from bench_fit import MODELS, build, make_data  # noqa: E402


class _EpochTimer:
    def __init__(self, k):
        timer = self

        class T(k.callbacks.Callback):
            def on_epoch_begin(self, epoch, logs=None):
                timer.t = time.perf_counter()

            def on_epoch_end(self, epoch, logs=None):
                timer.last = time.perf_counter() - timer.t
        self.callback = T()


def _keras_runner(k, name, x, y, batch):
    model = build(name, k)
    model.compile(optimizer=k.optimizers.Adam(1e-3),
                  loss=k.losses.SparseCategoricalCrossentropy(from_logits=True))
    timer = _EpochTimer(k)

    def epoch():
        model.fit(x, y, batch_size=batch, epochs=1, verbose=0, shuffle=False, callbacks=[timer.callback])
        return timer.last
    return epoch


def _jax_optax_runner(name, x, y, batch):
    import jax  # noqa: PLC0415
    import keras  # noqa: PLC0415
    import optax  # noqa: PLC0415
    model = build(name, keras)
    state = {"tv": [v.value for v in model.trainable_variables],
             "ntv": [v.value for v in model.non_trainable_variables]}
    tx = optax.adam(1e-3)
    state["opt"] = tx.init(state["tv"])

    def loss_fn(tv, ntv, xb, yb):
        logits, ntv = model.stateless_call(tv, ntv, xb, training=True)
        return optax.softmax_cross_entropy_with_integer_labels(logits, yb).mean(), ntv

    def step(tv, ntv, opt_state, xb, yb):
        (loss, ntv), g = jax.value_and_grad(loss_fn, has_aux=True)(tv, ntv, xb, yb)
        upd, opt_state = tx.update(g, opt_state, tv)
        return optax.apply_updates(tv, upd), ntv, opt_state, loss

    step = jax.jit(step, donate_argnums=(0, 1, 2))
    nb = len(x) // batch
    batches = [(jax.device_put(x[i * batch:(i + 1) * batch]), jax.device_put(y[i * batch:(i + 1) * batch]))
               for i in range(nb)]

    def epoch():
        t = time.perf_counter()
        tv, ntv, opt = state["tv"], state["ntv"], state["opt"]
        for xb, yb in batches:
            tv, ntv, opt, loss = step(tv, ntv, opt, xb, yb)
        jax.block_until_ready(loss)
        state.update(tv=tv, ntv=ntv, opt=opt)
        return time.perf_counter() - t
    return epoch


def run(name, rounds):
    import keras  # noqa: PLC0415
    import tfjax.keras as tk  # noqa: PLC0415
    batch, nb, _ = MODELS[name]
    x, y = make_data(name, batch * nb)
    runners = {"tfjax": _keras_runner(tk, name, x, y, batch),
               "keras_jax": _keras_runner(keras, name, x, y, batch),
               "jax_optax": _jax_optax_runner(name, x, y, batch)}
    for r in runners.values():          # compile, pick steps_per_execution, warm caches
        r()
        r()
    names = list(runners)
    times = {n: [] for n in names}
    for i in range(rounds):
        for n in names[i % 3:] + names[:i % 3]:
            times[n].append(runners[n]())
    n_samples = batch * nb
    med = {n: n_samples / float(np.median(t)) for n, t in times.items()}
    ratio = {b: float(np.median([tb / ta for ta, tb in zip(times["tfjax"], times[b])]))
             for b in ("keras_jax", "jax_optax")}
    return med, ratio


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--models", default=",".join(MODELS))
    p.add_argument("--rounds", type=int, default=15)
    a = p.parse_args()
    load = os.getloadavg()[0]
    print("| model | tfjax (samples/s) | Keras 3 JAX (samples/s) | jit+optax (samples/s) | "
          "tfjax / Keras-JAX (median of rounds) | tfjax / jit+optax (median of rounds) |")
    print("|---|---:|---:|---:|---:|---:|")
    for name in a.models.split(","):
        med, ratio = run(name, a.rounds)
        print(f"| {name} | {med['tfjax']:,.0f} | {med['keras_jax']:,.0f} | {med['jax_optax']:,.0f} | "
              f"{ratio['keras_jax']:.2f} | {ratio['jax_optax']:.2f} |", flush=True)
    print(f"\n{a.rounds} rounds per model; 1-minute load average at start: {load:.1f}")


if __name__ == "__main__":
    main()
