"""Sequential, Functional and subclassed models."""

import numpy as np
import pytest

import tfjax as tf
import tfjax.keras as K
from tfjax.keras import layers as L

rng = np.random.default_rng(0)


def x_(*shape):
    return rng.standard_normal(shape).astype("float32")


def test_sequential_add_pop_and_input():
    m = K.Sequential()
    m.add(K.Input((4,)))
    m.add(L.Dense(3))
    assert m.built and m.output_shape == (None, 3)
    m.add(L.Dense(2))
    assert m.output_shape == (None, 2)
    popped = m.pop()
    assert isinstance(popped, L.Dense) and m.output_shape == (None, 3)
    assert len(m.layers) == 1
    assert tuple(m(x_(2, 4)).shape) == (2, 3)


def test_sequential_deferred_build():
    m = K.Sequential([L.Dense(3), L.Dense(1)])
    assert not m.built
    y = m(x_(5, 7))
    assert tuple(y.shape) == (5, 1) and m.built
    assert m.layers[0].kernel.shape == (7, 3)


def test_functional_multi_io_dict_shared_and_skip():
    a = K.Input((4,), name="a")
    b = K.Input((4,), name="b")
    shared = L.Dense(3, name="shared")
    ha, hb = shared(a), shared(b)
    merged = L.Concatenate()([ha, hb])
    skip = L.Add()([ha, hb])
    out1 = L.Dense(1, name="o1")(merged)
    out2 = L.Dense(2, name="o2")(skip)
    m = K.Model(inputs={"a": a, "b": b}, outputs={"o1": out1, "o2": out2})
    xa, xb = x_(2, 4), x_(2, 4)
    y = m({"a": xa, "b": xb})
    assert set(y) == {"o1", "o2"} and tuple(y["o2"].shape) == (2, 2)
    assert m.get_layer("shared") is shared
    assert len(shared._inbound_nodes) == 2
    assert len(m.weights) == 2 + 2 + 2
    m2 = K.Model([a, b], [out1, out2])
    y2 = m2([xa, xb])
    np.testing.assert_allclose(np.asarray(y2[0]), np.asarray(y["o1"]), rtol=1e-6)


def test_feature_extraction_and_nested_models():
    inp = K.Input((8,))
    h = L.Dense(6, name="h1")(inp)
    h = L.Dense(4, name="h2")(h)
    out = L.Dense(2)(h)
    base = K.Model(inp, out)
    feat = K.Model(base.input, base.get_layer("h2").output)
    assert feat.output_shape == (None, 4)
    x = x_(3, 8)
    np.testing.assert_allclose(np.asarray(feat(x)), np.asarray(base.get_layer("h2")(base.get_layer("h1")(x))),
                               rtol=1e-6)
    # nested model used as a layer
    inp2 = K.Input((8,))
    y = base(inp2)
    y = L.Dense(1)(y)
    outer = K.Model(inp2, y)
    assert tuple(outer(x).shape) == (3, 1)
    assert outer.count_params() == base.count_params() + 3


def test_model_ops_on_keras_tensors_and_lambda():
    inp = K.Input((3,))
    y = inp * 2.0 + 1.0
    y = K.ops.relu(y)
    y = L.Lambda(lambda t: t - 1.0)(y)
    m = K.Model(inp, y)
    x = x_(2, 3)
    np.testing.assert_allclose(np.asarray(m(x)), np.maximum(x * 2 + 1, 0) - 1, rtol=1e-6)


def test_graph_disconnected_raises():
    a = K.Input((2,))
    b = K.Input((2,))
    out = L.Add()([a, b])
    with pytest.raises(ValueError):
        K.Model(a, out)


def test_subclassed_model_build_and_multi_output():
    class Classifier(K.Model):
        def __init__(self, n, **kw):
            super().__init__(**kw)
            self.d1 = L.Dense(16, activation="relu")
            self.drop = L.Dropout(0.3)
            self.head = L.Dense(n)

        def call(self, x, training=False):
            return self.head(self.drop(self.d1(x), training=training))

    m = Classifier(3)
    with pytest.warns(UserWarning):
        m.build(input_shape=(None, 10))   # Keras 3: marks built, sublayers build on first call
    assert m.built and m.count_params() == 0
    m(x_(2, 10))
    assert m.count_params() == 10 * 16 + 16 + 16 * 3 + 3
    assert [l.name for l in m.layers][0].startswith("dense")
    lines = []
    m.summary(print_fn=lines.append)
    assert "Total params: 227" in lines[0]


def test_functional_training_flag_and_batchnorm_updates():
    inp = K.Input((3,))
    y = L.BatchNormalization()(inp)
    y = L.Dropout(0.5)(y)
    m = K.Model(inp, y)
    x = x_(16, 3) * 3 + 2
    bn = m.layers[1]
    m(x)
    np.testing.assert_array_equal(bn.moving_mean.numpy(), np.zeros(3))
    m(x, training=True)
    assert not np.allclose(bn.moving_mean.numpy(), 0)


def test_summary_counts_and_print_fn():
    m = K.Sequential([K.Input((28, 28, 1)), L.Conv2D(32, (3, 3), activation="relu"), L.MaxPooling2D((2, 2)),
                      L.Flatten(), L.Dense(10)])
    out = []
    m.summary(print_fn=out.append)
    text = out[0]
    assert "conv2d" in text and "(None, 26, 26, 32)" in text
    assert "Total params: 54,410 (212.54 KB)" in text
    assert text.splitlines()[1].startswith("┏")


def test_keras_tensor_repr_and_history():
    K.backend.clear_session()
    i = K.Input((5,))
    assert repr(i).startswith("<KerasTensor shape=(None, 5), dtype=float32, sparse=False")
    o = L.Dense(2)(i)
    assert o._keras_history.operation.name == "dense"


def test_model_in_tf_function_is_one_program():
    m = K.Sequential([K.Input((4,)), L.Dense(8, activation="relu"), L.LSTM(3) if False else L.Dense(3)])

    @tf.function
    def f(x):
        return m(x)

    x = x_(2, 4)
    f(x)
    f(x)
    assert f.experimental_get_tracing_count() == 1
    np.testing.assert_allclose(np.asarray(f(x)), np.asarray(m(x)), rtol=1e-6)


def test_sequential_config_roundtrip_and_json():
    m = K.Sequential([K.Input((4,)), L.Dense(3, activation="relu"), L.Dense(1)], name="s")
    cfg = m.get_config()
    m2 = K.Sequential.from_config(cfg)
    assert [type(l) for l in m2.layers] == [type(l) for l in m.layers]
    assert m2.count_params() == m.count_params()
    assert '"class_name": "Sequential"' in m.to_json()
