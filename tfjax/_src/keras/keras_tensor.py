"""``KerasTensor``: a symbolic (shape, dtype) placeholder used to build functional models.

Calling a Layer or a ``keras.ops`` function on KerasTensors does not compute: it
records a :class:`Node` (operation + arguments) and returns new KerasTensors
whose spec is inferred with ``jax.eval_shape`` over the real call (unknown
dimensions are tried at two sizes; dims that follow them are unknown).
"""

from __future__ import annotations

import collections
import threading
import weakref

import jax
import numpy as np

from tfjax._src import nest
from tfjax._src import variables as _vars
from tfjax._src.tensor import Tensor
from tfjax._src.keras import backend

KerasHistory = collections.namedtuple("KerasHistory", ["operation", "node_index", "tensor_index"])


class KerasTensor:
    """A symbolic tensor: ``shape`` (tuple, None for unknown), ``dtype`` (str)."""

    def __init__(self, shape, dtype="float32", sparse=False, ragged=False, record_history=True, name=None):
        self._shape = tuple(None if s is None else int(s) for s in shape)
        self._dtype = backend.standardize_dtype(dtype)
        self.sparse = bool(sparse)
        self.ragged = bool(ragged)
        self.name = name or backend.unique_object_name("keras_tensor")
        self._keras_history = None
        self._keras_mask = None

    @property
    def shape(self):
        return self._shape

    @property
    def dtype(self):
        return self._dtype

    @property
    def ndim(self):
        return len(self._shape)

    def reshape(self, newshape):
        from tfjax._src.keras.ops import numpy as _np  # noqa: PLC0415
        return _np.reshape(self, newshape)

    def squeeze(self, axis=None):
        from tfjax._src.keras.ops import numpy as _np  # noqa: PLC0415
        return _np.squeeze(self, axis)

    def __repr__(self):
        return (f"<KerasTensor shape={self._shape}, dtype={self._dtype}, sparse={self.sparse}, "
                f"ragged={self.ragged}, name={self.name}>")

    def __iter__(self):
        raise NotImplementedError(
            "Iterating over a symbolic KerasTensor is not supported.")

    def __bool__(self):
        raise TypeError("A symbolic KerasTensor cannot be used as a boolean.")

    def __array__(self, *a, **k):
        raise ValueError(
            "A KerasTensor cannot be used as input to a TensorFlow function. A KerasTensor is a "
            "symbolic placeholder for a shape and dtype, used when constructing Keras Functional "
            "models or Keras Functions. You can only use it as input to a Keras layer or a Keras "
            "operation (from the namespaces `keras.layers` and `keras.ops`).")

    def __tf_tensor__(self, dtype=None, name=None):
        self.__array__()

    def __hash__(self):
        return id(self)

    # operators -> keras.ops
    def _op(name, reflect=False):  # noqa: N805
        def f(self, other):
            from tfjax._src.keras.ops import numpy as _np  # noqa: PLC0415
            fn = getattr(_np, name)
            return fn(other, self) if reflect else fn(self, other)
        return f

    __add__ = _op("add")
    __radd__ = _op("add", True)
    __sub__ = _op("subtract")
    __rsub__ = _op("subtract", True)
    __mul__ = _op("multiply")
    __rmul__ = _op("multiply", True)
    __truediv__ = _op("divide")
    __rtruediv__ = _op("divide", True)
    __floordiv__ = _op("floor_divide")
    __rfloordiv__ = _op("floor_divide", True)
    __mod__ = _op("mod")
    __pow__ = _op("power")
    __rpow__ = _op("power", True)
    __matmul__ = _op("matmul")
    __rmatmul__ = _op("matmul", True)
    __lt__ = _op("less")
    __le__ = _op("less_equal")
    __gt__ = _op("greater")
    __ge__ = _op("greater_equal")
    __and__ = _op("logical_and")
    __or__ = _op("logical_or")
    del _op

    def __ne__(self, other):
        from tfjax._src.keras.ops import numpy as _np  # noqa: PLC0415
        return _np.not_equal(self, other)

    def __eq__(self, other):
        from tfjax._src.keras.ops import numpy as _np  # noqa: PLC0415
        return _np.equal(self, other)

    def __neg__(self):
        from tfjax._src.keras.ops import numpy as _np  # noqa: PLC0415
        return _np.negative(self)

    def __abs__(self):
        from tfjax._src.keras.ops import numpy as _np  # noqa: PLC0415
        return _np.abs(self)

    def __invert__(self):
        from tfjax._src.keras.ops import numpy as _np  # noqa: PLC0415
        return _np.logical_not(self)

    def __getitem__(self, key):
        return symbolic_call(_getitem, (self, key), {})

    @property
    def T(self):  # noqa: N802
        from tfjax._src.keras.ops import numpy as _np  # noqa: PLC0415
        return _np.transpose(self)


def _getitem(x, key):
    from tfjax._src.ops import array_ops  # noqa: PLC0415
    return array_ops.getitem(x, key)


def is_keras_tensor(x):
    return isinstance(x, KerasTensor)


# -- graph nodes ---------------------------------------------------------------

class Node:
    """One call of an operation on symbolic inputs."""

    def __init__(self, operation, call_args=(), call_kwargs=None, outputs=None):
        self.operation = operation
        self.arguments_args = call_args
        self.arguments_kwargs = call_kwargs or {}
        self.outputs = nest.flatten(outputs) if outputs is not None else []
        flat_in = nest.flatten((call_args, self.arguments_kwargs))
        self.input_tensors = [x for x in flat_in if isinstance(x, KerasTensor)]
        self.is_input = not self.input_tensors
        self.parent_nodes = []
        for x in self.input_tensors:
            h = x._keras_history
            if h is not None:
                n = h.operation._inbound_nodes[h.node_index]
                if n not in self.parent_nodes:
                    self.parent_nodes.append(n)
        operation._inbound_nodes.append(self)
        idx = len(operation._inbound_nodes) - 1
        for i, o in enumerate(self.outputs):
            o._keras_history = KerasHistory(operation, idx, i)
        for x in self.input_tensors:
            h = x._keras_history
            if h is not None:
                h.operation._outbound_nodes.append(self)

    @property
    def output_tensors(self):
        return self.outputs


class OpOperation:
    """A ``keras.ops`` function used on KerasTensors (a graph node that is not a Layer)."""

    def __init__(self, fn):
        self.fn = fn
        self.name = getattr(fn, "__name__", "op")
        self._inbound_nodes = []
        self._outbound_nodes = []

    def __call__(self, *args, **kwargs):
        return self.fn(*args, **kwargs)

    def __repr__(self):
        return f"<Operation name={self.name}>"


# -- spec inference --------------------------------------------------------------

_SENTINELS = (83, 89)


def _to_struct(kt, fill):
    shape = tuple(fill if s is None else s for s in kt.shape)
    from tfjax._src.keras.ops.core import np_dtype  # noqa: PLC0415
    return jax.ShapeDtypeStruct(shape, np_dtype(kt.dtype))


class _SpecScope(threading.local):
    def __init__(self):
        self.depth = 0


spec_scope = _SpecScope()


def eval_spec(fn, args, kwargs):
    """Runs ``fn`` abstractly on the KerasTensors in (args, kwargs); returns the output structure
    with ``jax.ShapeDtypeStruct`` leaves (None dims where the output follows an unknown input dim)."""
    flat = nest.flatten((args, kwargs))
    kt_idx = [i for i, x in enumerate(flat) if isinstance(x, KerasTensor)]
    has_none = any(s is None for i in kt_idx for s in flat[i].shape)
    fills = _SENTINELS if has_none else _SENTINELS[:1]
    results = []
    for fill in fills:
        structs = [_to_struct(flat[i], fill) for i in kt_idx]
        box = {}

        def run(*arrays):
            new_flat = list(flat)
            for i, a in zip(kt_idx, arrays):
                new_flat[i] = Tensor(a)
            a2, k2 = nest.pack_sequence_as((args, kwargs), new_flat)
            # Shape arithmetic on concrete values (tf.shape(x)[1]) stays concrete.
            with jax.ensure_compile_time_eval():
                out = fn(*a2, **k2)
            outs = nest.flatten(out)
            box["template"] = out
            raw = []
            for o in outs:
                if isinstance(o, Tensor):
                    raw.append(o._value)
                elif isinstance(o, _vars.Variable):
                    raw.append(o._read_raw())
                else:
                    raw.append(None)
            return [r for r in raw if r is not None], [r is not None for r in raw]

        scope = _vars.StateScope([], [])
        scope.allow_creation = True
        spec_scope.depth += 1
        try:
            with _vars.enter_scope(scope):
                res = jax.eval_shape(lambda *a: run(*a)[0], *structs)
                flags = None
        finally:
            spec_scope.depth -= 1
        template = box["template"]
        results.append((template, res))
    template, res0 = results[0]
    outs = nest.flatten(template)
    it0 = iter(res0)
    it1 = iter(results[-1][1])
    new = []
    for o in outs:
        if isinstance(o, (Tensor, _vars.Variable)):
            a, b = next(it0), next(it1)
            if len(fills) == 1:
                shape = tuple(a.shape)
            else:
                shape = tuple(None if (x != y) else x for x, y in zip(a.shape, b.shape))
            new.append(jax.ShapeDtypeStruct(shape, a.dtype) if None not in shape else _Spec(shape, a.dtype))
        else:
            new.append(o)
    return nest.pack_sequence_as(template, new)


class _Spec:
    def __init__(self, shape, dtype):
        self.shape = shape
        self.dtype = dtype


def spec_to_kt(spec):
    if isinstance(spec, KerasTensor):
        return spec
    return KerasTensor(spec.shape, backend.standardize_dtype(np.dtype(spec.dtype).name))


def _is_spec(x):
    return isinstance(x, (jax.ShapeDtypeStruct, _Spec))


def symbolic_call(fn, args, kwargs):
    """Records ``fn(*args, **kwargs)`` on KerasTensors as a graph node."""
    spec = eval_spec(fn, args, kwargs)
    out = nest.map_structure(lambda s: spec_to_kt(s) if _is_spec(s) else s, spec)
    op = OpOperation(fn)
    Node(op, args, kwargs, [o for o in nest.flatten(out) if isinstance(o, KerasTensor)])
    return out


# -- masks on eager/traced tensors --------------------------------------------------

_masks = {}


def set_mask(x, mask):
    if isinstance(x, KerasTensor):
        x._keras_mask = mask
        return
    if not isinstance(x, Tensor):
        return
    k = id(x)
    if mask is None:
        _masks.pop(k, None)
        return
    try:
        ref = weakref.ref(x, lambda _r, k=k: _masks.pop(k, None))
    except TypeError:
        return
    _masks[k] = (ref, mask)


def get_mask(x):
    if isinstance(x, KerasTensor):
        return x._keras_mask
    e = _masks.get(id(x))
    if e is None:
        return None
    ref, m = e
    if ref() is not x:
        return None
    return m
