"""``Dataset.save`` / ``Dataset.load``.

tfjax's on-disk format (not TF's snapshot format): a directory holding
``dataset_spec.pkl`` (element_spec + cardinality) and shard files
``shard_<k>.tfrecord`` whose records are pickled elements (numpy leaves),
optionally GZIP-compressed. The directory is written under a temporary name
and renamed into place when complete, so a crash never leaves a partial save.
"""

from __future__ import annotations

import os
import pickle
import shutil
import tempfile

import numpy as np

from tfjax._src import errors
from tfjax._src.data import structure
from tfjax._src.data.dataset import DatasetV2
from tfjax._src.io import tfrecord
from tfjax._src.io.gfile import as_path

_SPEC = "dataset_spec.pkl"


def _host_element(elem):
    f = (lambda leaf: leaf if not hasattr(leaf, "shape") or isinstance(leaf, np.ndarray) else np.asarray(leaf))
    return structure.map_structure(f, elem) if structure.is_nested(elem) else f(elem)


def save(dataset, path, compression=None, shard_func=None, checkpoint_args=None):
    if checkpoint_args is not None:
        raise errors.unsupported("Dataset.save(checkpoint_args=...)")
    path = as_path(path)
    comp = tfrecord.compression_name(compression)
    parent = os.path.dirname(os.path.abspath(path))
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="." + os.path.basename(path) + ".tmp", dir=parent)
    try:
        writers = {}
        opts = tfrecord.TFRecordOptions(comp)
        count = 0
        for elem in dataset._elements():
            if shard_func is None:
                k = 0
            else:
                k = int(structure.host(structure.to_leaf(structure.call_fn(shard_func, elem))))
            w = writers.get(k)
            if w is None:
                w = writers[k] = tfrecord.TFRecordWriter(os.path.join(tmp, f"shard_{k:05d}.tfrecord"), opts)
            w.write(pickle.dumps(_host_element(elem), protocol=pickle.HIGHEST_PROTOCOL))
            count += 1
        for w in writers.values():
            w.close()
        with open(os.path.join(tmp, _SPEC), "wb") as f:
            pickle.dump({"element_spec": dataset.element_spec, "cardinality": count,
                         "compression": comp, "shards": sorted(writers)}, f)
        if os.path.exists(path):
            shutil.rmtree(path)
        os.replace(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


class _LoadDataset(DatasetV2):
    _tf_name = "_LoadDataset"

    def __init__(self, path, meta, element_spec, compression, reader_func):
        super().__init__()
        self._path = path
        self._meta = meta
        self._spec_cache = element_spec if element_spec is not None else meta["element_spec"]
        self._comp = meta["compression"] if compression is None else tfrecord.compression_name(compression)
        self._reader = reader_func

    def _card(self):
        return self._meta["cardinality"]

    def _iter(self):
        files = [os.path.join(self._path, f"shard_{k:05d}.tfrecord") for k in self._meta["shards"]]
        if self._reader is None:
            for f in files:
                for rec in tfrecord.read_records(f, self._comp):
                    yield pickle.loads(rec)
            return
        spec = self._spec_cache
        shard_ds = [_ShardDataset(f, self._comp, spec) for f in files]
        out = self._reader(_DatasetOfDatasets(shard_ds))
        if not isinstance(out, DatasetV2):
            raise TypeError("`reader_func` must return a Dataset.")
        yield from out._elements()


class _ShardDataset(DatasetV2):
    def __init__(self, file, comp, spec):
        super().__init__()
        self._file, self._comp, self._spec_cache = file, comp, spec

    def _iter(self):
        for rec in tfrecord.read_records(self._file, self._comp):
            yield pickle.loads(rec)


class _DatasetOfDatasets(DatasetV2):
    def __init__(self, datasets):
        super().__init__()
        self._ds = datasets

    def _card(self):
        return len(self._ds)

    def _compute_spec(self):
        from tfjax._src.data.dataset import DatasetSpec  # noqa: PLC0415
        return DatasetSpec(self._ds[0].element_spec if self._ds else None)

    def _iter(self):
        return iter(self._ds)


def load(path, element_spec=None, compression=None, reader_func=None):
    path = as_path(path)
    spec_file = os.path.join(path, _SPEC)
    if not os.path.exists(spec_file):
        raise errors.NotFoundError(f"Could not find a dataset saved by tfjax at {path} (no {_SPEC}).")
    with open(spec_file, "rb") as f:
        meta = pickle.load(f)
    return _LoadDataset(path, meta, element_spec, compression, reader_func)
