"""``Dataset.cache(filename)`` files in TensorFlow's layout: a tensor bundle.

A finished cache is ``<filename>.index`` + ``<filename>.data-00000-of-00001``, one bundle
entry per component keyed ``"%7d_%Nd" % (element, component)`` (N = digits of the last
component index), so TF reads tfjax's caches and tfjax reads TF's. The ``.index`` file is
the commit point: TF (and tfjax) treat a cache as complete exactly when it exists.

While writing, the data goes to ``<filename>_0.data-00000-of-00001.tempstate<random>`` and
``<filename>_0.lockfile`` marks the cache as being written (a second writer fails with
AlreadyExistsError, as in TF). A pass that stops early deletes both, so a partial cache
is never used.
"""

from __future__ import annotations

import os
import random
import time

from tfjax._src import errors
from tfjax._src.data import structure
from tfjax._src.sparse_tensor import SparseTensor
from tfjax._src.train import bundle
from tfjax._src.utils import atomic_io

_MAX_ITEMS = 10_000_000  # TF's limit; it also fixes the 7-digit element field of the keys


def _key_format(num_components):
    width = len(str(max(num_components, 1) - 1))
    return "{:7d}_{:%dd}" % width


def is_complete(filename) -> bool:
    return os.path.exists(filename + bundle.INDEX_SUFFIX)


class CacheWriter:
    """Streams elements into a bundle; :meth:`finish` publishes it, :meth:`abort` discards it."""

    def __init__(self, filename, num_components):
        self._filename = filename
        self._shard = filename + "_0"
        self._lock = self._shard + ".lockfile"
        self._fmt = _key_format(num_components)
        self._n = num_components
        d = os.path.dirname(os.path.abspath(filename))
        if not os.path.isdir(d):
            raise errors.NotFoundError(f"Failed to create a cache file: directory {d} does not exist.")
        if os.path.exists(self._shard + bundle.INDEX_SUFFIX):
            raise errors.AlreadyExistsError(
                f"Existing cache files found: \n{self._shard}{bundle.INDEX_SUFFIX}\n"
                f"{self._shard}{bundle.DATA_SUFFIX}\nTo continue delete the above files.")
        try:
            fd = os.open(self._lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            try:
                with open(self._lock, "rb") as f:
                    contents = f.read(150).decode("utf-8", "replace")
            except OSError:
                contents = ""
            raise errors.AlreadyExistsError(
                "There appears to be a concurrent caching iterator running - cache lockfile already "
                f"exists ('{self._lock}'). If you are sure no other running TF computations are using "
                "this cache prefix, delete the lockfile and re-initialize the iterator. Lockfile "
                f"contents: {contents}") from None
        with os.fdopen(fd, "w") as f:
            f.write(f"Created at: {int(time.time())}")
        self._tmp = f"{self._shard}{bundle.DATA_SUFFIX}.tempstate{random.getrandbits(63)}"
        try:
            self._f = open(self._tmp, "wb")
        except BaseException:
            atomic_io.remove_if_exists(self._lock)
            raise
        self._entries = []
        self._offset = 0
        self._count = 0

    def add(self, elem):
        if self._count >= _MAX_ITEMS:
            raise errors.InvalidArgumentError(
                f"Upstream iterator is producing more than {_MAX_ITEMS} items, which is more than the "
                "cache limit.")
        leaves = structure.flatten(elem) if structure.is_nested(elem) else [elem]
        for j, leaf in enumerate(leaves):
            if isinstance(leaf, SparseTensor) or not hasattr(leaf, "dtype"):
                raise errors.unsupported(
                    f"Dataset.cache(filename) of {type(leaf).__name__} components",
                    "use cache() in memory, or cache a dataset of dense tensors")
            arr = structure.host(leaf)
            data, crc = bundle.tensor_bytes(arr)
            e = bundle.BundleEntryProto()
            e.dtype = bundle.dtype_enum_of(arr)
            for d in arr.shape:
                e.shape.dim.add().size = int(d)
            e.offset = self._offset
            e.size = len(data)
            e.crc32c = bundle.mask_crc(crc)
            self._f.write(data)
            self._offset += len(data)
            self._entries.append((self._fmt.format(self._count, j).encode(), e.SerializeToString()))
        self._count += 1

    def finish(self):
        self._f.close()
        header = bundle.BundleHeaderProto()
        header.num_shards = 1
        header.version.producer = 1
        index = bundle.build_table([(b"", header.SerializeToString())] + self._entries)
        data_path = self._filename + bundle.DATA_SUFFIX
        if self._entries:
            os.replace(self._tmp, data_path)
        else:
            # TF writes no data file for an empty cache
            atomic_io.remove_if_exists(self._tmp)
        # the index goes last and by rename: it is what marks the cache complete
        index_path = self._filename + bundle.INDEX_SUFFIX
        tmp = f"{index_path}.tempstate{random.getrandbits(63)}"
        try:
            with open(tmp, "wb") as f:
                f.write(index)
            os.replace(tmp, index_path)
        except BaseException:
            atomic_io.remove_if_exists(tmp)
            raise
        atomic_io.remove_if_exists(self._lock)

    def abort(self):
        try:
            self._f.close()
        finally:
            atomic_io.remove_if_exists(self._tmp)
            atomic_io.remove_if_exists(self._lock)


def read(filename, element_spec):
    """The cached elements, packed into ``element_spec``'s structure."""
    reader = bundle.BundleReader(filename)
    keys = reader.keys()
    n = len(structure.flatten(element_spec)) if structure.is_nested(element_spec) else 1
    nested = structure.is_nested(element_spec)
    if n == 0:
        return
    if len(keys) % n:
        raise errors.DataLossError(
            f"Cache {filename} has {len(keys)} tensors, not a multiple of the {n} components per element.")
    for i in range(0, len(keys), n):
        leaves = [reader.get(k) for k in keys[i:i + n]]
        yield structure.pack_sequence_as(element_spec, leaves) if nested else leaves[0]

