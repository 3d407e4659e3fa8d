"""Host-side plumbing shared by the string / categorical preprocessing layers.

Strings never enter compiled code in tfjax (a ``tf.string`` Tensor wraps a numpy
object array of ``bytes``), so these layers compute on the host with numpy and wrap
the result with ``io.host.wrap``: numpy-backed inside a ``tf.data`` function (no
device round trip per element), a ``jax.Array`` elsewhere.
"""

from __future__ import annotations

import warnings

import jax
import numpy as np

from tfjax._src import tensor as tensor_lib
from tfjax._src.io import host
from tfjax._src.tensor import Tensor


def raw(x):
    """The array inside ``x`` (a Tensor, Variable, numpy/jax array, list or scalar)."""
    if isinstance(x, Tensor):
        return x._value
    if hasattr(x, "_read_array"):
        return tensor_lib.convert_to_tensor(x)._value
    if isinstance(x, (np.ndarray, jax.Array)):
        return x
    if isinstance(x, (str, bytes)) or (isinstance(x, (list, tuple)) and _has_strings(x)):
        return tensor_lib._to_string_array(x)
    return np.asarray(x)


def _has_strings(seq):
    for e in seq:
        if isinstance(e, (list, tuple)):
            if _has_strings(e):
                return True
        elif isinstance(e, (str, bytes)):
            return True
        else:
            return False
    return False


def ragged_type():
    """``tf.RaggedTensor`` if this tfjax has it (it arrived after these layers), else None."""
    import tfjax  # noqa: PLC0415
    return getattr(tfjax, "RaggedTensor", None)


def pad_rows(rows_flat, lengths, width, pad):
    """Rows given as one flat array + lengths → a dense (len(lengths), width) array, trimmed/padded."""
    dense = np.full((len(lengths), width), pad, np.int64)
    pos = 0
    for i, n in enumerate(lengths):
        k = min(n, width)
        dense[i, :k] = rows_flat[pos:pos + k]
        pos += n
    return dense


def is_traced(v) -> bool:
    return isinstance(v, jax.core.Tracer)


def is_string(v) -> bool:
    return isinstance(v, np.ndarray) and v.dtype.kind in "OSU"


def string_array(x, layer_name):
    """``x`` as an object array of ``bytes``; TF's ``ensure_tensor(x, "string")``."""
    v = raw(x)
    if isinstance(v, np.ndarray) and v.dtype == object:
        return v
    if isinstance(v, np.ndarray) and v.dtype.kind in "SU":
        return tensor_lib._to_string_array(v)
    dt = getattr(v, "dtype", None)
    raise TypeError(f"Layer {layer_name} expects string inputs, but received inputs of dtype "
                    f"{np.dtype(dt).name if dt is not None else type(x).__name__}. Cast them with "
                    "tf.strings.as_string first.")


def wrap(arr) -> Tensor:
    if isinstance(arr, np.ndarray):
        return host.wrap(arr)
    return Tensor(arr)


def run_outside_traces(layer):
    """Called before host-side string work: while ``tf.function`` traces (e.g. the compiled
    step of ``Model.fit``), the string values would be baked into the trace and tfjax would
    compile again for every new batch. ``SymbolicValueError`` makes tf.function run that input
    signature eagerly instead (see docs/differences.md)."""
    from tfjax._src import variables  # noqa: PLC0415
    if variables.current_scope() is not None:
        from tfjax._src.errors import SymbolicValueError  # noqa: PLC0415
        layer_name = type(layer).__name__
        if not layer.__dict__.get("_warned_traced_strings"):
            layer.__dict__["_warned_traced_strings"] = True
            warnings.warn(
                f"{layer_name} received strings inside a compiled function (a tf.function, or the step of "
                "Model.fit/evaluate/predict). Strings live on the host in tfjax and cannot be compiled, so that "
                "function runs eagerly for string inputs. For speed, apply the layer in the tf.data pipeline "
                "(dataset.map(lambda x, y: (layer(x), y))) and give the model its integer/float output.",
                stacklevel=3)
        raise SymbolicValueError(
            f"{layer_name} works on strings, which live on the host in tfjax and cannot be compiled; "
            "the enclosing tf.function runs eagerly for this input")
