"""Sharding large variables across a mesh axis: ``LayoutMap`` (Keras-3 style).

Data parallelism replicates every variable. For variables too large for one
device, a :class:`LayoutMap` maps variable-path regexes to a layout -- a tuple
with one mesh-axis name (or None) per dimension, i.e. a ``PartitionSpec``::

    mesh = tf.distribute.experimental.DeviceMesh((2, 4), ("batch", "model"))
    layout_map = tf.distribute.experimental.LayoutMap(mesh)
    layout_map["dense.*kernel"] = (None, "model")     # shard columns over "model"
    layout_map["embedding.*"] = ("model", None)
    strategy = tf.distribute.experimental.ModelParallelStrategy(layout_map, batch_dim_name="batch")
    with strategy.scope():
        model = build_model()

Variables are matched by ``re.search`` against their path (``var.path`` when the
variable has one, e.g. Keras ``"dense/kernel"``, else ``var.name`` without
``:0``); the first matching key wins; unmatched variables are replicated. A
dimension that the mesh axis does not divide is left replicated (warning).
Batches are split over ``batch_dim_name``; a ``tf.function`` step over them is
compiled by XLA's SPMD partitioner, which inserts the collectives for both
axes. (``strategy.run`` sees whole variables: it gathers sharded ones.)
"""

from __future__ import annotations

import collections
import logging
import re

import jax
import numpy as np
from jax.sharding import Mesh, PartitionSpec as P

logger = logging.getLogger("tfjax.distribute")


class DeviceMesh:
    """A named device mesh (``keras.distribution.DeviceMesh``) over ``jax.devices()``."""

    def __init__(self, shape, axis_names, devices=None):
        shape = tuple(int(s) for s in shape)
        if len(shape) != len(axis_names):
            raise ValueError(f"shape {shape} and axis_names {axis_names} must have the same length")
        if devices is None:
            devices = jax.devices()
        else:
            from tfjax._src.distribute.strategy import resolve_devices  # noqa: PLC0415
            devices = resolve_devices(devices)
        n = int(np.prod(shape))
        if n != len(devices):
            raise ValueError(f"Mesh shape {shape} needs {n} devices, got {len(devices)}")
        self.shape = shape
        self.axis_names = tuple(axis_names)
        self.devices = np.array(devices, dtype=object).reshape(shape)
        self._mesh = Mesh(self.devices, self.axis_names)

    @property
    def jax_mesh(self):
        return self._mesh


class TensorLayout:
    """A variable's layout: one mesh axis name (or None) per dimension."""

    def __init__(self, axes, device_mesh=None):
        self.axes = tuple(axes)
        self.device_mesh = device_mesh


def _variable_path(var):
    path = getattr(var, "path", None)
    if isinstance(path, str) and path:
        return path
    name = getattr(var, "name", "") or ""
    return name[:-2] if name.endswith(":0") else name


class LayoutMap(collections.abc.MutableMapping):
    """Regex -> layout (tuple of mesh-axis names / None), first match wins."""

    def __init__(self, device_mesh=None):
        if isinstance(device_mesh, Mesh):
            self._jax_mesh = device_mesh
            self.device_mesh = None
        else:
            self.device_mesh = device_mesh
            self._jax_mesh = device_mesh.jax_mesh if device_mesh is not None else None
        self._layouts = collections.OrderedDict()

    def __getitem__(self, key):
        if key in self._layouts:
            return self._layouts[key]
        for pattern, layout in self._layouts.items():
            if re.search(pattern, key):
                return layout
        return None

    def __setitem__(self, key, layout):
        if isinstance(layout, TensorLayout):
            layout = layout.axes
        if isinstance(layout, P):
            layout = tuple(layout)
        if not isinstance(layout, (tuple, list)):
            raise ValueError(f"A layout must be a tuple of mesh axis names / None, got {layout!r}")
        self._layouts[key] = tuple(layout)

    def __delitem__(self, key):
        del self._layouts[key]

    def __len__(self):
        return len(self._layouts)

    def __iter__(self):
        return iter(self._layouts)

    @property
    def jax_mesh(self):
        return self._jax_mesh

    def _spec_for(self, var, mesh):
        path = _variable_path(var)
        layout = self[path]
        if layout is None:
            return P()
        shape = tuple(var.shape.as_list()) if hasattr(var.shape, "as_list") else tuple(var.shape)
        if len(layout) != len(shape):
            raise ValueError(f"Layout {layout} for variable {path!r} does not match its rank {len(shape)}")
        axes = []
        for dim, ax in zip(shape, layout):
            if ax is None:
                axes.append(None)
                continue
            names = ax if isinstance(ax, tuple) else (ax,)
            size = int(np.prod([mesh.shape[a] for a in names]))
            if dim is None or dim % size:
                logger.warning("LayoutMap: dimension %s of %r is not divisible by mesh axis %r (size %d); "
                               "replicating that dimension", dim, path, ax, size)
                axes.append(None)
            else:
                axes.append(ax)
        return P(*axes)
