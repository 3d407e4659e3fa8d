"""Keras variables: a tfjax ``Variable`` with Keras 3's ``path``/``name``/``value`` surface."""

from __future__ import annotations

import threading

import jax
import numpy as np

from tfjax._src import tape as _tape
from tfjax._src import variables as _vars
from tfjax._src.tensor import Tensor
from tfjax._src.keras import backend


class _Scopes(threading.local):
    def __init__(self):
        self.stack = []


_scopes = _Scopes()


class name_scope:
    """Keras name scope: the prefix of variable paths (``sequential/dense/kernel``)."""

    def __init__(self, name, caller=None, deduplicate=True, override_parent=None):
        self.name = name
        self.caller = caller
        self.deduplicate = deduplicate
        self._pushed = False

    def __enter__(self):
        st = _scopes.stack
        if self.deduplicate and st and st[-1][1] is not None and st[-1][1] is self.caller:
            return self
        st.append((self.name, self.caller))
        self._pushed = True
        return self

    def __exit__(self, *exc):
        if self._pushed:
            _scopes.stack.pop()
        return False


def current_path():
    return "/".join(s[0] for s in _scopes.stack)


class _Autocast(threading.local):
    def __init__(self):
        self.dtype = None


_autocast = _Autocast()


class AutocastScope:
    """Inside a layer's call with a mixed policy, float variables read as the compute dtype."""

    def __init__(self, dtype):
        self.dtype = None if dtype is None else np.dtype(dtype)

    def __enter__(self):
        self._prev = _autocast.dtype
        _autocast.dtype = self.dtype

    def __exit__(self, *exc):
        _autocast.dtype = self._prev
        return False


def _as_vt(t):
    t.__class__ = _ValueTensor
    return t


class _ValueTensor(Tensor):
    """``variable.value``: a Tensor that is also callable (``variable.value()``, tf.Variable style)."""

    __slots__ = ()

    def __call__(self):
        return self


class DTypeName(str):
    """Keras 3 variables report their dtype as a string ('float32'); this one also behaves as the
    tf.DType (attributes, equality) so TF-style code keeps working."""

    def __new__(cls, dt):
        obj = str.__new__(cls, dt.name)
        obj._dt = dt
        return obj

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self._dt, name)

    def __eq__(self, other):
        if isinstance(other, str):
            return str.__eq__(self, other)
        return self._dt == other

    def __ne__(self, other):
        return not self.__eq__(other)

    __hash__ = str.__hash__

    def as_tf_dtype(self):
        return self._dt


class KerasVariable(_vars.Variable):
    """A Keras 3 variable (``keras.Variable``) backed by a tfjax ``tf.Variable``."""

    def __init__(self, initializer, shape=None, dtype=None, trainable=True, autocast=True,
                 aggregation="none", synchronization="auto", name=None, regularizer=None,
                 constraint=None, **kwargs):
        name = name or "variable"
        if not isinstance(name, str) or "/" in name:
            raise ValueError(f"Argument `name` must be a string and cannot contain character `/`. Received: name={name}")
        dtype = backend.standardize_dtype(dtype) if dtype is not None else None
        with _vars.init_scope():
            if callable(initializer) and not isinstance(initializer, (Tensor, _vars.Variable)):
                if shape is None:
                    raise ValueError(
                        "When creating a Variable from an initializer, the `shape` argument should be "
                        f"specified. Received: initializer={initializer} and shape={shape}")
                value = initializer(tuple(shape), dtype=dtype or backend.floatx())
            else:
                value = initializer
            from tfjax._src.keras.ops.core import convert_to_tensor  # noqa: PLC0415
            value = convert_to_tensor(value, dtype)
            if isinstance(value._value, jax.core.Tracer):
                value = Tensor(np.asarray(value._value))
        super().__init__(value, trainable=trainable, name=name)
        self._keras_name = name
        parent = current_path()
        self._path = f"{parent}/{name}" if parent else name
        self._autocast = autocast
        self._regularizer = regularizer
        self._keras_constraint = constraint
        self._aggregation_str = aggregation
        self._overwrite_with_gradient = False

    @property
    def name(self):
        return self._keras_name

    @property
    def path(self):
        return self._path

    @property
    def dtype(self):
        return DTypeName(self._dtype)

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)

    @property
    def value(self):
        scope = _vars._scope_state.scope
        tt = _ValueTensor(self._value if scope is None else scope.read(self))
        if _tape.state.recording:
            _tape.record_read(self, tt)
        ac = _autocast.dtype
        if ac is not None and self._autocast and ac != self._value.dtype and \
                np.issubdtype(self._value.dtype, np.floating):
            from tfjax._src.keras.ops.core import cast  # noqa: PLC0415
            return _ValueTensor(cast(tt, ac)._value) if not _tape.state.recording else _as_vt(cast(tt, ac))
        return tt

    @property
    def regularizer(self):
        return self._regularizer

    @property
    def constraint(self):
        return self._keras_constraint

    @constraint.setter
    def constraint(self, c):
        self._keras_constraint = c

    @property
    def autocast(self):
        return self._autocast

    @property
    def overwrite_with_gradient(self):
        return self._overwrite_with_gradient

    @overwrite_with_gradient.setter
    def overwrite_with_gradient(self, v):
        self._overwrite_with_gradient = bool(v)

    def numpy(self):
        return np.array(self._read_raw())

    def value_raw(self):
        return self._read_raw()

    def __repr__(self):
        v = self._read_raw()
        shape = tuple(self.shape.as_list())
        if isinstance(v, jax.core.Tracer):
            return f"<Variable path={self.path}, shape={shape}, dtype={self.dtype.name}>"
        return f"<Variable path={self.path}, shape={shape}, dtype={self.dtype.name}, value={np.asarray(v)}>"

    def __deepcopy__(self, memo):
        new = KerasVariable(np.asarray(self._value), dtype=self.dtype.name, trainable=self._trainable,
                            name=self._keras_name)
        new._path = self._path
        memo[id(self)] = new
        return new

    def __reduce__(self):
        return _rebuild, (np.asarray(self._value), self._trainable, self._keras_name, self._path)


def _rebuild(value, trainable, name, path):
    v = KerasVariable(value, trainable=trainable, name=name)
    v._path = path
    return v


jax.tree_util.register_pytree_node(
    KerasVariable, lambda v: ((v._read_raw(),), None), lambda _, c: Tensor(c[0]))

Variable = KerasVariable
