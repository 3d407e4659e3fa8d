"""Optimizer API behaviour (no oracle): schedules settable, variables, minimize, build, tf.function capture."""

import numpy as np
import pytest

import tfjax as tf
from tfjax._src.keras import optimizers as O


def test_apply_gradients_and_minimize():
    v = tf.Variable([1.0, 2.0])
    opt = O.SGD(0.1)
    opt.apply_gradients([(tf.constant([1.0, 1.0]), v)])
    np.testing.assert_allclose(v.numpy(), [0.9, 1.9], rtol=1e-6)
    opt.minimize(lambda: tf.reduce_sum(v * v), [v])
    np.testing.assert_allclose(v.numpy(), [0.72, 1.52], rtol=1e-6)
    assert int(opt.iterations.numpy()) == 2
    with pytest.raises(ValueError, match="Unknown variable"):
        opt.apply_gradients([(tf.constant(1.0), tf.Variable(1.0))])


def test_learning_rate_settable_schedule_not():
    opt = O.Adam(0.1)
    opt.learning_rate = 0.01
    assert abs(float(opt.learning_rate.numpy()) - 0.01) < 1e-9
    sched = O.schedules.ExponentialDecay(0.1, 10, 0.5)
    opt2 = O.SGD(sched)
    with pytest.raises(TypeError, match="not settable"):
        opt2.learning_rate = 0.5
    np.testing.assert_allclose(float(sched(10)), 0.05, rtol=1e-6)


def test_state_updates_inside_tf_function():
    v = tf.Variable(np.ones((3,), "float32"))
    opt = O.Adam(0.1)
    opt.build([v])
    n_vars = len(opt.variables)

    @tf.function
    def step(g):
        opt.apply_gradients([(g, v)])

    for _ in range(3):
        step(tf.constant([1.0, 2.0, 3.0]))
    assert int(opt.iterations.numpy()) == 3 and len(opt.variables) == n_vars
    assert step.experimental_get_tracing_count() == 1
    ref = tf.Variable(np.ones((3,), "float32"))
    o2 = O.Adam(0.1)
    for _ in range(3):
        o2.apply_gradients([(tf.constant([1.0, 2.0, 3.0]), ref)])
    np.testing.assert_allclose(v.numpy(), ref.numpy(), rtol=1e-6)


def test_get_config_roundtrip_and_get():
    opt = O.Adam(0.01, beta_1=0.8, clipnorm=1.0)
    c = opt.get_config()
    opt2 = O.Adam.from_config(c)
    assert opt2.beta_1 == 0.8 and opt2.clipnorm == 1.0
    assert isinstance(O.get("rmsprop"), O.RMSprop)
    assert isinstance(O.get({"class_name": "SGD", "config": {"learning_rate": 0.5}}), O.SGD)
    s = O.Adam(O.schedules.CosineDecay(0.1, 100))
    assert O.Adam.from_config(s.get_config())._learning_rate.decay_steps == 100
