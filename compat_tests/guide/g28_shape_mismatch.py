"""Guide: "Common Pitfalls / Shape Mismatches"."""
import numpy as np
import tensorflow as tf


def report(key, value):
    print(f"[report] {key}: {value}", flush=True)


# ❌ PROBLEM: Missing batch dimension on single sample
model = tf.keras.Sequential([tf.keras.layers.Dense(10, input_shape=(784,))])
try:
    pred = model(np.zeros(784))          # Error: expected rank 2, got rank 1
    report("rank1_call", f"ok {pred.shape}")
except Exception as e:
    report("rank1_call", f"exception: {type(e).__name__}")

# ✅ SOLUTION: Always include batch dimension
pred = model(np.zeros((1, 784)))     # Shape (1, 784) — batch of 1
report("call", (pred.shape, pred.dtype))
report("zeros_in_zeros_out", bool(np.all(pred.numpy() == 0)))  # bias starts at zero
pred = model.predict(np.zeros((1, 784)))  # predict handles this too
report("predict", (type(pred).__name__, pred.shape, pred.dtype))
