"""Guide: "Variables — Mutable State (Model Weights)"."""
import tensorflow as tf
import numpy as np


def report(key, value):
    print(f"[report] {key}: {value}", flush=True)


# Creation
w = tf.Variable(tf.random.normal((3, 2)), name='weights')
b = tf.Variable(tf.zeros((2,)), name='bias')
report("w", (w.name, w.shape, w.dtype, w.trainable))
report("b", (b.name, b.numpy().tolist()))

# Mutation methods
w.assign(tf.random.normal((3, 2)))           # Replace entirely
replaced = w.numpy().copy()
w.assign_add(tf.ones_like(w) * 0.01)         # w += 0.01
w.assign_sub(tf.ones_like(w) * 0.001)        # w -= 0.001
report("net_change", np.round(w.numpy() - replaced, 5).tolist())
report("ones_like_type", (type(tf.ones_like(w)).__name__ == type(tf.constant(0.0)).__name__, tf.ones_like(w).dtype))

# In practice, model manages its own variables:
model = tf.keras.Sequential([
    tf.keras.Input((4,)),
    tf.keras.layers.Dense(3),
    tf.keras.layers.BatchNormalization(),
])
report("trainable_variables", [tuple(v.shape) for v in model.trainable_variables])
report("non_trainable_variables", [tuple(v.shape) for v in model.non_trainable_variables])
report("variables", len(model.variables))
