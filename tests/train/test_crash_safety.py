"""SIGKILL during CheckpointManager saves never loses the previous checkpoint.

Each trial starts a training process that saves a checkpoint after every step,
kills it with SIGKILL at a random moment, then resumes (in this process) from
the latest checkpoint and finishes: the final weights must equal those of an
uninterrupted run, and the checkpoint directory must be consistent.
"""

import os
import random
import signal
import subprocess
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


BATCH = 5  # children started ahead of time, so their interpreter start-up overlaps


def _start(script, directory, env):
    p = subprocess.Popen([sys.executable, script, directory, str(TOTAL)], env=env, stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, text=True)
    return p


def _wait_ready(p):
    assert p.stdout.readline().strip() == "ready"


def _go(p):
    p.stdin.write("go\n")
    p.stdin.flush()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_during_training_resumes_exactly(tmp_path):
    ref_w, ref_b = _reference(tmp_path)
    rng = random.Random(1234)
    env = dict(os.environ, JAX_PLATFORMS="cpu")
    script = os.path.join(os.path.dirname(__file__), "_crash_child.py")
    # Time one full training run, to spread the kill points over the training loop.
    p = _start(script, str(tmp_path / "timing"), env)
    _wait_ready(p)
    t0 = time.monotonic()
    _go(p)
    assert p.stdout.readline().strip() == "done"
    loop_time = max(time.monotonic() - t0, 0.05)
    p.wait()

    killed_mid_run = 0
    for first in range(0, TRIALS, BATCH):
        trials = list(range(first, min(first + BATCH, TRIALS)))
        procs = {t: _start(script, str(tmp_path / f"trial{t}"), env) for t in trials}
        for t in trials:
            _wait_ready(procs[t])
        for trial in trials:
            d = str(tmp_path / f"trial{trial}")
            p = procs[trial]
            _go(p)
            time.sleep(rng.uniform(0.0, loop_time * 0.9))
            os.kill(p.pid, signal.SIGKILL)
            p.wait()
            p.stdout.close()
            p.stdin.close()

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
