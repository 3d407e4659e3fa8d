"""tf.train.CheckpointManager and the `checkpoint` state file."""

import os
import time

import numpy as np
import pytest

import tfjax as tf
import tfjax.train  # noqa: F401
from tfjax._src.train import checkpoint_management


def _files(d):
    return sorted(f for f in os.listdir(d) if not f.startswith("."))


def test_max_to_keep_and_state_file(tmp_path):
    v = tf.Variable(0.0)
    ck = tf.train.Checkpoint(v=v)
    mgr = tf.train.CheckpointManager(ck, str(tmp_path), max_to_keep=2)
    assert mgr.latest_checkpoint is None and mgr.checkpoints == []
    paths = []
    for i in range(4):
        v.assign(float(i))
        paths.append(mgr.save())
    assert [os.path.basename(p) for p in paths] == ["ckpt-1", "ckpt-2", "ckpt-3", "ckpt-4"]
    assert mgr.checkpoints == paths[2:]
    assert mgr.latest_checkpoint == paths[-1] == tf.train.latest_checkpoint(str(tmp_path))
    assert _files(tmp_path) == ["checkpoint", "ckpt-3.data-00000-of-00001", "ckpt-3.index",
                                "ckpt-4.data-00000-of-00001", "ckpt-4.index"]
    text = (tmp_path / "checkpoint").read_text()
    assert text.startswith('model_checkpoint_path: "ckpt-4"\nall_model_checkpoint_paths: "ckpt-3"\n'
                           'all_model_checkpoint_paths: "ckpt-4"\nall_model_checkpoint_timestamps: ')
    assert "last_preserved_timestamp" in text
    v.assign(-1.0)
    assert mgr.restore_or_initialize() == paths[-1]
    assert v.numpy() == 3.0


def test_manager_recovers_state(tmp_path):
    ck = tf.train.Checkpoint(v=tf.Variable(1.0))
    mgr = tf.train.CheckpointManager(ck, str(tmp_path), max_to_keep=3)
    for _ in range(3):
        mgr.save()
    ck2 = tf.train.Checkpoint(v=tf.Variable(0.0))
    mgr2 = tf.train.CheckpointManager(ck2, str(tmp_path), max_to_keep=3)
    assert mgr2.checkpoints == mgr.checkpoints
    mgr2.restore_or_initialize()
    assert int(ck2.save_counter.numpy()) == 3
    assert os.path.basename(mgr2.save()) == "ckpt-4"
    assert [os.path.basename(p) for p in mgr2.checkpoints] == ["ckpt-2", "ckpt-3", "ckpt-4"]


def test_checkpoint_number_and_name(tmp_path):
    step = tf.Variable(0, dtype=tf.int64)
    ck = tf.train.Checkpoint(step=step)
    mgr = tf.train.CheckpointManager(ck, str(tmp_path), max_to_keep=None, checkpoint_name="model")
    assert os.path.basename(mgr.save(checkpoint_number=100)) == "model-100"
    step.assign(250)
    assert os.path.basename(mgr.save(checkpoint_number=step)) == "model-250"
    assert int(ck.save_counter.numpy()) == 2
    assert len(mgr.checkpoints) == 2


def test_checkpoint_interval(tmp_path):
    step = tf.Variable(0, dtype=tf.int64)
    ck = tf.train.Checkpoint(step=step)
    with pytest.raises(ValueError, match="step_counter"):
        tf.train.CheckpointManager(ck, str(tmp_path), max_to_keep=5, checkpoint_interval=3)
    mgr = tf.train.CheckpointManager(ck, str(tmp_path), max_to_keep=None, step_counter=step, checkpoint_interval=3)
    saved = []
    for s in range(10):
        step.assign(s)
        p = mgr.save(checkpoint_number=step)
        if p:
            saved.append(os.path.basename(p))
    assert saved == ["ckpt-0", "ckpt-3", "ckpt-6", "ckpt-9"]
    step.assign(10)
    assert mgr.save(checkpoint_number=step, check_interval=False).endswith("ckpt-10")
    assert mgr.save(checkpoint_number=step, check_interval=False) is None  # same step


def test_keep_checkpoint_every_n_hours(tmp_path, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(checkpoint_management.time, "time", lambda: clock[0])
    ck = tf.train.Checkpoint(v=tf.Variable(1.0))
    mgr = tf.train.CheckpointManager(ck, str(tmp_path), max_to_keep=1, keep_checkpoint_every_n_hours=1)
    for _ in range(4):
        clock[0] += 1800.0  # half an hour apart
        mgr.save()
    # Every second checkpoint is preserved (an hour apart) outside the active set.
    assert [os.path.basename(p) for p in mgr.checkpoints] == ["ckpt-4"]
    kept = sorted(f for f in _files(tmp_path) if f.endswith(".index"))
    assert kept == ["ckpt-2.index", "ckpt-4.index"]


def test_restore_or_initialize_calls_init_fn(tmp_path):
    called = []
    mgr = tf.train.CheckpointManager(tf.train.Checkpoint(v=tf.Variable(1.0)), str(tmp_path), max_to_keep=1,
                                     init_fn=lambda: called.append(1))
    assert mgr.restore_or_initialize() is None
    assert called == [1]


def test_invalid_max_to_keep(tmp_path):
    with pytest.raises(ValueError, match="max_to_keep"):
        tf.train.CheckpointManager(tf.train.Checkpoint(), str(tmp_path), max_to_keep=0)


def test_latest_checkpoint_missing_or_garbled(tmp_path):
    assert tf.train.latest_checkpoint(str(tmp_path)) is None
    (tmp_path / "checkpoint").write_text("this is { not a proto")
    assert tf.train.latest_checkpoint(str(tmp_path)) is None


def test_no_temp_files_left(tmp_path):
    ck = tf.train.Checkpoint(v=tf.Variable(np.ones(10, np.float32)))
    mgr = tf.train.CheckpointManager(ck, str(tmp_path), max_to_keep=1)
    for _ in range(3):
        mgr.save()
    assert not [f for f in os.listdir(tmp_path) if "tmp" in f]


def test_interrupted_overwrite_of_latest_falls_back(tmp_path):
    """Index of the latest prefix gone (overwrite interrupted): the previous complete one is used."""
    ck = tf.train.Checkpoint(v=tf.Variable(1.0))
    mgr = tf.train.CheckpointManager(ck, str(tmp_path), max_to_keep=3)
    a = mgr.save()
    b = mgr.save()
    os.unlink(b + ".index")
    assert tf.train.latest_checkpoint(str(tmp_path)) == a
    assert time.time() > 0
