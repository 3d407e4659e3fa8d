"""``tf.io.parse_example`` & co.: feature configs and Example / SequenceExample parsing.

Parsing runs on the host. Records whose wire layout matches a cached template
take the vectorised numpy path of ``example_fast.py``; every other record goes
through the protobuf message classes of ``example.py`` (the general path, which
also produces every error). Results are tfjax Tensors (dense features) and
``tf.SparseTensor`` (VarLenFeature).
"""

from __future__ import annotations

import collections

import numpy as np

from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src import tensor as tensor_lib
from tfjax._src.io import example_fast
from tfjax._src.io import host
from tfjax._src.io.example import Example, SequenceExample
from tfjax._src.sparse_tensor import SparseTensor
from tfjax._src.tensor_shape import TensorShape

_KIND = {dtypes.float32: "float_list", dtypes.int64: "int64_list", dtypes.string: "bytes_list"}
_KIND_DTYPE = {"float_list": "float", "int64_list": "int64", "bytes_list": "string"}

_TF_NAME = {dtypes.float32: "float", dtypes.int64: "int64", dtypes.string: "string"}
_NP = {dtypes.float32: np.float32, dtypes.int64: np.int64, dtypes.string: object}


def _check_dtype(dtype, what):
    d = dtypes.as_dtype(dtype)
    if d not in _KIND:
        raise ValueError(f"Unsupported {what} dtype: {d.name}. Supported: float32, int64, string.")
    return d


class FixedLenFeature(collections.namedtuple("FixedLenFeature", ["shape", "dtype", "default_value"])):
    """``tf.io.FixedLenFeature(shape, dtype, default_value=None)``."""

    def __new__(cls, shape, dtype, default_value=None):
        return super().__new__(cls, shape, dtype, default_value)


class FixedLenSequenceFeature(collections.namedtuple(
        "FixedLenSequenceFeature", ["shape", "dtype", "allow_missing", "default_value"])):
    """``tf.io.FixedLenSequenceFeature(shape, dtype, allow_missing=False, default_value=None)``."""

    def __new__(cls, shape, dtype, allow_missing=False, default_value=None):
        return super().__new__(cls, shape, dtype, allow_missing, default_value)


class VarLenFeature(collections.namedtuple("VarLenFeature", ["dtype"])):
    """``tf.io.VarLenFeature(dtype)``: parsed as a ``tf.SparseTensor``."""


class SparseFeature(collections.namedtuple("SparseFeature",
                                           ["index_key", "value_key", "dtype", "size", "already_sorted"])):
    def __new__(cls, index_key, value_key, dtype, size, already_sorted=False):
        raise errors.unsupported("tf.io.SparseFeature", "use VarLenFeature for the index and value keys")


class RaggedFeature(collections.namedtuple(
        "RaggedFeature", ["dtype", "value_key", "partitions", "row_splits_dtype", "validate"])):
    """``tf.io.RaggedFeature``: a feature's value list per Example, batched as a ``tf.RaggedTensor``.

    Parsed as a ``VarLenFeature`` of ``value_key`` (default: the feature's own key) whose rows
    become the ragged rows. Nested ``partitions`` are not supported.
    """

    RowSplits = collections.namedtuple("RowSplits", ["key"])
    RowLengths = collections.namedtuple("RowLengths", ["key"])
    RowStarts = collections.namedtuple("RowStarts", ["key"])
    RowLimits = collections.namedtuple("RowLimits", ["key"])
    ValueRowIds = collections.namedtuple("ValueRowIds", ["key"])
    UniformRowLength = collections.namedtuple("UniformRowLength", ["length"])

    def __new__(cls, dtype, value_key=None, partitions=(), row_splits_dtype=dtypes.int32, validate=False):
        d = dtypes.as_dtype(dtype)
        if d not in _KIND:
            raise ValueError(f"Argument `dtype` must be int64, float32, or bytes; got {d!r}")
        rsd = dtypes.as_dtype(row_splits_dtype)
        if rsd not in (dtypes.int32, dtypes.int64):
            raise ValueError(f"Argument `row_splits_dtype` must be int32 or int64; got {rsd!r}")
        if value_key is not None and not isinstance(value_key, str):
            raise ValueError(f"Argument `value_key` must be a string; got {value_key!r}")
        if partitions:
            raise errors.unsupported("tf.io.RaggedFeature(partitions=...)",
                                     "only flat ragged features (one value list per Example) are parsed")
        return super().__new__(cls, d, value_key, tuple(partitions), rsd, validate)


def _without_ragged(features):
    """Splits ``features`` into the non-ragged part and {key: (source key, RaggedFeature)}."""
    ragged = {k: (c.value_key or k, c) for k, c in features.items() if isinstance(c, RaggedFeature)}
    if not ragged:
        return features, {}
    return {k: c for k, c in features.items() if not isinstance(c, RaggedFeature)}, ragged


def _ragged_sources(ragged):
    sources, split_types = {}, {}
    for _, (src, cfg) in ragged.items():
        prev = sources.setdefault(src, VarLenFeature(cfg.dtype))
        if prev.dtype != cfg.dtype:
            raise ValueError(f"Conflicting type {prev.dtype!r} vs {cfg.dtype!r} for feature {src}.")
        prev_split = split_types.setdefault(src, cfg.row_splits_dtype)
        if prev_split != cfg.row_splits_dtype:
            raise ValueError(f"Conflicting partition type {prev_split!r} vs {cfg.row_splits_dtype!r} "
                             f"for feature {src}.")
    return sources


def _tf_rank(key, cfg):
    """TF's result order: sparse (VarLen) keys, then dense keys, then ragged keys, each sorted."""
    return (0 if isinstance(cfg, VarLenFeature) else 2 if isinstance(cfg, RaggedFeature) else 1, key)


def _tf_order(features, out):
    return {k: out[k] for k in sorted(out, key=lambda k: _tf_rank(k, features[k]))}


def _ragged_from_sparse(sp, row_splits_dtype):
    """A batched VarLen result -> RaggedTensor with the same rows (indices are row-major)."""
    from tfjax._src.ragged.ragged_tensor import RaggedTensor  # noqa: PLC0415
    idx = np.asarray(sp.indices._value)
    nrows = int(np.asarray(sp.dense_shape._value)[0])
    lengths = np.bincount(idx[:, 0], minlength=nrows) if len(idx) else np.zeros(nrows, np.int64)
    splits = np.zeros(nrows + 1, row_splits_dtype.as_numpy_dtype)
    np.cumsum(lengths, out=splits[1:])
    return RaggedTensor.from_row_splits(sp.values, _wrap(splits), validate=False)


def _as_host(x):
    if isinstance(x, tensor_lib.Tensor):
        return x._value if isinstance(x._value, np.ndarray) else np.asarray(x._value)
    if isinstance(x, (bytes, str)):
        return tensor_lib._to_string_array(x)
    arr = np.asarray(x, dtype=object) if isinstance(x, (list, tuple)) else np.asarray(x)
    if arr.dtype.kind in "OSU":
        return tensor_lib._to_string_array(arr)
    return arr


def _wrap(arr):
    return host.wrap(np.asarray(arr))


def _values(fmap, key, dtype, op):
    return _feature_values(fmap[key], key, dtype, op)


def _feature_values(feat, key, dtype, op):
    """Values of one Feature proto as a numpy array of ``dtype``; type checked like TF."""
    kind = feat.WhichOneof("kind")
    if kind is None:
        return np.zeros(0, dtype=_NP[dtype])
    if kind != _KIND[dtype]:
        raise errors.InvalidArgumentError(
            f"Key: {key}.  Data types don't match. Data type: {_KIND_DTYPE[kind]} but expected type: "
            f"{_TF_NAME[dtype]} [Op:{op}]")
    vals = getattr(feat, kind).value
    if dtype is dtypes.string:
        arr = np.empty(len(vals), dtype=object)
        arr[:] = list(vals)
        return arr
    return np.array(vals, dtype=_NP[dtype])


def _default_array(cfg, key):
    shape = [int(d) for d in TensorShape(cfg.shape).as_list()]
    dv = cfg.default_value
    if isinstance(dv, tensor_lib.Tensor):
        dv = dv.numpy()
    if cfg.dtype == dtypes.string or dtypes.as_dtype(cfg.dtype) == dtypes.string:
        arr = tensor_lib._to_string_array(np.array(dv, dtype=object))
    else:
        arr = np.asarray(dv, dtype=_NP[dtypes.as_dtype(cfg.dtype)])
    n = int(np.prod(shape)) if shape else 1
    if arr.size == n:
        return arr.reshape(shape)
    if arr.size == 1:
        return np.broadcast_to(arr.reshape(()), shape).copy()
    raise ValueError(f"Invalid default_value for feature {key}: {arr.size} values for shape {shape}.")


def _parse_features_map(features):
    out = {}
    for key, cfg in features.items():
        if isinstance(cfg, (FixedLenFeature, FixedLenSequenceFeature, VarLenFeature)):
            _check_dtype(cfg.dtype, "feature")
            out[key] = cfg
        else:
            raise TypeError(f"Unsupported feature configuration for key {key!r}: {cfg!r}.")
    return out


def _example_features(serialized_bytes, op, index):
    return _proto_features(serialized_bytes, op, index)


def _proto_features(serialized_bytes, op, index):
    try:
        ex = Example.FromString(serialized_bytes)
    except Exception:  # noqa: BLE001 - protobuf DecodeError and friends
        raise errors.InvalidArgumentError(
            f"Could not parse example input, value: '{serialized_bytes[:64]!r}' [Op:{op}]") from None
    return ex.features.feature


def _dims(shape):
    if isinstance(shape, (list, tuple)) and all(type(d) is int for d in shape):
        return list(shape)
    return TensorShape(shape).as_list()


def _dense_one(fmap, key, cfg, op):
    dtype = dtypes.as_dtype(cfg.dtype)
    if key not in fmap:
        # TF treats an empty default (e.g. [] for shape [0]) as no default: the feature is required
        default = None if cfg.default_value is None else _default_array(cfg, key)
        if default is None or default.size == 0:
            raise errors.InvalidArgumentError(
                f"Feature: {key} (data type: {_TF_NAME[dtype]}) is required but could not be found. [Op:{op}]")
        return default
    vals = _values(fmap, key, dtype, op)
    dims = _dims(cfg.shape)
    n = 1
    for d in dims:
        n *= d
    if vals.size != n:
        raise errors.InvalidArgumentError(
            f"Key: {key}.  Can't parse serialized Example: expected {n} values for shape {dims}, got "
            f"{vals.size}. [Op:{op}]")
    return vals.reshape(dims)


def _seq_one(fmap, key, cfg, op):
    dtype = dtypes.as_dtype(cfg.dtype)
    inner = TensorShape(cfg.shape).as_list()
    n = int(np.prod(inner)) if inner else 1
    if key not in fmap:
        if not cfg.allow_missing:
            raise errors.InvalidArgumentError(
                f"Feature: {key} (data type: {dtype.name}) is required but could not be found. [Op:{op}]")
        return np.zeros([0] + inner, dtype=_NP[dtype])
    vals = _values(fmap, key, dtype, op)
    if n == 0 or vals.size % n:
        raise errors.InvalidArgumentError(
            f"Key: {key}, Index: 0.  Number of values is not a multiple of the shape {inner}. [Op:{op}]")
    return vals.reshape([vals.size // n] + inner)


def _pad_stack(arrs, dtype, default):
    mx = max((a.shape[0] for a in arrs), default=0)
    inner = arrs[0].shape[1:] if arrs else ()
    if dtype == dtypes.string:
        fill = b"" if default is None else tensor_lib._to_string_array(np.array(default, dtype=object))[()]
        out = np.full((len(arrs), mx) + tuple(inner), fill, dtype=object)
    else:
        fill = 0 if default is None else np.asarray(default).reshape(-1)[0]
        out = np.full((len(arrs), mx) + tuple(inner), fill, dtype=_NP[dtype])
    for i, a in enumerate(arrs):
        out[i, :a.shape[0]] = a
    return out


def _sparse_from_lists(lists, dtype, batched):
    np_dtype = np.dtype(_NP[dtype])
    if batched:
        counts = np.fromiter(map(len, lists), np.int64, len(lists))
        total = int(counts.sum())
        starts = np.cumsum(counts) - counts
        idx = np.empty((total, 2), np.int64)
        idx[:, 0] = np.repeat(np.arange(len(lists), dtype=np.int64), counts)
        idx[:, 1] = np.arange(total, dtype=np.int64) - np.repeat(starts, counts)
        vals = np.concatenate(lists) if lists else np.zeros(0, np_dtype)
        shape = np.array([len(lists), int(counts.max()) if len(lists) else 0], np.int64)
    else:
        vals = lists[0]
        idx = np.arange(len(vals), dtype=np.int64).reshape(-1, 1)
        shape = np.array([len(vals)], np.int64)
    if vals.dtype != np_dtype:
        vals = vals.astype(np_dtype)
    # the three arrays are consistent by construction: skip SparseTensor's argument conversion
    # and checks (~60 us, more than the parse itself for one Example)
    sp = SparseTensor.__new__(SparseTensor)
    sp._indices, sp._values, sp._dense_shape = _wrap(idx), _wrap(vals), _wrap(shape)
    return sp


def _serialized_list(serialized):
    arr = _as_host(serialized)
    if arr.dtype != object:
        raise TypeError(f"Expected string serialized examples, got {arr.dtype}.")
    return arr


def _dense_batch(fmaps, key, cfg, dtype, op):
    """One FixedLenFeature over a batch, written row by row into a preallocated array."""
    dims = _dims(cfg.shape)
    n = 1
    for d in dims:
        n *= d
    kind = _KIND[dtype]
    out = np.empty((len(fmaps), n), dtype=_NP[dtype])
    default = None
    for i, fm in enumerate(fmaps):
        if key in fm:
            feat = fm[key]
            k = feat.WhichOneof("kind")
            if k == kind:
                vals = getattr(feat, kind).value
                if len(vals) == n:
                    out[i] = vals
                    continue
            out[i] = _dense_one(fm, key, cfg, op).reshape(-1)  # raises TF's error, or handles empty
        else:
            if default is None:
                default = _dense_one(fm, key, cfg, op).reshape(-1)
            out[i] = default
    return out.reshape([len(fmaps)] + dims)


class _Prepared:
    """A validated feature spec with per-feature facts the fast path needs."""

    __slots__ = ("cfgs", "items", "snapshot")

    def __init__(self, features):
        # In TF's result order (sparse, dense, ragged keys, each sorted), so results are built
        # in that order at no cost per call.
        cfgs = _parse_features_map(features)
        self.cfgs = {k: cfgs[k] for k in sorted(cfgs, key=lambda k: _tf_rank(k, cfgs[k]))}
        self.snapshot = [(k, id(v)) for k, v in features.items()]
        items = []
        for key, cfg in self.cfgs.items():
            dtype = dtypes.as_dtype(cfg.dtype)
            dims = _dims(cfg.shape) if not isinstance(cfg, VarLenFeature) else None
            n = None
            if dims is not None and None not in dims:
                n = 1
                for d in dims:
                    n *= d
            default = None
            if isinstance(cfg, FixedLenFeature) and cfg.default_value is not None:
                try:
                    default = _default_array(cfg, key).reshape(-1)
                except Exception:  # noqa: BLE001 - the general path raises it where TF would
                    default = None
                if default is not None and default.size == 0:
                    default = None  # required, as in TF (see _dense_one)
            items.append((key, cfg, dtype, dims, n, _KIND[dtype], default))
        self.items = items


_PREPARED: dict = {}  # id(features) → (features, _Prepared)
_PREPARED_BY_CONTENT: dict = {}  # frozen spec → _Prepared, for a spec dict built anew per call


def _freeze(v):
    if isinstance(v, (list, tuple)):
        return tuple(_freeze(x) for x in v)
    if v is None or isinstance(v, (int, float, str, bytes, dtypes.DType)):
        return v
    raise TypeError  # arrays, Tensors, ...: not cached by content


def _prepare(features):
    """``_Prepared`` for ``features``: cached by identity (a map function usually closes over
    one spec dict), else by content when the spec is made of plain values."""
    ent = _PREPARED.get(id(features))
    if ent is not None and ent[0] is features and ent[1].snapshot == [(k, id(v)) for k, v in features.items()]:
        return ent[1]
    try:
        key = tuple((k, type(v), _freeze(tuple(v))) for k, v in features.items())
        prep = _PREPARED_BY_CONTENT.get(key)
    except TypeError:
        key = prep = None
    if prep is None:
        prep = _Prepared(features)
        if key is not None:
            if len(_PREPARED_BY_CONTENT) > 64:
                _PREPARED_BY_CONTENT.clear()
            _PREPARED_BY_CONTENT[key] = prep
    if len(_PREPARED) > 64:
        _PREPARED.clear()
    _PREPARED[id(features)] = (features, prep)  # holding `features` keeps its id from being reused
    return prep


def _layout_ok(layout, prep):
    """Whether every requested feature of records with ``layout`` parses without error (else the
    general path handles those records, and raises TF's error). Cached on the layout."""
    ok = layout.spec_ok.get(prep)
    if ok is None:
        if len(layout.spec_ok) > 32:
            layout.spec_ok.clear()
        ok = layout.spec_ok[prep] = _check_layout(layout, prep)
    return ok


def _check_layout(layout, prep):
    feats = layout.features
    for key, cfg, dtype, dims, n, kind, default in prep.items:
        f = feats.get(key)
        if f is None:
            if type(cfg) is FixedLenFeature and default is None:
                return False
            continue
        if f[0] != kind:
            return False
        count = f[-1]
        if type(cfg) is FixedLenFeature:
            if count != n:
                return False
        elif type(cfg) is FixedLenSequenceFeature:
            if not n or count % n:
                return False
    return True


def _fast_single(rec, prep):
    """``parse_single_example`` from a template match, or None (general path)."""
    layout = example_fast.match_one(rec)
    if layout is None or not _layout_ok(layout, prep):
        return None
    out = {}
    values_one = example_fast.values_one
    for key, cfg, dtype, dims, n, kind, default in prep.items:
        present = key in layout.features
        t = type(cfg)
        if t is FixedLenFeature:
            vals = values_one(layout, rec, key) if present else default.copy()
            out[key] = host.wrap(vals.reshape(dims))
        elif t is FixedLenSequenceFeature:
            if not cfg.allow_missing:
                return None
            vals = values_one(layout, rec, key) if present else np.zeros(0, _NP[dtype])
            out[key] = host.wrap(vals.reshape([-1] + dims))
        else:
            vals = values_one(layout, rec, key) if present else np.zeros(0, _NP[dtype])
            out[key] = _sparse_from_lists([vals], dtype, batched=False)
    return out


def _rows_of(groups, key, dtype):
    """Per-row value arrays of ``key`` from the fast groups: yields (row, values)."""
    for layout, rows, block in groups:
        if key in layout.features:
            yield from zip(rows.tolist(), example_fast.values_block(layout, block, key))
        else:
            empty = np.zeros(0, _NP[dtype])
            for r in rows.tolist():
                yield r, empty


def parse_example(serialized, features, example_names=None, name=None):
    """``tf.io.parse_example``: a batch (vector) of serialized Examples → dict of batched values."""
    if not features:
        raise ValueError("Must provide at least one feature key.")
    plain, ragged = _without_ragged(features)
    if ragged:
        out = _parse_example(serialized, plain) if plain else {}
        parsed = _parse_example(serialized, _ragged_sources(ragged))
        for key, (src, cfg) in ragged.items():
            out[key] = _ragged_from_sparse(parsed[src], cfg.row_splits_dtype)
        return _tf_order(features, out)
    return _parse_example(serialized, features)


def _parse_example(serialized, features):
    op = "ParseExampleV2"
    prep = _prepare(features)
    arr = _serialized_list(serialized)
    if arr.ndim != 1:
        raise ValueError(f"Shape {TensorShape(arr.shape)} must have rank 1 (serialized examples batch).")
    for key, cfg, *_ in prep.items:
        if type(cfg) is FixedLenSequenceFeature and not cfg.allow_missing:
            raise ValueError(f"Unsupported: FixedLenSequenceFeature requires allow_missing to be True "
                             f"for parse_example (feature {key}).")
    records = arr.tolist()
    nb = len(records)
    groups, fb = example_fast.match_batch(records) if nb else ([], np.zeros(0, np.intp))
    ok_groups = []
    for g in groups:
        if _layout_ok(g[0], prep):
            ok_groups.append(g)
        else:
            fb = np.concatenate([fb, g[1]])
    fb = np.sort(fb).tolist()
    # records the templates did not cover: the general path, which raises the first error in
    # record order (template-matched records cannot fail)
    fmaps = [_example_features(records[i], op, i) for i in fb]
    out = {}
    for key, cfg, dtype, dims, n, kind, default in prep.items:
        if type(cfg) is FixedLenFeature:
            if not fb and len(ok_groups) == 1 and key in ok_groups[0][0].features \
                    and len(ok_groups[0][1]) == nb:
                # one layout for the whole batch (rows in order): the extracted block is the result
                layout, rows, block = ok_groups[0]
                out[key] = _wrap(example_fast.values_block(layout, block, key).reshape([nb] + dims))
                continue
            dense = np.empty((nb, n), dtype=_NP[dtype])
            for layout, rows, block in ok_groups:
                if key in layout.features:
                    dense[rows] = example_fast.values_block(layout, block, key)
                else:
                    dense[rows] = default
            if fb:
                dense[fb] = _dense_batch(fmaps, key, cfg, dtype, op).reshape(len(fb), n)
            out[key] = _wrap(dense.reshape([nb] + dims))
            continue
        per_row = [None] * nb
        for r, v in _rows_of(ok_groups, key, dtype):
            per_row[r] = v
        if type(cfg) is FixedLenSequenceFeature:
            inner = TensorShape(cfg.shape).as_list()
            for r in range(nb):
                if per_row[r] is not None:
                    per_row[r] = per_row[r].reshape([-1] + inner)
            for i, fm in zip(fb, fmaps):
                per_row[i] = _seq_one(fm, key, cfg, op)
            if not per_row:
                vals_arr = np.zeros([0, 0] + inner, _NP[dtype])
            else:
                vals_arr = _pad_stack(per_row, dtype, cfg.default_value)
            out[key] = _wrap(vals_arr)
        else:
            for i, fm in zip(fb, fmaps):
                per_row[i] = _values(fm, key, dtype, op) if key in fm else np.zeros(0, _NP[dtype])
            out[key] = _sparse_from_lists(per_row, dtype, batched=True)
    return out


def parse_single_example(serialized, features, example_names=None, name=None):
    """``tf.io.parse_single_example``: one serialized Example (scalar string) → dict."""
    if not features:
        raise ValueError("Must provide at least one feature key.")
    plain, ragged = _without_ragged(features)
    if ragged:
        # One Example's ragged feature has a single row: TF returns it as a plain 1-D Tensor.
        out = _parse_single_example(serialized, plain) if plain else {}
        parsed = _parse_single_example(serialized, _ragged_sources(ragged))
        for key, (src, _) in ragged.items():
            out[key] = parsed[src].values
        return _tf_order(features, out)
    return _parse_single_example(serialized, features)


def _parse_single_example(serialized, features):
    op = "ParseExampleV2"
    prep = _prepare(features)
    cfgs = prep.cfgs
    arr = _serialized_list(serialized)
    if arr.ndim != 0:
        raise ValueError(f"Input serialized must be a scalar; got shape {TensorShape(arr.shape)}.")
    rec = arr[()]
    out = _fast_single(rec, prep)
    if out is not None:
        return out
    fm = _example_features(rec, op, 0)
    out = {}
    for key, cfg in cfgs.items():
        dtype = dtypes.as_dtype(cfg.dtype)
        if isinstance(cfg, FixedLenFeature):
            out[key] = _wrap(_dense_batch([fm], key, cfg, dtype, op)[0, ...])
        elif isinstance(cfg, FixedLenSequenceFeature):
            if not cfg.allow_missing:
                raise ValueError(f"Unsupported: FixedLenSequenceFeature requires allow_missing to be True "
                                 f"for parse_single_example (feature {key}).")
            out[key] = _wrap(_seq_one(fm, key, cfg, op))
        else:
            vals = _values(fm, key, dtype, op) if key in fm else np.zeros(0, _NP[dtype])
            out[key] = _sparse_from_lists([vals], dtype, batched=False)
    return out


# ---------------------------------------------------------------------------
# SequenceExample
# ---------------------------------------------------------------------------

def _parse_seq_proto(s, op):
    try:
        return SequenceExample.FromString(s)
    except Exception:  # noqa: BLE001
        raise errors.InvalidArgumentError(
            f"Could not parse example input, value: '{s[:64]!r}' [Op:{op}]") from None


def _feature_list_values(flist, key, cfg, op):
    """A FeatureList → (dense [T, *shape] array, list-of-per-step arrays)."""
    dtype = dtypes.as_dtype(cfg.dtype)
    steps = [_feature_values(f, key, dtype, op) for f in flist.feature]
    return steps


def _sequence_outputs(seq_msgs, sequence_features, op, batched):
    seq_out, lengths = {}, {}
    for key, cfg in sequence_features.items():
        dtype = dtypes.as_dtype(cfg.dtype)
        per_example = []
        for m in seq_msgs:
            fl = m.feature_lists.feature_list
            if key in fl:
                per_example.append(_feature_list_values(fl[key], key, cfg, op))
            else:
                if isinstance(cfg, FixedLenSequenceFeature) and not cfg.allow_missing:
                    raise errors.InvalidArgumentError(
                        f"Name: <unknown>, Feature list '{key}' is required but could not be found.  Did "
                        f"you mean to include it in feature_list_dense_missing_assumed_empty or "
                        f"feature_list_dense_defaults? [Op:{op}]")
                per_example.append([])
        if isinstance(cfg, FixedLenSequenceFeature):
            inner = TensorShape(cfg.shape).as_list()
            n = int(np.prod(inner)) if inner else 1
            dense = []
            for steps in per_example:
                for t, v in enumerate(steps):
                    if v.size != n:
                        raise errors.InvalidArgumentError(
                            f"Name: <unknown>, Key: {key}, Index: {t}.  Number of {dtype.name} values != "
                            f"expected.  values size: {v.size} but output shape: {inner} [Op:{op}]")
                dense.append(np.stack([v.reshape(inner) for v in steps]) if steps
                             else np.zeros([0] + inner, _NP[dtype]))
            lengths[key] = np.array([d.shape[0] for d in dense], np.int64)
            seq_out[key] = _wrap(_pad_stack(dense, dtype, cfg.default_value) if batched else dense[0])
        elif isinstance(cfg, VarLenFeature):
            idx, vals = [], []
            maxt = max((len(s) for s in per_example), default=0)
            maxv = max((len(v) for s in per_example for v in s), default=0)
            for b, steps in enumerate(per_example):
                for t, v in enumerate(steps):
                    for j in range(len(v)):
                        idx.append(([b] if batched else []) + [t, j])
                    vals.append(v)
            rank = 3 if batched else 2
            idx_arr = np.array(idx, np.int64).reshape(-1, rank)
            val_arr = np.concatenate(vals).astype(_NP[dtype]) if vals else np.zeros(0, _NP[dtype])
            shape = ([len(per_example)] if batched else []) + [maxt, maxv]
            seq_out[key] = SparseTensor(_wrap(idx_arr), _wrap(val_arr), _wrap(np.array(shape, np.int64)))
            lengths[key] = np.array([len(s) for s in per_example], np.int64)
        else:
            raise TypeError(f"Unsupported sequence feature configuration for key {key!r}: {cfg!r}.")
    return seq_out, lengths


def parse_sequence_example(serialized, context_features=None, sequence_features=None,
                           example_names=None, name=None):
    """``tf.io.parse_sequence_example``: batch → (context, feature_lists, lengths)."""
    op = "ParseSequenceExampleV2"
    context_features = _parse_features_map(context_features or {})
    sequence_features = _parse_features_map(sequence_features or {})
    if not context_features and not sequence_features:
        raise ValueError("Must provide at least one context_feature or sequence_feature key.")
    arr = _serialized_list(serialized)
    if arr.ndim != 1:
        raise ValueError(f"Shape {TensorShape(arr.shape)} must have rank 1 (serialized batch).")
    msgs = [_parse_seq_proto(s, op) for s in arr.tolist()]
    ctx = {}
    for key, cfg in context_features.items():
        dtype = dtypes.as_dtype(cfg.dtype)
        fms = [m.context.feature for m in msgs]
        if isinstance(cfg, FixedLenFeature):
            ctx[key] = _wrap(np.stack([_dense_one(fm, key, cfg, op) for fm in fms]) if fms
                             else np.zeros([0] + TensorShape(cfg.shape).as_list(), _NP[dtype]))
        elif isinstance(cfg, VarLenFeature):
            ctx[key] = _sparse_from_lists([_feature_values(fm[key], key, dtype, op) if key in fm
                                           else np.zeros(0, _NP[dtype]) for fm in fms], dtype, True)
        else:
            raise TypeError(f"Unsupported context feature configuration for key {key!r}.")
    seq, lengths = _sequence_outputs(msgs, sequence_features, op, batched=True)
    lengths = {k: _wrap(v) for k, v in lengths.items() if isinstance(sequence_features[k], FixedLenSequenceFeature)}
    return ctx, seq, lengths


def parse_single_sequence_example(serialized, context_features=None, sequence_features=None,
                                  example_name=None, name=None):
    """``tf.io.parse_single_sequence_example``: scalar → (context, feature_lists)."""
    op = "ParseSequenceExampleV2"
    context_features = _parse_features_map(context_features or {})
    sequence_features = _parse_features_map(sequence_features or {})
    if not context_features and not sequence_features:
        raise ValueError("Must provide at least one context_feature or sequence_feature key.")
    arr = _serialized_list(serialized)
    if arr.ndim != 0:
        raise ValueError(f"Input serialized must be a scalar; got shape {TensorShape(arr.shape)}.")
    msg = _parse_seq_proto(arr[()], op)
    ctx = {}
    fm = msg.context.feature
    for key, cfg in context_features.items():
        dtype = dtypes.as_dtype(cfg.dtype)
        if isinstance(cfg, FixedLenFeature):
            ctx[key] = _wrap(_dense_one(fm, key, cfg, op))
        elif isinstance(cfg, VarLenFeature):
            vals = _feature_values(fm[key], key, dtype, op) if key in fm else np.zeros(0, _NP[dtype])
            ctx[key] = _sparse_from_lists([vals], dtype, batched=False)
        else:
            raise TypeError(f"Unsupported context feature configuration for key {key!r}.")
    seq, _ = _sequence_outputs([msg], sequence_features, op, batched=False)
    return ctx, seq
