"""``tf.distribute.MultiWorkerMirroredStrategy`` on ``jax.distributed``.

``TF_CONFIG`` names the cluster; the first task (chief, else worker 0) hosts
JAX's coordination service at its address. Each process calls
``jax.distributed.initialize(coordinator_address, num_processes, process_id)``
with bounded timeouts, so a missing or dead peer is a clear error instead of a
hang:

* start-up: every process must join within ``initialization_timeout``
  (``CommunicationOptions(timeout_seconds=...)``, else ``TFJAX_DIST_INIT_TIMEOUT``,
  default 60 s);
* a peer that dies: the next collective fails at once (the connection drops), and
  JAX's heartbeat (``TFJAX_DIST_HEARTBEAT_TIMEOUT``, default 10 s) terminates
  processes blocked waiting for it.

The mesh then spans every device of every process (``jax.devices()``).
"""

from __future__ import annotations

import logging
import os

import jax

from tfjax._src import errors
from tfjax._src.config import devices as _devices
from tfjax._src.distribute import cluster_resolver as _cr
from tfjax._src.distribute.strategy import Strategy, StrategyExtended

logger = logging.getLogger("tfjax.distribute")


class CommunicationImplementation:
    AUTO = "AUTO"
    RING = "RING"
    NCCL = "NCCL"


CollectiveCommunication = CommunicationImplementation


class CommunicationOptions:
    """``tf.distribute.experimental.CommunicationOptions``: ``timeout_seconds`` bounds start-up."""

    def __init__(self, bytes_per_pack=0, timeout_seconds=None,
                 implementation=CommunicationImplementation.AUTO):
        self.bytes_per_pack = bytes_per_pack
        self.timeout_seconds = timeout_seconds
        self.implementation = implementation


def _distributed_client_started():
    from jax._src import distributed as _dist  # noqa: PLC0415
    return getattr(_dist.global_state, "client", None) is not None


def initialize_distributed(coordinator, num_processes, process_id, init_timeout=None, heartbeat=None):
    """Starts JAX's distributed runtime once (idempotent)."""
    if _distributed_client_started():
        return False
    if _devices.backend_started():
        raise RuntimeError(
            "MultiWorkerMirroredStrategy must be created at program start-up, before any tensor "
            "is created or op runs: JAX's distributed runtime has to start before its backends.")
    init_timeout = int(init_timeout or os.environ.get("TFJAX_DIST_INIT_TIMEOUT", 60))
    heartbeat = int(heartbeat or os.environ.get("TFJAX_DIST_HEARTBEAT_TIMEOUT", 10))
    logger.info("jax.distributed.initialize(coordinator_address=%r, num_processes=%d, process_id=%d, "
                "initialization_timeout=%ds, heartbeat_timeout_seconds=%ds)",
                coordinator, num_processes, process_id, init_timeout, heartbeat)
    try:
        jax.distributed.initialize(
            coordinator_address=coordinator, num_processes=num_processes, process_id=process_id,
            initialization_timeout=init_timeout, heartbeat_timeout_seconds=heartbeat,
            shutdown_timeout_seconds=max(heartbeat, 5))
    except Exception as e:  # noqa: BLE001
        raise errors.UnavailableError(
            None, None,
            f"MultiWorkerMirroredStrategy: could not connect {num_processes} processes through the "
            f"coordinator at {coordinator} within {init_timeout}s (process {process_id}). Check that "
            f"every worker in TF_CONFIG is started and reachable. Cause: {e}") from e
    return True


_PEER_ERRORS = ("Gloo", "Connection closed by peer", "heartbeat", "coordination service",
                "DEADLINE_EXCEEDED", "UNAVAILABLE", "Connection reset")


class MultiWorkerMirroredStrategy(Strategy):
    """Synchronous data parallelism over all devices of all workers in ``TF_CONFIG``."""

    def __init__(self, cluster_resolver=None, communication_options=None):
        resolver = cluster_resolver or _cr.TFConfigClusterResolver()
        spec = resolver.cluster_spec()
        coordinator, nproc, pid = _cr.processes_of(spec, resolver.task_type, resolver.task_id)
        timeout = getattr(communication_options, "timeout_seconds", None)
        if nproc > 1:
            initialize_distributed(coordinator, nproc, pid, init_timeout=timeout)
        devs = jax.devices()
        acc = [d for d in devs if d.platform != "cpu"]
        devs = acc or devs
        super().__init__(StrategyExtended(self, devices=devs, job="worker" if nproc > 1 else "localhost"))
        self._cluster_resolver = resolver
        self._num_workers = nproc
        logger.info("MultiWorkerMirroredStrategy: worker %d of %d, %d replicas in sync", pid, nproc,
                    self.num_replicas_in_sync)

    @property
    def _num_workers_in_sync(self):
        return self._num_workers

    def _translate_error(self, e):
        msg = str(e)
        if self._num_workers > 1 and any(k in msg for k in _PEER_ERRORS):
            return errors.UnavailableError(
                None, None,
                f"MultiWorkerMirroredStrategy: a peer worker is unreachable (it died or was "
                f"preempted) -- collective failed: {msg}")
        return e
