"""keras.ops on tapes/KerasTensors, keras.random seeding, keras.backend helpers."""

import numpy as np
import pytest

import tfjax as tf
import tfjax.keras as K


def test_ops_are_recorded_by_gradient_tape():
    x = tf.Variable(np.array([1.0, 2.0, 3.0], "float32"))
    with tf.GradientTape() as tape:
        y = K.ops.sum(K.ops.square(K.ops.multiply(x, 2.0)))
    np.testing.assert_allclose(np.asarray(tape.gradient(y, x)), 8 * np.array([1.0, 2.0, 3.0]))


def test_ops_dtypes_follow_keras():
    assert K.ops.arange(3).dtype.name == "int32"
    assert K.ops.ones((2,)).dtype.name == "float32"
    assert K.ops.mean(np.array([1, 2], "int32")).dtype.name == "float32"
    assert K.ops.add(np.ones(2, "float32"), 1).dtype.name == "float32"
    assert K.ops.convert_to_tensor([1.0, 2.0]).dtype.name == "float32"
    assert K.ops.shape(K.Input((3,))) == (None, 3)


def test_ops_on_keras_tensors_build_nodes():
    i = K.Input((4,))
    y = K.ops.concatenate([i, i * 2], axis=-1)
    assert y.shape == (None, 8)
    assert y._keras_history is not None
    z = i[:, :2]
    assert z.shape == (None, 2)


def test_random_seeding_semantics():
    a = K.random.normal((3,), seed=1)
    b = K.random.normal((3,), seed=1)
    np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    sg = K.random.SeedGenerator(42)
    c = K.random.uniform((3,), seed=sg)
    d = K.random.uniform((3,), seed=sg)
    assert not np.allclose(np.asarray(c), np.asarray(d))
    sg2 = K.random.SeedGenerator(42)
    np.testing.assert_array_equal(np.asarray(K.random.uniform((3,), seed=sg2)), np.asarray(c))
    assert sg.state.path == "seed_generator/seed_generator_state" or sg.state.name == "seed_generator_state"


def test_dropout_in_tf_function_draws_fresh_masks():
    layer = K.layers.Dropout(0.5, seed=3)
    x = tf.ones((4, 64))

    @tf.function
    def f(x):
        return layer(x, training=True)

    a, b = np.asarray(f(x)), np.asarray(f(x))
    assert not np.array_equal(a, b)
    assert f.experimental_get_tracing_count() == 1


def test_backend_helpers():
    B = K.backend
    assert B.floatx() == "float32" and B.epsilon() == 1e-7 and B.image_data_format() == "channels_last"
    assert B.int_shape(tf.zeros((2, 3))) == (2, 3)
    assert B.is_keras_tensor(K.Input((2,)))
    B.clear_session()
    assert K.layers.Dense(1).name == "dense"
    assert K.layers.Dense(1).name == "dense_1"


def test_activations_get_serialize():
    assert K.activations.get("relu") is K.activations.relu
    assert K.activations.serialize(K.activations.swish) == "silu"
    with pytest.raises(ValueError):
        K.activations.get("nope")
    np.testing.assert_allclose(np.asarray(K.activations.relu(np.array([-1.0, 2.0, 7.0], "float32"), max_value=6.0)),
                               [0, 2, 6])
