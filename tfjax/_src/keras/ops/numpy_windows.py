"""``keras.ops.numpy`` window functions: ``bartlett``, ``blackman``, ``hamming``, ``hanning``, ``kaiser``.

Keras's TF backend uses tf.signal's windows (non-periodic); ``bartlett`` / ``blackman`` are computed in ``floatx``.
"""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from tfjax._src.tensor import Tensor
from tfjax._src.keras.ops.core import t1
from tfjax._src.keras.ops.numpy_base import _floatx

def hamming(x):
    from tfjax._src.ops import signal_windows  # noqa: PLC0415
    return signal_windows.hamming_window(int(np.asarray(t1(x)._value)), periodic=False)


def hanning(x):
    from tfjax._src.ops import signal_windows  # noqa: PLC0415
    return signal_windows.hann_window(int(np.asarray(t1(x)._value)), periodic=False)


def kaiser(x, beta):
    from tfjax._src.ops import signal_windows  # noqa: PLC0415
    return signal_windows.kaiser_window(int(np.asarray(t1(x)._value)), beta=beta)


def _bartlett(*, n, dtype):
    if n == 0:
        return jnp.zeros((0,), jnp.float32)
    if n == 1:
        return jnp.ones((1,), jnp.float32)
    k = jnp.arange(n, dtype=dtype)
    half = (n - 1) / 2
    return jnp.where(k <= half, 2.0 * k / (n - 1), 2.0 - 2.0 * k / (n - 1)).astype(dtype)


def bartlett(x):
    return Tensor(_bartlett(n=int(np.asarray(t1(x)._value)), dtype=_floatx()))


def blackman(x):
    n = int(np.asarray(t1(x)._value))
    d = _floatx()
    k = jnp.arange(n, dtype=d)
    nm1 = jnp.asarray(n - 1, d)
    safe = jnp.where(nm1 == 0, jnp.ones_like(nm1), nm1)
    w = 0.42 + (-0.5 * jnp.cos(2 * np.pi * k / safe)) + 0.08 * jnp.cos(4 * np.pi * k / safe)
    return Tensor(jnp.where(nm1 == 0, jnp.ones_like(w), w).astype(d))
