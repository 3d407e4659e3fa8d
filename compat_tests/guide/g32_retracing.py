"""Guide: "Common Pitfalls / Retracing Performance".

Adapted: `model` is defined. The report counts traces. Note what TF 2.21
does with the fixed signature: the numpy inputs are float64 and the
TensorSpec says float32; the report records whether the call is accepted.
"""
import numpy as np
import tensorflow as tf


def report(key, value):
    print(f"[report] {key}: {value}", flush=True)


model = tf.keras.Sequential([tf.keras.Input((10,)), tf.keras.layers.Dense(3)])

# ❌ PROBLEM: Different input shapes cause retracing (slow)
@tf.function
def predict(x):
    return model(x)

predict(np.zeros((1, 10)))     # Traces for shape (1, 10)
predict(np.zeros((32, 10)))    # Retraces for shape (32, 10)!
predict(np.zeros((64, 10)))    # Retraces again!
report("unsigned_traces", predict.experimental_get_tracing_count())
report("unsigned_output_dtype", predict(np.zeros((1, 10))).dtype)

# ✅ SOLUTION: Fix signature with None for batch dim
@tf.function(input_signature=[tf.TensorSpec(shape=[None, 10], dtype=tf.float32)])
def predict(x):
    return model(x)             # Single trace, any batch size

for n in (1, 32, 64):
    try:
        out = predict(np.zeros((n, 10)))
        report(f"signed_call_{n}", (out.shape, out.dtype))
    except Exception as e:
        report(f"signed_call_{n}", f"exception: {type(e).__name__}")
for n in (1, 32, 64):
    out = predict(np.zeros((n, 10), dtype=np.float32))
report("signed_float32_shape", out.shape)
report("signed_traces", predict.experimental_get_tracing_count())
