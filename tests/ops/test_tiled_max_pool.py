"""The tiled max pool must equal reduce_window's values and select_and_scatter's gradients exactly."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from jax import lax

from tfjax._src.ops import tiled_max_pool


def _reference(x, window, strides, padding):
    return lax.reduce_window(x, np.array(-np.inf, x.dtype), lax.max, window, strides, padding)


@pytest.mark.parametrize("shape,window,padding", [
    ((2, 8, 8, 3), (1, 2, 2, 1), "VALID"),
    ((2, 7, 9, 3), (1, 2, 2, 1), "VALID"),      # trailing partial windows dropped
    ((2, 6, 6, 4), (1, 3, 3, 1), "SAME"),       # SAME with exact tiling pads nothing
    ((3, 10, 2), (1, 5, 1), "VALID"),           # 1-D pooling
    ((2, 4, 4, 4, 2), (1, 2, 2, 2, 1), "VALID"),  # 3-D pooling
    ((2, 3, 8, 8), (1, 1, 2, 2), "VALID"),      # channels first
])
def test_values_and_gradients_match_reduce_window(shape, window, padding):
    rng = np.random.default_rng(0)
    # Few distinct values, so many windows hold ties: the gradient must go to the first maximum.
    x = jnp.asarray(rng.integers(0, 3, size=shape).astype(np.float32))
    assert tiled_max_pool.applies(shape, window, window, padding)
    ref = _reference(x, window, window, padding)
    out = tiled_max_pool.max_pool(x, window)
    np.testing.assert_array_equal(out, ref)
    w = jnp.asarray(rng.normal(size=ref.shape).astype(np.float32))
    g_ref = jax.grad(lambda v: jnp.sum(_reference(v, window, window, padding) * w))(x)
    g = jax.grad(lambda v: jnp.sum(tiled_max_pool.max_pool(v, window) * w))(x)
    np.testing.assert_array_equal(g, g_ref)
    # Second order (reverse over reverse) matches too, away from ties (where the reference's own
    # second derivative is not TF's first-maximum rule).
    z = jnp.asarray(rng.normal(size=shape).astype(np.float32))
    hvp = lambda f: jax.grad(lambda v: jnp.sum(jax.grad(lambda u: jnp.sum(f(u) ** 2 * w))(v) * z))(z)
    np.testing.assert_allclose(hvp(lambda u: tiled_max_pool.max_pool(u, window)),
                               hvp(lambda u: _reference(u, window, window, padding)), rtol=1e-5)


def test_overlapping_or_padded_windows_are_left_to_reduce_window():
    assert not tiled_max_pool.applies((2, 8, 8, 3), (1, 3, 3, 1), (1, 2, 2, 1), "VALID")
    assert not tiled_max_pool.applies((2, 7, 7, 3), (1, 2, 2, 1), (1, 2, 2, 1), "SAME")
    assert not tiled_max_pool.applies((2, 1, 8, 3), (1, 2, 2, 1), (1, 2, 2, 1), "VALID")
