"""``tf.distribute.Strategy`` on a ``jax.sharding.Mesh``.

Every strategy owns a mesh whose *data* axis (``"batch"``) spans its replicas:

* variables created in ``strategy.scope()`` are placed on the mesh with a
  ``NamedSharding`` -- replicated (``PartitionSpec()``), or sharded as a
  :class:`~tfjax._src.distribute.layout.LayoutMap` says;
* batches are ``jax.Array``s sharded along axis 0 over the data axis;
* ``strategy.run(fn, args)`` is one ``jax.shard_map`` over the mesh: ``fn``
  sees its replica's shard, ``get_replica_context().all_reduce`` is a
  ``psum``/``pmean`` over the data axis, and variables written in ``fn`` come
  back replicated (aggregated as their ``VariableAggregation`` says);
* a ``tf.function`` over sharded batches and replicated variables is one XLA
  SPMD program: the partitioner inserts the gradient all-reduce
  (``strategy.distribute_batch`` is the entry point Keras ``fit`` uses).

See docs/distribute.md.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import weakref

import jax
import jax.numpy as jnp
import numpy as np
from jax.sharding import Mesh, NamedSharding, PartitionSpec as P

from tfjax._src import nest
from tfjax._src import variables as _vars
from tfjax._src.config import devices as _devices
from tfjax._src.distribute import context as _context
from tfjax._src.distribute.reduce_util import ReduceOp, as_reduce_op
from tfjax._src.distribute.values import (PerReplica, DistributedValues, CONCAT, STACKED, local_results,
                                          flatten_pr, pack_pr, map_pr)
from tfjax._src.tensor import Tensor, convert_to_tensor
from tfjax._src.variables import Variable, VariableAggregation

logger = logging.getLogger("tfjax.distribute")

DATA_AXIS = "batch"
LOCAL = "local"   # PerReplica kind inside a run body (merge_call): the replica's own value


# ---------------------------------------------------------------------------
# Variable placement hook
# ---------------------------------------------------------------------------

_hook_installed = [False]


def _on_variable_created(var):
    strategy = _context.current_scope_strategy()
    if strategy is None or isinstance(strategy, _DefaultDistributionStrategy):
        return
    ext = strategy.extended
    ext._place_variable(var)
    if ext._layout_map is not None:
        # Subclasses (Keras) may set the variable's path after Variable.__init__:
        # the layout is checked again when the scope exits / before the next step.
        ext._pending.append(var)


def install_variable_hook():
    """Places variables created under a strategy scope on the strategy's mesh.

    Uses ``tfjax._src.variables.creation_hooks`` when the core provides it;
    otherwise wraps ``Variable.__init__`` once (subclasses that call
    ``super().__init__`` are covered).
    """
    if _hook_installed[0]:
        return
    hooks = getattr(_vars, "creation_hooks", None)
    if isinstance(hooks, list):
        hooks.append(_on_variable_created)
    else:
        orig = Variable.__init__

        @functools.wraps(orig)
        def __init__(self, *args, **kwargs):
            orig(self, *args, **kwargs)
            if _context._ctx.scopes or _context._global_strategy[0] is not None or _context._ctx.replicas:
                _on_variable_created(self)

        Variable.__init__ = __init__
    _hook_installed[0] = True


def tf_device_name(d, job="localhost", task=None):
    kind = _devices.tf_device_type(d)
    idx = getattr(d, "local_hardware_id", None)
    if idx is None or kind == "CPU":
        locs = [x for x in jax.local_devices(backend=d.platform)] if d.process_index == jax.process_index() \
            else None
        idx = locs.index(d) if locs and d in locs else d.id
    t = d.process_index if task is None else task
    return f"/job:{job}/replica:0/task:{t}/device:{kind}:{idx}"


# ---------------------------------------------------------------------------
# Replica context
# ---------------------------------------------------------------------------

class ReplicaContext:
    """``tf.distribute.ReplicaContext``: what ``fn`` sees inside ``strategy.run``."""

    def __init__(self, strategy, replica_id_in_sync_group, axis_names=()):
        self._strategy = strategy
        self._replica_id = replica_id_in_sync_group
        self._axes = tuple(axis_names)

    @property
    def strategy(self):
        return self._strategy

    @property
    def num_replicas_in_sync(self):
        return self._strategy.num_replicas_in_sync

    @property
    def replica_id_in_sync_group(self):
        rid = self._replica_id
        if isinstance(rid, Tensor):
            return rid
        return convert_to_tensor(np.int32(rid))

    @property
    def devices(self):
        return self._strategy.extended.worker_devices

    def all_reduce(self, reduce_op, value, options=None):
        """Sum or mean of ``value`` (a nested structure) over all replicas; every replica gets the result."""
        op = as_reduce_op(reduce_op)
        axes = self._axes
        n = self.num_replicas_in_sync

        def one(x):
            t = x.value() if isinstance(x, Variable) else convert_to_tensor(x)
            v = t._value
            if not axes:
                return t
            s = jax.lax.psum(v, axes)
            if op is ReduceOp.MEAN:
                s = s // n if jnp.issubdtype(v.dtype, jnp.integer) else (s / n).astype(v.dtype)
            return Tensor(s)
        return map_pr(one, value)

    def all_gather(self, value, axis, options=None):
        """Concatenates each replica's ``value`` along ``axis``."""
        axes = self._axes

        def one(x):
            t = convert_to_tensor(x)
            if not axes:
                return t
            return Tensor(jax.lax.all_gather(t._value, axes, axis=axis, tiled=True))
        return map_pr(one, value)

    def merge_call(self, merge_fn, args=(), kwargs=None):
        """Calls ``merge_fn(strategy, *args)`` in cross-replica context.

        Tensors in ``args`` arrive as PerReplica values, so ``strategy.reduce`` /
        ``strategy.extended.reduce_to`` / ``batch_reduce_to`` on them all-reduce
        across replicas; ``strategy.extended.update(var, fn)`` applies ``fn``.
        """
        kwargs = kwargs or {}

        def wrap(x):
            if self._axes and isinstance(x, Tensor):
                return PerReplica(x._value, LOCAL, self._strategy)
            return x
        a, kw = map_pr(wrap, (tuple(args), dict(kwargs)))
        with _context.enter_cross_replica(self._strategy):
            self._strategy._merge_axes = self._axes
            try:
                return merge_fn(self._strategy, *a, **kw)
            finally:
                self._strategy._merge_axes = ()


# ---------------------------------------------------------------------------
# Variable scope used inside a run body
# ---------------------------------------------------------------------------

class _ReplicaScope(_vars.StateScope):
    """State scope of one ``strategy.run`` body: reads fall through to the enclosing
    tf.function's scope (or the eager value); writes are collected and returned
    out of the shard_map."""

    def __init__(self, outer, allow_creation):
        self.outer = outer
        self.values = {}
        self.vars = {}
        self.discovered = []
        self.written = {}
        self.allow_creation = allow_creation
        self._reads = {}

    def read(self, var):
        x = self.values.get(id(var))
        if x is not None:
            return x
        x = self._reads.get(id(var))
        if x is None:
            x = self.outer.read(var) if self.outer is not None else var._value
            self._reads[id(var)] = x
        return x

    def original(self, var):
        x = self._reads.get(id(var))
        if x is None:
            x = self.outer.read(var) if self.outer is not None else var._value
        return x

    def write(self, var, x):
        self.values[id(var)] = x
        self.vars[id(var)] = var
        self.written[id(var)] = var


def _aggregate_write(var, new, scope, axes, n):
    agg = var.aggregation
    if not axes:
        return new
    if agg == VariableAggregation.MEAN:
        s = jax.lax.psum(new, axes)
        return s // n if jnp.issubdtype(new.dtype, jnp.integer) else (s / n).astype(new.dtype)
    if agg == VariableAggregation.SUM:
        old = scope.original(var)
        return (old + jax.lax.psum(new - old, axes)).astype(new.dtype)
    if agg == VariableAggregation.ONLY_FIRST_REPLICA:
        first = jax.lax.axis_index(axes) == 0
        return jax.lax.psum(jnp.where(first, new, jnp.zeros_like(new)), axes)
    return new   # NONE: every replica computed the same update (replica 0's copy is kept)


def _is_numeric_array(x):
    return isinstance(x, (jax.Array, np.ndarray, jax.core.Tracer)) and x.dtype != object


# ---------------------------------------------------------------------------
# StrategyExtended
# ---------------------------------------------------------------------------

class StrategyExtended:
    """``strategy.extended``: the mesh and the placement helpers (also for Keras ``fit``)."""

    def __init__(self, strategy, devices=None, mesh=None, data_axes=(DATA_AXIS,), layout_map=None,
                 job="localhost"):
        self._container_strategy = strategy
        if mesh is None:
            devices = list(devices)
            mesh = Mesh(np.array(devices, dtype=object), (DATA_AXIS,))
        self._mesh = mesh
        self._data_axes = tuple(a for a in data_axes if a in mesh.axis_names)
        self._layout_map = layout_map
        self._job = job
        self._num_replicas = int(np.prod([mesh.shape[a] for a in self._data_axes])) if self._data_axes else 1
        self._pending = []
        self._placed = {}       # id -> weakref of the variables placed on this mesh
        pid = jax.process_index()
        self._local_devices = [d for d in mesh.devices.flat if d.process_index == pid]

    # -- introspection -------------------------------------------------------
    @property
    def mesh(self):
        """The ``jax.sharding.Mesh`` this strategy computes on."""
        return self._mesh

    @property
    def data_axes(self):
        return self._data_axes

    @property
    def _num_local_replicas(self):
        if not self._data_axes:
            return 1
        return max(1, self._num_replicas * len(self._local_devices) // self._mesh.devices.size)

    @property
    def worker_devices(self):
        return tuple(tf_device_name(d, self._job) for d in self._replica_devices(local=True))

    @property
    def parameter_devices(self):
        return self.worker_devices

    def _replica_devices(self, local=False):
        """One device per replica (the first device of each data-axis slice)."""
        mesh = self._mesh
        devs = mesh.devices
        other = [i for i, a in enumerate(mesh.axis_names) if a not in self._data_axes]
        for i in sorted(other, reverse=True):
            devs = np.take(devs, 0, axis=i)
        flat = list(np.asarray(devs).reshape(-1))
        if local:
            flat = [d for d in flat if d.process_index == jax.process_index()]
        return flat

    @property
    def experimental_require_static_shapes(self):
        return True

    @property
    def experimental_between_graph(self):
        return jax.process_count() > 1 if self._mesh.devices.size > 1 else False

    @property
    def experimental_should_init(self):
        return True

    @property
    def should_checkpoint(self):
        return True

    @property
    def should_save_summary(self):
        return True

    experimental_enable_get_next_as_optional = False

    # -- placement -----------------------------------------------------------
    def batch_sharding(self, ndim=1):
        """NamedSharding that splits axis 0 over the data axis."""
        return NamedSharding(self._mesh, P(self._data_axes if len(self._data_axes) > 1 else self._data_axes[0]))

    def replicated_sharding(self):
        return NamedSharding(self._mesh, P())

    def variable_sharding(self, var):
        """The NamedSharding a variable gets in this strategy's scope."""
        spec = P()
        if self._layout_map is not None:
            spec = self._layout_map._spec_for(var, self._mesh)
        return NamedSharding(self._mesh, spec)

    def _put_global(self, value, sharding):
        """Places a value that is identical on every process onto ``sharding``."""
        if jax.process_count() == 1 or sharding.is_fully_addressable:
            return jax.device_put(value, sharding)
        host = np.asarray(value)
        return jax.make_array_from_callback(host.shape, sharding, lambda idx: host[idx])

    def _place_variable(self, var):
        value = var._value
        if not _is_numeric_array(value) or isinstance(value, jax.core.Tracer):
            return
        sharding = self.variable_sharding(var)
        with _vars.init_scope():
            if jax.process_count() > 1 and not sharding.is_fully_addressable:
                from jax.experimental import multihost_utils  # noqa: PLC0415
                # TF's MultiWorkerMirroredStrategy broadcasts initial values from worker 0.
                value = multihost_utils.broadcast_one_to_all(np.asarray(value))
            var._value = self._put_global(value, sharding)
        var._tfjax_strategy = self._container_strategy
        var._tfjax_sharding = sharding
        self._placed[id(var)] = weakref.ref(var)

    def _restore_placements(self):
        """Re-places variables whose value left the mesh (an eager ``assign`` of a host or
        single-device value stores it as is). Called once per step from the input side
        (distributed iterators, ``distribute_batch``, eager ``run``)."""
        dead = []
        for key, ref in self._placed.items():
            v = ref()
            if v is None:
                dead.append(key)
                continue
            x = v._value
            sh = v._tfjax_sharding
            if isinstance(x, jax.Array) and not isinstance(x, jax.core.Tracer) and x.sharding is not sh \
                    and x.sharding != sh:
                with _vars.init_scope():
                    v._value = self._put_global(x if x.is_fully_addressable else x, sh) \
                        if jax.process_count() == 1 else self._put_global(np.asarray(x), sh)
        for key in dead:
            del self._placed[key]

    def _flush_pending(self):
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        for v in pending:
            if isinstance(v._value, jax.Array) and not isinstance(v._value, jax.core.Tracer) \
                    and v._value.sharding != self.variable_sharding(v):
                self._place_variable(v)

    def distribute_variables(self, variables):
        """Places already-created variables on the mesh (idempotent). For Keras models
        built outside ``scope()``."""
        for v in variables:
            if isinstance(v, Variable):
                cur = getattr(v._value, "sharding", None)
                if cur is None or cur != self.variable_sharding(v):
                    self._place_variable(v)
        return variables

    def _shard_batch_array(self, x, require_divisible=True):
        """A global batch (identical on every process) -> a jax.Array sharded on axis 0."""
        if isinstance(x, Tensor):
            x = x._value
        if isinstance(x, jax.core.Tracer):
            return jax.lax.with_sharding_constraint(x, self._batch_or_replicated(x, require_divisible))
        if not _is_numeric_array(x):
            x = np.asarray(x)
            if x.dtype == object:
                raise TypeError("tfjax: string tensors cannot be distributed over devices")
        sharding = self._batch_or_replicated(x, require_divisible)
        if jax.process_count() == 1:
            return jax.device_put(x, sharding)
        if isinstance(x, jax.Array) and not x.is_fully_addressable:
            return jax.device_put(x, sharding)
        host = np.asarray(x)
        return jax.make_array_from_callback(host.shape, sharding, lambda idx: host[idx])

    def _batch_or_replicated(self, x, require_divisible):
        n = self._num_replicas
        if np.ndim(x) >= 1 and x.shape[0] % n == 0:
            return self.batch_sharding()
        if require_divisible and np.ndim(x) >= 1:
            raise ValueError(
                f"tfjax: a batch of {x.shape[0]} examples cannot be split evenly over {n} replicas "
                f"(JAX shards need equal sizes). Batch the dataset with drop_remainder=True, or use "
                f"a global batch size divisible by {n}.")
        return self.replicated_sharding()

    def _local_batch_to_global(self, local):
        """This process's per-replica-concatenated batch -> the global sharded array."""
        if isinstance(local, Tensor):
            local = local._value
        if jax.process_count() == 1:
            return self._shard_batch_array(local)
        host = np.asarray(local)
        sharding = self.batch_sharding()
        global_shape = (host.shape[0] * jax.process_count(),) + host.shape[1:]
        return jax.make_array_from_process_local_data(sharding, host, global_shape)

    def distribute_batch(self, batch):
        """Keras-``fit`` helper: a global batch (nested numpy arrays / Tensors) -> nested Tensors
        over ``jax.Array``s sharded along the batch axis (replicated when the batch does not
        divide evenly, e.g. a last partial batch: still correct, just not parallel).

        A ``tf.function`` train step over these and the strategy's variables is one SPMD
        program: XLA inserts the gradient all-reduce.
        """
        self._flush_pending()
        self._restore_placements()

        def one(x):
            if x is None or isinstance(x, (str, bytes, int, float, bool)):
                return x
            if isinstance(x, Tensor) and not _is_numeric_array(x._value):
                return x
            if isinstance(x, np.ndarray) and x.dtype == object:
                return convert_to_tensor(x)
            return Tensor(self._shard_batch_array(x, require_divisible=False))
        return nest.map_structure(one, batch)

    def _stack_local(self, arrays):
        """Per-local-replica arrays -> one global stacked array sharded over replicas."""
        arrays = [jnp.asarray(a) for a in arrays]
        sharding = self.batch_sharding()
        devs = self._replica_devices(local=True)
        shape = (self._num_replicas,) + tuple(arrays[0].shape)
        if len(self._data_axes) == len(self._mesh.axis_names):
            singles = [jax.device_put(a[None], d) for a, d in zip(arrays, devs)]
            return jax.make_array_from_single_device_arrays(shape, sharding, singles)
        return jax.device_put(jnp.stack(arrays), sharding)

    # -- cross-replica ops TF optimizers use --------------------------------
    def reduce_to(self, reduce_op, value, destinations=None, options=None):
        return self._container_strategy.reduce(reduce_op, value, axis=None)

    def batch_reduce_to(self, reduce_op, value_destination_pairs, options=None):
        return [self.reduce_to(reduce_op, v, d) for v, d in value_destination_pairs]

    def update(self, var, fn, args=(), kwargs=None, group=True):
        kwargs = kwargs or {}

        def unwrap(x):
            return Tensor(x._global) if isinstance(x, PerReplica) and x._kind == LOCAL else x
        a, kw = map_pr(unwrap, (tuple(args), dict(kwargs)))
        return fn(var, *a, **kw)

    def value_container(self, value):
        return value

    @contextlib.contextmanager
    def colocate_vars_with(self, colocate_with_variable):
        yield

    def read_var(self, v):
        return v.value() if isinstance(v, Variable) else v

    def variable_created_in_scope(self, v):
        return getattr(v, "_tfjax_strategy", None) is self._container_strategy


# ---------------------------------------------------------------------------
# Strategy
# ---------------------------------------------------------------------------

class _ScopeContext:
    def __init__(self, strategy):
        self._s = strategy

    def __enter__(self):
        st = _context._ctx.scopes
        cur = st[-1] if st else _context._global_strategy[0]
        if cur is not None and cur is not self._s and not isinstance(cur, _DefaultDistributionStrategy):
            raise ValueError(
                f"Mixing different tf.distribute.Strategy objects: {self._s!r} is not {cur!r}")
        install_variable_hook()
        st.append(self._s)
        return self._s

    def __exit__(self, *exc):
        _context._ctx.scopes.pop()
        ext = self._s.extended
        if getattr(ext, "_pending", None):
            ext._flush_pending()
        return False


class Strategy:
    """``tf.distribute.Strategy``: a mesh of devices and how computation is spread over it."""

    _single_device_run = False

    def __init__(self, extended):
        self._extended = extended
        self._merge_axes = ()
        self._cluster_resolver = None

    @property
    def extended(self):
        return self._extended

    @property
    def num_replicas_in_sync(self):
        return self._extended._num_replicas

    @property
    def cluster_resolver(self):
        return self._cluster_resolver

    def scope(self):
        """Context manager: variables created inside are placed on this strategy's mesh."""
        return _ScopeContext(self)

    def __enter__(self):
        raise RuntimeError("Must use the `with strategy.scope():` context manager.")

    # -- running -------------------------------------------------------------
    def run(self, fn, args=(), kwargs=None, options=None):
        """Runs ``fn`` once per replica (one ``jax.shard_map`` over the mesh).

        PerReplica arguments give each replica its own component; other tensors are
        passed whole to every replica. Returns PerReplica outputs (plain values when
        there is a single replica).
        """
        kwargs = kwargs or {}
        if self._single_device_run:
            return self._run_single(fn, args, kwargs)
        if _vars.current_scope() is None:
            self._extended._restore_placements()
            from tfjax._src import function as _function  # noqa: PLC0415
            if not _function.functions_run_eagerly():
                # Eager call: compile it like a tf.function (cached per fn and signature).
                return self._eager_function(fn)(*args, **kwargs)
        return self._run_spmd(fn, args, kwargs)

    def _eager_function(self, fn):
        from tfjax._src.function import function as _tf_function  # noqa: PLC0415
        cache = self.__dict__.setdefault("_eager_run_cache", {})
        try:
            f = cache.get(fn)
        except TypeError:
            f = None
        if f is None:
            f = _tf_function(lambda *a, **k: self._run_spmd(fn, a, k), autograph=False)
            try:
                cache[fn] = f
                if len(cache) > 64:
                    cache.pop(next(iter(cache)))
            except TypeError:
                pass
        return f

    def _run_single(self, fn, args, kwargs):
        rctx = ReplicaContext(self, 0, ())
        dev = self._extended._replica_devices()[0] if self._extended is not None else None

        def unwrap(x):
            return Tensor(x._global) if isinstance(x, PerReplica) else x
        a, kw = map_pr(unwrap, (tuple(args), dict(kwargs)))
        ctx = jax.default_device(dev) if dev is not None and _vars.current_scope() is None \
            else contextlib.nullcontext()
        with ctx, _context.enter_replica(rctx):
            return fn(*a, **kw)

    def _create_variables_eagerly(self, fn, args, kwargs):
        """Runs ``fn`` once eagerly as replica 0 to create its variables; its writes are dropped."""
        def first(x):
            if isinstance(x, PerReplica):
                return x.values[0]
            return x
        a, kw = map_pr(first, (tuple(args), dict(kwargs)))
        scope = _ReplicaScope(None, allow_creation=True)
        with _vars.enter_scope(scope), _context.enter_replica(ReplicaContext(self, 0, ())):
            fn(*a, **kw)

    def _run_spmd(self, fn, args, kwargs, _creating=False):
        ext = self._extended
        ext._flush_pending()
        mesh, axes, n = ext._mesh, ext._data_axes, ext._num_replicas
        spec_batch = P(axes if len(axes) > 1 else axes[0])
        outer = _vars.current_scope()
        flat = flatten_pr((tuple(args), dict(kwargs)))
        dyn, specs, slots = [], [], []
        for x in flat:
            if isinstance(x, PerReplica):
                if x._kind == LOCAL:
                    raise ValueError("strategy.run received a value from another run body")
                slots.append(("R", x._kind))
                dyn.append(x._global)
                specs.append(spec_batch)
            elif isinstance(x, Variable):
                slots.append(("S", x))
            elif isinstance(x, Tensor) and _is_numeric_array(x._value):
                slots.append(("T", None))
                dyn.append(x._value)
                specs.append(P())
            elif _is_numeric_array(x):
                slots.append(("T", None))
                dyn.append(x)
                specs.append(P())
            else:
                slots.append(("S", x))
        box = {}

        def body(*vals):
            it = iter(vals)
            leaves = []
            for kind, payload in slots:
                if kind == "R":
                    v = next(it)
                    leaves.append(Tensor(v[0] if payload == STACKED else v))
                elif kind == "T":
                    leaves.append(Tensor(next(it)))
                else:
                    leaves.append(payload)
            a, kw = pack_pr((tuple(args), dict(kwargs)), leaves)
            scope = _ReplicaScope(outer, allow_creation=False)
            rid = jax.lax.axis_index(axes if len(axes) > 1 else axes[0]).astype(jnp.int32)
            rctx = ReplicaContext(self, Tensor(rid), axes)
            with _vars.enter_scope(scope), _context.enter_replica(rctx):
                out = fn(*a, **kw)
            flat_out = flatten_pr(out)
            arrays, out_slots = [], []
            for o in flat_out:
                if isinstance(o, Variable):
                    o = Tensor(scope.read(o))
                if isinstance(o, PerReplica) and o._kind == LOCAL:
                    o = Tensor(o._global)
                if isinstance(o, Tensor) and _is_numeric_array(o._value):
                    out_slots.append(("T", len(arrays)))
                    arrays.append(jnp.expand_dims(o._value, 0))
                elif _is_numeric_array(o):
                    out_slots.append(("T", len(arrays)))
                    arrays.append(jnp.expand_dims(o, 0))
                else:
                    out_slots.append(("S", o))
            written = list(scope.written.values())
            new_vals = [_aggregate_write(v, scope.values[id(v)], scope, axes, n) for v in written]
            box.update(out=out, out_slots=out_slots, written=written)
            return arrays, new_vals

        smap = jax.shard_map(body, mesh=mesh, in_specs=tuple(specs), out_specs=(spec_batch, P()),
                             check_vma=False)
        if outer is None:
            # Eager (tf.function fallback / run_functions_eagerly): trace once into one
            # program; an un-jitted shard_map would run op by op on every device.
            smap = jax.jit(smap)
        try:
            out_arrays, new_vals = smap(*dyn)
        except _vars.VariableCreatedInTrace:
            if outer is not None or _creating:
                raise      # tf.function runs this call eagerly, which lands below
            # fn creates variables (e.g. a lazily built layer or optimizer slots): create
            # them in one eager pass on replica 0's inputs, then run for real.
            self._create_variables_eagerly(fn, args, kwargs)
            return self._run_spmd(fn, args, kwargs, _creating=True)
        except Exception as e:  # noqa: BLE001
            raise self._translate_error(e) from e
        for var, x in zip(box["written"], new_vals):
            target = getattr(var._value, "sharding", None)
            if outer is not None:
                if isinstance(target, NamedSharding) and target.mesh == mesh:
                    x = jax.lax.with_sharding_constraint(x, target)
                outer.write(var, x)
            else:
                if isinstance(target, NamedSharding) and target.mesh == mesh and x.sharding != target:
                    x = jax.device_put(x, target)
                var._value = x
        leaves = []
        for kind, payload in box["out_slots"]:
            if kind == "T":
                g = out_arrays[payload]
                leaves.append(Tensor(g[0]) if n == 1 else PerReplica(g, STACKED, self))
            else:
                leaves.append(payload)
        return pack_pr(box["out"], leaves)

    def _translate_error(self, e):
        return e

    # -- cross-replica reductions -------------------------------------------
    def reduce(self, reduce_op, value, axis=None):
        """Reduces a PerReplica (or a nested structure of them) across replicas (and ``axis``)."""
        op = as_reduce_op(reduce_op)
        n = self.num_replicas_in_sync
        merge_axes = self._merge_axes

        def one(v):
            if isinstance(v, PerReplica) and v._kind == LOCAL:
                x = v._global
                if axis is not None:
                    cnt = x.shape[axis]
                    x = jnp.sum(x, axis=axis, dtype=x.dtype)
                else:
                    cnt = 1
                s = jax.lax.psum(x, merge_axes) if merge_axes else x
                if op is ReduceOp.MEAN:
                    s = _div(s, n * cnt)
                return Tensor(s)
            if isinstance(v, PerReplica):
                g = v._global
                st = g if v._kind == STACKED else g.reshape((n, g.shape[0] // n) + g.shape[1:])
                red = (0,) if axis is None else (0, axis + 1)
                try:
                    s = _reduce_global(st, red, op)
                except Exception as e:  # noqa: BLE001
                    raise self._translate_error(e) from e
                return Tensor(s)
            t = v.value() if isinstance(v, Variable) else convert_to_tensor(v)
            x = t._value
            if axis is None:
                if op is ReduceOp.SUM and n > 1:
                    raise ValueError(
                        f"A non-DistributedValues value {t} cannot be reduced with the given reduce op "
                        f"{op}.")
                return t
            s = jnp.sum(x, axis=axis, dtype=x.dtype)
            if op is ReduceOp.SUM:
                return Tensor((s * n).astype(x.dtype))
            return Tensor(_div(s, x.shape[axis]))
        return map_pr(one, value)

    def gather(self, value, axis):
        """Concatenates the per-replica values along ``axis`` (all replicas, all workers)."""
        n = self.num_replicas_in_sync

        def one(v):
            if isinstance(v, PerReplica):
                g = v._global
                if v._kind == CONCAT and axis == 0:
                    out = g
                else:
                    st = g if v._kind == STACKED else g.reshape((n, g.shape[0] // n) + g.shape[1:])
                    out = _concat_replicas(st, axis)
                return Tensor(_replicate(out, self._extended))
            return v.value() if isinstance(v, Variable) else convert_to_tensor(v)
        return map_pr(one, value)

    def experimental_local_results(self, value):
        """The per-replica components on this worker, as a tuple."""
        return local_results(value)

    # -- input ----------------------------------------------------------------
    def experimental_distribute_dataset(self, dataset, options=None):
        """Splits each global batch of ``dataset`` across the replicas (PerReplica elements)."""
        from tfjax._src.distribute.input_lib import DistributedDataset  # noqa: PLC0415
        return DistributedDataset(self, dataset, options=options)

    def distribute_datasets_from_function(self, dataset_fn, options=None):
        """Calls ``dataset_fn(InputContext)`` once per worker; each replica takes one element."""
        from tfjax._src.distribute.input_lib import DistributedDatasetFromFunction  # noqa: PLC0415
        return DistributedDatasetFromFunction(self, dataset_fn, options=options)

    experimental_distribute_datasets_from_function = distribute_datasets_from_function

    def experimental_distribute_values_from_function(self, value_fn):
        """``value_fn(ValueContext)`` per local replica -> PerReplica."""
        from tfjax._src.distribute.input_lib import ValueContext  # noqa: PLC0415
        ext = self._extended
        base = jax.process_index() * ext._num_local_replicas
        vals = [value_fn(ValueContext(base + i, self.num_replicas_in_sync))
                for i in range(ext._num_local_replicas)]
        if self.num_replicas_in_sync == 1:
            return vals[0]
        flat0 = nest.flatten(vals[0])
        cols = [[nest.flatten(v)[k] for v in vals] for k in range(len(flat0))]
        leaves = [PerReplica.from_values([convert_to_tensor(c) for c in col], self) for col in cols]
        return nest.pack_sequence_as(vals[0], leaves)

    def distribute_batch(self, batch):
        """tfjax extension (used by Keras ``fit``): see ``StrategyExtended.distribute_batch``."""
        return self._extended.distribute_batch(batch)

    def experimental_run(self, fn, input_iterator=None):
        return self.run(fn, args=(next(input_iterator),) if input_iterator is not None else ())

    def __repr__(self):
        return f"<{type(self).__module__.replace('tfjax._src.', 'tf.')}.{type(self).__name__} " \
               f"num_replicas_in_sync={self.num_replicas_in_sync}>"


def _div(s, count):
    if jnp.issubdtype(s.dtype, jnp.integer):
        return s // count
    return (s / count).astype(s.dtype)


@functools.partial(jax.jit, static_argnames=("red", "op"))
def _reduce_global_jit(st, red, op):
    s = jnp.sum(st, axis=red, dtype=st.dtype)
    if op == "MEAN":
        count = int(np.prod([st.shape[a] for a in red]))
        s = _div(s, count)
    return s


def _reduce_global(st, red, op):
    if isinstance(st, jax.core.Tracer):
        return _reduce_global_jit.__wrapped__(st, red, op.value)
    return _reduce_global_jit(st, red=red, op=op.value)


def _concat_replicas(st, axis):
    n = st.shape[0]
    ax = axis if axis >= 0 else axis + st.ndim - 1
    moved = jnp.moveaxis(st, 0, ax)      # (..., n, d_axis, ...)
    shape = list(st.shape[1:])
    shape[ax] = shape[ax] * n
    return moved.reshape(shape)


def _replicate(x, ext):
    if isinstance(x, jax.core.Tracer):
        return x
    if jax.process_count() > 1:
        return jax.jit(lambda y: y, out_shardings=ext.replicated_sharding())(x)
    return x


# ---------------------------------------------------------------------------
# Concrete strategies
# ---------------------------------------------------------------------------

class _DefaultDistributionStrategy(Strategy):
    """The strategy in effect outside any ``scope()``: no distribution."""

    _single_device_run = True

    def __init__(self):
        super().__init__(None)

    @property
    def extended(self):
        return _DefaultExtended(self)

    @property
    def num_replicas_in_sync(self):
        return 1

    def scope(self):
        return contextlib.nullcontext(self)

    def _run_single(self, fn, args, kwargs):
        with _context.enter_replica(ReplicaContext(self, 0, ())):
            return fn(*args, **kwargs)

    def reduce(self, reduce_op, value, axis=None):
        as_reduce_op(reduce_op)

        def one(v):
            t = v.value() if isinstance(v, Variable) else convert_to_tensor(v)
            if axis is None:
                return t
            x = t._value
            s = jnp.sum(x, axis=axis, dtype=x.dtype)
            return Tensor(s if as_reduce_op(reduce_op) is ReduceOp.SUM else _div(s, x.shape[axis]))
        return map_pr(one, value)

    def experimental_distribute_dataset(self, dataset, options=None):
        return dataset

    def distribute_datasets_from_function(self, dataset_fn, options=None):
        from tfjax._src.distribute.input_lib import InputContext  # noqa: PLC0415
        return dataset_fn(InputContext())

    def distribute_batch(self, batch):
        return nest.map_structure(
            lambda x: convert_to_tensor(x) if isinstance(x, (np.ndarray, jax.Array)) else x, batch)

    def experimental_distribute_values_from_function(self, value_fn):
        from tfjax._src.distribute.input_lib import ValueContext  # noqa: PLC0415
        return value_fn(ValueContext(0, 1))

    def __repr__(self):
        return "<tf.distribute._DefaultDistributionStrategy>"


class _DefaultExtended:
    def __init__(self, strategy):
        self._container_strategy = strategy
        self._num_replicas = 1
        self._num_local_replicas = 1

    @property
    def worker_devices(self):
        return ("/job:localhost/replica:0/task:0/device:CPU:0",)

    parameter_devices = worker_devices

    def _replica_devices(self, local=False):
        return []

    def distribute_batch(self, batch):
        return self._container_strategy.distribute_batch(batch)

    def _flush_pending(self):
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        for v in pending:
            if isinstance(v._value, jax.Array) and not isinstance(v._value, jax.core.Tracer) \
                    and v._value.sharding != self.variable_sharding(v):
                self._place_variable(v)

    def distribute_variables(self, variables):
        return variables

    def reduce_to(self, reduce_op, value, destinations=None, options=None):
        return value

    def batch_reduce_to(self, reduce_op, value_destination_pairs, options=None):
        return [v for v, _ in value_destination_pairs]

    def update(self, var, fn, args=(), kwargs=None, group=True):
        return fn(var, *args, **(kwargs or {}))

    def value_container(self, value):
        return value

    @contextlib.contextmanager
    def colocate_vars_with(self, v):
        yield

    def variable_created_in_scope(self, v):
        return True

    experimental_require_static_shapes = False
    should_checkpoint = True
    should_save_summary = True


def resolve_devices(devices):
    """TF device strings (or JAX devices) -> JAX devices."""
    from tfjax._src.config.placement import parse_device  # noqa: PLC0415
    out = []
    for d in devices:
        if isinstance(d, jax.Device):
            out.append(d)
            continue
        spec = parse_device(d)
        if spec is None or spec[0] is None:
            raise ValueError(f"Invalid device string: {d!r}")
        dev = _devices.logical_to_jax(spec[0], spec[1] or 0)
        if dev is None:
            raise ValueError(
                f"Device {d!r} is not available: logical devices are "
                f"{[x.name for x in _devices.list_logical_devices()]}")
        out.append(dev)
    if len(set(out)) != len(out):
        raise ValueError(f"No duplicates allowed in `devices` argument: {devices}")
    return out


def default_local_devices():
    """All local accelerators, else all local (virtual) CPU devices -- TF's MirroredStrategy default."""
    devs = jax.local_devices()
    acc = [d for d in devs if d.platform != "cpu"]
    return acc or [d for d in devs if d.platform == "cpu"] or devs


class OneDeviceStrategy(Strategy):
    """``tf.distribute.OneDeviceStrategy``: variables and computation on one device."""

    _single_device_run = True

    def __init__(self, device):
        dev = resolve_devices([device])[0]
        super().__init__(StrategyExtended(self, devices=[dev]))
        self._device = device

    def experimental_distribute_dataset(self, dataset, options=None):
        from tfjax._src.distribute.input_lib import DistributedDataset  # noqa: PLC0415
        return DistributedDataset(self, dataset, options=options, plain=True)

    def distribute_datasets_from_function(self, dataset_fn, options=None):
        from tfjax._src.distribute.input_lib import DistributedDatasetFromFunction  # noqa: PLC0415
        return DistributedDatasetFromFunction(self, dataset_fn, options=options, plain=True)

    def reduce(self, reduce_op, value, axis=None):
        return _DefaultDistributionStrategy.reduce(self, reduce_op, value, axis)

    def gather(self, value, axis):
        return map_pr(lambda v: v.value() if isinstance(v, Variable) else convert_to_tensor(v), value)


class MirroredStrategy(Strategy):
    """``tf.distribute.MirroredStrategy``: synchronous data parallelism over local devices.

    ``devices`` (TF device strings) default to all local GPUs/TPUs, else all local
    logical CPU devices (virtual CPUs: ``jax_num_cpu_devices`` /
    ``--xla_force_host_platform_device_count``). ``cross_device_ops`` is accepted
    and ignored: XLA chooses the collectives.
    """

    def __init__(self, devices=None, cross_device_ops=None):
        devs = default_local_devices() if devices is None else resolve_devices(devices)
        if not devs:
            raise ValueError("MirroredStrategy requires at least one device")
        super().__init__(StrategyExtended(self, devices=devs))
        logger.info("Using MirroredStrategy with devices %s", self.extended.worker_devices)


class CrossDeviceOps:
    """Accepted for API compatibility; XLA chooses the collective implementation."""

    def __init__(self, *args, **kwargs):
        pass


class NcclAllReduce(CrossDeviceOps):
    pass


class HierarchicalCopyAllReduce(CrossDeviceOps):
    pass


class ReductionToOneDevice(CrossDeviceOps):
    pass


class ModelParallelStrategy(Strategy):
    """Data parallelism over ``batch_dim_name`` plus variables sharded as a ``LayoutMap`` says.

    ``tfjax.distribute.experimental.ModelParallelStrategy(layout_map, batch_dim_name="batch")``
    (the tfjax counterpart of Keras 3's ``keras.distribution.ModelParallel``).
    """

    def __init__(self, layout_map, batch_dim_name=DATA_AXIS):
        mesh = layout_map.jax_mesh
        if mesh is None:
            raise ValueError("ModelParallelStrategy needs a LayoutMap built with a DeviceMesh")
        if batch_dim_name not in mesh.axis_names:
            raise ValueError(f"batch_dim_name {batch_dim_name!r} is not an axis of the mesh {mesh.axis_names}")
        super().__init__(StrategyExtended(self, mesh=mesh, data_axes=(batch_dim_name,), layout_map=layout_map))
        self._layout_map = layout_map
