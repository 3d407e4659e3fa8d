"""``Dataset.save`` / ``Dataset.load`` in TensorFlow's snapshot format (see snapshot_format.py).

TF loads what tfjax saved and tfjax loads what TF saved. Differences from TF's writer:
tfjax writes the whole directory under a temporary name and renames it into place when
complete (TF writes in place and adds a new run directory next to any old one), so a
crash never leaves a partial save at ``path``.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import shutil
import tempfile
import time

import numpy as np

from tfjax._src import errors
from tfjax._src.data import snapshot_format as fmt
from tfjax._src.data import snapshot_records
from tfjax._src.data import structure
from tfjax._src.data.dataset import DatasetV2
from tfjax._src.io.gfile import as_path


def _shard_index(shard_func, elem) -> int:
    out = structure.call_fn(shard_func, elem)
    arr = np.asarray(structure.host(structure.to_leaf(out)))
    if arr.size != 1 or arr.dtype != np.int64:
        raise errors.InvalidArgumentError("`shard_func` must return a scalar int64.")
    return int(arr.reshape(()))


def _write_metadata(directory, run_id, dtype_enums, num_elements, finalized):
    m = fmt.SnapshotMetadataRecord()
    m.run_id = run_id
    m.creation_timestamp = int(time.time() * 1e6)
    m.version = fmt.FILE_FORMAT_VERSION
    m.dtype.extend(dtype_enums)
    m.num_elements = num_elements
    m.finalized = finalized
    with open(os.path.join(directory, fmt.METADATA_FILENAME), "wb") as f:
        f.write(m.SerializeToString())


def save(dataset, path, compression=None, shard_func=None, checkpoint_args=None):
    if checkpoint_args is not None:
        raise errors.unsupported("Dataset.save(checkpoint_args=...)")
    path = as_path(path)
    comp = snapshot_records.compression_name(compression)
    spec = dataset.element_spec
    spec_bytes = fmt.encode_element_spec(spec)
    dtype_enums = [fmt.component_dtype_enum(s) for s in fmt.flat_specs(spec)]
    parent = os.path.dirname(os.path.abspath(path))
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="." + os.path.basename(path) + ".tmp", dir=parent)
    try:
        run_id = str(random.getrandbits(64))
        run_dir = os.path.join(tmp, run_id)
        os.makedirs(run_dir)
        with open(os.path.join(tmp, fmt.DATASET_SPEC_FILENAME), "wb") as f:
            f.write(spec_bytes)
        writers = {}
        count = 0
        for elem in dataset._elements():
            k = 0 if shard_func is None else _shard_index(shard_func, elem)
            w = writers.get(k)
            if w is None:
                shard_dir = os.path.join(run_dir, f"{k & 0xFFFFFFFFFFFFFFFF:08d}.shard")
                os.makedirs(shard_dir)
                w = snapshot_records.open_writer(os.path.join(shard_dir, "00000000.snapshot"), comp)
                writers[k] = w
            for leaf in (structure.flatten(elem) if structure.is_nested(elem) else [elem]):
                w.write(fmt.encode_component(leaf))
            count += 1
        for w in writers.values():
            w.close()
        _write_metadata(tmp, run_id, dtype_enums, count, True)
        _replace_dir(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _replace_dir(src, dest):
    """Moves the finished save into place; an old directory at ``dest`` is moved aside first
    and deleted only after the new one is in place."""
    old = None
    if os.path.lexists(dest):
        old = tempfile.mkdtemp(prefix="." + os.path.basename(dest) + ".old", dir=os.path.dirname(src))
        os.rmdir(old)
        os.replace(dest, old)
    os.replace(src, dest)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


# ---------------------------------------------------------------------------
# load
# ---------------------------------------------------------------------------

class _ShardDataset(DatasetV2):
    """The elements of one ``<n>.shard`` directory: its ``<k>.snapshot`` files in order."""

    _tf_name = "_SnapshotShardDataset"

    def __init__(self, shard_dir, comp, spec):
        super().__init__()
        self._dir, self._comp, self._spec_cache = shard_dir, comp, spec
        self._flat = fmt.flat_specs(spec)

    def _compute_spec(self):
        return self._spec_cache

    def _iter(self):
        n = len(self._flat)
        spec, flat = self._spec_cache, self._flat
        nested = structure.is_nested(spec) or isinstance(spec, list)
        k = 0
        while True:
            f = os.path.join(self._dir, f"{k:08d}.snapshot")
            if not os.path.exists(f):
                return
            comps = []
            for rec in snapshot_records.read_records(f, self._comp):
                comps.append(fmt.decode_component(rec, flat[len(comps)]))
                if len(comps) == n:
                    yield fmt.pack(spec, comps) if nested else comps[0]
                    comps = []
            if comps:
                raise errors.DataLossError(f"{f}: the last element is truncated.")
            k += 1


class _DatasetOfDatasets(DatasetV2):
    _tf_name = "_SnapshotNestedDataset"

    def __init__(self, datasets, spec):
        super().__init__()
        self._ds = datasets
        self._elem_spec = spec

    def _card(self):
        return len(self._ds)

    def _compute_spec(self):
        from tfjax._src.data.dataset import DatasetSpec  # noqa: PLC0415
        return DatasetSpec(self._elem_spec)

    def _iter(self):
        return iter(self._ds)


def _default_reader(datasets):
    from tfjax._src.data.dataset import AUTOTUNE  # noqa: PLC0415
    return datasets.interleave(lambda x: x, cycle_length=multiprocessing.cpu_count(),
                               num_parallel_calls=AUTOTUNE)


class _LoadDataset(DatasetV2):
    _tf_name = "_LoadDataset"

    def __init__(self, path, meta, element_spec, compression, reader_func):
        super().__init__()
        self._path = path
        self._meta = meta
        self._spec_cache = element_spec
        self._comp = snapshot_records.compression_name(compression)
        self._reader = reader_func if reader_func is not None else _default_reader

    def _compute_spec(self):
        return self._spec_cache

    def _card(self):
        # TF reports the count recorded at save time, whatever reader_func does.
        return int(self._meta.num_elements)

    def _iter(self):
        run_dir = os.path.join(self._path, self._meta.run_id)
        try:
            names = sorted(n for n in os.listdir(run_dir) if n.endswith(".shard"))
        except FileNotFoundError:
            names = []
        spec = self._spec_cache
        shards = [_ShardDataset(os.path.join(run_dir, n), self._comp, spec) for n in names]
        out = self._reader(_DatasetOfDatasets(shards, spec))
        if not isinstance(out, DatasetV2):
            raise TypeError("`reader_func` must return a Dataset.")
        yield from out._elements()


def load(path, element_spec=None, compression=None, reader_func=None):
    path = as_path(path)
    if os.path.exists(os.path.join(path, "dataset_spec.pkl")):
        raise errors.UnimplementedError(
            f"{path} was written by an older tfjax in a pickle-based format, which tfjax no "
            "longer reads (loading pickles can run arbitrary code). Re-save it with this version.")
    if element_spec is None:
        spec_file = os.path.join(path, fmt.DATASET_SPEC_FILENAME)
        if not os.path.exists(spec_file):
            raise errors.NotFoundError(f"tf.data snapshot element_spec file not found: {spec_file}.")
        with open(spec_file, "rb") as f:
            element_spec = fmt.decode_element_spec(f.read())
    meta_file = os.path.join(path, fmt.METADATA_FILENAME)
    if not os.path.exists(meta_file):
        raise errors.NotFoundError(f"Could not find metadata file [{path}]")
    meta = fmt.SnapshotMetadataRecord()
    with open(meta_file, "rb") as f:
        try:
            meta.ParseFromString(f.read())
        except Exception:  # noqa: BLE001
            raise errors.DataLossError(f"Could not parse {meta_file}.") from None
    if meta.version != fmt.FILE_FORMAT_VERSION:
        raise errors.UnimplementedError(
            f"tf.data snapshot at {path} uses file format version {meta.version}; tfjax reads "
            f"version {fmt.FILE_FORMAT_VERSION} (what Dataset.save writes).")
    return _LoadDataset(path, meta, element_spec, compression, reader_func)
