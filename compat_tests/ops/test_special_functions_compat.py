"""tf.math.special against real TF: values (float16/32/64), gradients, dtype errors."""

import numpy as np
import pytest

from _tfdiff import check

NAMES = ["bessel_i0", "bessel_i0e", "bessel_i1", "bessel_i1e", "bessel_j0", "bessel_j1", "bessel_k0",
         "bessel_k0e", "bessel_k1", "bessel_k1e", "bessel_y0", "bessel_y1", "dawsn", "expint",
         "fresnel_cos", "fresnel_sin", "spence"]
HALF_OK = {n for n in NAMES if n.startswith("bessel")}
_X = np.array([-7.5, -3., -1.5, -0.2, 0., 1e-4, 0.3, 0.5, 1., 1.9, 2., 2.5, 4.9, 5., 5.5, 8., 12., 30.],
              np.float64)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", NAMES)
def test_values(name, dtype):
    check(lambda tf: getattr(tf.math.special, name)(tf.constant(_X, dtype)), rtol=2e-5 if dtype == "float32"
          else 1e-9, atol=1e-6 if dtype == "float32" else 1e-12)


@pytest.mark.parametrize("name", NAMES)
def test_half_and_errors(name):
    x = np.array([0.25, 1.5, 3.], np.float32)
    if name in HALF_OK:
        check(lambda tf: getattr(tf.math.special, name)(tf.constant(x, tf.float16)), rtol=2e-3, atol=1e-3)
    else:
        check(lambda tf: getattr(tf.math.special, name)(tf.constant(x, tf.float16)), expect_raise="NotFoundError")
    check(lambda tf: getattr(tf.math.special, name)(tf.constant([1, 2])), expect_raise="InvalidArgumentError")
    check(lambda tf: getattr(tf.math.special, name)(tf.constant([1 + 1j], tf.complex64)),
          expect_raise="InvalidArgumentError")
    check(lambda tf: getattr(tf.math.special, name)([0.5, 2.0]), rtol=1e-5)


@pytest.mark.parametrize("name", NAMES)
def test_gradients(name):
    x = np.array([-1.5, -0.2, 0.3, 0.5, 1.9, 2.5, 5.5, 12.], np.float64)

    def snippet(tf):
        t_x = tf.constant(x)
        with tf.GradientTape() as t:
            t.watch(t_x)
            y = getattr(tf.math.special, name)(t_x)
        return t.gradient(y, t_x)

    check(snippet, rtol=1e-7, atol=1e-9)


def test_inside_tf_function():
    def snippet(tf):
        @tf.function
        def f(x):
            s = tf.math.special
            return [s.bessel_j0(x), s.bessel_y1(x), s.bessel_k1e(x), s.expint(x), s.fresnel_sin(x), s.spence(x)]
        return f(tf.constant([0.5, 2.0, 9.0]))
    check(snippet, rtol=2e-5, atol=1e-6)
