"""``tf.distribute.cluster_resolver``: where the workers are (TF_CONFIG, TPU VMs)."""

from __future__ import annotations

import json
import logging
import os

import jax

logger = logging.getLogger("tfjax.distribute")


class ClusterSpec:
    """``tf.train.ClusterSpec``: ``{job_name: [address, ...] or {task_index: address}}`` (TF's
    server_lib semantics; ``as_cluster_def`` has no protobuf in tfjax)."""

    def __init__(self, cluster):
        if isinstance(cluster, ClusterSpec):
            self._cluster_spec = {j: dict(t) for j, t in cluster._cluster_spec.items()}
            return
        if not isinstance(cluster, dict):
            raise TypeError("`cluster` must be a dictionary mapping one or more job names to lists of "
                            "network addresses, or a `ClusterDef` protocol buffer")
        self._cluster_spec = {}
        for job_name, tasks in cluster.items():
            if isinstance(tasks, (list, tuple)):
                job_tasks = {i: task for i, task in enumerate(tasks)}
            elif isinstance(tasks, dict):
                job_tasks = {int(i): task for i, task in tasks.items()}
            else:
                raise TypeError("The tasks for job %r must be a list or a dictionary from integers to "
                                "strings." % job_name)
            for t in job_tasks.values():
                if not isinstance(t, (str, bytes)):
                    raise TypeError("Task address %r must be bytes or unicode" % t)
            self._cluster_spec[job_name] = job_tasks

    def __bool__(self):
        return bool(self._cluster_spec)

    def __eq__(self, other):
        return self._cluster_spec == (other._cluster_spec if isinstance(other, ClusterSpec) else other)

    def __ne__(self, other):
        return not self == other

    def __repr__(self):
        kv = self.as_dict()
        return "ClusterSpec({" + ", ".join(repr(k) + ": " + repr(kv[k]) for k in sorted(kv)) + "})"

    def as_dict(self):
        ret = {}
        for job in self.jobs:
            idx = self.task_indices(job)
            if not idx:
                ret[job] = {}
            elif max(idx) + 1 == len(idx):
                ret[job] = self.job_tasks(job)
            else:
                ret[job] = {i: self.task_address(job, i) for i in idx}
        return ret

    def as_cluster_def(self):
        from tfjax._src import errors  # noqa: PLC0415
        raise errors.unsupported("tf.train.ClusterSpec.as_cluster_def",
                                 "tfjax has no ClusterDef protocol buffer; use as_dict()")

    @property
    def jobs(self):
        return list(self._cluster_spec.keys())

    def _job(self, job_name):
        try:
            return self._cluster_spec[job_name]
        except KeyError:
            raise ValueError("No such job in cluster: %r" % job_name) from None

    def num_tasks(self, job_name):
        return len(self._job(job_name))

    def task_indices(self, job_name):
        return sorted(self._job(job_name).keys())

    def task_address(self, job_name, task_index):
        job = self._job(job_name)
        try:
            return job[task_index]
        except KeyError:
            raise ValueError("No task with index %r in job %r" % (task_index, job_name)) from None

    def job_tasks(self, job_name):
        job = self._job(job_name)
        ret = [None for _ in range(max(job.keys()) + 1)]
        for i, task in job.items():
            ret[i] = task
        return ret


class ClusterResolver:
    """Base class (``tf.distribute.cluster_resolver.ClusterResolver``)."""

    task_type = None
    task_id = None
    rpc_layer = None
    environment = ""

    def cluster_spec(self):
        raise NotImplementedError

    def master(self, task_type=None, task_id=None, rpc_layer=None):
        return ""

    def num_accelerators(self, task_type=None, task_id=None, config_proto=None):
        devs = [d for d in jax.local_devices() if d.platform != "cpu"]
        if not devs:
            return {}
        kind = "TPU" if devs[0].platform == "tpu" else "GPU"
        return {kind: len(devs)}


class SimpleClusterResolver(ClusterResolver):
    def __init__(self, cluster_spec, master="", task_type=None, task_id=None, environment="",
                 num_accelerators=None, rpc_layer=None):
        self._spec = ClusterSpec(cluster_spec if cluster_spec is not None else {})
        self._master = master
        self.task_type = task_type
        self.task_id = task_id
        self.environment = environment
        self._num_acc = num_accelerators
        self.rpc_layer = rpc_layer

    def cluster_spec(self):
        return self._spec

    def master(self, task_type=None, task_id=None, rpc_layer=None):
        return self._master

    def num_accelerators(self, task_type=None, task_id=None, config_proto=None):
        return self._num_acc if self._num_acc is not None else super().num_accelerators()


class TFConfigClusterResolver(ClusterResolver):
    """Reads the ``TF_CONFIG`` environment variable, as TF does."""

    def __init__(self, task_type=None, task_id=None, rpc_layer=None, environment=None):
        cfg = self._load()
        task = cfg.get("task", {})
        self.task_type = task_type if task_type is not None else task.get("type")
        self.task_id = task_id if task_id is not None else task.get("index")
        if self.task_id is not None:
            self.task_id = int(self.task_id)
        self.rpc_layer = rpc_layer if rpc_layer is not None else cfg.get("rpc_layer")
        self.environment = environment if environment is not None else cfg.get("environment", "")

    @staticmethod
    def _load():
        raw = os.environ.get("TF_CONFIG", "")
        if not raw:
            return {}
        try:
            return json.loads(raw)
        except json.JSONDecodeError as e:
            raise ValueError(f"TF_CONFIG is not valid JSON: {e}") from None

    def cluster_spec(self):
        return ClusterSpec(self._load().get("cluster", {}))

    def master(self, task_type=None, task_id=None, rpc_layer=None):
        t = task_type if task_type is not None else self.task_type
        i = task_id if task_id is not None else self.task_id
        spec = self.cluster_spec()
        if t is None or i is None or t not in spec.jobs:
            return ""
        addr = spec.task_address(t, i)
        layer = rpc_layer or self.rpc_layer
        return f"{layer}://{addr}" if layer else addr


def processes_of(spec: ClusterSpec, task_type, task_id):
    """(coordinator address, number of processes, this process's id) for a TF cluster.

    Process order is chief first, then workers (TF's MultiWorkerMirroredStrategy order).
    """
    d = spec.as_dict()
    order = [("chief", a) for a in d.get("chief", [])] + [("worker", a) for a in d.get("worker", [])]
    if not order:
        return None, 1, 0
    if task_type not in ("chief", "worker"):
        raise ValueError(f"Unrecognized task_type: {task_type!r}; MultiWorkerMirroredStrategy runs on "
                         "'chief' and 'worker' tasks")
    pid = (task_id if task_type == "chief" else len(d.get("chief", [])) + task_id)
    return order[0][1], len(order), pid


class TPUClusterResolver(ClusterResolver):
    """``tf.distribute.cluster_resolver.TPUClusterResolver``.

    On a Cloud TPU VM (``tpu=None``, ``''`` or ``'local'``) JAX finds the chips itself;
    a named TPU / zone / project is accepted and logged (the JAX process must run on
    the TPU VM's hosts). Without TPUs the resolver maps onto the local devices.
    """

    def __init__(self, tpu=None, zone=None, project=None, job_name="worker", coordinator_name=None,
                 coordinator_address=None, credentials="default", service=None, discovery_url=None):
        self._tpu = tpu
        self.zone = zone
        self.project = project
        self.task_type = job_name
        self.task_id = 0
        if tpu not in (None, "", "local") and not str(tpu).startswith("grpc://"):
            logger.info("TPUClusterResolver(tpu=%r): tfjax uses the TPU chips attached to this VM "
                        "(run the same program on every host of the slice)", tpu)

    def cluster_spec(self):
        return ClusterSpec({})

    def master(self, task_type=None, task_id=None, rpc_layer=None):
        return "" if self._tpu in (None, "", "local") else str(self._tpu)

    def get_master(self):
        return self.master()

    def get_job_name(self):
        return self.task_type

    def num_accelerators(self, task_type=None, task_id=None, config_proto=None):
        tpus = [d for d in jax.local_devices() if d.platform == "tpu"]
        return {"TPU": len(tpus)} if tpus else {}

    @staticmethod
    def connect(tpu=None, zone=None, project=None):
        r = TPUClusterResolver(tpu, zone=zone, project=project)
        experimental_connect_to_cluster(r)
        from tfjax._src.distribute.tpu import initialize_tpu_system  # noqa: PLC0415
        initialize_tpu_system(r)
        return r


def experimental_connect_to_cluster(cluster_spec_or_resolver, job_name="localhost", task_index=0,
                                    protocol=None, make_master_device_default=True,
                                    cluster_device_filters=None):
    """``tf.config.experimental_connect_to_cluster``.

    JAX programs are SPMD (every host runs the same program), so there is no remote
    graph server to connect to: this logs what the devices map to. Multi-host setups
    start JAX's distributed runtime in ``initialize_tpu_system`` / in
    ``MultiWorkerMirroredStrategy``.
    """
    devs = jax.devices()
    logger.info("experimental_connect_to_cluster(%r): tfjax runs SPMD on the local JAX runtime; "
                "%d device(s): %s", cluster_spec_or_resolver, len(devs),
                sorted({f"{d.platform}" for d in devs}))


def experimental_connect_to_host(remote_host=None, job_name="worker"):
    experimental_connect_to_cluster(remote_host, job_name=job_name)
