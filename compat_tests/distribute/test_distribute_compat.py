"""strategy.reduce / gather / run / local results: tfjax vs real TensorFlow, 4 logical CPUs.

Both run the same script in fresh interpreters; TF gets its 4 CPU devices from
``tf.config.set_logical_device_configuration`` and so does tfjax (-> jax_num_cpu_devices).
"""

import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import os as _os
import sys as _sys

_sys.path.insert(0, _os.path.join(_os.path.dirname(_os.path.dirname(_os.path.dirname(_os.path.abspath(__file__)))), "tests"))
from _virtual_devices import child_env  # noqa: E402

SCRIPT = textwrap.dedent("""
    import json
    import numpy as np
    import {module} as tf
    cpu = tf.config.list_physical_devices("CPU")
    tf.config.set_logical_device_configuration(cpu[0], [tf.config.LogicalDeviceConfiguration()] * 4)
    out = {{"logical": [d.name for d in tf.config.list_logical_devices("CPU")],
            "physical": repr(cpu)}}
    try:
        tf.config.set_logical_device_configuration(cpu[0], [tf.config.LogicalDeviceConfiguration()] * 2)
    except RuntimeError as e:
        out["reconfigure"] = str(e)
    s = tf.distribute.MirroredStrategy()
    out["n"] = s.num_replicas_in_sync
    out["workers"] = list(s.extended.worker_devices)

    def f(x, y):
        ctx = tf.distribute.get_replica_context()
        rid = tf.cast(ctx.replica_id_in_sync_group, tf.float32)
        return {{"a": x * (rid + 1.0), "b": tf.reduce_sum(y) + rid, "s": ctx.all_reduce("SUM", x),
                 "m": ctx.all_reduce("MEAN", y), "i": ctx.replica_id_in_sync_group}}

    xs = np.arange(48, dtype=np.float32).reshape(16, 3) / 7.0
    ys = np.arange(16, dtype=np.float32) - 3.0
    ds = tf.data.Dataset.from_tensor_slices((xs, ys)).batch(8)
    res = []
    for x, y in s.experimental_distribute_dataset(ds):
        r = s.run(f, args=(x, y))
        e = {{}}
        e["local_x"] = [t.numpy().tolist() for t in s.experimental_local_results(x)]
        for k in ("a", "b", "s", "m", "i"):
            e[k + "_local"] = [np.asarray(t).tolist() for t in s.experimental_local_results(r[k])]
        for op in ("SUM", "MEAN"):
            e["reduce_" + op + "_none"] = s.reduce(op, r["a"], axis=None).numpy().tolist()
            e["reduce_" + op + "_0"] = s.reduce(op, r["a"], axis=0).numpy().tolist()
            e["reduce_" + op + "_1"] = s.reduce(tf.distribute.ReduceOp[op], r["a"], axis=1).numpy().tolist()
            e["reduce_" + op + "_scalar"] = s.reduce(op, r["b"], axis=None).numpy().tolist()
        e["reduce_int"] = s.reduce("SUM", r["i"], axis=None).numpy().tolist()
        e["gather_0"] = s.gather(r["a"], axis=0).numpy().tolist()
        e["gather_1"] = s.gather(r["a"], axis=1).numpy().tolist()
        e["gather_y"] = s.gather(y, axis=0).numpy().tolist()
        res.append(e)
    out["steps"] = res
    c = tf.constant([1.0, 2.0, 4.0])
    out["plain_mean_none"] = s.reduce("MEAN", c, axis=None).numpy().tolist()
    out["plain_sum_0"] = s.reduce("SUM", c, axis=0).numpy().tolist()
    out["plain_mean_0"] = s.reduce("MEAN", c, axis=0).numpy().tolist()
    out["plain_gather"] = s.gather(c, axis=0).numpy().tolist()
    try:
        s.reduce("SUM", c, axis=None)
    except ValueError as e:
        out["plain_sum_none"] = "cannot be reduced" in str(e)
    out["plain_local"] = len(s.experimental_local_results(c))
    out["run_plain"] = [t.numpy().tolist() for t in s.experimental_local_results(s.run(lambda v: v + 1.0, args=(c,)))]
    def dataset_fn(ctx):
        return tf.data.Dataset.from_tensor_slices(np.arange(16, dtype=np.float32)).batch(
            ctx.get_per_replica_batch_size(8))
    b = next(iter(s.distribute_datasets_from_function(dataset_fn)))
    out["dff"] = [t.numpy().tolist() for t in s.experimental_local_results(b)]
    out["dff_sum"] = s.reduce("SUM", b, axis=0).numpy().tolist()
    print("RESULT" + json.dumps(out))
""")


def _run(module):
    env = child_env(devices=None)
    proc = subprocess.run([sys.executable, "-c", SCRIPT.format(module=module)], env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-5000:]
    line = [x for x in proc.stdout.splitlines() if x.startswith("RESULT")][-1]
    return json.loads(line[len("RESULT"):])


@pytest.fixture(scope="module")
def results():
    return _run("tensorflow"), _run("tfjax")


def _close(a, b, path=""):
    if isinstance(a, dict):
        assert sorted(a) == sorted(b), path
        for k in a:
            _close(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list) and a and isinstance(a[0], (dict, str)):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            _close(x, y, f"{path}[{i}]")
    elif isinstance(a, (list, float, int)) and not isinstance(a, bool):
        np.testing.assert_allclose(np.asarray(b, dtype=float), np.asarray(a, dtype=float), rtol=1e-6, atol=1e-6,
                                   err_msg=path)
    else:
        assert a == b, path


def test_devices_match_tf(results):
    tf_out, jx_out = results
    for k in ("logical", "physical", "reconfigure", "n", "workers"):
        assert jx_out[k] == tf_out[k], k


def test_run_reduce_gather_match_tf(results):
    tf_out, jx_out = results
    assert len(tf_out["steps"]) == len(jx_out["steps"]) == 2
    _close(tf_out["steps"], jx_out["steps"], "steps")


def test_plain_values_and_dataset_fn_match_tf(results):
    tf_out, jx_out = results
    for k in ("plain_mean_none", "plain_sum_0", "plain_mean_0", "plain_gather", "plain_sum_none", "plain_local",
              "run_plain", "dff", "dff_sum"):
        _close(tf_out[k], jx_out[k], k)
