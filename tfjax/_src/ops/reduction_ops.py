"""Reductions (``tf.reduce_*``, ``argmax``/``argmin``, ``count_nonzero``) and scans (``cumsum``, ...).

The op conventions (argument conversion, eager checks, module-level ``jax_fn``) are those of :mod:`.math_ops`.
"""

from __future__ import annotations

import builtins

import jax.numpy as jnp
import jax.scipy.special as jss
import numpy as np
from jax import lax

from tfjax._src import dispatch
from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src.ops import convert
from tfjax._src.ops.math_common import NUMERIC, REAL, FLOATC, kinds, bad_kind, _check_kind
from tfjax._src.ragged.ragged_tensor import RaggedTensor
from tfjax._src.tensor import Tensor

_apply = dispatch.apply
_apply_unrecorded = dispatch.apply_unrecorded


# -- reductions --------------------------------------------------------------
_FLOAT_SET = kinds(("float",))
_FLOATC_SET = kinds(FLOATC)


def _reduce(op_name, jax_fn, allowed=NUMERIC, recorded=True, float_full=None):
    """``float_full``: a kwargs-free full reduction used for float inputs with axis=None
    (the common eager case; JAX's jit dispatch is fastest without static kwargs)."""
    run = _apply if recorded else _apply_unrecorded
    ok = kinds(allowed)

    def op(input_tensor, axis=None, keepdims=False, name=None):
        if type(input_tensor) is not Tensor and isinstance(input_tensor, RaggedTensor):
            from tfjax._src.ragged import ragged_math  # noqa: PLC0415
            return ragged_math.reduce(op_name, input_tensor, axis, keepdims)
        x = input_tensor if type(input_tensor) is Tensor else convert.tensor(input_tensor)
        d = x._value.dtype
        if d not in ok:
            raise bad_kind(d, op_name)
        if axis is None and not keepdims and float_full is not None and d in _FLOAT_SET:
            return run(float_full, x)
        axes = _axes(axis, x._value.ndim, op_name)
        return run(jax_fn, x, axis=axes, keepdims=bool(keepdims))

    op.__name__ = op_name
    op.__doc__ = f"``tf.math`` reduction {op_name} over ``axis`` (all axes when None)."
    return op


def _axes(axis, rank, op_name):
    if axis is None:
        return None
    try:
        return convert.axis_tuple(axis, rank)
    except errors.InvalidArgumentError:
        a = np.asarray(axis).reshape(-1)
        bad = next(int(v) for v in a if not -rank <= int(v) < builtins.max(rank, 1))
        raise errors.invalid_argument(
            op_name, f"Invalid reduction dimension ({bad} for input with {rank} dimension(s)") from None


def _sum(x, *, axis, keepdims):
    return jnp.sum(x, axis=axis, keepdims=keepdims, dtype=x.dtype)


def _prod(x, *, axis, keepdims):
    return jnp.prod(x, axis=axis, keepdims=keepdims, dtype=x.dtype)


def _count(shape, axis):
    return int(np.prod([shape[a] for a in (axis if axis is not None else builtins.range(len(shape)))], dtype=np.int64))


def _mean(x, *, axis, keepdims):
    if jnp.issubdtype(x.dtype, jnp.integer):
        # TF keeps integer means integer: the sum divided with truncation.
        n = _count(x.shape, axis)
        s = jnp.sum(x, axis=axis, keepdims=keepdims, dtype=x.dtype)
        return lax.div(s, jnp.asarray(builtins.max(n, 1), x.dtype))
    if x.dtype in (jnp.float16, jnp.bfloat16):
        return jnp.mean(x.astype(jnp.float32), axis=axis, keepdims=keepdims).astype(x.dtype)
    return jnp.mean(x, axis=axis, keepdims=keepdims, dtype=x.dtype)


def _max(x, *, axis, keepdims):
    if x.size == 0:
        init = jnp.array(-jnp.inf if jnp.issubdtype(x.dtype, jnp.floating) else jnp.iinfo(x.dtype).min, x.dtype)
        return jnp.max(x, axis=axis, keepdims=keepdims, initial=init)
    return jnp.max(x, axis=axis, keepdims=keepdims)


def _min(x, *, axis, keepdims):
    if x.size == 0:
        init = jnp.array(jnp.inf if jnp.issubdtype(x.dtype, jnp.floating) else jnp.iinfo(x.dtype).max, x.dtype)
        return jnp.min(x, axis=axis, keepdims=keepdims, initial=init)
    return jnp.min(x, axis=axis, keepdims=keepdims)


def _all(x, *, axis, keepdims):
    return jnp.all(x, axis=axis, keepdims=keepdims)


def _any(x, *, axis, keepdims):
    return jnp.any(x, axis=axis, keepdims=keepdims)


def _logsumexp(x, *, axis, keepdims):
    return jss.logsumexp(x, axis=axis, keepdims=keepdims).astype(x.dtype)


def _variance(x, *, axis, keepdims):
    m = jnp.mean(x, axis=axis, keepdims=True)
    d = x - m
    sq = jnp.real(d * jnp.conj(d)) if jnp.iscomplexobj(d) else d * d
    return jnp.mean(sq, axis=axis, keepdims=keepdims)


def _std(x, *, axis, keepdims):
    return jnp.sqrt(_variance(x, axis=axis, keepdims=keepdims))


def _euclidean_norm(x, *, axis, keepdims):
    if jnp.issubdtype(x.dtype, jnp.integer):
        s = jnp.sum(x.astype(jnp.float64) ** 2, axis=axis, keepdims=keepdims)
        return jnp.sqrt(s).astype(x.dtype)
    if jnp.iscomplexobj(x):
        return jnp.sqrt(jnp.sum(x * jnp.conj(x), axis=axis, keepdims=keepdims))
    return jnp.sqrt(jnp.sum(x * x, axis=axis, keepdims=keepdims))


def _mean_full_float(x):
    if x.dtype in (jnp.float16, jnp.bfloat16):
        return jnp.mean(x.astype(jnp.float32)).astype(x.dtype)
    return jnp.mean(x)


def _max_full_float(x):
    return jnp.max(x) if x.size else jnp.asarray(-jnp.inf, x.dtype)


def _min_full_float(x):
    return jnp.min(x) if x.size else jnp.asarray(jnp.inf, x.dtype)


reduce_sum = _reduce("Sum", _sum, float_full=jnp.sum)
reduce_prod = _reduce("Prod", _prod, float_full=jnp.prod)
reduce_mean = _reduce("Mean", _mean, float_full=_mean_full_float)
reduce_max = _reduce("Max", _max, REAL, float_full=_max_full_float)
reduce_min = _reduce("Min", _min, REAL, float_full=_min_full_float)
reduce_all = _reduce("All", _all, ("bool",), recorded=False)
reduce_any = _reduce("Any", _any, ("bool",), recorded=False)
reduce_logsumexp = _reduce("ReduceLogSumExp", _logsumexp, ("float",))
reduce_euclidean_norm = _reduce("EuclideanNorm", _euclidean_norm)
_reduce_variance = _reduce("ReduceVariance", _variance, FLOATC)
_reduce_std = _reduce("ReduceStd", _std, FLOATC)


def reduce_variance(input_tensor, axis=None, keepdims=False, name=None):
    x = convert.tensor(input_tensor)
    if x._value.dtype not in _FLOATC_SET:
        raise TypeError(f"Input must be either real or complex. Received integer type {x.dtype}.")
    return _reduce_variance(x, axis, keepdims)


def reduce_std(input_tensor, axis=None, keepdims=False, name=None):
    x = convert.tensor(input_tensor)
    if x._value.dtype not in _FLOATC_SET:
        raise TypeError(f"Input must be either real or complex. Received integer type {x.dtype}.")
    return _reduce_std(x, axis, keepdims)


def _count_nonzero(x, *, axis, keepdims, np_dtype):
    nz = x != (b"" if x.dtype == object else 0)
    return jnp.sum(nz, axis=axis, keepdims=keepdims, dtype=np_dtype)


def count_nonzero(input, axis=None, keepdims=None, dtype=dtypes.int64, name=None):  # noqa: A002
    x = convert.tensor(input)
    axes = _axes(axis, x._value.ndim, "CountNonzero")
    return _apply_unrecorded(_count_nonzero, x, axis=axes, keepdims=bool(keepdims),
                             np_dtype=dtypes.as_dtype(dtype)._np)


def _zero_fraction(x):
    return jnp.mean((x == 0).astype(jnp.float32))


def zero_fraction(value, name=None):
    return _apply_unrecorded(_zero_fraction, convert.tensor(value))


def _argmax(x, *, axis, np_dtype):
    return jnp.argmax(x, axis=axis).astype(np_dtype)


def _argmin(x, *, axis, np_dtype):
    return jnp.argmin(x, axis=axis).astype(np_dtype)


def _arg(op_name, fn, input, axis, output_type):
    x = convert.tensor(input)
    _check_kind(x, REAL + ("bool",), op_name)
    axis = 0 if axis is None else convert.static_int(axis, "axis")
    r = x._value.ndim
    if not -builtins.max(r, 1) <= axis < builtins.max(r, 1):
        raise errors.invalid_argument(op_name, f"Expected dimension in the range [{-r}, {r}), but got {axis}")
    if r and x._value.shape[axis] == 0:
        raise errors.invalid_argument(op_name, "Reduction axis 0 is empty in shape " + str(list(x._value.shape)))
    out = dtypes.as_dtype(output_type)
    if out not in (dtypes.int32, dtypes.int64, dtypes.int16, dtypes.uint16):
        raise TypeError(f"Value passed to parameter 'output_type' has DataType {out.name} not in list of "
                        "allowed values: int16, uint16, int32, int64")
    return _apply_unrecorded(fn, x, axis=axis % builtins.max(r, 1), np_dtype=out._np)


def argmax(input, axis=None, output_type=dtypes.int64, name=None):  # noqa: A002 - TF name
    return _arg("ArgMax", _argmax, input, axis, output_type)


def argmin(input, axis=None, output_type=dtypes.int64, name=None):  # noqa: A002 - TF name
    return _arg("ArgMin", _argmin, input, axis, output_type)


# -- scans ---------------------------------------------------------------------
def _cumulative(x, *, axis, exclusive, reverse, kind):
    if reverse:
        x = jnp.flip(x, axis)
    if kind == "sum":
        out = jnp.cumsum(x, axis=axis, dtype=x.dtype)
        if exclusive:
            out = out - x
    elif kind == "prod":
        if exclusive:
            pad = [(0, 0)] * x.ndim
            pad[axis] = (1, 0)
            sl = [slice(None)] * x.ndim
            sl[axis] = slice(0, x.shape[axis])
            x = jnp.pad(x, pad, constant_values=1)[tuple(sl)]
        out = jnp.cumprod(x, axis=axis, dtype=x.dtype)
    else:  # logsumexp
        if exclusive:
            pad = [(0, 0)] * x.ndim
            pad[axis] = (1, 0)
            sl = [slice(None)] * x.ndim
            sl[axis] = slice(0, x.shape[axis])
            x = jnp.pad(x, pad, constant_values=-jnp.inf)[tuple(sl)]
        out = lax.cumlogsumexp(x, axis=axis)
    if reverse:
        out = jnp.flip(out, axis)
    return out


def _exclusive_cumsum_fix(x, *, axis, reverse):
    # exact exclusive cumsum (no cancellation): shift then cumsum
    if reverse:
        x = jnp.flip(x, axis)
    pad = [(0, 0)] * x.ndim
    pad[axis] = (1, 0)
    sl = [slice(None)] * x.ndim
    sl[axis] = slice(0, x.shape[axis])
    out = jnp.cumsum(jnp.pad(x, pad)[tuple(sl)], axis=axis, dtype=x.dtype)
    return jnp.flip(out, axis) if reverse else out


def _scan(op_name, kind, allowed, x, axis, exclusive, reverse):
    x = convert.tensor(x)
    _check_kind(x, allowed, op_name)
    r = x._value.ndim
    axis = convert.static_int(axis, "axis")
    if not -r <= axis < r:
        raise errors.invalid_argument(op_name, f"ScanOp: Expected scan axis in the range [{-r}, {r}), but got {axis}")
    axis %= r
    if kind == "sum" and exclusive:
        return _apply(_exclusive_cumsum_fix, x, axis=axis, reverse=bool(reverse))
    return _apply(_cumulative, x, axis=axis, exclusive=bool(exclusive), reverse=bool(reverse), kind=kind)


def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    return _scan("Cumsum", "sum", NUMERIC, x, axis, exclusive, reverse)


def cumprod(x, axis=0, exclusive=False, reverse=False, name=None):
    return _scan("Cumprod", "prod", NUMERIC, x, axis, exclusive, reverse)


def cumulative_logsumexp(x, axis=0, exclusive=False, reverse=False, name=None):
    return _scan("CumulativeLogsumexp", "lse", ("float",), x, axis, exclusive, reverse)
