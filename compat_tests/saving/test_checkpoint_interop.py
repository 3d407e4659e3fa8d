"""tf.train checkpoints: tfjax <-> real TensorFlow, both directions, same on-disk format."""

import os

import numpy as np
import pytest

tf_real = pytest.importorskip("tensorflow")

import tfjax  # noqa: E402
import tfjax.train  # noqa: E402,F401


def _module(tf):
    m = tf.Module()
    m.v = tf.Variable(np.arange(6, dtype=np.float32).reshape(2, 3))
    m.sub = tf.Module()
    m.sub.w = tf.Variable(np.int64(3))
    m.lst = [tf.Variable(1.5), tf.Variable(np.float64(2.5))]
    m.d = {"a": tf.Variable([True, False]), "b/c.d": tf.Variable(np.array([7], np.int8))}
    return m


def _zero(m):
    m.v.assign(np.zeros((2, 3), np.float32))
    m.sub.w.assign(np.int64(0))
    m.lst[0].assign(0.0)
    m.lst[1].assign(np.float64(0))
    m.d["a"].assign([False, False])
    m.d["b/c.d"].assign(np.array([0], np.int8))


def _check(m):
    np.testing.assert_array_equal(np.asarray(m.v.numpy()), np.arange(6).reshape(2, 3))
    assert int(m.sub.w.numpy()) == 3
    assert float(m.lst[0].numpy()) == 1.5 and float(m.lst[1].numpy()) == 2.5
    np.testing.assert_array_equal(m.d["a"].numpy(), [True, False])
    assert int(m.d["b/c.d"].numpy()[0]) == 7


@pytest.mark.parametrize("writer,reader", [(tfjax, tf_real), (tf_real, tfjax)], ids=["tfjax->tf", "tf->tfjax"])
def test_module_checkpoint_roundtrip(tmp_path, writer, reader):
    src = _module(writer)
    ck = writer.train.Checkpoint(model=src, step=writer.Variable(np.int64(42)))
    ck.save(str(tmp_path / "ckpt"))
    path = ck.save(str(tmp_path / "ckpt"))
    assert reader.train.latest_checkpoint(str(tmp_path)) == path
    assert sorted(k for k, _ in reader.train.list_variables(path)) == \
        sorted(k for k, _ in writer.train.list_variables(path))
    dst = _module(reader)
    _zero(dst)
    ck2 = reader.train.Checkpoint(model=dst, step=reader.Variable(np.int64(0)))
    ck2.restore(path).assert_consumed()
    _check(dst)
    assert int(ck2.step.numpy()) == 42
    assert int(ck2.save_counter.numpy()) == 2


def test_tf_reader_sees_same_values(tmp_path):
    m = _module(tfjax)
    p = tfjax.train.Checkpoint(model=m).write(str(tmp_path / "w"))
    r = tf_real.train.load_checkpoint(p)
    np.testing.assert_array_equal(r.get_tensor("model/v/.ATTRIBUTES/VARIABLE_VALUE"), np.arange(6).reshape(2, 3))
    assert r.get_variable_to_dtype_map()["model/lst/1/.ATTRIBUTES/VARIABLE_VALUE"] == tf_real.float64


def test_tf_detects_corruption_of_tfjax_checkpoint(tmp_path):
    """Our crc32c values are TF's: a flipped byte is caught by TF's own reader."""
    p = tfjax.train.Checkpoint(v=tfjax.Variable(np.ones(16, np.float32))).write(str(tmp_path / "c"))
    data = p + ".data-00000-of-00001"
    raw = bytearray(open(data, "rb").read())
    raw[-2] ^= 0xFF
    open(data, "wb").write(bytes(raw))
    with pytest.raises(Exception, match="(?i)checksum|corrupt|data ?loss"):
        tf_real.train.load_checkpoint(p).get_tensor("v/.ATTRIBUTES/VARIABLE_VALUE")


def test_manager_state_file_interop(tmp_path):
    ck = tfjax.train.Checkpoint(v=tfjax.Variable(1.0))
    mgr = tfjax.train.CheckpointManager(ck, str(tmp_path), max_to_keep=2)
    for _ in range(3):
        mgr.save()
    state = tf_real.train.get_checkpoint_state(str(tmp_path))
    assert os.path.basename(state.model_checkpoint_path) == "ckpt-3"
    assert [os.path.basename(p) for p in state.all_model_checkpoint_paths] == ["ckpt-2", "ckpt-3"]
    # A TF manager picks up where tfjax's left off.
    tck = tf_real.train.Checkpoint(v=tf_real.Variable(0.0))
    tmgr = tf_real.train.CheckpointManager(tck, str(tmp_path), max_to_keep=2)
    assert tmgr.checkpoints == mgr.checkpoints
    tmgr.restore_or_initialize()
    assert float(tck.v.numpy()) == 1.0
    tmgr.save()
    mgr2 = tfjax.train.CheckpointManager(tfjax.train.Checkpoint(v=tfjax.Variable(0.0)), str(tmp_path), max_to_keep=2)
    assert [os.path.basename(p) for p in mgr2.checkpoints] == ["ckpt-3", "ckpt-4"]
    assert not os.path.exists(str(tmp_path / "ckpt-2.index"))
