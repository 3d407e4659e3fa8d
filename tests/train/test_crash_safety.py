"""SIGKILL during CheckpointManager saves never loses the previous checkpoint.

Each trial starts a training process that saves a checkpoint after every step,
kills it with SIGKILL at a random moment, then resumes (in this process) from
the latest checkpoint and finishes: the final weights must equal those of an
uninterrupted run, and the checkpoint directory must be consistent.
"""

import multiprocessing
import os
import random
import signal
import sys
import time

import numpy as np
import pytest

import tfjax as tf
import tfjax.train  # noqa: F401

sys.path.insert(0, os.path.dirname(__file__))
import _crash_child as child  # noqa: E402

TOTAL = 20
TRIALS = 20


def _reference(tmp_path):
    model, step, ck = child.make_state()
    child.run(str(tmp_path / "reference"), TOTAL, model, step, ck)
    return model.w.numpy(), model.b.numpy()


def _context():
    """A forkserver that has imported tfjax once: trial processes fork from it, so none pays the
    interpreter + tfjax import cost (JAX is imported there but not initialized, so forking is safe)."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["tfjax", "tfjax.train", "_crash_child"])
    return ctx


def _start(ctx, directory):
    ready, go = ctx.Event(), ctx.Event()
    p = ctx.Process(target=child.trial_main, args=(directory, TOTAL, ready, go), daemon=True)
    p.start()
    return p, ready, go


@pytest.mark.skipif(not hasattr(signal, "SIGKILL") or
                    "forkserver" not in multiprocessing.get_all_start_methods(), reason="needs SIGKILL, forkserver")
def test_sigkill_during_training_resumes_exactly(tmp_path):
    ref_w, ref_b = _reference(tmp_path)
    rng = random.Random(1234)
    ctx = _context()
    # Time one full training run, to spread the kill points over the training loop.
    p, ready, go = _start(ctx, str(tmp_path / "timing"))
    assert ready.wait(120)
    t0 = time.monotonic()
    go.set()
    p.join(120)
    assert p.exitcode == 0
    loop_time = max(time.monotonic() - t0, 0.05)

    killed_mid_run = killed = 0
    trial = -1
    # At least TRIALS kills; under heavy machine load a kill can land before the first
    # checkpoint, so keep going (bounded) until half the required number hit mid-run.
    while trial + 1 < TRIALS or (killed_mid_run < TRIALS // 2 and trial + 1 < 3 * TRIALS):
        trial += 1
        d = str(tmp_path / f"trial{trial}")
        p, ready, go = _start(ctx, d)
        assert ready.wait(120)
        go.set()
        time.sleep(rng.uniform(0.1, 0.9) * loop_time)
        try:
            os.kill(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass  # it already finished (it must have finished cleanly, checked below)
        p.join()
        assert p.exitcode in (0, -signal.SIGKILL), (trial, p.exitcode)
        killed += p.exitcode == -signal.SIGKILL

        latest = tf.train.latest_checkpoint(d)
        if latest is not None:
            killed_mid_run += 1
            # The state file only names complete, loadable checkpoints.
            mgr_view = tf.train.CheckpointManager(tf.train.Checkpoint(), d, max_to_keep=2)
            for path in mgr_view.checkpoints:
                assert os.path.exists(path + ".index"), (trial, path)
                tf.train.load_checkpoint(path).get_variable_to_shape_map()
        model, step, ck = child.make_state()
        child.run(d, TOTAL, model, step, ck)
        assert int(step.numpy()) == TOTAL
        np.testing.assert_array_equal(model.w.numpy(), ref_w, err_msg=f"trial {trial}")
        np.testing.assert_array_equal(model.b.numpy(), ref_b, err_msg=f"trial {trial}")
        # and a fresh restore of the final state agrees too
        model2, step2, ck2 = child.make_state()
        ck2.restore(tf.train.latest_checkpoint(d)).assert_consumed()
        np.testing.assert_array_equal(model2.w.numpy(), ref_w)
    assert killed_mid_run >= TRIALS // 2, killed_mid_run
    assert killed >= TRIALS // 2, killed  # most trials really were killed, not finished
