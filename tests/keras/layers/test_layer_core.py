"""Layer base semantics: building, weights, tracking, training flag, masks, losses, configs, stateless_call."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import tfjax as tf
import tfjax.keras as K
from tfjax.keras import layers as L

rng = np.random.default_rng(0)


def x_(*shape):
    return rng.standard_normal(shape).astype("float32")


def test_dense_lazy_build_names_and_paths():
    d = L.Dense(3, name="d1")
    assert not d.built
    y = d(x_(2, 4))
    assert d.built and tuple(y.shape) == (2, 3)
    assert [w.name for w in d.weights] == ["kernel", "bias"]
    assert [w.path for w in d.weights] == ["d1/kernel", "d1/bias"]
    assert d.count_params() == 15
    assert repr(d) == "<Dense name=d1, built=True>"


def test_input_shape_builds_eagerly_and_counters():
    K.backend.clear_session()
    m = K.Sequential([L.Dense(4, input_shape=(3,)), L.Dense(2)])
    assert m.built
    assert [l.name for l in m.layers] == ["dense", "dense_1"]
    assert [w.path for w in m.weights][0] == "sequential/dense/kernel"
    assert m.count_params() == 3 * 4 + 4 + 4 * 2 + 2


def test_weights_order_and_trainable_freezing():
    bn = L.BatchNormalization()
    bn(x_(4, 3))
    assert [w.name for w in bn.weights] == ["gamma", "beta", "moving_mean", "moving_variance"]
    assert [w.name for w in bn.trainable_weights] == ["gamma", "beta"]
    m = K.Sequential([K.Input((3,)), L.Dense(2), bn])
    m.trainable = False
    assert m.trainable_weights == [] and len(m.non_trainable_weights) == 6
    assert all(not l.trainable for l in m.layers)
    m.trainable = True
    assert len(m.trainable_weights) == 4


def test_get_set_weights_roundtrip_and_errors():
    d = L.Dense(2)
    d(x_(1, 3))
    ws = [np.ones((3, 2), "float32"), np.arange(2, dtype="float32")]
    d.set_weights(ws)
    np.testing.assert_array_equal(d.get_weights()[1], [0, 1])
    with pytest.raises(ValueError):
        d.set_weights(ws[:1])
    with pytest.raises(ValueError):
        d.set_weights([np.ones((2, 2)), ws[1]])


def test_subclass_tracking_lists_dicts_and_variables():
    class Block(L.Layer):
        def __init__(self):
            super().__init__()
            self.seq = [L.Dense(3), L.Dense(2)]
            self.heads = {"a": L.Dense(1)}
            self.scale = tf.Variable(2.0)

        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="w")

        def call(self, x):
            x = x * self.w
            for l in self.seq:
                x = l(x)
            return self.heads["a"](x) * self.scale

    b = Block()
    y = b(x_(2, 4))
    assert tuple(y.shape) == (2, 1)
    names = [w.name for w in b.weights]
    assert "w" in names
    assert len(b.trainable_weights) == 2 + 2 * 3
    b.seq.append(L.Dense(5))
    assert len(b._layers) == 4


def test_training_flag_propagates_to_nested_dropout():
    class M(K.Model):
        def __init__(self):
            super().__init__()
            self.d = L.Dropout(0.5)

        def call(self, x):
            return self.d(x)

    m = M()
    x = np.ones((4, 100), "float32")
    np.testing.assert_array_equal(np.asarray(m(x)), x)
    y = np.asarray(m(x, training=True))
    assert set(np.unique(y)).issubset({0.0, 2.0}) and (y == 0).any()


def test_masking_propagates_embedding_to_lstm_and_pooling():
    emb = L.Embedding(10, 3, mask_zero=True)
    x = np.array([[1, 2, 0, 0], [3, 0, 0, 0]])
    e = emb(x)
    m = emb.compute_mask(x)
    np.testing.assert_array_equal(np.asarray(m), x != 0)
    lstm = L.LSTM(2)
    out_masked = np.asarray(lstm(e))
    out_first = np.asarray(lstm(e[:, :2]))
    np.testing.assert_allclose(out_masked[0], out_first[0], rtol=1e-5, atol=1e-6)
    gap = L.GlobalAveragePooling1D()
    emb2 = np.asarray(e)
    np.testing.assert_allclose(np.asarray(gap(e))[1], emb2[1, 0], rtol=1e-6)
    masked = L.Masking(0.0)(np.array([[[1.0], [0.0]]], "float32"))
    assert tuple(masked.shape) == (1, 2, 1)


def test_losses_activity_and_weight_regularizers():
    d = L.Dense(2, kernel_regularizer="l2", activity_regularizer=K.regularizers.L1(0.1))
    d(x_(3, 2))
    assert len(d.losses) == 2
    m = K.Sequential([K.Input((2,)), d])
    m(x_(3, 2))
    assert len(m.losses) == 2

    class AL(L.Layer):
        def call(self, x):
            self.add_loss(tf.reduce_sum(x))
            return x

    a = AL()
    a(np.ones((2, 2), "float32"))
    a(np.ones((2, 2), "float32"))
    assert len(a.losses) == 1 and float(a.losses[0]) == 4.0


def test_constraints_and_initializers():
    d = L.Dense(3, kernel_initializer="ones", bias_initializer=K.initializers.Constant(2.0),
                kernel_constraint=K.constraints.NonNeg())
    y = d(np.ones((1, 2), "float32"))
    np.testing.assert_allclose(np.asarray(y), [[4.0, 4.0, 4.0]])
    assert d.kernel.constraint is not None
    g = K.initializers.GlorotUniform(seed=1)
    np.testing.assert_array_equal(np.asarray(g((3, 4))), np.asarray(g((3, 4))))
    lim = np.sqrt(6 / 7)
    assert np.abs(np.asarray(g((3, 4)))).max() <= lim
    o = np.asarray(K.initializers.Orthogonal(seed=0)((4, 4)))
    np.testing.assert_allclose(o @ o.T, np.eye(4), atol=1e-5)


def test_config_roundtrip():
    for layer in [L.Dense(3, activation="relu"), L.Conv2D(2, 3, strides=2), L.LSTM(4, return_sequences=True),
                  L.Dropout(0.2), L.BatchNormalization(momentum=0.9), L.Embedding(5, 2, mask_zero=True),
                  L.MultiHeadAttention(2, 4)]:
        cfg = layer.get_config()
        new = type(layer).from_config(cfg)
        c2 = new.get_config()
        cfg.pop("name")
        c2.pop("name")
        assert cfg == c2
    s = L.serialize(L.Dense(2))
    assert s["class_name"] == "Dense" and s["module"] == "keras.layers"
    assert isinstance(L.deserialize(s), L.Dense)


def test_compute_output_shape_and_spec():
    assert L.Dense(4).compute_output_shape((None, 3)) == (None, 4)
    assert L.Conv2D(2, 3, padding="valid").compute_output_shape((None, 8, 8, 1)) == (None, 6, 6, 2)
    assert L.Flatten().compute_output_shape((None, 2, 3)) == (None, 6)
    kt = L.Dense(4)(K.Input((3,)))
    assert kt.shape == (None, 4) and kt.dtype == "float32"


def test_gradient_tape_and_tf_function_single_trace():
    m = K.Sequential([K.Input((3,)), L.Dense(4, activation="relu"), L.BatchNormalization(), L.Dense(1)])
    x = x_(8, 3)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(m(x, training=True))
    g = tape.gradient(loss, m.trainable_variables)
    assert len(g) == 6 and all(gi is not None for gi in g)
    mm_before = m.layers[1].moving_mean.numpy().copy()

    @tf.function
    def step(x):
        return m(x, training=True)

    step(x)
    step(x)
    assert step.experimental_get_tracing_count() == 1
    assert not np.allclose(m.layers[1].moving_mean.numpy(), mm_before)


def test_stateless_call_jit_and_grad():
    m = K.Sequential([K.Input((3,)), L.Dense(4), L.BatchNormalization(), L.Dense(1)])
    tv = [v.value for v in m.trainable_variables]
    ntv = [v.value for v in m.non_trainable_variables]
    x = x_(5, 3)
    before = [np.asarray(v) for v in m.non_trainable_variables]

    def loss_fn(tv_raw, ntv_raw, x):
        out, new_ntv = m.stateless_call([tf.experimental.to_jax(t) if False else t for t in tv_raw], ntv_raw, x,
                                        training=True)
        return jnp.sum(tf.experimental.to_jax(out) if False else out._value), [t._value for t in new_ntv]

    raw_tv = [t._value for t in tv]
    raw_ntv = [t._value for t in ntv]
    (val, new_ntv), grads = jax.jit(jax.value_and_grad(loss_fn, has_aux=True))(raw_tv, raw_ntv, x)
    assert len(grads) == 6 and np.isfinite(float(val))
    # the layer's own state is untouched; new state comes back
    for b, v in zip(before, m.non_trainable_variables):
        np.testing.assert_array_equal(b, np.asarray(v))
    assert not np.allclose(np.asarray(new_ntv[0]), before[0])
    out, _ = m.stateless_call(tv, ntv, x)
    np.testing.assert_allclose(np.asarray(out), np.asarray(m(x)), rtol=1e-6)


def test_mixed_precision_policy():
    d = L.Dense(2, dtype="mixed_float16")
    y = d(x_(2, 3))
    assert d.kernel.dtype.name == "float32" and y.dtype.name == "float16"
    assert d.compute_dtype == "float16" and d.variable_dtype == "float32"


def test_numpy_and_list_inputs_and_int_casts():
    y = L.Dense(2)(np.ones((1, 3)))  # float64 numpy -> float32 compute
    assert y.dtype.name == "float32"
