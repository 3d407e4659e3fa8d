"""Unit tests of tf.custom_gradient."""

import numpy as np
import pytest

import tfjax as tf


@tf.custom_gradient
def _scaled_identity(x):
    def grad(dy):
        return dy * 10.0
    return tf.identity(x), grad


def test_custom_gradient_used_eager_and_traced():
    x = tf.constant(2.0)
    with tf.GradientTape() as t:
        t.watch(x)
        y = _scaled_identity(x) * 3.0
    assert float(t.gradient(y, x)) == 30.0

    @tf.function
    def f(x):
        with tf.GradientTape() as t:
            t.watch(x)
            y = _scaled_identity(x) * 3.0
        return t.gradient(y, x)

    assert float(f(x)) == 30.0


def test_forward_value_unchanged():
    assert float(_scaled_identity(tf.constant(4.0))) == 4.0


def test_multiple_inputs_and_none_gradient():
    @tf.custom_gradient
    def f(a, b):
        def grad(dy):
            return dy * 2.0, None
        return a * b, grad

    a, b = tf.constant(3.0), tf.constant(4.0)
    with tf.GradientTape() as t:
        t.watch([a, b])
        y = f(a, b)
    ga, gb = t.gradient(y, [a, b])
    assert float(ga) == 2.0 and float(gb) == 0.0


def test_multiple_outputs():
    @tf.custom_gradient
    def split(x):
        def grad(d1, d2):
            return d1 + 100.0 * d2
        return (x * 1.0, x * 2.0), grad

    x = tf.constant(1.0)
    with tf.GradientTape() as t:
        t.watch(x)
        a, b = split(x)
        y = a + b
    assert float(t.gradient(y, x)) == 101.0


def test_wrong_number_of_gradients_raises():
    @tf.custom_gradient
    def f(a, b):
        def grad(dy):
            return dy
        return a * b, grad

    a, b = tf.constant(1.0), tf.constant(2.0)
    with tf.GradientTape() as t:
        t.watch([a, b])
        y = f(a, b)
    with pytest.raises(ValueError):
        t.gradient(y, [a, b])


def test_second_order_through_custom_gradient():
    @tf.custom_gradient
    def cube(x):
        def grad(dy):
            return dy * 3.0 * x * x
        return x * x * x, grad

    x = tf.constant(2.0)
    with tf.GradientTape() as t2:
        t2.watch(x)
        with tf.GradientTape() as t1:
            t1.watch(x)
            y = cube(x)
        g = t1.gradient(y, x)
    assert float(g) == 12.0
    assert float(t2.gradient(g, x)) == 12.0


def test_variable_inputs_are_read():
    v = tf.Variable(3.0)
    with tf.GradientTape() as t:
        y = _scaled_identity(v)
    assert float(t.gradient(y, v)) == 10.0


def test_structure_tracked_per_call():
    @tf.custom_gradient
    def f(x):
        def grad(dy):
            return dy
        return {"v": x * 2.0}, grad

    assert float(f(tf.constant(1.0))["v"]) == 2.0
    assert np.asarray(f(tf.constant([1.0, 2.0]))["v"]).tolist() == [2.0, 4.0]


def test_grad_fn_with_variables():
    w = tf.Variable(3.0)

    @tf.custom_gradient
    def f(x):
        def grad(dy, variables=None):
            assert [v is w for v in variables] == [True]
            return dy * 2.0, [dy * 7.0]
        return x * w, grad

    x = tf.constant(1.0)
    with tf.GradientTape() as t:
        t.watch(x)
        y = f(x)
    gx, gw = t.gradient(y, [x, w])
    assert float(y) == 3.0 and float(gx) == 2.0 and float(gw) == 7.0
    with tf.GradientTape() as t:
        y = f(tf.constant(2.0))
    assert float(t.gradient(y, w)) == 7.0
