"""Unit tests of tf.GradientTape (tfjax only; the differential tests against TF live in
compat_tests/autodiff)."""

import numpy as np
import pytest

import tfjax as tf
from tfjax._src import tape as tape_lib


def test_watch_and_gradient_value():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as t:
        t.watch(x)
        y = tf.reduce_sum(x * x)
    np.testing.assert_allclose(t.gradient(y, x).numpy(), [2.0, 4.0])


def test_non_persistent_second_call_raises():
    x = tf.constant(1.0)
    with tf.GradientTape() as t:
        t.watch(x)
        y = x * x
    t.gradient(y, x)
    with pytest.raises(RuntimeError, match="non-persistent"):
        t.gradient(y, x)


def test_persistent_many_calls():
    v = tf.Variable(3.0)
    with tf.GradientTape(persistent=True) as t:
        y = v * v
    for _ in range(3):
        assert float(t.gradient(y, v)) == 6.0


def test_tape_inactive_after_exit():
    x = tf.constant(2.0)
    with tf.GradientTape() as t:
        t.watch(x)
    assert not tape_lib.state.recording
    assert tape_lib.state.tapes == []


def test_exception_inside_with_block_pops_tape():
    with pytest.raises(ZeroDivisionError):
        with tf.GradientTape():
            1 / 0
    assert tape_lib.state.tapes == [] and not tape_lib.state.recording


def test_unconnected_ops_are_not_recorded():
    v = tf.Variable(1.0)
    c = tf.constant(2.0)
    with tf.GradientTape() as t:
        for _ in range(10):
            c = c * 2.0          # never touches a watched value
        y = v * 3.0
    assert len(t._nodes) == 2    # read(v), mul


def test_watched_variables_order_and_trainable():
    a, b = tf.Variable(1.0), tf.Variable(2.0)
    nt = tf.Variable(3.0, trainable=False)
    with tf.GradientTape() as t:
        _ = b * a * nt
    assert [v.numpy() for v in t.watched_variables()] == [2.0, 1.0]


def test_watch_rejects_python_values():
    with tf.GradientTape() as t:
        with pytest.raises(ValueError):
            t.watch(1.0)


def test_sources_structure_preserved():
    a = tf.Variable(1.0)
    b = tf.Variable(2.0)
    with tf.GradientTape() as t:
        y = a * b
    g = t.gradient(y, {"x": [a, (b,)], "y": a})
    assert set(g) == {"x", "y"}
    assert isinstance(g["x"], list) and isinstance(g["x"][1], tuple)
    assert float(g["x"][0]) == 2.0 and float(g["x"][1][0]) == 1.0 and float(g["y"]) == 2.0


def test_same_variable_twice_in_sources():
    v = tf.Variable(2.0)
    with tf.GradientTape() as t:
        y = v * v
    g1, g2 = t.gradient(y, [v, v])
    assert float(g1) == float(g2) == 4.0


def test_intermediate_and_upstream_sources():
    x = tf.constant(2.0)
    with tf.GradientTape() as t:
        t.watch(x)
        y = x * x
        z = y * y
    gx, gy = t.gradient(z, [x, y])
    assert float(gx) == 32.0 and float(gy) == 8.0


def test_variable_target():
    v = tf.Variable(2.0)
    w = tf.Variable(5.0)
    with tf.GradientTape(persistent=True) as t:
        y = v * v
    assert float(t.gradient(v, v)) == 1.0
    assert t.gradient(v, w) is None
    assert float(t.gradient([y, v], v)) == 5.0


def test_unconnected_zero_shapes_and_dtypes():
    a = tf.Variable(1.0)
    b = tf.Variable(np.zeros((2, 3), np.float64))
    with tf.GradientTape() as t:
        y = a * 2.0
    ga, gb = t.gradient(y, [a, b], unconnected_gradients=tf.UnconnectedGradients.ZERO)
    assert gb.shape == (2, 3) and gb.dtype == tf.float64 and not np.any(gb.numpy())


def test_integer_sources_give_none():
    i = tf.Variable(3)
    with tf.GradientTape() as t:
        t.watch(i)
        y = tf.cast(i, tf.float32) * 2.0
    assert t.gradient(y, i) is None


def test_assign_between_reads_sums_over_reads():
    w = tf.Variable(2.0)
    with tf.GradientTape() as t:
        y1 = w * w
        w.assign(3.0)
        y2 = w * w
        y = y1 + y2
    assert float(t.gradient(y, w)) == 10.0


def test_numpy_cuts_the_path():
    x = tf.Variable(2.0)
    with tf.GradientTape() as t:
        y = x * x
        z = tf.constant(y.numpy()) * x
    assert float(t.gradient(z, x)) == 4.0


def test_stop_recording_and_reset():
    x = tf.constant(2.0)
    with tf.GradientTape() as t:
        t.watch(x)
        with t.stop_recording():
            assert not tape_lib.state.recording
            a = x * x
        assert tape_lib.state.recording
        b = x * 3.0
        c = a + b
    assert float(t.gradient(c, x)) == 3.0


def test_nested_tapes_higher_order():
    x = tf.constant(0.5)
    with tf.GradientTape() as t2:
        t2.watch(x)
        with tf.GradientTape() as t1:
            t1.watch(x)
            y = tf.exp(x * 2.0)
        g = t1.gradient(y, x)
    np.testing.assert_allclose(float(t2.gradient(g, x)), 4 * np.exp(1.0), rtol=1e-6)


def test_output_gradients_weighting():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as t:
        t.watch(x)
        y = x * 3.0
    np.testing.assert_allclose(t.gradient(y, x, output_gradients=tf.constant([1.0, -1.0])).numpy(), [3.0, -3.0])


def test_jacobian_and_batch_jacobian_shapes():
    x = tf.constant(np.arange(6, dtype=np.float32).reshape(3, 2))
    with tf.GradientTape(persistent=True) as t:
        t.watch(x)
        y = x * x
    assert t.jacobian(y, x).shape == (3, 2, 3, 2)
    bj = t.batch_jacobian(y, x)
    assert bj.shape == (3, 2, 2)
    np.testing.assert_allclose(bj.numpy()[1], np.diag([4.0, 6.0]))


def test_replay_cache_hits_across_steps():
    w = tf.Variable(np.ones(4, np.float32))
    x = tf.constant(np.arange(4, dtype=np.float32))

    def step():
        with tf.GradientTape() as t:
            y = tf.reduce_sum(x * w)
        return t.gradient(y, w)

    step()
    before = len(tape_lib._grad_cache)
    for _ in range(5):
        g = step()
    assert len(tape_lib._grad_cache) == before      # same structure: one compiled replay
    np.testing.assert_allclose(g.numpy(), x.numpy())


def test_replay_takes_values_as_arguments_not_constants():
    w = tf.Variable(1.0)
    out = []
    for c in (1.0, 2.0, 3.0):
        cc = tf.constant(c)
        with tf.GradientTape() as t:
            y = w * cc
        out.append(float(t.gradient(y, w)))
    assert out == [1.0, 2.0, 3.0]


def test_grad_cache_is_bounded(monkeypatch):
    assert tape_lib._CACHE_SIZE <= 1024
    monkeypatch.setattr(tape_lib, "_CACHE_SIZE", 3)
    x = tf.constant(1.0)
    for k in range(tape_lib._CACHE_SIZE + 10):
        with tf.GradientTape() as t:
            t.watch(x)
            y = tf.reshape(x, [1] * (k % 5 + 1)) * float(k)
        t.gradient(y, x)
    assert len(tape_lib._grad_cache) <= tape_lib._CACHE_SIZE


def test_gradient_inside_persistent_context_is_recorded():
    x = tf.constant(2.0)
    with tf.GradientTape(persistent=True) as t:
        t.watch(x)
        y = x * x * x
        g = t.gradient(y, x)
    assert float(g) == 12.0 and float(t.gradient(g, x)) == 12.0


def test_record_alias():
    from tfjax._src.tensor import Tensor
    x = tf.constant(3.0)
    with tf.GradientTape() as t:
        t.watch(x)
        y = x * x
        alias = Tensor(y._value)
        tape_lib.record_alias(y, alias)
        z = alias * 2.0
    assert float(t.gradient(z, x)) == 12.0


def test_threads_have_independent_tapes():
    import threading
    x = tf.constant(2.0)
    seen = []
    with tf.GradientTape() as t:
        t.watch(x)
        th = threading.Thread(target=lambda: seen.append(tape_lib.state.recording))
        th.start()
        th.join()
        y = x * x
    assert seen == [False] and float(t.gradient(y, x)) == 4.0
