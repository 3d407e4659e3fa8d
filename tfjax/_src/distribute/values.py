"""Distributed values: ``PerReplica`` (one value per replica) over one global JAX array.

A PerReplica is stored as *one* global ``jax.Array`` laid out over the
strategy's mesh, in one of two layouts:

* ``"concat"`` -- the per-replica values are consecutive blocks along axis 0
  (a batch split across replicas: what distributed datasets produce);
* ``"stacked"`` -- a new leading axis of size ``num_replicas`` (what
  ``strategy.run`` returns: the per-replica outputs, one row each).

Either way the data axis of the mesh shards axis 0, so each replica's value
lives on its device, and the value passes through ``jax.jit`` as one sharded
argument. ``.values`` gives TF's tuple of per-replica tensors (local replicas).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from tfjax._src.tensor import Tensor

CONCAT = "concat"
STACKED = "stacked"


class DistributedValues:
    """Base class of values with one component per replica (``tf.distribute.DistributedValues``)."""

    @property
    def values(self):
        raise NotImplementedError

    def _tfjax_local_values(self):
        return self.values


class PerReplica(DistributedValues):
    """Holds one value per replica (``tf.distribute.DistributedValues`` of kind PerReplica)."""

    __slots__ = ("_global", "_kind", "_strategy", "_values_cache")

    def __init__(self, global_value, kind, strategy):
        if isinstance(global_value, Tensor):
            global_value = global_value._value
        self._global = global_value         # jax.Array or tracer
        self._kind = kind
        self._strategy = strategy
        self._values_cache = None

    @property
    def _pr_global(self):
        return Tensor(self._global)

    @classmethod
    def from_values(cls, values, strategy):
        """Builds a stacked PerReplica from a per-local-replica list of tensors."""
        arrays = [v._value if isinstance(v, Tensor) else jnp.asarray(v) for v in values]
        return cls(strategy.extended._stack_local(arrays), STACKED, strategy)

    @property
    def _num_replicas(self):
        return self._strategy.num_replicas_in_sync

    def _components(self):
        """Per-replica arrays of all replicas (traced or concrete), in replica order."""
        g = self._global
        n = self._num_replicas
        if self._kind == STACKED:
            return [g[i] for i in range(n)]
        k = g.shape[0] // n
        return [g[i * k:(i + 1) * k] for i in range(n)]

    @property
    def values(self):
        if self._values_cache is None:
            g = self._global
            if isinstance(g, jax.core.Tracer) or g.is_fully_addressable:
                comps = self._components()
            else:
                # Multi-process: only this process's replicas are local (as TF's local results).
                comps = []
                for s in sorted(g.addressable_shards, key=lambda s: s.index[0].start or 0):
                    data = s.data
                    comps.append(data[0] if self._kind == STACKED else data)
            self._values_cache = tuple(Tensor(c) for c in comps)
        return self._values_cache

    def global_tensor(self):
        """The underlying global array as one Tensor (layout: see ``_kind``)."""
        return Tensor(self._global)

    @property
    def dtype(self):
        return Tensor(self._global).dtype

    @property
    def shape(self):
        s = Tensor(self._global).shape
        if self._kind == STACKED:
            return s[1:]
        from tfjax._src.tensor_shape import TensorShape  # noqa: PLC0415
        d = s.as_list()
        if d and d[0] is not None:
            d[0] //= self._num_replicas
        return TensorShape(d)

    def __repr__(self):
        body = ",\n".join(f"  {i}: {v}" for i, v in enumerate(self.values))
        return "PerReplica:{\n" + body + "\n}"

    __str__ = __repr__


class _Field:
    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name


# tf.function passes a PerReplica argument *into* the compiled function (its global
# array is a traced input, the layout and strategy are part of the cache key) through
# the attrs-class protocol that tfjax.nest and tf.function understand. tfjax's
# distribute code itself treats PerReplica as a leaf (flatten_pr / map_pr below).
PerReplica.__attrs_attrs__ = (_Field("_pr_global"), _Field("_kind"), _Field("_strategy"))


def flatten_pr(structure):
    """nest.flatten that keeps DistributedValues as leaves."""
    from tfjax._src import nest  # noqa: PLC0415
    if isinstance(structure, DistributedValues) or not nest.is_nested(structure):
        return [structure]
    out = []
    for c in nest._children(structure):
        out.extend(flatten_pr(c))
    return out


def pack_pr(template, leaves):
    from tfjax._src import nest  # noqa: PLC0415
    it = iter(leaves)

    def build(t):
        if isinstance(t, DistributedValues) or not nest.is_nested(t):
            return next(it)
        return nest._rebuild(t, [build(c) for c in nest._children(t)])
    return build(template)


def map_pr(fn, structure):
    return pack_pr(structure, [fn(x) for x in flatten_pr(structure)])


class Mirrored(DistributedValues):
    """A value known to be identical on every replica."""

    def __init__(self, value, strategy):
        self._value = value
        self._strategy = strategy

    @property
    def values(self):
        return tuple(self._value for _ in range(self._strategy.extended._num_local_replicas))


def is_per_replica(x):
    return isinstance(x, PerReplica)


def local_results(value):
    """``experimental_local_results``: a tuple of per-replica values (``(value,)`` for plain ones)."""
    from tfjax._src import nest  # noqa: PLC0415
    if isinstance(value, DistributedValues):
        return tuple(value.values)
    if nest.is_nested(value):
        flat = flatten_pr(value)
        per = [local_results(x) for x in flat]
        n = max((len(p) for p in per), default=1)
        if all(len(p) == 1 for p in per):
            return (value,)
        out = []
        for i in range(n):
            out.append(pack_pr(value, [p[i] if len(p) > 1 else p[0] for p in per]))
        return tuple(out)
    return (value,)


def to_numpy(x):
    return np.asarray(x)
