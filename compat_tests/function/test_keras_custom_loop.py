"""The guide's "Custom Training Loop" block (Keras Sequential + Adam + tf.function +
GradientTape) runs under tfjax and TF, the loss decreases in both, and trace counts,
optimizer iterations and variable counts agree."""

import numpy as np

from _tfdiff import check, require


def _custom_loop(tf):
    np.random.seed(0)
    model = tf.keras.Sequential([tf.keras.Input((10,)), tf.keras.layers.Dense(64, activation="relu"),
                                 tf.keras.layers.Dense(1)])
    optimizer = tf.keras.optimizers.Adam(1e-2)
    loss_fn = tf.keras.losses.MeanSquaredError()
    x = tf.constant(np.random.randn(100, 10).astype(np.float32))
    y = tf.constant(np.random.randn(100, 1).astype(np.float32))

    @tf.function
    def train_step(x, y):
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    losses = [float(train_step(x, y)) for _ in range(15)]
    return (losses[-1] < 0.8 * losses[0], bool(np.all(np.isfinite(losses))),
            int(optimizer.iterations.numpy()), train_step.experimental_get_tracing_count(),
            len(model.trainable_variables))


def test_guide_custom_training_loop():
    require("keras.Sequential", "keras.layers.Dense", "keras.optimizers.Adam", "keras.losses.MeanSquaredError")
    a, b = check(_custom_loop)
    assert a[0] is True and b[0] is True
