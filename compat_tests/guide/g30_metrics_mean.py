"""Guide: "Common Pitfalls / Memory Leaks in Loops".

Adapted: `dataset` and `train_step` are defined; train_step returns a
deterministic loss (mean squared value of the batch) so the average is exact.
"""
import numpy as np
import tensorflow as tf


def report(key, value):
    print(f"[report] {key}: {value}", flush=True)


data = np.arange(40, dtype=np.float32).reshape(10, 4) / 10.0
dataset = tf.data.Dataset.from_tensor_slices(data).batch(3)


@tf.function
def train_step(batch):
    return tf.reduce_mean(tf.square(batch))


# ❌ PROBLEM: Appending tensors creates growing computation graph
losses = []
for batch in dataset:
    loss = train_step(batch)
    losses.append(loss)             # Keeps all tensors in memory!
report("losses", [round(float(l), 4) for l in losses])

# ✅ SOLUTION: Use tf.keras.metrics or extract with .numpy()
loss_metric = tf.keras.metrics.Mean()
for batch in dataset:
    loss = train_step(batch)
    loss_metric.update_state(loss)  # Accumulates efficiently
print(f"Average loss: {loss_metric.result().numpy()}")
report("average_loss", round(float(loss_metric.result().numpy()), 4))
report("result_numpy_type", type(loss_metric.result().numpy()).__name__)
report("metric_name", loss_metric.name)
report("traces", train_step.experimental_get_tracing_count())  # batch of 3 and the last batch of 1
