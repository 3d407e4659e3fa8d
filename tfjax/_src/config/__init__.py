"""``tf.config``: devices and runtime settings on JAX (see devices.py and placement.py)."""

from tfjax._src.config.devices import (  # noqa: F401
    PhysicalDevice, LogicalDevice, LogicalDeviceConfiguration, VirtualDeviceConfiguration,
    list_physical_devices, list_logical_devices, get_visible_devices, set_visible_devices,
    set_memory_growth, get_memory_growth, set_logical_device_configuration,
    get_logical_device_configuration, set_virtual_device_configuration,
    get_virtual_device_configuration, get_memory_info, get_memory_usage, reset_memory_stats,
    get_device_details, get_soft_device_placement, set_soft_device_placement, get_device_policy,
    set_device_policy, get_synchronous_execution, set_synchronous_execution, enable_op_determinism,
    enable_tensor_float_32_execution, tensor_float_32_execution_enabled, enable_mlir_bridge,
    disable_mlir_bridge, set_jit, get_jit, set_experimental_options, get_experimental_options,
    set_intra_op_parallelism_threads, get_intra_op_parallelism_threads,
    set_inter_op_parallelism_threads, get_inter_op_parallelism_threads, backend_started,
)
from tfjax._src.config.placement import device, parse_device  # noqa: F401
