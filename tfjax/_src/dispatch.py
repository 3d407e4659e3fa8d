"""The single entry point through which every differentiable op runs.

``apply(jax_fn, *tensors, **params)`` unwraps the input Tensors, calls
``jax_fn`` on the raw arrays, wraps the result, and lets any recording
GradientTape note the op. Keeping this path short matters: it is the eager
dispatch cost of every op.
"""

from __future__ import annotations

import jax

from tfjax._src import errors
from tfjax._src import tape as _tape
from tfjax._src.tensor import Tensor


def apply(jax_fn, *inputs: Tensor, **params):
    """Runs ``jax_fn(*raw_inputs, **params)`` and wraps the output(s) as Tensors.

    ``jax_fn`` must be a module-level function (its identity keys the tape's replay
    cache) and ``params`` must be hashable static values. Tuple/list outputs give
    a tuple of Tensors.
    """
    try:
        out = jax_fn(*[t._value for t in inputs], **params)
    except (ValueError, TypeError) as e:
        raise _as_op_error(jax_fn, inputs, e) from None
    if type(out) is tuple or type(out) is list:
        result = tuple(Tensor(o) for o in out)
    else:
        result = Tensor(out)
    if _tape.state.recording:
        _tape.record(jax_fn, params, inputs, result)
    return result


def apply_unrecorded(jax_fn, *inputs: Tensor, **params):
    """Like :func:`apply`, for ops whose outputs carry no gradient (comparisons,
    integer index outputs, shape queries): the tape never sees them."""
    try:
        out = jax_fn(*[t._value for t in inputs], **params)
    except (ValueError, TypeError) as e:
        raise _as_op_error(jax_fn, inputs, e) from None
    if type(out) is tuple or type(out) is list:
        result = tuple(Tensor(o) for o in out)
    else:
        result = Tensor(out)
    if _tape.state.recording:
        # Gradient tapes ignore it; a control-flow capture still needs the op.
        _tape.record_nondifferentiable(jax_fn, params, inputs, result)
    return result


def _as_op_error(jax_fn, inputs, error):
    """Eager kernel failures are ``InvalidArgumentError`` in TF; while tracing, TF
    reports shape/dtype problems as ValueError/TypeError, as JAX does."""
    if any(isinstance(t._value, jax.core.Tracer) for t in inputs):
        return error
    name = getattr(jax_fn, "__name__", type(jax_fn).__name__).lstrip("_")
    shapes = ", ".join(f"{t.dtype.name}{list(t._value.shape)}" for t in inputs)
    return errors.InvalidArgumentError(
        None, None, errors.op_message(name, f"{error} (inputs: {shapes})"))
