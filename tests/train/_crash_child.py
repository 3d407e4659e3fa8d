"""Child process of test_crash_safety: deterministic training with a CheckpointManager.

Usage: python _crash_child.py DIR TOTAL_STEPS. Prints "ready" once imported, waits
for a line on stdin (so the test can start several processes ahead of time),
then trains, saving after every step, and prints "done" at the end.
"""

import sys

import numpy as np

import tfjax as tf
import tfjax.train  # noqa: F401


def make_state():
    w = tf.Variable(np.linspace(-1.0, 1.0, 64).astype(np.float32).reshape(8, 8), name="w")
    b = tf.Variable(np.zeros(8, np.float32), name="b")
    step = tf.Variable(0, dtype=tf.int64, name="step")
    model = tf.Module()
    model.w, model.b = w, b
    ck = tf.train.Checkpoint(model=model, step=step)
    return model, step, ck


def train_step(model, step):
    s = int(step.numpy())
    x = np.sin(np.arange(8, dtype=np.float32) + s).astype(np.float32)
    w, b = model.w.numpy(), model.b.numpy()
    err = x @ w + b - np.cos(x)
    model.w.assign(w - 0.01 * np.outer(x, err).astype(np.float32))
    model.b.assign(b - 0.01 * err.astype(np.float32))
    step.assign_add(1)


def run(directory, total, model, step, ck):
    mgr = tf.train.CheckpointManager(ck, directory, max_to_keep=2)
    mgr.restore_or_initialize()
    while int(step.numpy()) < total:
        train_step(model, step)
        mgr.save()
    return mgr


if __name__ == "__main__":
    directory, total = sys.argv[1], int(sys.argv[2])
    model, step, ck = make_state()
    print("ready", flush=True)
    sys.stdin.readline()
    run(directory, total, model, step, ck)
    print("done", flush=True)


def trial_main(directory, total, ready, go):
    """Entry point of a forked trial process (see test_crash_safety): signal ready, wait, train."""
    model, step, ck = make_state()
    ready.set()
    go.wait()
    run(directory, total, model, step, ck)
