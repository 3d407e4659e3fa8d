"""tf.autodiff.ForwardAccumulator against real TF: JVP values, None-ness, nesting with
GradientTape (both orders), variables as primals, structures and errors."""

import numpy as np
import pytest

from _tfdiff import check

import tfjax
import tfjax.autodiff  # noqa: F401 - until the lead wires tf.autodiff at the top level

tfjax.autodiff = tfjax.autodiff


def _basic(tf):
    x = tf.constant([1., 2., 3.])
    with tf.autodiff.ForwardAccumulator(x, tf.constant([1., 0.5, -1.])) as acc:
        y = tf.reduce_sum(tf.sin(x) * x ** 2)
        z = tf.exp(x) / (1. + x)
    return acc.jvp(y), acc.jvp(z), acc.jvp(x)


def _unconnected(tf):
    x = tf.constant(2.)
    c = tf.constant(3.)
    with tf.autodiff.ForwardAccumulator(x, tf.constant(1.)) as acc:
        y = c * c
    return acc.jvp(y), acc.jvp(y, unconnected_gradients=tf.UnconnectedGradients.ZERO)


def _before_scope(tf):
    x = tf.constant(2.)
    y = x * x
    with tf.autodiff.ForwardAccumulator(x, tf.constant(1.)) as acc:
        z = y * x
    return acc.jvp(y), acc.jvp(z)


def _after_exit(tf):
    x = tf.constant(2.)
    with tf.autodiff.ForwardAccumulator(x, tf.constant(1.)) as acc:
        y = x * x
    z = y * x
    return acc.jvp(y), acc.jvp(z)


def _structures(tf):
    a = tf.constant([1., 2.])
    b = tf.constant(3., tf.float64)
    with tf.autodiff.ForwardAccumulator([a, b], [tf.constant([1., 1.]), tf.constant(2., tf.float64)]) as acc:
        u = a * tf.cast(b, tf.float32)
        v = {"p": b ** 3, "q": tf.matmul(a[None], a[:, None])}
    return acc.jvp([u, v])


def _variable_primal(tf):
    v = tf.Variable([1., 2.])
    with tf.autodiff.ForwardAccumulator(v, tf.constant([0.5, 1.])) as acc:
        y = v * v
        v.assign_add([1., 1.])
        z = tf.reduce_sum(v * y)
    return acc.jvp(y), acc.jvp(z)


def _hvp_forward_over_backward(tf):
    x = tf.constant([1., 2.])
    with tf.autodiff.ForwardAccumulator(x, tf.constant([1., -1.])) as acc:
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(x ** 3 * tf.reverse(x, [0]))
        g = tape.gradient(y, x)
    return g, acc.jvp(g)


def _backward_over_forward(tf):
    x = tf.constant([1., 2.])
    with tf.GradientTape() as tape:
        tape.watch(x)
        with tf.autodiff.ForwardAccumulator(x, tf.constant([1., 3.])) as acc:
            y = tf.reduce_sum(tf.tanh(x) * x)
        j = acc.jvp(y)
    return j, tape.gradient(j, x)


def _nested_accumulators(tf):
    x = tf.constant(1.5)
    with tf.autodiff.ForwardAccumulator(x, tf.constant(1.)) as outer:
        with tf.autodiff.ForwardAccumulator(x, tf.constant(1.)) as inner:
            y = x ** 4
        d1 = inner.jvp(y)
    return d1, outer.jvp(d1)


def _tf_function_inside(tf):
    @tf.function
    def f(x):
        return tf.reduce_sum(tf.square(x) * 3.)
    x = tf.constant([1., 2.])
    with tf.autodiff.ForwardAccumulator(x, tf.constant([2., 1.])) as acc:
        y = f(x)
    return acc.jvp(y)


def _complex_and_float64(tf):
    x = tf.constant([1. + 2.j, -0.5j], tf.complex128)
    with tf.autodiff.ForwardAccumulator(x, tf.constant([1.j, 2.], tf.complex128)) as acc:
        y = x * x * tf.constant(3. + 1.j, tf.complex128)
    return acc.jvp(y)


def _int_target(tf):
    x = tf.constant([1., 2.])
    with tf.autodiff.ForwardAccumulator(x, tf.constant([1., 1.])) as acc:
        y = tf.cast(x, tf.int32)
    return acc.jvp(y)


def _structure_mismatch(tf):
    return tf.autodiff.ForwardAccumulator([tf.constant(1.), tf.constant(2.)], [tf.constant(1.)])


def _gradient_tape_alias(tf):
    x = tf.constant(3.)
    with tf.autodiff.GradientTape() as t:
        t.watch(x)
        y = x * x
    return t.gradient(y, x), tf.autodiff.GradientTape is tf.GradientTape


CASES = {f.__name__.lstrip("_"): f for f in [
    _basic, _unconnected, _before_scope, _after_exit, _structures, _variable_primal,
    _hvp_forward_over_backward, _backward_over_forward, _nested_accumulators, _tf_function_inside,
    _complex_and_float64, _int_target, _structure_mismatch, _gradient_tape_alias]}


@pytest.mark.parametrize("name", sorted(CASES))
def test_forward_accumulator(name):
    fn = CASES[name]
    if name == "structure_mismatch":
        check(lambda tf: (fn(tf), None)[1], expect_raise="ValueError")
    else:
        check(fn, rtol=1e-5, atol=1e-6)
