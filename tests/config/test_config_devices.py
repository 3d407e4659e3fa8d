"""tf.config on JAX. Anything that depends on the backend not having started yet runs in a
fresh subprocess (the pytest worker's JAX may already be initialised)."""

import json

import pytest

import tfjax.config as config
import tfjax.test as tftest
from tfjax._src.config import devices as _devices
from tfjax._src.config.placement import device, parse_device

import os as _os
import sys as _sys

_sys.path.insert(0, _os.path.dirname(_os.path.dirname(_os.path.abspath(__file__))))
from _virtual_devices import last_json, run_code  # noqa: E402


def test_physical_and_logical_devices_look_like_tf():
    cpus = config.list_physical_devices("CPU")
    assert cpus == [config.PhysicalDevice(name="/physical_device:CPU:0", device_type="CPU")]
    assert repr(cpus[0]) == "PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')"
    assert config.list_physical_devices("GPU") == []           # CPU-only machine
    logical = config.list_logical_devices("CPU")
    assert logical[0] == config.LogicalDevice(name="/device:CPU:0", device_type="CPU")
    assert config.get_visible_devices("CPU") == cpus
    assert repr(config.LogicalDeviceConfiguration(memory_limit=4096)) == (
        "LogicalDeviceConfiguration(memory_limit=4096, experimental_priority=None, "
        "experimental_device_ordinal=None)")


def test_virtual_cpus_before_and_after_start():
    out = last_json(run_code("""
        import json
        import tfjax.config as config
        from tfjax._src.config import devices
        cpu = config.list_physical_devices("CPU")
        started_after_listing = devices.backend_started()
        config.set_logical_device_configuration(cpu[0], [config.LogicalDeviceConfiguration()] * 4)
        logical = [d.name for d in config.list_logical_devices("CPU")]
        import jax
        n = len(jax.devices())
        try:
            config.set_logical_device_configuration(cpu[0], [config.LogicalDeviceConfiguration()] * 2)
            err = None
        except RuntimeError as e:
            err = str(e)
        config.set_logical_device_configuration(cpu[0], [config.LogicalDeviceConfiguration()] * 4)  # same: ok
        try:
            config.experimental.set_memory_growth(cpu[0], True)
            mg = None
        except ValueError as e:
            mg = str(e)
        print(json.dumps({"started_after_listing": started_after_listing, "logical": logical, "n": n,
                          "err": err, "mg": mg, "cfg": len(config.get_logical_device_configuration(cpu[0]))}))
    """, devices=None))
    assert out["started_after_listing"] is False
    assert out["logical"] == [f"/device:CPU:{i}" for i in range(4)]
    assert out["n"] == 4
    assert out["err"] == "Virtual devices cannot be modified after being initialized"
    assert out["mg"] == "Cannot set memory growth on device when virtual devices configured"
    assert out["cfg"] == 4


def test_memory_and_details():
    cpu = config.list_physical_devices("CPU")[0]
    with pytest.raises(ValueError):
        config.experimental.set_memory_growth(cpu, True)
    with pytest.raises(KeyError):
        config.experimental.get_memory_growth(cpu)
    info = config.experimental.get_memory_info("CPU:0")
    assert set(info) == {"current", "peak"} and all(isinstance(v, int) for v in info.values())
    assert config.experimental.get_device_details(cpu) == {}
    with pytest.raises(ValueError):
        config.experimental.get_memory_info("GPU:0")


def test_switches():
    assert config.optimizer.get_jit() == ""
    config.optimizer.set_jit(True)
    assert config.optimizer.get_jit() == "autoclustering"
    config.optimizer.set_jit(False)
    assert config.optimizer.get_jit() == ""
    config.optimizer.set_experimental_options({"layout_optimizer": False})
    assert config.optimizer.get_experimental_options()["layout_optimizer"] is False
    assert config.threading.get_inter_op_parallelism_threads() == 0
    config.threading.set_intra_op_parallelism_threads(2)
    assert config.threading.get_intra_op_parallelism_threads() == 2
    config.threading.set_intra_op_parallelism_threads(0)
    assert config.get_soft_device_placement() is True
    assert config.functions_run_eagerly() is False
    config.run_functions_eagerly(True)
    try:
        assert config.functions_run_eagerly() is True
    finally:
        config.run_functions_eagerly(False)


def test_parse_device():
    assert parse_device("/GPU:0") == ("GPU", 0)
    assert parse_device("gpu:1") == ("GPU", 1)
    assert parse_device("/job:localhost/replica:0/task:0/device:CPU:3") == ("CPU", 3)
    assert parse_device("/device:XLA_CPU:0") == ("CPU", 0)
    assert parse_device("") == (None, None)
    assert parse_device(None) is None


def test_device_placement_and_soft_fallback():
    out = last_json(run_code("""
        import json
        import tfjax as tf
        import tfjax.config as config
        from tfjax._src.config.placement import device
        from tfjax._src import errors
        a = tf.constant([[1.0, 2.0], [3.0, 4.0]])
        with device("/GPU:0"):                 # no GPU: soft placement -> default device
            r = tf.matmul(a, a)
        with device("/CPU:1"):
            c = tf.constant([1.0])
            d = tf.matmul(a, a)
        out = {"gpu_fallback": r.numpy().tolist(),
               "cpu1": [str(list(c._value.devices())[0]), str(list(d._value.devices())[0])]}
        config.set_soft_device_placement(False)
        try:
            with device("/GPU:0"):
                pass
        except errors.InvalidArgumentError as e:
            out["hard"] = "Could not satisfy" in str(e)
        print(json.dumps(out))
    """, devices=2))
    assert out["gpu_fallback"] == [[7.0, 10.0], [15.0, 22.0]]
    assert out["cpu1"] == ["cpu:1", "cpu:1"]          # placed on the second virtual CPU
    assert out["hard"] is True


def test_tf_test_queries():
    assert tftest.is_gpu_available() is False
    assert tftest.is_built_with_cuda() is False
    assert tftest.gpu_device_name() == ""
    assert tftest.is_built_with_xla() is True

    class T(tftest.TestCase):
        def runTest(self):
            self.assertAllClose([1.0, 2.0], [1.0, 2.0 + 1e-8])
            self.assertAllEqual([1, 2], [1, 2])
    T().runTest()


def test_visible_devices():
    out = last_json(run_code("""
        import json
        import tfjax.config as config
        cpus = config.list_physical_devices("CPU")
        config.set_visible_devices(cpus)                # unchanged: always fine
        config.set_visible_devices(cpus, "CPU")
        out = {"same": config.get_visible_devices() == cpus}
        config.set_visible_devices([])                  # allowed, as in TF; the CPU stays usable
        out["empty"] = config.get_visible_devices()
        out["logical"] = config.list_logical_devices("CPU")[0].name
        try:
            config.set_visible_devices([config.PhysicalDevice("/physical_device:GPU:7", "GPU")])
        except ValueError:
            out["bad"] = True
        import tfjax as tf
        tf.constant(1.0) + 1.0                          # backend starts
        try:
            config.set_visible_devices(cpus)
        except RuntimeError as e:
            out["late"] = str(e)
        print(json.dumps(out))
    """, devices=None))
    assert out == {"same": True, "empty": [], "logical": "/device:CPU:0", "bad": True,
                   "late": "Visible devices cannot be modified after being initialized"}
