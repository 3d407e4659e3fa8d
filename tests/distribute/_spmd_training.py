"""Subprocess script: the GSPMD path (Keras-fit style): `strategy.distribute_batch` + one
tf.function step over sharded batches and mirrored (or LayoutMap-sharded) variables.

Run with 8 virtual CPU devices. Prints one JSON line.
"""
import json

import numpy as np

import tfjax as tf
import tfjax.distribute

GLOBAL_BATCH = 16
STEPS = 4
LR = 0.05
rng = np.random.RandomState(1)
X = rng.randn(GLOBAL_BATCH * STEPS, 6).astype(np.float32)
Y = rng.randn(GLOBAL_BATCH * STEPS, 4).astype(np.float32)
INIT = {"dense/kernel": rng.randn(6, 8).astype(np.float32) * 0.3,
        "out/kernel": rng.randn(8, 4).astype(np.float32) * 0.3}


def make_vars():
    return [tf.Variable(INIT["dense/kernel"], name="dense/kernel"), tf.Variable(INIT["out/kernel"], name="out/kernel")]


def make_step(params):
    @tf.function
    def step(x, y):
        with tf.GradientTape() as tape:
            h = tf.tanh(tf.matmul(x, params[0]))
            loss = tf.reduce_mean(tf.square(tf.matmul(h, params[1]) - y))
        grads = tape.gradient(loss, params)
        for v, g in zip(params, grads):
            v.assign_sub(LR * g)
        return loss
    return step


def train(params, strategy=None):
    step = make_step(params)
    for i in range(STEPS):
        sl = slice(i * GLOBAL_BATCH, (i + 1) * GLOBAL_BATCH)
        batch = (X[sl], Y[sl])
        if strategy is not None:
            batch = strategy.distribute_batch(batch)
            assert "batch" in str(batch[0]._value.sharding.spec), batch[0]._value.sharding
        else:
            batch = tuple(tf.constant(b) for b in batch)
        step(*batch)
    return params


ref = train(make_vars())
out = {}

mirrored = tfjax.distribute.MirroredStrategy()
with mirrored.scope():
    mv = make_vars()
train(mv, mirrored)
out["mirrored_diff"] = max(float(np.abs(a.numpy() - b.numpy()).max()) for a, b in zip(ref, mv))
out["mirrored_spec"] = str(mv[0]._value.sharding.spec)

E = tfjax.distribute.experimental
mesh = E.DeviceMesh((2, 4), ("batch", "model"))
layout = E.LayoutMap(mesh)
layout["dense.*kernel"] = (None, "model")
layout["out.*kernel"] = ("model", None)
mp = E.ModelParallelStrategy(layout, batch_dim_name="batch")
with mp.scope():
    pv = make_vars()
out["mp_spec_before"] = [str(v._value.sharding.spec) for v in pv]
out["mp_shard_shape"] = list(pv[0]._value.addressable_shards[0].data.shape)
train(pv, mp)
out["mp_diff"] = max(float(np.abs(a.numpy() - b.numpy()).max()) for a, b in zip(ref, pv))
out["mp_spec_after"] = [str(v._value.sharding.spec) for v in pv]
out["mp_replicas"] = mp.num_replicas_in_sync
print(json.dumps(out))
