"""The single entry point through which every differentiable op runs.

``apply(jax_fn, *tensors, **params)`` unwraps the input Tensors, calls
``jax_fn`` on the raw arrays, wraps the result, and lets any recording
GradientTape note the op. Keeping this path short matters: it is the eager
dispatch cost of every op.
"""

from __future__ import annotations

from tfjax._src import tape as _tape
from tfjax._src.tensor import Tensor


def apply(jax_fn, *inputs: Tensor, **params):
    """Runs ``jax_fn(*raw_inputs, **params)`` and wraps the output(s) as Tensors.

    ``jax_fn`` must be a module-level function (its identity keys the tape's replay
    cache) and ``params`` must be hashable static values. Tuple/list outputs give
    a tuple of Tensors.
    """
    out = jax_fn(*[t._value for t in inputs], **params)
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
    out = jax_fn(*[t._value for t in inputs], **params)
    if type(out) is tuple or type(out) is list:
        result = tuple(Tensor(o) for o in out)
    else:
        result = Tensor(out)
    if _tape.state.recording:
        # Gradient tapes ignore it; a control-flow capture still needs the op.
        _tape.record_nondifferentiable(jax_fn, params, inputs, result)
    return result
