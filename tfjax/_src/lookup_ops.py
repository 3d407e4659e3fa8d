"""``tf.lookup``: hash tables over host-side data.

A table's contents live on the host (a dict plus, for numeric keys, sorted numpy key/value
arrays). String keys are looked up on the host, as tfjax's Keras ``StringLookup`` does (strings
never enter compiled code; inside a tf.data function the result stays numpy-backed through
``io.host.wrap``). Numeric keys use a ``searchsorted`` over the sorted keys written once for
numpy and jax.numpy, so a static table with numeric keys and values also runs inside
``tf.function`` on traced keys. OOV buckets hash with FarmHash Fingerprint64 of the key (of
its decimal text for integer keys), as TF's ``StaticVocabularyTable`` does.

Mutable tables change Python-side state, which a compiled program cannot do: inside a
``tf.function`` their ops raise ``SymbolicValueError``, so that signature runs eagerly
(tfjax's rule for host-side work; the results are still right).
"""

from __future__ import annotations

import itertools
import os

import jax
import jax.numpy as jnp
import numpy as np

from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src import tensor as tensor_lib
from tfjax._src.io import host
from tfjax._src.ops import string_hash
from tfjax._src.tensor import Tensor

_uid = itertools.count(1)


def _is_traced(v):
    return isinstance(v, jax.core.Tracer)


def _executing_eagerly():
    from tfjax._src.ops.graph_compat import executing_eagerly  # noqa: PLC0415
    return executing_eagerly()


def _np(t):
    """Concrete numpy value of a Tensor (object array for strings)."""
    v = t._value
    if isinstance(v, np.ndarray):
        return v
    if _is_traced(v):
        raise errors.SymbolicValueError("a lookup table needs concrete keys/values here (tfjax runs this "
                                        "tf.function signature eagerly)")
    return np.asarray(v)


def _components(keys):
    """(flat key Tensor, rebuild) for a Tensor, SparseTensor or RaggedTensor of keys."""
    from tfjax._src.ragged.ragged_tensor import RaggedTensor  # noqa: PLC0415
    from tfjax._src.sparse_tensor import SparseTensor  # noqa: PLC0415
    if isinstance(keys, SparseTensor):
        return keys.values, lambda v: SparseTensor(keys.indices, v, keys.dense_shape)
    if isinstance(keys, RaggedTensor):
        return keys.flat_values, keys.with_flat_values
    return keys, lambda v: v


class _Store:
    """The contents of a table: insertion-ordered dict key -> value (numpy scalars or rows)."""

    def __init__(self, key_dtype, value_dtype, value_shape=()):
        self.key_dtype = key_dtype
        self.value_dtype = value_dtype
        self.value_shape = tuple(value_shape)
        self.table = {}
        self._sorted = None

    def _py_key(self, k):
        return k

    def set_many(self, ks, vs, check_conflicts=False):
        self._sorted = None
        table = self.table
        vs = list(vs) if self.value_shape else vs.tolist()
        for k, v in zip(ks.reshape(-1).tolist(), vs):
            if check_conflicts and k in table and not _same(table[k], v):
                kk = k.decode("utf-8", "replace") if isinstance(k, bytes) else k
                raise errors.FailedPreconditionError(
                    None, None, errors.op_message("LookupTableImportV2",
                                                  f"HashTable has different value for same key. Key {kk}"))
            table[k] = v

    def remove_many(self, ks):
        self._sorted = None
        for k in ks.reshape(-1).tolist():
            self.table.pop(k, None)

    def export(self):
        ks = list(self.table)
        karr = (np.array(ks, dtype=object) if self.key_dtype == dtypes.string
                else np.array(ks, dtype=self.key_dtype._np)).reshape(-1)
        vals = list(self.table.values())
        if self.value_dtype == dtypes.string:
            varr = np.empty((len(vals),) + self.value_shape, dtype=object)
            for i, v in enumerate(vals):
                varr[i] = v
        else:
            varr = np.array(vals, dtype=self.value_dtype._np).reshape((len(vals),) + self.value_shape)
        return karr, varr

    def sorted_arrays(self):
        if self._sorted is None:
            karr, varr = self.export()
            order = np.argsort(karr, kind="stable")
            self._sorted = (karr[order], varr[order])
        return self._sorted

    def find(self, keys, default):
        """Values for the raw key array ``keys`` (numpy or jax); ``default`` is a raw array of
        shape value_shape or keys.shape + value_shape."""
        vshape = self.value_shape
        string_vals = self.value_dtype == dtypes.string
        if isinstance(keys, np.ndarray) and keys.dtype == object:
            n = keys.size
            flat = keys.reshape(-1).tolist()
            table = self.table
            dflt = np.asarray(default)
            per_key = dflt.shape == keys.shape + vshape and dflt.shape != vshape
            if string_vals or vshape:
                out = np.empty((n,) + vshape, dtype=object if string_vals else self.value_dtype._np)
                dflat = dflt.reshape((n,) + vshape) if per_key else None
                for i, k in enumerate(flat):
                    v = table.get(k, _MISSING)
                    out[i] = (dflat[i] if per_key else dflt) if v is _MISSING else v
                return out.reshape(keys.shape + vshape)
            if per_key:
                dflat = dflt.reshape(-1).tolist()
                out = np.fromiter((table.get(k, d) for k, d in zip(flat, dflat)), self.value_dtype._np, n)
            else:
                out = np.fromiter(map(table.get, flat, itertools.repeat(dflt[()])), self.value_dtype._np, n)
            return out.reshape(keys.shape)
        sk, sv = self.sorted_arrays()
        traced = _is_traced(keys) or _is_traced(default)
        if traced and string_vals:
            raise errors.SymbolicValueError("a lookup with string values needs concrete keys (tfjax runs this "
                                            "tf.function signature eagerly)")
        xp = jnp if traced else np
        if not traced:
            keys = np.asarray(keys)
            default = np.asarray(default)
        if sk.size == 0:
            return xp.broadcast_to(xp.asarray(default), keys.shape + vshape).astype(sv.dtype) \
                if not string_vals else np.broadcast_to(default, keys.shape + vshape).copy()
        pos = xp.clip(xp.searchsorted(sk, keys), 0, sk.shape[0] - 1)
        found = xp.asarray(sk)[pos] == keys
        vals = (sv[pos] if not traced else jnp.asarray(sv)[pos])
        found = found.reshape(found.shape + (1,) * len(vshape))
        return xp.where(found, vals, default).astype(sv.dtype) if not string_vals else np.where(found, vals, default)


_MISSING = object()


def _same(a, b):
    return bool(np.all(np.asarray(a) == np.asarray(b)))


def _wrap(arr):
    if isinstance(arr, np.ndarray):
        return host.wrap(arr)
    return Tensor(arr)


def _int64_scalar(n):
    return host.wrap(np.array(n, np.int64))


# -- initializers --------------------------------------------------------------------------

class TableInitializerBase:
    """Base class of table initializers (``tf.lookup`` initializers)."""

    def __init__(self, key_dtype, value_dtype):
        self._key_dtype = dtypes.as_dtype(key_dtype)
        self._value_dtype = dtypes.as_dtype(value_dtype)

    @property
    def key_dtype(self):
        return self._key_dtype

    @property
    def value_dtype(self):
        return self._value_dtype

    def _load(self):
        raise NotImplementedError


class KeyValueTensorInitializer(TableInitializerBase):
    """``tf.lookup.KeyValueTensorInitializer(keys, values, key_dtype=None, value_dtype=None)``."""

    def __init__(self, keys, values, key_dtype=None, value_dtype=None, name=None):
        self._keys = tensor_lib.convert_to_tensor(keys, dtype=key_dtype)
        self._values = tensor_lib.convert_to_tensor(values, dtype=value_dtype)
        self._name = (name if name is not None else "key_value_init") + str(next(_uid))
        super().__init__(self._keys.dtype, self._values.dtype)

    def _load(self):
        ks, vs = _np(self._keys), _np(self._values)
        if ks.shape != vs.shape:
            raise errors.invalid_argument(
                "LookupTableImportV2", f"Expected shape {list(ks.shape)} for value, got {list(vs.shape)}")
        return ks.reshape(-1), vs.reshape(-1)


class TextFileIndex:
    """``tf.lookup.TextFileIndex``: the key/value column of a ``TextFileInitializer``."""

    WHOLE_LINE = -2
    LINE_NUMBER = -1


class TextFileInitializer(TableInitializerBase):
    """``tf.lookup.TextFileInitializer``: one key/value pair per line of a text file."""

    def __init__(self, filename, key_dtype, key_index, value_dtype, value_index, vocab_size=None,
                 delimiter="\t", name=None, value_index_offset=0):
        if not isinstance(filename, Tensor) and not filename:
            raise ValueError("`filename` argument required for tf.lookup.TextFileInitializer")
        key_dtype = dtypes.as_dtype(key_dtype)
        value_dtype = dtypes.as_dtype(value_dtype)
        if key_index < -2:
            raise ValueError(f"`key_index` should be >= -2, received: {key_index}.")
        if key_index == TextFileIndex.LINE_NUMBER and key_dtype != dtypes.int64:
            raise ValueError("`key_dtype` must be int64 if `key_index` is "
                             f"{TextFileIndex.LINE_NUMBER}, received: {key_dtype}")
        if key_index == TextFileIndex.WHOLE_LINE and not key_dtype.is_integer and key_dtype != dtypes.string:
            raise ValueError("`key_dtype` should be either integer or string for `key_index` "
                             f"{TextFileIndex.WHOLE_LINE}, received: {key_dtype}")
        if value_index < -2:
            raise ValueError(f"`value_index` should be >= -2, received: {value_index}")
        if value_index == TextFileIndex.LINE_NUMBER and value_dtype != dtypes.int64:
            raise ValueError("`value_dtype` must be int64 for `value_index` "
                             f"{TextFileIndex.LINE_NUMBER}, received: {value_dtype}")
        if value_index == TextFileIndex.WHOLE_LINE and not value_dtype.is_integer and value_dtype != dtypes.string:
            raise ValueError("`value_dtype` should be either integer or string for `value_index` "
                             f"{TextFileIndex.WHOLE_LINE}, received: {value_dtype}")
        if vocab_size is not None and vocab_size <= 0:
            raise ValueError(f"`vocab_size` should be > 0, received: {vocab_size}")
        if isinstance(filename, Tensor):
            filename = _np(filename)[()]
        self._filename = os.fsdecode(filename)
        self._key_index = key_index
        self._value_index = value_index
        self._vocab_size = vocab_size
        self._delimiter = delimiter
        self._name = name
        self._offset = value_index_offset
        super().__init__(key_dtype, value_dtype)

    def _load(self):
        op = "InitializeTableFromTextFileV2"
        try:
            with open(self._filename, "rb") as f:
                data = f.read()
        except FileNotFoundError:
            raise errors.NotFoundError(None, None, errors.op_message(
                op, f"{self._filename}; No such file or directory")) from None
        lines = data.split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()
        lines = [ln[:-1] if ln.endswith(b"\r") else ln for ln in lines]
        if self._vocab_size is not None:
            if len(lines) < self._vocab_size:
                raise errors.invalid_argument(op, f"Invalid vocab_size in {self._filename}: expected "
                                              f"{self._vocab_size} but got {len(lines)}")
            lines = lines[:self._vocab_size]
        delim = self._delimiter.encode() if isinstance(self._delimiter, str) else self._delimiter
        keys, vals = [], []
        for n, line in enumerate(lines):
            cols = line.split(delim) if max(self._key_index, self._value_index) >= 0 else None
            keys.append(self._field(line, cols, n, self._key_index, self._key_dtype, 0))
            vals.append(self._field(line, cols, n, self._value_index, self._value_dtype, self._offset))
        return _array(keys, self._key_dtype), _array(vals, self._value_dtype)

    def _field(self, line, cols, n, index, dtype, offset):
        op = "InitializeTableFromTextFileV2"
        if index == TextFileIndex.LINE_NUMBER:
            return n + offset
        if index == TextFileIndex.WHOLE_LINE:
            text = line
        else:
            if index >= len(cols):
                raise errors.invalid_argument(op, f"Invalid number of columns in {self._filename} line {n} "
                                              f"({line.decode('utf-8', 'replace')}) : expected {index + 1} got "
                                              f"{len(cols)}")
            text = cols[index]
        if dtype == dtypes.string:
            return text
        try:
            if dtype.is_integer:
                v = int(text)
                if not dtype.min <= v <= dtype.max:
                    raise ValueError
                return v
            return float(text)
        except ValueError:
            raise errors.invalid_argument(op, f"Field {text.decode('utf-8', 'replace')} in line {n} is not a "
                                          f"valid {'int64' if dtype == dtypes.int64 else dtype.name}.") from None


def _array(items, dtype):
    if dtype == dtypes.string:
        out = np.empty(len(items), dtype=object)
        out[:] = items
        return out
    return np.array(items, dtype=dtype._np).reshape(-1)


# -- tables --------------------------------------------------------------------------------

class LookupInterface:
    """Base class of the lookup tables."""

    def __init__(self, key_dtype, value_dtype):
        self._key_dtype = dtypes.as_dtype(key_dtype)
        self._value_dtype = dtypes.as_dtype(value_dtype)

    @property
    def key_dtype(self):
        return self._key_dtype

    @property
    def value_dtype(self):
        return self._value_dtype

    @property
    def name(self):
        return None

    @property
    def resource_handle(self):
        raise errors.unsupported("tf.lookup tables' resource_handle", "tables are host-side Python objects")

    def size(self, name=None):
        raise NotImplementedError

    def lookup(self, keys, name=None):
        raise NotImplementedError

    def __getitem__(self, keys):
        return self.lookup(keys)


def _check_keys(keys, key_dtype):
    if keys.dtype.base_dtype != key_dtype:
        raise TypeError(f"Dtype of argument `keys` must be {key_dtype}, received: {keys.dtype}")


class StaticHashTable(LookupInterface):
    """``tf.lookup.StaticHashTable(initializer, default_value)``: an immutable table."""

    def __init__(self, initializer, default_value, name=None, experimental_is_anonymous=False):
        super().__init__(initializer.key_dtype, initializer.value_dtype)
        self._initializer = initializer
        self._default_value = tensor_lib.convert_to_tensor(default_value, dtype=self._value_dtype)
        if self._default_value.shape.rank not in (None, 0):
            raise ValueError(f"Shapes {self._default_value.shape} and () are incompatible")
        self._name = name or "hash_table"
        self._store = _Store(self._key_dtype, self._value_dtype)
        ks, vs = initializer._load()
        self._store.set_many(ks, vs, check_conflicts=True)

    @property
    def default_value(self):
        return self._default_value

    @property
    def name(self):
        return None  # TF's eager tables have no graph op name

    def size(self, name=None):
        return _int64_scalar(len(self._store.table))

    def lookup(self, keys, name=None):
        flat, rebuild = _components(keys)
        if keys.dtype.base_dtype != self._key_dtype:
            raise TypeError(f"Dtype of argument `keys` must be {self._key_dtype}, received: {keys.dtype}")
        return rebuild(_wrap(self._store.find(flat._value, self._default_value._value)))

    def export(self, name=None):
        ks, vs = self._store.export()
        return host.wrap(ks), host.wrap(vs)


class StaticVocabularyTable(LookupInterface):
    """``tf.lookup.StaticVocabularyTable(initializer, num_oov_buckets, lookup_key_dtype=None)``: ids for
    in-vocabulary keys, ``vocab_size + Fingerprint64(key) % num_oov_buckets`` for the others."""

    def __init__(self, initializer, num_oov_buckets, lookup_key_dtype=None, name=None,
                 experimental_is_anonymous=False):
        if num_oov_buckets <= 0:
            raise ValueError("`num_oov_buckets` must be > 0; use StaticHashTable.")
        if initializer:
            if lookup_key_dtype is None:
                lookup_key_dtype = initializer.key_dtype
            lookup_key_dtype = dtypes.as_dtype(lookup_key_dtype)
            supported = (dtypes.int64, dtypes.string)
            if initializer.key_dtype not in supported:
                raise TypeError(f"Invalid `key_dtype`, expected one of {supported}, but got {initializer.key_dtype}.")
            if initializer.key_dtype.is_integer != lookup_key_dtype.is_integer:
                raise TypeError("Invalid `key_dtype`, expected %s but got %s." % (
                    "integer" if lookup_key_dtype.is_integer else "non-integer", initializer.key_dtype))
            if initializer.value_dtype != dtypes.int64:
                raise TypeError(f"Invalid `value_dtype`, expected {dtypes.int64} but got {initializer.value_dtype}.")
            self._table = StaticHashTable(initializer, default_value=-1)
            name = name or self._table.name
        else:
            lookup_key_dtype = dtypes.string
            self._table = None
            name = name or "hash_bucket"
        if not lookup_key_dtype.is_integer and lookup_key_dtype != dtypes.string:
            raise TypeError(f"Invalid `key_dtype`, expected integer or string, got {lookup_key_dtype}")
        self._num_oov_buckets = int(num_oov_buckets)
        self._table_name = name.rstrip("/").split("/")[-1] if name else None
        super().__init__(lookup_key_dtype, dtypes.int64)

    @property
    def name(self):
        return self._table_name

    def size(self, name=None):
        n = len(self._table._store.table) if self._table is not None else 0
        return _int64_scalar(n + self._num_oov_buckets)

    def lookup(self, keys, name=None):
        if keys.dtype.base_dtype != self._key_dtype:
            raise TypeError(f"Dtype of argument `keys` must be {self._key_dtype}, received: {keys.dtype}")
        flat, rebuild = _components(keys)
        k = flat._value
        if self._key_dtype.is_integer:
            k = k.astype(np.int64) if not isinstance(k, np.ndarray) or k.dtype != object else k
        buckets = _oov_buckets(k, self._num_oov_buckets)
        if self._table is None:
            return rebuild(_wrap(buckets))
        store = self._table._store
        ids = store.find(k, np.int64(-1))
        xp = np if isinstance(ids, np.ndarray) and isinstance(buckets, np.ndarray) else jnp
        out = xp.where(ids != -1, ids, buckets + len(store.table))
        return rebuild(_wrap(out))


def _oov_buckets(keys, n):
    """Fingerprint64 buckets of string keys, or of the decimal text of integer keys (TF's ``as_string``)."""
    def on_host(k):
        k = np.asarray(k)
        if k.dtype != object:
            s = np.empty(k.shape, object)
            s.reshape(-1)[:] = [str(e).encode() for e in k.reshape(-1).tolist()]
            k = s
        return string_hash.hash_buckets(k, n, string_hash.fingerprint64)
    if _is_traced(keys):
        return jax.pure_callback(on_host, jax.ShapeDtypeStruct(keys.shape, np.int64), keys, vmap_method="sequential")
    return on_host(keys)


class _MutableBase(LookupInterface):
    def __init__(self, key_dtype, value_dtype, default_value, name):
        super().__init__(key_dtype, value_dtype)
        self._default_value = tensor_lib.convert_to_tensor(default_value, dtype=self._value_dtype)
        self._value_shape = tuple(self._default_value.shape.as_list())
        self._store = _Store(self._key_dtype, self._value_dtype, self._value_shape)
        self._name = name

    @property
    def default_value(self):
        return self._default_value

    @property
    def name(self):
        return self._name

    def _eager(self, what):
        if not _executing_eagerly():
            raise errors.SymbolicValueError(f"tf.lookup.experimental mutable table {what} changes or reads host-side "
                                            "state (tfjax runs this tf.function signature eagerly)")

    def size(self, name=None):
        self._eager("size")
        return _int64_scalar(len(self._store.table))

    def _insert(self, keys, values, op):
        self._eager("insert")
        keys = tensor_lib.convert_to_tensor(keys, dtype=self._key_dtype)
        values = tensor_lib.convert_to_tensor(values, dtype=self._value_dtype)
        ks, vs = _np(keys), _np(values)
        if vs.shape != ks.shape + self._value_shape:
            raise errors.invalid_argument(
                op, f"Expected shape {list(ks.shape + self._value_shape)} for value, got {list(vs.shape)}")
        self._store.set_many(ks.reshape(-1), vs.reshape((-1,) + self._value_shape))

    def export(self, name=None):
        self._eager("export")
        ks, vs = self._store.export()
        return host.wrap(ks), host.wrap(vs)


class MutableHashTable(_MutableBase):
    """``tf.lookup.experimental.MutableHashTable(key_dtype, value_dtype, default_value)``."""

    def __init__(self, key_dtype, value_dtype, default_value, name="MutableHashTable", checkpoint=True,
                 experimental_is_anonymous=False):
        super().__init__(key_dtype, value_dtype, default_value, name)

    def insert(self, keys, values, name=None):
        self._insert(keys, values, "LookupTableInsertV2")

    def remove(self, keys, name=None):
        self._eager("remove")
        if keys.dtype != self._key_dtype:
            raise TypeError(f"Dtype of argument `keys` must be {self._key_dtype}, received: {keys.dtype}")
        self._store.remove_many(_np(keys))

    def lookup(self, keys, dynamic_default_values=None, name=None):
        self._eager("lookup")
        keys = tensor_lib.convert_to_tensor(keys, dtype=self._key_dtype)
        dflt = self._default_value if dynamic_default_values is None else \
            tensor_lib.convert_to_tensor(dynamic_default_values, dtype=self._value_dtype)
        return _wrap(self._store.find(_np(keys), _np(dflt)))


class DenseHashTable(_MutableBase):
    """``tf.lookup.experimental.DenseHashTable``: like ``MutableHashTable`` with reserved empty/deleted keys.

    ``export`` returns the stored entries only (TF returns its whole bucket array, empty buckets
    holding ``empty_key``)."""

    def __init__(self, key_dtype, value_dtype, default_value, empty_key, deleted_key, initial_num_buckets=None,
                 name="MutableDenseHashTable", checkpoint=True, experimental_is_anonymous=False):
        super().__init__(key_dtype, value_dtype, default_value, name)
        self._empty_key = _np(tensor_lib.convert_to_tensor(empty_key, dtype=self._key_dtype))
        self._deleted_key = _np(tensor_lib.convert_to_tensor(deleted_key, dtype=self._key_dtype))
        if np.array_equal(self._empty_key, self._deleted_key):
            raise errors.invalid_argument("MutableDenseHashTableV2", "Empty and deleted keys must differ")

    def _check_reserved(self, ks, op):
        if np.any(ks == self._empty_key[()]):
            raise errors.invalid_argument(op, "Using the empty_key as a table key is not allowed")
        if np.any(ks == self._deleted_key[()]):
            raise errors.invalid_argument(op, "Using the deleted_key as a table key is not allowed")

    def lookup(self, keys, name=None):
        self._eager("lookup")
        keys = tensor_lib.convert_to_tensor(keys, dtype=self._key_dtype)
        ks = _np(keys)
        self._check_reserved(ks, "LookupTableFindV2")
        return _wrap(self._store.find(ks, _np(self._default_value)))

    def insert_or_assign(self, keys, values, name=None):
        keys = tensor_lib.convert_to_tensor(keys, dtype=self._key_dtype)
        self._eager("insert")
        self._check_reserved(_np(keys), "LookupTableInsertV2")
        self._insert(keys, values, "LookupTableInsertV2")

    def insert(self, keys, values, name=None):
        return self.insert_or_assign(keys, values, name)

    def erase(self, keys, name=None):
        self._eager("erase")
        if keys.dtype != self._key_dtype:
            raise TypeError(f"Signature mismatch. Keys must be dtype {self._key_dtype}, got {keys.dtype}.")
        ks = _np(keys)
        self._check_reserved(ks, "LookupTableRemoveV2")
        self._store.remove_many(ks)

    def remove(self, keys, name=None):
        return self.erase(keys, name)
