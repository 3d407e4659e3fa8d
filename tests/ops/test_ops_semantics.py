"""Unit tests for op semantics that a differential test cannot show directly."""

import sys

import numpy as np
import pytest

import tfjax as tf
from tfjax._src import tape as _tape


def test_dtype_defaults():
    assert tf.range(5).dtype == tf.int32
    assert tf.shape(tf.zeros([2, 3])).dtype == tf.int32
    assert tf.argmax([1.0, 2.0]).dtype == tf.int64
    assert tf.where([True, False]).dtype == tf.int64
    assert tf.one_hot([1], 3).dtype == tf.float32
    assert tf.reduce_mean(tf.constant([1, 2])).dtype == tf.int32
    assert (tf.constant(1) / tf.constant(2)).dtype == tf.float64
    assert (tf.constant(1, tf.int16) / tf.constant(2, tf.int16)).dtype == tf.float32
    assert tf.math.count_nonzero([1, 0]).dtype == tf.int64
    assert tf.math.bincount([1, 2]).dtype == tf.int32


def test_binary_fast_path_keeps_semantics():
    a = tf.constant([1.0, 2.0])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"\[Op:AddV2\]"):
        a + tf.constant([1, 2])
    assert (a + 1).dtype == tf.float32
    assert (1 + a).dtype == tf.float32
    assert (a + np.float64(1)).dtype == tf.float32
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.constant([True]) + tf.constant([True])
    s = tf.constant(["a"]) + tf.constant(["b"])
    assert s.numpy().tolist() == [b"ab"]


def test_ops_record_on_tape():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as t:
        t.watch(x)
        y = tf.reduce_sum(x * x + tf.math.log(x))
    np.testing.assert_allclose(t.gradient(y, x).numpy(), [3.0, 4.5])


def test_unrecorded_ops_stay_off_tape():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as t:
        t.watch(x)
        y = tf.cast(tf.argmax(x), tf.float32) + tf.cast(x > 1, tf.float32)
    assert t.gradient(y, x) is None


def test_ops_inside_tf_function():
    @tf.function
    def f(x):
        return (tf.nn.softmax(x), tf.math.top_k(x, 2).indices, tf.linalg.norm(x), tf.split(x, 2),
                tf.pad(x, [[1, 1]], "SYMMETRIC"), tf.image.flip_left_right(tf.reshape(x, [1, 4, 1])))
    out = f(tf.constant([1.0, 3.0, 2.0, 0.0]))
    assert out[1].numpy().tolist() == [1, 2]
    assert out[4].numpy().tolist() == [1.0, 1.0, 3.0, 2.0, 0.0, 0.0]


def test_data_dependent_ops_refuse_to_trace():
    @tf.function
    def f(x):
        return tf.boolean_mask(x, x > 0)
    with pytest.warns(UserWarning):
        out = f(tf.constant([1.0, -1.0, 2.0]))
    assert out.numpy().tolist() == [1.0, 2.0]


def test_print_inside_function_every_call(capsys):
    @tf.function
    def f(x):
        tf.print("x =", x)
        return x
    f(tf.constant(1))
    f(tf.constant(2))
    err = capsys.readouterr().err
    assert err == "x = 1\nx = 2\n"


def test_print_output_stream_and_sep(capsys):
    tf.print("a", tf.constant([1, 2]), sep="|", end=";\n", output_stream=sys.stdout)
    assert capsys.readouterr().out == "a|[1 2];\n"


def test_check_numerics_passes_through_and_names_message():
    x = tf.constant([1.0, 2.0])
    np.testing.assert_array_equal(tf.debugging.check_numerics(x, "m").numpy(), [1.0, 2.0])
    with pytest.raises(tf.errors.InvalidArgumentError, match="my message : Tensor had Inf values"):
        tf.debugging.check_numerics(tf.constant([np.inf]), "my message")


def test_unsupported_arguments_raise_clearly():
    from tfjax._src.errors import UnsupportedError
    with pytest.raises(UnsupportedError, match="output_type"):
        tf.matmul(tf.ones([2, 2]), tf.ones([2, 2]), output_type=tf.float64)
    with pytest.raises(UnsupportedError):
        tf.image.resize(tf.zeros([4, 4, 1]), [2, 2], method="gaussian")
    with pytest.raises(UnsupportedError):
        tf.debugging.enable_check_numerics()


def test_sparse_xent_traced_bad_label_gives_nan():
    @tf.function
    def f(lbl):
        return tf.nn.sparse_softmax_cross_entropy_with_logits(lbl, tf.zeros([1, 3]))
    assert np.isnan(f(tf.constant([7])).numpy()).all()


def test_conv_transpose_is_adjoint_of_conv():
    rng = np.random.default_rng(0)
    x = tf.constant(rng.normal(size=(1, 6, 6, 2)).astype(np.float32))
    w = tf.constant(rng.normal(size=(3, 3, 2, 4)).astype(np.float32))
    y = tf.constant(rng.normal(size=(1, 3, 3, 4)).astype(np.float32))
    lhs = tf.reduce_sum(tf.nn.conv2d(x, w, 2, "SAME") * y)
    rhs = tf.reduce_sum(x * tf.nn.conv2d_transpose(y, w, [1, 6, 6, 2], 2, "SAME"))
    np.testing.assert_allclose(lhs.numpy(), rhs.numpy(), rtol=1e-4)


def test_tape_replay_cache_hits_for_repeated_ops():
    x = tf.constant([1.0, 2.0])
    for _ in range(2):
        with tf.GradientTape() as t:
            t.watch(x)
            y = tf.reduce_sum(tf.nn.relu(x) * tf.sigmoid(x))
        t.gradient(y, x)
    assert len(_tape._grad_cache) >= 1
