"""Preprocessing layers, keras.ops, activations and initializer configs vs real Keras."""

import numpy as np
import pytest

tf_real = pytest.importorskip("tensorflow")
rk = tf_real.keras

import tfjax as tf  # noqa: E402
import tfjax.keras as K  # noqa: E402

rng = np.random.default_rng(0)


def test_deterministic_preprocessing_layers():
    img = rng.uniform(0, 255, (2, 9, 7, 3)).astype("float32")
    for name, kw in [("Rescaling", dict(scale=1 / 127.5, offset=-1)), ("Resizing", dict(height=5, width=4)),
                     ("Resizing", dict(height=4, width=4, interpolation="nearest")),
                     ("Resizing", dict(height=5, width=5, crop_to_aspect_ratio=True)),
                     ("CenterCrop", dict(height=5, width=3))]:
        a = np.asarray(getattr(K.layers, name)(**kw)(img))
        b = np.asarray(getattr(rk.layers, name)(**kw)(img))
        assert a.shape == b.shape, name
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-3, err_msg=f"{name} {kw}")


def test_random_layers_inference_identity_and_training_shapes():
    img = rng.uniform(0, 1, (2, 8, 8, 3)).astype("float32")
    for name, kw in [("RandomFlip", {}), ("RandomRotation", dict(factor=0.2)), ("RandomZoom", dict(height_factor=0.2)),
                     ("RandomTranslation", dict(height_factor=0.1, width_factor=0.1)),
                     ("RandomContrast", dict(factor=0.2)), ("RandomBrightness", dict(factor=0.2, value_range=(0, 1)))]:
        layer = getattr(K.layers, name)(**kw)
        np.testing.assert_array_equal(np.asarray(layer(img, training=False)), img)
        out = layer(img, training=True)
        assert tuple(out.shape) == img.shape
        ref_cfg = getattr(rk.layers, name)(**kw).get_config()
        my_cfg = layer.get_config()
        assert set(ref_cfg) == set(my_cfg), name
    crop = K.layers.RandomCrop(4, 5)
    assert tuple(crop(img, training=True).shape) == (2, 4, 5, 3)


def test_normalization_adapt_matches():
    data = rng.normal(3, 2, (50, 4)).astype("float32")
    a = K.layers.Normalization()
    a.adapt(data)
    b = rk.layers.Normalization()
    b.adapt(data)
    np.testing.assert_allclose(np.asarray(a(data)), np.asarray(b(data)), rtol=1e-4, atol=1e-4)
    assert [w.name for w in a.weights] == [w.name for w in b.weights]
    c = K.layers.Normalization(mean=[1.0, 2.0], variance=[4.0, 9.0])
    d = rk.layers.Normalization(mean=[1.0, 2.0], variance=[4.0, 9.0])
    x = rng.normal(size=(3, 2)).astype("float32")
    np.testing.assert_allclose(np.asarray(c(x)), np.asarray(d(x)), rtol=1e-5)
    inv = K.layers.Normalization(mean=[1.0, 2.0], variance=[4.0, 9.0], invert=True)
    np.testing.assert_allclose(np.asarray(inv(c(x))), x, rtol=1e-5, atol=1e-5)


def test_discretization_and_category_encoding():
    x = np.array([[-1.5, 0.2, 1.0, 3.0]], "float32")
    np.testing.assert_array_equal(np.asarray(K.layers.Discretization(bin_boundaries=[0.0, 1.0, 2.0])(x)),
                                  np.asarray(rk.layers.Discretization(bin_boundaries=[0.0, 1.0, 2.0])(x)))
    ids = np.array([[0, 1], [2, 2]])
    for mode in ("multi_hot", "count", "one_hot"):
        inp = ids if mode != "one_hot" else np.array([0, 3, 1])
        np.testing.assert_array_equal(np.asarray(K.layers.CategoryEncoding(4, output_mode=mode)(inp)),
                                      np.asarray(rk.layers.CategoryEncoding(4, output_mode=mode)(inp)))
    h = K.layers.Hashing(8)(np.array([["a", "b"]]))
    assert tuple(h.shape) == (1, 2) and int(np.asarray(h).max()) < 8


@pytest.mark.parametrize("name", ["relu", "sigmoid", "tanh", "softmax", "elu", "selu", "softplus", "softsign",
                                  "swish", "gelu", "hard_sigmoid", "relu6", "mish", "log_softmax", "linear",
                                  "exponential", "hard_silu", "leaky_relu"])
def test_activations_match(name):
    x = rng.normal(size=(3, 5)).astype("float32") * 3
    a = np.asarray(K.activations.get(name)(x))
    b = np.asarray(rk.activations.get(name)(x))
    np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)
    assert K.activations.serialize(K.activations.get(name)) == rk.activations.serialize(rk.activations.get(name))


def test_ops_match():
    x = rng.normal(size=(2, 3, 4)).astype("float32")
    y = rng.normal(size=(2, 4, 5)).astype("float32")
    pairs = [
        ("matmul", (x, y)), ("sum", (x,)), ("mean", (x,)), ("max", (x,)), ("softmax", (x,)), ("relu", (x,)),
        ("transpose", (x,)), ("reshape", (x, (6, 4))), ("concatenate", ([x, x],)), ("stack", ([x, x],)),
        ("expand_dims", (x, 1)), ("squeeze", (x[:, :1], 1)), ("argmax", (x,)), ("logsumexp", (x,)),
        ("sqrt", (np.abs(x),)), ("square", (x,)), ("exp", (x,)), ("log", (np.abs(x) + 1,)), ("clip", (x, -0.5, 0.5)),
        ("where", (x > 0, x, -x)), ("einsum", ("abc,acd->abd", x, y)), ("one_hot", (np.array([0, 2]), 3)),
        ("tile", (x, (1, 2, 1))), ("pad", (x, ((0, 0), (1, 1), (2, 0)))), ("cumsum", (x,)),
        ("var", (x,)), ("std", (x,)), ("tril", (x[0],)), ("flip", (x, 1)), ("arange", (5,)),
        ("linspace", (0.0, 1.0, 5)), ("ones", ((2, 3),)), ("take", (x, np.array([0, 1]), 1)),
        ("gelu", (x,)), ("silu", (x,)), ("leaky_relu", (x,)), ("split", (x, 2, 2)), ("sort", (x,)),
        ("divide", (x, 2)), ("repeat", (x, 2, 1)), ("moveaxis", (x, 0, -1)), ("norm", (x[0],)),
    ]
    for name, args in pairs:
        a = getattr(K.ops, name)(*args)
        b = getattr(rk.ops, name)(*args)
        if isinstance(b, (list, tuple)):
            for u, v in zip(a, b):
                np.testing.assert_allclose(np.asarray(u), np.asarray(v), rtol=1e-5, atol=1e-5, err_msg=name)
            continue
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-5, atol=1e-5, err_msg=name)
        assert str(np.asarray(a).dtype) == str(np.asarray(b).dtype), name


def test_conv_pool_ops_match():
    x = rng.normal(size=(2, 8, 8, 3)).astype("float32")
    k = rng.normal(size=(3, 3, 3, 4)).astype("float32")
    for pad in ("valid", "same"):
        np.testing.assert_allclose(np.asarray(K.ops.conv(x, k, 2, pad)), np.asarray(rk.ops.conv(x, k, 2, pad)),
                                   rtol=1e-4, atol=1e-4)
        np.testing.assert_allclose(np.asarray(K.ops.max_pool(x, 3, 2, pad)), np.asarray(rk.ops.max_pool(x, 3, 2, pad)))
        np.testing.assert_allclose(np.asarray(K.ops.average_pool(x, 3, 2, pad)),
                                   np.asarray(rk.ops.average_pool(x, 3, 2, pad)), rtol=1e-5, atol=1e-6)


def test_initializer_configs_match():
    for name in ["glorot_uniform", "glorot_normal", "he_normal", "he_uniform", "lecun_normal", "zeros", "ones",
                 "orthogonal", "random_normal", "random_uniform", "truncated_normal", "variance_scaling"]:
        a = K.initializers.serialize(K.initializers.get(name))
        b = rk.initializers.serialize(rk.initializers.get(name))
        assert a == b, name


def test_regularizers_constraints_match():
    w = rng.normal(size=(4, 3)).astype("float32")
    for a, b in [(K.regularizers.L1(0.1), rk.regularizers.L1(0.1)), (K.regularizers.L2(0.2), rk.regularizers.L2(0.2)),
                 (K.regularizers.L1L2(0.1, 0.2), rk.regularizers.L1L2(0.1, 0.2))]:
        np.testing.assert_allclose(float(a(w)), float(b(w)), rtol=1e-5)
        assert a.get_config() == b.get_config()
    for a, b in [(K.constraints.MaxNorm(1.5), rk.constraints.MaxNorm(1.5)), (K.constraints.NonNeg(), rk.constraints.NonNeg()),
                 (K.constraints.UnitNorm(), rk.constraints.UnitNorm()),
                 (K.constraints.MinMaxNorm(0.5, 1.0), rk.constraints.MinMaxNorm(0.5, 1.0))]:
        np.testing.assert_allclose(np.asarray(a(w)), np.asarray(b(w)), rtol=1e-5, atol=1e-6)


def test_time_distributed_and_rnn_states_match():
    x = rng.normal(size=(2, 5, 3)).astype("float32")
    ref = rk.layers.TimeDistributed(rk.layers.Dense(4))
    yr = ref(x)
    mine = K.layers.TimeDistributed(K.layers.Dense(4))
    mine(x)
    mine.set_weights(ref.get_weights())
    np.testing.assert_allclose(np.asarray(mine(x)), np.asarray(yr), rtol=1e-5, atol=1e-6)
    h0 = rng.normal(size=(2, 4)).astype("float32")
    c0 = rng.normal(size=(2, 4)).astype("float32")
    r = rk.layers.LSTM(4, return_state=True, return_sequences=True)
    outs_r = r(x, initial_state=[h0, c0])
    m = K.layers.LSTM(4, return_state=True, return_sequences=True)
    m(x)
    m.set_weights(r.get_weights())
    outs_m = m(x, initial_state=[h0, c0])
    for a, b in zip(outs_m, outs_r):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-4, atol=1e-5)
