"""Complex gradients follow TF's convention (the conjugate of JAX's cotangents; see tape._conj):
the same snippets with real TF and tfjax give the same gradients."""

import pytest

from _tfdiff import check


def _z(tf):
    return tf.constant([1 + 2j, 3 - 1j, -0.5 + 0.25j], dtype=tf.complex64)


def _real_loss_of_product(tf):
    z = _z(tf)
    c = tf.constant([2 - 1j, 0.5 + 1j, 1j], dtype=tf.complex64)
    with tf.GradientTape() as t:
        t.watch(z)
        y = tf.math.real(z * c * z)
    return t.gradient(y, z)


def _abs_squared(tf):
    z = _z(tf)
    with tf.GradientTape() as t:
        t.watch(z)
        y = tf.reduce_sum(tf.abs(z) ** 2)
    return t.gradient(y, z)


def _holomorphic_with_complex_output_gradients(tf):
    z = _z(tf)
    with tf.GradientTape() as t:
        t.watch(z)
        y = tf.exp(z) * z
    return t.gradient(y, z, output_gradients=tf.constant([1 + 1j, 2 - 1j, 0.5j], dtype=tf.complex64))


def _imag_and_conj(tf):
    z = _z(tf)
    with tf.GradientTape() as t:
        t.watch(z)
        y = tf.reduce_sum(tf.math.imag(tf.math.conj(z) * z * (1 + 2j)))
    return t.gradient(y, z)


def _complex_variable_through_tf_function(tf):
    v = tf.Variable(tf.constant([1 + 1j, 2 - 3j], dtype=tf.complex128))

    @tf.function
    def loss():
        return tf.reduce_sum(tf.math.real(v * v * (0.5 - 2j)))

    with tf.GradientTape() as t:
        y = loss()
    return t.gradient(y, v)


def _real_source_complex_middle(tf):
    x = tf.constant([0.5, -1.0, 2.0])
    with tf.GradientTape() as t:
        t.watch(x)
        z = tf.complex(x, 2.0 * x)
        y = tf.reduce_sum(tf.math.real(z * z * (1 - 1j)))
    return t.gradient(y, x)


@pytest.mark.parametrize("snippet", [_real_loss_of_product, _abs_squared, _holomorphic_with_complex_output_gradients,
                                     _imag_and_conj, _complex_variable_through_tf_function,
                                     _real_source_complex_middle],
                         ids=lambda f: f.__name__.strip("_"))
def test_complex_gradient_matches_tf(snippet):
    check(snippet)
