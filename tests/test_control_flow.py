"""Unit tests of tf.cond / tf.while_loop / tf.map_fn / tf.scan / tf.switch_case / tf.case
(eager and under tf.function)."""

import numpy as np
import pytest

import tfjax as tf


def both(fn):
    """Runs fn eagerly and under tf.function; returns both results as numpy."""
    eager = tf.nest.map_structure(lambda t: np.asarray(t), fn())
    traced = tf.nest.map_structure(lambda t: np.asarray(t), tf.function(fn)())
    return eager, traced


def test_cond_values_and_single_op():
    x = tf.constant(3.0)
    e, t = both(lambda: tf.cond(x > 2.0, lambda: x * 2.0, lambda: x))
    assert e == t == 6.0


def test_cond_structures():
    x = tf.constant(1.0)
    e, t = both(lambda: tf.cond(x > 2.0, lambda: {"a": x, "b": (x, x)}, lambda: {"a": -x, "b": (x, -x)}))
    assert e["a"] == t["a"] == -1.0 and t["b"][1] == -1.0


def test_cond_mismatched_structure_raises():
    @tf.function
    def f(x):
        return tf.cond(x > 0, lambda: (x, x), lambda: x)

    with pytest.raises(ValueError):
        f(tf.constant(1.0))


def test_cond_requires_callables():
    with pytest.raises(TypeError):
        tf.cond(tf.constant(True), 1, 2)


def test_cond_variable_assignment_in_traced_branch_is_a_clear_error():
    v = tf.Variable(1.0)

    @tf.function
    def f(x):
        return tf.cond(x > 0, lambda: v.assign(2.0).read_value(), lambda: v.read_value())

    with pytest.raises(NotImplementedError, match="tf.cond"):
        f(tf.constant(1.0))


def test_while_loop_values():
    e, t = both(lambda: tf.while_loop(lambda i, s: i < 5, lambda i, s: (i + 1, s + i),
                                      (tf.constant(0), tf.constant(0))))
    assert e[1] == t[1] == 10 and e[0] == t[0] == 5


def test_while_loop_single_var_and_max_iterations():
    e, t = both(lambda: tf.while_loop(lambda i: i < 100, lambda i: i + 1, [tf.constant(0)],
                                      maximum_iterations=7))
    assert e[0] == t[0] == 7


def test_while_loop_body_structure_mismatch():
    @tf.function
    def f():
        return tf.while_loop(lambda i, j: i < 3, lambda i, j: (i + 1,), (tf.constant(0), tf.constant(0)))

    with pytest.raises(ValueError):
        f()


def test_while_gradient_without_maximum_iterations_in_function():
    @tf.function
    def f(x):
        with tf.GradientTape() as t:
            t.watch(x)
            _, y = tf.while_loop(lambda i, y: i < 4, lambda i, y: (i + 1, y * x),
                                 (tf.constant(0), tf.constant(1.0)))
        return t.gradient(y, x)

    assert float(f(tf.constant(2.0))) == 32.0      # d x^4 / dx at 2
    assert float(f(tf.constant(1.0))) == 4.0


def test_while_gradient_with_zero_trips():
    @tf.function
    def f(x):
        with tf.GradientTape() as t:
            t.watch(x)
            _, y = tf.while_loop(lambda i, y: i < 0, lambda i, y: (i + 1, y * x), (tf.constant(0), x))
        return t.gradient(y, x)

    assert float(f(tf.constant(2.0))) == 1.0


def test_map_fn_and_scan():
    x = tf.constant([1.0, 2.0, 3.0])
    e, t = both(lambda: tf.map_fn(lambda v: v * v, x))
    np.testing.assert_allclose(e, [1.0, 4.0, 9.0])
    np.testing.assert_allclose(t, e)
    e, t = both(lambda: tf.scan(lambda a, v: a + v, x, initializer=tf.constant(0.0)))
    np.testing.assert_allclose(e, [1.0, 3.0, 6.0])
    np.testing.assert_allclose(t, e)


def test_map_fn_nested_elems():
    a = tf.constant([1.0, 2.0])
    b = tf.constant([10.0, 20.0])
    e, t = both(lambda: tf.map_fn(lambda ab: ab[0] + ab[1], (a, b), fn_output_signature=tf.float32))
    np.testing.assert_allclose(e, [11.0, 22.0])
    np.testing.assert_allclose(t, e)


def test_switch_case_and_default():
    fns = [lambda: tf.constant(10), lambda: tf.constant(20)]
    for i, want in ((0, 10), (1, 20), (5, 99), (-1, 99)):
        e, t = both(lambda i=i: tf.switch_case(tf.constant(i), fns, default=lambda: tf.constant(99)))
        assert e == t == want


def test_case_first_true_wins():
    x = tf.constant(5)
    e, t = both(lambda: tf.case([(x > 3, lambda: tf.constant(1)), (x > 1, lambda: tf.constant(2))],
                                default=lambda: tf.constant(3)))
    assert e == t == 1


def test_gradient_through_traced_cond_both_branches():
    w = tf.Variable(2.0)

    @tf.function
    def f(x):
        with tf.GradientTape() as t:
            y = tf.cond(x > 0, lambda: w * w, lambda: w * 3.0)
        return t.gradient(y, w)

    assert float(f(tf.constant(1.0))) == 4.0 and float(f(tf.constant(-1.0))) == 3.0


def test_vectorized_map():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    out = tf.vectorized_map(lambda r: tf.reduce_sum(r * r), x)
    np.testing.assert_allclose(out.numpy(), [5.0, 25.0])


def test_vectorized_map_calls_compiled_function():
    @tf.function
    def sq(r):
        return r * r

    sq(tf.constant([1.0, 1.0]))
    out = tf.vectorized_map(lambda r: tf.reduce_sum(sq(r)), tf.constant([[1.0, 2.0], [3.0, 4.0]]))
    np.testing.assert_allclose(out.numpy(), [5.0, 25.0])
