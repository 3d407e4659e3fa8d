"""``tf.debugging``: assertions and ``check_numerics``.

Eagerly every assertion checks values and raises TF's exception class
(``InvalidArgumentError`` for value checks, ``ValueError``/``TypeError`` for
static shape and dtype checks). Under ``tf.function`` the static checks still
run at trace time; data-dependent ones need concrete values and are skipped
when their inputs are symbolic (XLA has no runtime assertion that can raise
a Python exception).
"""

from __future__ import annotations

import jax
import numpy as np

from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src.ops import convert
from tfjax._src.tensor import Tensor
from tfjax._src.variables import Variable

_Tracer = jax.core.Tracer
_log_device_placement = [False]


def _concrete(*ts):
    return all(convert.is_concrete(t) for t in ts)


def _summ(a, summarize):
    flat = np.asarray(a).reshape(-1)
    n = flat.size if summarize is None else min(flat.size, summarize)
    return n, flat[:n]


def _prefix(message):
    return f"{message}\n" if message else ""


def _binary_assert(cond_name, fn, op_name):
    def op(x, y, message=None, summarize=None, name=None):
        a, b = convert.binary(x, y, op_name)
        try:
            np.broadcast_shapes(a._value.shape, b._value.shape)
        except ValueError:
            raise errors.InvalidArgumentError(
                None, None, f"{_prefix(message)}Incompatible shapes: {list(a._value.shape)} vs. {list(b._value.shape)}") from None
        if not _concrete(a, b):
            return None
        av, bv = np.asarray(a._value), np.asarray(b._value)
        if not np.all(fn(av, bv)):
            n = summarize if summarize is not None else 3
            nx, fx = _summ(av, n if av.size > 1 else None)
            ny, fy = _summ(bv, n if bv.size > 1 else None)
            raise errors.InvalidArgumentError(
                None, None,
                f"{_prefix(message)}Condition {cond_name} did not hold.\nFirst {nx} elements of x:\n"
                f"{fx}\nFirst {ny} elements of y:\n{fy}")
        return None
    op.__name__ = op_name
    op.__doc__ = f"``tf.debugging`` assertion that ``{cond_name}`` holds elementwise."
    return op


assert_equal = _binary_assert("x == y", np.equal, "assert_equal")
assert_none_equal = _binary_assert("x != y", np.not_equal, "assert_none_equal")
assert_less = _binary_assert("x < y", np.less, "assert_less")
assert_less_equal = _binary_assert("x <= y", np.less_equal, "assert_less_equal")
assert_greater = _binary_assert("x > y", np.greater, "assert_greater")
assert_greater_equal = _binary_assert("x >= y", np.greater_equal, "assert_greater_equal")


def _sign_assert(cond_name, fn, op_name):
    def op(x, message=None, summarize=None, name=None):
        t = convert.tensor(x)
        if not t.dtype.is_numeric:
            raise TypeError(f"{op_name} requires a numeric tensor, got {t.dtype.name}")
        if not _concrete(t):
            return None
        v = np.asarray(t._value)
        if not np.all(fn(v)):
            n, f = _summ(v, summarize if summarize is not None else 3)
            raise errors.InvalidArgumentError(
                None, None, f"{message or ''}\nCondition {cond_name} did not hold element-wise:\n"
                f"x (shape={t.shape} dtype={t.dtype.name}) = \n{[str(e) for e in f]}")
        return None
    op.__name__ = op_name
    return op


assert_positive = _sign_assert("x > 0", lambda v: v > 0, "assert_positive")
assert_negative = _sign_assert("x < 0", lambda v: v < 0, "assert_negative")
assert_non_negative = _sign_assert("x >= 0", lambda v: v >= 0, "assert_non_negative")
assert_non_positive = _sign_assert("x <= 0", lambda v: v <= 0, "assert_non_positive")


def assert_near(x, y, rtol=None, atol=None, message=None, summarize=None, name=None):
    a, b = convert.binary(x, y, "assert_near")
    if not (a.dtype.is_floating or a.dtype.is_complex):
        raise TypeError(f"assert_near needs floating tensors, got {a.dtype.name}")
    eps = float(np.finfo(a._value.dtype if a.dtype is not dtypes.bfloat16 else np.float32).eps)
    rt = 10 * eps if rtol is None else float(np.asarray(rtol))
    at = 10 * eps if atol is None else float(np.asarray(atol))
    if not _concrete(a, b):
        return None
    av, bv = np.asarray(a._value, np.float64 if not a.dtype.is_complex else None), np.asarray(b._value, np.float64 if not a.dtype.is_complex else None)
    if not np.all(np.abs(av - bv) <= at + rt * np.abs(bv)):
        raise errors.InvalidArgumentError(
            None, None, f"{_prefix(message)}x and y not equal to tolerance rtol = {rt}, atol = {at}\n"
            f"x (shape={a.shape} dtype={a.dtype.name}) = \n{av}\ny (shape={b.shape} dtype={b.dtype.name}) = \n{bv}")
    return None


def _rank_of(x):
    if isinstance(x, (Tensor, Variable)):
        return len(x.shape), x.shape
    t = convert.tensor(x)
    return t._value.ndim, t.shape


def assert_rank(x, rank, message=None, name=None):
    r, shape = _rank_of(x)
    want = convert.static_int(rank, "rank")
    if r != want:
        raise ValueError(f"{message + '.  ' if message else ''}Tensor  must have rank {want}.  "
                         f"Received rank {r}, shape {shape}")
    return None


def assert_rank_at_least(x, rank, message=None, name=None):
    r, shape = _rank_of(x)
    want = convert.static_int(rank, "rank")
    if r < want:
        raise ValueError(f"{message + '.  ' if message else ''}Tensor  must have rank at least {want}.  "
                         f"Received rank {r}, shape {shape}")
    return None


def assert_rank_in(x, ranks, message=None, name=None):
    r, shape = _rank_of(x)
    want = [convert.static_int(k, "rank") for k in ranks]
    if r not in want:
        raise ValueError(f"{message + '.  ' if message else ''}Tensor  must have rank in {tuple(want)}.  "
                         f"Received rank {r}, shape {shape}")
    return None


def assert_scalar(tensor, message=None, name=None):
    r, shape = _rank_of(tensor)
    if r != 0:
        raise ValueError(f"{message + '  ' if message else ''}Expected scalar shape, saw shape: {shape}.")
    return None


def assert_type(tensor, tf_type, message=None, name=None):
    t = tensor if isinstance(tensor, (Tensor, Variable)) else convert.tensor(tensor)
    want = dtypes.as_dtype(tf_type)
    if t.dtype != want:
        raise TypeError(f"{message + ' ' if message else ''}tensor must be of type {want!r}; got {t.dtype!r}")
    return None


def assert_integer(x, message=None, name=None):
    t = x if isinstance(x, (Tensor, Variable)) else convert.tensor(x)
    if not t.dtype.is_integer:
        raise TypeError(f"{message + ' ' if message else ''}Expected integer type, got {t.dtype.name}.")
    return None


def assert_same_float_dtype(tensors=None, dtype=None):
    found = dtypes.as_dtype(dtype) if dtype is not None else None
    for t in tensors or []:
        d = t.dtype
        if not d.is_floating:
            raise ValueError(f"Expected floating point type, got {d}.")
        if found is None:
            found = d
        elif d != found:
            raise ValueError(f"Expected {found}, got {d}.")
    return found or dtypes.float32


def assert_proper_iterable(values):
    if isinstance(values, (Tensor, Variable, np.ndarray, str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError(f"Expected argument \"values\" to be a \"proper\" iterable.  Found: {type(values)}")
    return None


def is_numeric_tensor(tensor):
    return isinstance(tensor, (Tensor, Variable)) and tensor.dtype.is_numeric


def assert_shapes(shapes, data=None, summarize=None, message=None, name=None):
    """``tf.debugging.assert_shapes``: symbolic dimension names must agree across tensors."""
    items = shapes.items() if isinstance(shapes, dict) else shapes
    sizes = {}
    for x, spec in items:
        t = x if isinstance(x, (Tensor, Variable)) else convert.tensor(x)
        shp = list(t.shape)
        spec = [spec] if isinstance(spec, (str, int)) and not isinstance(spec, bool) else list(spec)
        prefix = ""
        if spec and spec[0] in ("...", Ellipsis):
            spec = spec[1:]
            prefix = "..."
            if len(shp) < len(spec):
                raise ValueError(f"{message or ''}Tensor shape={tuple(shp)} must have rank at least {len(spec)}")
            shp_check = shp[len(shp) - len(spec):]
        else:
            if len(shp) != len(spec):
                raise ValueError(f"{message or ''}Specified by tensor {_desc(t)} dimension 0.  Tensor "
                                 f"{_desc(t)} must have rank {len(spec)}.  Received rank {len(shp)}, shape {tuple(shp)}")
            shp_check = shp
        for i, (d, s) in enumerate(zip(shp_check, spec)):
            if isinstance(s, (int, np.integer)) and not isinstance(s, bool):
                if d != s:
                    raise ValueError(f"{message or ''}Tensor {_desc(t)} dimension {i} must have size {s}.  "
                                     f"Received size {d}, shape {tuple(shp)}")
            elif s is None or s == "." or s == prefix:
                continue
            else:
                prev = sizes.get(s)
                if prev is None:
                    sizes[s] = (d, t, i)
                elif prev[0] != d:
                    raise ValueError(
                        f"{message or ''}Specified by tensor {_desc(prev[1])} dimension {prev[2]}.  Tensor "
                        f"{_desc(t)} dimension {i} must have size {prev[0]}.  Received size {d}, shape {tuple(shp)}")
    return None


def _desc(t):
    return f"shape={t.shape} dtype={t.dtype.name}"


def _numerics_error(message, what):
    return errors.invalid_argument("CheckNumerics", f"{message} : Tensor had {what} values")


def check_numerics(tensor, message, name=None):
    """``tf.debugging.check_numerics``: raises naming ``message`` on NaN/Inf; passes the tensor through."""
    t = convert.tensor(tensor)
    if not (t.dtype.is_floating):
        raise errors.invalid_argument("CheckNumerics", f"Value for attr 'T' of {t.dtype.name} is not in the list of allowed values")
    if convert.is_concrete(t):
        v = np.asarray(t._value, np.float64)
        nan, inf = bool(np.isnan(v).any()), bool(np.isinf(v).any())
        if nan and inf:
            raise _numerics_error(message, "Inf and NaN")
        if nan:
            raise _numerics_error(message, "NaN")
        if inf:
            raise _numerics_error(message, "Inf")
    from tfjax._src.ops import array_ops  # noqa: PLC0415
    return array_ops.identity(t)


def assert_all_finite(t, msg, name=None, x=None, message=None):
    return check_numerics(t if t is not None else x, msg if msg is not None else message)


def Assert(condition, data, summarize=None, name=None):  # noqa: N802 - TF name
    """``tf.debugging.Assert``: raises InvalidArgumentError listing ``data`` when false."""
    c = convert.tensor(condition)
    if c.dtype is not dtypes.bool:
        raise TypeError("condition must be a boolean tensor")
    if not convert.is_concrete(c):
        return None
    if not bool(np.all(np.asarray(c._value))):
        parts = []
        for d in data:
            if isinstance(d, (Tensor, Variable)):
                parts.append(str(np.asarray(d)))
            else:
                parts.append(str(d))
        raise errors.InvalidArgumentError(
            None, None, f"Expected '{c}' to be true. Summarized data: " + "\n".join(parts))
    return None


def set_log_device_placement(enabled):
    """Accepted for compatibility; tfjax does not log op placement."""
    _log_device_placement[0] = bool(enabled)


def get_log_device_placement():
    return _log_device_placement[0]


def enable_check_numerics(stack_height_limit=30, path_length_limit=50):
    raise errors.unsupported("tf.debugging.enable_check_numerics",
                             "use tf.debugging.check_numerics on the tensors you want checked")


def disable_check_numerics():
    """No-op: check-numerics instrumentation is never enabled in tfjax."""
    return None


_traceback_filtering = [True]


def enable_traceback_filtering():
    _traceback_filtering[0] = True


def disable_traceback_filtering():
    _traceback_filtering[0] = False


def is_traceback_filtering_enabled():
    return _traceback_filtering[0]
