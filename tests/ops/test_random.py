"""tf.random semantics: global seed replay, op seeds, fresh values per compiled call, stateless
determinism, Generator state as a Variable."""

import numpy as np
import pytest

import tfjax as tf
from tfjax._src import variables


def test_global_state_is_always_captured():
    from tfjax._src.ops import random_ops
    state = random_ops._state()
    assert any(v is state for v in variables.ALWAYS_CAPTURED)
    assert not state.trainable


def test_set_seed_replays_sequence():
    tf.random.set_seed(7)
    a = [tf.random.uniform([3]).numpy() for _ in range(3)]
    tf.random.set_seed(7)
    b = [tf.random.uniform([3]).numpy() for _ in range(3)]
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    assert not np.array_equal(a[0], a[1])


def test_op_seed_reproducible_and_calls_differ():
    tf.random.set_seed(3)
    a1, a2 = tf.random.normal([4], seed=5).numpy(), tf.random.normal([4], seed=5).numpy()
    tf.random.set_seed(3)
    b1, b2 = tf.random.normal([4], seed=5).numpy(), tf.random.normal([4], seed=5).numpy()
    np.testing.assert_array_equal(a1, b1)
    np.testing.assert_array_equal(a2, b2)
    assert not np.array_equal(a1, a2)
    # a different op seed gives a different stream
    tf.random.set_seed(3)
    assert not np.array_equal(tf.random.normal([4], seed=6).numpy(), a1)


def test_tf_function_draws_fresh_values_and_replays_after_set_seed():
    @tf.function
    def f():
        return tf.random.uniform([4]), tf.nn.dropout(tf.ones([8]), 0.5)

    tf.random.set_seed(11)
    r1 = [x.numpy() for x in f()]
    r2 = [x.numpy() for x in f()]
    assert not np.array_equal(r1[0], r2[0])
    tf.random.set_seed(11)
    s1 = [x.numpy() for x in f()]
    s2 = [x.numpy() for x in f()]
    np.testing.assert_array_equal(r1[0], s1[0])
    np.testing.assert_array_equal(r2[1], s2[1])
    assert f.experimental_get_tracing_count() == 1


def test_dropout_semantics():
    tf.random.set_seed(0)
    x = tf.ones([1000])
    y = tf.nn.dropout(x, 0.25).numpy()
    kept = y != 0
    np.testing.assert_allclose(y[kept], 1 / 0.75, rtol=1e-6)
    assert 0.6 < kept.mean() < 0.9
    y2 = tf.nn.dropout(tf.ones([4, 5]), 0.5, noise_shape=[4, 1]).numpy()
    assert all(len(set(row)) == 1 for row in y2)


def test_uniform_dtypes_and_ranges():
    u = tf.random.uniform([1000], -2.0, 3.0)
    assert u.dtype == tf.float32 and u.numpy().min() >= -2 and u.numpy().max() < 3
    i = tf.random.uniform([1000], 0, 5, dtype=tf.int64)
    assert i.dtype == tf.int64 and set(np.unique(i.numpy())) <= set(range(5))
    with pytest.raises(ValueError):
        tf.random.uniform([2], dtype=tf.int32)
    assert tf.random.normal([2], dtype=tf.float64).dtype == tf.float64
    t = tf.random.truncated_normal([2000]).numpy()
    assert np.abs(t).max() <= 2.0
    assert tf.random.categorical(tf.math.log([[0.5, 0.5]]), 5).dtype == tf.int64
    s = tf.random.shuffle(tf.range(10)).numpy()
    assert sorted(s.tolist()) == list(range(10))
    assert tf.random.gamma([3, 2], [1.0, 2.0]).shape == (3, 2, 2)
    assert tf.random.poisson([4], 3.0).dtype == tf.float32


def test_stateless_is_deterministic_in_seed():
    a = tf.random.stateless_normal([5], seed=[1, 2])
    b = tf.random.stateless_normal([5], seed=[1, 2])
    c = tf.random.stateless_normal([5], seed=[1, 3])
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert not np.array_equal(a.numpy(), c.numpy())
    u = tf.random.stateless_uniform([5], seed=[4, 4], minval=0, maxval=10, dtype=tf.int32)
    assert u.dtype == tf.int32
    assert tf.random.stateless_truncated_normal([3], [1, 1]).shape == (3,)
    assert tf.random.stateless_categorical([[0.0, 1.0]], 4, [1, 1]).shape == (1, 4)
    assert tf.random.stateless_binomial([3], [1, 2], counts=10.0, probs=0.5).dtype == tf.int32
    seeds = tf.random.experimental.stateless_split([1, 2], num=3)
    assert seeds.shape == (3, 2)
    f = tf.random.experimental.stateless_fold_in([1, 2], 5)
    assert f.shape == (2,)

    @tf.function
    def g(seed):
        return tf.random.stateless_uniform([3], seed)
    np.testing.assert_array_equal(g(tf.constant([1, 2])).numpy(), g(tf.constant([1, 2])).numpy())


def test_generator():
    g = tf.random.Generator.from_seed(42)
    assert isinstance(g.state, tf.Variable)
    a = g.normal([3]).numpy()
    b = g.normal([3]).numpy()
    assert not np.array_equal(a, b)
    g2 = tf.random.Generator.from_seed(42)
    np.testing.assert_array_equal(g2.normal([3]).numpy(), a)
    assert g.uniform([4], maxval=10, dtype=tf.int32).dtype == tf.int32
    assert g.make_seeds(3).shape == (2, 3)
    children = g.split(2)
    assert len(children) == 2 and not np.array_equal(children[0].normal([2]).numpy(), children[1].normal([2]).numpy())

    @tf.function
    def f():
        return g.normal([2])
    x, y = f().numpy(), f().numpy()
    assert not np.array_equal(x, y)
    gg = tf.random.get_global_generator()
    assert isinstance(gg, tf.random.Generator)
    tf.random.set_global_generator(g2)
    assert tf.random.get_global_generator() is g2
    nd = tf.random.Generator.from_non_deterministic_state()
    assert nd.uniform([2]).shape == (2,)


def test_no_global_seed_is_nondeterministic_across_processes():
    import subprocess
    import sys
    code = "import tfjax as tf; print(tf.random.uniform([3]).numpy().tolist())"
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout for _ in range(2)}
    assert len(outs) == 2
