"""``keras.ops`` math: top-k, segment reductions, FFTs, framing, ``logdet``, ``saturate_cast``."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from tfjax._src.tensor import Tensor  # noqa: F401
from tfjax._src.keras.ops.core import apply, keras_op, t1, cast, dtype_of
from tfjax._src.keras.ops import numpy as _np
from tfjax._src.keras.ops.numpy import erf, rsqrt, unstack  # noqa: F401
from tfjax._src.keras.ops.linalg import logdet  # noqa: F401


def _top_k(x, *, k, sorted):  # noqa: A002
    v, i = jax.lax.top_k(x, k)
    return v, i.astype(jnp.int32)


@keras_op
def top_k(x, k, sorted=True):  # noqa: A002
    v, i = apply(_top_k, t1(x), k=int(k), sorted=sorted)
    return v, i


@keras_op
def in_top_k(targets, predictions, k):
    _, idx = top_k(predictions, k)
    return _np.any(_np.equal(idx, _np.expand_dims(cast(targets, "int32"), -1)), axis=-1)


def _segment(data, ids, *, num, kind):
    if kind == "sum":
        return jax.ops.segment_sum(data, ids, num)
    return jax.ops.segment_max(data, ids, num)


def segment_sum(data, segment_ids, num_segments=None, sorted=False):  # noqa: A002
    n = int(num_segments) if num_segments is not None else int(np.asarray(t1(segment_ids)._value).max()) + 1
    return apply(_segment, t1(data), t1(segment_ids), num=n, kind="sum")


def segment_max(data, segment_ids, num_segments=None, sorted=False):  # noqa: A002
    n = int(num_segments) if num_segments is not None else int(np.asarray(t1(segment_ids)._value).max()) + 1
    return apply(_segment, t1(data), t1(segment_ids), num=n, kind="max")


def _complex_fft(re, im, *, kind):
    # Keras passes complex values as (real, imag) pairs of real tensors.
    c = getattr(jnp.fft, kind)(re + 1j * im)
    return jnp.real(c).astype(re.dtype), jnp.imag(c).astype(re.dtype)


def fft(x):
    re, im = x
    return apply(_complex_fft, t1(re), t1(im), kind="fft")


def fft2(x):
    re, im = x
    return apply(_complex_fft, t1(re), t1(im), kind="fft2")


def _rfft(x, *, n):
    c = jnp.fft.rfft(x, n=n)
    return jnp.real(c).astype(x.dtype), jnp.imag(c).astype(x.dtype)


def rfft(x, fft_length=None):
    return apply(_rfft, t1(x), n=fft_length)


def _irfft(re, im, *, n):
    return jnp.fft.irfft(re + 1j * im, n=n).astype(re.dtype)


def irfft(x, fft_length=None):
    re, im = x
    return apply(_irfft, t1(re), t1(im), n=fft_length)


def stft(*a, **k):
    raise NotImplementedError("ops.stft is not implemented in tfjax yet.")


istft = stft


def extract_sequences(x, sequence_length, sequence_stride):
    x = t1(x)
    n = x.shape[-1]
    starts = range(0, n - sequence_length + 1, sequence_stride)
    from tfjax._src.ops import array_ops  # noqa: PLC0415
    frames = [array_ops.getitem(x, (Ellipsis, slice(s, s + sequence_length))) for s in starts]
    return _np.stack(frames, axis=-2)


def is_nan_safe(x):
    return x


def saturate_cast(x, dtype):
    from tfjax._src.keras.ops.core import np_dtype  # noqa: PLC0415
    d = np_dtype(dtype)
    if jnp.issubdtype(d, jnp.integer):
        info = jnp.iinfo(d)
        x = _np.clip(x, int(info.min), int(info.max))
    return cast(x, dtype)


def dtype_name(x):
    return dtype_of(x)


from tfjax._src.keras.ops.math_more import (  # noqa: E402,F401
    segment_min, segment_prod, ifft2, view_as_complex, view_as_real, cdist, erfc,
)
