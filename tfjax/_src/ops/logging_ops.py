"""``tf.print``: TF's exact output format, on every call (also inside ``tf.function``).

Eagerly the values are formatted and written at once. While ``tf.function``
traces, the format template is fixed at trace time and the tensor values reach
the host through ``jax.debug.callback(..., ordered=True)``, so every compiled
call prints, in program order (TF's behaviour; a Python ``print`` would only
run at trace time).
"""

from __future__ import annotations

import sys

import jax
import numpy as np

from tfjax._src import errors
from tfjax._src import nest
from tfjax._src.tensor import Tensor
from tfjax._src.variables import Variable

_Tracer = jax.core.Tracer
_DEFAULT_STDERR = sys.stderr
_DEFAULT_STDOUT = sys.stdout


def _format_scalar(v, np_dtype):
    if np_dtype == np.bool_:
        return "1" if v else "0"
    if np_dtype == object:
        b = v if isinstance(v, bytes) else str(v).encode()
        return '"' + b.decode("utf-8", "replace") + '"'
    kind = np_dtype.kind
    if kind in "iu":
        return str(int(v))
    if kind == "c":
        return "?"
    f = float(v)
    if np.isnan(f):
        return "nan"
    if np.isinf(f):
        return "inf" if f > 0 else "-inf"
    # TF's FloatToBuffer / DoubleToBuffer: the short form if it round-trips, else full precision.
    if np_dtype == np.float64:
        s = "%.15g" % f
        return s if float(s) == f else "%.17g" % f
    f32 = np.float32(f)
    s = "%.6g" % f
    return s if np.float32(s) == f32 else "%.9g" % f


def _format_array(a, summarize):
    if a.ndim == 0:
        return _format_scalar(a[()], a.dtype)
    if a.size == 0:
        return "[]" if a.shape[0] == 0 else "[\n ...]"
    return _fmt(a, summarize, 0)


def _fmt(a, summarize, depth):
    n = a.shape[0]
    if summarize is not None and summarize >= 0 and n > 2 * summarize:
        idx = list(range(summarize)) + [None] + list(range(n - summarize, n))
    else:
        idx = list(range(n))
    if a.ndim == 1:
        parts = ["..." if i is None else _format_scalar(a[i], a.dtype) for i in idx]
        return "[" + " ".join(parts) + "]"
    sep = "\n" * (a.ndim - 1) + " " * (depth + 1)
    parts = ["..." if i is None else _fmt(a[i], summarize, depth + 1) for i in idx]
    return "[" + sep.join(parts) + "]"


def _is_tensor(x):
    return isinstance(x, (Tensor, Variable))


def _raw(x):
    return x._value if isinstance(x, Tensor) else x._read_raw()


class _Placeholder:
    __slots__ = ("i",)

    def __init__(self, i):
        self.i = i

    def __repr__(self):
        return f"\x00{self.i}\x00"

    __str__ = __repr__


def _resolve_stream(output_stream):
    if output_stream is _DEFAULT_STDERR or output_stream is sys.stderr or output_stream == "stderr":
        return lambda s: (sys.stderr.write(s), sys.stderr.flush())
    if output_stream is _DEFAULT_STDOUT or output_stream is sys.stdout or output_stream == "stdout":
        return lambda s: (sys.stdout.write(s), sys.stdout.flush())
    if isinstance(output_stream, str) and output_stream.startswith("file://"):
        path = output_stream[len("file://"):]

        def write(s):
            with open(path, "a", encoding="utf-8") as f:
                f.write(s)
        return write
    if callable(output_stream):  # absl / tf.compat.v1.logging functions
        return lambda s: output_stream(s[:-1] if s.endswith("\n") else s)
    raise errors.unsupported(f"tf.print(output_stream={output_stream!r})",
                             "use sys.stdout, sys.stderr, a 'file://' path or a logging function")


def print_v2(*inputs, **kwargs):
    """``tf.print(*inputs, output_stream=sys.stderr, summarize=3, sep=' ', end='\\n')``."""
    output_stream = kwargs.pop("output_stream", _DEFAULT_STDERR)
    summarize = kwargs.pop("summarize", 3)
    sep = kwargs.pop("sep", " ")
    end = kwargs.pop("end", "\n")
    kwargs.pop("name", None)
    if kwargs:
        raise ValueError(f"Unrecognized keyword arguments for tf.print: {sorted(kwargs)}")
    if summarize is not None and summarize < 0:
        summarize = None
    write = _resolve_stream(output_stream)
    # Build a template: every tensor becomes a placeholder; other leaves are str()'d.
    tensors = []
    pieces = []
    for x in inputs:
        if _is_tensor(x):
            pieces.append(_Placeholder(len(tensors)))
            tensors.append(x)
        elif isinstance(x, str):
            pieces.append(x)
        elif nest.is_nested(x):
            flat = nest.flatten(x)
            repl = []
            for leaf in flat:
                if _is_tensor(leaf):
                    repl.append(_Placeholder(len(tensors)))
                    tensors.append(leaf)
                else:
                    repl.append(leaf)
            pieces.append(str(nest.pack_sequence_as(x, repl)))
        else:
            pieces.append(str(x))
    template = sep.join(str(p) for p in pieces) + end
    arrays = [_raw(t) for t in tensors]
    string_arrays = {i: a for i, a in enumerate(arrays) if isinstance(a, np.ndarray) and a.dtype == object}
    numeric = [(i, a) for i, a in enumerate(arrays) if i not in string_arrays]

    def emit(*vals):
        formatted = dict((i, _format_array(np.asarray(a), summarize)) for i, a in string_arrays.items())
        for (i, _), v in zip(numeric, vals):
            formatted[i] = _format_array(np.asarray(v), summarize)
        out = template
        for i, s in formatted.items():
            out = out.replace(f"\x00{i}\x00", s, 1)
        write(out)

    if any(isinstance(a, _Tracer) for _, a in numeric):
        jax.debug.callback(emit, *[a for _, a in numeric], ordered=True)
    else:
        emit(*[a for _, a in numeric])
    return None


print = print_v2  # noqa: A001 - tf.print
