"""Differential tests: real Keras 3 layer vs tfjax layer with copied weights -> same outputs,
same weight names/shapes/order and param counts."""

import numpy as np
import pytest

tf_real = pytest.importorskip("tensorflow")
rk = tf_real.keras

import tfjax.keras as K  # noqa: E402

rng = np.random.default_rng(0)

CASES = [
    ("Dense", dict(units=5, activation="relu"), (3, 7)),
    ("Dense", dict(units=4), (2, 3, 6)),
    ("EinsumDense", dict(equation="abc,cd->abd", output_shape=(None, 4), bias_axes="d"), (2, 3, 5)),
    ("Conv1D", dict(filters=4, kernel_size=3, padding="causal"), (2, 9, 3)),
    ("Conv2D", dict(filters=4, kernel_size=3, strides=2, padding="same", activation="relu"), (2, 9, 9, 3)),
    ("Conv2D", dict(filters=6, kernel_size=(3, 2), dilation_rate=2, groups=3), (2, 10, 10, 3)),
    ("Conv3D", dict(filters=2, kernel_size=2), (1, 5, 5, 5, 2)),
    ("Conv1DTranspose", dict(filters=3, kernel_size=3, strides=2), (2, 5, 4)),
    ("Conv2DTranspose", dict(filters=3, kernel_size=3, strides=2, padding="same"), (2, 5, 5, 4)),
    ("Conv2DTranspose", dict(filters=2, kernel_size=4, strides=3, padding="valid", output_padding=1), (1, 4, 4, 2)),
    ("DepthwiseConv2D", dict(kernel_size=3, depth_multiplier=2, padding="same"), (2, 6, 6, 3)),
    ("SeparableConv2D", dict(filters=5, kernel_size=3, depth_multiplier=2), (2, 7, 7, 3)),
    ("SeparableConv1D", dict(filters=5, kernel_size=3), (2, 7, 3)),
    ("MaxPooling2D", dict(pool_size=3, strides=2, padding="same"), (2, 7, 7, 3)),
    ("AveragePooling2D", dict(pool_size=3, strides=2, padding="same"), (2, 7, 7, 3)),
    ("AveragePooling1D", dict(pool_size=2), (2, 7, 3)),
    ("MaxPooling3D", dict(pool_size=2), (1, 4, 4, 4, 2)),
    ("GlobalAveragePooling2D", dict(), (2, 5, 5, 3)),
    ("GlobalMaxPooling1D", dict(keepdims=True), (2, 5, 3)),
    ("BatchNormalization", dict(), (4, 6)),
    ("LayerNormalization", dict(epsilon=1e-6), (2, 5, 6)),
    ("GroupNormalization", dict(groups=2), (2, 5, 4)),
    ("UnitNormalization", dict(), (2, 5)),
    ("Flatten", dict(), (2, 3, 4)),
    ("Reshape", dict(target_shape=(6, -1)), (2, 3, 4)),
    ("Permute", dict(dims=(2, 1)), (2, 3, 4)),
    ("RepeatVector", dict(n=3), (2, 4)),
    ("Cropping2D", dict(cropping=((1, 2), (0, 1))), (2, 6, 6, 3)),
    ("ZeroPadding2D", dict(padding=(1, 2)), (2, 3, 3, 2)),
    ("UpSampling2D", dict(size=(2, 3)), (2, 3, 3, 2)),
    ("UpSampling1D", dict(size=2), (2, 3, 2)),
    ("Cropping1D", dict(cropping=(1, 1)), (2, 5, 2)),
    ("ZeroPadding3D", dict(padding=1), (1, 2, 2, 2, 1)),
    ("SimpleRNN", dict(units=4, return_sequences=True), (2, 5, 3)),
    ("LSTM", dict(units=4), (2, 5, 3)),
    ("LSTM", dict(units=3, return_sequences=True, go_backwards=True), (2, 6, 3)),
    ("GRU", dict(units=4, return_sequences=True), (2, 5, 3)),
    ("GRU", dict(units=4, reset_after=False), (2, 5, 3)),
    ("Activation", dict(activation="gelu"), (2, 5)),
    ("ReLU", dict(max_value=1.0, negative_slope=0.1, threshold=0.2), (2, 5)),
    ("LeakyReLU", dict(negative_slope=0.2), (2, 5)),
    ("ELU", dict(alpha=0.5), (2, 5)),
    ("Softmax", dict(axis=-1), (2, 5)),
    ("PReLU", dict(alpha_initializer="random_uniform"), (2, 5)),
    ("Embedding", dict(input_dim=10, output_dim=3), None),
    ("Conv3DTranspose", dict(filters=2, kernel_size=2, strides=2), (1, 3, 3, 3, 2)),
    ("DepthwiseConv1D", dict(kernel_size=3, depth_multiplier=2), (2, 7, 3)),
    ("Conv2D", dict(filters=4, kernel_size=3, data_format="channels_first", padding="same"), (2, 3, 6, 6)),
    ("MaxPooling2D", dict(pool_size=2, data_format="channels_first"), (2, 3, 6, 6)),
    ("GlobalAveragePooling2D", dict(data_format="channels_first"), (2, 3, 4, 4)),
    ("BatchNormalization", dict(axis=1), (4, 3, 5)),
    ("LayerNormalization", dict(axis=[1, 2], rms_scaling=True), (2, 3, 4)),
    ("SimpleRNN", dict(units=3, activation="relu", go_backwards=True), (2, 4, 3)),
    ("SpatialDropout2D", dict(rate=0.5), (2, 4, 4, 3)),
    ("GaussianNoise", dict(stddev=0.5), (2, 5)),
    ("GaussianDropout", dict(rate=0.3), (2, 5)),
    ("AlphaDropout", dict(rate=0.3), (2, 5)),
    ("ActivityRegularization", dict(l1=0.1), (2, 5)),
    ("Identity", dict(), (2, 5)),
    ("Masking", dict(mask_value=0.0), (2, 3, 4)),
]


def _input(shape):
    return rng.standard_normal(shape).astype("float32")


@pytest.mark.parametrize("name,kwargs,shape", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_layer_matches_keras(name, kwargs, shape):
    if shape is None:
        x = rng.integers(0, 10, (2, 4)).astype("int32")
    else:
        x = _input(shape)
    ref = getattr(rk.layers, name)(**kwargs)
    y_ref = np.asarray(ref(x))
    mine = getattr(K.layers, name)(**kwargs)
    mine(x)  # build
    assert [w.name for w in mine.weights] == [w.name for w in ref.weights]
    assert [tuple(w.shape) for w in mine.weights] == [tuple(w.shape) for w in ref.weights]
    assert mine.count_params() == ref.count_params()
    rw = ref.get_weights()
    if name == "BatchNormalization":
        rw = [w + rng.uniform(0.1, 0.5, w.shape).astype("float32") for w in rw]
        ref.set_weights(rw)
        y_ref = np.asarray(ref(x))
    mine.set_weights(rw)
    y = np.asarray(mine(x))
    assert y.shape == y_ref.shape
    np.testing.assert_allclose(y, y_ref, rtol=1e-4, atol=1e-4)
    if hasattr(ref, "compute_output_shape") and name not in ("Embedding",):
        try:
            exp = ref.compute_output_shape((None,) + tuple(x.shape[1:]))
        except Exception:  # noqa: BLE001
            return
        got = mine.compute_output_shape((None,) + tuple(x.shape[1:]))
        assert tuple(got) == tuple(exp)


def test_batchnorm_training_updates_match():
    x = _input((8, 5))
    ref = rk.layers.BatchNormalization(momentum=0.9)
    mine = K.layers.BatchNormalization(momentum=0.9)
    y_ref = np.asarray(ref(x, training=True))
    y = np.asarray(mine(x, training=True))
    np.testing.assert_allclose(y, y_ref, rtol=1e-4, atol=1e-4)
    for a, b in zip(mine.get_weights(), ref.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_bidirectional_lstm_with_mask_matches():
    x = rng.integers(1, 20, (3, 7)).astype("int32")
    x[0, 4:] = 0
    x[1, 2:] = 0

    def build(L, M):
        return M([L.Input((7,), dtype="int32"), L.Embedding(20, 4, mask_zero=True),
                  L.Bidirectional(L.LSTM(5, return_sequences=True)), L.Bidirectional(L.GRU(3)), L.Dense(2)])
    ref = build(rk.layers, rk.Sequential)
    mine = build(K.layers, K.Sequential)
    assert [w.path.split("/", 1)[1] for w in mine.weights] == [w.path.split("/", 1)[1] for w in ref.weights]
    mine.set_weights(ref.get_weights())
    np.testing.assert_allclose(np.asarray(mine(x)), np.asarray(ref(x)), rtol=1e-4, atol=1e-5)


def test_multi_head_attention_matches():
    q = _input((2, 4, 8))
    v = _input((2, 6, 8))
    mask = rng.integers(0, 2, (2, 4, 6)).astype(bool)
    mask[:, :, 0] = True
    ref = rk.layers.MultiHeadAttention(num_heads=2, key_dim=3, value_dim=5)
    y_ref, s_ref = ref(q, v, attention_mask=mask, return_attention_scores=True)
    mine = K.layers.MultiHeadAttention(num_heads=2, key_dim=3, value_dim=5)
    mine(q, v)
    assert [tuple(w.shape) for w in mine.weights] == [tuple(w.shape) for w in ref.weights]
    assert [w.path.split("/", 1)[1] for w in mine.weights] == [w.path.split("/", 1)[1] for w in ref.weights]
    mine.set_weights(ref.get_weights())
    y, s = mine(q, v, attention_mask=mask, return_attention_scores=True)
    np.testing.assert_allclose(np.asarray(y), np.asarray(y_ref), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(np.asarray(s), np.asarray(s_ref), rtol=1e-4, atol=1e-5)
    y2 = mine(q, q, use_causal_mask=True)
    y2_ref = ref(q, q, use_causal_mask=True)
    np.testing.assert_allclose(np.asarray(y2), np.asarray(y2_ref), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("causal", [False, True])
def test_multi_head_attention_sliding_window_matches(causal):
    q = _input((2, 6, 8))
    v = _input((2, 5, 8))
    ref = rk.layers.MultiHeadAttention(2, 3, None, 0.0, True, None, None, 2)   # positional sliding_window
    mine = K.layers.MultiHeadAttention(2, 3, None, 0.0, True, None, None, 2)
    assert mine.get_config()["sliding_window"] == ref.get_config()["sliding_window"] == 2
    ref(q, v)
    mine(q, v)
    mine.set_weights(ref.get_weights())
    kv = q if causal else v
    y_ref, s_ref = ref(q, kv, use_causal_mask=causal, return_attention_scores=True)
    y, s = mine(q, kv, use_causal_mask=causal, return_attention_scores=True)
    np.testing.assert_allclose(np.asarray(s), np.asarray(s_ref), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(np.asarray(y), np.asarray(y_ref), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("name", ["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate"])
def test_merge_layers(name):
    a, b = _input((2, 4)), _input((2, 4))
    np.testing.assert_allclose(np.asarray(getattr(K.layers, name)()([a, b])),
                               np.asarray(getattr(rk.layers, name)()([a, b])), rtol=1e-6)


def test_dot_and_attention_layers():
    a, b = _input((2, 3, 4)), _input((2, 5, 4))
    np.testing.assert_allclose(np.asarray(K.layers.Dot(axes=(2, 2))([a, b])),
                               np.asarray(rk.layers.Dot(axes=(2, 2))([a, b])), rtol=1e-5, atol=1e-6)
    for cls, kw in (("Attention", {}), ("Attention", {"use_scale": True}), ("AdditiveAttention", {})):
        ref = getattr(rk.layers, cls)(**kw)
        y_ref = ref([a, b])
        mine = getattr(K.layers, cls)(**kw)
        mine([a, b])
        mine.set_weights(ref.get_weights())
        np.testing.assert_allclose(np.asarray(mine([a, b])), np.asarray(y_ref), rtol=1e-4, atol=1e-5)


def test_configs_match_keras():
    L, R = K.layers, rk.layers
    for name, kw in [("Dense", dict(units=3)), ("Conv2D", dict(filters=4, kernel_size=3)), ("Dropout", dict(rate=0.5)),
                     ("BatchNormalization", {}), ("LayerNormalization", {}), ("MaxPooling2D", {}), ("Flatten", {}),
                     ("Embedding", dict(input_dim=5, output_dim=2)), ("LSTM", dict(units=3)),
                     ("MultiHeadAttention", dict(num_heads=2, key_dim=4)), ("Activation", dict(activation="relu")),
                     ("GlobalAveragePooling2D", {}), ("Add", {}), ("Concatenate", {}), ("GRU", dict(units=2)),
                     ("Conv2DTranspose", dict(filters=2, kernel_size=2)), ("DepthwiseConv2D", dict(kernel_size=3))]:
        a = getattr(L, name)(**kw).get_config()
        b = getattr(R, name)(**kw).get_config()
        a.pop("name")
        b.pop("name")
        assert a == b, name


def test_functional_summary_matches_keras_text():
    def build(keras):
        L = keras.layers
        keras.backend.clear_session()
        inputs = keras.Input(shape=(32, 32, 3), name="image")
        x = L.Conv2D(8, 3, padding="same", activation="relu")(inputs)
        r = x
        x = L.Conv2D(8, 3, padding="same")(x)
        x = L.BatchNormalization()(x)
        x = L.Add()([x, r])
        x = L.GlobalAveragePooling2D()(x)
        meta = keras.Input(shape=(4,), name="meta")
        x = L.Concatenate()([x, meta])
        out = L.Dense(2, name="logits")(x)
        m = keras.Model([inputs, meta], out, name="net")
        lines = []
        m.summary(print_fn=lambda s, **k: lines.append(s), show_trainable=True)
        seq = keras.Sequential([keras.Input((8,)), L.Dense(4), L.Dropout(0.1), L.Dense(1)], name="seq")
        seq.summary(print_fn=lambda s, **k: lines.append(s), line_length=70)
        outer = keras.Sequential([keras.Input((8,)), seq, L.Dense(3)], name="outer")
        outer.summary(print_fn=lambda s, **k: lines.append(s), expand_nested=True)
        return "\n".join(lines)
    assert build(K) == build(rk)


def test_subclassed_summary_matches_keras_text():
    import warnings

    def build(keras):
        L = keras.layers
        keras.backend.clear_session()

        class Classifier(keras.Model):
            def __init__(self, n, **kw):
                super().__init__(**kw)
                self.d1 = L.Dense(16, activation="relu")
                self.drop = L.Dropout(0.3)
                self.head = L.Dense(n)

            def call(self, x, training=False):
                return self.head(self.drop(self.d1(x), training=training))

        m = Classifier(3)
        lines = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            m.build(input_shape=(None, 10))
        m.summary(print_fn=lambda s, **k: lines.append(s))
        m(np.ones((2, 10), "float32"))
        m.summary(print_fn=lambda s, **k: lines.append(s))
        return "\n".join(lines)
    assert build(K) == build(rk)


def test_stateful_rnn_and_random_layers_training():
    x = _input((2, 3, 4))
    ref = rk.layers.GRU(3, stateful=True)
    mine = K.layers.GRU(3, stateful=True)
    ref(x)
    mine(x)
    mine.set_weights(ref.get_weights())
    mine.reset_states()
    ref.reset_states()
    for _ in range(2):
        np.testing.assert_allclose(np.asarray(mine(x)), np.asarray(ref(x)), rtol=1e-4, atol=1e-5)
    mine.reset_states()
    ref.reset_states()
    np.testing.assert_allclose(np.asarray(mine(x)), np.asarray(ref(x)), rtol=1e-4, atol=1e-5)
    for name, kw in [("SpatialDropout1D", dict(rate=0.5)), ("GaussianNoise", dict(stddev=1.0)),
                     ("GaussianDropout", dict(rate=0.5)), ("AlphaDropout", dict(rate=0.5)), ("Dropout", dict(rate=0.5))]:
        layer = getattr(K.layers, name)(**kw)
        y1 = np.asarray(layer(x, training=True))
        y2 = np.asarray(layer(x, training=True))
        assert y1.shape == x.shape and not np.allclose(y1, y2), name
