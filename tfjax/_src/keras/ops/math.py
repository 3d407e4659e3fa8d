"""``keras.ops`` math: top-k, segment reductions, FFTs, framing, ``logdet``, ``saturate_cast``, complex views,
``cdist``, ``erfc``."""

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


# -- ``segment_min`` / ``segment_prod`` (tf segment kernels), ``ifft2``, complex views, ``cdist``, ``erfc`` ----

def _segment_via_tf(kind, data, segment_ids, num_segments, sorted):  # noqa: A002
    from tfjax._src.ops import segment_ops  # noqa: PLC0415
    if sorted:
        if num_segments is not None:
            raise ValueError("Argument `num_segments` cannot be set when sorted is True when using the tensorflow "
                             f"backend.Received: num_segments={num_segments}, sorted={sorted}.")
        return getattr(segment_ops, f"segment_{kind}")(t1(data), t1(segment_ids))
    ids = t1(segment_ids)
    if num_segments is None:
        num_segments = int(np.asarray(ids._value).max()) + 1
    return getattr(segment_ops, f"unsorted_segment_{kind}")(t1(data), ids, num_segments)


def segment_min(data, segment_ids, num_segments=None, sorted=False):  # noqa: A002
    return _segment_via_tf("min", data, segment_ids, num_segments, sorted)


def segment_prod(data, segment_ids, num_segments=None, sorted=False):  # noqa: A002
    return _segment_via_tf("prod", data, segment_ids, num_segments, sorted)


def ifft2(x):
    re, im = t1(x[0]), t1(x[1])
    h, w = re.shape[-2], re.shape[-1]
    fr, fi = fft2((re, -im))
    n = float(h * w)
    return fr / n, -fi / n


def _view_as_complex(x):
    return jax.lax.complex(x[..., 0], x[..., 1])


@keras_op
def view_as_complex(x):
    x = t1(x)
    if x.shape[-1] != 2:
        raise ValueError(f"Last dimension of input must be size 2 (real and imaginary). Received shape: {x.shape}")
    if x._value.dtype not in (np.float32, np.float64):
        x = cast(x, "float32")
    return apply(_view_as_complex, x)


def _view_as_real(x):
    return jnp.stack([jnp.real(x), jnp.imag(x)], axis=-1)


@keras_op
def view_as_real(x):
    x = t1(x)
    if not jnp.issubdtype(x._value.dtype, jnp.complexfloating):
        raise ValueError("Input must be a complex tensor.")
    return apply(_view_as_real, x)


def _cdist(x, y):
    d = jnp.expand_dims(x, -2) - jnp.expand_dims(y, -3)
    return jnp.sqrt(jnp.sum(jnp.square(d), axis=-1))


@keras_op
def cdist(x, y):
    x, y = t1(x), t1(y)
    if len(x.shape) < 2 or len(y.shape) < 2:
        raise ValueError("`cdist` inputs must have rank >= 2")
    if x.shape[-1] != y.shape[-1]:
        raise ValueError("Last dimension of inputs to `cdist` must match")
    return apply(_cdist, x, y)


@keras_op
def erfc(x):
    from tfjax._src.ops import math_ops  # noqa: PLC0415
    from tfjax._src.keras.ops.numpy_base import _fdtype  # noqa: PLC0415
    return math_ops.erfc(_fdtype(t1(x)))
