"""Subprocess script for the multi-process test: one worker of a TF_CONFIG cluster.

argv: out_path steps   (steps < 0: train until killed, printing "step N" lines)
"""
import json
import sys
import time

import numpy as np

import tfjax as tf
import tfjax.distribute

out_path, steps = sys.argv[1], int(sys.argv[2])
strategy = tfjax.distribute.MultiWorkerMirroredStrategy()   # must come first: starts jax.distributed

import jax  # noqa: E402

GLOBAL_BATCH = 8
LR = 0.1
rng = np.random.RandomState(0)
n_steps = steps if steps > 0 else 3
X = rng.randn(GLOBAL_BATCH * n_steps, 3).astype(np.float32)
Y = (X @ np.array([[1.0], [-2.0], [0.5]], np.float32)).astype(np.float32)
W0 = np.zeros((3, 1), np.float32)

with strategy.scope():
    w = tf.Variable(W0, name="w")


def replica_step(x, y):
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.square(tf.matmul(x, w) - y)) / GLOBAL_BATCH
    g = tape.gradient(loss, w)
    g = tfjax.distribute.get_replica_context().all_reduce("SUM", g)
    w.assign_sub(LR * g)
    return loss


@tf.function
def step(batch):
    return strategy.reduce("SUM", strategy.run(replica_step, args=batch), axis=None)


from tfjax._src.data.dataset import Dataset  # noqa: E402

ds = Dataset.from_tensor_slices((X, Y)).batch(GLOBAL_BATCH)
losses = []
i = 0
while True:
    for batch in strategy.experimental_distribute_dataset(ds):
        losses.append(float(step(batch)))
        i += 1
        if steps < 0:
            print(f"step {i}", flush=True)
            time.sleep(0.2)
        if steps > 0 and i >= steps:
            break
    if steps > 0 and i >= steps:
        break

# Single-process reference on this worker's local device, same global batches.
ref = tf.Variable(W0)
for k in range(steps):
    xb, yb = tf.constant(X[k * GLOBAL_BATCH:(k + 1) * GLOBAL_BATCH]), tf.constant(Y[k * GLOBAL_BATCH:(k + 1) * GLOBAL_BATCH])
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.square(tf.matmul(xb, ref) - yb)) / GLOBAL_BATCH
    ref.assign_sub(LR * tape.gradient(loss, ref))

with open(out_path, "w") as f:
    json.dump({"process": jax.process_index(), "processes": jax.process_count(),
               "replicas": strategy.num_replicas_in_sync, "w": w.numpy().tolist(),
               "ref": ref.numpy().tolist(), "losses": losses}, f)
print("done", flush=True)
