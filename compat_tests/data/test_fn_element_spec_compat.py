"""Differential tests: element_spec of dataset functions (map, filter, flat_map, scan, ...)
against real TensorFlow, which traces functions on the input *spec*: empty and non-empty
inputs get the same spec, unknown (None) dimensions stay unknown."""

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")

from _tfx_shim import spec_repr, tfx  # noqa: E402

S = np.array([b"a", b"bb", b"ccc", b"d"], dtype=object)


def _empty_or_full(n):
    return {"empty": 0, "full": n}


CASES = {
    "map_dict": lambda tf, n: tf.data.Dataset.range(n).map(lambda x: {"a": x, "b": x * 2}),
    "map_tuple_cast": lambda tf, n: tf.data.Dataset.range(n).map(lambda x: (tf.cast(x, tf.float32), [x, x])),
    "map_list_output": lambda tf, n: tf.data.Dataset.range(n).map(lambda x: [x, x + 1]),
    "map_nested": lambda tf, n: tf.data.Dataset.range(n).map(lambda x: ({"p": (x, x)}, tf.zeros([2, 3]))),
    "batch_then_map": lambda tf, n: tf.data.Dataset.range(n).batch(3).map(
        lambda x: (x, tf.reshape(x, [-1, 1]), tf.reduce_sum(x), tf.stack([x, x]), tf.zeros([tf.shape(x)[0], 2]))),
    "batch_drop_then_map": lambda tf, n: tf.data.Dataset.range(n).batch(3, drop_remainder=True).map(
        lambda x: (x[:2], tf.expand_dims(x, -1))),
    "map_strings": lambda tf, n: tf.data.Dataset.from_tensor_slices(S[:n]).map(
        lambda s: (s, tf.strings.length(s), tf.strings.join([s, s]))),
    "map_batched_strings": lambda tf, n: tf.data.Dataset.from_tensor_slices(S[:n]).batch(2).map(
        lambda s: {"s": s, "n": tf.strings.length(s)}),
    "map_decode_raw": lambda tf, n: tf.data.Dataset.from_tensor_slices(S[:n]).map(
        lambda s: tf.io.decode_raw(s, tf.uint8)),
    "map_value_dependent_shape": lambda tf, n: tf.data.Dataset.range(n).map(lambda x: tf.fill([x], x)),
    "map_random": lambda tf, n: tf.data.Dataset.range(n).map(
        lambda x: tf.random.uniform([3]) + tf.cast(x, tf.float32)),
    "filter": lambda tf, n: tf.data.Dataset.range(n).map(lambda x: (x, {"y": x})).filter(lambda a, b: a > 1),
    "flat_map": lambda tf, n: tf.data.Dataset.range(n).flat_map(lambda x: tf.data.Dataset.from_tensors(x).repeat(2)),
    "flat_map_slices": lambda tf, n: tf.data.Dataset.range(n).batch(2).flat_map(
        lambda x: tf.data.Dataset.from_tensor_slices({"v": x})),
    "flat_map_value_shape": lambda tf, n: tf.data.Dataset.range(n).flat_map(
        lambda x: tf.data.Dataset.from_tensor_slices(tf.fill([x], 1.0))),
    "window_flat_map": lambda tf, n: tf.data.Dataset.range(n).window(3).flat_map(lambda w: w.batch(3)),
    "window_flat_map_drop": lambda tf, n: tf.data.Dataset.range(n).window(3, drop_remainder=True).flat_map(
        lambda w: w.batch(3, drop_remainder=True)),
    "interleave": lambda tf, n: tf.data.Dataset.range(n).interleave(
        lambda x: tf.data.Dataset.from_tensors({"v": x, "s": tf.strings.as_string(x)}), cycle_length=2),
    "scan": lambda tf, n: tf.data.Dataset.range(n).scan(
        tf.constant(0, tf.int64), lambda s, x: (s + x, {"s": s, "x": tf.cast(x, tf.float32)})),
    "scan_growing_state": lambda tf, n: tf.data.Dataset.range(n).scan(
        tf.constant([], tf.int64), lambda s, x: (tf.concat([s, tf.reshape(x, [1])], 0), s)),
    "group_by_window": lambda tf, n: tf.data.Dataset.range(n).group_by_window(
        lambda x: x % 2, lambda k, w: w.batch(2), window_size=2),
    "padded_batch_after_map": lambda tf, n: tf.data.Dataset.range(n).map(
        lambda x: (tf.fill([x], x), tf.strings.as_string(x))).padded_batch(2),
    "padded_batch_drop": lambda tf, n: tf.data.Dataset.range(n).map(
        lambda x: {"v": tf.fill([x], x)}).padded_batch(2, drop_remainder=True),
    "batch_after_map": lambda tf, n: tf.data.Dataset.range(n).map(lambda x: (x, tf.zeros([2]))).batch(4),
    "unbatch_after_map": lambda tf, n: tf.data.Dataset.range(n).batch(2).map(lambda x: x * 2).unbatch(),
}


@pytest.mark.parametrize("size", ["empty", "full"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_function_element_spec_matches_tf(name, size):
    n = _empty_or_full(4)[size]
    ref = CASES[name](tf, n)
    mine = CASES[name](tfx, n)
    assert spec_repr(mine.element_spec) == spec_repr(ref.element_spec)


def test_map_function_is_not_run_on_data_for_its_spec():
    """TF runs a map function's Python once (tracing), on placeholders, never on elements."""
    seen = []

    def fn(x):
        seen.append(x)
        return x + 1
    ds = tfx.data.Dataset.range(5, 8).map(fn)
    assert spec_repr(ds.element_spec) == ("TensorSpec", (), "int64")
    assert len(seen) == 1
    assert not isinstance(seen[0]._value, np.ndarray)  # an abstract placeholder, not element 5
    assert [int(v) for v in ds] == [6, 7, 8]
