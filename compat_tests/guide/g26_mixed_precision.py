"""Guide: "Performance Tips / Mixed Precision".

Added: one forward pass, and the dtypes that the policy gives each layer.
"""
import numpy as np
import tensorflow as tf


def report(key, value):
    print(f"[report] {key}: {value}", flush=True)


# float16 compute + float32 weights → ~2x throughput on Tensor Core GPUs
policy = tf.keras.mixed_precision.Policy('mixed_float16')
tf.keras.mixed_precision.set_global_policy(policy)

model = tf.keras.Sequential([
    tf.keras.layers.Dense(128, activation='relu', input_shape=(784,)),
    tf.keras.layers.Dense(64, activation='relu'),
    # Output layer MUST cast back to float32 for loss stability
    tf.keras.layers.Dense(10, activation='softmax', dtype='float32')
])

report("policy", (policy.name, policy.compute_dtype, policy.variable_dtype))
report("global_policy", tf.keras.mixed_precision.global_policy().name)
report("layer_dtypes", [(layer.compute_dtype, layer.variable_dtype) for layer in model.layers])
report("kernel_dtypes", [layer.kernel.dtype for layer in model.layers])
x = np.random.RandomState(0).rand(4, 784).astype(np.float32)
hidden = model.layers[1](model.layers[0](x))
report("hidden_dtype", hidden.dtype)
out = model(x)
report("output", (out.shape, out.dtype))
report("softmax_rows_sum_to_1", bool(np.allclose(out.numpy().sum(axis=1), 1.0, atol=1e-3)))
tf.keras.mixed_precision.set_global_policy('float32')
report("reset_policy", tf.keras.mixed_precision.global_policy().name)
