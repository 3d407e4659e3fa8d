"""``tf.Variable`` and ``tf.Module``: mutable state over immutable JAX arrays.

A Variable holds a plain ``jax.Array`` in ``_value``; ``assign`` swaps it, so
eager reads are free and a value read earlier never changes.

Inside ``tf.function`` the function is traced by ``jax.jit`` as a pure function:
a :class:`StateScope` is active, reads return the traced value the compiled
function received for the variable, and writes are collected so the compiled
function can return them (see :mod:`tfjax._src.function`). Why not ``jax.Ref``:
see docs/design.md (per-call cost, and in-place aliasing of snapshots).
"""

from __future__ import annotations

import threading

import jax
import jax.numpy as jnp
import numpy as np

from tfjax._src import dtypes
from tfjax._src import tape as _tape
from tfjax._src.tensor import Tensor, to_array, convert_to_tensor, numpy_repr
from tfjax._src.tensor_shape import TensorShape

_Tracer = jax.core.Tracer


class VariableCreatedInTrace(BaseException):
    """Internal: a traced function tried to create a variable.

    ``tf.function`` catches it and runs that first call eagerly instead (TF runs
    a variable-creating function twice on its first call as well). It derives
    from BaseException so user ``except Exception`` blocks don't swallow it.
    """


class StateScope:
    """Variable state of one ``tf.function`` trace.

    ``values`` maps id(var) -> the traced (or, for variables first met during this
    trace, concrete) value; ``written`` lists the variables assigned in the trace,
    whose final values the compiled function returns.
    """

    def __init__(self, captured, traced_values):
        self.values = {id(v): x for v, x in zip(captured, traced_values)}
        self.vars = {id(v): v for v in captured}
        self.discovered = []
        self.written = {}
        self.allow_creation = False

    def read(self, var):
        x = self.values.get(id(var))
        if x is None:
            # First met in this trace: its current value is right for this call
            # only, so the function re-traces with it as an input next time.
            x = var._value
            self.values[id(var)] = x
            self.vars[id(var)] = var
            self.discovered.append(var)
        return x

    def write(self, var, x):
        if id(var) not in self.vars:
            self.vars[id(var)] = var
            self.discovered.append(var)
        self.values[id(var)] = x
        self.written[id(var)] = var


class _ScopeState(threading.local):
    def __init__(self):
        self.scope = None


_scope_state = _ScopeState()


def current_scope():
    return _scope_state.scope


class enter_scope:
    """Makes ``scope`` the active StateScope (None: eager) for the duration."""

    def __init__(self, scope):
        self._scope = scope

    def __enter__(self):
        self._prev = _scope_state.scope
        _scope_state.scope = self._scope
        return self._scope

    def __exit__(self, *exc):
        _scope_state.scope = self._prev
        return False


def init_scope():
    """``tf.init_scope``: run eagerly on concrete values even while tracing."""
    return _InitScope()


class _InitScope:
    def __enter__(self):
        self._scope = enter_scope(None)
        self._scope.__enter__()
        self._eval = jax.ensure_compile_time_eval()
        self._eval.__enter__()

    def __exit__(self, *exc):
        self._eval.__exit__(*exc)
        self._scope.__exit__(*exc)
        return False


# Called with each new Variable at the end of its construction (tf.distribute
# places variables created under a strategy scope on its mesh this way).
creation_hooks = []

# State every tf.function captures up front (e.g. the global RNG state), so
# functions that use it never need a discovery re-trace.
ALWAYS_CAPTURED = []


class VariableSynchronization:
    AUTO = 0
    NONE = 1
    ON_WRITE = 2
    ON_READ = 3


class VariableAggregation:
    NONE = 0
    SUM = 1
    MEAN = 2
    ONLY_FIRST_REPLICA = 3


class Variable:
    """A mutable tensor-like value (see ``tf.Variable``)."""

    # numpy must defer to our reflected operators.
    __array_priority__ = 100

    # The current array lives in ``_buf``. ``_owned`` marks a buffer that only this variable
    # refers to (a donating compiled step produced it and nothing has read it since), so the
    # next such step may donate it (see donation.py). Every read through ``_value`` may hand
    # the buffer out, so it clears the mark; every write through ``_value`` stores a buffer
    # of unknown provenance.
    _owned = False

    @property
    def _value(self):
        if self._owned:
            self._owned = False
        return self._buf

    @_value.setter
    def _value(self, x):
        self._buf = x
        self._owned = False

    def __init__(self, initial_value=None, trainable=None, validate_shape=True,
                 caching_device=None, name=None, variable_def=None, dtype=None,
                 import_scope=None, constraint=None,
                 synchronization=VariableSynchronization.AUTO,
                 aggregation=VariableAggregation.NONE, shape=None,
                 experimental_enable_variable_lifting=True):
        if variable_def is not None:
            raise NotImplementedError("Variable(variable_def=...) is not supported by tfjax (graph-mode protos).")
        if initial_value is None:
            raise ValueError("The `initial_value` arg (tf.Variable) must be specified.")
        scope = _scope_state.scope
        if scope is not None and not scope.allow_creation:
            raise VariableCreatedInTrace()
        if callable(initial_value):
            with init_scope():
                initial_value = initial_value()
        if dtype is not None:
            dtype = dtypes.as_dtype(dtype)
        if isinstance(initial_value, Variable):
            initial_value = initial_value._value
        if isinstance(initial_value, Tensor) and isinstance(initial_value._value, _Tracer):
            raise ValueError(
                "A tf.Variable's initial value depends on a symbolic tensor computed inside "
                "tf.function; create it from concrete values or in tf.init_scope().")
        if dtype is not None and isinstance(initial_value, (Tensor, jax.Array)):
            value = to_array(initial_value)
            if dtypes.from_numpy(value.dtype) is not dtype:
                value = value.astype(dtype._np)
        else:
            value = to_array(initial_value, dtype)
        if isinstance(value, np.ndarray) and value.dtype == object:
            raise NotImplementedError("tf.string variables are not supported by tfjax.")
        self._value = value
        self._shape = TensorShape(value.shape) if shape is None else TensorShape(shape)
        if not self._shape.is_compatible_with(value.shape):
            raise ValueError(f"Shape {value.shape} of the initial value is not compatible with shape {self._shape}.")
        self._dtype = dtypes.from_numpy(value.dtype)
        if trainable is None:
            trainable = synchronization != VariableSynchronization.ON_READ
        self._trainable = bool(trainable)
        self._name = f"{name if name is not None else 'Variable'}:0"
        self._constraint = constraint
        self._synchronization = synchronization
        self._aggregation = aggregation
        self._initial_value = value
        for hook in creation_hooks:
            hook(self)

    # -- metadata -------------------------------------------------------------
    @property
    def name(self) -> str:
        return self._name

    @property
    def dtype(self) -> dtypes.DType:
        return self._dtype

    @property
    def shape(self) -> TensorShape:
        return self._shape

    @property
    def ndim(self):
        return self._shape.rank

    def get_shape(self) -> TensorShape:
        return self._shape

    @property
    def trainable(self) -> bool:
        return self._trainable

    @property
    def constraint(self):
        return self._constraint

    @property
    def synchronization(self):
        return self._synchronization

    @property
    def aggregation(self):
        return self._aggregation

    @property
    def initial_value(self):
        return Tensor(self._initial_value)

    @property
    def device(self):
        return Tensor(self._value).device

    @property
    def handle(self):
        return self

    # -- reads ---------------------------------------------------------------
    def _read_raw(self):
        """The current array, without tape recording (for non-differentiable uses)."""
        scope = _scope_state.scope
        return self._value if scope is None else scope.read(self)

    _read_array = _read_raw

    def value(self) -> Tensor:
        """The current value as a Tensor (recorded as a read by active tapes)."""
        scope = _scope_state.scope
        t = Tensor(self._value if scope is None else scope.read(self))
        if _tape.state.recording:
            _tape.record_read(self, t)
        return t

    def read_value(self) -> Tensor:
        return self.value()

    def numpy(self):
        return self.value().numpy()

    def __array__(self, dtype=None, copy=None):
        return self.value().__array__(dtype)

    def __jax_array__(self):
        return self._read_raw()

    def _as_tensor(self):
        return self.value()

    def __tf_tensor__(self, dtype=None, name=None):
        return self.value()

    # -- writes --------------------------------------------------------------
    def _coerce(self, value):
        x = convert_to_tensor(value, dtype_hint=self._dtype)
        if x.dtype is not self._dtype:
            if isinstance(value, (Tensor, Variable)):
                raise ValueError(
                    f"Tensor conversion requested dtype {self._dtype.name} for Tensor with dtype "
                    f"{x.dtype.name}: {x!r}")
            x = Tensor(x._value.astype(self._dtype._np))
        return x._value

    def _write(self, new):
        if not self._shape.is_compatible_with(new.shape):
            raise ValueError(
                f"Cannot assign value to variable ' {self._name}': Shape mismatch.The variable shape "
                f"{self._shape}, and the assigned value shape {TensorShape(new.shape)} are incompatible.")
        scope = _scope_state.scope
        if scope is None:
            sharding = getattr(self, "_tfjax_sharding", None)
            if sharding is not None and getattr(new, "sharding", sharding) != sharding:
                # Keep a distributed variable on its mesh across eager assigns.
                new = jax.device_put(new, sharding)
            self._value = new
        else:
            scope.write(self, new)

    def assign(self, value, use_locking=None, name=None, read_value=True):
        self._write(self._coerce(value))
        return self if read_value else None

    def assign_add(self, delta, use_locking=None, name=None, read_value=True):
        self._write(_checked_binary(self, delta, jnp.add, "AssignAddVariableOp"))
        return self if read_value else None

    def assign_sub(self, delta, use_locking=None, name=None, read_value=True):
        self._write(_checked_binary(self, delta, jnp.subtract, "AssignSubVariableOp"))
        return self if read_value else None

    def scatter_nd_update(self, indices, updates, name=None):
        from tfjax._src.ops import array_ops  # noqa: PLC0415
        self._write(array_ops.tensor_scatter_nd_update(
            Tensor(self._read_raw()), indices, Tensor(self._coerce(updates)))._value)
        return self

    def scatter_nd_add(self, indices, updates, name=None):
        from tfjax._src.ops import array_ops  # noqa: PLC0415
        self._write(array_ops.tensor_scatter_nd_add(
            Tensor(self._read_raw()), indices, Tensor(self._coerce(updates)))._value)
        return self

    def scatter_nd_sub(self, indices, updates, name=None):
        from tfjax._src.ops import array_ops  # noqa: PLC0415
        self._write(array_ops.tensor_scatter_nd_sub(
            Tensor(self._read_raw()), indices, Tensor(self._coerce(updates)))._value)
        return self

    def _scatter(self, sparse_delta, fn):
        from tfjax._src.ops import array_ops  # noqa: PLC0415
        idx = array_ops.expand_dims(convert_to_tensor(sparse_delta.indices), -1)
        self._write(fn(Tensor(self._read_raw()), idx, Tensor(self._coerce(sparse_delta.values)))._value)
        return self

    def scatter_update(self, sparse_delta, use_locking=False, name=None):
        from tfjax._src.ops import array_ops  # noqa: PLC0415
        return self._scatter(sparse_delta, array_ops.tensor_scatter_nd_update)

    def scatter_add(self, sparse_delta, use_locking=False, name=None):
        from tfjax._src.ops import array_ops  # noqa: PLC0415
        return self._scatter(sparse_delta, array_ops.tensor_scatter_nd_add)

    def scatter_sub(self, sparse_delta, use_locking=False, name=None):
        from tfjax._src.ops import array_ops  # noqa: PLC0415
        return self._scatter(sparse_delta, array_ops.tensor_scatter_nd_sub)

    def __getitem__(self, key):
        from tfjax._src.ops import array_ops  # noqa: PLC0415
        out = array_ops.getitem(self.value(), key)
        sliced = _SliceOfVariable(out._value, self, key)
        if _tape.state.recording:
            _tape.record_alias(out, sliced)
        return sliced

    # -- python protocol -----------------------------------------------------
    def __hash__(self):
        raise TypeError(
            f"Variable is unhashable. Instead, use variable.ref() as the key. (Variable: {self!r})")

    def ref(self):
        from tfjax._src.tensor import _Reference  # noqa: PLC0415
        return _Reference(self)

    experimental_ref = ref

    def __bool__(self):
        return bool(self.value())

    def __len__(self):
        return len(self.value())

    def __index__(self):
        return self.value().__index__()

    def __int__(self):
        return int(self.value())

    def __float__(self):
        return float(self.value())

    def __iter__(self):
        return iter(self.value())

    def __repr__(self):
        v = self._read_raw()
        if isinstance(v, _Tracer):
            return f"<tf.Variable '{self._name}' shape={self._shape} dtype={self._dtype.name}>"
        return (f"<tf.Variable '{self._name}' shape={self._shape} dtype={self._dtype.name}, "
                f"numpy={numpy_repr(v)}>")

    def __deepcopy__(self, memo):
        new = Variable(self._value, trainable=self._trainable, name=self._name[:-2],
                       constraint=self._constraint)
        memo[id(self)] = new
        return new

    def __reduce__(self):
        return _rebuild_variable, (np.asarray(self._value), self._trainable, self._name[:-2])


def _rebuild_variable(value, trainable, name):
    return Variable(value, trainable=trainable, name=name)


def _checked_binary(var, delta, fn, op_name):
    from tfjax._src import errors  # noqa: PLC0415
    d = var._coerce(delta)
    cur = var._read_raw()
    if d.dtype != cur.dtype:
        raise errors.invalid_argument(op_name, f"dtype mismatch {d.dtype} vs {cur.dtype}")
    return fn(cur, d)


class _SliceOfVariable(Tensor):
    """``v[...]``: a Tensor that also supports ``.assign`` back into the slice (as TF)."""

    __slots__ = ("_var", "_key")

    def __init__(self, value, var, key):
        super().__init__(value)
        self._var = var
        self._key = key

    def assign(self, value, use_locking=None, name=None, read_value=True):
        from tfjax._src.ops import array_ops  # noqa: PLC0415
        var = self._var
        new = array_ops.setitem(Tensor(var._read_raw()), self._key, Tensor(var._coerce(value)))
        var._write(new._value)
        return var if read_value else None


jax.tree_util.register_pytree_node(
    Variable, lambda v: ((v._read_raw(),), None), lambda _, c: Tensor(c[0]))


# ---------------------------------------------------------------------------
# tf.Module
# ---------------------------------------------------------------------------

class Module:
    """``tf.Module``: a named container that tracks variables and submodules in its attributes."""

    def __init__(self, name=None):
        if name is None:
            name = _camel_to_snake(type(self).__name__)
        self._name = name

    @property
    def name(self):
        return self._name

    @property
    def name_scope(self):
        from tfjax._src.ops.name_scope import name_scope  # noqa: PLC0415
        return name_scope(self._name)

    def _flatten(self, predicate, recursive=True):
        seen_mod, seen_var, out = set(), set(), []

        def visit_value(x):
            if isinstance(x, Variable):
                if id(x) not in seen_var:
                    seen_var.add(id(x))
                    if predicate(x):
                        out.append(x)
            elif isinstance(x, Module):
                if predicate(x) and id(x) not in seen_mod:
                    out.append(x)
                if recursive or x is self:
                    visit_module(x)
            elif isinstance(x, (list, tuple)):
                for e in x:
                    visit_value(e)
            elif isinstance(x, dict):
                for k in sorted(x, key=str):
                    visit_value(x[k])

        def visit_module(m):
            if id(m) in seen_mod:
                return
            seen_mod.add(id(m))
            for k in sorted(vars(m)):
                visit_value(vars(m)[k])

        visit_module(self)
        return out

    @property
    def variables(self):
        return tuple(self._flatten(lambda x: isinstance(x, Variable)))

    @property
    def trainable_variables(self):
        return tuple(self._flatten(lambda x: isinstance(x, Variable) and x.trainable))

    @property
    def non_trainable_variables(self):
        return tuple(self._flatten(lambda x: isinstance(x, Variable) and not x.trainable))

    @property
    def submodules(self):
        return tuple(m for m in self._flatten(lambda x: isinstance(x, Module)) if m is not self)

    @classmethod
    def with_name_scope(cls, method):
        return method


def _camel_to_snake(name):
    out = []
    for i, ch in enumerate(name):
        if ch.isupper() and i and (not name[i - 1].isupper() or (i + 1 < len(name) and name[i + 1].islower())):
            out.append("_")
        out.append(ch.lower())
    return "".join(out)


def all_variables_of(obj, _seen=None):
    """Variables reachable from ``obj`` (Variable, Module, Keras objects, containers)."""
    found = []
    seen = set() if _seen is None else _seen

    def visit(x, depth):
        if depth > 6 or id(x) in seen:
            return
        if isinstance(x, Variable):
            seen.add(id(x))
            found.append(x)
            return
        tracked = getattr(type(x), "_tfjax_tracked_variables", None)
        if tracked is not None:
            seen.add(id(x))
            for v in tracked.__get__(x)():
                visit(v, depth + 1)
            return
        if isinstance(x, Module):
            seen.add(id(x))
            for v in x.variables:
                visit(v, depth + 1)
        elif isinstance(x, (list, tuple)):
            seen.add(id(x))
            for e in x:
                visit(e, depth + 1)
        elif isinstance(x, dict):
            seen.add(id(x))
            for e in x.values():
                visit(e, depth + 1)

    visit(obj, 0)
    return found

