"""``tf.config``: device listing, virtual devices, memory and runtime settings."""

from tfjax._src.config.devices import (
    PhysicalDevice as PhysicalDevice,
    LogicalDevice as LogicalDevice,
    LogicalDeviceConfiguration as LogicalDeviceConfiguration,
    list_physical_devices as list_physical_devices,
    list_logical_devices as list_logical_devices,
    get_visible_devices as get_visible_devices,
    set_visible_devices as set_visible_devices,
    set_logical_device_configuration as set_logical_device_configuration,
    get_logical_device_configuration as get_logical_device_configuration,
    get_soft_device_placement as get_soft_device_placement,
    set_soft_device_placement as set_soft_device_placement,
)
from tfjax._src.function import (
    run_functions_eagerly as run_functions_eagerly,
    functions_run_eagerly as functions_run_eagerly,
    run_functions_eagerly as experimental_run_functions_eagerly,
    functions_run_eagerly as experimental_functions_run_eagerly,
)
from tfjax._src.distribute.cluster_resolver import (
    experimental_connect_to_cluster as experimental_connect_to_cluster,
    experimental_connect_to_host as experimental_connect_to_host,
)
from tfjax.config import experimental as experimental
from tfjax.config import optimizer as optimizer
from tfjax.config import threading as threading
