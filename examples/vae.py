"""A variational autoencoder (subclassed tf.keras.Model with a custom train_step) on digits.

    python examples/vae.py
    python -m tfjax examples/vae.py

Uses the synthetic seven-segment digits from synthetic_digits.py (no download).
"""

import argparse

import numpy as np
import tensorflow as tf
from tensorflow.keras import layers

import synthetic_digits


class Sampling(layers.Layer):
    """z = mean + exp(log_var / 2) * eps: the reparameterization trick."""

    def call(self, inputs):
        mean, log_var = inputs
        eps = tf.random.normal(tf.shape(mean))
        return mean + tf.exp(0.5 * log_var) * eps


class VAE(tf.keras.Model):
    def __init__(self, latent_dim=8, **kwargs):
        super().__init__(**kwargs)
        self.encoder = tf.keras.Sequential([
            layers.Flatten(),
            layers.Dense(256, activation="relu"),
            layers.Dense(2 * latent_dim),
        ])
        self.sampling = Sampling()
        self.decoder = tf.keras.Sequential([
            layers.Dense(256, activation="relu"),
            layers.Dense(28 * 28, activation="sigmoid"),
            layers.Reshape((28, 28)),
        ])
        self.latent_dim = latent_dim
        self.total_loss_tracker = tf.keras.metrics.Mean(name="loss")
        self.recon_loss_tracker = tf.keras.metrics.Mean(name="recon")
        self.kl_loss_tracker = tf.keras.metrics.Mean(name="kl")

    @property
    def metrics(self):
        return [self.total_loss_tracker, self.recon_loss_tracker, self.kl_loss_tracker]

    def encode(self, x):
        mean, log_var = tf.split(self.encoder(x), 2, axis=-1)
        return mean, log_var

    def call(self, x):
        mean, log_var = self.encode(x)
        return self.decoder(self.sampling([mean, log_var]))

    def train_step(self, data):
        x = data
        with tf.GradientTape() as tape:
            mean, log_var = self.encode(x)
            recon = self.decoder(self.sampling([mean, log_var]))
            recon_loss = tf.reduce_mean(tf.reduce_sum(
                tf.keras.losses.binary_crossentropy(x[..., None], recon[..., None]), axis=(1, 2)))
            kl = -0.5 * tf.reduce_mean(tf.reduce_sum(1 + log_var - tf.square(mean) - tf.exp(log_var), axis=1))
            loss = recon_loss + kl
        grads = tape.gradient(loss, self.trainable_weights)
        self.optimizer.apply_gradients(zip(grads, self.trainable_weights))
        self.total_loss_tracker.update_state(loss)
        self.recon_loss_tracker.update_state(recon_loss)
        self.kl_loss_tracker.update_state(kl)
        return {m.name: m.result() for m in self.metrics}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--epochs", type=int, default=5)
    args = parser.parse_args()

    tf.keras.utils.set_random_seed(0)
    (x_train, _), (x_test, _) = synthetic_digits.load_data(args.samples)
    x_train = x_train.astype("float32") / 255.0
    x_test = x_test.astype("float32") / 255.0

    vae = VAE(latent_dim=8)
    vae.compile(optimizer=tf.keras.optimizers.Adam(1e-3))
    history = vae.fit(x_train, epochs=args.epochs, batch_size=64, verbose=2)
    first, last = history.history["loss"][0], history.history["loss"][-1]
    print(f"loss: first epoch {first:.2f}, last epoch {last:.2f}, decreased: {last < first}")

    recon = vae(x_test[:64]).numpy()
    mse = float(np.mean((recon - x_test[:64]) ** 2))
    print(f"test reconstruction MSE: {mse:.4f}")
    samples = vae.decoder(tf.random.normal((16, vae.latent_dim))).numpy()
    print(f"generated samples: shape {samples.shape}, range [{samples.min():.2f}, {samples.max():.2f}]")


if __name__ == "__main__":
    main()
