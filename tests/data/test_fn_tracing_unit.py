"""Spec inference of dataset functions by tracing on the input spec (fn_tracing.py)."""

import numpy as np

import tfjax as tf


def test_tracing_leaves_global_rng_and_variables_untouched():
    v = tf.Variable(0, dtype=tf.int64)

    def fn(x):
        v.assign_add(1)
        return x + tf.cast(tf.random.uniform([], maxval=3, dtype=tf.int32), tf.int64)
    tf.random.set_seed(7)
    ds = tf.data.Dataset.range(3).map(fn)
    assert ds.element_spec == tf.TensorSpec([], tf.int64)
    assert int(v.numpy()) == 0
    after_spec = tf.random.uniform([4]).numpy()
    tf.random.set_seed(7)
    assert np.array_equal(after_spec, tf.random.uniform([4]).numpy())
    assert len(list(ds)) == 3 and int(v.numpy()) == 3


def test_untraceable_function_falls_back_to_elements():
    ds = tf.data.Dataset.range(3).map(lambda x: tf.constant(np.arange(int(x.numpy()) + 2)))
    assert ds.element_spec.dtype == tf.int64 and ds.element_spec.shape.rank == 1
    assert [len(e) for e in ds.as_numpy_iterator()] == [2, 3, 4]


def test_traced_spec_agrees_with_elements():
    ds = tf.data.Dataset.range(7).batch(3).map(lambda x: {"x": x, "sq": tf.reshape(x * x, [-1, 1])})
    spec = ds.element_spec
    assert spec["sq"].shape.as_list() == [None, 1]
    for e in ds:
        assert spec["sq"].is_compatible_with(tf.TensorSpec.from_tensor(e["sq"]))


def test_autotune_map_keeps_order_and_picks_pool_for_gil_releasing_work():
    import time

    from tfjax._src.data import iterator as iterator_lib

    def slow(x):
        time.sleep(0.003)  # releases the GIL: the pool overlaps these
        return x
    picked = []
    orig = iterator_lib.AutotuneMapIter._decide

    def spy(self):
        orig(self)
        picked.append(self.chose_pool)
    iterator_lib.AutotuneMapIter._decide = spy
    try:
        ds = tf.data.Dataset.range(60).map(slow, num_parallel_calls=tf.data.AUTOTUNE)
        assert [int(v) for v in ds] == list(range(60))
        fast = tf.data.Dataset.range(60).map(lambda x: x + 1, num_parallel_calls=tf.data.AUTOTUNE)
        assert [int(v) for v in fast] == list(range(1, 61))
    finally:
        iterator_lib.AutotuneMapIter._decide = orig
    assert picked[0] is True


def test_autotune_map_surfaces_errors_in_order_and_ignore_errors_skips_them():
    ds = tf.data.Dataset.range(40).map(
        lambda x: tf.debugging.check_numerics(1.0 / tf.cast(x % 7, tf.float32), "inf"),
        num_parallel_calls=tf.data.AUTOTUNE).ignore_errors()
    assert len(list(ds)) == 40 - len([i for i in range(40) if i % 7 == 0])
