"""``tf.signal`` FFTs: fft/ifft (1-3D and N-D), rfft/irfft (1-3D and N-D), fftshift/ifftshift.

Each op checks TF's argument rules (dtype lists, ranks, ``fft_length`` shape) in Python
and runs one ``dispatch.apply`` over a ``jnp.fft`` call, so GradientTape and tf.function
see one differentiable op. ``fft_length`` must be static (XLA needs static shapes): a
symbolic ``fft_length`` inside tf.function makes that signature run eagerly.

Windows live in :mod:`.signal_windows`; framing, STFT, DCT/MDCT and mel ops in
:mod:`.signal_spectral`.

Deliberate difference: TF 2.21 registers no CPU kernel for ``fftnd``/``ifftnd``/``rfftnd``/
``irfftnd`` (they raise NotFoundError on CPU). tfjax runs them everywhere, with the
semantics of TF's Python wrapper (``axes`` defaults to every axis, ``norm`` is
"backward"/"forward"/"ortho", anything else acting as "backward").
"""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from tfjax._src import dispatch
from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src.ops import convert
from tfjax._src.tensor import Tensor

_COMPLEX = frozenset((np.dtype(np.complex64), np.dtype(np.complex128)))
_REAL = frozenset((np.dtype(np.float32), np.dtype(np.float64)))


def _tensor(x, hint=None):
    if type(x) is Tensor:
        return x
    return convert.tensor(x, dtype_hint=hint)


def _rank_at_least(t, n):
    if t._value.ndim < n:
        raise ValueError(f"Shape {t.shape} must have rank at least {n}")


# -- complex FFTs ------------------------------------------------------------------
def _fftn_raw(x, *, rank, inverse):
    axes = tuple(range(-rank, 0))
    if x.size == 0:
        return x
    return jnp.fft.ifftn(x, axes=axes) if inverse else jnp.fft.fftn(x, axes=axes)


def _complex_fft(op_name, rank, inverse):
    def op(input, name=None):  # noqa: A002 - TF name
        x = _tensor(input)
        if x._value.dtype not in _COMPLEX:
            raise errors.invalid_argument(
                op_name, f"Value for attr 'Tcomplex' of {convert.tf_type_name(x.dtype)} is not in the list "
                "of allowed values: complex64, complex128")
        if x._value.ndim < rank:
            raise errors.invalid_argument(
                op_name, f"Input must have rank of at least {rank} but got: {list(x._value.shape)}")
        return dispatch.apply(_fftn_raw, x, rank=rank, inverse=inverse)

    op.__name__ = op_name.lower()
    op.__doc__ = f"``tf.signal.{op_name.lower()}``: {'inverse ' if inverse else ''}{rank}-D FFT over the innermost axes."
    return op


fft = _complex_fft("FFT", 1, False)
ifft = _complex_fft("IFFT", 1, True)
fft2d = _complex_fft("FFT2D", 2, False)
ifft2d = _complex_fft("IFFT2D", 2, True)
fft3d = _complex_fft("FFT3D", 3, False)
ifft3d = _complex_fft("IFFT3D", 3, True)


# -- real FFTs ---------------------------------------------------------------------
def _rfft_raw(x, *, lengths, axes, norm):
    return jnp.fft.rfftn(x, s=lengths, axes=axes, norm=norm).astype(
        jnp.complex64 if x.dtype == jnp.float32 else jnp.complex128)


def _irfft_raw(x, *, lengths, axes, norm):
    return jnp.fft.irfftn(x, s=lengths, axes=axes, norm=norm).astype(
        jnp.float32 if x.dtype == jnp.complex64 else jnp.float64)


def _cfftn_raw(x, *, lengths, axes, norm, inverse):
    f = jnp.fft.ifftn if inverse else jnp.fft.fftn
    return f(x, s=lengths, axes=axes, norm=norm).astype(x.dtype)


def _fft_lengths(fft_length, rank, op_name):
    """A static tuple of ``rank`` non-negative ints from TF's ``fft_length`` argument."""
    if isinstance(fft_length, (int, np.integer)):
        raise TypeError(f"'{type(np.int32(0)).__module__}.int32' object is not iterable")
    t = convert.tensor(fft_length, dtype=dtypes.int32) if not isinstance(fft_length, Tensor) else fft_length
    if isinstance(t._value, jnp.ndarray) and not convert.is_concrete(t):
        raise errors.SymbolicValueError(
            "fft_length must be known when tf.function traces (XLA needs static shapes).")
    vals = np.asarray(t._value).reshape(-1) if np.ndim(t._value) == 1 else None
    if vals is None or vals.shape[0] != rank:
        raise errors.invalid_argument(op_name, f"fft_length must have shape [{rank}]")
    for i, v in enumerate(vals):
        if v < 0:
            raise errors.invalid_argument(op_name, f"fft_length[{i}] must >= 0, but got: {int(v)}")
    return tuple(int(v) for v in vals)


def _real_fft(op_name, rank):
    def op(input_tensor, fft_length=None, name=None):
        x = _tensor(input_tensor, dtypes.float32)
        if x._value.dtype not in _REAL:
            raise ValueError(f"RFFT requires tf.float32 or tf.float64 inputs, got: {x!r}")
        _rank_at_least(x, rank)
        if fft_length is None:
            lengths = tuple(x._value.shape[-rank:])
        else:
            lengths = _fft_lengths(fft_length, rank, op_name)
        return dispatch.apply(_rfft_raw, x, lengths=lengths, axes=tuple(range(-rank, 0)), norm=None)

    op.__name__ = op_name.lower()
    op.__doc__ = f"``tf.signal.{op_name.lower()}``: {rank}-D real-to-complex FFT of the innermost axes."
    return op


def _inverse_real_fft(op_name, rank):
    def op(input_tensor, fft_length=None, name=None):
        x = _tensor(input_tensor, dtypes.complex64)
        _rank_at_least(x, rank)
        if x._value.dtype not in _COMPLEX:
            raise ValueError(f"IRFFT requires tf.complex64 or tf.complex128 inputs, got: {x!r}")
        if fft_length is None:
            lengths = list(x._value.shape[-rank:])
            lengths[-1] = max(0, 2 * (lengths[-1] - 1))
            lengths = tuple(lengths)
        else:
            lengths = _fft_lengths(fft_length, rank, op_name)
        return dispatch.apply(_irfft_raw, x, lengths=lengths, axes=tuple(range(-rank, 0)), norm=None)

    op.__name__ = op_name.lower()
    op.__doc__ = f"``tf.signal.{op_name.lower()}``: {rank}-D complex-to-real inverse FFT of the innermost axes."
    return op


rfft = _real_fft("RFFT", 1)
rfft2d = _real_fft("RFFT2D", 2)
rfft3d = _real_fft("RFFT3D", 3)
irfft = _inverse_real_fft("IRFFT", 1)
irfft2d = _inverse_real_fft("IRFFT2D", 2)
irfft3d = _inverse_real_fft("IRFFT3D", 3)


# -- N-D FFTs ----------------------------------------------------------------------
def _nd_args(x, fft_length, axes, norm, op_name, inverse_real=False):
    ndim = x._value.ndim
    if axes is None:
        axes = tuple(range(ndim))
    else:
        axes = tuple(int(a) for a in np.asarray(
            axes._value if isinstance(axes, Tensor) else axes, dtype=np.int64).reshape(-1))
    _rank_at_least(x, len(axes))
    norm_axes = []
    for a in axes:
        if not -ndim <= a < ndim:
            raise errors.invalid_argument(op_name, f"axes {list(axes)} out of range for rank {ndim}")
        norm_axes.append(a % ndim)
    if len(set(norm_axes)) != len(norm_axes):
        raise errors.invalid_argument(op_name, f"axes must be unique, got {list(axes)}")
    axes = tuple(norm_axes)
    shape = x._value.shape
    if fft_length is None:
        lengths = [shape[a] for a in axes]
        if inverse_real and lengths:
            lengths[-1] = max(0, 2 * (lengths[-1] - 1))
    else:
        t = convert.tensor(fft_length, dtype=dtypes.int32) if not isinstance(fft_length, Tensor) else fft_length
        if not convert.is_concrete(t):
            raise errors.SymbolicValueError(
                "fft_length must be known when tf.function traces (XLA needs static shapes).")
        vals = [int(v) for v in np.asarray(t._value).reshape(-1)]
        if len(vals) == len(axes):
            lengths = vals
        elif len(vals) == ndim:           # TF's own default: the whole input shape
            lengths = [vals[a] for a in axes]
        else:
            raise errors.invalid_argument(
                op_name, f"fft_length must have as many entries as axes ({len(axes)}), got {len(vals)}")
        if any(v < 0 for v in lengths):
            raise errors.invalid_argument(op_name, f"fft_length must be >= 0, got {vals}")
    if norm is None or norm not in ("backward", "forward", "ortho"):
        norm = "backward"
    return tuple(lengths), axes, norm


def fftnd(input_tensor, fft_length=None, axes=None, norm=None, name=None):
    """``tf.signal.fftnd``: complex FFT over ``axes`` (default: every axis)."""
    x = _tensor(input_tensor, dtypes.complex64)
    lengths, axes, norm = _nd_args(x, fft_length, axes, norm, "FFTND")
    if x._value.dtype not in _COMPLEX:
        raise errors.invalid_argument(
            "FFTND", f"Value for attr 'Tcomplex' of {convert.tf_type_name(x.dtype)} is not in the list "
            "of allowed values: complex64, complex128")
    return dispatch.apply(_cfftn_raw, x, lengths=lengths, axes=axes, norm=norm, inverse=False)


def ifftnd(input_tensor, fft_length=None, axes=None, norm=None, name=None):
    """``tf.signal.ifftnd``: inverse complex FFT over ``axes`` (default: every axis)."""
    x = _tensor(input_tensor, dtypes.complex64)
    lengths, axes, norm = _nd_args(x, fft_length, axes, norm, "IFFTND")
    if x._value.dtype not in _COMPLEX:
        raise errors.invalid_argument(
            "IFFTND", f"Value for attr 'Tcomplex' of {convert.tf_type_name(x.dtype)} is not in the list "
            "of allowed values: complex64, complex128")
    return dispatch.apply(_cfftn_raw, x, lengths=lengths, axes=axes, norm=norm, inverse=True)


def rfftnd(input_tensor, fft_length=None, axes=None, norm=None, name=None):
    """``tf.signal.rfftnd``: real-to-complex FFT over ``axes`` (the last one is halved)."""
    x = _tensor(input_tensor, dtypes.float32)
    if x._value.dtype not in _REAL:
        raise ValueError(f"RFFT requires tf.float32 or tf.float64 inputs, got: {x!r}")
    lengths, axes, norm = _nd_args(x, fft_length, axes, norm, "RFFTND")
    return dispatch.apply(_rfft_raw, x, lengths=lengths, axes=axes, norm=norm)


def irfftnd(input_tensor, fft_length=None, axes=None, norm=None, name=None):
    """``tf.signal.irfftnd``: complex-to-real inverse FFT over ``axes``."""
    x = _tensor(input_tensor, dtypes.complex64)
    if x._value.dtype not in _COMPLEX:
        _rank_at_least(x, 0)
        raise ValueError(f"IRFFT requires tf.complex64 or tf.complex128 inputs, got: {x!r}")
    lengths, axes, norm = _nd_args(x, fft_length, axes, norm, "IRFFTND", inverse_real=True)
    return dispatch.apply(_irfft_raw, x, lengths=lengths, axes=axes, norm=norm)


# -- shifts ------------------------------------------------------------------------
def _roll_raw(x, *, shift, axis):
    return jnp.roll(x, shift, axis)


def _shift(x, axes, sign, op_name):
    x = _tensor(x)
    if x._value.dtype == object:
        raise TypeError("can't multiply sequence by non-int of type 'float'")
    shape = x._value.shape
    ndim = len(shape)
    if axes is None:
        if ndim == 0:
            raise errors.invalid_argument(
                "Roll", "Value for attr 'Taxis' of float is not in the list of allowed values: int32, int64")
        axes = tuple(range(ndim))
    elif isinstance(axes, (int, np.integer)):
        axes = (int(axes),)
    else:
        axes = tuple(int(a) for a in np.asarray(
            axes._value if isinstance(axes, Tensor) else axes).reshape(-1))
    norm_axes = []
    for i, a in enumerate(axes):
        if not -ndim <= a < ndim:
            raise errors.invalid_argument(
                "GatherV2", f"indices[{i}] = {a} is not in [0, {ndim})")
        norm_axes.append(a % ndim)
    shift = tuple(sign * (shape[a] // 2) for a in norm_axes)
    return dispatch.apply(_roll_raw, x, shift=shift, axis=tuple(norm_axes))


def fftshift(x, axes=None, name=None):
    """``tf.signal.fftshift``: moves the zero-frequency term to the centre."""
    return _shift(x, axes, 1, "fftshift")


def ifftshift(x, axes=None, name=None):
    """``tf.signal.ifftshift``: the inverse of :func:`fftshift`."""
    return _shift(x, axes, -1, "ifftshift")
