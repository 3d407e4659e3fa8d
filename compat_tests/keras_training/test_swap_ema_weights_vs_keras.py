"""keras.callbacks.SwapEMAWeights (evaluate with the EMA weights; swap_on_epoch) and Lamb's config against
real Keras."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

import tfjax as tf  # noqa: E402
from compat_tests.keras_training._fitdiff import build_pair, data  # noqa: E402


def _compile(km, tm):
    km.compile(optimizer=keras.optimizers.SGD(0.1, use_ema=True, ema_momentum=0.8),
               loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    tm.compile(optimizer=tf.keras.optimizers.SGD(0.1, use_ema=True, ema_momentum=0.8),
               loss="sparse_categorical_crossentropy", metrics=["accuracy"])


@pytest.mark.parametrize("swap_on_epoch", [False, True])
def test_swap_ema_weights_fit_matches_keras(swap_on_epoch):
    km, tm = build_pair("mlp")
    _compile(km, tm)
    x, y = data("mlp", n=64)
    kh = km.fit(x, y, batch_size=16, epochs=3, validation_data=(x[:32], y[:32]), verbose=0, shuffle=False,
                callbacks=[keras.callbacks.SwapEMAWeights(swap_on_epoch=swap_on_epoch)]).history
    th = tm.fit(x, y, batch_size=16, epochs=3, validation_data=(x[:32], y[:32]), verbose=0, shuffle=False,
                callbacks=[tf.keras.callbacks.SwapEMAWeights(swap_on_epoch=swap_on_epoch)]).history
    for k in kh:
        np.testing.assert_allclose(th[k], kh[k], rtol=1e-4, atol=1e-6, err_msg=k)
    for a, b in zip(tm.get_weights(), km.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)
    ke = km.evaluate(x, y, verbose=0, callbacks=[keras.callbacks.SwapEMAWeights()])
    te = tm.evaluate(x, y, verbose=0, callbacks=[tf.keras.callbacks.SwapEMAWeights()])
    np.testing.assert_allclose(te, ke, rtol=1e-4, atol=1e-6)


def test_swap_ema_weights_needs_ema():
    km, tm = build_pair("mlp")
    tm.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    x, y = data("mlp", n=16)
    tm.fit(x, y, epochs=1, verbose=0)
    with pytest.raises(ValueError, match="use_ema=True"):
        tm.evaluate(x, y, verbose=0, callbacks=[tf.keras.callbacks.SwapEMAWeights()])


def test_lamb_config_matches_keras():
    k = keras.optimizers.Lamb(0.02, beta_1=0.8, epsilon=1e-6, weight_decay=0.01)
    t = tf.keras.optimizers.Lamb(0.02, beta_1=0.8, epsilon=1e-6, weight_decay=0.01)
    kc, tc = k.get_config(), t.get_config()
    kc.pop("name"), tc.pop("name")
    assert tc == kc
    assert type(tf.keras.optimizers.get("lamb")).__name__ == "Lamb"
    again = tf.keras.optimizers.deserialize(tf.keras.optimizers.serialize(t))
    assert type(again).__name__ == "Lamb" and again.get_config() == t.get_config()
