"""``tf.config`` device listing and runtime configuration, mapped onto JAX.

TensorFlow configures its runtime lazily: devices can be listed, and memory
growth / virtual devices set, until the first op initialises the runtime. JAX
has the same shape: the XLA backends (and their allocators) are created the
first time anything asks for a device or runs a computation. So:

* Listing *CPU* physical devices never starts a backend (there is always one,
  ``/physical_device:CPU:0``, as in TF). Listing GPUs probes the NVIDIA driver
  when a JAX GPU plugin is installed, without starting the backend, so the
  spec-guide sequence "list GPUs, set memory growth, set a memory limit" still
  takes effect. Anything else starts the backend.
* Settings that must be known before the backend starts are written to the
  JAX configuration / the allocator's environment variables while that is still
  possible; afterwards the same call raises TF's ``RuntimeError``.

Virtual CPU devices (``set_logical_device_configuration(cpu, [cfg] * n)``) map
to ``jax_num_cpu_devices`` (the JAX-native form of
``--xla_force_host_platform_device_count``).
"""

from __future__ import annotations

import collections
import glob
import importlib.util
import logging
import os
import shutil
import subprocess
import threading

import jax

logger = logging.getLogger("tfjax.config")

PhysicalDevice = collections.namedtuple("PhysicalDevice", ["name", "device_type"])
PhysicalDevice.__doc__ = "Abstraction for a locally visible physical device (``tf.config.PhysicalDevice``)."
LogicalDevice = collections.namedtuple("LogicalDevice", ["name", "device_type"])
LogicalDevice.__doc__ = "Abstraction for a logical device initialized by the runtime (``tf.config.LogicalDevice``)."


class LogicalDeviceConfiguration(
        collections.namedtuple("LogicalDeviceConfiguration",
                               ["memory_limit", "experimental_priority", "experimental_device_ordinal"])):
    """Configuration class for a logical device (``tf.config.LogicalDeviceConfiguration``).

    ``memory_limit`` is in MB, as in TF.
    """

    def __new__(cls, memory_limit=None, experimental_priority=None, experimental_device_ordinal=None):
        return super().__new__(cls, memory_limit, experimental_priority, experimental_device_ordinal)


VirtualDeviceConfiguration = LogicalDeviceConfiguration

# JAX platform names -> TF device types.
_TF_TYPE = {"cpu": "CPU", "gpu": "GPU", "cuda": "GPU", "rocm": "GPU", "tpu": "TPU"}
_JAX_PLATFORMS = {"CPU": ("cpu",), "GPU": ("cuda", "rocm", "gpu"), "TPU": ("tpu",)}


class _State:
    def __init__(self):
        self.lock = threading.Lock()
        self.memory_growth = {}        # PhysicalDevice -> bool
        self.logical_config = {}       # PhysicalDevice -> list[LogicalDeviceConfiguration]
        self.visible = None            # None (all) or list[PhysicalDevice]
        self.soft_placement = True
        self.jit = ""
        self.optimizer_options = {}
        self.intra_op = 0
        self.inter_op = 0
        self.tf32 = True
        self.device_policy = "silent"
        self.synchronous = True


_state = _State()


def backend_started() -> bool:
    """True once JAX has created its XLA backends (device settings are then fixed)."""
    from jax._src import xla_bridge  # noqa: PLC0415 - private but stable: the only side-effect-free probe
    return xla_bridge.backends_are_initialized()


def tf_device_type(jax_device) -> str:
    return _TF_TYPE.get(jax_device.platform, jax_device.platform.upper())


def _normalize_type(device_type):
    if device_type is None:
        return None
    t = str(device_type).upper()
    if t.startswith("XLA_"):
        t = t[4:]
    return t


# ---------------------------------------------------------------------------
# Probing without starting the backend
# ---------------------------------------------------------------------------

def _gpu_plugin_installed() -> bool:
    for mod in ("jax_cuda12_plugin", "jax_cuda13_plugin", "jax_plugins.xla_cuda12",
                "jax_plugins.xla_cuda13", "jax_rocm60_plugin", "jax_rocm7_plugin",
                "jax_plugins.xla_rocm60", "jax_plugins.xla_rocm7"):
        try:
            if importlib.util.find_spec(mod) is not None:
                return True
        except (ImportError, ValueError):
            continue
    return False


def _platforms_allowed():
    p = os.environ.get("JAX_PLATFORMS") or jax.config.jax_platforms
    return None if not p else {x.strip().lower() for x in p.split(",")}


def _probe_nvidia_count():
    """Number of visible NVIDIA GPUs from the driver's procfs, or None if unknown."""
    gpus = sorted(glob.glob("/proc/driver/nvidia/gpus/*"))
    if not gpus:
        return 0 if not os.path.exists("/dev/nvidiactl") else None
    n = len(gpus)
    vis = os.environ.get("CUDA_VISIBLE_DEVICES")
    if vis is not None:
        ids = [x for x in vis.split(",") if x.strip() != ""]
        if ids and all(x.strip().lstrip("-").isdigit() for x in ids):
            valid = []
            for x in ids:
                i = int(x)
                if i < 0 or i >= n:
                    break
                valid.append(i)
            return len(valid)
        return len(ids) if ids else 0
    return n


def _jax_devices_of(tf_type):
    out = []
    for d in jax.local_devices() if tf_type != "CPU" else _cpu_devices():
        if tf_device_type(d) == tf_type:
            out.append(d)
    return out


def _cpu_devices():
    try:
        return jax.local_devices(backend="cpu")
    except RuntimeError:
        return []


def _physical_count(tf_type):
    """Number of physical devices of a TF type, starting the backend only when needed."""
    allowed = _platforms_allowed()
    if tf_type == "CPU":
        return 1
    if tf_type == "GPU":
        if allowed is not None and not allowed & {"cuda", "rocm", "gpu"}:
            return 0
        if not backend_started():
            if not _gpu_plugin_installed():
                return 0
            n = _probe_nvidia_count()
            if n is not None:
                return n
        try:
            return len([d for d in jax.local_devices() if tf_device_type(d) == "GPU"])
        except RuntimeError:
            return 0
    if tf_type == "TPU":
        if allowed is not None and "tpu" not in allowed:
            return 0
        if not backend_started() and not glob.glob("/dev/accel*") and not glob.glob("/dev/vfio/[0-9]*") \
                and importlib.util.find_spec("libtpu") is None:
            return 0
        try:
            return len([d for d in jax.local_devices() if tf_device_type(d) == "TPU"])
        except RuntimeError:
            return 0
    # Other plugin platforms: ask JAX.
    try:
        return len([d for d in jax.local_devices() if tf_device_type(d) == tf_type])
    except RuntimeError:
        return 0


_KNOWN_TYPES = ("CPU", "GPU", "TPU")


def list_physical_devices(device_type=None):
    """``tf.config.list_physical_devices``: ``[PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU'), ...]``.

    There is always exactly one CPU physical device (virtual CPU devices are
    *logical* devices, as in TF).
    """
    t = _normalize_type(device_type)
    types = _KNOWN_TYPES if t is None else (t,)
    out = []
    for ty in types:
        for i in range(_physical_count(ty)):
            out.append(PhysicalDevice(name=f"/physical_device:{ty}:{i}", device_type=ty))
    return out


def _check_physical(device):
    if not isinstance(device, PhysicalDevice):
        raise ValueError(f"Unrecognized device: {device!r}")
    if device not in list_physical_devices(device.device_type):
        raise ValueError(f"Unrecognized device: {device!r}")


def list_logical_devices(device_type=None):
    """``tf.config.list_logical_devices``: the devices JAX computes on (starts the backend).

    CPU logical devices are JAX's host devices (``jax_num_cpu_devices`` /
    ``--xla_force_host_platform_device_count``); accelerators are one logical
    device per JAX device.
    """
    t = _normalize_type(device_type)
    out = []
    visible = get_visible_devices()
    # The host CPU always stays usable (TF's runtime keeps it too, even when hidden).
    vis_types = {d.device_type for d in visible} | {"CPU"}
    vis_idx = {(d.device_type, int(d.name.rsplit(":", 1)[1])) for d in visible} | {("CPU", 0)}
    for ty in (_KNOWN_TYPES if t is None else (t,)):
        if ty not in vis_types:
            continue
        if ty != "CPU" and _physical_count(ty) == 0:
            continue
        devs = _jax_devices_of(ty)
        k = 0
        for i, d in enumerate(devs):
            phys = 0 if ty == "CPU" else i
            if (ty, phys) not in vis_idx:
                continue
            out.append(LogicalDevice(name=f"/device:{ty}:{k}", device_type=ty))
            k += 1
    return out


def logical_to_jax(device_type, index):
    """The JAX device behind logical device ``/device:TYPE:index`` (None if absent)."""
    devs = _jax_devices_of(_normalize_type(device_type))
    if _normalize_type(device_type) != "CPU" and get_visible_devices() is not None:
        vis = {int(d.name.rsplit(":", 1)[1]) for d in get_visible_devices(device_type)}
        devs = [d for i, d in enumerate(devs) if i in vis]
    return devs[index] if 0 <= index < len(devs) else None


# ---------------------------------------------------------------------------
# Visibility
# ---------------------------------------------------------------------------

def get_visible_devices(device_type=None):
    t = _normalize_type(device_type)
    vis = _state.visible if _state.visible is not None else list_physical_devices()
    return [d for d in vis if t is None or d.device_type == t]


def set_visible_devices(devices, device_type=None):
    """``tf.config.set_visible_devices``.

    Hiding GPUs before the backend starts sets ``jax_cuda_visible_devices``;
    afterwards a change raises ``RuntimeError`` as in TF.
    """
    if isinstance(devices, PhysicalDevice):
        devices = [devices]
    devices = list(devices)
    t = _normalize_type(device_type)
    for d in devices:
        _check_physical(d)
        if t is not None and d.device_type != t:
            raise ValueError(f"Device {d} does not match device_type {device_type}")
    current = get_visible_devices()
    if t is None:
        new = devices
    else:
        new = [d for d in current if d.device_type != t] + devices
    if sorted(new) == sorted(current):
        return
    if backend_started():
        raise RuntimeError("Visible devices cannot be modified after being initialized")
    gpu_ids = sorted(int(d.name.rsplit(":", 1)[1]) for d in new if d.device_type == "GPU")
    if any(d.device_type == "GPU" for d in list_physical_devices("GPU")):
        jax.config.update("jax_cuda_visible_devices", ",".join(map(str, gpu_ids)) if gpu_ids else "")
        if not gpu_ids:
            _restrict_platforms_without("cuda")
    _state.visible = new


def _restrict_platforms_without(platform):
    """Hides a whole platform (all GPUs made invisible) by listing the others in jax_platforms."""
    if not jax.config.jax_platforms:
        jax.config.update("jax_platforms", "cpu")


# ---------------------------------------------------------------------------
# Memory
# ---------------------------------------------------------------------------

def set_memory_growth(device, enable):
    """``tf.config.experimental.set_memory_growth``: GPU memory on demand.

    Maps to ``XLA_PYTHON_CLIENT_PREALLOCATE=false`` (JAX's "allocate as needed"),
    which the GPU allocator reads when the backend starts.
    """
    _check_physical(device)
    if device.device_type == "CPU":
        if device in _state.logical_config:
            raise ValueError("Cannot set memory growth on device when virtual devices configured")
        raise ValueError("Cannot set memory growth on non-GPU and non-Pluggable devices")
    enable = bool(enable)
    if _state.memory_growth.get(device, False) == enable:
        return
    if backend_started():
        raise RuntimeError("Physical devices cannot be modified after being initialized")
    if device in _state.logical_config and enable:
        raise ValueError("Cannot set memory growth on device when virtual devices configured")
    _state.memory_growth[device] = enable
    if any(_state.memory_growth.values()):
        os.environ["XLA_PYTHON_CLIENT_PREALLOCATE"] = "false"
    else:
        os.environ.pop("XLA_PYTHON_CLIENT_PREALLOCATE", None)


def get_memory_growth(device):
    _check_physical(device)
    if device not in _state.memory_growth:
        if device.device_type == "CPU":
            raise KeyError(device)
        return os.environ.get("XLA_PYTHON_CLIENT_PREALLOCATE", "").lower() in ("false", "0")
    return _state.memory_growth[device]


def _gpu_total_memory_mb(index):
    smi = shutil.which("nvidia-smi")
    if smi is None:
        return None
    try:
        out = subprocess.run([smi, "--query-gpu=memory.total", "--format=csv,noheader,nounits", f"--id={index}"],
                             capture_output=True, text=True, timeout=10)
        return float(out.stdout.strip().splitlines()[0])
    except (OSError, ValueError, IndexError, subprocess.SubprocessError):
        return None


def set_logical_device_configuration(device, logical_devices):
    """``tf.config.set_logical_device_configuration``.

    * CPU: ``n`` configurations give ``n`` virtual CPU devices
      (``jax_num_cpu_devices``), as TF's virtual CPUs.
    * GPU: one configuration with ``memory_limit`` (MB) caps the allocator:
      ``XLA_PYTHON_CLIENT_MEM_FRACTION = limit / total`` and no preallocation
      beyond it. JAX cannot split one GPU into several devices, so more than one
      configuration per GPU raises ``ValueError``.

    Must run before the backend starts; afterwards an effective change raises
    ``RuntimeError("Virtual devices cannot be modified after being initialized")``.
    """
    _check_physical(device)
    configs = [] if logical_devices is None else list(logical_devices)
    for c in configs:
        if not isinstance(c, LogicalDeviceConfiguration):
            raise ValueError(f"Expected LogicalDeviceConfiguration, got {c!r}")
    with _state.lock:
        if backend_started():
            if _state.logical_config.get(device, None) == configs:
                return
            if device.device_type == "CPU" and configs and len(_cpu_devices()) == len(configs) \
                    and all(c.memory_limit is None for c in configs):
                _state.logical_config[device] = configs
                return
            raise RuntimeError("Virtual devices cannot be modified after being initialized")
        if device.device_type == "CPU":
            if not configs:
                _state.logical_config.pop(device, None)
                return
            jax.config.update("jax_num_cpu_devices", len(configs))
            logger.info("tfjax: %d virtual CPU devices (jax_num_cpu_devices=%d)", len(configs), len(configs))
        elif device.device_type == "GPU":
            if _state.memory_growth.get(device):
                raise ValueError("Cannot set memory growth on device when virtual devices configured")
            if len(configs) > 1:
                raise ValueError(
                    "tfjax cannot split one GPU into several logical devices (JAX/XLA exposes one "
                    "device per GPU); give one LogicalDeviceConfiguration per GPU.")
            limit = configs[0].memory_limit if configs else None
            if limit is not None:
                total = _gpu_total_memory_mb(int(device.name.rsplit(":", 1)[1]))
                if total:
                    frac = max(0.01, min(1.0, float(limit) / total))
                    os.environ["XLA_PYTHON_CLIENT_MEM_FRACTION"] = f"{frac:.4f}"
                    logger.info("tfjax: GPU memory limit %s MB -> XLA_PYTHON_CLIENT_MEM_FRACTION=%.4f",
                                limit, frac)
                else:
                    # Unknown total: at least stop preallocating the default 75%.
                    os.environ["XLA_PYTHON_CLIENT_PREALLOCATE"] = "false"
                    logger.warning("tfjax: could not read the GPU's total memory; memory_limit=%s MB "
                                   "is approximated by on-demand allocation", limit)
        else:
            if len(configs) > 1:
                raise ValueError(f"tfjax cannot split a {device.device_type} into several logical devices.")
        _state.logical_config[device] = configs


def get_logical_device_configuration(device):
    _check_physical(device)
    cfg = _state.logical_config.get(device)
    return None if cfg is None else list(cfg)


set_virtual_device_configuration = set_logical_device_configuration
get_virtual_device_configuration = get_logical_device_configuration


def _parse_device_arg(device):
    from tfjax._src.config.placement import parse_device  # noqa: PLC0415
    spec = parse_device(device)
    if spec is None or spec[0] is None:
        raise ValueError(f"Invalid device: {device!r}")
    dev = logical_to_jax(spec[0], spec[1] or 0)
    if dev is None:
        raise ValueError(f"Failed parsing device name: '{device}'. Device name must be a logical device.")
    return spec[0], dev


def get_memory_info(device):
    """``tf.config.experimental.get_memory_info``: ``{'current': bytes, 'peak': bytes}`` from JAX's allocator stats."""
    _, dev = _parse_device_arg(device)
    stats = dev.memory_stats() if hasattr(dev, "memory_stats") else None
    if not stats:
        return {"current": 0, "peak": 0}
    return {"current": int(stats.get("bytes_in_use", 0)),
            "peak": int(stats.get("peak_bytes_in_use", stats.get("bytes_in_use", 0)))}


def get_memory_usage(device):
    return get_memory_info(device)["current"]


def reset_memory_stats(device):
    _, dev = _parse_device_arg(device)
    # XLA's allocators expose no peak reset; TF raises for devices without support.
    raise ValueError(f"Resetting memory stats is not supported for device {device} by tfjax (XLA's "
                     f"allocator keeps a lifetime peak)")


def get_device_details(device):
    """``tf.config.experimental.get_device_details``: ``{}`` for CPU; name / compute capability for GPUs."""
    _check_physical(device)
    if device.device_type == "CPU":
        return {}
    idx = int(device.name.rsplit(":", 1)[1])
    devs = _jax_devices_of(device.device_type)
    if idx >= len(devs):
        return {}
    d = devs[idx]
    out = {"device_name": getattr(d, "device_kind", "")}
    cc = getattr(d, "compute_capability", None)
    if cc:
        try:
            major, minor = str(cc).split(".")[:2]
            out["compute_capability"] = (int(major), int(minor))
        except ValueError:
            pass
    return out


# ---------------------------------------------------------------------------
# Misc runtime switches
# ---------------------------------------------------------------------------

def get_soft_device_placement():
    return _state.soft_placement


def set_soft_device_placement(enabled):
    _state.soft_placement = bool(enabled)


def get_device_policy():
    return _state.device_policy


def set_device_policy(device_policy):
    if device_policy not in (None, "silent", "silent_for_int32", "warn", "explicit"):
        raise ValueError(f"Not a valid device policy: {device_policy!r}")
    _state.device_policy = device_policy or "silent"


def get_synchronous_execution():
    return _state.synchronous


def set_synchronous_execution(enable):
    _state.synchronous = bool(enable)


def enable_op_determinism():
    """``tf.config.experimental.enable_op_determinism``: XLA on CPU/TPU is deterministic;
    on GPU this sets ``--xla_gpu_deterministic_ops`` while the backend can still read it."""
    flags = os.environ.get("XLA_FLAGS", "")
    if "xla_gpu_deterministic_ops" not in flags:
        if backend_started():
            logger.warning("tfjax: enable_op_determinism() after the backend started: "
                           "--xla_gpu_deterministic_ops can no longer take effect")
        else:
            os.environ["XLA_FLAGS"] = (flags + " --xla_gpu_deterministic_ops=true").strip()


def enable_tensor_float_32_execution(enabled):
    """TF32 on/off: maps to ``jax_default_matmul_precision`` ('highest' when disabled)."""
    _state.tf32 = bool(enabled)
    jax.config.update("jax_default_matmul_precision", None if enabled else "highest")


def tensor_float_32_execution_enabled():
    return _state.tf32


def enable_mlir_bridge():
    pass


def disable_mlir_bridge():
    pass


# tf.config.optimizer
def set_jit(enabled):
    """``tf.config.optimizer.set_jit``: tf.function always compiles with XLA in tfjax; recorded only."""
    if enabled is True or enabled == "autoclustering":
        _state.jit = "autoclustering"
    elif enabled in (False, None, ""):
        _state.jit = ""
    else:
        raise ValueError(f"Invalid value for jit: {enabled!r}")


def get_jit():
    return _state.jit


def set_experimental_options(options):
    _state.optimizer_options.update(dict(options))


def get_experimental_options():
    return dict(_state.optimizer_options)


# tf.config.threading
def set_intra_op_parallelism_threads(num_threads):
    """Recorded; XLA's CPU thread pool size is fixed by the backend (see docs/distribute.md)."""
    _state.intra_op = int(num_threads)


def get_intra_op_parallelism_threads():
    return _state.intra_op


def set_inter_op_parallelism_threads(num_threads):
    _state.inter_op = int(num_threads)


def get_inter_op_parallelism_threads():
    return _state.inter_op
