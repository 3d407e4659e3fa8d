"""tf.train.Checkpoint on Variables and tf.Modules (tensor-bundle format, object graph)."""

import os

import numpy as np
import pytest

import tfjax as tf
import tfjax.train  # noqa: F401
from tfjax._src import errors
from tfjax._src.train import bundle
from tfjax._src.train.checkpoint import restore_deferred


class Net(tf.Module):
    def __init__(self):
        super().__init__()
        self.v = tf.Variable([1.0, 2.0])
        self.sub = tf.Module()
        self.sub.w = tf.Variable(np.int64(3))
        self.lst = [tf.Variable(1.0), tf.Variable(2.0)]
        self.d = {"a": tf.Variable(5.0), "b/c.d": tf.Variable(6.0)}


def test_save_restore_roundtrip(tmp_path):
    m = Net()
    ck = tf.train.Checkpoint(model=m, step=tf.Variable(7))
    path = ck.save(str(tmp_path / "ckpt"))
    assert path == str(tmp_path / "ckpt-1")
    assert os.path.exists(path + ".index") and os.path.exists(path + ".data-00000-of-00001")
    state = (tmp_path / "checkpoint").read_text()
    assert 'model_checkpoint_path: "ckpt-1"' in state
    m.v.assign([0.0, 0.0])
    m.d["b/c.d"].assign(0.0)
    ck.step.assign(0)
    status = ck.restore(path)
    status.assert_consumed()
    np.testing.assert_array_equal(m.v.numpy(), [1.0, 2.0])
    assert m.d["b/c.d"].numpy() == 6.0
    assert int(ck.step.numpy()) == 7
    assert int(ck.save_counter.numpy()) == 1


def test_checkpoint_keys_follow_tf_naming(tmp_path):
    ck = tf.train.Checkpoint(model=Net(), step=tf.Variable(7))
    path = ck.save(str(tmp_path / "ckpt"))
    keys = [k for k, _ in tf.train.list_variables(path)]
    assert keys == [
        "_CHECKPOINTABLE_OBJECT_GRAPH",
        "model/d/a/.ATTRIBUTES/VARIABLE_VALUE",
        "model/d/b.Sc..d/.ATTRIBUTES/VARIABLE_VALUE",
        "model/lst/0/.ATTRIBUTES/VARIABLE_VALUE",
        "model/lst/1/.ATTRIBUTES/VARIABLE_VALUE",
        "model/sub/w/.ATTRIBUTES/VARIABLE_VALUE",
        "model/v/.ATTRIBUTES/VARIABLE_VALUE",
        "save_counter/.ATTRIBUTES/VARIABLE_VALUE",
        "step/.ATTRIBUTES/VARIABLE_VALUE",
    ]
    assert dict(tf.train.list_variables(path))["model/v/.ATTRIBUTES/VARIABLE_VALUE"] == [2]
    np.testing.assert_array_equal(tf.train.load_variable(path, "model/v/.ATTRIBUTES/VARIABLE_VALUE"), [1.0, 2.0])
    reader = tf.train.load_checkpoint(str(tmp_path))  # a directory: its latest checkpoint
    assert reader.get_variable_to_dtype_map()["save_counter/.ATTRIBUTES/VARIABLE_VALUE"] == tf.int64
    assert reader.has_tensor("step/.ATTRIBUTES/VARIABLE_VALUE")


def test_save_counter_numbers_checkpoints(tmp_path):
    ck = tf.train.Checkpoint(v=tf.Variable(1.0))
    paths = [ck.save(str(tmp_path / "c")) for _ in range(3)]
    assert [os.path.basename(p) for p in paths] == ["c-1", "c-2", "c-3"]
    assert tf.train.latest_checkpoint(str(tmp_path)) == paths[-1]
    ck2 = tf.train.Checkpoint(v=tf.Variable(0.0))
    ck2.restore(paths[1])
    assert int(ck2.save_counter.numpy()) == 2
    assert ck2.save(str(tmp_path / "d")).endswith("d-3")


def test_write_and_read_exact_prefix(tmp_path):
    v = tf.Variable([[1, 2], [3, 4]], dtype=tf.int32)
    ck = tf.train.Checkpoint(v=v)
    p = ck.write(str(tmp_path / "exact"))
    assert p == str(tmp_path / "exact")
    assert not (tmp_path / "checkpoint").exists()
    v.assign([[0, 0], [0, 0]])
    ck.read(p).assert_consumed()
    np.testing.assert_array_equal(v.numpy(), [[1, 2], [3, 4]])


def test_dtypes_roundtrip(tmp_path):
    vals = {
        "f16": np.array([1.5], np.float16), "f64": np.array([2.5], np.float64), "i8": np.array([-3], np.int8),
        "u8": np.array([200], np.uint8), "i64": np.array([2**40], np.int64), "b": np.array([True, False]),
        "c64": np.array([1 + 2j], np.complex64),
    }
    vs = {k: tf.Variable(v) for k, v in vals.items()}
    vs["bf16"] = tf.Variable(tf.constant([1.0, 2.0], dtype=tf.bfloat16))
    ck = tf.train.Checkpoint(**vs)
    p = ck.write(str(tmp_path / "t"))
    for v in vs.values():
        v.assign(tf.zeros_like(v))
    ck.read(p).assert_consumed()
    for k, v in vals.items():
        np.testing.assert_array_equal(vs[k].numpy(), v)
    np.testing.assert_array_equal(vs["bf16"].numpy().astype(np.float32), [1.0, 2.0])


def test_root_argument(tmp_path):
    m = Net()
    ck = tf.train.Checkpoint(m, extra=tf.Variable(9.0))
    p = ck.write(str(tmp_path / "r"))
    keys = {k for k, _ in tf.train.list_variables(p)}
    assert "v/.ATTRIBUTES/VARIABLE_VALUE" in keys and "extra/.ATTRIBUTES/VARIABLE_VALUE" in keys
    m2 = Net()
    m2.v.assign([0.0, 0.0])
    tf.train.Checkpoint(m2, extra=tf.Variable(0.0)).read(p).assert_consumed()
    np.testing.assert_array_equal(m2.v.numpy(), [1.0, 2.0])


def test_shared_variable_saved_once(tmp_path):
    v = tf.Variable(1.0)
    m = tf.Module()
    m.a = v
    m.b = [v]
    ck = tf.train.Checkpoint(m=m)
    p = ck.write(str(tmp_path / "s"))
    keys = [k for k, _ in tf.train.list_variables(p)]
    assert keys == ["_CHECKPOINTABLE_OBJECT_GRAPH", "m/a/.ATTRIBUTES/VARIABLE_VALUE"]
    v.assign(0.0)
    ck.read(p).assert_consumed()
    assert v.numpy() == 1.0


def test_partial_restore_status(tmp_path):
    big = tf.Module()
    big.a = tf.Variable(1.0)
    big.b = tf.Variable(2.0)
    p = tf.train.Checkpoint(m=big).write(str(tmp_path / "p"))
    small = tf.Module()
    small.a = tf.Variable(0.0)
    status = tf.train.Checkpoint(m=small).read(p)
    assert small.a.numpy() == 1.0
    with pytest.raises(AssertionError, match="Unresolved object"):
        status.assert_consumed()
    status.assert_existing_objects_matched()
    status.assert_nontrivial_match()
    assert status.expect_partial() is status

    # Python object absent from the checkpoint.
    more = tf.Module()
    more.a = tf.Variable(0.0)
    more.c = tf.Variable(0.0)
    status = tf.train.Checkpoint(m=more).read(p)
    with pytest.raises(AssertionError, match="not bound"):
        status.assert_existing_objects_matched()


def test_restore_none_is_initialization_only():
    status = tf.train.Checkpoint(v=tf.Variable(1.0)).restore(None)
    with pytest.raises(AssertionError):
        status.assert_consumed()
    status.expect_partial()


def test_deferred_restoration(tmp_path):
    src = tf.Module()
    src.slots = [tf.Variable(1.0), tf.Variable(2.0)]
    p = tf.train.Checkpoint(opt=src).write(str(tmp_path / "d"))

    dst = tf.Module()
    dst.slots = []
    status = tf.train.Checkpoint(opt=dst).read(p)
    with pytest.raises(AssertionError):
        status.assert_consumed()
    # variables created later (e.g. optimizer slots on the first apply_gradients)
    dst.slots.append(tf.Variable(0.0))
    dst.slots.append(tf.Variable(0.0))
    restore_deferred(dst)
    assert [s.numpy() for s in dst.slots] == [1.0, 2.0]
    status.assert_consumed()


def test_deferred_restoration_picked_up_by_status(tmp_path):
    src = tf.Module()
    src.layer = tf.Module()
    src.layer.kernel = tf.Variable([3.0])
    p = tf.train.Checkpoint(model=src).write(str(tmp_path / "d"))
    dst = tf.Module()
    status = tf.train.Checkpoint(model=dst).read(p)
    dst.layer = tf.Module()
    dst.layer.kernel = tf.Variable([0.0])
    status.assert_consumed()  # re-matches the now-existing objects
    assert dst.layer.kernel.numpy()[0] == 3.0


def test_shape_and_dtype_mismatch_errors(tmp_path):
    p = tf.train.Checkpoint(v=tf.Variable([1.0, 2.0])).write(str(tmp_path / "m"))
    with pytest.raises(ValueError, match="incompatible tensor with shape"):
        tf.train.Checkpoint(v=tf.Variable([1.0, 2.0, 3.0])).read(p)
    with pytest.raises(errors.InvalidArgumentError, match="dtype"):
        tf.train.Checkpoint(v=tf.Variable([1, 2])).read(p)


def test_non_trackable_rejected():
    with pytest.raises(ValueError, match="trackable"):
        tf.train.Checkpoint(x=5)


def test_missing_checkpoint_raises_not_found(tmp_path):
    with pytest.raises(errors.NotFoundError):
        tf.train.Checkpoint(v=tf.Variable(1.0)).restore(str(tmp_path / "nope-1"))


def _corrupt(path, offset, data=b"\xff"):
    with open(path, "r+b") as f:
        f.seek(offset)
        f.write(data)


def test_corrupted_data_file_is_data_loss_and_nothing_restored(tmp_path):
    a, b = tf.Variable([1.0] * 8), tf.Variable([2.0] * 8)
    ck = tf.train.Checkpoint(a=a, b=b)
    p = ck.write(str(tmp_path / "c"))
    a.assign([0.0] * 8)
    b.assign([0.0] * 8)
    data = p + ".data-00000-of-00001"
    _corrupt(data, os.path.getsize(data) - 3)
    with pytest.raises(errors.DataLossError, match="c.data-00000-of-00001"):
        ck.read(p)
    # never a partially restored state
    assert a.numpy().sum() == 0 and b.numpy().sum() == 0


def test_truncated_files_are_data_loss(tmp_path):
    ck = tf.train.Checkpoint(a=tf.Variable([1.0] * 64))
    p = ck.write(str(tmp_path / "t"))
    data = p + ".data-00000-of-00001"
    raw = open(data, "rb").read()
    open(data, "wb").write(raw[:-10])
    with pytest.raises(errors.DataLossError, match="truncated"):
        ck.read(p)
    p = ck.write(str(tmp_path / "u"))
    idx = p + ".index"
    raw = open(idx, "rb").read()
    open(idx, "wb").write(raw[: len(raw) // 2])
    with pytest.raises(errors.DataLossError, match="u.index"):
        ck.read(p)
    p = ck.write(str(tmp_path / "w"))
    _corrupt(p + ".index", 5)
    with pytest.raises(errors.DataLossError, match="w.index"):
        tf.train.load_checkpoint(p)


def test_bundle_table_many_blocks(tmp_path):
    tensors = {f"k/{i:05d}": np.full((50,), i, np.float64) for i in range(2000)}
    tensors["s"] = np.array([b"a", b"bc"], dtype=object)
    bundle.write_bundle(str(tmp_path / "b"), tensors)
    r = bundle.BundleReader(str(tmp_path / "b"))
    assert len(r.keys()) == 2001
    np.testing.assert_array_equal(r.get("k/01999"), np.full((50,), 1999.0))
    assert list(r.get("s")) == [b"a", b"bc"]


def test_nested_checkpoint_and_late_attribute(tmp_path):
    inner = tf.train.Checkpoint(v=tf.Variable(4.0))
    outer = tf.train.Checkpoint(inner=inner)
    outer.w = tf.Variable(5.0)
    p = outer.write(str(tmp_path / "n"))
    keys = {k for k, _ in tf.train.list_variables(p)}
    assert {"inner/v/.ATTRIBUTES/VARIABLE_VALUE", "w/.ATTRIBUTES/VARIABLE_VALUE"} <= keys


def test_train_namespace_exports():
    for name in ("Checkpoint", "CheckpointManager", "CheckpointOptions", "latest_checkpoint", "load_checkpoint",
                 "list_variables", "load_variable", "get_checkpoint_state"):
        assert hasattr(tf.train, name), name
    example = pytest.importorskip("tfjax._src.io.example")
    for name in ("Example", "Features", "Feature", "BytesList", "FloatList", "Int64List", "SequenceExample",
                 "FeatureList", "FeatureLists"):
        if hasattr(example, name):
            assert getattr(tf.train, name) is getattr(example, name)
    with pytest.raises(AttributeError):
        tf.train.NoSuchThing  # noqa: B018
