"""``tf.math.special``: Bessel functions, Dawson's integral, Ei, Fresnel integrals, Spence.

Values are computed in float64 and rounded to the input dtype (so float32/float16 results
are at least as accurate as TF's Cephes-based kernels). i0/i0e/i1/i1e, dawsn, expi,
fresnel and spence come from ``jax.scipy.special``; j0/j1/y0/y1/k0/k0e/k1/k1e are the
Cephes double-precision approximations (the ones Eigen, hence TF, uses). Each function
has a ``custom_jvp`` with TF's registered gradient formula (e.g. ``d j0 = -j1``), so
gradients match TF's at the singular points too.

Dtypes follow TF's kernels: the Bessel functions accept float16/float32/float64; dawsn,
expint, fresnel_cos/sin and spence float32/float64 (TF has no float16/bfloat16 kernel for
them: NotFoundError). Integer or complex inputs raise InvalidArgumentError.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import jax.scipy.special as jss
import numpy as np

from tfjax._src import dispatch
from tfjax._src import errors
from tfjax._src.ops import convert
from tfjax._src.ops import math_common
from tfjax._src.ragged.ragged_tensor import RaggedTensor
from tfjax._src.tensor import Tensor

_F64 = jnp.float64


def _polevl(x, coefs):
    r = jnp.zeros_like(x) + coefs[0]
    for c in coefs[1:]:
        r = r * x + c
    return r


def _chbevl(x, coefs):
    b0 = jnp.zeros_like(x) + coefs[0]
    b1 = jnp.zeros_like(x)
    b2 = b1
    for c in coefs[1:]:
        b2 = b1
        b1 = b0
        b0 = x * b1 - b2 + c
    return 0.5 * (b0 - b2)


# -- Cephes coefficients (double precision) ------------------------------------------
_K0_A = [1.37446543561352307156E-16, 4.25981614279661018399E-14, 1.03496952576338420167E-11,
         1.90451637722020886025E-9, 2.53479107902614945675E-7, 2.28621210311945178607E-5,
         1.26461541144692592338E-3, 3.59799365153615016266E-2, 3.44289899924628486886E-1,
         -5.35327393233902768720E-1]
_K0_B = [5.30043377268626276149E-18, -1.64758043015242134646E-17, 5.21039150503902756861E-17,
         -1.67823109680541210385E-16, 5.51205597852431940784E-16, -1.84859337734377901440E-15,
         6.34007647740507060557E-15, -2.22751332699166985548E-14, 8.03289077536357521100E-14,
         -2.98009692317273043925E-13, 1.14034058820847496303E-12, -4.51459788337394416547E-12,
         1.85594911495471785253E-11, -7.95748924447710747776E-11, 3.57739728140030116597E-10,
         -1.69753450938905987466E-9, 8.57403401741422608519E-9, -4.66048989768794782956E-8,
         2.76681363944501510342E-7, -1.83175552271911948767E-6, 1.39498137188764993662E-5,
         -1.28495495816278026384E-4, 1.56988388573005337491E-3, -3.14481013119645005427E-2,
         2.44030308206595545468E0]
_K1_A = [-7.02386347938628759343E-18, -2.42744985051936593393E-15, -6.66690169419932900609E-13,
         -1.41148839263352776110E-10, -2.21338763073472585583E-8, -2.43340614156596823496E-6,
         -1.73028895751305206302E-4, -6.97572385963986435018E-3, -1.22611180822657148235E-1,
         -3.53155960776544875667E-1, 1.52530022733894777053E0]
_K1_B = [-5.75674448366501715755E-18, 1.79405087314755922667E-17, -5.68946255844285935196E-17,
         1.83809354436663880070E-16, -6.05704724837331885336E-16, 2.03870316562433424052E-15,
         -7.01983709041831346144E-15, 2.47715442448130437068E-14, -8.97670518232499435011E-14,
         3.34841966607842919884E-13, -1.28917396095102890680E-12, 5.13963967348173025100E-12,
         -2.12996783842756842877E-11, 9.21831518760500529508E-11, -4.19035475934189648750E-10,
         2.01504975519703286596E-9, -1.03457624656780970260E-8, 5.74108412545004946722E-8,
         -3.50196060308781257119E-7, 2.40648494783721712015E-6, -1.93619797416608296024E-5,
         1.95215518471351631108E-4, -2.85781685962277938680E-3, 1.03923736576817238437E-1,
         2.72062619048444266945E0]

_J0_PP = [7.96936729297347051624E-4, 8.28352392107440799803E-2, 1.23953371646414299388E0,
          5.44725003058768775090E0, 8.74716500199817011941E0, 5.30324038235394892183E0,
          9.99999999999999997821E-1]
_J0_PQ = [9.24408810558863637013E-4, 8.56288474354474431428E-2, 1.25352743901058953537E0,
          5.47097740330417105182E0, 8.76190883237069594232E0, 5.30605288235394617618E0,
          1.00000000000000000218E0]
_J0_QP = [-1.13663838898469149931E-2, -1.28252718670509318512E0, -1.95539544257735972385E1,
          -9.32060152123768231369E1, -1.77681167980488050595E2, -1.47077505154951170175E2,
          -5.14105326766599330220E1, -6.05014350600728481186E0]
_J0_QQ = [1.00000000000000000000E0, 6.43178256118178023184E1, 8.56430025976980587198E2,
          3.88240183605401609683E3, 7.24046774195652478189E3, 5.93072701187316984827E3,
          2.06209331660327847417E3, 2.42005740240291393179E2]
_J0_RP = [-4.79443220978201773821E9, 1.95617491946556577543E12, -2.49248344360967716204E14,
          9.70862251047306323952E15]
_J0_RQ = [1.00000000000000000000E0, 4.99563147152651017219E2, 1.73785401676374683123E5,
          4.84409658339962045305E7, 1.11855537045356834862E10, 2.11277520115489217587E12,
          3.10518229857422583814E14, 3.18121955943204943306E16, 1.71086294081043136091E18]
_Y0_YP = [1.55924367855235737965E4, -1.46639295903971606143E7, 5.43526477051876500413E9,
          -9.82136065717911466409E11, 8.75906394395366999549E13, -3.46628303384729719441E15,
          4.42733268572569800351E16, -1.84950800436986690637E16]
_Y0_YQ = [1.00000000000000000000E0, 1.04128353664259848412E3, 6.26107330137134956842E5,
          2.68919633393814121987E8, 8.64002487103935000337E10, 2.02979612750105546709E13,
          3.17157752842975028269E15, 2.50596256172653059228E17]

_J1_PP = [7.62125616208173112003E-4, 7.31397056940917570436E-2, 1.12719608129684925192E0,
          5.11207951146807644818E0, 8.42404590141772420927E0, 5.21451598682361504063E0,
          1.00000000000000000254E0]
_J1_PQ = [5.71323128072548699714E-4, 6.88455908754495404082E-2, 1.10514232634061696926E0,
          5.07386386128601488557E0, 8.39985554327604159757E0, 5.20982848682361821619E0,
          9.99999999999999997461E-1]
_J1_QP = [5.10862594750176621635E-2, 4.98213872951233449420E0, 7.58238284132545283818E1,
          3.66779609360150777800E2, 7.10856304998926107277E2, 5.97489612400613639965E2,
          2.11688757100572135698E2, 2.52070205858023719784E1]
_J1_QQ = [1.00000000000000000000E0, 7.42373277035675149943E1, 1.05644886038262816351E3,
          4.98641058337653607651E3, 9.56231892404756170795E3, 7.99704160447350683650E3,
          2.82619278517639096600E3, 3.36093607810698293419E2]
_J1_RP = [-8.99971225705559398224E8, 4.52228297998194034323E11, -7.27494245221818276015E13,
          3.68295732863852883286E15]
_J1_RQ = [1.00000000000000000000E0, 6.20836478118054335476E2, 2.56987256757748830383E5,
          8.35146791431949253037E7, 2.21511595479792499675E10, 4.74914122079991414898E12,
          7.84369607876235854894E14, 8.95222336184627338078E16, 5.32278620332680085395E18]
_Y1_YP = [1.26320474790178026440E9, -6.47355876379160291031E11, 1.14509511541823727583E14,
          -8.12770255501325109621E15, 2.02439475713594898196E17, -7.78877196265950026825E17]
_Y1_YQ = [1.00000000000000000000E0, 5.94301592346128195359E2, 2.35564092943068577943E5,
          7.34811944459721705660E7, 1.87601316108706159478E10, 3.88231277496238566008E12,
          6.20557727146953693363E14, 6.87141087355300489866E16, 3.97270608116560655612E18]

_SQ2OPI = 7.9788456080286535587989E-1
_TWOOPI = 0.636619772367581343075535
_PIO4 = 0.7853981633974483096
_THPIO4 = 2.35619449019234492885


# -- float64 kernels -----------------------------------------------------------------
def _safe(x, ok, fill=1.0):
    return jnp.where(ok, x, fill)


def _k0e64(x):
    small = _safe(x, x > 0)
    le = _chbevl(small * small - 2.0, _K0_A) - jnp.log(0.5 * small) * jss.i0(small)
    le = jnp.exp(small) * le
    big = _safe(x, x > 2.0, 4.0)
    gt = _chbevl(8.0 / big - 2.0, _K0_B) / jnp.sqrt(big)
    return jnp.where(x <= 0, jnp.inf, jnp.where(x <= 2.0, le, gt))


def _k0_64(x):
    small = _safe(x, x > 0)
    le = _chbevl(small * small - 2.0, _K0_A) - jnp.log(0.5 * small) * jss.i0(small)
    big = _safe(x, x > 2.0, 4.0)
    gt = jnp.exp(-big) * _chbevl(8.0 / big - 2.0, _K0_B) / jnp.sqrt(big)
    return jnp.where(x <= 0, jnp.inf, jnp.where(x <= 2.0, le, gt))


def _k1e64(x):
    small = _safe(x, x > 0)
    le = _chbevl(small * small - 2.0, _K1_A) / small + jnp.log(0.5 * small) * jss.i1(small)
    le = le * jnp.exp(small)
    big = _safe(x, x > 2.0, 4.0)
    gt = _chbevl(8.0 / big - 2.0, _K1_B) / jnp.sqrt(big)
    return jnp.where(x <= 0, jnp.inf, jnp.where(x <= 2.0, le, gt))


def _k1_64(x):
    small = _safe(x, x > 0)
    le = _chbevl(small * small - 2.0, _K1_A) / small + jnp.log(0.5 * small) * jss.i1(small)
    big = _safe(x, x > 2.0, 4.0)
    gt = jnp.exp(-big) * _chbevl(8.0 / big - 2.0, _K1_B) / jnp.sqrt(big)
    return jnp.where(x <= 0, jnp.inf, jnp.where(x <= 2.0, le, gt))


def _j0_64(x):
    y = jnp.abs(x)
    z = y * y
    le = jnp.where(y < 1e-5, 1.0 - 0.25 * z,
                   (z - 5.78318596294678452118E0) * (z - 3.04712623436620863991E1)
                   * _polevl(z, _J0_RP) / _polevl(z, _J0_RQ))
    yb = _safe(y, y > 5.0, 6.0)
    s = 25.0 / (yb * yb)
    p = _polevl(s, _J0_PP) / _polevl(s, _J0_PQ)
    q = _polevl(s, _J0_QP) / _polevl(s, _J0_QQ)
    yn = yb - _PIO4
    p = p * jnp.cos(yn) - 5.0 / yb * q * jnp.sin(yn)
    gt = p * _SQ2OPI / jnp.sqrt(yb)
    return jnp.where(y <= 5.0, le, gt)


def _y0_64(x):
    xs = _safe(x, x > 0)
    z = xs * xs
    le = _polevl(z, _Y0_YP) / _polevl(z, _Y0_YQ) + _TWOOPI * jnp.log(xs) * _j0_64(xs)
    le = jnp.where(x <= 0, -jnp.inf, le)
    xb = _safe(x, x > 5.0, 6.0)
    s = 25.0 / (xb * xb)
    p = _polevl(s, _J0_PP) / _polevl(s, _J0_PQ)
    q = _polevl(s, _J0_QP) / _polevl(s, _J0_QQ)
    xn = xb - _PIO4
    p = p * jnp.sin(xn) + 5.0 / xb * q * jnp.cos(xn)
    gt = p * _SQ2OPI / jnp.sqrt(xb)
    return jnp.where(x <= 5.0, le, gt)


def _j1_64(x):
    y = jnp.abs(x)
    z = y * y
    le = _polevl(z, _J1_RP) / _polevl(z, _J1_RQ) * x * (z - 1.46819706421238932572E1) \
        * (z - 4.92184563216946036703E1)
    yb = _safe(y, y > 5.0, 6.0)
    s = 25.0 / (yb * yb)
    p = _polevl(s, _J1_PP) / _polevl(s, _J1_PQ)
    q = _polevl(s, _J1_QP) / _polevl(s, _J1_QQ)
    yn = yb - _THPIO4
    p = p * jnp.cos(yn) - 5.0 / yb * q * jnp.sin(yn)
    gt = p * _SQ2OPI / jnp.sqrt(yb)
    gt = jnp.where(x < 0, -gt, gt)
    return jnp.where(y <= 5.0, le, gt)


def _y1_64(x):
    xs = _safe(x, x > 0)
    z = xs * xs
    le = _polevl(z, _Y1_YP) / _polevl(z, _Y1_YQ) * xs + _TWOOPI * (_j1_64(xs) * jnp.log(xs) - 1.0 / xs)
    le = jnp.where(x <= 0, -jnp.inf, le)
    xb = _safe(x, x > 5.0, 6.0)
    s = 25.0 / (xb * xb)
    p = _polevl(s, _J1_PP) / _polevl(s, _J1_PQ)
    q = _polevl(s, _J1_QP) / _polevl(s, _J1_QQ)
    xn = xb - _THPIO4
    p = p * jnp.sin(xn) + 5.0 / xb * q * jnp.cos(xn)
    gt = p * _SQ2OPI / jnp.sqrt(xb)
    return jnp.where(x <= 5.0, le, gt)


def _expint64(x):
    return jnp.where(x < 0, jnp.nan, jnp.where(x == 0, -jnp.inf, jss.expi(_safe(x, x != 0))))


def _fresnel_sin64(x):
    return jss.fresnel(x)[0]


def _fresnel_cos64(x):
    return jss.fresnel(x)[1]


# -- differentiable wrappers ----------------------------------------------------------
def _make(name, kernel, deriv):
    """A raw jax function (float64 inside, input dtype outside) with TF's gradient."""

    @jax.custom_jvp
    def fn(x):
        return kernel(x.astype(_F64)).astype(x.dtype)

    def jvp(primals, tangents):
        (x,), (t,) = primals, tangents
        y = fn(x)
        return y, (deriv(x.astype(_F64), y.astype(_F64)) * t.astype(_F64)).astype(x.dtype)

    fn.defjvp(jvp)
    fn.__name__ = fn.__qualname__ = name
    return fn


_j0 = _make("_j0", _j0_64, lambda x, y: -_j1_64(x))
_j1 = _make("_j1", _j1_64, lambda x, y: jnp.where(x == 0, 0.5, _j0_64(x) - y / _safe(x, x != 0)))
_y0 = _make("_y0", _y0_64, lambda x, y: -_y1_64(x))
def _y1_64_f32(x):
    # TF's single-precision kernel gives nan at exactly 0 (log(0) * j1(0)); the double one -inf.
    return jnp.where(x == 0, jnp.nan, _y1_64(x))


_y1_f64 = _make("_y1", _y1_64, lambda x, y: _y0_64(x) - y / x)
_y1_f32 = _make("_y1_f32", _y1_64_f32, lambda x, y: _y0_64(x) - y / x)


def _y1(x):
    return _y1_f64(x) if x.dtype == jnp.float64 else _y1_f32(x)

_k0 = _make("_k0", _k0_64, lambda x, y: -_k1_64(x))
_k0e = _make("_k0e", _k0e64, lambda x, y: y - _k1e64(x))
_k1 = _make("_k1", _k1_64, lambda x, y: -_k0_64(x) - y / x)
_k1e = _make("_k1e", _k1e64, lambda x, y: y * (1.0 - 1.0 / x) - _k0e64(x))
_dawsn = _make("_dawsn", jss.dawsn, lambda x, y: 1.0 - 2.0 * x * y)
_expint = _make("_expint", _expint64, lambda x, y: jnp.exp(x) / x)
_fresnel_cos = _make("_fresnel_cos", _fresnel_cos64, lambda x, y: jnp.cos(0.5 * np.pi * x * x))
_fresnel_sin = _make("_fresnel_sin", _fresnel_sin64, lambda x, y: jnp.sin(0.5 * np.pi * x * x))
_spence = _make("_spence", jss.spence, lambda x, y: jnp.log(x) / (1.0 - x))

_WITH_HALF = math_common.kinds(("float",)) - {np.dtype(jnp.bfloat16)}
_NO_HALF = frozenset((np.dtype(np.float32), np.dtype(np.float64)))
_ALL_FLOAT = math_common.kinds(("float",))


def _op(op_name, raw, supported):
    def op(x, name=None):
        if type(x) is not Tensor:
            if isinstance(x, RaggedTensor):
                return x.with_flat_values(op(x.flat_values))
            x = convert.tensor(x)
        d = x._value.dtype
        if d not in _ALL_FLOAT:
            raise math_common.bad_kind(d, op_name)
        if d not in supported:
            raise errors.NotFoundError(None, None, errors.op_message(
                op_name, f"Could not find device for node: {{{{node {op_name}}}}} = {op_name}"
                f"[T={convert.tf_type_name(x.dtype)}]"))
        return dispatch.apply(raw, x)

    op.__name__ = op_name
    op.__doc__ = f"``tf.math.special`` {op_name}, elementwise."
    return op


bessel_j0 = _op("BesselJ0", _j0, _WITH_HALF)
bessel_j1 = _op("BesselJ1", _j1, _WITH_HALF)
bessel_y0 = _op("BesselY0", _y0, _WITH_HALF)
bessel_y1 = _op("BesselY1", _y1, _WITH_HALF)
bessel_k0 = _op("BesselK0", _k0, _WITH_HALF)
bessel_k0e = _op("BesselK0e", _k0e, _WITH_HALF)
bessel_k1 = _op("BesselK1", _k1, _WITH_HALF)
bessel_k1e = _op("BesselK1e", _k1e, _WITH_HALF)
dawsn = _op("Dawsn", _dawsn, _NO_HALF)
expint = _op("Expint", _expint, _NO_HALF)
fresnel_cos = _op("FresnelCos", _fresnel_cos, _NO_HALF)
fresnel_sin = _op("FresnelSin", _fresnel_sin, _NO_HALF)
spence = _op("Spence", _spence, _NO_HALF)
