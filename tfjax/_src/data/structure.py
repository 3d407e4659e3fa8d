"""Element structures of tf.data: nesting, host-side leaves, specs, boundary conversion.

tf.data's nesting rules (not tf.nest's): tuples, namedtuples and dicts are
structure; a Python list is a *value* (it becomes one tensor). Internally an
element is a nested structure whose leaves are numpy arrays (numeric, or object
arrays of ``bytes`` for strings), jax arrays, SparseTensors or Datasets.
Elements cross into user code and out of iterators as tfjax Tensors.
"""

from __future__ import annotations

import collections.abc

import jax
import numpy as np

from tfjax._src import dtypes
from tfjax._src import tensor as tensor_lib
from tfjax._src.io import host as host_lib
from tfjax._src.ragged.ragged_tensor import RaggedTensor
from tfjax._src.sparse_tensor import SparseTensor, SparseTensorSpec
from tfjax._src.tensor_shape import TensorShape
from tfjax._src.tensor_spec import TensorSpec, TypeSpec


def _is_namedtuple(x):
    return isinstance(x, tuple) and hasattr(type(x), "_fields")


def is_nested(x) -> bool:
    return isinstance(x, (tuple, collections.abc.Mapping))


def _sorted_keys(d):
    try:
        return sorted(d)
    except TypeError:
        return list(d)


_LEAF_TYPES = (np.ndarray, tensor_lib.Tensor)


def _flat_tuple(x):
    """True for a plain tuple of leaves (the common element shape): fast paths below."""
    if type(x) is not tuple:
        return False
    for e in x:
        # exact leaf types first: the abc Mapping check is slow on the per-element hot path
        if type(e) not in _LEAF_TYPES and isinstance(e, (tuple, collections.abc.Mapping)):
            return False
    return True


def flatten(x) -> list:
    if _flat_tuple(x):
        return list(x)
    out = []
    _flatten_into(x, out)
    return out


def _flatten_into(x, out):
    if isinstance(x, tuple):
        for e in x:
            _flatten_into(e, out)
    elif isinstance(x, collections.abc.Mapping):
        for k in _sorted_keys(x):
            _flatten_into(x[k], out)
    else:
        out.append(x)


def _sequence_like(instance, values):
    if isinstance(instance, collections.abc.Mapping):
        result = dict(zip(_sorted_keys(instance), values))
        try:
            return type(instance)((k, result[k]) for k in instance)
        except TypeError:
            return {k: result[k] for k in instance}
    if _is_namedtuple(instance):
        return type(instance)(*values)
    return tuple(values)


def pack_sequence_as(structure, flat):
    if _flat_tuple(structure):
        if len(flat) != len(structure):
            raise ValueError(f"Structure had {len(structure)} leaves but {len(flat)} values were given.")
        return tuple(flat)
    flat = list(flat)
    pos = [0]

    def build(s):
        if isinstance(s, tuple) or isinstance(s, collections.abc.Mapping):
            if isinstance(s, collections.abc.Mapping):
                vals = [build(s[k]) for k in _sorted_keys(s)]
            else:
                vals = [build(e) for e in s]
            return _sequence_like(s, vals)
        v = flat[pos[0]]
        pos[0] += 1
        return v

    out = build(structure)
    if pos[0] != len(flat):
        raise ValueError(f"Structure had {pos[0]} leaves but {len(flat)} values were given.")
    return out


def map_structure(fn, *structures):
    flats = [flatten(s) for s in structures]
    n = len(flats[0])
    for f in flats[1:]:
        if len(f) != n:
            raise ValueError("The two structures don't have the same number of elements.")
    return pack_sequence_as(structures[0], [fn(*xs) for xs in zip(*flats)])


def same_structure(a, b) -> bool:
    if isinstance(a, collections.abc.Mapping):
        return (isinstance(b, collections.abc.Mapping) and set(a) == set(b)
                and all(same_structure(a[k], b[k]) for k in a))
    if isinstance(a, tuple):
        return (isinstance(b, tuple) and len(a) == len(b) and _is_namedtuple(a) == _is_namedtuple(b)
                and all(same_structure(x, y) for x, y in zip(a, b)))
    return not is_nested(b)


def assert_same_structure(a, b, what="elements"):
    if not same_structure(a, b):
        raise TypeError(f"The two structures of {what} don't have the same nested structure: {a} vs {b}.")


# ---------------------------------------------------------------------------
# leaves
# ---------------------------------------------------------------------------

def _dataset_type():
    from tfjax._src.data.dataset import DatasetV2  # noqa: PLC0415
    return DatasetV2


def to_leaf(v, dtype=None):
    """Converts one user value to an internal leaf (numpy / jax array, SparseTensor, Dataset)."""
    if isinstance(v, tensor_lib.Tensor):
        val = v._value
        if type(val) is np.ndarray and dtype is None:  # host results inside tf.data functions
            return val
        if isinstance(val, jax.core.Tracer) and not _tracing_spec():
            raise TypeError("A symbolic tensor (from tf.function tracing) cannot be a tf.data element.")
        leaf = val
    elif isinstance(v, np.ndarray):
        leaf = tensor_lib._to_string_array(v) if v.dtype.kind in "OSU" else v
    elif isinstance(v, jax.Array):
        leaf = v
    elif isinstance(v, (SparseTensor, RaggedTensor)):
        return v
    elif isinstance(v, _dataset_type()):
        return v
    elif hasattr(v, "_read_array") and hasattr(v, "assign"):  # tf.Variable
        leaf = np.asarray(v._read_array())
    else:
        leaf = tensor_lib.to_array(v, dtype)
        if dtype is not None:
            return leaf
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
        have = leaf_dtype(leaf)
        if have != dtype:
            raise TypeError(f"Expected {dtype.name} but got a value of dtype {have.name}.")
    return leaf


def _tracing_spec():
    from tfjax._src.data import fn_tracing  # noqa: PLC0415
    return fn_tracing.active()


def normalize_element(value):
    """A user value (tensors, arrays, Python data, tuples/dicts of them) → internal element."""
    if _flat_tuple(value):
        return tuple([to_leaf(v) for v in value])
    if isinstance(value, tuple) or isinstance(value, collections.abc.Mapping):
        return pack_sequence_as(value, [to_leaf(v) for v in flatten(value)])
    return to_leaf(value)


def normalize_fn_output(value):
    """A map-function result: lists become tuples (as TF does), then normalise."""
    if type(value) is list:
        value = tuple(value)
    return normalize_element(value)


def leaf_dtype(leaf) -> dtypes.DType:
    if isinstance(leaf, (SparseTensor, RaggedTensor)):
        return leaf.dtype
    if leaf.dtype == object:
        return dtypes.string
    return dtypes.from_numpy(leaf.dtype)


def leaf_spec(leaf):
    if isinstance(leaf, SparseTensor):
        return SparseTensorSpec.from_value(leaf)
    if isinstance(leaf, RaggedTensor):
        return leaf._type_spec
    if isinstance(leaf, _dataset_type()):
        from tfjax._src.data.dataset import DatasetSpec  # noqa: PLC0415
        return DatasetSpec(leaf.element_spec)
    return TensorSpec(leaf.shape, leaf_dtype(leaf))


def spec_of(element):
    return map_structure(leaf_spec, element) if is_nested(element) else leaf_spec(element)


def host(leaf):
    """Numpy view of a leaf (zero-copy for CPU jax arrays)."""
    if isinstance(leaf, np.ndarray):
        return leaf
    if isinstance(leaf, tensor_lib.Tensor):
        leaf = leaf._value
        if isinstance(leaf, np.ndarray):
            return leaf
    return np.asarray(leaf)


def to_tensor(leaf):
    if isinstance(leaf, np.ndarray):
        if leaf.dtype == object:
            return tensor_lib.Tensor(leaf)
        return tensor_lib.Tensor(host_lib.to_device(leaf))
    if isinstance(leaf, jax.Array):
        return tensor_lib.Tensor(leaf)
    if isinstance(leaf, np.generic):
        return tensor_lib.Tensor(host_lib.to_device(np.asarray(leaf)))
    return leaf  # SparseTensor, Dataset, Tensor


def to_user(element):
    """Internal element → the structure of Tensors handed to user code / yielded."""
    if isinstance(element, tuple) or isinstance(element, collections.abc.Mapping):
        return pack_sequence_as(element, [to_tensor(v) for v in flatten(element)])
    return to_tensor(element)


def _leaf_to_numpy(leaf):
    if isinstance(leaf, SparseTensor):
        from tfjax._src.sparse_tensor import SparseTensor as ST  # noqa: PLC0415
        return ST(host(leaf.indices), host(leaf.values), host(leaf.dense_shape))
    if isinstance(leaf, RaggedTensor):
        return leaf.numpy()   # TF's encoding: nested object arrays of rows
    if isinstance(leaf, _dataset_type()):
        return leaf
    arr = host(leaf)
    if arr.ndim == 0:
        return arr[()]
    return arr


def to_numpy(element):
    if is_nested(element):
        return map_structure(_leaf_to_numpy, element)
    return _leaf_to_numpy(element)


def _to_fn_tensor(leaf):
    if isinstance(leaf, np.ndarray):
        return tensor_lib.Tensor(leaf)
    return to_tensor(leaf)


def to_fn_args(element):
    """Element → Tensors for a user function run by tf.data (numpy-backed: see io/host.py)."""
    if type(element) is np.ndarray:
        return tensor_lib.Tensor(element)
    if isinstance(element, tuple) or isinstance(element, collections.abc.Mapping):
        return pack_sequence_as(element, [_to_fn_tensor(v) for v in flatten(element)])
    return _to_fn_tensor(element)


def call_fn(fn, element):
    """Calls a user function with TF's argument unpacking (plain tuples → positional args)."""
    args = to_fn_args(element)
    st = _host_state()
    st.depth = getattr(st, "depth", 0) + 1  # io/host.py's data_fn_scope, inlined: hot path
    try:
        if type(args) is tuple:
            return fn(*args)
        return fn(args)
    finally:
        st.depth -= 1


def _host_state():
    return host_lib._state


def spec_compatible(spec, leaf_or_spec) -> bool:
    other = leaf_or_spec if isinstance(leaf_or_spec, TypeSpec) else leaf_spec(leaf_or_spec)
    return spec.is_compatible_with(other)


def most_specific(spec_a, spec_b):
    """Most specific spec compatible with both structures (for concatenate / choose)."""
    def one(a, b):
        return a.most_specific_compatible_type(b)
    if is_nested(spec_a):
        assert_same_structure(spec_a, spec_b, "datasets")
        return map_structure(one, spec_a, spec_b)
    return one(spec_a, spec_b)


def unknown_spec_like(spec):
    return spec


def shape_of_leaf(leaf) -> TensorShape:
    return TensorShape(leaf.shape) if not isinstance(leaf, SparseTensor) else leaf.shape
