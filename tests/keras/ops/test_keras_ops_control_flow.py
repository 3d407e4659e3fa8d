"""keras.ops control flow: eager == tf.function, one lax loop when traced, gradients through tapes."""

import jax
import jax.extend  # noqa: F401
import numpy as np
import pytest

import tfjax as tf
from tfjax._src.tensor import Tensor

ops = tf.keras.ops
X = np.arange(1, 5, dtype="float32")


def _all_constructs(x):
    a = ops.while_loop(lambda i, s: i < 3, lambda i, s: (i + 1, s * x), (0, ops.ones_like(x)))
    b = ops.fori_loop(0, 3, lambda i, v: v * x, ops.ones_like(x))
    c, ys = ops.scan(lambda c, e: (c + e, c * e), ops.zeros(()), x)
    c2, none = ops.scan(lambda c, e: (c * 2, None), x, None, length=3, reverse=True, unroll=2)
    d = ops.map(lambda e: e * e, x)
    e = ops.switch(ops.cast(ops.sum(x) > 5, "int32"), [lambda v: v + 1, lambda v: v * 3], x)
    f = ops.cond(ops.sum(x) > 5, lambda: x * 2, lambda: x)
    g = ops.associative_scan(lambda p, q: p * q, x)
    h = ops.while_loop(lambda s: ops.sum(s) < 1000, lambda s: s * x, x, maximum_iterations=10)
    assert none is None
    return a[1], b, c, ys, c2, d, e, f, g, h


def test_traced_equals_eager():
    x = tf.constant(X)
    eager = _all_constructs(x)
    traced = tf.function(_all_constructs)(x)
    for a, b in zip(eager, traced):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-6)


def _jaxpr(fn, *args):
    return jax.make_jaxpr(lambda *a: [t._value for t in jax.tree_util.tree_leaves(
        fn(*[Tensor(v) for v in a]), is_leaf=lambda t: isinstance(t, Tensor))])(*args)


def _prims(jaxpr):
    out = []
    for eqn in jaxpr.eqns:
        out.append(eqn.primitive.name)
        for sub in jax.extend.core.jaxprs_in_params(eqn.params):
            out.extend(_prims(sub))
    return out


@pytest.mark.parametrize("construct,prim", [
    (lambda x: ops.fori_loop(0, 500, lambda i, v: v * 1.001, x), "scan"),
    (lambda x: ops.while_loop(lambda i, v: i < 500, lambda i, v: (i + 1, v * 1.001), (0, x))[1], "while"),
    (lambda x: ops.scan(lambda c, e: (c + e, c), ops.zeros(()), ops.tile(x, [125]))[1], "scan"),
    (lambda x: ops.map(lambda e: e * 2, ops.tile(x, [125])), "scan"),
])
def test_traced_loops_lower_to_one_lax_loop(construct, prim):
    prims = _prims(_jaxpr(construct, X).jaxpr)
    assert prim in prims
    assert len(prims) < 60, prims  # not unrolled 500 times


def test_switch_and_cond_lower_to_lax_cond():
    prims = _prims(_jaxpr(lambda x: ops.switch(ops.cast(ops.sum(x) > 5, "int32"),
                                               [lambda v: v + 1, lambda v: v * 3, lambda v: v], x), X).jaxpr)
    assert "cond" in prims
    prims = _prims(_jaxpr(lambda x: ops.cond(ops.sum(x) > 5, lambda: x * 2, lambda: x), X).jaxpr)
    assert "cond" in prims


def _loss(x):
    b = ops.fori_loop(0, 3, lambda i, v: v * x, ops.ones_like(x))
    c, ys = ops.scan(lambda c, e: (c + e * e, c * e), ops.zeros(()), x)
    h = ops.while_loop(lambda s: ops.sum(s) < 1000, lambda s: s * x, x, maximum_iterations=10)
    w = ops.while_loop(lambda i, s: i < 2, lambda i, s: (i + 1, s * x), (0, x))[1]
    f = ops.cond(ops.sum(x) > 5, lambda: x * 2, lambda: x)
    e = ops.switch(ops.cast(ops.sum(x) > 5, "int32"), [lambda v: v + 1, lambda v: v * 3], x)
    g = ops.associative_scan(lambda p, q: p * q, x)
    m = ops.map(lambda e: e * e, x)
    return ops.sum(b) + c + ops.sum(ys) + ops.sum(h) + ops.sum(w) + ops.sum(f) + ops.sum(e) + ops.sum(g) + ops.sum(m)


def _analytic_grad(x):
    return jax.grad(lambda v: _loss(Tensor(v))._value)(x)


def test_gradient_tape_eager_and_traced_agree():
    x = tf.constant(X)
    grads = []
    for fn in (_loss, tf.function(_loss)):
        with tf.GradientTape() as tape:
            tape.watch(x)
            loss = fn(x)
        grads.append(np.asarray(tape.gradient(loss, x)))
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-5)
    np.testing.assert_allclose(grads[0], np.asarray(_analytic_grad(X)), rtol=1e-5)


def test_structures_follow_jax_backend():
    r = ops.while_loop(lambda a, b: a < 5, lambda a, b: [a + 1, b * 2], [0, 1.0])
    assert isinstance(r, tuple) and int(r[0]) == 5 and float(r[1]) == 32.0
    single = ops.while_loop(lambda a: a < 5, lambda a: a + 1, 0)
    assert int(single) == 5
    carry, ys = ops.scan(lambda c, x: ({"a": c["a"] + x[0]}, [x[1], c["a"]]), {"a": np.float32(0)},
                         (np.arange(3.0, dtype="float32"), np.ones(3, "float32")))
    assert set(carry) == {"a"} and isinstance(ys, list) and len(ys) == 2
    assert int(ops.switch(7, [lambda: 0, lambda: 1], )) == 1   # clamped, as lax.switch
    assert int(ops.switch(-3, [lambda: 0, lambda: 1])) == 0


def test_scan_argument_errors():
    with pytest.raises(ValueError, match="unroll"):
        ops.scan(lambda c, x: (c, x), 0.0, X, unroll=0)
    with pytest.raises(ValueError, match="length"):
        ops.scan(lambda c, x: (c, x), 0.0, None)
    with pytest.raises(ValueError, match="length"):
        ops.scan(lambda c, x: (c, x), 0.0, X, length=3)


def test_fori_loop_traced_bounds_use_a_while_loop():
    @tf.function
    def f(n, x):
        return ops.fori_loop(0, n, lambda i, v: v + ops.cast(i, "float32"), x)

    assert float(f(tf.constant(5), tf.constant(0.0))) == 10.0
    assert float(f(tf.constant(3), tf.constant(1.0))) == 4.0
