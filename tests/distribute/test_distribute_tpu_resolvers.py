"""TPUStrategy / TPUClusterResolver / initialize_tpu_system on CPU devices, cluster resolvers."""

import json
import os

import os as _os
import sys as _sys

_sys.path.insert(0, _os.path.dirname(_os.path.dirname(_os.path.abspath(__file__))))
from _virtual_devices import last_json, run_code  # noqa: E402

from tfjax._src.distribute import cluster_resolver as cr


def test_tpu_apis_map_onto_cpu_devices_and_log():
    proc = run_code("""
        import json, logging
        logging.basicConfig(level=logging.INFO)
        import numpy as np
        import tfjax as tf
        import tfjax.config, tfjax.distribute, tfjax.tpu
        D = tfjax.distribute
        resolver = D.cluster_resolver.TPUClusterResolver(tpu="")
        tfjax.config.experimental_connect_to_cluster(resolver)
        topo = tfjax.tpu.experimental.initialize_tpu_system(resolver)
        s = D.TPUStrategy(resolver)
        with s.scope():
            v = tf.Variable(np.ones(3, np.float32))
        r = s.run(lambda: D.get_replica_context().all_reduce("SUM", tf.constant(1.0)))
        print(json.dumps({"n": s.num_replicas_in_sync, "tasks": topo.num_tasks, "mesh": topo.mesh_shape.tolist(),
                          "sum": [float(x) for x in s.experimental_local_results(r)],
                          "spec": str(v._value.sharding.spec), "acc": resolver.num_accelerators(),
                          "master": resolver.master()}))
    """, devices=4)
    out = last_json(proc)
    assert out["n"] == 4 and out["tasks"] == 1
    assert out["sum"] == [4.0] * 4
    assert out["spec"] == "P()"
    assert out["acc"] == {} and out["master"] == ""
    assert "no TPU found" in proc.stderr


def test_mwms_without_cluster_is_local_and_tf_config_parsing(monkeypatch):
    out = last_json(run_code("""
        import json
        import tfjax.distribute as D
        s = D.MultiWorkerMirroredStrategy()
        print(json.dumps({"n": s.num_replicas_in_sync, "workers": s._num_workers_in_sync}))
    """, devices=2))
    assert out == {"n": 2, "workers": 1}
    cfg = {"cluster": {"chief": ["h0:1"], "worker": ["h1:2", "h2:3"]}, "task": {"type": "worker", "index": 1}}
    monkeypatch.setenv("TF_CONFIG", json.dumps(cfg))
    r = cr.TFConfigClusterResolver()
    assert (r.task_type, r.task_id) == ("worker", 1)
    assert r.cluster_spec().as_dict() == cfg["cluster"]
    assert r.master() == "h2:3"
    assert cr.processes_of(r.cluster_spec(), r.task_type, r.task_id) == ("h0:1", 3, 2)
    assert cr.processes_of(r.cluster_spec(), "chief", 0) == ("h0:1", 3, 0)


def test_mwms_unreachable_coordinator_fails_within_timeout():
    # A one-worker-missing cluster: the start-up timeout turns into a clear error.
    proc = None
    import subprocess
    import sys
    import time
    from _virtual_devices import child_env
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    env = child_env(1, TF_CONFIG=json.dumps({"cluster": {"worker": [f"127.0.0.1:{port}", "127.0.0.1:1"]},
                                              "task": {"type": "worker", "index": 0}}),
                    TFJAX_DIST_INIT_TIMEOUT="5")
    t0 = time.time()
    proc = subprocess.run([sys.executable, "-c", "import tfjax.distribute as D; D.MultiWorkerMirroredStrategy()"],
                          env=env, capture_output=True, text=True, timeout=120)
    elapsed = time.time() - t0
    assert proc.returncode != 0
    assert elapsed < 60
    assert "could not connect 2 processes" in proc.stderr or "DEADLINE_EXCEEDED" in proc.stderr, proc.stderr[-2000:]
