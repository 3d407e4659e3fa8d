"""Distributed input: datasets whose elements are split across replicas."""

from __future__ import annotations

import jax
import numpy as np

from tfjax._src import nest
from tfjax._src.distribute.values import PerReplica, CONCAT
from tfjax._src.tensor import Tensor


class InputContext:
    """``tf.distribute.InputContext``: which input pipeline this is, for ``dataset_fn``."""

    def __init__(self, num_input_pipelines=1, input_pipeline_id=0, num_replicas_in_sync=1):
        self._num_input_pipelines = num_input_pipelines
        self._input_pipeline_id = input_pipeline_id
        self._num_replicas_in_sync = num_replicas_in_sync

    @property
    def num_replicas_in_sync(self):
        return self._num_replicas_in_sync

    @property
    def input_pipeline_id(self):
        return self._input_pipeline_id

    @property
    def num_input_pipelines(self):
        return self._num_input_pipelines

    def get_per_replica_batch_size(self, global_batch_size):
        if global_batch_size % self._num_replicas_in_sync != 0:
            raise ValueError(
                f"The `global_batch_size` {global_batch_size} is not divisible by "
                f"`num_replicas_in_sync` {self._num_replicas_in_sync} ")
        return global_batch_size // self._num_replicas_in_sync

    def __str__(self):
        return f"tf.distribute.InputContext(input pipeline id {self._input_pipeline_id}, " \
               f"total: {self._num_input_pipelines})"


class ValueContext:
    """``tf.distribute.experimental.ValueContext``."""

    def __init__(self, replica_id_in_sync_group=0, num_replicas_in_sync=1):
        self._replica_id_in_sync_group = replica_id_in_sync_group
        self._num_replicas_in_sync = num_replicas_in_sync

    @property
    def num_replicas_in_sync(self):
        return self._num_replicas_in_sync

    @property
    def replica_id_in_sync_group(self):
        return self._replica_id_in_sync_group


class InputReplicationMode:
    PER_WORKER = "PER_WORKER"
    PER_REPLICA = "PER_REPLICA"


class InputOptions:
    """``tf.distribute.InputOptions`` (prefetch options are accepted; placement is always the mesh)."""

    def __init__(self, experimental_fetch_to_device=None, experimental_replication_mode=InputReplicationMode.PER_WORKER,
                 experimental_place_dataset_on_device=False, experimental_per_replica_buffer_size=1):
        self.experimental_fetch_to_device = experimental_fetch_to_device
        self.experimental_replication_mode = experimental_replication_mode
        self.experimental_place_dataset_on_device = experimental_place_dataset_on_device
        self.experimental_per_replica_buffer_size = experimental_per_replica_buffer_size


def _host(x):
    if isinstance(x, Tensor):
        return x._value
    return x


class DistributedIterator:
    """Iterator over a distributed dataset (``tf.distribute.DistributedIterator``)."""

    def __init__(self, owner):
        self._owner = owner
        self._it = owner._make_local_iter()

    def __iter__(self):
        return self

    def __next__(self):
        return self._owner._next(self._it)

    def get_next(self):
        return next(self)

    def get_next_as_optional(self):
        from tfjax._src.data import dataset as _ds  # noqa: PLC0415
        try:
            value = next(self)
        except StopIteration:
            value = None
        opt = getattr(_ds, "Optional", None) or getattr(__import__("tfjax._src.data.iterator", fromlist=["x"]), "Optional", None)
        if opt is None:
            raise NotImplementedError("tf.experimental.Optional is not available")
        return opt.from_value(value) if value is not None else opt.empty(None)

    @property
    def element_spec(self):
        return self._owner.element_spec


class DistributedDataset:
    """``tf.distribute.DistributedDataset``: each global batch split over the replicas."""

    def __init__(self, strategy, dataset, options=None, plain=False):
        self._strategy = strategy
        self._dataset = dataset
        self._options = options
        self._plain = plain

    def _make_local_iter(self):
        return iter(self._dataset)

    def _next(self, it):
        elem = next(it)
        if self._plain:
            return elem
        ext = self._strategy.extended
        ext._restore_placements()

        def one(x):
            v = _host(x)
            if isinstance(v, np.ndarray) and v.dtype == object:
                return x
            return PerReplica(ext._shard_batch_array(v), CONCAT, self._strategy)
        return nest.map_structure(one, elem)

    def __iter__(self):
        return DistributedIterator(self)

    @property
    def element_spec(self):
        return getattr(self._dataset, "element_spec", None)

    def reduce(self, initial_state, reduce_func):
        state = initial_state
        for x in self:
            state = reduce_func(state, x)
        return state


class DistributedDatasetFromFunction(DistributedDataset):
    """``distribute_datasets_from_function``: ``dataset_fn`` yields per-replica batches;
    each step takes one element per local replica."""

    def __init__(self, strategy, dataset_fn, options=None, plain=False):
        ext = strategy.extended
        ctx = InputContext(num_input_pipelines=jax.process_count(), input_pipeline_id=jax.process_index(),
                           num_replicas_in_sync=strategy.num_replicas_in_sync)
        super().__init__(strategy, dataset_fn(ctx), options=options, plain=plain)
        self._k = 1 if plain else ext._num_local_replicas

    def _next(self, it):
        if self._plain:
            return next(it)
        elems = [next(it) for _ in range(self._k)]
        ext = self._strategy.extended
        ext._restore_placements()
        flat = [nest.flatten(e) for e in elems]
        leaves = []
        for j in range(len(flat[0])):
            parts = [np.asarray(_host(f[j])) if not isinstance(_host(f[j]), jax.Array) else _host(f[j])
                     for f in flat]
            if len({p.shape for p in parts}) != 1:
                raise ValueError(
                    "tfjax: per-replica batches of different sizes cannot be laid out over the "
                    "mesh; batch the dataset with drop_remainder=True.")
            local = np.concatenate([np.asarray(p) for p in parts], axis=0) if parts[0].ndim \
                else np.stack([np.asarray(p) for p in parts])
            leaves.append(PerReplica(ext._local_batch_to_global(local), CONCAT, self._strategy))
        return nest.pack_sequence_as(elems[0], leaves)
