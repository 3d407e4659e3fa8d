"""Differential tests of tf.data against real TensorFlow: element_spec, cardinality,
values and order (deterministic pipelines), multisets (shuffled pipelines)."""

import collections

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")

from _tfx_shim import assert_same, plain, spec_repr, tfx  # noqa: E402

X = np.arange(24, dtype=np.float32).reshape(12, 2)
Y = np.arange(12, dtype=np.int64)
S = np.array([b"a", b"bb", b"ccc", b"d", b"ee", b"f", b"g", b"hh", b"i", b"j", b"k", b"l"], dtype=object)


def gen():
    for i in range(5):
        yield np.arange(i, dtype=np.int32), np.float32(i)


PIPELINES = {
    "slices_tuple": lambda tf: tf.data.Dataset.from_tensor_slices((X, Y)),
    "slices_dict": lambda tf: tf.data.Dataset.from_tensor_slices({"x": X, "y": Y, "s": S}),
    "slices_list_is_tensor": lambda tf: tf.data.Dataset.from_tensor_slices([[1, 2], [3, 4]]),
    "slices_python_floats": lambda tf: tf.data.Dataset.from_tensor_slices([1.0, 2.5]),
    "from_tensors": lambda tf: tf.data.Dataset.from_tensors((X, {"a": 1})),
    "range": lambda tf: tf.data.Dataset.range(3, 20, 4),
    "range_int32": lambda tf: tf.data.Dataset.range(5, output_type=tf.int32),
    "batch": lambda tf: tf.data.Dataset.from_tensor_slices((X, Y)).batch(5),
    "batch_drop": lambda tf: tf.data.Dataset.from_tensor_slices((X, Y)).batch(5, drop_remainder=True),
    "batch_strings": lambda tf: tf.data.Dataset.from_tensor_slices(S).batch(4),
    "map_tuple": lambda tf: tf.data.Dataset.from_tensor_slices((X, Y)).map(lambda x, y: (x * 2.0, y + 1)),
    "map_dict": lambda tf: tf.data.Dataset.from_tensor_slices({"x": X, "y": Y}).map(
        lambda d: {"z": d["x"] + 1.0, "y": d["y"]}),
    "map_list_to_tuple": lambda tf: tf.data.Dataset.from_tensor_slices((X, Y)).map(lambda x, y: [y, x]),
    "map_parallel": lambda tf: tf.data.Dataset.range(20).map(lambda x: x * x, num_parallel_calls=4),
    "batch_then_map": lambda tf: tf.data.Dataset.from_tensor_slices((X, Y)).batch(4).map(
        lambda x, y: (x / 255.0, y)),
    "filter": lambda tf: tf.data.Dataset.range(20).filter(lambda x: x % 3 == 0),
    "repeat_take": lambda tf: tf.data.Dataset.range(4).repeat(3).take(10),
    "repeat_inf_take": lambda tf: tf.data.Dataset.range(3).repeat().take(7),
    "repeat_inf_of_unknown": lambda tf: tf.data.Dataset.range(6).filter(lambda x: x > 2).repeat().take(5),
    "repeat_of_unknown": lambda tf: tf.data.Dataset.range(6).filter(lambda x: x > 2).repeat(2),
    "repeat_empty": lambda tf: tf.data.Dataset.range(0).repeat(),
    "take_of_unknown": lambda tf: tf.data.Dataset.range(9).filter(lambda x: x > 4).take(2),
    "skip_of_infinite_take": lambda tf: tf.data.Dataset.range(4).repeat().skip(3).take(6),
    "batch_of_infinite_take": lambda tf: tf.data.Dataset.range(4).repeat().batch(3).take(3),
    "concat_unknown": lambda tf: tf.data.Dataset.range(3).concatenate(tf.data.Dataset.range(5).filter(lambda x: x > 2)),
    "zip_with_infinite": lambda tf: tf.data.Dataset.zip((tf.data.Dataset.range(3), tf.data.Dataset.range(2).repeat())),
    "shard_of_batch": lambda tf: tf.data.Dataset.range(20).batch(3).shard(2, 0),
    "window_card": lambda tf: tf.data.Dataset.range(11).window(4, shift=3, drop_remainder=True).flat_map(lambda w: w.batch(4)),
    "skip": lambda tf: tf.data.Dataset.range(10).skip(7),
    "skip_all": lambda tf: tf.data.Dataset.range(10).skip(-1),
    "take_all": lambda tf: tf.data.Dataset.range(10).take(-1),
    "enumerate": lambda tf: tf.data.Dataset.from_tensor_slices(S).enumerate(start=5),
    "zip": lambda tf: tf.data.Dataset.zip((tf.data.Dataset.range(5), tf.data.Dataset.range(3, 100))),
    "zip_varargs_dict": lambda tf: tf.data.Dataset.zip({"a": tf.data.Dataset.range(3),
                                                        "b": tf.data.Dataset.from_tensor_slices(S)}),
    "concatenate": lambda tf: tf.data.Dataset.range(3).concatenate(tf.data.Dataset.range(10, 12)),
    "unbatch": lambda tf: tf.data.Dataset.from_tensor_slices(X.reshape(4, 3, 2)).unbatch(),
    "padded_batch": lambda tf: tf.data.Dataset.range(1, 6).map(lambda x: tf.fill([x], x)).padded_batch(2),
    "padded_batch_shapes": lambda tf: tf.data.Dataset.range(1, 6).map(lambda x: tf.fill([x], x)).padded_batch(
        2, padded_shapes=[7], padding_values=tf.constant(-1, tf.int64), drop_remainder=True),
    "window_flat_map": lambda tf: tf.data.Dataset.range(10).window(3, shift=2, stride=2).flat_map(
        lambda w: w.batch(3)),
    "window_drop": lambda tf: tf.data.Dataset.range(10).window(4, drop_remainder=True).flat_map(
        lambda w: w.batch(4)),
    "window_tuple": lambda tf: tf.data.Dataset.from_tensor_slices((X, Y)).window(5).flat_map(
        lambda a, b: tf.data.Dataset.zip((a.batch(5), b.batch(5)))),
    "interleave": lambda tf: tf.data.Dataset.range(1, 6).interleave(
        lambda x: tf.data.Dataset.from_tensors(x).repeat(x), cycle_length=2, block_length=3),
    "interleave_parallel": lambda tf: tf.data.Dataset.range(1, 6).interleave(
        lambda x: tf.data.Dataset.range(x), cycle_length=3, num_parallel_calls=3, deterministic=True),
    "flat_map": lambda tf: tf.data.Dataset.range(4).flat_map(lambda x: tf.data.Dataset.range(x)),
    "scan": lambda tf: tf.data.Dataset.range(6).scan(np.int64(0), lambda s, x: (s + x, s * 2)),
    "shard": lambda tf: tf.data.Dataset.range(11).shard(3, 1),
    "cache": lambda tf: tf.data.Dataset.range(5).map(lambda x: x + 1).cache(),
    "prefetch": lambda tf: tf.data.Dataset.range(50).prefetch(3),
    "generator": lambda tf: tf.data.Dataset.from_generator(
        gen, output_signature=(tf.TensorSpec([None], tf.int32), tf.TensorSpec([], tf.float32))),
    "generator_types": lambda tf: tf.data.Dataset.from_generator(
        lambda: iter([1, 2, 3]), output_types=tf.int64, output_shapes=[]),
    "generator_args": lambda tf: tf.data.Dataset.from_generator(
        lambda n: (i for i in range(n)), args=(4,), output_signature=tf.TensorSpec([], tf.int64)),
    "rebatch": lambda tf: tf.data.Dataset.range(10).batch(4).rebatch(3),
    "rebatch_list": lambda tf: tf.data.Dataset.range(10).batch(5).rebatch([2, 3]),
    "group_by_window": lambda tf: tf.data.Dataset.range(20).group_by_window(
        key_func=lambda x: x % 3, reduce_func=lambda k, w: w.batch(4), window_size=4),
    "bucket": lambda tf: tf.data.Dataset.range(1, 12).map(lambda x: tf.fill([x % 5 + 1], x)).bucket_by_sequence_length(
        element_length_func=lambda e: tf.shape(e)[0], bucket_boundaries=[2, 4], bucket_batch_sizes=[2, 2, 3]),
    "choose": lambda tf: tf.data.Dataset.choose_from_datasets(
        [tf.data.Dataset.range(3), tf.data.Dataset.range(100, 103)],
        tf.data.Dataset.from_tensor_slices(np.array([0, 1, 1, 0, 0, 0, 1], np.int64))),
    "take_while": lambda tf: tf.data.Dataset.range(10).take_while(lambda x: x < 4),
    "unique": lambda tf: tf.data.Dataset.from_tensor_slices(np.array([1, 2, 1, 3, 2], np.int64)).unique(),
    "options": lambda tf: tf.data.Dataset.range(5).with_options(tf.data.Options()),
    "apply": lambda tf: tf.data.Dataset.range(5).apply(lambda d: d.map(lambda x: x * 3)),
    "text_ops_in_map": lambda tf: tf.data.Dataset.from_tensor_slices(S).map(
        lambda s: tf.strings.length(s)),
}


@pytest.mark.parametrize("name", sorted(PIPELINES))
def test_pipeline_matches_tf(name):
    make = PIPELINES[name]
    ref = make(tf)
    mine = make(tfx)
    assert spec_repr(mine.element_spec) == spec_repr(ref.element_spec)
    assert int(mine.cardinality()) == int(ref.cardinality())
    if type(ref.element_spec).__name__ == "DatasetSpec":
        return
    assert_same([plain(e) for e in mine.as_numpy_iterator()], [plain(e) for e in ref.as_numpy_iterator()])


def test_iteration_yields_tensors_with_tf_structure():
    ds = tfx.data.Dataset.from_tensor_slices({"x": X, "y": (Y, S)})
    ref = tf.data.Dataset.from_tensor_slices({"x": X, "y": (Y, S)})
    for a, b in zip(ds, ref):
        assert isinstance(a["x"], tfx.Tensor)
        assert list(a.keys()) == list(b.keys())
        assert a["y"][1].dtype.name == "string"
        assert_same(plain(a), plain(b))


def test_window_spec():
    mine = tfx.data.Dataset.from_tensor_slices((X, Y)).window(3)
    ref = tf.data.Dataset.from_tensor_slices((X, Y)).window(3)
    assert spec_repr(mine.element_spec) == spec_repr(ref.element_spec)
    assert int(mine.cardinality()) == int(ref.cardinality())


@pytest.mark.parametrize("seed", [None, 7])
def test_shuffle_is_a_permutation(seed):
    mine = tfx.data.Dataset.range(100).shuffle(10, seed=seed).batch(7)
    ref = tf.data.Dataset.range(100).shuffle(10, seed=seed).batch(7)
    assert spec_repr(mine.element_spec) == spec_repr(ref.element_spec)
    a = np.concatenate(list(mine.as_numpy_iterator()))
    b = np.concatenate(list(ref.as_numpy_iterator()))
    assert sorted(a.tolist()) == sorted(b.tolist()) == list(range(100))
    assert a.tolist() != list(range(100))


def test_shuffle_repeat_epochs_are_permutations():
    mine = list(tfx.data.Dataset.range(30).shuffle(30).repeat(2).as_numpy_iterator())
    assert sorted(mine[:30]) == list(range(30)) and sorted(mine[30:]) == list(range(30))


def test_sample_from_datasets_multiset():
    def make(tf):
        return tf.data.Dataset.sample_from_datasets(
            [tf.data.Dataset.range(10), tf.data.Dataset.range(100, 105)], weights=[0.5, 0.5], seed=3)
    a = sorted(make(tfx).as_numpy_iterator())
    b = sorted(make(tf).as_numpy_iterator())
    assert a == b
    assert spec_repr(make(tfx).element_spec) == spec_repr(make(tf).element_spec)


def test_list_files_and_text_lines(tmp_path):
    for i in range(3):
        (tmp_path / f"f{i}.txt").write_bytes(f"line{i}a\r\nline{i}b\nlast{i}".encode())
    pattern = str(tmp_path / "*.txt")

    def make(tf):
        return tf.data.TextLineDataset(tf.data.Dataset.list_files(pattern, shuffle=False))
    assert_same(list(make(tfx).as_numpy_iterator()), list(make(tf).as_numpy_iterator()))
    a = sorted(tfx.data.Dataset.list_files(pattern).as_numpy_iterator())
    b = sorted(tf.data.Dataset.list_files(pattern).as_numpy_iterator())
    assert a == b


def test_errors_match_tf_classes():
    cases = [
        lambda tf: list(tf.data.Dataset.from_generator(
            lambda: iter([[1], [1, 2]]), output_signature=tf.TensorSpec([None], tf.int32)).batch(2)),
        lambda tf: list(tf.data.Dataset.from_generator(
            lambda: iter([[1, 2, 3]]), output_signature=tf.TensorSpec([2], tf.int32))),
        lambda tf: tf.data.Dataset.range(0).get_single_element(),
        lambda tf: tf.data.Dataset.range(2).get_single_element(),
        lambda tf: iter(tf.data.Dataset.range(0)).get_next(),
        lambda tf: len(tf.data.Dataset.range(3).repeat()),
        lambda tf: len(tf.data.Dataset.range(3).filter(lambda x: True)),
        lambda tf: tf.data.Dataset.from_tensor_slices((np.zeros(3), np.zeros(2))),
        lambda tf: tf.data.Dataset.range(3).shard(2, 5),
    ]
    for c in cases:
        names = []
        for fw in (tf, tfx):
            try:
                c(fw)
                names.append(None)
            except Exception as e:  # noqa: BLE001
                names.append(type(e).__name__)
        assert names[0] == names[1] and names[0] is not None, names


def test_reduce_and_single_element():
    for fw in (tf, tfx):
        assert int(fw.data.Dataset.range(10).reduce(np.int64(0), lambda s, x: s + x)) == 45
        assert int(fw.data.Dataset.from_tensors(np.int64(4)).get_single_element()) == 4


def test_len_and_repr_names():
    for name in ["batch", "map_tuple", "map_parallel", "prefetch", "slices_tuple", "shard"]:
        ref, mine = PIPELINES[name](tf), PIPELINES[name](tfx)
        assert repr(mine).split(" ")[0] == repr(ref).split(" ")[0]
        assert len(mine) == len(ref)


def test_namedtuple_elements():
    P = collections.namedtuple("P", ["a", "b"])
    mine = tfx.data.Dataset.from_tensor_slices(P(X, Y)).map(lambda p: p.a[0] + 1.0)
    ref = tf.data.Dataset.from_tensor_slices(P(X, Y)).map(lambda p: p.a[0] + 1.0)
    assert_same(list(mine.as_numpy_iterator()), list(ref.as_numpy_iterator()))
