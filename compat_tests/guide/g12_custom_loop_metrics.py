"""Guide: "Custom Training Loop — GradientTape".

Adapted: model, num_epochs, train_dataset and val_dataset are defined
(small synthetic data; batch sizes divide the data so every step has the
same shape and the functions trace once), and the random seed is fixed:
with random initial weights and dropout, 3 epochs of 4 small steps do not
lower the loss in every run (under either framework), and the report
checks that.
"""
import numpy as np
import tensorflow as tf


def report(key, value):
    print(f"[report] {key}: {value}", flush=True)


tf.keras.utils.set_random_seed(0)
rng = np.random.RandomState(0)
x_all = rng.randn(192, 16).astype(np.float32)
y_all = (x_all[:, :3].argmax(axis=1)).astype(np.int32)
train_dataset = tf.data.Dataset.from_tensor_slices((x_all[:128], y_all[:128])).batch(32)
val_dataset = tf.data.Dataset.from_tensor_slices((x_all[128:], y_all[128:])).batch(32)
num_epochs = 3
model = tf.keras.Sequential([tf.keras.Input((16,)), tf.keras.layers.Dense(32, activation='relu'),
                             tf.keras.layers.Dropout(0.2), tf.keras.layers.Dense(3)])

optimizer  = tf.keras.optimizers.Adam(1e-3)
loss_fn    = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
train_loss = tf.keras.metrics.Mean(name='train_loss')
train_acc  = tf.keras.metrics.SparseCategoricalAccuracy(name='train_acc')
val_acc    = tf.keras.metrics.SparseCategoricalAccuracy(name='val_acc')

@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        logits = model(x, training=True)      # training=True → Dropout active
        loss   = loss_fn(y, logits)
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    train_loss.update_state(loss)
    train_acc.update_state(y, logits)

@tf.function
def val_step(x, y):
    logits = model(x, training=False)         # training=False → Dropout off
    val_acc.update_state(y, logits)

# ─── Epoch loop ───
epoch_losses = []
for epoch in range(num_epochs):
    train_loss.reset_state()
    train_acc.reset_state()
    val_acc.reset_state()

    for x_batch, y_batch in train_dataset:
        train_step(x_batch, y_batch)

    for x_batch, y_batch in val_dataset:
        val_step(x_batch, y_batch)

    tf.print(f"Epoch {epoch+1}: loss={train_loss.result():.4f}, "
             f"train_acc={train_acc.result():.4f}, val_acc={val_acc.result():.4f}")
    epoch_losses.append(float(train_loss.result()))

report("metric_names", [m.name for m in (train_loss, train_acc, val_acc)])
report("metric_counts", (int(train_loss.count.numpy()), int(val_acc.count.numpy())))
report("accuracies_in_range", all(0 <= float(m.result()) <= 1 for m in (train_acc, val_acc)))
report("loss_decreased", epoch_losses[-1] < epoch_losses[0])
report("result_format", f"{train_loss.result():.4f}".count("."))
report("train_step_traces", train_step.experimental_get_tracing_count())
report("val_step_traces", val_step.experimental_get_tracing_count())
report("optimizer_iterations", int(optimizer.iterations.numpy()))
train_loss.reset_state()
report("after_reset", float(train_loss.result()))
