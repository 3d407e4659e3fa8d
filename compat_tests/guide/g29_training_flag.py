"""Guide: "Common Pitfalls / training Flag Forgotten".

Adapted: `model` is defined (Dense + Dropout(0.5)). Note what TF 2.21 does:
a Keras 3 model called without `training` runs in inference mode, so
bad_eval's Dropout is in fact *off* (the guide's comment describes TF1-era
behaviour); the report records the real behaviour.
"""
import numpy as np
import tensorflow as tf


def report(key, value):
    print(f"[report] {key}: {value}", flush=True)


model = tf.keras.Sequential([tf.keras.Input((64,)), tf.keras.layers.Dense(64, activation='relu'),
                             tf.keras.layers.Dropout(0.5)])
x = tf.constant(np.random.RandomState(0).rand(8, 64).astype(np.float32))

# ❌ PROBLEM: Dropout and BatchNorm behave identically in train and eval
@tf.function
def bad_eval(x):
    return model(x)                  # Dropout still active!

# ✅ SOLUTION: Explicit training flag
@tf.function
def good_train(x):  return model(x, training=True)   # Dropout ON
@tf.function
def good_eval(x):   return model(x, training=False)  # Dropout OFF

bad, train, evl = bad_eval(x).numpy(), good_train(x).numpy(), good_eval(x).numpy()
report("bad_eval_equals_good_eval", bool(np.array_equal(bad, evl)))
report("train_differs_from_eval", not np.array_equal(train, evl))
# Dropout zeroes some units and scales the rest by 1 / (1 - rate).
kept = train != 0
report("train_scaled_by_2", bool(np.allclose(train[kept], 2 * evl[kept], rtol=1e-5)))
report("train_dropped_some", bool((evl[~kept] != 0).any()))
