"""``tf.RaggedTensor``: rows of different lengths, as ``values`` + a ``row_splits`` partition.

Layout follows TF's: a RaggedTensor is a ``values`` tensor (a tfjax Tensor, or another
RaggedTensor for ragged_rank > 1) plus one int64/int32 ``row_splits`` vector per ragged
dimension. Elementwise math runs on ``flat_values`` through the normal ops (so the tape
and ``tf.function`` see it); anything whose output shape depends on the partition
(indexing, ``to_tensor``, padding) reads the splits on the host, which needs concrete
splits (eager, or constants inside ``tf.function``; a traced partition makes
``tf.function`` run that signature eagerly, like other data-dependent shapes).
"""

from __future__ import annotations

import jax
import numpy as np

from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src import tensor as tensor_lib
from tfjax._src.tensor import Tensor
from tfjax._src.tensor_shape import TensorShape
from tfjax._src.tensor_spec import TypeSpec

_SPLIT_DTYPES = (dtypes.int32, dtypes.int64)


def host(t, what="row partition"):
    """The numpy value of a Tensor, refusing tracers (the data-dependent case)."""
    v = t._value if isinstance(t, Tensor) else t
    if isinstance(v, jax.core.Tracer):
        from tfjax._src.ops import convert  # noqa: PLC0415
        raise convert.data_dependent(f"a RaggedTensor {what}", "the ragged shape depends on traced values")
    return np.asarray(v)


def wrap(arr) -> Tensor:
    """A host-backed Tensor for partitions and index arrays computed on the host.

    Kept as numpy (like tf.data's tensors) so they stay concrete while ``tf.function``
    traces; ops move them to the device when they are used as operands."""
    return Tensor(np.asarray(arr))


def take(values, idx):
    """Rows ``idx`` (host ints) of a Tensor or RaggedTensor; numeric gathers stay on the tape."""
    idx = np.asarray(idx, np.int64).reshape(-1)
    if isinstance(values, RaggedTensor):
        s = values._splits_np()
        starts, limits = s[:-1][idx], s[1:][idx]
        inner = np.concatenate([np.arange(a, b) for a, b in zip(starts, limits)]) if idx.size else np.zeros(0, np.int64)
        splits = np.concatenate([[0], np.cumsum(limits - starts)]).astype(values.row_splits.dtype._np)
        return RaggedTensor._make(take(values._values, inner), wrap(splits))
    if values._value.dtype == object:
        return Tensor(np.take(values._value, idx, axis=0))
    from tfjax._src.ops import array_ops  # noqa: PLC0415
    return array_ops.gather(values, wrap(idx))


def _invalid(factory, cond):
    return errors.InvalidArgumentError(
        None, None, f"Arguments to {factory} do not form a valid RaggedTensor{cond}")


def _convert_splits(x, name, dtype=None):
    """Partition tensors: Python ints become int64 (TF's default); given tensors keep their dtype."""
    if isinstance(x, RaggedTensor):
        raise TypeError(f"{name} must be a Tensor, got a RaggedTensor")
    if isinstance(x, Tensor) or hasattr(x, "_read_array"):
        t = tensor_lib.convert_to_tensor(x, dtype=dtype)
    else:
        # Python / numpy partitions stay host-side (concrete under tf.function).
        t = Tensor(tensor_lib._python_to_array(x, dtype) if not isinstance(x, np.ndarray) else x)
        if t._value.dtype.kind in "iu" and t.dtype not in _SPLIT_DTYPES and dtype is None:
            t = Tensor(t._value.astype(np.int64))
        elif not isinstance(x, np.ndarray) and t.dtype == dtypes.int32 and dtype is None:
            t = Tensor(t._value.astype(np.int64))
    if t.dtype not in _SPLIT_DTYPES:
        raise ValueError(f"{name} must have dtype int32 or int64")
    if t.shape.rank != 1:
        raise ValueError(f"Shape {t.shape} must have rank 1")
    return t


def _convert_values(values):
    if isinstance(values, RaggedTensor):
        return values
    t = tensor_lib.convert_to_tensor(values)
    if t.shape.rank == 0:
        raise ValueError("values must have rank at least 1 (a scalar cannot be partitioned)")
    return t


class RaggedTensor:
    """``tf.RaggedTensor``. Build with the ``from_*`` factories or ``tf.ragged.constant``."""

    __slots__ = ("_values", "_row_splits", "_uniform_row_length", "__weakref__")
    __array_priority__ = 100

    def __init__(self, values, row_partition=None, internal=False):
        if not internal:
            raise ValueError("RaggedTensor constructor is private; please use one of the factory methods "
                             "instead (e.g., RaggedTensor.from_row_lengths())")
        self._values = values
        self._row_splits = row_partition
        self._uniform_row_length = None

    @classmethod
    def _make(cls, values, splits, uniform=None):
        rt = cls(values, splits, internal=True)
        rt._uniform_row_length = uniform
        return rt

    # -- factories --------------------------------------------------------------
    @classmethod
    def from_row_splits(cls, values, row_splits, name=None, validate=True):
        values = _convert_values(values)
        splits = _convert_splits(row_splits, "row_splits")
        if splits.shape[0] == 0:
            raise ValueError("row_splits tensor may not be empty.")
        if validate and not isinstance(splits._value, jax.core.Tracer):
            s = host(splits)
            if s[0] != 0:
                raise _invalid("from_row_splits", ":zero")
            if np.any(np.diff(s) < 0):
                raise _invalid("from_row_splits", ":monotonic.")
            cls._check_nvals(values, s, "_from_row_partition")
        return cls._make(values, _match_dtype(values, splits))

    @staticmethod
    def _check_nvals(values, s, factory):
        n = values.nrows_static() if isinstance(values, RaggedTensor) else values.shape[0]
        if n is not None and int(s[-1]) != n:
            raise _invalid(factory, "")

    @classmethod
    def from_row_lengths(cls, values, row_lengths, name=None, validate=True):
        values = _convert_values(values)
        lengths = _convert_splits(row_lengths, "row_lengths")
        ln = host(lengths)
        if validate and np.any(ln < 0):
            raise errors.InvalidArgumentError(
                None, None, "Arguments to from_row_lengths do not form a valid RowPartition.")
        splits = np.concatenate([[0], np.cumsum(ln)]).astype(lengths.dtype._np)
        if validate:
            cls._check_nvals(values, splits, "_from_row_partition")
        return cls._make(values, _match_dtype(values, wrap(splits)))

    @classmethod
    def from_row_starts(cls, values, row_starts, name=None, validate=True):
        values = _convert_values(values)
        starts = _convert_splits(row_starts, "row_starts")
        n = values.nrows_static() if isinstance(values, RaggedTensor) else values.shape[0]
        splits = np.concatenate([host(starts), [n]]).astype(starts.dtype._np)
        return cls.from_row_splits(values, wrap(splits), validate=validate)

    @classmethod
    def from_row_limits(cls, values, row_limits, name=None, validate=True):
        limits = _convert_splits(row_limits, "row_limits")
        splits = np.concatenate([[0], host(limits)]).astype(limits.dtype._np)
        return cls.from_row_splits(values, wrap(splits), validate=validate)

    @classmethod
    def from_value_rowids(cls, values, value_rowids, nrows=None, name=None, validate=True):
        values = _convert_values(values)
        ids_t = _convert_splits(value_rowids, "value_rowids")
        ids = host(ids_t)
        n = (int(ids[-1]) + 1 if ids.size else 0) if nrows is None else int(host(tensor_lib.convert_to_tensor(nrows)))
        if validate and (np.any(np.diff(ids) < 0) or np.any(ids < 0) or np.any(ids >= n) or n < 0):
            raise errors.InvalidArgumentError(
                None, None, "Arguments to from_value_rowids do not form a valid RowPartition.")
        splits = np.searchsorted(ids, np.arange(n + 1), side="left").astype(ids_t.dtype._np)
        if validate:
            cls._check_nvals(values, np.array([ids.size]), "from_value_rowids")
        return cls._make(values, _match_dtype(values, wrap(splits)))

    @classmethod
    def from_uniform_row_length(cls, values, uniform_row_length, nrows=None, validate=True, name=None):
        values = _convert_values(values)
        n_vals = values.nrows_static() if isinstance(values, RaggedTensor) else values.shape[0]
        w = int(host(tensor_lib.convert_to_tensor(uniform_row_length)))
        if w < 0:
            raise errors.InvalidArgumentError(None, None, "uniform_row_length must be >= 0")
        n = int(host(tensor_lib.convert_to_tensor(nrows))) if nrows is not None else (n_vals // w if w else 0)
        if validate and n * w != n_vals:
            raise _invalid("from_uniform_row_length", "")
        splits = np.arange(n + 1, dtype=np.int64) * w
        return cls._make(values, _match_dtype(values, wrap(splits)), uniform=w)

    @classmethod
    def from_nested_row_splits(cls, flat_values, nested_row_splits, name=None, validate=True):
        if isinstance(nested_row_splits, Tensor):
            raise TypeError("nested_row_splits must be a list of Tensors")
        result = flat_values
        for s in reversed(list(nested_row_splits)):
            result = cls.from_row_splits(result, s, validate=validate)
        return result

    @classmethod
    def from_nested_row_lengths(cls, flat_values, nested_row_lengths, name=None, validate=True):
        result = flat_values
        for ln in reversed(list(nested_row_lengths)):
            result = cls.from_row_lengths(result, ln, validate=validate)
        return result

    @classmethod
    def from_nested_value_rowids(cls, flat_values, nested_value_rowids, nested_nrows=None, name=None, validate=True):
        ids = list(nested_value_rowids)
        nrows = [None] * len(ids) if nested_nrows is None else list(nested_nrows)
        result = flat_values
        for i, n in zip(reversed(ids), reversed(nrows)):
            result = cls.from_value_rowids(result, i, n, validate=validate)
        return result

    @classmethod
    def from_tensor(cls, tensor, lengths=None, padding=None, ragged_rank=1, name=None, row_splits_dtype=dtypes.int64):
        from tfjax._src.ragged import conversion  # noqa: PLC0415
        return conversion.from_tensor(tensor, lengths, padding, ragged_rank, row_splits_dtype)

    @classmethod
    def from_sparse(cls, st_input, name=None, row_splits_dtype=dtypes.int64):
        from tfjax._src.ragged import conversion  # noqa: PLC0415
        return conversion.from_sparse(st_input, row_splits_dtype)

    # -- accessors --------------------------------------------------------------
    @property
    def values(self):
        return self._values

    @property
    def row_splits(self):
        return self._row_splits

    @property
    def flat_values(self):
        v = self._values
        while isinstance(v, RaggedTensor):
            v = v._values
        return v

    @property
    def nested_row_splits(self):
        out, rt = [], self
        while isinstance(rt, RaggedTensor):
            out.append(rt._row_splits)
            rt = rt._values
        return tuple(out)

    @property
    def ragged_rank(self) -> int:
        return 1 + (self._values.ragged_rank if isinstance(self._values, RaggedTensor) else 0)

    @property
    def dtype(self):
        return self.flat_values.dtype

    @property
    def row_splits_dtype(self):
        return self._row_splits.dtype

    def _splits_np(self):
        return host(self._row_splits).astype(np.int64)

    def nrows_static(self):
        return self._row_splits.shape[0] - 1

    @property
    def shape(self) -> TensorShape:
        inner = self._values.shape
        return TensorShape([self.nrows_static(), self._uniform_row_length]).concatenate(inner[1:])

    def get_shape(self):
        return self.shape

    @property
    def ndim(self):
        return self.shape.rank

    def nrows(self, out_type=None, name=None):
        n = np.asarray(self.nrows_static(), (out_type and dtypes.as_dtype(out_type)._np) or self.row_splits_dtype._np)
        return wrap(n)

    def row_starts(self, name=None):
        from tfjax._src.ops import array_ops  # noqa: PLC0415
        return array_ops.getitem(self._row_splits, slice(None, -1))

    def row_limits(self, name=None):
        from tfjax._src.ops import array_ops  # noqa: PLC0415
        return array_ops.getitem(self._row_splits, slice(1, None))

    def row_lengths(self, axis=1, name=None):
        axis = _norm_axis(axis, self.shape.rank)
        if axis == 0:
            return self.nrows()
        if axis == 1:
            s = self._splits_np()
            return wrap(np.diff(s).astype(self.row_splits_dtype._np))
        if isinstance(self._values, RaggedTensor):
            return self.with_values(self._values.row_lengths(axis - 1))
        return self._uniform_lengths(axis)

    def _uniform_lengths(self, axis):
        # Row lengths along a uniform inner dimension: a ragged/dense tensor filled with its size.
        from tfjax._src.ops import array_ops  # noqa: PLC0415
        size = self._values.shape[axis - 1]
        n = self._values.shape[0]
        vals = array_ops.fill([n] + self._values.shape[1:axis - 1].as_list(), np.asarray(size, self.row_splits_dtype._np))
        return self.with_values(vals)

    def nested_row_lengths(self, name=None):
        return tuple(wrap(np.diff(host(s)).astype(s.dtype._np)) for s in self.nested_row_splits)

    def value_rowids(self, name=None):
        s = self._splits_np()
        ids = np.repeat(np.arange(len(s) - 1), np.diff(s)).astype(self.row_splits_dtype._np)
        return wrap(ids)

    def nested_value_rowids(self, name=None):
        out, rt = [], self
        while isinstance(rt, RaggedTensor):
            out.append(rt.value_rowids())
            rt = rt._values
        return tuple(out)

    def uniform_row_length(self):
        return None if self._uniform_row_length is None else wrap(np.asarray(self._uniform_row_length, self.row_splits_dtype._np))

    def bounding_shape(self, axis=None, name=None, out_type=None):
        dt = (dtypes.as_dtype(out_type) if out_type is not None else self.row_splits_dtype)._np
        dims = [self.nrows_static()]
        rt = self
        while isinstance(rt, RaggedTensor):
            ln = np.diff(rt._splits_np())
            dims.append(int(ln.max()) if ln.size else 0)
            rt = rt._values
        dims.extend(rt.shape[1:].as_list())
        out = np.asarray(dims, dt)
        return wrap(out if axis is None else out[axis])

    def _components(self):
        return [self.flat_values, *self.nested_row_splits]

    def _uniform_levels(self):
        out, rt = [], self
        while isinstance(rt, RaggedTensor):
            out.append(rt._uniform_row_length)
            rt = rt._values
        return tuple(out)

    @classmethod
    def _from_components(cls, components, uniform=None):
        rt = components[0]
        uniform = uniform or (None,) * (len(components) - 1)
        for s, u in zip(reversed(components[1:]), reversed(uniform)):
            if not isinstance(s._value, jax.core.Tracer):
                s = Tensor(np.asarray(s._value))
            rt = cls._make(rt, s, u)
        return rt

    # -- rebuilding -------------------------------------------------------------
    def with_values(self, new_values):
        new_values = _convert_values(new_values)
        n = new_values.nrows_static() if isinstance(new_values, RaggedTensor) else new_values.shape[0]
        if n is not None and self._values.shape[0] is not None and n != self._values.shape[0]:
            raise ValueError(f"Dimensions {n} and {self._values.shape[0]} are not compatible")
        return RaggedTensor._make(new_values, _match_dtype(new_values, self._row_splits), self._uniform_row_length)

    def with_flat_values(self, new_values):
        if isinstance(self._values, RaggedTensor):
            return self.with_values(self._values.with_flat_values(new_values))
        return self.with_values(new_values)

    def with_row_splits_dtype(self, dtype):
        dtype = dtypes.as_dtype(dtype)
        if dtype not in _SPLIT_DTYPES:
            raise ValueError(f"dtype must be int32 or int64, got {dtype!r}")
        vals = self._values.with_row_splits_dtype(dtype) if isinstance(self._values, RaggedTensor) else self._values
        splits = self._row_splits if self.row_splits_dtype == dtype else wrap(self._splits_np().astype(dtype._np))
        return RaggedTensor._make(vals, splits, self._uniform_row_length)

    # -- conversion -------------------------------------------------------------
    def to_tensor(self, default_value=None, name=None, shape=None):
        from tfjax._src.ragged import conversion  # noqa: PLC0415
        return conversion.to_tensor(self, default_value, shape)

    def to_sparse(self, name=None):
        from tfjax._src.ragged import conversion  # noqa: PLC0415
        return conversion.to_sparse(self)

    def _nested(self, leaves):
        """Splits ``leaves`` (a list, one item per flat value row) into this tensor's nesting."""
        inner = self._values._nested(leaves) if isinstance(self._values, RaggedTensor) else leaves
        s = self._splits_np()
        return [inner[s[i]:s[i + 1]] for i in range(len(s) - 1)]

    def to_list(self):
        return self._nested(host(self.flat_values, "flat_values").tolist())

    def numpy(self):
        """TF's encoding: rows of equal length stack into one array, ragged rows become a
        1-D object array of per-row arrays."""
        values = self._values.numpy() if isinstance(self._values, RaggedTensor) else host(self._values, "values")
        s = self._splits_np()
        rows = [values[s[i]:s[i + 1]] for i in range(len(s) - 1)]
        if not rows:
            return np.zeros((0, 0) + values.shape[1:], dtype=values.dtype)
        if any(len(r) != len(rows[0]) for r in rows):
            out = np.empty(len(rows), dtype=object)
            out[:] = rows
            return out
        return np.array(rows)

    def __tf_tensor__(self, dtype=None, name=None):
        # TF refuses implicit conversion of a RaggedTensor to a dense Tensor.
        raise ValueError("TypeError: object of type 'RaggedTensor' has no len()")

    def __bool__(self):
        raise TypeError("RaggedTensor may not be used as a boolean.")

    def __hash__(self):
        return id(self)

    @property
    def _type_spec(self):
        return RaggedTensorSpec(self.shape, self.dtype, self.ragged_rank, self.row_splits_dtype)

    def __repr__(self):
        try:
            return f"<tf.RaggedTensor {format_ragged(self)}>"
        except TypeError:  # traced partition
            return (f"tf.RaggedTensor(values={self._values!r}, row_splits={self._row_splits!r})")

    __str__ = __repr__

    def __getitem__(self, key):
        from tfjax._src.ragged import ragged_getitem  # noqa: PLC0415
        return ragged_getitem.getitem(self, key)


def _match_dtype(values, splits):
    if isinstance(values, RaggedTensor) and values.row_splits_dtype != splits.dtype:
        raise ValueError("dtype mismatch: row_splits dtype "
                         f"{splits.dtype.name} does not match values' row_splits dtype "
                         f"{values.row_splits_dtype.name}; use RaggedTensor.with_row_splits_dtype")
    return splits


def _norm_axis(axis, rank):
    axis = int(axis)
    if not -rank <= axis < rank:
        raise ValueError(f"axis={axis} out of bounds: expected {-rank}<=axis<{rank}")
    return axis % rank


# -- repr ----------------------------------------------------------------------
def _format(x):
    # numpy's printer with ", " separators, applied again to every nested row array.
    if isinstance(x, np.ndarray):
        if x.size == 0:
            return repr(x.tolist())
        return np.array2string(x, separator=", ")
    return str(x)


def format_ragged(rt) -> str:
    """TF's RaggedTensor repr: numpy's array printing over ``numpy()``'s nested rows."""
    with np.printoptions(formatter={"all": _format}):
        return _format(rt.numpy())


# -- spec ------------------------------------------------------------------------
class RaggedTensorSpec(TypeSpec):
    """``tf.RaggedTensorSpec(shape, dtype, ragged_rank, row_splits_dtype, flat_values_spec)``."""

    __slots__ = ("_shape", "_dtype", "_ragged_rank", "_row_splits_dtype", "_flat_values_spec")

    def __init__(self, shape=None, dtype=dtypes.float32, ragged_rank=None, row_splits_dtype=dtypes.int64,
                 flat_values_spec=None):
        self._shape = TensorShape(shape)
        self._dtype = dtypes.as_dtype(dtype)
        self._row_splits_dtype = dtypes.as_dtype(row_splits_dtype)
        self._flat_values_spec = flat_values_spec
        rank = self._shape.rank
        if ragged_rank is None:
            if rank is None:
                raise ValueError("Must specify ragged_rank or a shape with a known rank.")
            ragged_rank = rank - 1
        if not isinstance(ragged_rank, int):
            raise TypeError(f"ragged_rank must be an int, got {ragged_rank!r}")
        if rank is not None and not 0 <= ragged_rank < max(rank, 1):
            raise ValueError(f"ragged_rank must be non-negative and less than the rank; got {ragged_rank} for rank {rank}")
        self._ragged_rank = ragged_rank

    shape = property(lambda self: self._shape)
    dtype = property(lambda self: self._dtype)
    ragged_rank = property(lambda self: self._ragged_rank)
    row_splits_dtype = property(lambda self: self._row_splits_dtype)
    flat_values_spec = property(lambda self: self._flat_values_spec)

    @property
    def value_type(self):
        return RaggedTensor

    @classmethod
    def from_value(cls, value):
        return value._type_spec if isinstance(value, RaggedTensor) else cls(value.shape, value.dtype, 0)

    def is_compatible_with(self, other):
        if isinstance(other, RaggedTensor):
            other = other._type_spec
        return (isinstance(other, RaggedTensorSpec) and other._dtype == self._dtype
                and other._ragged_rank == self._ragged_rank
                and other._row_splits_dtype == self._row_splits_dtype
                and self._shape.is_compatible_with(other._shape))

    def most_specific_compatible_type(self, other):
        if not self.is_compatible_with(other):
            raise ValueError(f"No TypeSpec is compatible with both {self} and {other}")
        return RaggedTensorSpec(self._shape.most_specific_compatible_shape(other.shape), self._dtype,
                                self._ragged_rank, self._row_splits_dtype)

    def _batch(self, batch_size):
        return RaggedTensorSpec(TensorShape([batch_size]).concatenate(self._shape), self._dtype,
                                self._ragged_rank + 1, self._row_splits_dtype)

    def _unbatch(self):
        return RaggedTensorSpec(self._shape[1:], self._dtype, max(self._ragged_rank - 1, 0), self._row_splits_dtype)

    def _key(self):
        return (self._shape, self._dtype, self._ragged_rank, self._row_splits_dtype)

    def __eq__(self, other):
        return type(other) is type(self) and self._key() == other._key()

    def __hash__(self):
        return hash((RaggedTensorSpec, repr(self)))

    def __repr__(self):
        return (f"RaggedTensorSpec({self._shape!r}, {self._dtype!r}, {self._ragged_rank}, "
                f"{self._row_splits_dtype!r})")


def is_ragged(x) -> bool:
    return isinstance(x, RaggedTensor)
