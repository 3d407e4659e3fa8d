"""Data-parallel training with tf.distribute.MirroredStrategy, on CPU.

    python examples/distributed.py [--replicas 2]
    python -m tfjax examples/distributed.py

Without GPUs the single physical CPU is split into --replicas logical
devices, so MirroredStrategy really runs several replicas and all-reduces
their gradients. Shows both model.fit under strategy.scope() and a custom
loop with strategy.run / strategy.reduce on a distributed dataset.
"""

import argparse

import numpy as np
import tensorflow as tf


def make_data(n, seed=0):
    rng = np.random.RandomState(seed)
    x = rng.randn(n, 16).astype(np.float32)
    w = rng.randn(16, 1).astype(np.float32)
    y = (x @ w + 0.1 * rng.randn(n, 1)).astype(np.float32)
    return x, y


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=5)
    args = parser.parse_args()

    # Must happen before any op runs: split the CPU into logical devices.
    cpus = tf.config.list_physical_devices("CPU")
    tf.config.set_logical_device_configuration(
        cpus[0], [tf.config.LogicalDeviceConfiguration() for _ in range(args.replicas)])
    devices = [d.name for d in tf.config.list_logical_devices("CPU")]
    print(f"logical devices: {devices}")

    strategy = tf.distribute.MirroredStrategy(devices)
    print(f"replicas in sync: {strategy.num_replicas_in_sync}")

    tf.keras.utils.set_random_seed(0)
    x, y = make_data(1024)
    global_batch = 32 * strategy.num_replicas_in_sync

    # 1) model.fit: the strategy splits each global batch across replicas.
    with strategy.scope():
        model = tf.keras.Sequential([tf.keras.Input((16,)), tf.keras.layers.Dense(32, activation="relu"),
                                     tf.keras.layers.Dense(1)])
        model.compile(optimizer=tf.keras.optimizers.Adam(1e-2), loss="mse")
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(1024, seed=0).batch(global_batch)
    history = model.fit(dataset, epochs=args.epochs, verbose=2)
    print(f"fit: first loss {history.history['loss'][0]:.4f}, last loss {history.history['loss'][-1]:.4f}")

    # 2) custom loop: per-replica step, gradients all-reduced by apply_gradients.
    with strategy.scope():
        net = tf.keras.Sequential([tf.keras.Input((16,)), tf.keras.layers.Dense(1)])
        optimizer = tf.keras.optimizers.SGD(0.05)
    dist_ds = strategy.experimental_distribute_dataset(dataset)

    @tf.function
    def distributed_step(batch):
        def step(xb, yb):
            with tf.GradientTape() as tape:
                per_example = tf.reduce_mean(tf.square(net(xb, training=True) - yb), axis=1)
                loss = tf.nn.compute_average_loss(per_example, global_batch_size=global_batch)
            grads = tape.gradient(loss, net.trainable_variables)
            optimizer.apply_gradients(zip(grads, net.trainable_variables))
            return loss

        per_replica = strategy.run(step, args=batch)
        return strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica, axis=None)

    for epoch in range(args.epochs):
        total, steps = 0.0, 0
        for batch in dist_ds:
            total += float(distributed_step(batch))
            steps += 1
        print(f"custom loop epoch {epoch + 1}: mean loss {total / steps:.4f}")
    print(f"variable type under strategy: {type(net.trainable_variables[0]).__name__}")


if __name__ == "__main__":
    main()
