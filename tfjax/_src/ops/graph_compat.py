"""TF API from the graph era that keeps a plain meaning under eager + tf.function.

tfjax runs Python in program order, both eagerly and while tracing, and XLA
keeps the data dependencies; so control dependencies and grouping need no graph
edges. ``py_function`` / ``numpy_function`` call back into Python, which a
compiled XLA program cannot do with unknown output shapes: inside ``tf.function``
they make that signature run eagerly (tf.function's fallback), never a wrong answer.
"""

from __future__ import annotations

import contextlib

import jax
import numpy as np

from tfjax._src import errors
from tfjax._src import nest
from tfjax._src import variables as _vars
from tfjax._src.tensor import Tensor, convert_to_tensor


def executing_eagerly() -> bool:
    """False while ``tf.function`` traces, True otherwise (as TF)."""
    return _vars.current_scope() is None


def no_op(name=None):
    """``tf.no_op``: does nothing (returns None in eager mode, as TF)."""
    return None


def group(*inputs, name=None):
    """``tf.group``: the inputs have already run (Python order); nothing to wait for."""
    return None


@contextlib.contextmanager
def control_dependencies(control_inputs):
    """``tf.control_dependencies``: ops inside already run after ``control_inputs``."""
    yield


def _symbolic(args):
    return any(isinstance(a, Tensor) and isinstance(a._value, jax.core.Tracer) for a in nest.flatten(args))


def numpy_function(func, inp, Tout, stateful=True, name=None):
    """``tf.numpy_function``: ``func`` gets numpy arrays, its results become Tensors."""
    inp = list(inp)
    if _symbolic(inp) or not executing_eagerly():
        raise errors.SymbolicValueError("tf.numpy_function needs concrete values: a symbolic tensor cannot reach Python "
                        "inside tf.function (tfjax runs this signature eagerly)")
    args = [np.asarray(x) if isinstance(x, Tensor) else x for x in (convert_to_tensor(i) for i in inp)]
    return _pack(func(*args), Tout)


def py_function(func, inp, Tout, name=None):
    """``tf.py_function``: ``func`` gets eager Tensors, its results become Tensors."""
    inp = list(inp) if isinstance(inp, (list, tuple)) else [inp]
    if _symbolic(inp) or not executing_eagerly():
        raise errors.SymbolicValueError("tf.py_function needs concrete values: a symbolic tensor cannot reach Python "
                        "inside tf.function (tfjax runs this signature eagerly)")
    return _pack(func(*[convert_to_tensor(i) for i in inp]), Tout)


def _pack(result, Tout):
    from tfjax._src.ops import math_ops  # noqa: PLC0415
    if Tout is None:
        return None
    if isinstance(Tout, (list, tuple)):
        results = list(result) if isinstance(result, (list, tuple)) else [result]
        return [math_ops.cast(convert_to_tensor(r), t) for r, t in zip(results, Tout)]
    return math_ops.cast(convert_to_tensor(result), Tout)


def gradients(ys, xs, grad_ys=None, name="gradients", gate_gradients=False, aggregation_method=None,
              stop_gradients=None, unconnected_gradients="none"):
    """``tf.gradients``: symbolic graph differentiation, which TF 2 allows only inside a graph.

    Eagerly this raises TF's own RuntimeError. tfjax traces ``tf.function`` into a JAX
    program, not a TF graph whose edges could be walked backwards from ``ys``, so the
    traced case is refused too (with a pointer to GradientTape, which works in both).
    """
    if executing_eagerly():
        raise RuntimeError("tf.gradients is not supported when eager execution is enabled. "
                           "Use tf.GradientTape instead.")
    raise errors.unsupported(
        "tf.gradients inside tf.function",
        "tfjax has no symbolic graph to differentiate; record the computation with "
        "tf.GradientTape (inside the tf.function) and call tape.gradient(ys, xs) instead")
