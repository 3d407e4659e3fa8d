"""XLA CPU flags vs conv2d fwd+bwd at the CNN benchmark's shapes and the whole CNN train step (issue #5).

Each flag configuration runs in a fresh process (XLA_FLAGS is read when the backend
starts), rounds interleaved. Reported per call: median wall ms, fastest wall ms and
median process CPU ms (all threads; fairer than wall time on a shared machine).
Numerics of every configuration are compared with the first one. ``--reference``
also times TF 2.21's conv2d and the max-pool fwd+bwd of both frameworks.

Usage: python benchmarks/bench_xla_cpu_flags.py [ROUNDS] [--reference]
"""
import json, os, subprocess, sys, time
import numpy as np

TMP = os.environ.get("BENCH_XLA_TMP", "/tmp/bench_xla_cpu_flags")

CONFIGS = {
    "default (YNNPACK convs)": "",
    "Eigen convs (ynn types dot,eltwise,reduce)": "--xla_cpu_experimental_ynn_fusion_type=dot,eltwise,reduce",
    "xla_cpu_use_xnnpack=false": "--xla_cpu_use_xnnpack=false",
    "oneDNN thunks + fusions": "--xla_cpu_use_onednn=true --xla_cpu_experimental_onednn_custom_call=true "
                               "--xla_cpu_experimental_onednn_fusion_type=dot,eltwise,reduce",
    "XNN fusions + graph greedy": "--xla_cpu_experimental_xnn_fusion_type=dot,eltwise,reduce "
                                  "--xla_cpu_experimental_xnn_graph_fusion_mode=XNN_GRAPH_FUSION_MODE_GREEDY",
    "fast_math": "--xla_cpu_enable_fast_math=true",
    "prefer_vector_width=512": "--xla_cpu_prefer_vector_width=512",
    "multi_thread_eigen=false": "--xla_cpu_multi_thread_eigen=false",
}
SHAPES = [((64, 32, 32, 3), (3, 3, 3, 32)), ((64, 32, 32, 32), (3, 3, 32, 32)), ((64, 16, 16, 32), (3, 3, 32, 64))]


def _num_path(name):
    return os.path.join(TMP, f"num_{list(CONFIGS).index(name)}.npz")


def tm(f, reps):
    import jax
    jax.block_until_ready(f())
    ts, cs = [], []
    for _ in range(reps):
        c = time.process_time(); t = time.perf_counter(); jax.block_until_ready(f())
        ts.append(time.perf_counter() - t); cs.append(time.process_time() - c)
    return float(np.median(ts)) * 1e3, float(np.min(ts)) * 1e3, float(np.median(cs)) * 1e3


def child(name):
    import jax, jax.numpy as jnp
    rng = np.random.default_rng(0)
    out, numerics = {}, {}
    for xs, ws in SHAPES:
        x = jnp.asarray(rng.normal(size=xs).astype("float32"))
        w = jnp.asarray(rng.normal(size=ws).astype("float32") * 0.1)
        def loss(x, w):
            y = jax.lax.conv_general_dilated(x, w, (1, 1), "SAME", dimension_numbers=("NHWC", "HWIO", "NHWC"))
            return jnp.sum(jax.nn.relu(y) ** 2)
        f = jax.jit(jax.value_and_grad(loss, argnums=(0, 1)))
        out[f"conv {xs[1]}x{xs[2]}x{xs[3]}->{ws[3]}"] = tm(lambda: f(x, w), 12)
        v, (gx, gw) = f(x, w)
        numerics[f"conv{xs[3]}->{ws[3]}"] = [np.asarray(v), np.asarray(gx), np.asarray(gw)]
    # whole CNN train step: the benchmark's jit+optax baseline over the Keras-JAX model
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import bench_fit as B, keras, optax
    keras.utils.set_random_seed(0)
    m = B.build("cnn", keras)
    tv = [v.value for v in m.trainable_variables]; ntv = [v.value for v in m.non_trainable_variables]
    tx = optax.adam(1e-3); o = tx.init(tv)
    xb, yb = B.make_data("cnn", 64)
    def lf(tv, ntv, xb, yb):
        logits, ntv = m.stateless_call(tv, ntv, xb, training=True)
        return optax.softmax_cross_entropy_with_integer_labels(logits, yb).mean(), ntv
    @jax.jit
    def step(tv, ntv, o, xb, yb):
        (l, ntv), g = jax.value_and_grad(lf, has_aux=True)(tv, ntv, xb, yb)
        u, o = tx.update(g, o, tv)
        return optax.apply_updates(tv, u), ntv, o, l, g
    out["CNN train step"] = tm(lambda: step(tv, ntv, o, xb, yb), 8)
    r = step(tv, ntv, o, xb, yb)
    numerics["cnn_step"] = [np.asarray(r[3])] + [np.asarray(g) for g in r[4]]
    np.savez(_num_path(name), **{f"{k}_{i}": a for k, v in numerics.items() for i, a in enumerate(v)})
    print("RESULT " + json.dumps(out))


def reference():
    """TF 2.21 conv2d fwd+bwd at the same shapes, and max pool 2x2 fwd+bwd in TF and XLA."""
    code = r'''
import json, time, numpy as np, tensorflow as tf
def tm(f, reps=12):
    f(); ts, cs = [], []
    for _ in range(reps):
        c = time.process_time(); t = time.perf_counter(); f()
        ts.append(time.perf_counter() - t); cs.append(time.process_time() - c)
    return [round(float(np.median(ts)) * 1e3, 1), round(float(np.min(ts)) * 1e3, 1), round(float(np.median(cs)) * 1e3, 1)]
rng = np.random.default_rng(0); out = {}
for xs, ws in SHAPES:
    x = tf.constant(rng.normal(size=xs).astype("float32")); w = tf.constant(rng.normal(size=ws).astype("float32") * 0.1)
    @tf.function
    def f(x, w):
        with tf.GradientTape() as t:
            t.watch([x, w]); l = tf.reduce_sum(tf.nn.relu(tf.nn.conv2d(x, w, 1, "SAME")) ** 2)
        return l, t.gradient(l, [x, w])
    out[f"TF conv {xs[1]}x{xs[2]}x{xs[3]}->{ws[3]}"] = tm(lambda: [a.numpy() for a in tf.nest.flatten(f(x, w))])
x = tf.constant(rng.normal(size=(64, 32, 32, 32)).astype("float32"))
@tf.function
def p(x):
    with tf.GradientTape() as t:
        t.watch(x); l = tf.reduce_sum(tf.nn.max_pool2d(x, 2, 2, "VALID") ** 2)
    return t.gradient(l, x)
out["TF maxpool 2x2 64x32x32x32"] = tm(lambda: p(x).numpy())
print("RESULT " + json.dumps(out))
'''
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    r = subprocess.run([sys.executable, "-c", f"SHAPES = {SHAPES!r}\n" + code], env=env, capture_output=True, text=True)
    print([l for l in r.stdout.splitlines() if l.startswith("RESULT ")] or r.stderr[-400:])
    import jax, jax.numpy as jnp  # noqa: E401
    x = jnp.asarray(np.random.default_rng(0).normal(size=(64, 32, 32, 32)).astype("float32"))
    pool = jax.jit(jax.grad(lambda x: jnp.sum(jax.lax.reduce_window(
        x, -jnp.inf, jax.lax.max, (1, 2, 2, 1), (1, 2, 2, 1), "VALID") ** 2)))
    print("XLA maxpool 2x2 (reduce_window) 64x32x32x32", [round(v, 1) for v in tm(lambda: pool(x), 12)])


def main():
    if "--reference" in sys.argv:
        sys.argv.remove("--reference")
        reference()
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    os.makedirs(TMP, exist_ok=True)
    names = list(CONFIGS)
    res = {}
    for r in range(rounds):
        for n in names:
            env = dict(os.environ, XLA_FLAGS=CONFIGS[n], KERAS_BACKEND="jax", TF_CPP_MIN_LOG_LEVEL="3")
            p = subprocess.run([sys.executable, __file__, "--child", n], env=env, capture_output=True, text=True)
            line = [l for l in p.stdout.splitlines() if l.startswith("RESULT ")]
            if not line:
                print(n, "FAILED", p.stderr[-400:], flush=True)
                res.setdefault(n, []).append(None)
                continue
            d = json.loads(line[0][7:])
            res.setdefault(n, []).append(d)
            print(n, r, {k: [round(e, 1) for e in v] for k, v in d.items()}, "load %.1f" % os.getloadavg()[0],
                  flush=True)
    json.dump(res, open(os.path.join(TMP, "results.json"), "w"))
    base = np.load(_num_path(names[0]))
    for n in names[1:]:
        if os.path.exists(_num_path(n)):
            d = np.load(_num_path(n))
            worst = max(float(np.max(np.abs(d[k] - base[k])) / (np.max(np.abs(base[k])) + 1e-30)) for k in base.files)
            print(f"{n}: max |diff| / max|ref| vs {names[0]} = {worst:.2e}")
    keys = [f"conv {x[1]}x{x[2]}x{x[3]}->{w[3]}" for x, w in SHAPES] + ["CNN train step"]
    print("\n| config: XLA_FLAGS | " + " | ".join(keys) + " |\n|---|" + "---|" * len(keys))
    for n, runs in res.items():
        runs = [r for r in runs if r]
        if runs:
            cells = [f"{np.median([r[k][2] for r in runs]):.1f} / {min(r[k][1] for r in runs):.1f}" for k in keys]
            print(f"| {n}: `{CONFIGS[n] or '(none)'}` | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2])
    else:
        main()
