"""Guide: "Basic Pattern — Custom Training Loop"."""
import tensorflow as tf
import numpy as np


def report(key, value):
    print(f"[report] {key}: {value}", flush=True)


np.random.seed(0)

model = tf.keras.Sequential([
    tf.keras.layers.Dense(64, activation='relu', input_shape=(10,)),
    tf.keras.layers.Dense(1)
])
optimizer = tf.keras.optimizers.Adam(1e-3)
loss_fn = tf.keras.losses.MeanSquaredError()

X = tf.constant(np.random.randn(100, 10).astype(np.float32))
y = tf.constant(np.random.randn(100, 1).astype(np.float32))

@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        y_pred = model(x, training=True)
        loss = loss_fn(y, y_pred)
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss

losses = []
for epoch in range(10):
    loss = train_step(X, y)
    tf.print("Epoch", epoch, "loss=", loss)
    losses.append(float(loss))

report("loss_dtype", loss.dtype)
report("loss_shape", loss.shape)
report("loss_finite", bool(np.all(np.isfinite(losses))))
report("loss_decreased", losses[-1] < losses[0])
report("optimizer_iterations", int(optimizer.iterations.numpy()))
report("tracing_count", train_step.experimental_get_tracing_count())
report("num_trainable_variables", len(model.trainable_variables))
