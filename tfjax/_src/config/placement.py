"""``tf.device``: place computations with ``jax.default_device``.

``with tf.device('/GPU:0'):`` makes the named device JAX's default device for
the block, so new tensors and computations on uncommitted inputs run there.
Like TF's soft device placement (on by default), a device that does not exist
(``/GPU:0`` on a CPU-only machine) falls back to the default device; with
``tf.config.set_soft_device_placement(False)`` it raises
``InvalidArgumentError``. ``tf.device(None)`` clears the placement.
"""

from __future__ import annotations

import re
import threading

import jax

from tfjax._src.config import devices as _devices

_FULL = re.compile(
    r"^(?:/job:[^/]*)?(?:/replica:\d+)?(?:/task:\d+)?(?:/device:|/)?([A-Za-z_]+)(?::(\d+|\*))?$")


def parse_device(name):
    """'/GPU:0', 'gpu:1', '/job:localhost/replica:0/task:0/device:CPU:0', '' -> (TYPE or None, index or None)."""
    if name is None:
        return None
    if hasattr(name, "name") and hasattr(name, "device_type"):  # LogicalDevice / PhysicalDevice
        name = name.name
    name = str(name).strip()
    if name in ("", "/"):
        return (None, None)
    s = name
    # Strip job/replica/task prefixes.
    s = re.sub(r"/(job|replica|task):[^/]*", "", s)
    if s in ("", "/"):
        return (None, None)
    m = _FULL.match(s)
    if not m:
        raise ValueError(f"Unknown attribute: '{name}' in '{name}'")
    kind = m.group(1).upper()
    if kind.startswith("XLA_"):
        kind = kind[4:]
    if kind == "PHYSICAL_DEVICE":
        raise ValueError(f"Invalid device name: {name!r}")
    idx = m.group(2)
    return (kind, None if idx in (None, "*") else int(idx))


def resolve(name):
    """The JAX device for a TF device string, or None (soft placement: not available)."""
    spec = parse_device(name)
    if spec is None or spec[0] is None:
        return None
    kind, idx = spec
    dev = _devices.logical_to_jax(kind, idx or 0)
    return dev


class _DeviceState(threading.local):
    def __init__(self):
        self.stack = []


_state = _DeviceState()


def current_device_name():
    return _state.stack[-1] if _state.stack else ""


class device:
    """``tf.device(device_name)``: context manager placing the ops created inside it."""

    def __init__(self, device_name):
        if callable(device_name) and not isinstance(device_name, str):
            raise RuntimeError("tf.device does not support functions when eager execution is enabled.")
        self._name = device_name
        spec = parse_device(device_name)  # validates the string now, as TF does
        self._spec = spec
        self._ctx = None

    def __enter__(self):
        name = self._name
        spec = self._spec
        if spec is None or spec[0] is None:
            target = None
        else:
            target = _devices.logical_to_jax(spec[0], spec[1] or 0)
            if target is None and not _devices.get_soft_device_placement():
                from tfjax._src import errors  # noqa: PLC0415
                raise errors.InvalidArgumentError(
                    None, None,
                    f"Could not satisfy device specification '{name}'. enable_soft_placement=0. "
                    f"Available devices: {[d.name for d in _devices.list_logical_devices()]}")
        self._ctx = jax.default_device(target)
        self._ctx.__enter__()
        _state.stack.append(str(name) if name is not None else "")
        return None

    def __exit__(self, *exc):
        _state.stack.pop()
        self._ctx.__exit__(*exc)
        return False
