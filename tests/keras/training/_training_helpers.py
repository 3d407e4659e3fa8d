"""Shared helpers of the training tests."""

import numpy as np


def make_mlp(n_out=3, activation="softmax", seed=0):
    from tfjax._src.keras import layers, models
    m = models.Sequential([layers.Input((8,)), layers.Dense(16, activation="relu"),
                           layers.Dense(n_out, activation=activation)])
    rng = np.random.default_rng(seed)
    m.set_weights([rng.normal(scale=0.3, size=w.shape).astype("float32") for w in m.get_weights()])
    return m
