"""Subprocess script: MirroredStrategy custom `strategy.run` loop vs single-device training.

Run with XLA_FLAGS=--xla_force_host_platform_device_count=8 (set by the test).
Prints one JSON line: the max abs difference of final weights, and metadata.
"""
import json
import sys

import numpy as np

import tfjax as tf
import tfjax.distribute
from tfjax._src.data.dataset import Dataset

MODE = sys.argv[1] if len(sys.argv) > 1 else "function"   # "function" | "eager"
GLOBAL_BATCH = 16
STEPS = 5
LR = 0.1

rng = np.random.RandomState(0)
X = rng.randn(GLOBAL_BATCH * STEPS, 5).astype(np.float32)
Y = (X @ rng.randn(5, 1)).astype(np.float32) + 0.1
W1 = rng.randn(5, 8).astype(np.float32) * 0.5
W2 = rng.randn(8, 1).astype(np.float32) * 0.5


def make_vars():
    return tf.Variable(W1, name="w1"), tf.Variable(W2, name="w2"), tf.Variable(np.zeros(1, np.float32), name="b")


def forward(params, x):
    w1, w2, b = params
    return tf.matmul(tf.tanh(tf.matmul(x, w1)), w2) + b


def per_example_loss(params, x, y):
    return tf.reduce_sum(tf.square(forward(params, x) - y), axis=1)


# --- single device reference -------------------------------------------------
ref = make_vars()


def ref_step(x, y):
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(per_example_loss(ref, x, y)) / GLOBAL_BATCH
    grads = tape.gradient(loss, list(ref))
    for v, g in zip(ref, grads):
        v.assign_sub(LR * g)
    return loss


ref_losses = []
for i in range(STEPS):
    sl = slice(i * GLOBAL_BATCH, (i + 1) * GLOBAL_BATCH)
    ref_losses.append(float(ref_step(tf.constant(X[sl]), tf.constant(Y[sl]))))

# --- mirrored ------------------------------------------------------------------
strategy = tfjax.distribute.MirroredStrategy()
with strategy.scope():
    dist = make_vars()
shardings = [str(v._value.sharding.spec) for v in dist]


def train_step(inputs):
    x, y = inputs
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(per_example_loss(dist, x, y)) / GLOBAL_BATCH
    grads = tape.gradient(loss, list(dist))
    ctx = tfjax.distribute.get_replica_context()
    grads = ctx.all_reduce(tfjax.distribute.ReduceOp.SUM, grads)
    for v, g in zip(dist, grads):
        v.assign_sub(LR * g)
    return loss


def distributed_step(inputs):
    per_replica = strategy.run(train_step, args=(inputs,))
    return strategy.reduce(tfjax.distribute.ReduceOp.SUM, per_replica, axis=None)


if MODE == "function":
    distributed_step = tf.function(distributed_step)

ds = Dataset.from_tensor_slices((X, Y)).batch(GLOBAL_BATCH)
losses = [float(distributed_step(b)) for b in strategy.experimental_distribute_dataset(ds)]

diff = max(float(np.max(np.abs(a.numpy() - b.numpy()))) for a, b in zip(ref, dist))
print(json.dumps({
    "replicas": strategy.num_replicas_in_sync,
    "max_weight_diff": diff,
    "loss_diff": max(abs(a - b) for a, b in zip(ref_losses, losses)),
    "shardings": shardings,
    "final_sharding": str(dist[0]._value.sharding),
}))
