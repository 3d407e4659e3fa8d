"""Helpers: build the same model in real Keras and in tfjax, copy weights, compare fit/evaluate/predict."""

import numpy as np

import keras

from tfjax._src.keras import layers as L, models as M


def build_pair(kind, seed=0):
    """(keras_model, tfjax_model) with identical weights."""
    def arch(lib_layers, Seq):
        if kind == "mlp":
            return Seq([lib_layers.Input((20,)), lib_layers.Dense(32, activation="relu"),
                        lib_layers.Dense(16, activation="tanh"), lib_layers.Dense(3, activation="softmax")])
        if kind == "mlp_logits":
            return Seq([lib_layers.Input((20,)), lib_layers.Dense(32, activation="relu"), lib_layers.Dense(3)])
        if kind == "mlp_binary":
            return Seq([lib_layers.Input((20,)), lib_layers.Dense(16, activation="relu"),
                        lib_layers.Dense(1, activation="sigmoid")])
        if kind == "mlp_reg":
            return Seq([lib_layers.Input((20,)), lib_layers.Dense(16, activation="relu"), lib_layers.Dense(2)])
        if kind == "cnn":
            return Seq([lib_layers.Input((8, 8, 3)), lib_layers.Conv2D(4, 3, activation="relu"),
                        lib_layers.MaxPooling2D(), lib_layers.Conv2D(4, 2), lib_layers.Flatten(), lib_layers.Dense(3, activation="softmax")])
        if kind == "mlp_bn":
            return Seq([lib_layers.Input((20,)), lib_layers.Dense(16), lib_layers.BatchNormalization(),
                        lib_layers.Activation("relu"), lib_layers.Dense(3, activation="softmax")])
        if kind == "rnn":
            return Seq([lib_layers.Input((6, 5)), lib_layers.LSTM(8), lib_layers.Dense(3, activation="softmax")])
        raise ValueError(kind)
    km = arch(keras.layers, keras.Sequential)
    tm = arch(L, M.Sequential)
    rng = np.random.default_rng(seed)
    ws = [rng.normal(scale=0.3, size=w.shape).astype("float32") for w in km.get_weights()]
    km.set_weights(ws)
    tm.set_weights(ws)
    return km, tm


def data(kind, n=96, seed=1):
    rng = np.random.default_rng(seed)
    if kind == "cnn":
        x = rng.normal(size=(n, 8, 8, 3)).astype("float32")
    elif kind == "rnn":
        x = rng.normal(size=(n, 6, 5)).astype("float32")
    else:
        x = rng.normal(size=(n, 20)).astype("float32")
    if kind == "mlp_binary":
        y = rng.integers(0, 2, (n, 1)).astype("float32")
    elif kind == "mlp_reg":
        y = rng.normal(size=(n, 2)).astype("float32")
    else:
        y = rng.integers(0, 3, n)
    return x, y


def assert_history_close(th, kh, rtol=1e-4, atol=1e-6):
    assert sorted(th) == sorted(kh), (sorted(th), sorted(kh))
    for k in kh:
        np.testing.assert_allclose(np.array(th[k]), np.array(kh[k]), rtol=rtol, atol=atol, err_msg=k)
