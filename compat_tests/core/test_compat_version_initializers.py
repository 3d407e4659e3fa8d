"""tf.version, tf.compat, tf.initializers and the TF2 core initializers (tf.*_initializer) against real TF."""

from __future__ import annotations

import os
import pathlib
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from _tfdiff import check  # noqa: E402

CASES = {
    "version": lambda tf: [tf.version.VERSION, type(tf.version.GIT_VERSION).__name__,
                           type(tf.version.COMPILER_VERSION).__name__, tf.version.GRAPH_DEF_VERSION,
                           tf.version.GRAPH_DEF_VERSION_MIN_CONSUMER, tf.version.GRAPH_DEF_VERSION_MIN_PRODUCER],
    "as_bytes": lambda tf: [tf.compat.as_bytes("héllo"), tf.compat.as_bytes(b"x"), tf.compat.as_bytes(bytearray(b"y")),
                            tf.compat.as_bytes("é", "latin-1")],
    "as_bytes_err": lambda tf: tf.compat.as_bytes(3),
    "as_text": lambda tf: [tf.compat.as_text(b"h\xc3\xa9"), tf.compat.as_text("x"), tf.compat.as_str(b"a"),
                           tf.compat.as_str_any(b"b"), tf.compat.as_str_any(3.5)],
    "as_text_err": lambda tf: tf.compat.as_text(None),
    "bad_encoding": lambda tf: tf.compat.as_bytes("x", "no-such-codec"),
    "path_to_str": lambda tf: [tf.compat.path_to_str(pathlib.Path("./a/../b")), tf.compat.path_to_str("./x"),
                               tf.compat.path_to_str(3)],
    "dimension_value": lambda tf: [tf.compat.dimension_value(tf.TensorShape([3, None])[0]),
                                   tf.compat.dimension_value(tf.TensorShape([3, None])[1]),
                                   tf.compat.dimension_value(4), tf.compat.dimension_value(None)],
    "dimension_at_index": lambda tf: [tf.compat.dimension_at_index(tf.TensorShape([3, None]), 0).value,
                                      tf.compat.dimension_at_index(tf.TensorShape([3, None]), 1).value,
                                      tf.compat.dimension_at_index(tf.TensorShape(None), 5).value],
    "forward_compatible": lambda tf: [tf.compat.forward_compatible(2020, 1, 1), tf.compat.forward_compatible(2040, 1, 1)],
    "forward_horizon": lambda tf: (lambda cm: [cm.__enter__(), tf.compat.forward_compatible(2040, 1, 1),
                                               cm.__exit__(None, None, None), tf.compat.forward_compatible(2040, 1, 1)])(
        tf.compat.forward_compatibility_horizon(2041, 1, 1))[1:],
    "type_tuples": lambda tf: [isinstance(np.int8(1), tf.compat.integral_types), isinstance(2.5, tf.compat.real_types),
                               isinstance(np.float32(1), tf.compat.real_types), isinstance(1j, tf.compat.complex_types),
                               isinstance("s", tf.compat.bytes_or_text_types), isinstance(True, tf.compat.integral_types),
                               len(tf.compat.bytes_or_text_types)],
    "v2_names": lambda tf: [tf.compat.v2.matmul is tf.matmul, tf.compat.v2.version.VERSION],
    "v1_shared": lambda tf: [tf.compat.v1.matmul is tf.matmul, tf.compat.v1.GradientTape is tf.GradientTape,
                             tf.compat.v1.executing_eagerly()],
    # core TF2 initializers
    "constant_init": lambda tf: [tf.constant_initializer([1, 2, 3])([3]), tf.constant_initializer(2)([2, 2], tf.int64),
                                 tf.constant_initializer(0.5)([2], "float64")],
    "constant_init_config": lambda tf: [tf.constant_initializer(3).get_config(),
                                        tf.constant_initializer.from_config({"value": 4})([1])],
    "constant_init_err_type": lambda tf: tf.constant_initializer({"a": 1}),
    "constant_init_err_partition": lambda tf: tf.constant_initializer(1)([2], partition_shape=[1]),
    "constant_init_err_kwarg": lambda tf: tf.constant_initializer(1)([2], bogus=1),
    "constant_init_err_size": lambda tf: tf.constant_initializer([1, 2])([3]),
    "zeros_ones": lambda tf: [tf.zeros_initializer()([2, 3]), tf.ones_initializer()([2], tf.int32),
                              tf.ones_initializer()([2], tf.bool), tf.zeros_initializer().get_config(),
                              tf.ones_initializer()([4, 4], partition_shape=[2, 2], partition_offset=[0, 0])],
    "zeros_err_string": lambda tf: tf.zeros_initializer()([2], tf.string),
    "random_normal_shape_config": lambda tf: (lambda i: [i([3, 4]).shape.as_list(), i([2], tf.float64).dtype.name,
                                                         i.get_config()])(tf.random_normal_initializer(1.0, 2.0, seed=3)),
    "random_normal_err_int": lambda tf: tf.random_normal_initializer()([2], tf.int32),
    "random_normal_stats": lambda tf: (lambda x: [bool(abs(float(tf.reduce_mean(x)) - 1.0) < 0.1),
                                                  bool(abs(float(tf.math.reduce_std(x)) - 2.0) < 0.1)])(
        tf.random_normal_initializer(1.0, 2.0)([20000])),
    "random_uniform": lambda tf: (lambda x: [x.shape.as_list(), x.dtype.name, bool(tf.reduce_all(x >= -1.0)),
                                             bool(tf.reduce_all(x < 1.0))])(tf.random_uniform_initializer(-1.0, 1.0)([50])),
    "random_uniform_int": lambda tf: (lambda x: [x.dtype.name, bool(tf.reduce_all((x >= 0) & (x < 5)))])(
        tf.random_uniform_initializer(0, 5)([100], tf.int32)),
    "random_uniform_config": lambda tf: tf.random_uniform_initializer.from_config(
        tf.random_uniform_initializer(0.0, 2.0, seed=1).get_config()).get_config(),
    "random_uniform_err_bool": lambda tf: tf.random_uniform_initializer()([2], tf.bool),
    "variable_from_initializer": lambda tf: tf.Variable(tf.constant_initializer(2.0)([2, 2])) * 2,
    # tf.initializers is Keras' initializers module in TF 2.21
    "initializers_namespace": lambda tf: [tf.initializers.Zeros()([2]), tf.initializers.Constant(3.0)([2]),
                                          tf.initializers.get("ones")([2]), tf.initializers.serialize(
                                              tf.initializers.Constant(1.0))["class_name"],
                                          type(tf.initializers.GlorotUniform(seed=1)([4, 4])).__name__ != "",
                                          tf.initializers.Identity()([2, 2])],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_namespace(name):
    check(CASES[name])


def test_v1_unsupported_names():
    import tfjax
    from tfjax._src.errors import UnsupportedError
    with pytest.raises(UnsupportedError, match="tf.compat.v1.Session"):
        tfjax.compat.v1.Session
    assert not hasattr(tfjax.compat.v1, "placeholder")
    tfjax.compat.v1.enable_eager_execution()
    tfjax.compat.v1.enable_v2_behavior()


def test_initializers_in_tf_function():
    def snippet(tf):
        init = tf.constant_initializer([[1.0, 2.0]])

        @tf.function
        def f(x):
            return x + init([1, 2]) + tf.ones_initializer()([1, 2])
        return f(tf.constant([[1.0, 1.0]]))
    check(snippet)
