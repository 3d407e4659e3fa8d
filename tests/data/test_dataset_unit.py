"""tf.data unit tests (no TensorFlow needed)."""

import os
import threading
import time

import numpy as np
import pytest

import tfjax as tf
from tfjax._src import errors
from tfjax._src.sparse_tensor import SparseTensor, to_dense
from tfjax._src.tensor_spec import TensorSpec

Dataset = tf.data.Dataset


def np_list(ds):
    return list(ds.as_numpy_iterator())


def test_tensor_spec_basics():
    s = TensorSpec([None, 3], tf.float32, name="x")
    assert repr(s) == "TensorSpec(shape=(None, 3), dtype=tf.float32, name='x')"
    assert s.is_compatible_with(tf.constant(np.zeros((2, 3), np.float32)))
    assert not s.is_compatible_with(tf.constant(np.zeros((2, 4), np.float32)))
    assert not s.is_compatible_with(TensorSpec([2, 3], tf.int32))
    assert TensorSpec.from_tensor(tf.constant([1, 2])) == TensorSpec([2], tf.int32)
    assert s == TensorSpec([None, 3], tf.float32, "x") and hash(s) == hash(TensorSpec([None, 3], "float32", "x"))


def test_iterator_protocol():
    it = iter(Dataset.range(2))
    assert int(next(it)) == 0
    assert int(it.get_next()) == 1
    with pytest.raises(StopIteration):
        next(it)
    with pytest.raises(errors.OutOfRangeError):
        it.get_next()
    opt = iter(Dataset.range(1)).get_next_as_optional()
    assert bool(opt.has_value()) and int(opt.get_value()) == 0


def test_shuffle_seed_determinism_and_reshuffle():
    ds = Dataset.range(50).shuffle(20, seed=42)
    a, b = np_list(ds), np_list(ds)
    assert sorted(a) == list(range(50)) and a != b  # reshuffled per iteration
    c = np_list(Dataset.range(50).shuffle(20, seed=42))
    assert a == c  # same seed, same first epoch
    fixed = Dataset.range(50).shuffle(20, seed=1, reshuffle_each_iteration=False)
    assert np_list(fixed) == np_list(fixed)
    with pytest.raises(errors.InvalidArgumentError):
        Dataset.range(3).shuffle(0)


def test_shuffle_buffer_locality():
    # With buffer 1 shuffle is the identity; with a small buffer elements move boundedly.
    assert np_list(Dataset.range(20).shuffle(1)) == list(range(20))
    out = np_list(Dataset.range(200).shuffle(5, seed=3))
    assert all(v <= i + 4 for i, v in enumerate(out))


def test_bulk_shuffle_batch_matches_multiset():
    x = np.arange(1000, dtype=np.float32).reshape(500, 2)
    y = np.arange(500)
    ds = Dataset.from_tensor_slices((x, y)).cache().shuffle(100, seed=0).repeat(2).batch(64)
    batches = np_list(ds)
    assert [len(b[1]) for b in batches] == [64] * 15 + [40]
    ys = np.concatenate([b[1] for b in batches])
    xs = np.concatenate([b[0] for b in batches])
    assert sorted(ys[:500].tolist()) == list(range(500)) and sorted(ys.tolist()) == sorted(list(range(500)) * 2)
    np.testing.assert_array_equal(xs[:, 0], ys * 2)
    # the cache replays the first epoch's index order
    c = Dataset.range(30).shuffle(30).cache()
    assert np_list(c) == np_list(c)


def test_take_skip_shard_on_indexed_sources():
    ds = Dataset.from_tensor_slices(np.arange(100))
    assert np_list(ds.skip(95)) == [95, 96, 97, 98, 99]
    assert [b.tolist() for b in np_list(ds.take(3).batch(2))] == [[0, 1], [2]]
    assert [b.tolist() for b in np_list(ds.shard(40, 3).batch(5))] == [[3, 43, 83]]
    assert np_list(Dataset.range(5).repeat().skip(3).take(4)) == [3, 4, 0, 1]


def test_map_parallel_deterministic_and_not():
    def slow(x):
        time.sleep(0.002 * float(int(x) % 3))
        return x * 2
    ds = Dataset.range(30).map(slow, num_parallel_calls=4)
    assert np_list(ds) == [2 * i for i in range(30)]
    nd = Dataset.range(30).map(slow, num_parallel_calls=4, deterministic=False)
    assert sorted(np_list(nd)) == [2 * i for i in range(30)]
    opts = tf.data.Options()
    opts.deterministic = False
    assert sorted(np_list(Dataset.range(10).map(slow, num_parallel_calls=3).with_options(opts))) == \
        [2 * i for i in range(10)]
    with pytest.raises(AttributeError):
        opts.no_such_option = 1


def test_map_errors_propagate_and_ignore_errors():
    def f(x):
        if int(x) % 4 == 1:
            raise errors.InvalidArgumentError("bad element")
        return x
    with pytest.raises(errors.InvalidArgumentError, match="bad element"):
        np_list(Dataset.range(8).map(f))
    assert np_list(Dataset.range(8).map(f).ignore_errors()) == [0, 2, 3, 4, 6, 7]
    assert np_list(Dataset.range(8).map(f, num_parallel_calls=3).ignore_errors()) == [0, 2, 3, 4, 6, 7]


def test_prefetch_background_thread_and_error():
    seen = []

    def gen():
        for i in range(5):
            seen.append(threading.current_thread().name)
            yield i
        raise ValueError("generator broke")
    ds = Dataset.from_generator(gen, output_signature=TensorSpec([], tf.int64)).prefetch(2)
    with pytest.raises(Exception, match="generator broke"):
        np_list(ds)
    assert any("prefetch" in n for n in seen)
    # abandoning an iterator stops its producer thread
    it = iter(Dataset.range(10**9).prefetch(4))
    next(it)
    del it


def test_filter_predicate_checks():
    assert np_list(Dataset.range(6).filter(lambda x: x > 3)) == [4, 5]
    with pytest.raises(ValueError, match="tf.bool"):
        np_list(Dataset.range(3).filter(lambda x: x))


def test_cache_memory_and_file(tmp_path):
    calls = []

    def f(x):
        calls.append(1)
        return x + 1
    ds = Dataset.range(5).map(f).cache()
    assert np_list(ds) == [1, 2, 3, 4, 5]
    n = len(calls)
    assert np_list(ds) == [1, 2, 3, 4, 5] and len(calls) == n
    # a partial first pass does not finalise the cache
    calls.clear()
    ds2 = Dataset.range(5).map(f).cache()
    np_list(ds2.take(2))
    assert np_list(ds2) == [1, 2, 3, 4, 5]
    path = str(tmp_path / "c")
    fds = Dataset.from_tensor_slices({"a": np.arange(4), "s": np.array([b"x", b"y", b"z", b"w"], object)}).cache(path)
    first = np_list(fds)
    assert os.path.exists(path + ".index")
    again = Dataset.range(100, 102).map(lambda x: {"a": x, "s": tf.constant(b"")}).cache(path)
    assert [d["a"] for d in np_list(again)] == [d["a"] for d in first]


def test_save_load_roundtrip(tmp_path):
    ds = Dataset.from_tensor_slices((np.arange(6, dtype=np.float32), np.array([b"a"] * 6, object))).batch(4)
    p = str(tmp_path / "saved")
    ds.save(p, compression="GZIP")
    back = Dataset.load(p, compression="GZIP")
    assert back.element_spec == ds.element_spec
    assert int(back.cardinality()) == 2
    for a, b in zip(np_list(ds), np_list(back)):
        np.testing.assert_array_equal(a[0], b[0])
        assert a[1].tolist() == b[1].tolist()
    sharded = str(tmp_path / "sharded")
    Dataset.range(10).save(sharded, shard_func=lambda x: x % 3)
    assert sorted(np_list(Dataset.load(sharded))) == list(range(10))


def test_generator_validation():
    bad_struct = Dataset.from_generator(lambda: iter([1]), output_signature=(TensorSpec([], tf.int64),) * 2)
    with pytest.raises(errors.InvalidArgumentError, match="did not match the expected structure"):
        np_list(bad_struct)
    bad_type = Dataset.from_generator(lambda: iter(["x"]), output_signature=TensorSpec([], tf.int64))
    with pytest.raises(errors.InvalidArgumentError, match="could not be converted"):
        np_list(bad_type)
    with pytest.raises(TypeError):
        Dataset.from_generator(lambda: iter([1]))


def test_sparse_batching_and_to_dense():
    sp = SparseTensor([[0], [2]], np.array([1.0, 2.0], np.float32), [4])
    np.testing.assert_array_equal(to_dense(sp).numpy(), [1, 0, 2, 0])
    ds = Dataset.from_tensors(sp).repeat(2).batch(2)
    (b,) = list(ds)
    assert b.dense_shape.numpy().tolist() == [2, 4]
    np.testing.assert_array_equal(to_dense(b).numpy(), [[1, 0, 2, 0], [1, 0, 2, 0]])
    with pytest.raises(errors.InvalidArgumentError):
        to_dense(SparseTensor([[5]], [1.0], [3]))


def test_unsupported_arguments_raise_clearly():
    with pytest.raises(errors.UnsupportedError, match="snapshot"):
        Dataset.range(3).snapshot("/tmp/x")


def test_range_variants_and_counter():
    assert np_list(Dataset.range(5, 0, -2)) == [5, 3, 1]
    assert np_list(tf.data.experimental.Counter(3, 2).take(3)) == [3, 5, 7]
    assert int(Dataset.range(10).cardinality()) == 10
    assert int(Dataset.range(3).repeat().cardinality()) == tf.data.INFINITE_CARDINALITY
    assert int(Dataset.range(3).filter(lambda x: True).cardinality()) == tf.data.UNKNOWN_CARDINALITY


def test_assert_cardinality():
    ds = Dataset.range(3).filter(lambda x: True).assert_cardinality(3)
    assert int(ds.cardinality()) == 3 and np_list(ds) == [0, 1, 2]
    with pytest.raises(errors.FailedPreconditionError):
        np_list(Dataset.range(3).assert_cardinality(5))


def test_tfrecord_writer_dataset(tmp_path):
    p = str(tmp_path / "w.tfrecord")
    tf.data.experimental.TFRecordWriter(p).write(Dataset.from_tensor_slices(np.array([b"a", b"bc"], object)))
    assert np_list(tf.data.TFRecordDataset(p)) == [b"a", b"bc"]


def test_fixed_length_record_dataset(tmp_path):
    p = tmp_path / "f.bin"
    p.write_bytes(b"HDR" + b"abcdefgh" + b"F")
    ds = tf.data.FixedLengthRecordDataset(str(p), 4, header_bytes=3, footer_bytes=1)
    assert np_list(ds) == [b"abcd", b"efgh"]


def test_user_function_gets_tensors():
    seen = []
    Dataset.from_tensor_slices(({"a": np.arange(2)}, np.array([b"x", b"y"], object))).map(
        lambda d, s: seen.append((type(d["a"]).__name__, type(s).__name__)) or d["a"]).reduce(
        np.int64(0), lambda st, v: st + v)
    assert seen and all(t == ("Tensor", "Tensor") for t in seen)


def test_element_spec_inference_does_not_change_shuffle_order():
    def make():
        return Dataset.range(20).shuffle(20, seed=5).map(lambda x: x + 1)
    a = make()
    b = make()
    _ = b.element_spec
    assert np_list(a) == np_list(b)
