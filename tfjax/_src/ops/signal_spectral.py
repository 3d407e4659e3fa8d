"""``tf.signal`` framing and spectral ops: frame, overlap_and_add, stft/inverse_stft, dct/idct,
mdct/inverse_mdct, linear_to_mel_weight_matrix, mfccs_from_log_mel_spectrograms.

They follow TF's Python implementations (tensorflow/python/ops/signal/*.py) step for
step, as compositions of single ``dispatch.apply`` ops over ``jnp`` code, so the tape and
tf.function see differentiable ops. Lengths/steps must be static.
"""

from __future__ import annotations

import math

import jax.numpy as jnp
import numpy as np

from tfjax._src import dispatch
from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src.ops import convert
from tfjax._src.ops import signal_ops
from tfjax._src.ops import signal_windows
from tfjax._src.tensor import Tensor


def _mul(a, b):
    from tfjax._src.ops.binary_ops import multiply  # noqa: PLC0415
    return multiply(a, b)


def _scalar_int(x, what, op_name=None):
    """A static Python int from a scalar int / Tensor argument (TF: a scalar tensor)."""
    if isinstance(x, (bool, np.bool_)):
        return int(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    t = x if isinstance(x, Tensor) else convert.tensor(x)
    if t._value.ndim != 0:
        raise ValueError(f"Shape {t.shape} must have rank 0")
    if not t.dtype.is_integer:
        if op_name:
            raise errors.invalid_argument(
                op_name, f"cannot compute {op_name} as input #1(zero-based) was expected to be a "
                f"{convert.tf_type_name(t.dtype)} tensor but is a int32 tensor")
        raise TypeError(f"{what} must be an integer, got {t.dtype.name}")
    return convert.static_int(t, what)


# -- frame / overlap_and_add ----------------------------------------------------------
def _frame_with(xp, x, pad_value, length, step, pad_end, axis):
    """Frames ``x`` along ``axis`` with array module ``xp`` (jnp for tensors, np for strings)."""
    n = x.shape[axis]
    if pad_end:
        num = -(-n // step)
        pad = max(0, length + step * (num - 1) - n)
        if pad:
            widths = [(0, 0)] * x.ndim
            widths[axis] = (0, pad)
            x = xp.pad(x, widths, constant_values=pad_value)
    else:
        num = max(0, 1 + (n - length) // step)
    idx = np.arange(num)[:, None] * step + np.arange(length)[None, :]
    out = xp.take(x, idx.reshape(-1), axis=axis)
    return out.reshape(x.shape[:axis] + (num, length) + x.shape[axis + 1:])


def _frame_raw(x, pad_value, *, length, step, pad_end, axis):
    return _frame_with(jnp, x, pad_value, length, step, pad_end, axis)


def _frame_np(x, pad_value, length, step, pad_end, axis):
    return _frame_with(np, x, pad_value, length, step, pad_end, axis)


def frame(signal, frame_length, frame_step, pad_end=False, pad_value=0, axis=-1, name=None):
    """``tf.signal.frame``: expands ``axis`` into ``[num_frames, frame_length]``."""
    x = signal if isinstance(signal, Tensor) else convert.tensor(signal)
    length = _scalar_int(frame_length, "frame_length", "FloorDiv")
    step = _scalar_int(frame_step, "frame_step", "FloorDiv")
    axis = _scalar_int(axis, "axis")
    if x._value.ndim < 1:
        raise ValueError(f"Shape {x.shape} must have rank at least 1")
    ndim = x._value.ndim
    if not -ndim <= axis < ndim:
        raise IndexError("list index out of range")
    axis %= ndim
    if step == 0:
        raise errors.invalid_argument("FloorDiv", "Integer division by zero")
    if length < 0:
        raise errors.invalid_argument("Range", f"Requires start <= limit when delta > 0: 0/{length}")
    if pad_end:
        pv = pad_value if isinstance(pad_value, Tensor) else convert.tensor(pad_value, dtype=x.dtype)
        if pv.dtype is not x.dtype:
            raise errors.invalid_argument(
                "Pad", f"cannot compute Pad as input #2(zero-based) was expected to be a "
                f"{convert.tf_type_name(x.dtype)} tensor but is a {convert.tf_type_name(pv.dtype)} tensor")
        if pv._value.ndim != 0:
            raise ValueError(f"Shape {pv.shape} must have rank 0")
    else:
        pv = Tensor(np.zeros((), x._value.dtype) if x._value.dtype != object else np.array(b"", object))
    if x._value.dtype == object:   # strings stay on the host
        return Tensor(_frame_np(x._value, pv._value, length, step, bool(pad_end), axis))
    return dispatch.apply(_frame_raw, x, pv, length=length, step=step, pad_end=bool(pad_end), axis=axis)


def _overlap_add_raw(x, *, step):
    frames, length = x.shape[-2], x.shape[-1]
    out_len = length + step * (frames - 1) if frames else 0
    if frames == 0:
        return jnp.zeros(x.shape[:-2] + (max(out_len, 0),), x.dtype)
    idx = (np.arange(frames)[:, None] * step + np.arange(length)[None, :]).reshape(-1)
    flat = x.reshape(x.shape[:-2] + (frames * length,))
    out = jnp.zeros(x.shape[:-2] + (out_len,), x.dtype)
    return out.at[..., idx].add(flat)


def overlap_and_add(signal, frame_step, name=None):
    """``tf.signal.overlap_and_add``: ``[..., frames, frame_length]`` -> ``[..., output_size]``."""
    x = signal if isinstance(signal, Tensor) else convert.tensor(signal)
    if x._value.ndim < 2:
        raise ValueError(f"Shape {x.shape} must have rank at least 2")
    if isinstance(frame_step, (int, np.integer)) and not isinstance(frame_step, bool):
        step = int(frame_step)
    else:
        st = frame_step if isinstance(frame_step, Tensor) else convert.tensor(frame_step)
        if st._value.ndim != 0:
            raise ValueError(f"Shape {st.shape} must have rank 0")
        if not st.dtype.is_integer:
            raise ValueError(f"frame_step must be an integer. Got {st.dtype!r}")
        step = convert.static_int(st, "frame_step")
    if step <= 0:
        length = x._value.shape[-1]
        raise errors.invalid_argument("Pad", f"Paddings must be non-negative: 0 {-length}")
    return dispatch.apply(_overlap_add_raw, x, step=step)


# -- STFT --------------------------------------------------------------------------
def _enclosing_power_of_two(n):
    return int(2 ** np.ceil(np.log(n) / np.log(2.0)))


def stft(signals, frame_length, frame_step, fft_length=None, window_fn=signal_windows.hann_window,
         pad_end=False, name=None):
    """``tf.signal.stft``: framed, windowed ``rfft`` of ``signals``' last axis."""
    x = signals if isinstance(signals, Tensor) else convert.tensor(signals)
    if x._value.ndim < 1:
        raise ValueError(f"Shape {x.shape} must have rank at least 1")
    length = _scalar_int(frame_length, "frame_length", "FloorDiv")
    step = _scalar_int(frame_step, "frame_step", "FloorDiv")
    fft_len = _enclosing_power_of_two(length) if fft_length is None else _scalar_int(fft_length, "fft_length")
    framed = frame(x, length, step, pad_end=pad_end)
    if window_fn is not None:
        window = window_fn(length, dtype=framed.dtype)
        framed = _mul(framed, window)
    return signal_ops.rfft(framed, [fft_len])


def _istft_window_raw(w, *, step):
    length = w.shape[0]
    denom = jnp.square(w)
    overlaps = -(-length // step)
    denom = jnp.pad(denom, [(0, overlaps * step - length)])
    denom = denom.reshape(overlaps, step).sum(0, keepdims=True)
    denom = jnp.tile(denom, (overlaps, 1)).reshape(overlaps * step)[:length]
    safe = jnp.where(denom == 0, jnp.ones_like(denom), denom)
    return jnp.where(denom == 0, jnp.zeros_like(w), w / safe)


def inverse_stft_window_fn(frame_step, forward_window_fn=signal_windows.hann_window, name=None):
    """``tf.signal.inverse_stft_window_fn``: a window_fn for :func:`inverse_stft` that
    makes it invert :func:`stft` with ``forward_window_fn``."""

    def inverse_stft_window_fn_inner(frame_length, dtype):
        step = _scalar_int(frame_step, "frame_step")
        length = _scalar_int(frame_length, "frame_length")
        forward = forward_window_fn(length, dtype=dtype)
        if step <= 0:
            raise errors.invalid_argument("FloorDiv", "Integer division by zero")
        return dispatch.apply(_istft_window_raw, forward, step=step)

    return inverse_stft_window_fn_inner


def _fit_last_raw(x, *, length):
    n = x.shape[-1]
    if n > length:
        return x[..., :length]
    if n < length:
        return jnp.pad(x, [(0, 0)] * (x.ndim - 1) + [(0, length - n)])
    return x


def inverse_stft(stfts, frame_length, frame_step, fft_length=None, window_fn=signal_windows.hann_window,
                 name=None):
    """``tf.signal.inverse_stft``: ``irfft`` of each frame, windowed, overlap-added."""
    x = stfts if isinstance(stfts, Tensor) else convert.tensor(stfts)
    if x._value.ndim < 2:
        raise ValueError(f"Shape {x.shape} must have rank at least 2")
    length = _scalar_int(frame_length, "frame_length")
    step = _scalar_int(frame_step, "frame_step")
    fft_len = _enclosing_power_of_two(length) if fft_length is None else _scalar_int(fft_length, "fft_length")
    real_frames = signal_ops.irfft(x, [fft_len])
    if real_frames._value.shape[-1] != length:
        real_frames = dispatch.apply(_fit_last_raw, real_frames, length=length)
    if window_fn is not None:
        window = window_fn(length, dtype=x.dtype.real_dtype)
        real_frames = _mul(real_frames, window)
    return overlap_and_add(real_frames, step)


# -- DCT ---------------------------------------------------------------------------
def _validate_dct(x, dct_type, n, axis, norm):
    if axis != -1:
        raise NotImplementedError(f"axis must be -1. Got: {axis}")
    if n is not None and n < 1:
        raise ValueError("n should be a positive integer or None")
    if dct_type not in (1, 2, 3, 4):
        raise ValueError("Types I, II, III and IV (I)DCT are supported.")
    if dct_type == 1:
        if norm == "ortho":
            raise ValueError("Normalization is not supported for the Type-I DCT.")
        if x._value.ndim and x._value.shape[-1] < 2:
            raise ValueError("Type-I DCT requires the dimension to be greater than one.")
    if norm not in (None, "ortho"):
        raise ValueError(f"Unknown normalization. Expected None or 'ortho', got: {norm}")


def _dct_core(x, dct_type, n, norm):
    dt = x.dtype
    cdt = jnp.complex64 if dt == jnp.float32 else jnp.complex128
    seq_len = x.shape[-1]
    if n is not None:
        if n <= seq_len:
            x = x[..., 0:n]
        else:
            x = jnp.pad(x, [(0, 0)] * (x.ndim - 1) + [(0, n - seq_len)])
    m = x.shape[-1]
    mf = jnp.asarray(m, dt)
    if dct_type == 1:
        ext = jnp.concatenate([x, x[..., -2:0:-1]], axis=-1)
        return jnp.real(jnp.fft.rfft(ext).astype(cdt)).astype(dt)
    if dct_type == 2:
        if m == 0:
            return x
        scale = (2.0 * jnp.exp(-1j * (jnp.arange(m).astype(dt) * jnp.asarray(math.pi * 0.5, dt) / mf).astype(cdt)))
        out = jnp.real(jnp.fft.rfft(x, n=2 * m).astype(cdt)[..., :m] * scale.astype(cdt)).astype(dt)
        if norm == "ortho":
            n1 = jnp.asarray(0.5, dt) / jnp.sqrt(mf)
            n2 = n1 * jnp.asarray(math.sqrt(2.0), dt)
            weights = jnp.concatenate([n1[None], jnp.full((m - 1,), n2, dt)])
            out = out * weights
        return out
    if dct_type == 3:
        if m == 0:
            return x
        if norm == "ortho":
            n1 = jnp.sqrt(mf)
            n2 = n1 * jnp.asarray(math.sqrt(0.5), dt)
            x = x * jnp.concatenate([n1[None], jnp.full((m - 1,), n2, dt)])
        else:
            x = x * mf
        scale = (2.0 * jnp.exp(1j * (jnp.arange(m).astype(dt) * jnp.asarray(math.pi * 0.5, dt) / mf).astype(cdt)))
        return jnp.real(jnp.fft.irfft(scale.astype(cdt) * x.astype(cdt), n=2 * m)).astype(dt)[..., :m]
    # type 4
    out = _dct_core(x, 2, 2 * m, None)[..., 1::2]
    if norm == "ortho":
        out = out * (jnp.asarray(math.sqrt(0.5), dt) / jnp.sqrt(mf))
    return out


def _dct_raw(x, *, dct_type, n, norm):
    return _dct_core(x, dct_type, n, norm)


def _dct_input(x):
    x = x if isinstance(x, Tensor) else convert.tensor(x)
    d = x.dtype
    if d.is_integer or d.is_bool:
        raise TypeError(f"Cannot convert 0.0 to EagerTensor of dtype {d.name}")
    if d in (dtypes.float16, dtypes.bfloat16):
        raise TypeError(f"The `real` and `imag` components have incorrect types: {d.name} {d.name}. "
                        "They must be consistent, and one of [tf.float32, tf.float64]")
    if d.is_complex:
        raise TypeError(f"DCT requires a real input, got {d.name}")
    if x._value.ndim == 0:
        raise IndexError("tuple index out of range")
    return x


def dct(input, type=2, n=None, axis=-1, norm=None, name=None):  # noqa: A002 - TF names
    """``tf.signal.dct``: DCT types I-IV of the last axis."""
    x = _dct_input(input)
    n = None if n is None else _scalar_int(n, "n")
    _validate_dct(x, type, n, axis, norm)
    return dispatch.apply(_dct_raw, x, dct_type=int(type), n=n, norm=norm)


def idct(input, type=2, n=None, axis=-1, norm=None, name=None):  # noqa: A002 - TF names
    """``tf.signal.idct``: the inverse DCT (a DCT of the inverse type; unnormalized
    unless ``norm='ortho'``, as in TF)."""
    x = _dct_input(input)
    n = None if n is None else _scalar_int(n, "n")
    _validate_dct(x, type, n, axis, norm)
    return dispatch.apply(_dct_raw, x, dct_type={1: 1, 2: 3, 3: 2, 4: 4}[int(type)], n=n, norm=norm)


# -- MDCT --------------------------------------------------------------------------
def _mdct_rearrange_raw(frames):
    a, b, c, d = jnp.split(frames, 4, axis=-1)
    return jnp.concatenate([-c[..., ::-1] - d, a - b[..., ::-1]], axis=-1)


def _imdct_rearrange_raw(x):
    a, b = jnp.split(x, 2, axis=-1)
    return jnp.concatenate([b, -b[..., ::-1], -a[..., ::-1], -a], axis=-1)


def _scale_raw(x, *, factor):
    return x * jnp.asarray(factor, x.dtype)


def mdct(signals, frame_length, window_fn=signal_windows.vorbis_window, pad_end=False, norm=None, name=None):
    """``tf.signal.mdct``: modified DCT of frames with 50% overlap."""
    x = signals if isinstance(signals, Tensor) else convert.tensor(signals)
    if x._value.ndim < 1:
        raise ValueError(f"Shape {x.shape} must have rank at least 1")
    length = _scalar_int(frame_length, "frame_length")
    if length % 4 != 0:
        raise ValueError("The frame length must be a multiple of 4.")
    framed = frame(x, length, length // 2, pad_end=pad_end)
    if window_fn is not None:
        framed = _mul(framed, window_fn(length, dtype=framed.dtype))
    else:
        if not (framed.dtype.is_floating or framed.dtype.is_complex):
            raise TypeError(f"Cannot convert {1.0 / np.sqrt(2)} to EagerTensor of dtype {framed.dtype.name}")
        framed = dispatch.apply(_scale_raw, framed, factor=1.0 / np.sqrt(2))
    rearranged = dispatch.apply(_mdct_rearrange_raw, framed)
    return dct(rearranged, type=4, norm=norm)


def inverse_mdct(mdcts, window_fn=signal_windows.vorbis_window, norm=None, name=None):
    """``tf.signal.inverse_mdct``: inverts :func:`mdct` (with the same window and norm)."""
    x = mdcts if isinstance(mdcts, Tensor) else convert.tensor(mdcts)
    if x._value.ndim < 2:
        raise ValueError(f"Shape {x.shape} must have rank at least 2")
    half_len = int(x._value.shape[-1])
    if norm is None:
        if not x.dtype.is_floating:
            raise TypeError(f"Cannot convert 0.5 to EagerTensor of dtype {x.dtype.name}")
        res = dispatch.apply(_scale_raw, dct(x, type=4), factor=0.5 / half_len)
    elif norm == "ortho":
        res = dct(x, type=4, norm="ortho")
    else:
        raise UnboundLocalError("cannot access local variable 'result_idct4' where it is not associated with a value")
    real_frames = dispatch.apply(_imdct_rearrange_raw, res)
    if window_fn is not None:
        real_frames = _mul(real_frames, window_fn(2 * half_len, dtype=x.dtype))
    else:
        real_frames = dispatch.apply(_scale_raw, real_frames, factor=1.0 / np.sqrt(2))
    return overlap_and_add(real_frames, half_len)


# -- mel / MFCC --------------------------------------------------------------------
_MEL_BREAK_FREQUENCY_HERTZ = 700.0
_MEL_HIGH_FREQUENCY_Q = 1127.0


def _hertz_to_mel(f):
    dt = f.dtype
    return jnp.asarray(_MEL_HIGH_FREQUENCY_Q, dt) * jnp.log(
        jnp.asarray(1.0, dt) + f / jnp.asarray(_MEL_BREAK_FREQUENCY_HERTZ, dt))


def _mel_matrix_raw(sample_rate, lower, upper, *, num_mel_bins, num_spectrogram_bins):
    dt = sample_rate.dtype
    zero = jnp.zeros((), dt)
    nyquist = sample_rate / jnp.asarray(2.0, dt)
    linear = jnp.linspace(zero, nyquist, num_spectrogram_bins).astype(dt)[1:]
    spec_mel = _hertz_to_mel(linear)[:, None]
    edges = jnp.linspace(_hertz_to_mel(lower), _hertz_to_mel(upper), num_mel_bins + 2).astype(dt)
    lower_mel, center_mel, upper_mel = edges[:-2][None], edges[1:-1][None], edges[2:][None]
    lower_slopes = (spec_mel - lower_mel) / (center_mel - lower_mel)
    upper_slopes = (upper_mel - spec_mel) / (upper_mel - center_mel)
    w = jnp.maximum(zero, jnp.minimum(lower_slopes, upper_slopes))
    return jnp.pad(w, [(1, 0), (0, 0)])


def _static_number(x):
    if isinstance(x, Tensor):
        if not convert.is_concrete(x):
            return None
        return np.asarray(x._value).item()
    return x


def linear_to_mel_weight_matrix(num_mel_bins=20, num_spectrogram_bins=129, sample_rate=8000,
                                lower_edge_hertz=125.0, upper_edge_hertz=3800.0, dtype=dtypes.float32,
                                name=None):
    """``tf.signal.linear_to_mel_weight_matrix``: ``[num_spectrogram_bins, num_mel_bins]``."""
    dtype = dtypes.as_dtype(dtype)
    num_mel_bins = _scalar_int(num_mel_bins, "num_mel_bins")
    num_spectrogram_bins = _scalar_int(num_spectrogram_bins, "num_spectrogram_bins")
    sr = _static_number(sample_rate)
    lo = _static_number(lower_edge_hertz)
    hi = _static_number(upper_edge_hertz)
    if num_mel_bins <= 0:
        raise ValueError(f"num_mel_bins must be positive. Got: {num_mel_bins}")
    if lo is not None and lo < 0.0:
        raise ValueError(f"lower_edge_hertz must be non-negative. Got: {lower_edge_hertz}")
    if lo is not None and hi is not None and lo >= hi:
        raise ValueError(f"lower_edge_hertz {lo:.1f} >= upper_edge_hertz {hi:.1f}")
    if sr is not None:
        if sr <= 0.0:
            raise ValueError(f"sample_rate must be positive. Got: {sample_rate}")
        if hi is not None and hi > sr / 2:
            raise ValueError("upper_edge_hertz must not be larger than the Nyquist frequency (sample_rate / 2). "
                             f"Got {upper_edge_hertz} for sample_rate: {sample_rate}")
    if not dtype.is_floating:
        raise ValueError(f"dtype must be a floating point type. Got: {dtype!r}")
    from tfjax._src.ops import math_ops  # noqa: PLC0415 - cast lives there
    srt = math_ops.cast(sample_rate, dtype)
    lot = convert.tensor(lower_edge_hertz, dtype=dtype)
    hit = convert.tensor(upper_edge_hertz, dtype=dtype)
    return dispatch.apply(_mel_matrix_raw, srt, lot, hit, num_mel_bins=num_mel_bins,
                          num_spectrogram_bins=num_spectrogram_bins)


def mfccs_from_log_mel_spectrograms(log_mel_spectrograms, name=None):
    """``tf.signal.mfccs_from_log_mel_spectrograms``: an orthonormal DCT-II of the last axis."""
    x = log_mel_spectrograms if isinstance(log_mel_spectrograms, Tensor) else convert.tensor(log_mel_spectrograms)
    if x._value.ndim == 0:
        raise errors.invalid_argument("StridedSlice", "slice index -1 of dimension 0 out of bounds.")
    num = x._value.shape[-1]
    if num == 0:
        raise ValueError(f"num_mel_bins must be positive. Got: {x!r}")
    d = _dct_input(x)
    out = dispatch.apply(_dct_raw, d, dct_type=2, n=None, norm=None)
    return dispatch.apply(_scale_raw, out, factor=1.0 / math.sqrt(num * 2.0))
