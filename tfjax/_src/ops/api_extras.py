"""Smaller top-level ``tf.*`` names: gradient helpers (hessians, recompute_grad, grad_pass_through,
no_gradient), TensorProto conversion (make_tensor_proto / make_ndarray), edit_distance, fingerprint,
approx_top_k, tuple, timestamp, type_spec_from_value, tensor-conversion registration, AggregationMethod,
DeviceSpec and get_logger.
"""

from __future__ import annotations

import logging
import time

import jax
import jax.numpy as jnp
import numpy as np

from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src.ops import convert
from tfjax._src.tensor import Tensor


def _tf():
    import tfjax  # noqa: PLC0415
    return tfjax


# -- gradients -------------------------------------------------------------------------------
def hessians(ys, xs, gate_gradients=False, aggregation_method=None, name="hessians"):
    """``tf.hessians`` is built on ``tf.gradients`` (graph-only): eagerly TF raises RuntimeError."""
    from tfjax._src.ops.graph_compat import gradients  # noqa: PLC0415
    return gradients(ys, xs)


def recompute_grad(f):
    """``tf.recompute_grad``: same values and gradients as ``f`` (tfjax keeps activations; the memory
    saving of recomputation is left to XLA)."""
    import functools  # noqa: PLC0415

    @functools.wraps(f)
    def inner(*args, **kwargs):
        return f(*args, **kwargs)
    return inner


def grad_pass_through(f):
    """``tf.grad_pass_through``: forward ``f(x)``, gradient as if ``f`` were the identity."""
    tf = _tf()

    def wrapped(*args, **kwargs):
        @tf.custom_gradient
        def _inner(*a):
            out = f(*a, **kwargs)

            def grad(*dy):
                return dy if len(a) > 1 else dy[0]
            return out, grad
        return _inner(*args)
    return wrapped


_NO_GRADIENT = set()


def no_gradient(op_type):
    """``tf.no_gradient``: registers an op type as non-differentiable. tfjax has no op-type gradient
    registry (gradients come from JAX), so this only validates and records the name."""
    if not isinstance(op_type, str):
        raise TypeError("op_type must be a string")
    _NO_GRADIENT.add(op_type)


class AggregationMethod:
    """``tf.AggregationMethod``: accepted for API compatibility (JAX sums gradients itself)."""
    ADD_N = 0
    DEFAULT = ADD_N
    EXPERIMENTAL_TREE = 1
    EXPERIMENTAL_ACCUMULATE_N = 2


# -- graph-ish helpers -------------------------------------------------------------------------
def _tracing(x=None):
    if x is not None:
        return isinstance(getattr(x, "_value", None), jax.core.Tracer)
    from tfjax._src.ops.graph_compat import executing_eagerly  # noqa: PLC0415
    return not executing_eagerly()


def inside_function():
    """``tf.inside_function``: True while a ``tf.function`` is being traced."""
    return _tracing()


def is_symbolic_tensor(tensor):
    """``tf.is_symbolic_tensor``: True for a Tensor traced inside ``tf.function``."""
    return isinstance(tensor, Tensor) and _tracing(tensor)


def guarantee_const(input, name=None):  # noqa: A002
    return _tf().identity(input)


def tuple(tensors, name=None, control_inputs=None):  # noqa: A001 - TF name
    """``tf.tuple``: the tensors (identity), ``None`` kept."""
    tf = _tf()
    return [None if t is None else tf.identity(t) for t in tensors]


def timestamp(name=None):
    """``tf.timestamp``: seconds since the epoch, float64 scalar."""
    return Tensor(np.asarray(time.time(), np.float64))


def type_spec_from_value(value):
    """``tf.type_spec_from_value``."""
    tf = _tf()
    if hasattr(value, "_type_spec"):
        return value._type_spec
    if isinstance(value, (tf.SparseTensor,)):
        return tf.SparseTensorSpec.from_value(value)
    if isinstance(value, tf.RaggedTensor):
        return tf.RaggedTensorSpec.from_value(value)
    if isinstance(value, tf.Variable):
        return tf.TensorSpec(value.shape, value.dtype)
    try:
        t = value if isinstance(value, Tensor) else tf.convert_to_tensor(value)
    except (TypeError, ValueError):
        raise TypeError(f"Could not build a TypeSpec for {value!r} of unsupported type {type(value)}.") from None
    return tf.TensorSpec(t.shape, t.dtype)


_CONVERSIONS = []


def register_tensor_conversion_function(base_type, conversion_func, priority=100):
    """``tf.register_tensor_conversion_function``: ``conversion_func(value, dtype=None, name=None,
    as_ref=False)`` converts instances of ``base_type`` in ``tf.convert_to_tensor`` (and every op)."""
    bt = base_type if isinstance(base_type, builtins_tuple) else (base_type,)
    for t in bt:
        if not isinstance(t, type):
            raise TypeError(f"Expected base_type {base_type} to be a type or a tuple of types")
        if t in (builtins_tuple, list, int, float, bool, str, bytes, np.ndarray) or issubclass(t, np.generic):
            raise TypeError("Cannot register conversions for Python numeric types and NumPy scalars and arrays.")
    if not callable(conversion_func):
        raise TypeError("conversion_func must be callable.")
    _CONVERSIONS.append((priority, len(_CONVERSIONS), bt, conversion_func))
    _CONVERSIONS.sort(key=lambda e: (e[0], e[1]))
    from tfjax._src import tensor as tensor_lib  # noqa: PLC0415
    tensor_lib._conversion_hook = _convert_registered


def _convert_registered(value, dtype):
    """The hook ``convert_to_tensor`` calls: a Tensor, or None when no registration matches."""
    for _, _, types, fn in _CONVERSIONS:
        if isinstance(value, types):
            out = fn(value, dtype=dtype, name=None, as_ref=False)
            if out is NotImplemented:
                continue
            if not isinstance(out, Tensor):
                raise RuntimeError(f"{fn!r} returned non-Tensor: {out!r}")
            if dtype is not None and out.dtype != dtypes.as_dtype(dtype):
                raise RuntimeError(f"{fn!r} returned a Tensor of dtype {out.dtype.name}, "
                                   f"expected {dtypes.as_dtype(dtype).name}")
            return out
    return None


builtins_tuple = __builtins__["tuple"] if isinstance(__builtins__, dict) else __builtins__.tuple


# -- TensorProto -----------------------------------------------------------------------------
def make_tensor_proto(values, dtype=None, shape=None, verify_shape=False, allow_broadcast=False):
    """``tf.make_tensor_proto``: a TensorProto (tfjax's protobuf class, same wire format as TF's)."""
    from tfjax._src.io import file_io  # noqa: PLC0415
    if isinstance(values, Tensor) or hasattr(values, "numpy"):
        arr = np.asarray(values.numpy() if not isinstance(values, Tensor) else np.asarray(values._value))
        if dtype is not None:
            arr = arr.astype(dtypes.as_dtype(dtype)._np)
    else:
        arr = np.asarray(convert.tensor(values, dtype=dtype)._value) if not isinstance(values, np.ndarray) else (
            values.astype(dtypes.as_dtype(dtype)._np) if dtype is not None else values)
    if shape is not None:
        shape = [int(d) for d in shape]
        if arr.size != int(np.prod(shape)):
            if verify_shape or arr.size != 1:
                raise TypeError(f"Expected Tensor's shape: {tuple(shape)}, but got {arr.shape}.") if verify_shape else \
                    ValueError(f"Too many elements provided. Takes at most {int(np.prod(shape))}, but got {arr.size}.")
            p = file_io.tensor_to_proto(Tensor(arr.reshape(())))
            _to_val_field(p, arr.reshape(()), file_io)
            del p.tensor_shape.dim[:]
            for d in shape:
                p.tensor_shape.dim.add().size = d
            return p
        arr = arr.reshape(shape)
    p = file_io.tensor_to_proto(Tensor(arr))
    if arr.ndim == 0 and arr.dtype != object:
        _to_val_field(p, arr, file_io)
    return p


def _to_val_field(p, arr, file_io):
    if arr.dtype == object:
        return
    dt = dtypes.from_numpy(arr.dtype)
    field = file_io._VAL_FIELDS.get(dt)
    if field is None:
        return
    p.ClearField("tensor_content")
    v = arr.reshape(-1)
    if dt in (dtypes.float16, dtypes.bfloat16):
        vals = v.view(np.uint16).astype(np.int64).tolist()
    elif dt.is_complex:
        vals = v.view(v.real.dtype).tolist()
    else:
        vals = v.tolist()
    getattr(p, field).extend(vals)


def make_ndarray(tensor):
    """``tf.make_ndarray``: TensorProto -> numpy array."""
    from tfjax._src.io import file_io  # noqa: PLC0415
    if not hasattr(tensor, "tensor_shape"):
        raise TypeError(f"Expected a TensorProto, got {type(tensor).__name__}")
    from tfjax._src.io.example import TensorProto  # noqa: PLC0415
    if not isinstance(tensor, TensorProto):  # e.g. TF's own tensor_pb2.TensorProto
        p = TensorProto()
        p.ParseFromString(tensor.SerializeToString())
        tensor = p
    return file_io.proto_to_array(tensor)


# -- numeric / string ops ------------------------------------------------------------------------
def fingerprint(data, method="farmhash64", name=None):
    """``tf.fingerprint``: FarmHash Fingerprint64 of each row (``data[i]``'s bytes; strings hash their
    bytes), as 8 little-endian uint8 values per row."""
    from tfjax._src.ops import string_hash  # noqa: PLC0415
    if method != "farmhash64":
        raise errors.InvalidArgumentError(None, None, f"Unsupported fingerprint method: {method}")
    t = convert.tensor(data)
    if t.shape.rank is None or t.shape.rank < 1:
        raise errors.InvalidArgumentError(None, None, "`data` should have at least one dimension.")
    arr = np.asarray(t._value)
    n = arr.shape[0]
    out = np.zeros((n, 8), np.uint8)
    for i in range(n):
        row = arr[i]
        if arr.dtype == object:
            if arr.ndim == 1:
                h = string_hash.fingerprint64(row)
            else:
                # TF: fingerprint of the concatenated per-string fingerprints
                inner = b"".join(int(string_hash.fingerprint64(s)).to_bytes(8, "little")
                                 for s in np.asarray(row).reshape(-1).tolist())
                h = string_hash.fingerprint64(inner)
        else:
            h = string_hash.fingerprint64(np.ascontiguousarray(row).astype(row.dtype.newbyteorder("<")).tobytes())
        out[i] = np.frombuffer(int(h).to_bytes(8, "little"), np.uint8)
    return Tensor(jnp.asarray(out))


def approx_top_k(input, k, reduction_dimension=-1, recall_target=0.95, is_max_k=True,  # noqa: A002
                 reduction_input_size_override=-1, aggregate_to_topk=True, name=None):
    """``tf.approx_top_k``: computed exactly (``top_k`` along ``reduction_dimension``)."""
    tf = _tf()
    x = convert.tensor(input)
    nd = x.shape.rank
    ax = reduction_dimension % nd
    perm = [i for i in range(nd) if i != ax] + [ax]
    inv = list(np.argsort(perm))
    xm = tf.transpose(x, perm) if ax != nd - 1 else x
    if is_max_k:
        v, i = tf.math.top_k(xm, k)
    else:
        v, i = tf.math.top_k(tf.negative(xm), k)
        v = tf.negative(v)
    if ax != nd - 1:
        v, i = tf.transpose(v, inv), tf.transpose(i, inv)
    return v, i


def edit_distance(hypothesis, truth, normalize=True, name="edit_distance"):
    """``tf.edit_distance``: Levenshtein distance between the sequences of two SparseTensors (grouped by
    all but the last index), float32, optionally divided by the truth length."""
    from tfjax._src.sparse_tensor import SparseTensor  # noqa: PLC0415
    if not isinstance(hypothesis, SparseTensor):
        raise TypeError("Hypothesis must be a SparseTensor.")
    if not isinstance(truth, SparseTensor):
        raise TypeError("Truth must be a SparseTensor.")
    hi, hv, hs = (np.asarray(t._value) for t in (hypothesis.indices, hypothesis.values, hypothesis.dense_shape))
    ti, tv, ts = (np.asarray(t._value) for t in (truth.indices, truth.values, truth.dense_shape))
    if hypothesis.values.dtype != truth.values.dtype:
        raise TypeError("hypothesis and truth must have the same dtype")
    if len(hs) != len(ts):
        raise errors.InvalidArgumentError(None, None, "hypothesis and truth must have the same rank")
    out_shape = np.maximum(hs[:-1], ts[:-1]).astype(np.int64)

    def groups(idx, vals):
        g = {}
        for r, v in zip(map(builtins_tuple, idx[:, :-1].tolist()), vals.tolist()):
            g.setdefault(r, []).append(v)
        return g
    hg, tg = groups(hi, hv), groups(ti, tv)
    out = np.zeros(out_shape, np.float32)
    for key in set(hg) | set(tg):
        a, b = hg.get(key, []), tg.get(key, [])
        d = _levenshtein(a, b)
        if normalize:
            d = d / len(b) if b else (np.inf if d else np.nan if False else (np.inf if a else 0.0))
        out[key] = d
    return Tensor(jnp.asarray(out))


def _levenshtein(a, b):
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, y in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y))
        prev = cur
    return float(prev[-1])


# -- misc --------------------------------------------------------------------------------------
def get_logger():
    """``tf.get_logger``: the ``logging.Logger`` named "tensorflow"."""
    return logging.getLogger("tensorflow")


class DeviceSpec:
    """``tf.DeviceSpec``: an immutable (job, replica, task, device_type, device_index) record."""

    __slots__ = ("_job", "_replica", "_task", "_device_type", "_device_index")

    def __init__(self, job=None, replica=None, task=None, device_type=None, device_index=None):
        self._job = None if job is None else str(job)
        self._replica = None if replica is None else int(replica)
        self._task = None if task is None else int(task)
        if device_type is not None:
            device_type = str(device_type)
            device_type = device_type.upper() if device_type.upper() in ("CPU", "GPU") else device_type
        self._device_type = device_type
        self._device_index = None if device_index is None else int(device_index)

    job = property(lambda self: self._job)
    replica = property(lambda self: self._replica)
    task = property(lambda self: self._task)
    device_type = property(lambda self: self._device_type)
    device_index = property(lambda self: self._device_index)

    @classmethod
    def from_string(cls, spec):
        kw = {}
        for part in (spec or "").split("/"):
            if not part:
                continue
            bits = part.split(":")
            key = bits[0].lower()
            if key == "job" and len(bits) == 2:
                kw["job"] = bits[1]
            elif key == "replica" and len(bits) == 2:
                kw["replica"] = int(bits[1])
            elif key == "task" and len(bits) == 2:
                kw["task"] = int(bits[1])
            elif key == "device" and len(bits) in (2, 3):
                kw["device_type"] = bits[1]
                if len(bits) == 3 and bits[2] != "*":
                    kw["device_index"] = int(bits[2])
            elif len(bits) in (1, 2) and bits[0].upper() in ("CPU", "GPU", "TPU"):
                kw["device_type"] = bits[0].upper()
                if len(bits) == 2 and bits[1] != "*":
                    kw["device_index"] = int(bits[1])
            else:
                raise ValueError(f"Unknown attribute '{part}' is encountered while parsing the device spec: '{spec}'.")
        return cls(**kw)

    def to_string(self):
        s = ""
        if self._job is not None:
            s += f"/job:{self._job}"
        if self._replica is not None:
            s += f"/replica:{self._replica}"
        if self._task is not None:
            s += f"/task:{self._task}"
        if self._device_type is not None:
            s += f"/device:{self._device_type}:{'*' if self._device_index is None else self._device_index}"
        return s

    def replace(self, **kwargs):
        kw = dict(job=self._job, replica=self._replica, task=self._task, device_type=self._device_type,
                  device_index=self._device_index)
        kw.update(kwargs)
        return DeviceSpec(**kw)

    def make_merged_spec(self, dev):
        kw = {k: getattr(dev, k) if getattr(dev, k) is not None else getattr(self, k)
              for k in ("job", "replica", "task", "device_type", "device_index")}
        return DeviceSpec(**kw)

    def parse_from_string(self, spec):
        return DeviceSpec.from_string(spec)

    def __eq__(self, other):
        return isinstance(other, DeviceSpec) and self.to_string() == other.to_string()

    def __hash__(self):
        return hash(self.to_string())

    def __repr__(self):
        return f"<DeviceSpec {self.to_string()!r}>"
