"""GradientTape and tf.function benchmarks: tfjax vs TensorFlow vs hand-written JAX.

Run:  python benchmarks/bench_tape_function.py [--quick] [--json out.json]

(a) tiny step: grad of sum(x*w) for a (128,) variable + SGD update (w.assign_sub(lr*g)),
    eager tape and tf.function, vs TF eager / TF tf.function / jax.jit(grad) step.
(b) MLP custom loop: 784-256-128-10, batch 128, Adam, vs hand-written jax.jit + optax
    (and TF tf.function + Keras Adam); first-call trace+compile time of each.
All numbers come from the same process and run; each figure is the median over
repeats of the mean per-step time of a batch of steps.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
import optax  # noqa: E402

import tfjax as tfx  # noqa: E402

try:
    import tensorflow as tf_real  # noqa: E402
except Exception:  # noqa: BLE001
    tf_real = None


def _block(x):
    if isinstance(x, tfx.Variable):
        x._value.block_until_ready()
    elif hasattr(x, "block_until_ready"):
        x.block_until_ready()
    elif isinstance(x, tfx.Tensor):
        x._value.block_until_ready()
    elif hasattr(x, "numpy"):
        x.numpy()


def timeit(step, sync, n, repeats, warmup=20):
    for _ in range(warmup):
        step()
    sync()
    per = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(n):
            step()
        sync()
        per.append((time.perf_counter() - t0) / n)
    return statistics.median(per)


# ---------------------------------------------------------------------------
# (a) tiny step
# ---------------------------------------------------------------------------
def tiny(n, repeats):
    lr = 0.01
    xs = np.random.RandomState(0).randn(128).astype(np.float32)
    res = {}

    # tfjax eager
    tf = tfx
    w = tf.Variable(np.ones(128, np.float32))
    x = tf.constant(xs)

    def eager_step():
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(x * w)
        g = tape.gradient(loss, w)
        w.assign_sub(lr * g)

    res["tfjax_eager"] = timeit(eager_step, lambda: _block(w), n, repeats)

    w2 = tf.Variable(np.ones(128, np.float32))

    @tf.function
    def fn_step(x):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(x * w2)
        g = tape.gradient(loss, w2)
        w2.assign_sub(lr * g)
        return loss

    res["tfjax_function"] = timeit(lambda: fn_step(x), lambda: _block(w2), n, repeats)

    # hand-written JAX
    def loss_fn(w, x):
        return jnp.sum(x * w)

    @jax.jit
    def jstep(w, x):
        return w - lr * jax.grad(loss_fn)(w, x)

    state = {"w": jnp.ones(128, jnp.float32)}
    xj = jnp.asarray(xs)

    def jax_step():
        state["w"] = jstep(state["w"], xj)

    res["jax_jit"] = timeit(jax_step, lambda: state["w"].block_until_ready(), n, repeats)

    if tf_real is not None:
        tf = tf_real
        tw = tf.Variable(np.ones(128, np.float32))
        tx = tf.constant(xs)

        def tf_eager_step():
            with tf.GradientTape() as tape:
                loss = tf.reduce_sum(tx * tw)
            g = tape.gradient(loss, tw)
            tw.assign_sub(lr * g)

        res["tf_eager"] = timeit(tf_eager_step, lambda: tw.numpy(), n, repeats)
        tw2 = tf.Variable(np.ones(128, np.float32))

        @tf.function
        def tf_fn_step(x):
            with tf.GradientTape() as tape:
                loss = tf.reduce_sum(x * tw2)
            g = tape.gradient(loss, tw2)
            tw2.assign_sub(lr * g)
            return loss

        res["tf_function"] = timeit(lambda: tf_fn_step(tx), lambda: tw2.numpy(), n, repeats)
    return res


# ---------------------------------------------------------------------------
# (b) MLP custom loop
# ---------------------------------------------------------------------------
SIZES = (784, 256, 128, 10)


def _init(rng):
    params = []
    for a, b in zip(SIZES[:-1], SIZES[1:]):
        params.append(((rng.randn(a, b) * np.sqrt(2.0 / a)).astype(np.float32), np.zeros(b, np.float32)))
    return params


def _data(rng, batch):
    return rng.randn(batch, 784).astype(np.float32), rng.randint(0, 10, batch).astype(np.int32)


def mlp(n, repeats, batch=128):
    rng = np.random.RandomState(0)
    init = _init(rng)
    xb, yb = _data(rng, batch)
    y1h = np.eye(10, dtype=np.float32)[yb]
    res = {}
    opt = optax.adam(1e-3)

    # hand-written jax.jit + optax
    def jloss(params, x, y):
        h = x
        for i, (w, b) in enumerate(params):
            h = h @ w + b
            if i < len(params) - 1:
                h = jax.nn.relu(h)
        return -jnp.mean(jnp.sum(y * jax.nn.log_softmax(h), axis=-1))

    @jax.jit
    def jstep(params, opt_state, x, y):
        loss, g = jax.value_and_grad(jloss)(params, x, y)
        upd, opt_state = opt.update(g, opt_state, params)
        return optax.apply_updates(params, upd), opt_state, loss

    params = jax.tree_util.tree_map(jnp.asarray, init)
    st = {"p": params, "o": opt.init(params)}
    xj, yj = jnp.asarray(xb), jnp.asarray(y1h)
    t0 = time.perf_counter()
    st["p"], st["o"], l0 = jstep(st["p"], st["o"], xj, yj)
    l0.block_until_ready()
    res["jax_first_call_s"] = time.perf_counter() - t0

    def jax_step():
        st["p"], st["o"], st["l"] = jstep(st["p"], st["o"], xj, yj)

    res["jax_jit_optax"] = timeit(jax_step, lambda: st["l"].block_until_ready(), n, repeats)

    # tfjax: tf.Variables + tf.function + GradientTape; optax for the update
    tf = tfx
    from tfjax._src.tensor import Tensor  # noqa: PLC0415
    vars_ = [(tf.Variable(w), tf.Variable(b)) for w, b in init]
    flat_vars = [v for pair in vars_ for v in pair]
    ostate0 = opt.init([jnp.asarray(v._value) for v in flat_vars])
    leaves, treedef = jax.tree_util.tree_flatten(ostate0)
    opt_vars = [tf.Variable(Tensor(jnp.asarray(l))) for l in leaves]

    def tloss(x, y):
        h = x
        for i, (w, b) in enumerate(vars_):
            h = tf.matmul(h, w) + b
            if i < len(vars_) - 1:
                h = tf.maximum(h, 0.0)
        logp = h - tf.reduce_logsumexp(h, axis=-1, keepdims=True)
        return -tf.reduce_mean(tf.reduce_sum(y * logp, axis=-1))

    @tf.function
    def tstep(x, y):
        with tf.GradientTape() as tape:
            loss = tloss(x, y)
        grads = tape.gradient(loss, flat_vars)
        graw = [tfx.experimental.to_jax(g) if hasattr(tfx, "experimental") else g._value for g in grads] \
            if False else [g._value for g in grads]
        state = jax.tree_util.tree_unflatten(treedef, [v._read_raw() for v in opt_vars])
        upd, new_state = opt.update(graw, state, [v._read_raw() for v in flat_vars])
        for v, u in zip(flat_vars, upd):
            v.assign_add(Tensor(u))
        for v, s in zip(opt_vars, jax.tree_util.tree_leaves(new_state)):
            v.assign(Tensor(s))
        return loss

    tx_, ty_ = tf.constant(xb), tf.constant(y1h)
    t0 = time.perf_counter()
    l0 = tstep(tx_, ty_)
    l0._value.block_until_ready()
    res["tfjax_first_call_s"] = time.perf_counter() - t0
    box = {}

    def tfjax_step():
        box["l"] = tstep(tx_, ty_)

    res["tfjax_function_optax"] = timeit(tfjax_step, lambda: box["l"]._value.block_until_ready(), n, repeats)
    losses = [float(tstep(tx_, ty_)) for _ in range(3)]
    res["tfjax_loss_decreasing"] = losses[-1] < float(l0)

    if tf_real is not None:
        tf = tf_real
        tvars = [(tf.Variable(w), tf.Variable(b)) for w, b in init]
        tflat = [v for p in tvars for v in p]
        topt = tf.keras.optimizers.Adam(1e-3)

        @tf.function
        def tf_step(x, y):
            with tf.GradientTape() as tape:
                h = x
                for i, (w, b) in enumerate(tvars):
                    h = tf.matmul(h, w) + b
                    if i < len(tvars) - 1:
                        h = tf.nn.relu(h)
                loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(y, h))
            grads = tape.gradient(loss, tflat)
            topt.apply_gradients(zip(grads, tflat))
            return loss

        rx, ry = tf.constant(xb), tf.constant(y1h)
        t0 = time.perf_counter()
        tf_step(rx, ry).numpy()
        res["tf_first_call_s"] = time.perf_counter() - t0
        tb = {}

        def tf_s():
            tb["l"] = tf_step(rx, ry)

        res["tf_function_keras_adam"] = timeit(tf_s, lambda: tb["l"].numpy(), n, repeats)
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--json")
    a = ap.parse_args()
    n_t, rep_t = (200, 5) if a.quick else (1000, 9)
    n_m, rep_m = (20, 5) if a.quick else (50, 9)
    out = {"machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
                      f"jax {jax.__version__}, " + (f"tf {tf_real.__version__}" if tf_real else "no tf")}
    t = tiny(n_t, rep_t)
    out["tiny_us"] = {k: v * 1e6 for k, v in t.items()}
    r = {}
    if "tf_eager" in t:
        r["tfjax_eager / tf_eager (target <= 0.5)"] = t["tfjax_eager"] / t["tf_eager"]
        r["tfjax_function / tf_function"] = t["tfjax_function"] / t["tf_function"]
    r["tfjax_function / jax_jit (target <= 2)"] = t["tfjax_function"] / t["jax_jit"]
    out["tiny_ratios"] = r
    m = mlp(n_m, rep_m)
    out["mlp"] = {k: (v * 1e3 if isinstance(v, float) and not k.endswith("_s") else v) for k, v in m.items()}
    out["mlp_ratios"] = {"throughput tfjax / jax (target >= 0.95)": m["jax_jit_optax"] / m["tfjax_function_optax"]}
    if "tf_function_keras_adam" in m:
        out["mlp_ratios"]["throughput tfjax / tf"] = m["tf_function_keras_adam"] / m["tfjax_function_optax"]
    print(json.dumps(out, indent=2, default=str))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f, indent=2, default=str)


if __name__ == "__main__":
    sys.exit(main())
