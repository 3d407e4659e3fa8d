"""``tf.distribute.TPUStrategy`` and ``tf.tpu.experimental.initialize_tpu_system`` on JAX's TPU runtime.

On a Cloud TPU VM, JAX (``pip install "tfjax[tpu]"``) sees the chips as
``jax.devices()``; on a multi-host pod slice every host runs the same program
and ``initialize_tpu_system`` starts ``jax.distributed`` (which auto-detects the
slice). Without TPUs, these map onto the available (CPU) devices and log it,
so TPU programs can be developed and tested on a laptop.
"""

from __future__ import annotations

import logging

import jax
import numpy as np

from tfjax._src.distribute.strategy import Strategy, StrategyExtended

logger = logging.getLogger("tfjax.distribute")

_initialized = [None]


class Topology:
    """``tf.tpu.experimental.Topology`` over ``jax.devices()``."""

    def __init__(self, devices):
        self._devices = list(devices)
        coords = [getattr(d, "coords", None) for d in self._devices]
        if all(c is not None for c in coords) and coords:
            arr = np.array(coords)
            self._mesh_shape = [int(x) + 1 for x in arr.max(axis=0)] + [max(
                1, len(self._devices) // max(1, int(np.prod(arr.max(axis=0) + 1))))]
        else:
            self._mesh_shape = [len(self._devices), 1, 1, 1]

    @property
    def mesh_shape(self):
        return np.array(self._mesh_shape, dtype=np.int32)

    @property
    def num_tasks(self):
        return jax.process_count()

    @property
    def num_tpus_per_task(self):
        return len([d for d in self._devices if d.process_index == 0])

    @property
    def device_coordinates(self):
        return np.array([[getattr(d, "coords", (i, 0, 0)) for i, d in enumerate(self._devices)]])

    @property
    def devices(self):
        return list(self._devices)


class TPUSystemMetadata:
    def __init__(self, devices):
        self.num_cores = len(devices)
        self.num_hosts = jax.process_count()
        self.num_of_cores_per_host = len([d for d in devices if d.process_index == jax.process_index()])
        self.topology = Topology(devices)
        self.devices = devices


def _tpu_devices():
    return [d for d in jax.devices() if d.platform == "tpu"]


def initialize_tpu_system(cluster_resolver=None):
    """``tf.tpu.experimental.initialize_tpu_system``: returns the Topology of the TPU system.

    On a multi-host TPU slice this starts ``jax.distributed`` (auto-detected
    coordinator) before the backend starts. Without TPUs it logs that the CPU devices stand in.
    """
    from tfjax._src.config import devices as _devices  # noqa: PLC0415
    from tfjax._src.distribute.multi_worker import _distributed_client_started  # noqa: PLC0415
    if not _devices.backend_started() and not _distributed_client_started() \
            and _devices._physical_count("TPU") > 0:
        try:
            jax.distributed.initialize()   # TPU pods: coordinator/process ids from the TPU metadata
        except (RuntimeError, ValueError) as e:
            logger.info("jax.distributed.initialize() not used (%s); running single-host", e)
    tpus = _tpu_devices()
    if tpus:
        devs = tpus
        logger.info("initialize_tpu_system: %d TPU core(s) on %d host(s) (%s)", len(devs),
                    jax.process_count(), devs[0].device_kind)
    else:
        devs = jax.devices()
        logger.warning("initialize_tpu_system: no TPU found; TPU programs run on %d %s device(s)",
                       len(devs), devs[0].platform.upper())
    _initialized[0] = Topology(devs)
    return _initialized[0]


def shutdown_tpu_system(cluster_resolver=None):
    _initialized[0] = None


class TPUStrategy(Strategy):
    """``tf.distribute.TPUStrategy``: data parallelism over every TPU core of the slice
    (all hosts); over the available devices when there is no TPU."""

    def __init__(self, tpu_cluster_resolver=None, experimental_device_assignment=None,
                 experimental_spmd_xla_partitioning=False):
        tpus = _tpu_devices()
        devs = tpus or jax.devices()
        if not tpus:
            logger.warning("TPUStrategy: no TPU found; mapped to %d %s device(s): %s", len(devs),
                           devs[0].platform.upper(), devs)
        super().__init__(StrategyExtended(self, devices=devs, job="worker"))
        self._cluster_resolver = tpu_cluster_resolver

    def experimental_assign_to_logical_device(self, tensor, logical_device_id):
        return tensor

    def experimental_replicate_to_logical_devices(self, tensor):
        return tensor

    def experimental_split_to_logical_devices(self, tensor, partition_dimensions):
        return tensor
