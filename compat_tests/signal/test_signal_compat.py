"""tf.signal: every snippet runs with real TF and with tfjax; values, dtypes, shapes and
exception classes must match (see compat_tests/_tfdiff.py). fftnd & co. have no CPU kernel
in TF 2.21, so they are checked against TF's 1-3D FFTs / numpy-equivalent compositions."""

import numpy as np
import pytest

from _tfdiff import check

_RNG = np.random.default_rng(0)
_R = _RNG.standard_normal((2, 3, 8)).astype(np.float32)
_I = _RNG.standard_normal((2, 3, 8)).astype(np.float32)
_SIG = np.sin(np.arange(64) * 0.3).astype(np.float32) + 0.1 * _RNG.standard_normal(64).astype(np.float32)


def _c(tf, dtype="complex64", shape=None):
    r, i = (_R, _I) if shape is None else (_R.reshape(shape), _I.reshape(shape))
    z = tf.complex(tf.constant(r), tf.constant(i))
    return tf.cast(z, dtype)


def _r(tf, dtype="float32", shape=None):
    return tf.cast(tf.constant(_R if shape is None else _R.reshape(shape)), dtype)


FFT = {
    "fft": lambda tf: tf.signal.fft(_c(tf)),
    "ifft": lambda tf: tf.signal.ifft(_c(tf)),
    "fft_c128": lambda tf: tf.signal.fft(_c(tf, "complex128")),
    "fft2d": lambda tf: tf.signal.fft2d(_c(tf)),
    "ifft2d_c128": lambda tf: tf.signal.ifft2d(_c(tf, "complex128")),
    "fft3d": lambda tf: tf.signal.fft3d(_c(tf)),
    "ifft3d": lambda tf: tf.signal.ifft3d(_c(tf)),
    "fft_list": lambda tf: tf.signal.fft([1 + 1j, 2, 3j]),
    "fft_empty": lambda tf: tf.signal.fft(tf.zeros([2, 0], tf.complex64)),
    "fft_float_raises": lambda tf: tf.signal.fft(_r(tf)),
    "fft_int_raises": lambda tf: tf.signal.fft(tf.constant([1, 2])),
    "fft_scalar_raises": lambda tf: tf.signal.fft(tf.constant(1 + 0j, tf.complex64)),
    "fft2d_rank_raises": lambda tf: tf.signal.fft2d(_c(tf)[0, 0]),
    "fft3d_rank_raises": lambda tf: tf.signal.fft3d(_c(tf)[0]),
    "rfft": lambda tf: tf.signal.rfft(_r(tf)),
    "rfft_f64": lambda tf: tf.signal.rfft(_r(tf, "float64")),
    "rfft_list": lambda tf: tf.signal.rfft([1., 2., 3.]),
    "rfft_pad": lambda tf: tf.signal.rfft(_r(tf), [11]),
    "rfft_crop": lambda tf: tf.signal.rfft(_r(tf), [5]),
    "rfft_len_tensor": lambda tf: tf.signal.rfft(_r(tf), tf.constant([6])),
    "rfft_complex_raises": lambda tf: tf.signal.rfft(_c(tf)),
    "rfft_int_raises": lambda tf: tf.signal.rfft(tf.constant([1, 2])),
    "rfft_f16_raises": lambda tf: tf.signal.rfft(tf.constant([1., 2.], tf.float16)),
    "rfft_int_len_raises": lambda tf: tf.signal.rfft(_r(tf), 6),
    "rfft_len_shape_raises": lambda tf: tf.signal.rfft(_r(tf), [2, 3]),
    "rfft_len_neg_raises": lambda tf: tf.signal.rfft(_r(tf), [-1]),
    "rfft_scalar_raises": lambda tf: tf.signal.rfft(tf.constant(1.)),
    "irfft": lambda tf: tf.signal.irfft(_c(tf)),
    "irfft_c128": lambda tf: tf.signal.irfft(_c(tf, "complex128")),
    "irfft_len_odd": lambda tf: tf.signal.irfft(_c(tf), [9]),
    "irfft_len_small": lambda tf: tf.signal.irfft(_c(tf), [4]),
    "irfft_len_big": lambda tf: tf.signal.irfft(_c(tf), [20]),
    "irfft_float_raises": lambda tf: tf.signal.irfft(_r(tf)),
    "rfft2d": lambda tf: tf.signal.rfft2d(_r(tf)),
    "rfft2d_len": lambda tf: tf.signal.rfft2d(_r(tf), [5, 6]),
    "irfft2d": lambda tf: tf.signal.irfft2d(_c(tf)),
    "irfft2d_len": lambda tf: tf.signal.irfft2d(_c(tf), [2, 7]),
    "rfft3d_f64": lambda tf: tf.signal.rfft3d(_r(tf, "float64")),
    "irfft3d": lambda tf: tf.signal.irfft3d(_c(tf)),
    "rfft3d_rank_raises": lambda tf: tf.signal.rfft3d(_r(tf)[0]),
    "fftshift": lambda tf: tf.signal.fftshift(tf.reshape(tf.range(15), [3, 5])),
    "ifftshift": lambda tf: tf.signal.ifftshift(tf.reshape(tf.range(15), [3, 5])),
    "fftshift_axis": lambda tf: tf.signal.fftshift(tf.reshape(tf.range(15.), [3, 5]), axes=1),
    "ifftshift_axes_neg": lambda tf: tf.signal.ifftshift(tf.reshape(tf.range(15), [3, 5]), axes=[-1]),
    "fftshift_list": lambda tf: tf.signal.fftshift([1, 2, 3]),
    "fftshift_scalar_raises": lambda tf: tf.signal.fftshift(tf.constant(1)),
    "fftshift_axis_oob_raises": lambda tf: tf.signal.fftshift(tf.reshape(tf.range(12), [3, 4]), axes=[3]),
}


@pytest.mark.parametrize("name", sorted(FFT))
def test_fft(name):
    check(FFT[name], rtol=1e-4, atol=1e-4, expect_raise="InvalidArgumentError" if name.endswith("_raises")
          and name.startswith(("fft_", "fft2d", "fft3d")) else None)


ND = {
    # TF has no CPU kernels for the N-D FFTs; these compare with TF's fixed-rank ops.
    "fftnd": (lambda tf: tf.signal.fftnd(_c(tf)), lambda tf: tf.signal.fft3d(_c(tf))),
    "fftnd_axes": (lambda tf: tf.signal.fftnd(_c(tf), axes=[-2, -1]), lambda tf: tf.signal.fft2d(_c(tf))),
    "ifftnd_axes": (lambda tf: tf.signal.ifftnd(_c(tf, "complex128"), axes=[2]),
                    lambda tf: tf.signal.ifft(_c(tf, "complex128"))),
    "fftnd_len": (lambda tf: tf.signal.fftnd(_c(tf), fft_length=[4, 10], axes=[1, 2]),
                  lambda tf: tf.signal.fft2d(tf.pad(_c(tf), [[0, 0], [0, 1], [0, 2]]))),
    "fftnd_ortho": (lambda tf: tf.signal.fftnd(_c(tf), axes=[2], norm="ortho"),
                    lambda tf: tf.signal.fft(_c(tf)) / np.sqrt(8)),
    "ifftnd_forward": (lambda tf: tf.signal.ifftnd(_c(tf), axes=[2], norm="forward"),
                       lambda tf: tf.signal.ifft(_c(tf)) * 8),
    "rfftnd": (lambda tf: tf.signal.rfftnd(_r(tf), axes=[1, 2]), lambda tf: tf.signal.rfft2d(_r(tf))),
    "rfftnd_len": (lambda tf: tf.signal.rfftnd(_r(tf, "float64"), fft_length=[6], axes=[2]),
                   lambda tf: tf.signal.rfft(_r(tf, "float64"), [6])),
    "irfftnd": (lambda tf: tf.signal.irfftnd(_c(tf), axes=[1, 2]), lambda tf: tf.signal.irfft2d(_c(tf))),
    "irfftnd_ortho": (lambda tf: tf.signal.irfftnd(_c(tf), axes=[2], norm="ortho"),
                      lambda tf: tf.signal.irfft(_c(tf)) * np.sqrt(14.).astype(np.float32)),
}


@pytest.mark.parametrize("name", sorted(ND))
def test_fftnd_matches_fixed_rank(name, tfx, tf_real):
    got, ref = ND[name]
    a = np.asarray(ref(tf_real))
    b = np.asarray(got(tfx))
    assert a.dtype == b.dtype and a.shape == b.shape
    np.testing.assert_allclose(b, a, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("snippet", [
    lambda tf: tf.signal.fftnd(_r(tf)),
    lambda tf: tf.signal.rfftnd(_c(tf)),
    lambda tf: tf.signal.irfftnd(_r(tf)),
])
def test_fftnd_dtype_errors(snippet, tfx, tf_real):
    # TF checks dtypes before looking for a kernel, so these errors are comparable.
    check(snippet)


WINDOWS = {
    "hann": lambda tf: tf.signal.hann_window(10),
    "hann_odd_sym": lambda tf: tf.signal.hann_window(7, periodic=False),
    "hann_1": lambda tf: tf.signal.hann_window(1),
    "hann_0": lambda tf: tf.signal.hann_window(0),
    "hann_f64": lambda tf: tf.signal.hann_window(9, dtype=tf.float64),
    "hann_f16": lambda tf: tf.signal.hann_window(8, dtype=tf.float16),
    "hann_tensor_len": lambda tf: tf.signal.hann_window(tf.constant(6), periodic=tf.constant(False)),
    "hann_neg_raises": lambda tf: tf.signal.hann_window(-1),
    "hann_int_raises": lambda tf: tf.signal.hann_window(4, dtype=tf.int32),
    "hann_float_len_raises": lambda tf: tf.signal.hann_window(4.0),
    "hann_vector_len_raises": lambda tf: tf.signal.hann_window([4]),
    "hamming": lambda tf: tf.signal.hamming_window(10),
    "hamming_sym_f64": lambda tf: tf.signal.hamming_window(10, periodic=False, dtype=tf.float64),
    "kaiser": lambda tf: tf.signal.kaiser_window(9),
    "kaiser_beta_f64": lambda tf: tf.signal.kaiser_window(6, beta=3., dtype=tf.float64),
    "kaiser_1": lambda tf: tf.signal.kaiser_window(1),
    "kaiser_0_raises": lambda tf: tf.signal.kaiser_window(0),
    "kaiser_complex_raises": lambda tf: tf.signal.kaiser_window(4, dtype=tf.complex64),
    "kbd": lambda tf: tf.signal.kaiser_bessel_derived_window(8),
    "kbd_odd": lambda tf: tf.signal.kaiser_bessel_derived_window(7, beta=4.),
    "kbd_1": lambda tf: tf.signal.kaiser_bessel_derived_window(1),
    "vorbis": lambda tf: tf.signal.vorbis_window(8),
    "vorbis_f64": lambda tf: tf.signal.vorbis_window(5, dtype=tf.float64),
    "vorbis_0": lambda tf: tf.signal.vorbis_window(0),
    "vorbis_int_raises": lambda tf: tf.signal.vorbis_window(4, dtype=tf.int32),
}


@pytest.mark.parametrize("name", sorted(WINDOWS))
def test_windows(name):
    check(WINDOWS[name], rtol=1e-5, atol=1e-6 if "f16" not in name else 2e-3)


_S2 = np.arange(20, dtype=np.float32).reshape(2, 10)
FRAMES = {
    "frame": lambda tf: tf.signal.frame(tf.constant(_S2), 4, 2),
    "frame_pad": lambda tf: tf.signal.frame(tf.constant(_S2), 4, 3, pad_end=True),
    "frame_pad_value": lambda tf: tf.signal.frame(tf.constant(_S2), 4, 3, pad_end=True, pad_value=-1.),
    "frame_axis0": lambda tf: tf.signal.frame(tf.constant(_S2), 2, 1, axis=0),
    "frame_axis_mid": lambda tf: tf.signal.frame(tf.reshape(tf.range(24), [2, 6, 2]), 3, 2, axis=-2),
    "frame_too_short": lambda tf: tf.signal.frame(tf.constant(_S2), 12, 2),
    "frame_too_short_pad": lambda tf: tf.signal.frame(tf.constant(_S2), 12, 2, pad_end=True),
    "frame_len0": lambda tf: tf.signal.frame(tf.constant(_S2), 0, 1),
    "frame_tensor_args": lambda tf: tf.signal.frame(tf.constant(_S2), tf.constant(3), tf.constant(2)),
    "frame_list": lambda tf: tf.signal.frame([1., 2., 3.], 2, 1),
    "frame_scalar_raises": lambda tf: tf.signal.frame(tf.constant(1.), 1, 1),
    "frame_step0_raises": lambda tf: tf.signal.frame(tf.constant(_S2), 2, 0),
    "frame_len_neg_raises": lambda tf: tf.signal.frame(tf.constant(_S2), -1, 1),
    "frame_len_vector_raises": lambda tf: tf.signal.frame(tf.constant(_S2), [2], 1),
    "frame_pad_value_type_raises": lambda tf: tf.signal.frame(tf.range(5), 2, 2, pad_end=True, pad_value=1.5),
    "frame_string": lambda tf: tf.signal.frame(tf.constant(["a", "b", "c"]), 2, 1, pad_end=True, pad_value="z").numpy().tolist(),
    "frame_axis_oob_raises": lambda tf: tf.signal.frame(tf.constant(_S2), 2, 1, axis=2),
    "ola": lambda tf: tf.signal.overlap_and_add(tf.reshape(tf.range(24.), [2, 3, 4]), 2),
    "ola_fast_path": lambda tf: tf.signal.overlap_and_add(tf.reshape(tf.range(24.), [2, 3, 4]), 4),
    "ola_gap": lambda tf: tf.signal.overlap_and_add(tf.reshape(tf.range(24.), [2, 3, 4]), 5),
    "ola_int": lambda tf: tf.signal.overlap_and_add(tf.reshape(tf.range(24), [2, 3, 4]), 3),
    "ola_complex": lambda tf: tf.signal.overlap_and_add(_c(tf), 3),
    "ola_tensor_step": lambda tf: tf.signal.overlap_and_add(_r(tf), tf.constant(2)),
    "ola_rank1_raises": lambda tf: tf.signal.overlap_and_add(tf.range(4.), 1),
    "ola_step_vector_raises": lambda tf: tf.signal.overlap_and_add(_r(tf), [2]),
    "ola_step_float_raises": lambda tf: tf.signal.overlap_and_add(_r(tf), tf.constant(2.)),
    "ola_step0_raises": lambda tf: tf.signal.overlap_and_add(_r(tf), 0),
}


@pytest.mark.parametrize("name", sorted(FRAMES))
def test_frame_and_overlap_add(name):
    check(FRAMES[name])


SPECTRAL = {
    "stft": lambda tf: tf.signal.stft(tf.constant(_SIG), 16, 8),
    "stft_fft_len": lambda tf: tf.signal.stft(tf.constant(_SIG), 16, 8, fft_length=32),
    "stft_fft_len_small": lambda tf: tf.signal.stft(tf.constant(_SIG), 16, 8, fft_length=8),
    "stft_pad_end": lambda tf: tf.signal.stft(tf.constant(_SIG), 16, 5, pad_end=True),
    "stft_no_window": lambda tf: tf.signal.stft(tf.constant(_SIG), 16, 8, window_fn=None),
    "stft_hamming_odd": lambda tf: tf.signal.stft(tf.constant(_SIG), 15, 7, window_fn=tf.signal.hamming_window),
    "stft_f64_batch": lambda tf: tf.signal.stft(tf.reshape(tf.cast(_SIG, tf.float64), [2, 32]), 8, 4),
    "stft_int_raises": lambda tf: tf.signal.stft(tf.range(64), 16, 8),
    "stft_complex_raises": lambda tf: tf.signal.stft(tf.complex(_SIG, _SIG), 16, 8),
    "stft_f16_raises": lambda tf: tf.signal.stft(tf.cast(_SIG, tf.float16), 16, 8),
    "stft_scalar_raises": lambda tf: tf.signal.stft(tf.constant(1.), 16, 8),
    "istft": lambda tf: tf.signal.inverse_stft(tf.signal.stft(tf.constant(_SIG), 16, 8), 16, 8),
    "istft_roundtrip": lambda tf: tf.signal.inverse_stft(
        tf.signal.stft(tf.constant(_SIG), 16, 4, 32), 16, 4, 32,
        window_fn=tf.signal.inverse_stft_window_fn(4)),
    "istft_frame_gt_fft": lambda tf: tf.signal.inverse_stft(tf.signal.stft(tf.constant(_SIG), 16, 8), 20, 8),
    "istft_c128": lambda tf: tf.signal.inverse_stft(
        tf.cast(tf.signal.stft(tf.constant(_SIG), 16, 8), tf.complex128), 16, 8, window_fn=None),
    "istft_float_raises": lambda tf: tf.signal.inverse_stft(tf.constant(_R), 16, 8),
    "istft_rank1_raises": lambda tf: tf.signal.inverse_stft(tf.signal.stft(tf.constant(_SIG), 16, 8)[0], 16, 8),
    "istft_window": lambda tf: tf.signal.inverse_stft_window_fn(4, tf.signal.hamming_window)(16, dtype=tf.float64),
    "istft_window_nondividing": lambda tf: tf.signal.inverse_stft_window_fn(5)(16, tf.float32),
    "istft_window_missing_dtype_raises": lambda tf: tf.signal.inverse_stft_window_fn(8)(16),
}


@pytest.mark.parametrize("name", sorted(SPECTRAL))
def test_stft(name):
    check(SPECTRAL[name], rtol=1e-4, atol=1e-4)


_X = np.arange(12, dtype=np.float32).reshape(3, 4) ** 1.5
DCT = {f"dct{t}{'_ortho' if norm else ''}{'_n' + str(n) if n else ''}{'_inv' if inv else ''}":
       (lambda tf, t=t, norm=norm, n=n, inv=inv: (tf.signal.idct if inv else tf.signal.dct)(
           tf.constant(_X), type=t, norm=norm, n=n))
       for t in (1, 2, 3, 4) for norm in (None, "ortho") for n in (None, 2, 6) for inv in (False, True)
       if not (t == 1 and norm)}
DCT.update({
    "dct_f64": lambda tf: tf.signal.dct(tf.cast(_X, tf.float64), norm="ortho"),
    "dct_list": lambda tf: tf.signal.dct([1., 2., 3.]),
    "dct_empty": lambda tf: tf.signal.dct(tf.zeros([2, 0])),
    "dct_int_raises": lambda tf: tf.signal.dct(tf.constant([1, 2, 3])),
    "dct_f16_raises": lambda tf: tf.signal.dct(tf.constant([1., 2.], tf.float16)),
    "dct_axis_raises": lambda tf: tf.signal.dct(tf.constant(_X), axis=0),
    "dct_n0_raises": lambda tf: tf.signal.dct(tf.constant(_X), n=0),
    "dct_type5_raises": lambda tf: tf.signal.dct(tf.constant(_X), type=5),
    "dct_norm_raises": lambda tf: tf.signal.idct(tf.constant(_X), norm="forward"),
    "dct1_ortho_raises": lambda tf: tf.signal.dct(tf.constant(_X), type=1, norm="ortho"),
    "dct1_len1_raises": lambda tf: tf.signal.dct(tf.ones([3, 1]), type=1),
    "mdct": lambda tf: tf.signal.mdct(tf.constant(_SIG), 8),
    "mdct_ortho_pad_kbd": lambda tf: tf.signal.mdct(tf.constant(_SIG[:30]), 8, pad_end=True, norm="ortho",
                                                    window_fn=tf.signal.kaiser_bessel_derived_window),
    "mdct_no_window_f64": lambda tf: tf.signal.mdct(tf.cast(_SIG, tf.float64), 16, window_fn=None),
    "mdct_roundtrip": lambda tf: tf.signal.inverse_mdct(tf.signal.mdct(tf.constant(_SIG), 8)),
    "mdct_roundtrip_ortho": lambda tf: tf.signal.inverse_mdct(tf.signal.mdct(tf.constant(_SIG), 8, norm="ortho"),
                                                              norm="ortho"),
    "imdct_no_window": lambda tf: tf.signal.inverse_mdct(tf.constant(_X), window_fn=None),
    "mdct_len_raises": lambda tf: tf.signal.mdct(tf.constant(_SIG), 6),
    "mdct_int_raises": lambda tf: tf.signal.mdct(tf.range(16), 8),
    "mdct_norm_raises": lambda tf: tf.signal.mdct(tf.constant(_SIG), 8, norm="xx"),
    "imdct_rank1_raises": lambda tf: tf.signal.inverse_mdct(tf.range(4.)),
    "imdct_int_raises": lambda tf: tf.signal.inverse_mdct(tf.ones([2, 4], tf.int32)),
})


@pytest.mark.parametrize("name", sorted(DCT))
def test_dct_mdct(name):
    check(DCT[name], rtol=1e-4, atol=1e-3)


MEL = {
    "mel_default": lambda tf: tf.signal.linear_to_mel_weight_matrix(),
    "mel_f64": lambda tf: tf.signal.linear_to_mel_weight_matrix(8, 33, 16000, 20., 8000., tf.float64),
    "mel_tensor_args": lambda tf: tf.signal.linear_to_mel_weight_matrix(
        tf.constant(10), tf.constant(65), tf.constant(8000), tf.constant(100.)),
    "mel_int_raises": lambda tf: tf.signal.linear_to_mel_weight_matrix(dtype=tf.int32),
    "mel_bins0_raises": lambda tf: tf.signal.linear_to_mel_weight_matrix(0),
    "mel_lower_neg_raises": lambda tf: tf.signal.linear_to_mel_weight_matrix(lower_edge_hertz=-1.),
    "mel_lower_gt_upper_raises": lambda tf: tf.signal.linear_to_mel_weight_matrix(lower_edge_hertz=4000.),
    "mel_nyquist_raises": lambda tf: tf.signal.linear_to_mel_weight_matrix(upper_edge_hertz=4001.),
    "mel_rate0_raises": lambda tf: tf.signal.linear_to_mel_weight_matrix(sample_rate=0),
    "mfcc": lambda tf: tf.signal.mfccs_from_log_mel_spectrograms(tf.constant(_X)),
    "mfcc_f64": lambda tf: tf.signal.mfccs_from_log_mel_spectrograms(tf.cast(_R, tf.float64)),
    "mfcc_empty_raises": lambda tf: tf.signal.mfccs_from_log_mel_spectrograms(tf.zeros([2, 0])),
    "mfcc_int_raises": lambda tf: tf.signal.mfccs_from_log_mel_spectrograms(tf.constant([[1, 2]])),
    "mfcc_pipeline": lambda tf: tf.signal.mfccs_from_log_mel_spectrograms(tf.math.log(1e-6 + tf.tensordot(
        tf.abs(tf.signal.stft(tf.constant(_SIG), 16, 8)), tf.signal.linear_to_mel_weight_matrix(6, 9, 8000), 1))),
}


@pytest.mark.parametrize("name", sorted(MEL))
def test_mel_mfcc(name):
    check(MEL[name], rtol=1e-4, atol=1e-4)


# -- gradients: real sources and real losses, so TF's complex-gradient convention does not enter.
def _grad(fn, dtype="float32", shape=(2, 3, 8)):
    def snippet(tf):
        x = tf.cast(tf.constant(_R.reshape(shape)), dtype)
        with tf.GradientTape() as t:
            t.watch(x)
            y = fn(tf, x)
        return t.gradient(y, x)
    return snippet


def _loss(tf, z):
    w = tf.cast(tf.range(tf.size(z)) % 5, z.dtype.real_dtype) + 1.
    w = tf.reshape(w, tf.shape(z))
    if z.dtype.is_complex:
        return tf.reduce_sum(w * tf.math.real(z)) + tf.reduce_sum(tf.math.imag(z) ** 2)
    return tf.reduce_sum(w * z * z)


GRADS = {
    "fft": _grad(lambda tf, x: _loss(tf, tf.signal.fft(tf.complex(x, 2. * x)))),
    "ifft2d": _grad(lambda tf, x: _loss(tf, tf.signal.ifft2d(tf.complex(x, x * x)))),
    "fft3d_f64": _grad(lambda tf, x: _loss(tf, tf.signal.fft3d(tf.complex(x, -x))), "float64"),
    "rfft": _grad(lambda tf, x: _loss(tf, tf.signal.rfft(x))),
    "rfft_odd": _grad(lambda tf, x: _loss(tf, tf.signal.rfft(x)), shape=(6, 8 // 1)[::-1]),
    "rfft2d": _grad(lambda tf, x: _loss(tf, tf.signal.rfft2d(x))),
    "irfft": _grad(lambda tf, x: _loss(tf, tf.signal.irfft(tf.complex(x, x)))),
    "irfft2d_f64": _grad(lambda tf, x: _loss(tf, tf.signal.irfft2d(tf.complex(x, 0.5 * x))), "float64"),
    "frame": _grad(lambda tf, x: _loss(tf, tf.signal.frame(x, 3, 2, pad_end=True))),
    "overlap_and_add": _grad(lambda tf, x: _loss(tf, tf.signal.overlap_and_add(x, 3))),
    "stft": _grad(lambda tf, x: _loss(tf, tf.signal.stft(tf.reshape(x, [-1]), 8, 4))),
    "inverse_stft": _grad(lambda tf, x: _loss(tf, tf.signal.inverse_stft(
        tf.complex(x[..., :5], x[..., 3:]), 8, 4))),
    "dct2_ortho": _grad(lambda tf, x: _loss(tf, tf.signal.dct(x, norm="ortho"))),
    "idct4": _grad(lambda tf, x: _loss(tf, tf.signal.idct(x, type=4))),
    "dct1": _grad(lambda tf, x: _loss(tf, tf.signal.dct(x, type=1))),
    "mdct": _grad(lambda tf, x: _loss(tf, tf.signal.mdct(tf.reshape(x, [6, 8]), 4))),
    "mfcc": _grad(lambda tf, x: _loss(tf, tf.signal.mfccs_from_log_mel_spectrograms(x))),
    "fftshift": _grad(lambda tf, x: _loss(tf, tf.signal.fftshift(x, axes=[1, 2]))),
    "kaiser_beta": lambda tf: _beta_grad(tf),
}


def _beta_grad(tf):
    b = tf.constant(3.0)
    with tf.GradientTape() as t:
        t.watch(b)
        y = tf.reduce_sum(tf.signal.kaiser_window(7, beta=b) * tf.range(7.))
    return t.gradient(y, b)


@pytest.mark.parametrize("name", sorted(GRADS))
def test_gradients(name):
    check(GRADS[name], rtol=1e-4, atol=1e-3)


def test_inside_tf_function():
    def snippet(tf):
        @tf.function
        def f(x):
            s = tf.signal.stft(x, 16, 8)
            m = tf.signal.mfccs_from_log_mel_spectrograms(tf.math.log(tf.abs(s) + 1.))
            return m, tf.signal.inverse_stft(s, 16, 8), tf.signal.fftshift(tf.signal.fft(tf.complex(x, x)))
        return f(tf.constant(_SIG)), f(tf.constant(_SIG[::-1].copy()))
    check(snippet, rtol=1e-4, atol=1e-4)


def test_gradient_inside_tf_function():
    def snippet(tf):
        @tf.function
        def g(x):
            with tf.GradientTape() as t:
                t.watch(x)
                y = tf.reduce_sum(tf.abs(tf.signal.stft(x, 16, 8)) ** 2)
            return t.gradient(y, x)
        return g(tf.constant(_SIG))
    check(snippet, rtol=1e-4, atol=1e-3)
