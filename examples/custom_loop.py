"""A custom training loop: tf.GradientTape + tf.function + tf.data + Keras metrics.

    python examples/custom_loop.py
    python -m tfjax examples/custom_loop.py

Task: classify 2-D points into the three arms of a synthetic spiral.
"""

import argparse
import time

import numpy as np
import tensorflow as tf


def make_spirals(n_per_class, seed=0):
    rng = np.random.RandomState(seed)
    xs, ys = [], []
    for c in range(3):
        r = np.linspace(0.1, 1.0, n_per_class)
        theta = np.linspace(c * 2 * np.pi / 3, c * 2 * np.pi / 3 + 3.0, n_per_class)
        theta += rng.normal(0, 0.12, n_per_class)
        xs.append(np.stack([r * np.cos(theta), r * np.sin(theta)], axis=1))
        ys.append(np.full(n_per_class, c))
    x = np.concatenate(xs).astype(np.float32)
    y = np.concatenate(ys).astype(np.int32)
    order = rng.permutation(len(x))
    return x[order], y[order]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--batch-size", type=int, default=64)
    args = parser.parse_args()

    tf.random.set_seed(0)
    x, y = make_spirals(400)
    split = int(0.8 * len(x))
    train_ds = (tf.data.Dataset.from_tensor_slices((x[:split], y[:split]))
                .shuffle(split, seed=0).batch(args.batch_size).prefetch(tf.data.AUTOTUNE))
    val_ds = tf.data.Dataset.from_tensor_slices((x[split:], y[split:])).batch(256)

    model = tf.keras.Sequential([
        tf.keras.Input((2,)),
        tf.keras.layers.Dense(64, activation="relu"),
        tf.keras.layers.Dense(64, activation="relu"),
        tf.keras.layers.Dense(3),
    ])
    optimizer = tf.keras.optimizers.Adam(1e-2)
    loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    train_loss = tf.keras.metrics.Mean(name="train_loss")
    train_acc = tf.keras.metrics.SparseCategoricalAccuracy(name="train_acc")
    val_acc = tf.keras.metrics.SparseCategoricalAccuracy(name="val_acc")

    @tf.function
    def train_step(xb, yb):
        with tf.GradientTape() as tape:
            logits = model(xb, training=True)
            loss = loss_fn(yb, logits)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        train_loss.update_state(loss)
        train_acc.update_state(yb, logits)

    @tf.function
    def val_step(xb, yb):
        val_acc.update_state(yb, model(xb, training=False))

    start = time.perf_counter()
    for epoch in range(args.epochs):
        for metric in (train_loss, train_acc, val_acc):
            metric.reset_state()
        for xb, yb in train_ds:
            train_step(xb, yb)
        for xb, yb in val_ds:
            val_step(xb, yb)
        if epoch % 5 == 4 or epoch == args.epochs - 1:
            print(f"epoch {epoch + 1:3d}: loss={train_loss.result():.4f} "
                  f"train_acc={train_acc.result():.4f} val_acc={val_acc.result():.4f}")
    print(f"train_step traced {train_step.experimental_get_tracing_count()} time(s)")
    print(f"optimizer steps: {int(optimizer.iterations.numpy())}")
    print(f"final validation accuracy: {val_acc.result():.4f}")
    print(f"seconds: {time.perf_counter() - start:.1f}")


if __name__ == "__main__":
    main()
