"""``keras.ops`` core control flow, math and linalg (subset)."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from tfjax._src import nest
from tfjax._src.tensor import Tensor
from tfjax._src.keras.ops.core import apply, apply_unrecorded, keras_op, t1, t, cast, dtype_of
from tfjax._src.keras.ops import numpy as _np
from tfjax._src.keras.ops.numpy import norm, erf, rsqrt, unstack  # noqa: F401


def _raw(x):
    return t1(x)._value if isinstance(x, (Tensor,)) or hasattr(x, "_read_raw") or isinstance(x, (int, float)) \
        or hasattr(x, "shape") else x


def _wrap(tree):
    return jax.tree_util.tree_map(lambda a: Tensor(a) if isinstance(a, (jax.Array, jax.core.Tracer)) else a, tree)


def cond(pred, true_fn, false_fn):
    p = t1(pred)
    if not isinstance(p._value, jax.core.Tracer):
        return true_fn() if bool(p._value) else false_fn()
    from tfjax._src import tape as _tape  # noqa: PLC0415
    if _tape.state.recording:
        raise NotImplementedError("ops.cond on a traced predicate under a GradientTape")
    out = jax.lax.cond(p._value, lambda: _unwrap(true_fn()), lambda: _unwrap(false_fn()))
    return _wrap(out)


def _unwrap(tree):
    return jax.tree_util.tree_map(lambda a: a._value if isinstance(a, Tensor) else a, tree,
                                  is_leaf=lambda a: isinstance(a, Tensor))


def switch(index, branches, *operands):
    i = int(np.asarray(t1(index)._value))
    return branches[i](*operands)


def while_loop(cond_fn, body, loop_vars, maximum_iterations=None):
    vars_ = loop_vars
    single = not isinstance(vars_, (list, tuple))
    n = 0
    while True:
        c = cond_fn(vars_) if single else cond_fn(*vars_)
        if not bool(np.asarray(t1(c)._value)):
            break
        vars_ = body(vars_) if single else body(*vars_)
        n += 1
        if maximum_iterations is not None and n >= maximum_iterations:
            break
    return vars_


def fori_loop(lower, upper, body_fun, init_val):
    v = init_val
    for i in range(int(lower), int(upper)):
        v = body_fun(i, v)
    return v


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    n = length if xs is None else int(nest.flatten(xs)[0].shape[0])
    carry = init
    ys = []
    idx = range(n - 1, -1, -1) if reverse else range(n)
    from tfjax._src.ops import array_ops  # noqa: PLC0415
    for i in idx:
        x = None if xs is None else nest.map_structure(lambda a: array_ops.getitem(t1(a), i), xs)
        carry, y = f(carry, x)
        ys.append(y)
    if reverse:
        ys = ys[::-1]
    if ys and ys[0] is not None:
        stacked = nest.map_structure(lambda *e: _np.stack(list(e), axis=0), *ys)
    else:
        stacked = None
    return carry, stacked


def associative_scan(f, elems, reverse=False, axis=0):
    raise NotImplementedError("ops.associative_scan is not implemented in tfjax yet.")


def map(f, xs):  # noqa: A001
    return _np.stack([f(x) for x in unstack(xs)], axis=0)


def vectorized_map(function, elements):
    if isinstance(elements, (list, tuple)):
        n = int(t1(elements[0]).shape[0])
        from tfjax._src.ops import array_ops  # noqa: PLC0415
        outs = [function(type(elements)(array_ops.getitem(t1(e), i) for e in elements)) for i in range(n)]
    else:
        outs = [function(e) for e in unstack(elements)]
    return nest.map_structure(lambda *e: _np.stack(list(e), axis=0), *outs)


def custom_gradient(f):
    from tfjax._src.tape import custom_gradient as _cg  # noqa: PLC0415
    return _cg(f)


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


def _jfn1(f):
    def op(x):
        return apply(f, t1(x))
    return keras_op(op)


def _logdet(x):
    return jnp.linalg.slogdet(x)[1]


logdet = _jfn1(_logdet)
inv = _jfn1(jnp.linalg.inv)
det = _jfn1(jnp.linalg.det)
cholesky = _jfn1(jnp.linalg.cholesky)


def _qr(x, *, mode):
    return tuple(jnp.linalg.qr(x, mode=mode))


def qr(x, mode="reduced"):
    return apply(_qr, t1(x), mode=mode)


def _svd(x, *, full_matrices, compute_uv):
    r = jnp.linalg.svd(x, full_matrices=full_matrices, compute_uv=compute_uv)
    return tuple(r) if compute_uv else r


def svd(x, full_matrices=True, compute_uv=True):
    return apply(_svd, t1(x), full_matrices=full_matrices, compute_uv=compute_uv)


def _solve(a, b):
    return jnp.linalg.solve(a, b)


def solve(a, b):
    return apply(_solve, t1(a), t1(b))


def _eig(x):
    return tuple(jnp.linalg.eig(x))


def eig(x):
    return apply(_eig, t1(x))


def _eigh(x):
    return tuple(jnp.linalg.eigh(x))


def eigh(x):
    return apply(_eigh, t1(x))


def lu_factor(x):
    lu, piv = jax.scipy.linalg.lu_factor(t1(x)._value)
    return Tensor(lu), Tensor(piv)


def _fft(re, im):
    c = jnp.fft.fft(re + 1j * im)
    return jnp.real(c).astype(re.dtype), jnp.imag(c).astype(re.dtype)


def fft(x):
    re, im = x
    return apply(_fft, t1(re), t1(im))


def _fft2(re, im):
    c = jnp.fft.fft2(re + 1j * im)
    return jnp.real(c).astype(re.dtype), jnp.imag(c).astype(re.dtype)


def fft2(x):
    re, im = x
    return apply(_fft2, t1(re), t1(im))


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
