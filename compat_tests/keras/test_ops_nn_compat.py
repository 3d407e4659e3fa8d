"""keras.ops.nn convolution, pooling and normalization (which run tf.nn's kernels) against real Keras,
in both data formats and with Keras's lowercase padding names."""

import numpy as np
import pytest

tf_real = pytest.importorskip("tensorflow")
rk = pytest.importorskip("keras")

import tfjax as tf  # noqa: E402

rng = np.random.default_rng(0)


def _x(*shape, dtype="float32"):
    return rng.standard_normal(shape).astype(dtype)


def _check(fn, *args, rtol=1e-4, atol=1e-5, **kwargs):
    want = np.asarray(fn(rk.ops, *args, **kwargs))
    got = np.asarray(fn(tf.keras.ops, *args, **kwargs))
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_allclose(got, want, rtol=rtol, atol=atol)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_conv_family(data_format, padding):
    cl = data_format == "channels_last"
    x2 = _x(2, 7, 7, 4) if cl else _x(2, 4, 7, 7)
    x1 = _x(2, 9, 4) if cl else _x(2, 4, 9)
    _check(lambda o, x, k: o.conv(x, k, 2, padding, data_format), x2, _x(3, 3, 4, 5))
    _check(lambda o, x, k: o.conv(x, k, 1, padding, data_format, dilation_rate=2), x1, _x(3, 4, 6))
    _check(lambda o, x, k: o.conv(x, k, 1, padding, data_format), x2, _x(3, 3, 2, 6))  # groups=2
    _check(lambda o, x, k: o.depthwise_conv(x, k, (2, 1), padding, data_format), x2, _x(3, 3, 4, 2))
    _check(lambda o, x, d, p: o.separable_conv(x, d, p, 1, padding, data_format), x2, _x(3, 3, 4, 2),
           _x(1, 1, 8, 3))
    _check(lambda o, x, k: o.conv_transpose(x, k, 2, padding, data_format=data_format), x2, _x(3, 3, 5, 4))


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_pooling(data_format, padding):
    x = _x(2, 7, 6, 3) if data_format == "channels_last" else _x(2, 3, 7, 6)
    _check(lambda o, v: o.max_pool(v, 3, 2, padding, data_format), x)
    _check(lambda o, v: o.average_pool(v, (2, 3), None, padding, data_format), x)
    x1 = _x(2, 8, 3) if data_format == "channels_last" else _x(2, 3, 8)
    _check(lambda o, v: o.average_pool(v, 3, 1, padding, data_format), x1)


@pytest.mark.parametrize("dtype", ["float32", "float16"])
def test_moments_and_batch_normalization(dtype):
    x = _x(4, 5, 6, dtype=dtype)
    tol = dict(rtol=1e-2, atol=1e-2) if dtype == "float16" else {}
    _check(lambda o, v: o.moments(v, [0, 1])[0], x, **tol)
    _check(lambda o, v: o.moments(v, [0, 2], keepdims=True)[1], x, **tol)
    m, v, b, s = (np.abs(_x(6, dtype=dtype)) + 0.5 for _ in range(4))
    _check(lambda o, *a: o.batch_normalization(a[0], a[1], a[2], -1, offset=a[3], scale=a[4]), x, m, v, b, s,
           **tol)
    _check(lambda o, *a: o.batch_normalization(a[0], a[1], a[2], 1, epsilon=1e-2), x, _x(5, dtype=dtype),
           np.abs(_x(5, dtype=dtype)), **tol)
    _check(lambda o, v: o.softmax(v, axis=1), x, **tol)
    _check(lambda o, v: o.log_softmax(v), x, **tol)
