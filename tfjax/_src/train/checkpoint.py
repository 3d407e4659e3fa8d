"""``tf.train.Checkpoint``: object-graph-based checkpoints in TensorFlow's on-disk format.

What is saved is the graph of *trackable* objects reachable from the checkpoint's
root: ``tf.Variable``s (leaves holding a value), ``tf.Module``s, Keras layers,
models and optimizers, lists/tuples/dicts of those, nested ``Checkpoint``s.
Edges are named like TensorFlow names them (attribute names in assignment order,
list indices, dict keys), nodes are numbered breadth-first, and each variable is
stored under ``<escaped path>/.ATTRIBUTES/VARIABLE_VALUE`` together with the
serialized ``TrackableObjectGraph`` under ``_CHECKPOINTABLE_OBJECT_GRAPH`` -- so
``tf.train.Checkpoint`` in real TensorFlow restores a tfjax checkpoint of the same
object structure and vice versa.

Restoration matches the checkpoint's graph against the live Python objects from
the root, edge name by edge name. Checkpoint values whose Python objects do not
exist yet (optimizer slots before the first ``apply_gradients``, layers built
lazily) stay pending and are restored as soon as those variables are created: the
Keras optimizer/layer code calls :func:`restore_deferred` after creating
variables, and every status method re-checks too.

Classes can take part in the graph by being ``tfjax.Module``s, by defining
``_tfjax_tracked_variables`` (Keras optimizers), or by defining
``_checkpoint_dependencies()`` returning ``[(name, child), ...]``.
"""

from __future__ import annotations

import os
import sys
import weakref

import numpy as np

from tfjax._src import errors
from tfjax._src import variables as _vars
from tfjax._src.train import bundle
from tfjax._src.variables import Variable, Module

OBJECT_GRAPH_KEY = "_CHECKPOINTABLE_OBJECT_GRAPH"
VARIABLE_VALUE = "VARIABLE_VALUE"

__all__ = ["Checkpoint", "CheckpointOptions", "restore_deferred", "CheckpointReader", "load_checkpoint",
           "list_variables", "load_variable"]


# ---------------------------------------------------------------------------
# the object graph
# ---------------------------------------------------------------------------

def escape_local_name(name: str) -> str:
    return name.replace(".", "..").replace("/", ".S")


def _is_trackable_object(x) -> bool:
    if isinstance(x, (Variable, Module, Checkpoint)):
        return True
    t = type(x)
    return (getattr(t, "_checkpoint_dependencies", None) is not None
            or getattr(t, "_tfjax_tracked_variables", None) is not None)


def _is_trackable(x, depth=0) -> bool:
    """A trackable object, or a list/tuple/dict that (recursively) holds one."""
    if _is_trackable_object(x):
        return True
    if depth > 8:
        return False
    if isinstance(x, (list, tuple)) and not hasattr(x, "_fields"):
        return any(_is_trackable(e, depth + 1) for e in x)
    if isinstance(x, dict):
        return any(_is_trackable(e, depth + 1) for e in x.values())
    return False


def _keras_layer_children(obj):
    """Children of a Keras layer/model: ``vars`` (its own variables, Keras's order) and its sublayers
    (and optimizer) named exactly as in Keras 3's weights files (``layers/dense_1``, ``d1``...), so the
    keys do not depend on construction details such as private attribute order or an InputLayer."""
    from tfjax._src.keras.saving import saving_lib  # noqa: PLC0415
    kids = []
    own = saving_lib._layer_own_variables(obj)
    if own:
        kids.append(("vars", own))
    for attr, child in saving_lib._walk_saveable(obj):
        if _keras_kind(child) is not None:
            kids.append((attr, child))
        elif isinstance(child, (list, tuple, dict)):
            view = _keras_container(child)
            if view:
                kids.append((attr, view))
    return kids


def _keras_container(container, depth=0):
    from tfjax._src.keras.saving import saving_lib  # noqa: PLC0415
    used = {}
    out = {}
    items = list(container.values()) if isinstance(container, dict) else list(container)
    for item in items:
        if _keras_kind(item) is not None:
            out[saving_lib._unique(saving_lib._snake(type(item).__name__), used)] = item
        elif isinstance(item, (list, tuple, dict)) and depth < 4:
            sub = _keras_container(item, depth + 1)
            name = saving_lib._unique("container", used)
            if sub:
                out[name] = sub
    return out


def _keras_kind(obj):
    if isinstance(obj, Variable) or not isinstance(obj, Module) and getattr(
            type(obj), "_tfjax_tracked_variables", None) is None:
        return None
    if "tfjax._src.keras.layers.layer" not in sys.modules:
        return None  # no Keras layer can exist (and importing Keras just to check would be slow)
    try:
        from tfjax._src.keras.saving import saving_lib  # noqa: PLC0415
    except ImportError:
        return None
    kind = saving_lib._obj_type(obj)
    return kind if kind in ("Layer", "Sequential", "Functional") else None


def _children(obj):
    """The named trackable children of ``obj``, in TensorFlow's order."""
    if isinstance(obj, Variable):
        return []
    if isinstance(obj, Module) and _keras_kind(obj) is not None:
        return _keras_layer_children(obj)
    custom = getattr(type(obj), "_checkpoint_dependencies", None)
    if custom is not None:
        return [(str(n), c) for n, c in custom.__get__(obj)() if _is_trackable(c)]
    if isinstance(obj, (list, tuple)):
        return [(str(i), c) for i, c in enumerate(obj) if _is_trackable(c)]
    if isinstance(obj, dict):
        return [(str(k), c) for k, c in obj.items() if _is_trackable(c)]
    try:
        attrs = vars(obj)
    except TypeError:
        return []
    return [(k, v) for k, v in list(attrs.items()) if _is_trackable(v)]


class _Graph:
    """Breadth-first numbering of the live object graph (TF's ``ObjectGraphView``)."""

    def __init__(self, root, extra_root_children=()):
        self.nodes = [root]           # node id -> object
        self.ids = {id(root): 0}
        self.paths = [()]             # node id -> tuple of local names (first BFS path)
        self.children = []            # node id -> [(local_name, child node id)]
        queue = [0]
        head = 0
        while head < len(queue):
            nid = queue[head]
            head += 1
            obj = self.nodes[nid]
            kids = _children(obj)
            if nid == 0:
                kids = kids + [(n, c) for n, c in extra_root_children if c is not None]
            refs = []
            for name, child in kids:
                cid = self.ids.get(id(child))
                if cid is None:
                    cid = len(self.nodes)
                    self.ids[id(child)] = cid
                    self.nodes.append(child)
                    self.paths.append(self.paths[nid] + (name,))
                    queue.append(cid)
                refs.append((name, cid))
            while len(self.children) <= nid:
                self.children.append([])
            self.children[nid] = refs
        while len(self.children) < len(self.nodes):
            self.children.append([])

    def key_of(self, nid):
        return "/".join(escape_local_name(n) for n in self.paths[nid]) + "/.ATTRIBUTES/" + VARIABLE_VALUE

    def serialize(self):
        """(``{checkpoint key: np.ndarray}``, ``TrackableObjectGraph`` proto bytes)."""
        proto = bundle.TrackableObjectGraph()
        tensors = {}
        for nid, obj in enumerate(self.nodes):
            node = proto.nodes.add()
            for name, cid in self.children[nid]:
                ref = node.children.add()
                ref.node_id = cid
                ref.local_name = name
            if isinstance(obj, Variable):
                key = self.key_of(nid)
                attr = node.attributes.add()
                attr.name = VARIABLE_VALUE
                attr.full_name = obj.name[:-2] if obj.name.endswith(":0") else obj.name
                attr.checkpoint_key = key
                tensors[key] = _value_of(obj)
        has_values = self._has_values()
        for nid, node in enumerate(proto.nodes):
            node.has_checkpoint_values.value = has_values[nid]
        return tensors, proto.SerializeToString()

    def _has_values(self):
        memo = {}

        def visit(nid, stack):
            if nid in memo:
                return memo[nid]
            if nid in stack:
                return False
            stack.add(nid)
            r = isinstance(self.nodes[nid], Variable)
            for _, cid in self.children[nid]:
                r = visit(cid, stack) or r
            stack.discard(nid)
            memo[nid] = r
            return r

        return [visit(i, set()) for i in range(len(self.nodes))]


def _value_of(var: Variable) -> np.ndarray:
    value = var._value
    if isinstance(value, np.ndarray):
        return value
    return np.asarray(value)


# ---------------------------------------------------------------------------
# restoring
# ---------------------------------------------------------------------------

class _Restore:
    """State of one ``restore()``: checkpoint graph <-> Python objects, pending values."""

    def __init__(self, reader: bundle.BundleReader, proto, root, extra_root_children, save_path):
        self.reader = reader
        self.proto = proto
        self.save_path = save_path
        # The root (often a temporary tf.train.Checkpoint) is held weakly; its children
        # are captured (weakly where possible) so deferred restoration keeps working
        # after the Checkpoint object itself is gone, as in TensorFlow.
        self._root_ref = _ref(root)
        self._captured = [(n, _ref(c)) for n, c in list(_children(root)) + list(extra_root_children)
                          if c is not None]
        self._extra = [(n, _ref(c)) for n, c in extra_root_children if c is not None]
        self.matched = {}             # checkpoint node id -> python object id
        self.restored_vars = set()    # checkpoint node ids whose value was assigned
        self.python_ids_seen = set()

    def root_children(self):
        root = self._root_ref()
        if root is not None:
            kids = list(_children(root))
            names = {n for n, _ in kids}
            kids += [(n, r()) for n, r in self._extra if n not in names and r() is not None]
            return kids
        return [(n, r()) for n, r in self._captured if r() is not None]

    def alive(self):
        return self._root_ref() is not None or any(r() is not None for _, r in self._captured)

    def run(self):
        """Walks checkpoint graph and Python graph together; assigns every newly matched variable."""
        nodes = self.proto.nodes
        queue = [(ref.node_id, child, None)
                 for ref in nodes[0].children
                 for name, child in self.root_children() if name == ref.local_name]
        self.matched[0] = 0
        visited = {0}
        queue.reverse()
        while queue:
            ck_id, obj, owner = queue.pop()
            if ck_id in visited:
                continue
            visited.add(ck_id)
            prev = self.matched.get(ck_id)
            if prev is None or isinstance(obj, (list, tuple, dict)):
                # (containers may be rebuilt between runs, e.g. the views of a Keras model's layers)
                self.matched[ck_id] = id(obj)
            elif prev != id(obj):
                continue  # two Python objects for one checkpoint node: keep the first
            self.python_ids_seen.add(id(obj))
            node = nodes[ck_id]
            if isinstance(obj, Variable):
                if ck_id not in self.restored_vars:
                    self._assign(obj, node)
                    self.restored_vars.add(ck_id)
                continue
            if callable(getattr(obj, "build", None)) and not isinstance(obj, (list, tuple, dict)):
                owner = obj
            kids = dict(_children(obj))
            for ref in node.children:
                child = kids.get(ref.local_name)
                if child is not None:
                    queue.append((ref.node_id, child, owner))
                elif owner is not None and self._has_values(ref.node_id):
                    # Not created yet (lazily built layer, optimizer slots): restore right after `build`.
                    _install_build_hook(owner)

    def _has_values(self, nid):
        node = self.proto.nodes[nid]
        if node.HasField("has_checkpoint_values"):
            return node.has_checkpoint_values.value
        return True

    def _assign(self, var, node):
        key = None
        for attr in node.attributes:
            if attr.name == VARIABLE_VALUE:
                key = attr.checkpoint_key
        if key is None:
            return
        value = self.reader.get(key)
        if tuple(value.shape) != tuple(var.shape.as_list() if var.shape.rank is not None else value.shape) \
                and var.shape.is_fully_defined():
            raise ValueError(
                f"Received incompatible tensor with shape {tuple(value.shape)} when attempting to restore "
                f"variable with shape {tuple(var.shape.as_list())} and name {key}.")
        if value.dtype != var.dtype._np:
            raise errors.InvalidArgumentError(
                None, None,
                f"tensor_name = {key}; expected dtype {var.dtype.name} does not equal original dtype "
                f"{_dtype_name(value.dtype)} (checkpoint {self.save_path})")
        with _vars.enter_scope(None):
            import jax.numpy as jnp  # noqa: PLC0415
            var._write(jnp.asarray(value))

    # -- bookkeeping for the status assertions ---------------------------------
    def unresolved_checkpoint_nodes(self):
        """Checkpoint nodes holding a variable value that was not restored into anything."""
        return [nid for nid, node in enumerate(self.proto.nodes)
                if nid not in self.restored_vars
                and any(a.name == VARIABLE_VALUE for a in node.attributes)]

    def ckpt_path_of(self, nid):
        """A readable path ``(root).a.b`` of checkpoint node ``nid``."""
        parents = {}
        order = [0]
        for i in order:
            for ref in self.proto.nodes[i].children:
                if ref.node_id not in parents and ref.node_id != 0:
                    parents[ref.node_id] = (i, ref.local_name)
                    order.append(ref.node_id)
        names = []
        cur = nid
        while cur in parents:
            cur, n = parents[cur]
            names.append(n)
        return ".".join(["(root)"] + names[::-1])

    def unmatched_python_objects(self):
        g = _Graph(_SyntheticRoot(self.root_children()))
        return [(obj, g.paths[i]) for i, obj in enumerate(g.nodes)
                if i and isinstance(obj, Variable) and id(obj) not in self.python_ids_seen
                and g.paths[i] != ("save_counter",)]


def _install_build_hook(obj):
    """Wraps ``obj.build`` (on the instance) so deferred checkpoint values are restored right after it runs."""
    d = getattr(obj, "__dict__", None)
    if d is None or d.get("_tfjax_restore_hook"):
        return
    build = getattr(obj, "build")

    def build_then_restore(*args, **kwargs):
        result = build(*args, **kwargs)
        restore_deferred(obj)
        return result

    build_then_restore.__wrapped__ = build
    try:
        object.__setattr__(obj, "build", build_then_restore)
        object.__setattr__(obj, "_tfjax_restore_hook", True)
    except (AttributeError, TypeError):
        pass


class _SyntheticRoot:
    def __init__(self, children):
        self._kids = children

    def _checkpoint_dependencies(self):
        return self._kids


def _dtype_name(np_dtype):
    from tfjax._src import dtypes  # noqa: PLC0415
    try:
        return dtypes.as_dtype(np_dtype).name
    except TypeError:
        return str(np_dtype)


class _StrongRef:
    __slots__ = ("obj",)

    def __init__(self, obj):
        self.obj = obj

    def __call__(self):
        return self.obj


def _ref(obj):
    if obj is None:
        return _StrongRef(None)
    try:
        return weakref.ref(obj)
    except TypeError:
        return _StrongRef(obj)


# Restores with values still pending (for deferred restoration). Held strongly:
# the objects they restore into are held weakly, and an entry is dropped once
# everything is restored or all of those objects are gone.
_PENDING: list = []


def restore_deferred(obj=None):
    """Restores pending checkpoint values into variables created since ``restore()``.

    Keras layers/optimizers call this after creating variables (``build``); with
    no restore pending it costs one list check.
    """
    if not _PENDING:
        return
    for state in list(_PENDING):
        if not state.alive():
            _PENDING.remove(state)
            continue
        state.run()
        if not state.unresolved_checkpoint_nodes():
            _PENDING.remove(state)


class CheckpointLoadStatus:
    """What ``Checkpoint.restore`` returns (TF's ``CheckpointLoadStatus``)."""

    def __init__(self, state: _Restore):
        self._state = state
        self._partial = False

    def _refresh(self):
        self._state.run()

    def assert_consumed(self):
        """Every value in the checkpoint was matched and every Python object was restored."""
        self._refresh()
        unresolved = self._state.unresolved_checkpoint_nodes()
        if unresolved:
            raise AssertionError(
                "Unresolved object in checkpoint "
                + ", ".join(self._state.ckpt_path_of(n) for n in unresolved[:10])
                + (f" (and {len(unresolved) - 10} more)" if len(unresolved) > 10 else "")
                + f" (checkpoint {self._state.save_path}).")
        self.assert_existing_objects_matched()
        return self

    def assert_existing_objects_matched(self):
        """Every Python object of the dependency graph that exists now was restored."""
        self._refresh()
        unmatched = self._state.unmatched_python_objects()
        if unmatched:
            names = [".".join(("(root)",) + p) for _, p in unmatched[:10]]
            raise AssertionError(
                "Some Python objects were not bound to checkpointed values, likely due to changes in the "
                f"Python program: {names} (checkpoint {self._state.save_path}).")
        return self

    def assert_nontrivial_match(self):
        self._refresh()
        if len(self._state.matched) <= 1:
            raise AssertionError(
                f"Nothing except the root object matched a checkpointed value (checkpoint {self._state.save_path}).")
        return self

    def expect_partial(self):
        self._partial = True
        return self

    def run_restore_ops(self, session=None):
        self._refresh()

    def initialize_or_restore(self, session=None):
        self._refresh()


class InitializationOnlyStatus:
    """Status of ``restore(None)``: nothing restored, variables keep their initializers."""

    def assert_consumed(self):
        raise AssertionError("No checkpoint specified (save_path=None); nothing is being restored.")

    def assert_existing_objects_matched(self):
        raise AssertionError("No checkpoint specified (save_path=None); nothing is being restored.")

    def assert_nontrivial_match(self):
        raise AssertionError("No checkpoint specified (save_path=None); nothing is being restored.")

    def expect_partial(self):
        return self

    def run_restore_ops(self, session=None):
        pass

    def initialize_or_restore(self, session=None):
        pass


class CheckpointOptions:
    """``tf.train.CheckpointOptions`` (accepted; the I/O options have no effect in tfjax)."""

    def __init__(self, experimental_io_device=None, experimental_enable_async_checkpoint=False,
                 experimental_write_callbacks=None, enable_async=False, experimental_sharding_callback=None,
                 experimental_skip_slot_variables=False):
        self.experimental_io_device = experimental_io_device
        self.experimental_enable_async_checkpoint = experimental_enable_async_checkpoint
        self.enable_async = enable_async
        self.experimental_write_callbacks = experimental_write_callbacks
        self.experimental_sharding_callback = experimental_sharding_callback
        self.experimental_skip_slot_variables = experimental_skip_slot_variables


# ---------------------------------------------------------------------------
# Checkpoint
# ---------------------------------------------------------------------------

def _as_path(p):
    if p is None:
        return None
    if hasattr(p, "numpy") and not isinstance(p, (str, bytes)):
        p = p.numpy()
    if isinstance(p, np.ndarray):
        p = p[()]
    if isinstance(p, bytes):
        p = p.decode("utf-8")
    return os.fspath(p)


class Checkpoint:
    """``tf.train.Checkpoint(root=None, **kwargs)``: groups trackable objects for saving/restoring."""

    def __init__(self, root=None, **kwargs):
        object.__setattr__(self, "_deps", {})
        object.__setattr__(self, "_root", None)
        object.__setattr__(self, "_save_counter", None)
        object.__setattr__(self, "_save_assign_count", 0)
        if root is not None:
            if not _is_trackable(root):
                raise ValueError(
                    f"`Checkpoint` was expecting root to be a trackable object (an object derived from "
                    f"`Trackable`), got {root}. If you believe this object should be trackable (i.e. it is "
                    "part of the TensorFlow Python API and manages state), please open an issue.")
            object.__setattr__(self, "_root", root)
        for k, v in kwargs.items():
            self.__setattr__(k, v)

    def __setattr__(self, name, value):
        if name.startswith("_"):
            object.__setattr__(self, name, value)
            return
        if name == "save_counter":
            raise AttributeError("save_counter is managed by the Checkpoint and cannot be set.")
        if not _is_trackable(value):
            raise ValueError(
                f"`Checkpoint` was expecting {name} to be a trackable object (an object derived from "
                f"`Trackable`), got {value!r}. If you believe this object should be trackable (i.e. it is "
                "part of the TensorFlow Python API and manages state), please open an issue.")
        if self._root is not None and hasattr(self._root, name) and getattr(self._root, name) is not value:
            raise ValueError(f"Cannot save {name} as a dependency of the checkpoint root: the root already has "
                             f"an attribute {name!r}.")
        self._deps[name] = value

    def __getattr__(self, name):
        deps = object.__getattribute__(self, "_deps")
        if name in deps:
            return deps[name]
        raise AttributeError(f"'Checkpoint' object has no attribute '{name}'")

    def __delattr__(self, name):
        if name in self._deps:
            del self._deps[name]
        else:
            object.__delattr__(self, name)

    # -- graph ------------------------------------------------------------------
    def _checkpoint_dependencies(self):
        if self._root is not None:
            return []
        deps = list(self._deps.items())
        if self._save_counter is not None:
            deps.append(("save_counter", self._save_counter))
        return deps

    def _graph_root_and_extra(self):
        if self._root is None:
            return self, []
        extra = list(self._deps.items())
        if self._save_counter is not None:
            extra.append(("save_counter", self._save_counter))
        return self._root, extra

    @property
    def save_counter(self):
        """An int64 Variable counting ``save()`` calls; numbers the checkpoints."""
        self._maybe_create_save_counter()
        return self._save_counter

    def _maybe_create_save_counter(self):
        if self._save_counter is None:
            with _vars.init_scope():
                object.__setattr__(self, "_save_counter",
                                   Variable(np.int64(0), trainable=False, name="save_counter"))

    # -- writing ----------------------------------------------------------------
    def _serialize(self):
        root, extra = self._graph_root_and_extra()
        graph = _Graph(root, extra)
        tensors, graph_bytes = graph.serialize()
        tensors[OBJECT_GRAPH_KEY] = np.array(graph_bytes, dtype=object)
        return tensors

    def write(self, file_prefix, options=None):
        """Writes a checkpoint at exactly ``file_prefix`` (no numbering, no ``checkpoint`` file)."""
        return self._write(file_prefix, options)

    def _write(self, file_prefix, options=None, write_done_callback=None):
        file_prefix = _as_path(file_prefix)
        if _vars.current_scope() is not None:
            raise errors.unsupported("Checkpoint.write inside tf.function",
                                     "save eagerly, outside the compiled function")
        tensors = self._serialize()
        directory = os.path.dirname(file_prefix)
        if directory:
            os.makedirs(directory, exist_ok=True)
        bundle.write_bundle(file_prefix, tensors)
        if write_done_callback is not None:
            write_done_callback(file_prefix)
        if options is not None and getattr(options, "experimental_write_callbacks", None):
            for cb in options.experimental_write_callbacks:
                _call_write_callback(cb, file_prefix)
        return file_prefix

    def save(self, file_prefix, options=None):
        """Saves ``<file_prefix>-<save_counter>`` and records it in the directory's ``checkpoint`` file."""
        from tfjax._src.train import checkpoint_management  # noqa: PLC0415
        file_prefix = _as_path(file_prefix)
        self._maybe_create_save_counter()
        self._save_counter.assign_add(1)
        number = int(self._save_counter.numpy())
        path = f"{file_prefix}-{number}"

        def done(p):
            checkpoint_management.update_checkpoint_state_internal(
                os.path.dirname(p) or ".", model_checkpoint_path=p, all_model_checkpoint_paths=[p],
                save_relative_paths=True)

        return self._write(path, options, write_done_callback=done)

    # -- reading ----------------------------------------------------------------
    def read(self, save_path, options=None):
        return self.restore(save_path, options)

    def restore(self, save_path, options=None):
        """Restores the values of ``save_path`` into the tracked objects (deferred for missing ones)."""
        save_path = _as_path(save_path)
        if save_path is None:
            return InitializationOnlyStatus()
        if os.path.isdir(save_path):
            from tfjax._src.train.checkpoint_management import latest_checkpoint  # noqa: PLC0415
            latest = latest_checkpoint(save_path)
            if latest is None:
                raise errors.NotFoundError(
                    f"Failed to restore from checkpoint or SavedModel at {save_path}: no checkpoint found in "
                    "this directory.")
            save_path = latest
        reader = bundle.BundleReader(save_path)
        if not reader.has_tensor(OBJECT_GRAPH_KEY):
            raise errors.InvalidArgumentError(
                None, None,
                f"The checkpoint at {save_path} has no object graph ({OBJECT_GRAPH_KEY}); name-based (TF1 "
                "Saver) checkpoints are not supported by tfjax's tf.train.Checkpoint. Use "
                "tf.train.load_checkpoint to read its tensors.")
        proto = bundle.TrackableObjectGraph()
        try:
            proto.ParseFromString(reader.get(OBJECT_GRAPH_KEY)[()])
        except errors.OpError:
            raise
        except Exception:
            raise errors.DataLossError(f"Checkpoint {save_path}: the object graph is corrupted.") from None
        # Read every tensor up front (validating checksums) so a corrupted checkpoint
        # raises before any variable is changed -- never a half-restored model.
        for key in reader.keys():
            reader.get(key)
        if any(ref.local_name == "save_counter" for ref in proto.nodes[0].children):
            self._maybe_create_save_counter()
        root, extra = self._graph_root_and_extra()
        state = _Restore(reader, proto, root, extra, save_path)
        state.run()
        if state.unresolved_checkpoint_nodes():
            _PENDING.append(state)
        return CheckpointLoadStatus(state)

    def __repr__(self):
        return f"<tf.train.Checkpoint {', '.join(self._deps)}>"


def _call_write_callback(cb, path):
    import inspect  # noqa: PLC0415
    try:
        n = len(inspect.signature(cb).parameters)
    except (TypeError, ValueError):
        n = 1
    if n == 0:
        cb()
    else:
        cb(path)


# ---------------------------------------------------------------------------
# tf.train.load_checkpoint / list_variables / load_variable
# ---------------------------------------------------------------------------

class CheckpointReader:
    """What ``tf.train.load_checkpoint`` returns (TF's ``CheckpointReader``)."""

    def __init__(self, prefix):
        self._reader = bundle.BundleReader(prefix)

    def get_tensor(self, name):
        value = self._reader.get(_as_key(name))
        if value.dtype == object and value.shape == ():
            return value[()]
        return value

    def has_tensor(self, name):
        return self._reader.has_tensor(_as_key(name))

    def get_variable_to_shape_map(self):
        return {k: self._reader.shape(k) for k in self._reader.keys()}

    def get_variable_to_dtype_map(self):
        from tfjax._src import dtypes  # noqa: PLC0415
        return {k: dtypes.as_dtype(int(self._reader.entries[k].dtype)) for k in self._reader.keys()}

    def debug_string(self):
        return "".join(f"{k} ({self._reader.np_dtype(k)}) {self._reader.shape(k)}\n"
                       for k in sorted(self._reader.keys())).encode()


def _as_key(name):
    if isinstance(name, bytes):
        return name.decode("utf-8")
    if name.endswith(":0"):
        name = name[:-2]
    return name


def _resolve_prefix(ckpt_dir_or_file):
    path = _as_path(ckpt_dir_or_file)
    if os.path.isdir(path):
        from tfjax._src.train.checkpoint_management import latest_checkpoint  # noqa: PLC0415
        latest = latest_checkpoint(path)
        if latest is None:
            raise ValueError(f"Couldn't find 'checkpoint' file or checkpoints in given directory {path}")
        return latest
    return path


def load_checkpoint(ckpt_dir_or_file):
    """``tf.train.load_checkpoint``: a reader of a checkpoint prefix or a directory's latest checkpoint."""
    return CheckpointReader(_resolve_prefix(ckpt_dir_or_file))


def list_variables(ckpt_dir_or_file):
    """``tf.train.list_variables``: sorted ``(key, shape)`` pairs."""
    reader = load_checkpoint(ckpt_dir_or_file)
    shapes = reader.get_variable_to_shape_map()
    return [(k, shapes[k]) for k in sorted(shapes)]


def load_variable(ckpt_dir_or_file, name):
    """``tf.train.load_variable``: one tensor's value as a numpy array."""
    return load_checkpoint(ckpt_dir_or_file).get_tensor(name)

