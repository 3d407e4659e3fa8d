"""Wrapping host-computed (numpy) results as Tensors.

Outside tf.data, a numeric result is moved to a ``jax.Array`` (the Tensor
invariant). Inside a function that tf.data is applying (``map``/``filter``/...),
results stay numpy-backed: they flow straight back into the host-side pipeline,
so a device transfer per element would be wasted (every JAX op accepts numpy
inputs; the pipeline converts to ``jax.Array`` when elements leave an iterator).
"""

from __future__ import annotations

import contextlib
import threading

import jax.numpy as jnp
import numpy as np

from tfjax._src.tensor import Tensor

_state = threading.local()


def in_data_fn() -> bool:
    return getattr(_state, "depth", 0) > 0


@contextlib.contextmanager
def data_fn_scope():
    _state.depth = getattr(_state, "depth", 0) + 1
    try:
        yield
    finally:
        _state.depth -= 1


def wrap(arr) -> Tensor:
    if isinstance(arr, np.ndarray) and (arr.dtype == object or getattr(_state, "depth", 0) > 0):
        return Tensor(arr)
    return Tensor(jnp.asarray(arr))
