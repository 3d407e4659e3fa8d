"""The Keras 3.x numpy-like additions to keras.ops (nan-reductions, percentiles, splits, bit shifts, special
functions, unique / histogram / searchsorted, ...) against real Keras (TF backend): values, shapes and dtypes."""

import numpy as np
import pytest

tf_real = pytest.importorskip("tensorflow")
rk = pytest.importorskip("keras")

import tfjax as tf  # noqa: E402

rng = np.random.default_rng(0)
F = rng.standard_normal((3, 4)).astype("float32")
F3 = rng.standard_normal((2, 3, 4)).astype("float32")
FN = F.copy()
FN[0, 1] = np.nan
FN[2, :] = np.nan
I = rng.integers(-6, 7, (3, 4)).astype("int32")
IP = rng.integers(1, 13, (3, 4)).astype("int32")
I64 = I.astype("int64")
V = np.sort(rng.standard_normal(7).astype("float32"))
SQ = rng.standard_normal((3, 3)).astype("float32") + 3 * np.eye(3, dtype="float32")
INF = np.array([-np.inf, -1.0, 0.0, -0.0, 2.0, np.inf, np.nan], "float32")

CASES = {
    "allclose": lambda o: o.allclose(F, F + 1e-7),
    "allclose_nan": lambda o: o.allclose(FN, FN, equal_nan=True),
    "angle": lambda o: o.angle(F),
    "angle_int": lambda o: o.angle(I),
    "argpartition": lambda o: o.argpartition(I, 2),
    "argpartition_axis0": lambda o: o.argpartition(F, 1, axis=0),
    "array_split": lambda o: o.array_split(np.arange(10.0, dtype="float32"), 3),
    "array_split_axis1": lambda o: o.array_split(F, 3, axis=1),
    "bitwise_invert": lambda o: o.bitwise_invert(I),
    "bitwise_not": lambda o: o.bitwise_not(I),
    "bitwise_left_shift": lambda o: o.bitwise_left_shift(IP, 2),
    "bitwise_right_shift": lambda o: o.bitwise_right_shift(IP, np.int32(1)),
    "left_shift": lambda o: o.left_shift(IP, IP % 3),
    "right_shift": lambda o: o.right_shift(IP, IP % 3),
    "cbrt": lambda o: o.cbrt(F),
    "cbrt_int": lambda o: o.cbrt(I),
    "cbrt_int64": lambda o: o.cbrt(I64),
    "corrcoef": lambda o: o.corrcoef(F),
    "corrcoef_int": lambda o: o.corrcoef(I),
    "correlate_valid": lambda o: o.correlate(V, V[:3]),
    "correlate_full": lambda o: o.correlate(V, V[:3], mode="full"),
    "correlate_same": lambda o: o.correlate(V, V[:4], mode="same"),
    "deg2rad": lambda o: o.deg2rad(F),
    "deg2rad_int": lambda o: o.deg2rad(I),
    "rad2deg": lambda o: o.rad2deg(F),
    "rad2deg_int64": lambda o: o.rad2deg(I64),
    "diagflat": lambda o: o.diagflat(V, k=1),
    "diagflat2d": lambda o: o.diagflat(F),
    "diagonal": lambda o: o.diagonal(F),
    "diagonal3": lambda o: o.diagonal(F3, offset=1, axis1=1, axis2=2),
    "dsplit": lambda o: o.dsplit(F3, 2),
    "dstack": lambda o: o.dstack([F, F]),
    "dstack1d": lambda o: o.dstack([V, V]),
    "empty_like_shape": lambda o: o.shape(o.empty_like(F, dtype="int32")),
    "erfc": lambda o: o.erfc(F),
    "fabs": lambda o: o.fabs(F),
    "fabs_int": lambda o: o.fabs(I),
    "fliplr": lambda o: o.fliplr(F),
    "flipud": lambda o: o.flipud(F3),
    "fmax": lambda o: o.fmax(FN, F),
    "fmin": lambda o: o.fmin(F, FN),
    "fmax_int": lambda o: o.fmax(I, IP),
    "fmod": lambda o: o.fmod(F, 0.7),
    "fmod_int": lambda o: o.fmod(I, IP),
    "gcd": lambda o: o.gcd(I, IP),
    "lcm": lambda o: o.lcm(I, IP),
    "geomspace": lambda o: o.geomspace(1.0, 100.0, num=5),
    "geomspace_noend": lambda o: o.geomspace(2, 64, num=6, endpoint=False),
    "logspace": lambda o: o.logspace(0.0, 2.0, num=5),
    "logspace_base": lambda o: o.logspace(1, 3, num=4, base=2),
    "get_item": lambda o: o.get_item(F, 1),
    "get_item_slice": lambda o: o.get_item(F, (slice(0, 2), 1)),
    "heaviside": lambda o: o.heaviside(INF, np.float32(0.5)),
    "heaviside_int": lambda o: o.heaviside(I, IP),
    "histogram_counts": lambda o: o.histogram(F.ravel(), bins=5)[0],
    "histogram_edges": lambda o: o.histogram(F.ravel(), bins=5)[1],
    "histogram_range": lambda o: o.histogram(F.ravel(), bins=4, range=(-1.0, 1.0))[0],
    "hsplit": lambda o: o.hsplit(F, 2),
    "vsplit": lambda o: o.vsplit(F3, [1]),
    "hypot": lambda o: o.hypot(F, F3),
    "hypot_int": lambda o: o.hypot(I, IP),
    "i0": lambda o: o.i0(F),
    "i0_int": lambda o: o.i0(I),
    "isin": lambda o: o.isin(I, [1, 2, -3]),
    "isin_invert": lambda o: o.isin(I, IP, invert=True),
    "isneginf": lambda o: o.isneginf(INF),
    "isposinf": lambda o: o.isposinf(INF),
    "isposinf_int": lambda o: o.isposinf(I),
    "isreal": lambda o: o.isreal(F),
    "kron": lambda o: o.kron(F, SQ),
    "kron_int": lambda o: o.kron(I[:2, :2], IP[:2]),
    "ldexp": lambda o: o.ldexp(F, I),
    "ldexp_int": lambda o: o.ldexp(IP, I % 4),
    "logaddexp2": lambda o: o.logaddexp2(F, F3),
    "logaddexp2_int": lambda o: o.logaddexp2(I, IP),
    "nextafter": lambda o: o.nextafter(F, np.float32(0)),
    "nanargmax": lambda o: o.nanargmax(FN, axis=1),
    "nanargmin": lambda o: o.nanargmin(FN, axis=0),
    "nanargmax_int": lambda o: o.nanargmax(I),
    "nancumsum": lambda o: o.nancumsum(FN, axis=1),
    "nancumprod": lambda o: o.nancumprod(FN),
    "nancumsum_int": lambda o: o.nancumsum(I, axis=0),
    "nanmax": lambda o: o.nanmax(FN[:2], axis=1),
    "nanmin": lambda o: o.nanmin(FN[:2], axis=1, keepdims=True),
    "nanmean": lambda o: o.nanmean(FN, axis=1),
    "nanmean_all": lambda o: o.nanmean(FN),
    "nanmean_int": lambda o: o.nanmean(I, axis=0),
    "nanmedian": lambda o: o.nanmedian(FN, axis=1),
    "nanpercentile": lambda o: o.nanpercentile(FN, 30.0, axis=1),
    "nanquantile": lambda o: o.nanquantile(FN[:2], [0.25, 0.5], axis=1),
    "nanprod": lambda o: o.nanprod(FN, axis=0),
    "nansum": lambda o: o.nansum(FN, axis=1),
    "nansum_int": lambda o: o.nansum(I),
    "nanstd": lambda o: o.nanstd(FN[:2], axis=1),
    "nanvar": lambda o: o.nanvar(FN[:2]),
    "percentile": lambda o: o.percentile(F, 40.0, axis=0),
    "percentile_list": lambda o: o.percentile(F, [10.0, 90.0]),
    "percentile_int": lambda o: o.percentile(I, 50, axis=1),
    "ptp": lambda o: o.ptp(F, axis=1),
    "ptp_int": lambda o: o.ptp(I),
    "rot90": lambda o: o.rot90(F),
    "rot90_k": lambda o: o.rot90(F3, k=3, axes=(1, 2)),
    "searchsorted": lambda o: o.searchsorted(V, F[0]),
    "searchsorted_right": lambda o: o.searchsorted(V, V, side="right"),
    "signbit": lambda o: o.signbit(INF),
    "signbit_int": lambda o: o.signbit(I),
    "sinc": lambda o: o.sinc(F),
    "sinc_int": lambda o: o.sinc(I),
    "slogdet_sign": lambda o: o.slogdet(SQ)[0],
    "slogdet_log": lambda o: o.slogdet(SQ)[1],
    "trapezoid": lambda o: o.trapezoid(F),
    "trapezoid_x": lambda o: o.trapezoid(F, x=F, axis=0),
    "trapezoid_dx": lambda o: o.trapezoid(I, dx=0.5),
    "unique": lambda o: o.unique(I),
    "unique_all": lambda o: o.unique(I, return_index=True, return_inverse=True, return_counts=True),
    "unique_unsorted": lambda o: o.unique(I, sorted=False, return_inverse=True),
    "unravel_index": lambda o: o.unravel_index(np.array([1, 5, 11], "int32"), (3, 4)),
    "vander": lambda o: o.vander(V[:4]),
    "vander_inc": lambda o: o.vander(IP[0], N=3, increasing=True),
    "view": lambda o: o.view(F, "int32"),
    "view_narrow": lambda o: o.view(F, "int16"),
    "view_wide": lambda o: o.view(I, "int64"),
    "bartlett": lambda o: o.bartlett(7),
    "blackman": lambda o: o.blackman(6),
    "hamming": lambda o: o.hamming(5),
    "hanning": lambda o: o.hanning(8),
    "kaiser": lambda o: o.kaiser(6, 3.0),
}


def _flat(x):
    if isinstance(x, (tuple, list)):
        return [e for v in x for e in _flat(v)]
    return [x]


@pytest.mark.parametrize("name", sorted(CASES))
def test_numpy_additions(name):
    fn = CASES[name]
    want = _flat(fn(rk.ops))
    got = _flat(fn(tf.keras.ops))
    assert len(got) == len(want)
    for g, w in zip(got, want):
        w = np.asarray(w)
        g = np.asarray(g)
        assert g.shape == w.shape, (g.shape, w.shape)
        assert g.dtype == w.dtype, (g.dtype, w.dtype)
        if w.dtype.kind in "fc":
            np.testing.assert_allclose(g, w, rtol=2e-5, atol=2e-6)
        else:
            np.testing.assert_array_equal(g, w)


def test_array_split_needs_int():
    for o in (rk.ops, tf.keras.ops):
        with pytest.raises(TypeError):
            o.array_split(F, [1, 3], axis=1)


def test_vectorize():
    # Keras's TF backend refuses most vectorize calls (tf.vectorized_map needs in_axes=0 everywhere); the
    # semantics are numpy's (Keras's JAX backend is jnp.vectorize), so numpy is the oracle here.
    def f(a, b):
        return a * 2 + b
    np.testing.assert_allclose(np.asarray(tf.keras.ops.vectorize(f)(F, F3)), np.vectorize(f)(F, F3))
    got = tf.keras.ops.vectorize(lambda v: tf.keras.ops.sum(v * v), signature="(n)->()")(F)
    np.testing.assert_allclose(np.asarray(got), np.vectorize(lambda v: np.sum(v * v), signature="(n)->()")(F),
                               rtol=1e-6)


def test_gradients_match():
    for name in ("cbrt", "hypot", "fmax", "nansum", "nanmean", "ptp", "sinc", "logaddexp2", "heaviside"):
        fn = {"cbrt": lambda o, v: o.cbrt(v), "hypot": lambda o, v: o.hypot(v, 0.5 * v + 0.3),
              "fmax": lambda o, v: o.fmax(v, 0.1), "nansum": lambda o, v: o.nansum(v),
              "nanmean": lambda o, v: o.nanmean(v, axis=0), "ptp": lambda o, v: o.ptp(v, axis=1),
              "sinc": lambda o, v: o.sinc(v), "logaddexp2": lambda o, v: o.logaddexp2(v, 0.2 * v),
              "heaviside": lambda o, v: o.heaviside(v, 0.5)}[name]
        with tf_real.GradientTape() as tp:
            xv = tf_real.constant(F)
            tp.watch(xv)
            y = tf_real.reduce_sum(fn(rk.ops, xv) ** 2)
        want = tp.gradient(y, xv)
        with tf.GradientTape() as tp:
            xv = tf.constant(F)
            tp.watch(xv)
            y = tf.reduce_sum(fn(tf.keras.ops, xv) ** 2)
        got = tp.gradient(y, xv)
        if want is None:
            assert got is None or not np.any(np.asarray(got)), name
            continue
        np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=1e-4, atol=1e-5, err_msg=name)


X4 = rng.standard_normal((2, 4, 6, 8)).astype("float32")
C2 = np.stack([F, F3[0]], -1)
LB = np.array([[1, 2, 2, 0], [3, 1, 0, 0]], "int32")
LOGITS = rng.standard_normal((2, 7, 5)).astype("float32")
LOW = np.tril(SQ)
SEG_IDS = np.array([0, 0, 1, 2], "int32")

NN_CASES = {
    "sparsemax": lambda o: o.sparsemax(F),
    "sparsemax_axis0": lambda o: o.sparsemax(F3, axis=0),
    "activations_sparsemax": lambda o: (rk if o is rk.ops else tf.keras).activations.sparsemax(F),
    "glu": lambda o: o.glu(F),
    "glu_axis": lambda o: o.glu(F3, axis=1 - 1),
    "psnr": lambda o: o.psnr(F, F3[0], 2.0),
    "rms_normalization": lambda o: o.rms_normalization(F3),
    "rms_normalization_scale": lambda o: o.rms_normalization(F3, scale=F[0], axis=-1, epsilon=1e-3),
    "rms_normalization_axes": lambda o: o.rms_normalization(F3, axis=(1, 2)),
    "layer_normalization": lambda o: o.layer_normalization(F3),
    "layer_normalization_gb": lambda o: o.layer_normalization(F3, F[0], F[1], epsilon=1e-3),
    "layer_normalization_axis1": lambda o: o.layer_normalization(F3, F3[0, :, 0], None, axis=1),
    "layer_normalization_rms": lambda o: o.layer_normalization(F3, F[0], rms_scaling=True),
    "polar": lambda o: o.polar(F, F3[0]),
    "space_to_depth": lambda o: o.space_to_depth(X4, 2),
    "space_to_depth_cf": lambda o: o.space_to_depth(X4, 2, data_format="channels_first"),
    "depth_to_space": lambda o: o.depth_to_space(X4, 2),
    "depth_to_space_cf": lambda o: o.depth_to_space(X4, 2, data_format="channels_first"),
    "ctc_loss": lambda o: o.ctc_loss(LB, LOGITS, np.array([3, 2], "int32"), np.array([7, 5], "int32")),
    "ctc_loss_mask": lambda o: o.ctc_loss(LB + 1, LOGITS, np.array([3, 2]), np.array([7, 6]), mask_index=4 - 4),
    "ctc_decode_greedy": lambda o: o.ctc_decode(LOGITS, np.array([7, 5], "int32")),
    "ctc_decode_greedy_nomerge": lambda o: o.ctc_decode(LOGITS, np.array([7, 6]), merge_repeated=False,
                                                        mask_index=4),
    "ctc_decode_beam": lambda o: o.ctc_decode(LOGITS, np.array([7, 5], "int32"), strategy="beam_search",
                                              beam_width=4, top_paths=2),
    "segment_min": lambda o: o.segment_min(F.T, SEG_IDS),
    "segment_prod": lambda o: o.segment_prod(F.T, SEG_IDS, num_segments=4),
    "segment_min_sorted": lambda o: o.segment_min(F.T, SEG_IDS, sorted=True),
    "ifft2": lambda o: o.ifft2((F3, F3[::-1])),
    "view_as_complex": lambda o: o.view_as_complex(C2),
    "view_as_real": lambda o: o.view_as_real(o.view_as_complex(C2)),
    "cdist": lambda o: o.cdist(F, F3[1]),
    "cdist_batched": lambda o: o.cdist(F3, F3[::-1]),
    "erfc": lambda o: o.erfc(F),
    "cholesky_inverse": lambda o: o.cholesky_inverse(np.linalg.cholesky(SQ @ SQ.T)),
    "cholesky_inverse_upper": lambda o: o.cholesky_inverse(np.linalg.cholesky(SQ @ SQ.T).T, upper=True),
    "lstsq": lambda o: o.lstsq(F.T, F[0]),
    "lstsq_2d": lambda o: o.lstsq(F.T, F3[0].T),
    "matrix_rank": lambda o: o.matrix_rank(F),
    "matrix_rank_tol": lambda o: o.matrix_rank(SQ, tol=2.5),
    "pinv": lambda o: o.pinv(F),
    "solve_triangular": lambda o: o.solve_triangular(LOW, F[:, 0], lower=True),
    "solve_triangular_upper": lambda o: o.solve_triangular(LOW.T, F),
}


@pytest.mark.parametrize("name", sorted(NN_CASES))
def test_nn_math_linalg_additions(name):
    fn = NN_CASES[name]
    want = _flat(fn(rk.ops))
    got = _flat(fn(tf.keras.ops))
    assert len(got) == len(want)
    for g, w in zip(got, want):
        w, g = np.asarray(w), np.asarray(g)
        assert g.shape == w.shape, (g.shape, w.shape)
        assert g.dtype == w.dtype, (g.dtype, w.dtype)
        if w.dtype.kind in "fc":
            np.testing.assert_allclose(g, w, rtol=1e-4, atol=1e-5)
        else:
            np.testing.assert_array_equal(g, w)


def test_jvp():
    def f(a, b):
        return a * b + a ** 2

    for has_aux in (False, True):
        g = (lambda a, b: (f(a, b), a * 2)) if has_aux else f
        want = rk.ops.jvp(g, (tf_real.constant(F), tf_real.constant(F3[0])), (np.ones_like(F), F), has_aux=has_aux)
        got = tf.keras.ops.jvp(g, (tf.constant(F), tf.constant(F3[0])), (np.ones_like(F), F), has_aux=has_aux)
        assert len(got) == len(want)
        for a, b in zip(got, want):
            np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-5, atol=1e-6)
