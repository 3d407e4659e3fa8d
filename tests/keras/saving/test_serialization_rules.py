"""Serialization without TensorFlow installed: custom-object lookup everywhere Keras looks, round trips,
and Lambda's safe mode (the dict formats themselves are compared with real Keras in
compat_tests/keras/test_serialization_compat.py)."""

import numpy as np
import pytest

import tfjax as tf
from tfjax._src.keras.saving import serialization_lib

K = tf.keras


@pytest.fixture(autouse=True)
def _safe_mode_restored():
    before = serialization_lib._UNSAFE_GLOBAL[0]
    yield
    serialization_lib._UNSAFE_GLOBAL[0] = before


@K.saving.register_keras_serializable(package="rules")
class Twice(K.layers.Layer):
    def call(self, x):
        return x * 2


@K.saving.register_keras_serializable(package="rules")
def halve(x):
    return x / 2


def test_registered_objects_round_trip_by_registered_name():
    cfg = K.layers.serialize(Twice())
    assert (cfg["class_name"], cfg["registered_name"]) == ("Twice", "rules>Twice")
    assert isinstance(K.layers.deserialize(cfg), Twice)
    dense = K.layers.Dense(2, activation=halve)
    act = K.layers.serialize(dense)["config"]["activation"]
    assert act["config"] == "rules>halve"
    assert K.layers.deserialize(K.layers.serialize(dense)).activation is halve
    assert K.activations.get("rules>halve") is halve


def test_family_lookups_see_scopes_and_arguments():
    class AllOnes(K.initializers.Initializer):
        def __call__(self, shape, dtype=None):
            return tf.ones(shape)

        def get_config(self):
            return {}

    cfg = K.initializers.serialize(AllOnes())
    with pytest.raises(ValueError):
        K.initializers.deserialize(cfg)
    with K.saving.custom_object_scope({"AllOnes": AllOnes}):
        assert isinstance(K.initializers.deserialize(cfg), AllOnes)
        assert isinstance(K.initializers.get("AllOnes"), AllOnes)
    assert isinstance(K.initializers.deserialize(cfg, custom_objects={"AllOnes": AllOnes}), AllOnes)


def test_lambda_layer_safe_mode():
    cfg = K.layers.serialize(K.layers.Lambda(lambda x: x + 1))
    with pytest.raises(ValueError, match="Python lambda"):
        K.layers.deserialize(cfg)
    with pytest.raises(ValueError, match="Python lambda"):
        K.layers.Lambda.from_config(cfg["config"])
    layer = K.layers.Lambda.from_config(cfg["config"], safe_mode=False)
    assert float(layer(tf.constant(1.0))) == 2.0
    assert float(K.saving.deserialize_keras_object(cfg, safe_mode=False)(tf.constant(1.0))) == 2.0
    K.config.enable_unsafe_deserialization()
    assert float(K.layers.deserialize(cfg)(tf.constant(3.0))) == 4.0


def test_lambda_layer_with_named_function_and_output_shape():
    layer = K.layers.Lambda(halve, output_shape=(3,), arguments={})
    cfg = K.layers.serialize(layer)
    assert cfg["config"]["function"]["config"] == "rules>halve"
    back = K.layers.deserialize(cfg)
    assert back.function is halve and back.get_config()["output_shape"] == (3,)
    np.testing.assert_allclose(np.asarray(back(tf.constant([2.0]))), [1.0])
