"""Train a small CNN on MNIST-like digits with model.fit.

    python examples/mnist_cnn.py                 # synthetic digits, offline
    python examples/mnist_cnn.py --real-mnist    # tf.keras.datasets.mnist (downloads or uses the cache)
    python -m tfjax examples/mnist_cnn.py        # the same script on tfjax

By default the data are synthetic seven-segment digits generated in-process
(synthetic_digits.py, next to this file), so the example needs no network.
"""

import argparse

import numpy as np
import tensorflow as tf
from tensorflow.keras import layers

import synthetic_digits


def load(real_mnist, samples):
    if real_mnist:
        (x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
        print("data: MNIST")
    else:
        (x_train, y_train), (x_test, y_test) = synthetic_digits.load_data(samples)
        print(f"data: synthetic seven-segment digits ({samples} samples, no download)")
    x_train = (x_train.astype("float32") / 255.0)[..., None]
    x_test = (x_test.astype("float32") / 255.0)[..., None]
    return (x_train, y_train), (x_test, y_test)


def build_model():
    return tf.keras.Sequential([
        tf.keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(16, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(32, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Flatten(),
        layers.Dropout(0.25),
        layers.Dense(64, activation="relu"),
        layers.Dense(10),
    ])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, default=3000, help="synthetic samples (train + test)")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--real-mnist", action="store_true", help="use tf.keras.datasets.mnist instead")
    args = parser.parse_args()

    tf.keras.utils.set_random_seed(0)
    (x_train, y_train), (x_test, y_test) = load(args.real_mnist, args.samples)
    print(f"train: {x_train.shape}, test: {x_test.shape}")

    model = build_model()
    model.compile(optimizer=tf.keras.optimizers.Adam(3e-3),
                  loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    print(f"parameters: {model.count_params()}")
    model.fit(x_train, y_train, epochs=args.epochs, batch_size=args.batch_size,
              validation_split=0.1, verbose=2)
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    print(f"test loss: {loss:.4f}")
    print(f"test accuracy: {accuracy:.4f}")
    predictions = np.argmax(model.predict(x_test[:10], verbose=0), axis=1)
    print(f"first predictions: {predictions.tolist()}")
    print(f"first labels:      {y_test[:10].tolist()}")


if __name__ == "__main__":
    main()
