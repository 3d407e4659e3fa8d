"""The table of differential op cases: one row per op (public name, snippet, inputs, tolerance).

``fn(tf, *args)`` runs against real TensorFlow and against tfjax; numpy arrays
among ``args`` are converted with ``tf.constant`` first (so dtypes are exact).
``gen`` is a hypothesis strategy of argument tuples. Rows are read by
``test_ops_table.py`` and by ``tools/gen_compat_table.py`` (symbols and cases).
"""

from __future__ import annotations

from collections import namedtuple

import hypothesis.strategies as st
import numpy as np

from _strategies import (FLOATS, INTS, SINTS, SHAPE, SHAPE1, SHAPE2, VEC, arr, arrs, one)

Row = namedtuple("Row", "api fn gen rtol atol examples")


def R(api, fn, gen, rtol=1e-5, atol=1e-6, examples=3):  # noqa: N802 - table constructor
    return Row(api, fn, gen, rtol, atol, examples)


FI = FLOATS + INTS
NUM = FLOATS + SINTS
ALL_REAL = FLOATS + SINTS + ("uint8",)


def _u(name, lo=-5, hi=5, dts=FLOATS, api=None, **kw):
    return R(api or f"math.{name}", lambda tf, x: getattr(tf.math, name)(x), one(dts, lo=lo, hi=hi), **kw)


def _b(name, dts=FLOATS, lo=-5, hi=5, api=None, broadcast=True, **kw):
    return R(api or f"math.{name}", lambda tf, x, y: getattr(tf.math, name)(x, y),
             arrs(2, dts, lo=lo, hi=hi, broadcast=broadcast), **kw)


def _reduce(name, dts=FLOATS, keep=st.booleans(), **kw):
    @st.composite
    def gen(draw):
        (x,) = draw(one(dts, shape=SHAPE1))
        r = x.ndim
        axis = draw(st.one_of(st.none(), st.integers(-r, r - 1),
                              st.lists(st.integers(0, r - 1), min_size=1, max_size=r, unique=True)))
        return x, axis, draw(keep)
    return R(f"math.{name}", lambda tf, x, a, k: getattr(tf.math, name)(x, axis=a, keepdims=k), gen(), **kw)


@st.composite
def _x_axis(draw, dts=FLOATS, shape=SHAPE1, lo=-5, hi=5):
    (x,) = draw(one(dts, shape=shape, lo=lo, hi=hi))
    return x, draw(st.integers(-x.ndim, x.ndim - 1))


@st.composite
def _sq(draw, dts=FLOATS, pd=False, batch=True):
    d = draw(st.sampled_from(dts))
    n = draw(st.integers(1, 4))
    b = draw(st.sampled_from([(), (2,)])) if batch else ()
    a = draw(arr(d, st.just(b + (n, n)), lo=-2, hi=2))
    if pd:
        a = a @ np.swapaxes(a, -1, -2) + n * np.eye(n, dtype=d)
    else:
        a = a + 3 * n * np.eye(n, dtype=d)   # well conditioned
    return (a.astype(d),)


@st.composite
def _img(draw, dts=("float32",), c=3, batch=None, lo=0, hi=1, min_side=1):
    d = draw(st.sampled_from(dts))
    h, w = draw(st.integers(min_side, 6)), draw(st.integers(min_side, 6))
    b = draw(st.sampled_from([(), (2,)])) if batch is None else batch
    return (draw(arr(d, st.just(b + (h, w, c)), lo=lo, hi=hi)),)


@st.composite
def _segments(draw, sorted_ids=True, dts=FLOATS):
    n = draw(st.integers(1, 6))
    (x,) = draw(one(dts, shape=st.sampled_from([(n,), (n, 2)])))
    ids = draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
    if sorted_ids:
        ids = sorted(ids)
    return x, np.asarray(ids, np.int32)


def _conv_gen(nd, depthwise=False):
    @st.composite
    def gen(draw):
        d = draw(st.sampled_from(("float32",)))
        spatial = tuple(draw(st.integers(3, 6)) for _ in range(nd))
        cin = draw(st.integers(1, 3))
        k = tuple(draw(st.integers(1, 3)) for _ in range(nd))
        x = draw(arr(d, st.just((draw(st.integers(1, 2)),) + spatial + (cin,)), lo=-1, hi=1))
        cout = draw(st.integers(1, 3))
        w = draw(arr(d, st.just(k + (cin, cout)), lo=-1, hi=1))
        stride = draw(st.integers(1, 2))
        pad = draw(st.sampled_from(["SAME", "VALID"]))
        dil = draw(st.integers(1, 2)) if stride == 1 else 1
        if pad == "VALID" and any((kk - 1) * dil + 1 > d for kk, d in zip(k, spatial)):
            dil = 1   # TF's oneDNN kernel is inconsistent when the dilated filter exceeds the input
        return x, w, stride, pad, dil
    return gen()


def _pool_gen(nd):
    @st.composite
    def gen(draw):
        spatial = tuple(draw(st.integers(2, 5)) for _ in range(nd))
        x = draw(arr("float32", st.just((2,) + spatial + (2,)), lo=-3, hi=3))
        k = draw(st.integers(1, 2))
        s = draw(st.integers(1, 2))
        return x, k, s, draw(st.sampled_from(["SAME", "VALID"]))
    return gen()


def _gather_gen():
    @st.composite
    def gen(draw):
        (p,) = draw(one(FLOATS + INTS, shape=SHAPE1))
        axis = draw(st.integers(-p.ndim, p.ndim - 1))
        n = p.shape[axis]
        idx = np.asarray(draw(st.lists(st.integers(0, n - 1), min_size=0, max_size=4)), np.int32)
        return p, idx, axis
    return gen()


@st.composite
def _split_gen(draw):
    (x,) = draw(one(FLOATS, shape=SHAPE1))
    axis = draw(st.integers(0, x.ndim - 1))
    n = x.shape[axis]
    divs = [k for k in range(1, n + 1) if n % k == 0]
    if draw(st.booleans()):
        return x, draw(st.sampled_from(divs)), axis
    cut = sorted(draw(st.lists(st.integers(0, n), min_size=1, max_size=2)))
    sizes = [cut[0]] + [b - a for a, b in zip(cut, cut[1:])] + [n - cut[-1]]
    return x, sizes, axis


@st.composite
def _pad_gen(draw):
    mode = draw(st.sampled_from(["CONSTANT", "REFLECT", "SYMMETRIC"]))
    (x,) = draw(one(FLOATS + INTS, shape=SHAPE1.filter(lambda s: min(s) >= 2)))
    lim = [d - 1 if mode == "REFLECT" else d for d in x.shape]
    pads = [[draw(st.integers(0, m)), draw(st.integers(0, m))] for m in lim]
    return x, np.asarray(pads, np.int32), mode


@st.composite
def _resize_gen(draw):
    (x,) = draw(_img(min_side=2))
    method = draw(st.sampled_from(["bilinear", "nearest", "bicubic", "area", "lanczos3"]))
    size = [draw(st.integers(1, 8)), draw(st.integers(1, 8))]
    return x, size, method, draw(st.booleans()), draw(st.booleans())


@st.composite
def _strided_gen(draw):
    (x,) = draw(one(FLOATS, shape=SHAPE1))
    r = x.ndim
    b = [draw(st.integers(-d, d)) for d in x.shape]
    e = [draw(st.integers(-d, d)) for d in x.shape]
    s = [draw(st.sampled_from([1, 2, -1])) for _ in x.shape]
    masks = [draw(st.integers(0, 2 ** r - 1)) for _ in range(3)]
    return x, b, e, s, masks[0], masks[1], masks[2] & ~(masks[0] | masks[1])


def _with_int(strategy, lo, hi):
    return st.tuples(strategy, st.integers(lo, hi)).map(lambda p: p[0] + (p[1],))


ROWS = [
    # -- elementwise unary -------------------------------------------------------------
    *[_u(n) for n in ["exp", "expm1", "sin", "cos", "tanh", "sigmoid", "atan", "sinh", "cosh", "asinh",
                      "erf", "erfc", "softplus", "softsign", "log_sigmoid", "floor", "ceil", "rint", "round",
                      "square", "negative", "abs", "sign", "is_finite", "reciprocal_no_nan"]],
    _u("log", lo=0.05, hi=10), _u("log1p", lo=-0.9, hi=10), _u("sqrt", lo=0, hi=10),
    _u("rsqrt", lo=0.05, hi=10), _u("reciprocal", lo=0.1, hi=10), _u("tan", lo=-1.4, hi=1.4),
    _u("asin", lo=-1, hi=1), _u("acos", lo=-1, hi=1), _u("acosh", lo=1, hi=10), _u("atanh", lo=-0.95, hi=0.95),
    _u("lgamma", lo=0.1, hi=8, rtol=1e-4, atol=1e-5), _u("digamma", lo=0.1, hi=8, rtol=1e-4, atol=1e-5),
    _u("erfinv", lo=-0.95, hi=0.95, rtol=1e-4, atol=1e-5), _u("ndtri", lo=0.05, hi=0.95, rtol=1e-4, atol=1e-5),
    _u("bessel_i0e", rtol=1e-4), _u("bessel_i1e", rtol=1e-4),
    *[_u(n, dts=SINTS, lo=-50, hi=50) for n in ["abs", "negative", "sign", "square"]],
    _u("round", dts=INTS, lo=-50, hi=50),
    R("math.real", lambda tf, x: tf.math.real(x), one(("complex64", "complex128", "float32"))),
    R("math.imag", lambda tf, x: tf.math.imag(x), one(("complex64", "complex128", "float64"))),
    R("math.conj", lambda tf, x: tf.math.conj(x), one(("complex64", "float32", "int32"))),
    R("math.angle", lambda tf, x: tf.math.angle(x), one(("complex128", "float32"))),
    R("math.abs", lambda tf, x: tf.math.abs(x), one(("complex64", "complex128"))),
    R("math.logical_not", lambda tf, x: tf.math.logical_not(x), one(("bool",))),
    # -- elementwise binary --------------------------------------------------------------
    *[_b(n, FI) for n in ["add", "subtract", "multiply", "maximum", "minimum", "squared_difference"]],
    *[_b(n) for n in ["atan2", "xdivy", "xlogy", "divide_no_nan", "multiply_no_nan", "truediv", "floormod",
                      "floordiv", "truncatemod"]],
    _b("pow", FLOATS, lo=0.1, hi=3), _b("xlog1py", lo=-0.5, hi=5),
    _b("igamma", lo=0.1, hi=5, rtol=1e-4, atol=1e-5), _b("igammac", lo=0.1, hi=5, rtol=1e-4, atol=1e-5),
    _b("zeta", lo=1.1, hi=5, rtol=1e-4, atol=1e-5),
    R("math.truediv", lambda tf, x, y: tf.math.truediv(x, y), arrs(2, ("int8", "int16", "int32", "int64"), lo=1, hi=9)),
    R("math.floordiv", lambda tf, x, y: tf.math.floordiv(x, y), arrs(2, INTS, lo=1, hi=9).map(lambda p: (p[0] - 4, p[1]))),
    R("math.floormod", lambda tf, x, y: tf.math.floormod(x, y), arrs(2, INTS, lo=1, hi=9).map(lambda p: (p[0] - 4, p[1]))),
    R("truncatediv", lambda tf, x, y: tf.truncatediv(x, y), arrs(2, INTS, lo=1, hi=9).map(lambda p: (p[0] - 5, p[1]))),
    R("truncatemod", lambda tf, x, y: tf.truncatemod(x, y), arrs(2, INTS, lo=1, hi=9).map(lambda p: (p[0] - 5, p[1]))),
    R("math.pow", lambda tf, x, y: tf.math.pow(x, y), arrs(2, INTS, lo=0, hi=4)),
    *[_b(n, FI, examples=3) for n in ["equal", "not_equal", "less", "less_equal", "greater", "greater_equal"]],
    *[_b(n, ("bool",), examples=3) for n in ["logical_and", "logical_or", "logical_xor"]],
    R("bitwise.bitwise_and", lambda tf, x, y: tf.bitwise.bitwise_and(x, y), arrs(2, SINTS + ("uint8",), lo=0, hi=100)),
    R("bitwise.bitwise_or", lambda tf, x, y: tf.bitwise.bitwise_or(x, y), arrs(2, SINTS, lo=-100, hi=100)),
    R("bitwise.bitwise_xor", lambda tf, x, y: tf.bitwise.bitwise_xor(x, y), arrs(2, SINTS, lo=-100, hi=100)),
    R("bitwise.invert", lambda tf, x: tf.bitwise.invert(x), one(SINTS + ("uint8", "uint16"), lo=0, hi=100)),
    R("bitwise.left_shift", lambda tf, x, y: tf.bitwise.left_shift(x, y), arrs(2, ("int32", "int64"), lo=0, hi=7)),
    R("bitwise.right_shift", lambda tf, x, y: tf.bitwise.right_shift(x, y), arrs(2, ("int32", "uint8"), lo=0, hi=7)),
    R("math.add_n", lambda tf, x, y, z: tf.math.add_n([x, y, z]), arrs(3, FI)),
    R("math.accumulate_n", lambda tf, x, y: tf.math.accumulate_n([x, y]), arrs(2, FLOATS), examples=3),
    R("math.polyval", lambda tf, x, c0, c1: tf.math.polyval([c0, c1, c1], x), arrs(3, FLOATS)),
    R("math.betainc", lambda tf, a, b, x: tf.math.betainc(a, b, x),
      st.tuples(arr("float32", st.just((3,)), 0.5, 3), arr("float32", st.just((3,)), 0.5, 3), arr("float32", st.just((3,)), 0.05, 0.95)),
      rtol=1e-4, atol=1e-5, examples=3),
    R("saturate_cast", lambda tf, x, d: tf.saturate_cast(x, d),
      st.tuples(one(("float32", "int32"), lo=-1000, hi=1000).map(lambda p: p[0]), st.sampled_from(["uint8", "int8", "int16"]))),
    R("math.scalar_mul", lambda tf, x: tf.math.scalar_mul(2.5, x), one(FLOATS)),
    # -- reductions ------------------------------------------------------------------------
    *[_reduce(n, FI) for n in ["reduce_sum", "reduce_max", "reduce_min", "reduce_mean", "reduce_prod"]],
    *[_reduce(n) for n in ["reduce_logsumexp", "reduce_variance", "reduce_std", "reduce_euclidean_norm"]],
    _reduce("reduce_euclidean_norm", INTS),
    *[_reduce(n, ("bool",)) for n in ["reduce_all", "reduce_any"]],
    R("math.count_nonzero", lambda tf, x, a: tf.math.count_nonzero(x, axis=a), _x_axis(FI, lo=-1, hi=1)),
    R("math.argmax", lambda tf, x, a: tf.math.argmax(x, axis=a), _x_axis(FI)),
    R("math.argmin", lambda tf, x, a: tf.math.argmin(x, axis=a, output_type="int32"), _x_axis(FI)),
    R("math.cumsum", lambda tf, x, a, e, r: tf.math.cumsum(x, a, exclusive=e, reverse=r),
      st.tuples(_x_axis(FI), st.booleans(), st.booleans()).map(lambda t: t[0] + t[1:])),
    R("math.cumprod", lambda tf, x, a, e, r: tf.math.cumprod(x, a, exclusive=e, reverse=r),
      st.tuples(_x_axis(FLOATS, lo=-2, hi=2), st.booleans(), st.booleans()).map(lambda t: t[0] + t[1:])),
    R("math.cumulative_logsumexp", lambda tf, x, a, e, r: tf.math.cumulative_logsumexp(x, a, exclusive=e, reverse=r),
      st.tuples(_x_axis(FLOATS), st.booleans(), st.booleans()).map(lambda t: t[0] + t[1:])),
    R("math.top_k", lambda tf, x, k: tf.math.top_k(x, k=min(k, x.shape[-1])), _with_int(one(FLOATS + INTS, shape=SHAPE1, lo=-3, hi=3), 0, 4)),
    R("math.in_top_k", lambda tf, t, p, k: tf.math.in_top_k(t, p, k),
      st.tuples(arr("int32", st.just((3,)), 0, 3), arr("float32", st.just((3, 4)), -2, 2), st.integers(1, 3))),
    R("math.bincount", lambda tf, x, m: tf.math.bincount(x, minlength=m), st.tuples(arr("int32", VEC, 0, 6), st.integers(0, 9))),
    R("math.confusion_matrix", lambda tf, a, b: tf.math.confusion_matrix(a, b, num_classes=5),
      st.tuples(arr("int32", st.just((6,)), 0, 4), arr("int32", st.just((6,)), 0, 4))),
    R("math.l2_normalize", lambda tf, x, a: tf.math.l2_normalize(x, axis=a), _x_axis(FLOATS)),
    R("math.is_non_decreasing", lambda tf, x: tf.math.is_non_decreasing(x), one(FI, lo=0, hi=2)),
    R("math.is_strictly_increasing", lambda tf, x: tf.math.is_strictly_increasing(x), one(FI, lo=0, hi=3)),
    R("math.lbeta", lambda tf, x: tf.math.lbeta(x), one(FLOATS, shape=SHAPE1, lo=0.2, hi=5), rtol=1e-4, atol=1e-5),
    R("math.zero_fraction", lambda tf, x: tf.math.zero_fraction(x), one(FI, shape=SHAPE1, lo=-1, hi=1)),
    R("math.invert_permutation", lambda tf, p: tf.math.invert_permutation(p),
      st.permutations(list(range(5))).map(lambda p: (np.asarray(p, np.int32),))),
    R("math.segment_sum", lambda tf, x, i: tf.math.segment_sum(x, i), _segments()),
    R("math.segment_mean", lambda tf, x, i: tf.math.segment_mean(x, i), _segments()),
    R("math.segment_max", lambda tf, x, i: tf.math.segment_max(x, i), _segments()),
    R("math.segment_min", lambda tf, x, i: tf.math.segment_min(x, i), _segments()),
    R("math.segment_prod", lambda tf, x, i: tf.math.segment_prod(x, i), _segments()),
    R("math.unsorted_segment_sum", lambda tf, x, i: tf.math.unsorted_segment_sum(x, i, 5), _segments(False)),
    R("math.unsorted_segment_max", lambda tf, x, i: tf.math.unsorted_segment_max(x, i, 5), _segments(False)),
    R("math.unsorted_segment_min", lambda tf, x, i: tf.math.unsorted_segment_min(x, i, 5), _segments(False)),
    R("math.unsorted_segment_mean", lambda tf, x, i: tf.math.unsorted_segment_mean(x, i, 5), _segments(False)),
    R("math.unsorted_segment_prod", lambda tf, x, i: tf.math.unsorted_segment_prod(x, i, 5), _segments(False)),
    R("math.unsorted_segment_sqrt_n", lambda tf, x, i: tf.math.unsorted_segment_sqrt_n(x, i, 5), _segments(False)),
    # -- matrix products / einsum ------------------------------------------------------------
    R("linalg.matmul", lambda tf, a, b, ta, tb: tf.linalg.matmul(a if not ta else tf.linalg.matrix_transpose(a), b if not tb else tf.linalg.matrix_transpose(b), transpose_a=ta, transpose_b=tb),
      st.tuples(arrs(2, FLOATS + INTS, shape=st.sampled_from([(3, 3), (2, 3, 3)])), st.booleans(), st.booleans()).map(lambda t: t[0] + t[1:])),
    R("einsum", lambda tf, a, b: tf.einsum("bij,bjk->bik", a, b), arrs(2, FLOATS, shape=st.just((2, 3, 3)))),
    R("einsum", lambda tf, a, b: tf.einsum("...i,...i->...", a, b), arrs(2, FLOATS, shape=SHAPE1), rtol=1e-4),
    R("tensordot", lambda tf, a, b, n: tf.tensordot(a, b, n), st.tuples(arrs(2, FLOATS, shape=st.just((3, 3))), st.integers(0, 2)).map(lambda t: t[0] + (t[1],)), rtol=1e-4),
    # -- shapes ---------------------------------------------------------------------------------
    R("reshape", lambda tf, x: tf.reshape(x, [-1]), one(FI)),
    R("transpose", lambda tf, x: tf.transpose(x), one(FI)),
    R("expand_dims", lambda tf, x, a: tf.expand_dims(x, a), st.tuples(one(FI).map(lambda p: p[0]), st.integers(-1, 0))),
    R("squeeze", lambda tf, x: tf.squeeze(x), one(FI, shape=st.sampled_from([(1, 3, 1), (2, 1), (1,)]))),
    R("concat", lambda tf, x, y, a: tf.concat([x, y], a), st.tuples(arrs(2, FI, shape=SHAPE1), st.integers(0, 0)).map(lambda t: t[0] + (t[1],))),
    R("stack", lambda tf, x, y: tf.stack([x, y], axis=-1), arrs(2, FI)),
    R("unstack", lambda tf, x: tf.unstack(x), one(FI, shape=SHAPE1)),
    R("split", lambda tf, x, n, a: tf.split(x, n, axis=a), _split_gen()),
    R("tile", lambda tf, x: tf.tile(x, [2] * x.shape.rank), one(FI)),
    R("pad", lambda tf, x, p, m: tf.pad(x, p, mode=m), _pad_gen()),
    R("reverse", lambda tf, x, a: tf.reverse(x, [a]), _x_axis(FI)),
    R("roll", lambda tf, x, a: tf.roll(x, 2, a), _x_axis(FI)),
    R("broadcast_to", lambda tf, x: tf.broadcast_to(x, [2] + x.shape.as_list()), one(FI)),
    R("where", lambda tf, c, x, y: tf.where(c, x, y),
      st.tuples(arr("bool", st.just((2, 3))), arr("float32", st.just((3,))), arr("float32", st.just((2, 1))))),
    R("where", lambda tf, x: tf.where(x > 0), one(FI, lo=-1, hi=1)),
    R("one_hot", lambda tf, i, d: tf.one_hot(i, d), st.tuples(arr("int32", SHAPE, -1, 5), st.integers(1, 5))),
    R("one_hot", lambda tf, i: tf.one_hot(i, 3, on_value=5, off_value=-1, axis=0), st.tuples(arr("int64", VEC, 0, 3))),
    R("unique", lambda tf, x: tf.unique(x), one(("int32", "float32"), shape=VEC, lo=0, hi=3)),
    R("unique_with_counts", lambda tf, x: tf.unique_with_counts(x), one(("int32",), shape=VEC, lo=0, hi=3)),
    R("sort", lambda tf, x, a, d: tf.sort(x, a, direction=d), st.tuples(_x_axis(FI), st.sampled_from(["ASCENDING", "DESCENDING"])).map(lambda t: t[0] + (t[1],))),
    R("argsort", lambda tf, x, a, d: tf.argsort(x, a, direction=d, stable=True),
      st.tuples(_x_axis(FI, lo=-3, hi=3), st.sampled_from(["ASCENDING", "DESCENDING"])).map(lambda t: t[0] + (t[1],))),
    R("searchsorted", lambda tf, s, v, side: tf.searchsorted(tf.sort(s), v, side=side),
      st.tuples(arrs(2, FLOATS, shape=st.just((2, 5))), st.sampled_from(["left", "right"])).map(lambda t: t[0] + (t[1],))),
    R("gather", lambda tf, p, i, a: tf.gather(p, i, axis=a), _gather_gen()),
    R("gather_nd", lambda tf, p, i: tf.gather_nd(p, i), st.tuples(arr("float32", st.just((3, 4))), arr("int32", st.just((2, 2)), 0, 2))),
    R("scatter_nd", lambda tf, i, u: tf.scatter_nd(i, u, [4, 2]), st.tuples(arr("int32", st.just((3, 1)), 0, 3), arr("float32", st.just((3, 2))))),
    R("tensor_scatter_nd_update", lambda tf, t, u: tf.tensor_scatter_nd_update(t, [[0], [2]], u),
      st.tuples(arr("float32", st.just((4, 2))), arr("float32", st.just((2, 2))))),
    R("tensor_scatter_nd_add", lambda tf, t, u: tf.tensor_scatter_nd_add(t, [[0], [0]], u), st.tuples(arr("int32", st.just((4, 2))), arr("int32", st.just((2, 2))))),
    R("tensor_scatter_nd_max", lambda tf, t, u: tf.tensor_scatter_nd_max(t, [[1], [3]], u), st.tuples(arr("float32", st.just((4,))), arr("float32", st.just((2,))))),
    R("boolean_mask", lambda tf, x, m: tf.boolean_mask(x, m), st.tuples(arr("float32", st.just((4, 2))), arr("bool", st.just((4,))))),
    R("boolean_mask", lambda tf, x, m: tf.boolean_mask(x, m, axis=1), st.tuples(arr("int32", st.just((2, 3))), arr("bool", st.just((3,))))),
    R("slice", lambda tf, x: tf.slice(x, [0] * x.shape.rank, [-1] * x.shape.rank), one(FI, shape=SHAPE1)),
    R("strided_slice", lambda tf, x, b, e, s, bm, em, sm: tf.strided_slice(x, b, e, s, begin_mask=bm, end_mask=em, shrink_axis_mask=0), _strided_gen()),
    R("repeat", lambda tf, x, r: tf.repeat(x, r, axis=0), st.tuples(one(FI, shape=SHAPE1).map(lambda p: p[0]), st.integers(0, 3))),
    R("repeat", lambda tf, x: tf.repeat(x, [1, 0, 2]), one(FI, shape=st.just((3,)))),
    R("meshgrid", lambda tf, x, y: tf.meshgrid(x, y), arrs(2, FLOATS, shape=VEC)),
    R("meshgrid", lambda tf, x, y: tf.meshgrid(x, y, indexing="ij"), arrs(2, INTS, shape=VEC)),
    R("linspace", lambda tf, a, b, n: tf.linspace(a, b, n), st.tuples(arrs(2, FLOATS, shape=st.just(())), st.integers(1, 6)).map(lambda t: t[0] + (t[1],))),
    R("sequence_mask", lambda tf, l: tf.sequence_mask(l, 5), st.tuples(arr("int32", VEC, 0, 5))),
    R("sequence_mask", lambda tf, l: tf.sequence_mask(l), st.tuples(arr("int64", VEC, 0, 5))),
    R("histogram_fixed_width", lambda tf, v: tf.histogram_fixed_width(v, [-2.0, 2.0], nbins=5), one(("float32",), lo=-3, hi=3)),
    R("unravel_index", lambda tf, i: tf.unravel_index(i, [3, 4]), st.tuples(arr("int32", VEC, 0, 11))),
    R("reverse_sequence", lambda tf, x, l: tf.reverse_sequence(x, l, seq_axis=1, batch_axis=0), st.tuples(arr("float32", st.just((3, 4))), arr("int32", st.just((3,)), 0, 4))),
    R("shape", lambda tf, x: (tf.shape(x), tf.size(x), tf.rank(x), tf.shape_n([x, x])), one(FI)),
    R("zeros_like", lambda tf, x: (tf.zeros_like(x), tf.ones_like(x), tf.fill(tf.shape(x), 3)), one(FI)),
    R("identity_n", lambda tf, x, y: tf.identity_n([x, y]), arrs(2, FI)),
    R("clip_by_value", lambda tf, x: tf.clip_by_value(x, -1, 2), one(FI)),
    R("clip_by_norm", lambda tf, x: tf.clip_by_norm(x, 1.0), one(FLOATS)),
    R("clip_by_global_norm", lambda tf, x, y: tf.clip_by_global_norm([x, y], 2.0), arrs(2, ("float32",))),
    R("linalg.global_norm", lambda tf, x, y: tf.linalg.global_norm([x, y]), arrs(2, ("float32",))),
    R("nn.space_to_depth", lambda tf, x: tf.nn.space_to_depth(x, 2), one(("float32",), shape=st.just((1, 4, 4, 2)))),
    R("nn.depth_to_space", lambda tf, x: tf.nn.depth_to_space(x, 2), one(("float32",), shape=st.just((1, 2, 2, 8)))),
    # -- linalg ---------------------------------------------------------------------------------
    R("linalg.inv", lambda tf, a: tf.linalg.inv(a), _sq(), rtol=1e-4, atol=1e-5),
    R("linalg.det", lambda tf, a: tf.linalg.det(a), _sq(), rtol=1e-4, atol=1e-4),
    R("linalg.slogdet", lambda tf, a: tf.linalg.slogdet(a), _sq(), rtol=1e-4, atol=1e-5),
    R("linalg.logdet", lambda tf, a: tf.linalg.logdet(a), _sq(pd=True), rtol=1e-4, atol=1e-4),
    R("linalg.cholesky", lambda tf, a: tf.linalg.cholesky(a), _sq(pd=True), rtol=1e-4, atol=1e-4),
    R("linalg.eigvalsh", lambda tf, a: tf.linalg.eigvalsh(a), _sq(pd=True), rtol=1e-4, atol=1e-4),
    R("linalg.eigh", lambda tf, a: tf.abs(tf.linalg.eigh(a)[1][..., 0, :]) * 0 + tf.linalg.eigh(a)[0], _sq(pd=True), rtol=1e-4, atol=1e-4),
    R("linalg.svd", lambda tf, a: tf.linalg.svd(a, compute_uv=False), _sq(), rtol=1e-4, atol=1e-4),
    R("linalg.svd", lambda tf, a: tf.abs(tf.linalg.svd(a)[1]), _sq(batch=False).filter(lambda t: len(set(np.round(np.linalg.svd(t[0], compute_uv=False), 2))) == t[0].shape[0]), rtol=1e-3, atol=1e-3),
    R("linalg.qr", lambda tf, a: tf.abs(tf.linalg.qr(a)[1]), _sq(), rtol=1e-4, atol=1e-4),
    R("linalg.solve", lambda tf, a, b: tf.linalg.solve(a, b), st.tuples(_sq(batch=False).map(lambda t: t[0])).flatmap(
        lambda t: st.tuples(st.just(t[0]), arr(str(t[0].dtype), st.just((t[0].shape[0], 2))))), rtol=1e-4, atol=1e-5),
    R("linalg.triangular_solve", lambda tf, a, b, lo: tf.linalg.triangular_solve(tf.linalg.band_part(a, -1 if lo else 0, 0 if lo else -1), b, lower=lo),
      st.tuples(_sq(batch=False).map(lambda t: t[0])).flatmap(lambda t: st.tuples(st.just(t[0]), arr(str(t[0].dtype), st.just((t[0].shape[0], 2))), st.booleans())), rtol=1e-4, atol=1e-5),
    R("linalg.lstsq", lambda tf, a, b: tf.linalg.lstsq(a, b), st.tuples(_sq(batch=False).map(lambda t: t[0])).flatmap(
        lambda t: st.tuples(st.just(t[0]), arr(str(t[0].dtype), st.just((t[0].shape[0], 1))))), rtol=1e-3, atol=1e-4),
    R("linalg.matrix_transpose", lambda tf, a: tf.linalg.matrix_transpose(a), one(FI, shape=SHAPE2)),
    R("linalg.diag", lambda tf, v: tf.linalg.diag(v), one(FI, shape=SHAPE1)),
    R("linalg.diag_part", lambda tf, a: tf.linalg.diag_part(a), one(FI, shape=SHAPE2)),
    R("linalg.set_diag", lambda tf, a: tf.linalg.set_diag(a, tf.linalg.diag_part(a) * 2), one(FI, shape=SHAPE2)),
    R("linalg.band_part", lambda tf, a, lo, hi: tf.linalg.band_part(a, lo, hi), st.tuples(one(FI, shape=st.just((4, 4))).map(lambda p: p[0]), st.integers(-1, 2), st.integers(-1, 2))),
    R("linalg.trace", lambda tf, a: tf.linalg.trace(a), one(FI, shape=SHAPE2)),
    R("linalg.eye", lambda tf, n, m: (tf.linalg.eye(n, m), tf.eye(n, dtype="int32", batch_shape=[2])), st.tuples(st.integers(0, 3), st.integers(1, 3))),
    R("linalg.matvec", lambda tf, a, v: tf.linalg.matvec(a, v), st.tuples(arr("float32", st.just((2, 3, 4))), arr("float32", st.just((2, 4))))),
    R("linalg.pinv", lambda tf, a: tf.linalg.pinv(a), _sq(batch=False), rtol=1e-3, atol=1e-4),
    R("linalg.cross", lambda tf, a, b: tf.linalg.cross(a, b), arrs(2, FLOATS, shape=st.sampled_from([(3,), (2, 3)]))),
    R("linalg.expm", lambda tf, a: tf.linalg.expm(a * 0.1), _sq(batch=False), rtol=1e-4, atol=1e-4),
    R("linalg.adjoint", lambda tf, a: tf.linalg.adjoint(a), one(("complex64", "float32"), shape=SHAPE2)),
    R("linalg.norm", lambda tf, x, o: tf.linalg.norm(x, ord=o), st.tuples(one(FLOATS, shape=SHAPE1).map(lambda p: p[0]), st.sampled_from(["euclidean", 1, 2, np.inf]))),
    R("norm", lambda tf, x, o: tf.norm(x, ord=o, axis=[-2, -1]), st.tuples(one(FLOATS, shape=SHAPE2).map(lambda p: p[0]), st.sampled_from(["fro", "euclidean", 1, np.inf])), rtol=1e-4),
    R("linalg.tensor_diag", lambda tf, v: tf.linalg.tensor_diag(v), one(FI, shape=st.sampled_from([(3,), (2, 2)]))),
    R("linalg.l2_normalize", lambda tf, x: tf.linalg.l2_normalize(x, axis=-1), one(FLOATS, shape=SHAPE1)),
    # -- nn ------------------------------------------------------------------------------------
    *[R(f"nn.{n}", (lambda n: lambda tf, x: getattr(tf.nn, n)(x))(n), one(FLOATS))
      for n in ["relu", "relu6", "elu", "selu", "softplus", "softsign", "sigmoid", "tanh", "silu", "swish", "log_sigmoid"]],
    R("nn.relu", lambda tf, x: tf.nn.relu(x), one(SINTS, lo=-9, hi=9)),
    R("nn.gelu", lambda tf, x, a: tf.nn.gelu(x, approximate=a), st.tuples(one(FLOATS).map(lambda p: p[0]), st.booleans())),
    R("nn.leaky_relu", lambda tf, x: tf.nn.leaky_relu(x, 0.3), one(FLOATS)),
    R("nn.softmax", lambda tf, x, a: tf.nn.softmax(x, axis=a), _x_axis()),
    R("nn.log_softmax", lambda tf, x, a: tf.nn.log_softmax(x, axis=a), _x_axis()),
    R("nn.bias_add", lambda tf, x, b: tf.nn.bias_add(x, b), st.tuples(arr("float32", st.just((2, 3, 4))), arr("float32", st.just((4,))))),
    R("nn.moments", lambda tf, x: tf.nn.moments(x, axes=[0]), one(FLOATS, shape=SHAPE1), rtol=1e-4, atol=1e-5),
    R("nn.batch_normalization", lambda tf, x, m, v, o, s: tf.nn.batch_normalization(x, m, v, o, s, 1e-3),
      st.tuples(arr("float32", st.just((3, 4))), arr("float32", st.just((4,))), arr("float32", st.just((4,)), 0.1, 2),
                arr("float32", st.just((4,))), arr("float32", st.just((4,)))), rtol=1e-4, atol=1e-5),
    R("nn.l2_loss", lambda tf, x: tf.nn.l2_loss(x), one(FLOATS), rtol=1e-5),
    R("nn.sigmoid_cross_entropy_with_logits", lambda tf, l, z: tf.nn.sigmoid_cross_entropy_with_logits(labels=l, logits=z), arrs(2, FLOATS, lo=-3, hi=3)),
    R("nn.weighted_cross_entropy_with_logits", lambda tf, l, z: tf.nn.weighted_cross_entropy_with_logits(l, z, 2.5), arrs(2, FLOATS, lo=-3, hi=3)),
    R("nn.softmax_cross_entropy_with_logits", lambda tf, l, z: tf.nn.softmax_cross_entropy_with_logits(tf.nn.softmax(l), z), arrs(2, FLOATS, shape=SHAPE1), rtol=1e-4, atol=1e-5),
    R("nn.sparse_softmax_cross_entropy_with_logits", lambda tf, l, z: tf.nn.sparse_softmax_cross_entropy_with_logits(l, z),
      st.tuples(arr("int32", st.just((3,)), 0, 3), arr("float32", st.just((3, 4)))), rtol=1e-5),
    R("nn.log_poisson_loss", lambda tf, t, x, f: tf.nn.log_poisson_loss(t, x, compute_full_loss=f),
      st.tuples(arr("float32", st.just((4,)), 0, 4), arr("float32", st.just((4,)), -2, 2), st.booleans()), rtol=1e-5),
    R("nn.embedding_lookup", lambda tf, p, i: tf.nn.embedding_lookup(p, i), st.tuples(arr("float32", st.just((5, 3))), arr("int32", SHAPE, 0, 4))),
    R("nn.local_response_normalization", lambda tf, x: tf.nn.local_response_normalization(x, 2, 1.0, 0.5, 0.75), one(("float32",), shape=st.just((1, 2, 2, 5))), rtol=1e-4),
    R("nn.l2_normalize", lambda tf, x: tf.nn.l2_normalize(x, axis=0), one(FLOATS, shape=SHAPE1)),
    R("nn.conv1d", lambda tf, x, w, s, p, d: tf.nn.conv1d(x, w, s, p, dilations=d), _conv_gen(1), rtol=1e-4, atol=1e-5),
    R("nn.conv2d", lambda tf, x, w, s, p, d: tf.nn.conv2d(x, w, s, p, dilations=d), _conv_gen(2), rtol=1e-4, atol=1e-5),
    R("nn.conv3d", lambda tf, x, w, s, p, d: tf.nn.conv3d(x, w, [1, s, s, s, 1], p, dilations=[1, d, d, d, 1]), _conv_gen(3), rtol=1e-4, atol=1e-5, examples=3),
    R("nn.convolution", lambda tf, x, w, s, p, d: tf.nn.convolution(x, w, s, p, dilations=d), _conv_gen(2), rtol=1e-4, atol=1e-5, examples=3),
    R("nn.conv2d", lambda tf, x, w: tf.nn.conv2d(x, w, 1, [[0, 0], [1, 0], [0, 2], [0, 0]]), _conv_gen(2).map(lambda t: t[:2]), rtol=1e-4, atol=1e-5, examples=3),
    R("nn.conv2d_transpose", lambda tf, x, w, s, p: tf.nn.conv2d_transpose(x, w, [1, 4 * s if p == "SAME" else 3 * s + 3, 4 * s if p == "SAME" else 3 * s + 3, 2], s, p),
      st.tuples(arr("float32", st.just((1, 4, 4, 3))), arr("float32", st.just((3, 3, 2, 3))), st.integers(1, 2), st.sampled_from(["SAME", "VALID"])),
      rtol=1e-4, atol=1e-5, examples=3),
    R("nn.conv1d_transpose", lambda tf, x, w: tf.nn.conv1d_transpose(x, w, [1, 8, 2], 2, "SAME"),
      st.tuples(arr("float32", st.just((1, 4, 3))), arr("float32", st.just((3, 2, 3)))), rtol=1e-4, atol=1e-5, examples=3),
    R("nn.depthwise_conv2d", lambda tf, x, w, s, p: tf.nn.depthwise_conv2d(x, w, [1, s, s, 1], p),
      st.tuples(arr("float32", st.just((1, 5, 5, 2))), arr("float32", st.just((3, 3, 2, 2))), st.integers(1, 2), st.sampled_from(["SAME", "VALID"])), rtol=1e-4, atol=1e-5),
    R("nn.separable_conv2d", lambda tf, x, dw, pw: tf.nn.separable_conv2d(x, dw, pw, [1, 1, 1, 1], "SAME"),
      st.tuples(arr("float32", st.just((1, 4, 4, 2))), arr("float32", st.just((2, 2, 2, 2))), arr("float32", st.just((1, 1, 4, 3)))), rtol=1e-4, atol=1e-5, examples=3),
    R("nn.max_pool1d", lambda tf, x, k, s, p: tf.nn.max_pool1d(x, k, s, p), _pool_gen(1)),
    R("nn.max_pool2d", lambda tf, x, k, s, p: tf.nn.max_pool2d(x, k, s, p), _pool_gen(2)),
    R("nn.max_pool3d", lambda tf, x, k, s, p: tf.nn.max_pool3d(x, k, s, p), _pool_gen(3), examples=3),
    R("nn.avg_pool1d", lambda tf, x, k, s, p: tf.nn.avg_pool1d(x, k, s, p), _pool_gen(1)),
    R("nn.avg_pool2d", lambda tf, x, k, s, p: tf.nn.avg_pool2d(x, k, s, p), _pool_gen(2)),
    R("nn.avg_pool3d", lambda tf, x, k, s, p: tf.nn.avg_pool3d(x, k, s, p), _pool_gen(3), examples=3),
    R("nn.max_pool", lambda tf, x, k, s, p: tf.nn.max_pool(x, k, s, p), _pool_gen(2), examples=3),
    R("nn.avg_pool", lambda tf, x, k, s, p: tf.nn.avg_pool(x, k, s, p), _pool_gen(2), examples=3),
    R("nn.crelu", lambda tf, x: tf.nn.crelu(x), one(FLOATS, shape=SHAPE1)),
    # -- image ---------------------------------------------------------------------------------
    R("image.resize", lambda tf, x, s, m, aa, par: tf.image.resize(x, s, method=m, antialias=aa, preserve_aspect_ratio=par), _resize_gen(), rtol=1e-4, atol=1e-5, examples=12),
    R("image.resize_with_pad", lambda tf, x: tf.image.resize_with_pad(x, 5, 3), _img(min_side=2), rtol=1e-4, atol=1e-5),
    R("image.resize_with_crop_or_pad", lambda tf, x, h, w: tf.image.resize_with_crop_or_pad(x, h, w),
      st.tuples(_img().map(lambda t: t[0]), st.integers(1, 8), st.integers(1, 8))),
    R("image.central_crop", lambda tf, x, f: tf.image.central_crop(x, f), st.tuples(_img().map(lambda t: t[0]), st.sampled_from([0.3, 0.5, 0.75, 1.0]))),
    R("image.crop_to_bounding_box", lambda tf, x: tf.image.crop_to_bounding_box(x, 0, 1, 1, 1), _img(min_side=2)),
    R("image.pad_to_bounding_box", lambda tf, x: tf.image.pad_to_bounding_box(x, 1, 2, 8, 9), _img()),
    R("image.flip_left_right", lambda tf, x: (tf.image.flip_left_right(x), tf.image.flip_up_down(x), tf.image.transpose(x)), _img()),
    R("image.rot90", lambda tf, x, k: tf.image.rot90(x, k), st.tuples(_img().map(lambda t: t[0]), st.integers(0, 4))),
    R("image.adjust_brightness", lambda tf, x: tf.image.adjust_brightness(x, 0.2), _img(("float32", "uint8"), lo=0, hi=1)),
    R("image.adjust_contrast", lambda tf, x: tf.image.adjust_contrast(x, 1.7), _img(("float32",)), rtol=1e-4, atol=1e-5),
    R("image.adjust_saturation", lambda tf, x, f: tf.image.adjust_saturation(x, f), st.tuples(_img().map(lambda t: t[0]), st.floats(0, 3)), rtol=1e-4, atol=1e-4),
    R("image.adjust_hue", lambda tf, x, d: tf.image.adjust_hue(x, d), st.tuples(_img().map(lambda t: t[0]), st.floats(-0.5, 0.5)), rtol=1e-4, atol=1e-4),
    R("image.adjust_gamma", lambda tf, x: tf.image.adjust_gamma(x, 2.0, 1.5), _img(("float32",))),
    R("image.rgb_to_grayscale", lambda tf, x: tf.image.rgb_to_grayscale(x), _img(("float32",))),
    R("image.grayscale_to_rgb", lambda tf, x: tf.image.grayscale_to_rgb(x), _img(("float32",), c=1)),
    R("image.rgb_to_hsv", lambda tf, x: tf.image.rgb_to_hsv(x), _img(("float32",)), rtol=1e-4, atol=1e-5),
    R("image.hsv_to_rgb", lambda tf, x: tf.image.hsv_to_rgb(x), _img(("float32",)), rtol=1e-4, atol=1e-5),
    R("image.rgb_to_yuv", lambda tf, x: (tf.image.rgb_to_yuv(x), tf.image.rgb_to_yiq(x)), _img(("float32",)), rtol=1e-4, atol=1e-5),
    R("image.per_image_standardization", lambda tf, x: tf.image.per_image_standardization(x), _img(("float32", "uint8"), lo=0, hi=200), rtol=1e-4, atol=1e-4),
    R("image.convert_image_dtype", lambda tf, x, d: tf.image.convert_image_dtype(x, d),
      st.tuples(_img(("uint8", "float32", "int32"), lo=0, hi=1).map(lambda t: t[0]), st.sampled_from(["uint8", "float32", "int16", "float64"])), rtol=1e-5),
    R("image.extract_patches", lambda tf, x, k, s, r, p: tf.image.extract_patches(x, [1, k, k, 1], [1, s, s, 1], [1, r, r, 1], p),
      st.tuples(_img(batch=(1,), min_side=3).map(lambda t: t[0]), st.integers(1, 2), st.integers(1, 2), st.integers(1, 2), st.sampled_from(["SAME", "VALID"]))),
    R("image.total_variation", lambda tf, x: tf.image.total_variation(x), _img(), rtol=1e-4, atol=1e-4),
    R("image.psnr", lambda tf, a, b: tf.image.psnr(a, b, 1.0), st.tuples(_img(batch=(2,)).map(lambda t: t[0])).flatmap(lambda t: st.tuples(st.just(t[0]), arr("float32", st.just(t[0].shape), 0, 1))), rtol=1e-4, atol=1e-4),
    R("image.ssim", lambda tf, a, b: tf.image.ssim(a, b, 1.0, filter_size=3), st.tuples(_img(batch=(2,), min_side=3).map(lambda t: t[0])).flatmap(
        lambda t: st.tuples(st.just(t[0]), arr("float32", st.just(t[0].shape), 0, 1))), rtol=1e-4, atol=1e-4),
    R("image.image_gradients", lambda tf, x: tf.image.image_gradients(x), _img(batch=(2,))),
    # -- tnp ---------------------------------------------------------------------------------------
    R("experimental.numpy.add", lambda tf, x, y: tf.experimental.numpy.add(x, y), st.tuples(arr("int32", SHAPE), arr("float32", SHAPE)).filter(lambda t: t[0].shape == t[1].shape)),
]

ROWS += [
    R("cast", lambda tf, x, d: tf.cast(x, d), st.tuples(arr(st.sampled_from(FLOATS), SHAPE, -100, 100),
                                                       st.sampled_from(["int32", "int64", "float16", "float64", "bool", "complex64"])), atol=1e-1),
]

# -- fixed-input rows (one example each) for the rest of the surface ----------------------------
_A = np.array([[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]])
_V = np.array([0.5, -1.5, np.inf, np.nan, 2.0], np.float32)
_T = st.just(())

ROWS += [R(api, fn, _T, rtol, atol, 1) for api, fn, rtol, atol in [
    ("bitcast", lambda tf: tf.bitcast(tf.constant([1.0, -2.0]), tf.int32), 1e-5, 1e-6),
    ("broadcast_static_shape", lambda tf: tf.broadcast_static_shape(tf.TensorShape([2, 1]), tf.TensorShape([3])).as_list(), 1e-5, 1e-6),
    ("broadcast_dynamic_shape", lambda tf: tf.broadcast_dynamic_shape([2, 1], [1, 3]), 1e-5, 1e-6),
    ("complex", lambda tf: tf.complex(tf.constant([1.0, 2.0]), tf.constant([3.0, -1.0])), 1e-5, 1e-6),
    ("dynamic_partition", lambda tf: tf.dynamic_partition(tf.constant([1.0, 2.0, 3.0, 4.0]), [0, 1, 0, 2], 3), 1e-5, 1e-6),
    ("dynamic_stitch", lambda tf: tf.dynamic_stitch([[0, 2], [1, 3]], [tf.constant([1.0, 3.0]), tf.constant([2.0, 4.0])]), 1e-5, 1e-6),
    ("ensure_shape", lambda tf: tf.ensure_shape(tf.zeros([2, 3]), [None, 3]), 1e-5, 1e-6),
    ("ensure_shape", lambda tf: tf.ensure_shape(tf.zeros([2, 3]), [3, None]), 1e-5, 1e-6),
    ("identity", lambda tf: (tf.identity(tf.constant([1, 2])), tf.stop_gradient(tf.constant(2.0))), 1e-5, 1e-6),
    ("parallel_stack", lambda tf: tf.parallel_stack([tf.constant([1, 2]), tf.constant([3, 4])]), 1e-5, 1e-6),
    ("tensor_scatter_nd_min", lambda tf: (tf.tensor_scatter_nd_min(tf.ones([4]), [[1], [3]], [0.5, 2.0]),
                                          tf.tensor_scatter_nd_sub(tf.ones([4]), [[1], [1]], [0.5, 2.0])), 1e-5, 1e-6),
    ("histogram_fixed_width_bins", lambda tf: tf.histogram_fixed_width_bins(tf.constant([-1.0, 0.0, 1.5, 2.0, 5.0]), [0.0, 5.0], nbins=5), 1e-5, 1e-6),
    ("math.is_nan", lambda tf: (tf.math.is_nan(tf.constant(_V)), tf.math.is_inf(tf.constant(_V))), 1e-5, 1e-6),
    ("math.nextafter", lambda tf: tf.math.nextafter(tf.constant([1.0, 2.0]), tf.constant([2.0, 0.0])), 0, 0),
    ("math.polygamma", lambda tf: tf.math.polygamma(tf.constant([1.0, 2.0]), tf.constant([0.5, 3.0])), 1e-4, 1e-5),
    ("math.bessel_i0", lambda tf: (tf.math.bessel_i0(tf.constant([0.5, 2.0])), tf.math.bessel_i1(tf.constant([0.5, -2.0]))), 1e-4, 1e-6),
    ("math.erfcinv", lambda tf: tf.math.erfcinv(tf.constant([0.2, 1.0, 1.7])), 1e-4, 1e-6),
    ("linalg.cholesky_solve", lambda tf: tf.linalg.cholesky_solve(tf.linalg.cholesky(tf.constant(_A)), tf.ones([3, 2], tf.float64)), 1e-6, 1e-8),
    ("linalg.matrix_rank", lambda tf: tf.linalg.matrix_rank(tf.constant([[1.0, 2.0], [2.0, 4.0]])), 1e-5, 1e-6),
    ("linalg.normalize", lambda tf: tf.linalg.normalize(tf.constant([[3.0, 4.0], [6.0, 8.0]]), axis=1), 1e-5, 1e-6),
    ("linalg.tensor_diag_part", lambda tf: tf.linalg.tensor_diag_part(tf.reshape(tf.range(16.0), [2, 2, 2, 2])), 1e-5, 1e-6),
    ("linalg.lu", lambda tf: tf.linalg.lu_reconstruct(*tf.linalg.lu(tf.constant(_A))), 1e-6, 1e-8),
    ("linalg.lu_solve", lambda tf: tf.linalg.lu_solve(*tf.linalg.lu(tf.constant(_A)), tf.ones([3, 1], tf.float64)), 1e-6, 1e-8),
    ("linalg.lu_matrix_inverse", lambda tf: tf.linalg.lu_matrix_inverse(*tf.linalg.lu(tf.constant(_A))), 1e-6, 1e-8),
    ("linalg.tridiagonal_matmul", lambda tf: tf.linalg.tridiagonal_matmul(tf.constant([[1.0, 2.0, 0.0], [4.0, 5.0, 6.0], [0.0, 8.0, 9.0]]), tf.ones([3, 2])), 1e-5, 1e-6),
    ("linalg.tridiagonal_solve", lambda tf: tf.linalg.tridiagonal_solve(tf.constant([[1.0, 2.0, 0.0], [9.0, 8.0, 7.0], [0.0, 1.0, 2.0]]), tf.ones([3, 2])), 1e-4, 1e-5),
    ("linalg.eig", lambda tf: tf.sort(tf.math.real(tf.linalg.eigvals(tf.constant(_A)))), 1e-6, 1e-8),
    ("linalg.sqrtm", lambda tf: tf.linalg.sqrtm(tf.constant(_A)), 1e-5, 1e-7),
    ("get_static_value", lambda tf: tf.get_static_value(tf.constant([1, 2])), 1e-5, 1e-6),
    ("name_scope", lambda tf: [tf.name_scope("a").__enter__(), tf.get_current_name_scope()][0] if False else "ok", 1e-5, 1e-6),
    ("random.stateless_uniform", lambda tf: tf.random.stateless_uniform([3, 2], [1, 2]).shape.as_list(), 1e-5, 1e-6),
    ("random.uniform", lambda tf: (tf.random.uniform([2, 3], dtype=tf.float64).dtype.name, tf.random.uniform([2], 0, 5, tf.int64).dtype.name), 1e-5, 1e-6),
    ("random.normal", lambda tf: (tf.random.normal([4]).shape.as_list(), tf.random.truncated_normal([2], dtype=tf.float64).dtype.name), 1e-5, 1e-6),
    ("random.categorical", lambda tf: (tf.random.categorical([[0.0, 1.0]], 3).dtype.name, tf.random.categorical([[0.0, 1.0]], 3).shape.as_list()), 1e-5, 1e-6),
    ("random.shuffle", lambda tf: tf.sort(tf.random.shuffle(tf.range(6))), 1e-5, 1e-6),
    ("random.gamma", lambda tf: (tf.random.gamma([3], [1.0, 2.0]).shape.as_list(), tf.random.poisson([2], [1.0, 3.0]).shape.as_list()), 1e-5, 1e-6),
    ("random.Generator", lambda tf: (tf.random.Generator.from_seed(1).normal([2, 2]).shape.as_list(), tf.random.Generator.from_seed(1).make_seeds(3).shape.as_list()), 1e-5, 1e-6),
    ("nn.dropout", lambda tf: tf.nn.dropout(tf.ones([3, 4]), 0.5).shape.as_list(), 1e-5, 1e-6),
    ("image.random_flip_left_right", lambda tf: (tf.image.random_flip_left_right(tf.zeros([2, 3, 3, 1])).shape.as_list(),
                                                 tf.image.random_crop(tf.zeros([4, 4, 3]), [2, 3, 3]).shape.as_list(),
                                                 tf.image.random_brightness(tf.zeros([2, 2, 3]), 0.1).shape.as_list()), 1e-5, 1e-6),
]]
