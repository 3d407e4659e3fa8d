"""keras.ops control flow against real Keras 3 (TF backend): values eagerly and under tf.function,
and gradients through a GradientTape."""

import numpy as np
import pytest

tf_real = pytest.importorskip("tensorflow")
rk = pytest.importorskip("keras")

import tfjax as tf  # noqa: E402

X = np.arange(1, 6, dtype="float32") / 2


def _program(ops, x):
    """The same program for both implementations (ops = keras.ops of either)."""
    a = ops.while_loop(lambda i, s: i < 3, lambda i, s: (i + 1, s * x), (0, ops.ones_like(x)))
    b = ops.fori_loop(0, 4, lambda i, v: v * x + ops.cast(i, "float32"), ops.zeros_like(x))
    c, ys = ops.scan(lambda c, e: (c + e, c * e), ops.zeros(()), x)
    cr, ysr = ops.scan(lambda c, e: (c * 0.5 + e, c * e), ops.ones(()), x, reverse=True)
    d = ops.map(lambda e: e * e + 1, x)
    e = ops.switch(ops.cast(ops.sum(x) > 5, "int32"), [lambda v: v + 1, lambda v: v * 3], x)
    f = ops.cond(ops.sum(x) > 5, lambda: x * 2, lambda: x - 1)
    g = ops.associative_scan(lambda p, q: p + q, x)
    gr = ops.associative_scan(lambda p, q: p * q, ops.reshape(x[:4], (2, 2)), reverse=True, axis=1)
    h = ops.while_loop(lambda s: ops.sum(s) < 100, lambda s: s * x, x, maximum_iterations=10)
    v = ops.vectorized_map(lambda r: ops.sum(r * r), ops.reshape(x[:4], (2, 2)))
    return [a[0], a[1], b, c, ys, cr, ysr, d, e, f, g, gr, h, v]


def _real(x):
    return [np.asarray(t) for t in _program(rk.ops, tf_real.constant(x))]


def test_eager_values_match_keras():
    got = _program(tf.keras.ops, tf.constant(X))
    for i, (g, w) in enumerate(zip(got, _real(X))):
        np.testing.assert_allclose(np.asarray(g), w, rtol=1e-5, err_msg=f"output {i}")


def test_traced_values_match_keras():
    got = tf.function(lambda x: _program(tf.keras.ops, x))(tf.constant(X))
    for i, (g, w) in enumerate(zip(got, _real(X))):
        np.testing.assert_allclose(np.asarray(g), w, rtol=1e-5, err_msg=f"output {i}")


def _loss(ops, x):
    return sum(ops.sum(t) for t in _program(ops, x) if "float" in str(t.dtype))


def test_gradients_match_tensorflow():
    xr = tf_real.constant(X)
    with tf_real.GradientTape() as t:
        t.watch(xr)
        lr = _loss(rk.ops, xr)
    want = t.gradient(lr, xr).numpy()
    for fn in (lambda x: _loss(tf.keras.ops, x), tf.function(lambda x: _loss(tf.keras.ops, x))):
        x = tf.constant(X)
        with tf.GradientTape() as tape:
            tape.watch(x)
            loss = fn(x)
        np.testing.assert_allclose(float(loss), float(lr), rtol=1e-5)
        np.testing.assert_allclose(np.asarray(tape.gradient(loss, x)), want, rtol=1e-4)


def test_switch_clamps_out_of_range_index_like_keras():
    for idx in (-2, 0, 1, 5):
        want = rk.ops.switch(idx, [lambda v: v + 1, lambda v: v - 1], np.float32(3))
        got = tf.keras.ops.switch(idx, [lambda v: v + 1, lambda v: v - 1], np.float32(3))
        assert float(got) == float(want)


def test_structured_scan_outputs_match_jax_backend():
    """Keras's JAX backend is ``lax.scan`` itself (its TF backend mishandles nested ``ys``)."""
    import jax  # noqa: PLC0415

    def step(c, e):
        return {"acc": c["acc"] * 0.5 + e[0]}, (c["acc"], [e[1] * 2, None])

    xs = (X, X[::-1].copy())
    for reverse in (False, True):
        want = jax.lax.scan(step, {"acc": np.float32(1)}, xs, reverse=reverse)
        got = tf.keras.ops.scan(step, {"acc": np.float32(1)}, xs, reverse=reverse)
        assert jax.tree_util.tree_structure(want) == jax.tree_util.tree_structure(
            got, is_leaf=lambda t: isinstance(t, tf.Tensor))
        for g, w in zip(jax.tree_util.tree_leaves(got, is_leaf=lambda t: isinstance(t, tf.Tensor)),
                        jax.tree_util.tree_leaves(want)):
            np.testing.assert_allclose(np.asarray(g), np.asarray(w), rtol=1e-6)
