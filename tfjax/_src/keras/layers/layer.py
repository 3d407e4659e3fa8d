"""``keras.layers.Layer``: the base of every layer and model.

A Layer is a ``tf.Module`` (so ``tf.function`` discovers its variables) that owns
Keras variables, tracks sublayers assigned as attributes, builds lazily from the
shapes of its first inputs, and runs its ``call`` on tfjax ops (eager, traced by
``tf.function`` and recorded by ``GradientTape`` with no special code).
"""

from __future__ import annotations

import functools
import inspect
import threading
import warnings

import jax
import numpy as np

from tfjax._src import nest
from tfjax._src import variables as _vars
from tfjax._src.tensor import Tensor
from tfjax._src.keras import backend
from tfjax._src.keras import dtype_policies
from tfjax._src.keras import initializers as _initializers
from tfjax._src.keras import regularizers as _regularizers
from tfjax._src.keras import constraints as _constraints
from tfjax._src.keras.keras_tensor import KerasTensor, Node, eval_spec, spec_to_kt, get_mask, set_mask
from tfjax._src.keras.keras_tensor import _is_spec
from tfjax._src.keras.variables import KerasVariable, name_scope, current_path, AutocastScope
from tfjax._src.keras.ops import core as _core


# -- call context (training flag propagation) --------------------------------------

class _CallContext(threading.local):
    def __init__(self):
        self.stack = []


_ctx = _CallContext()


def _current_training():
    for t in reversed(_ctx.stack):
        if t is not None:
            return t
    return None


def in_call_context():
    return bool(_ctx.stack)


# -- signatures ------------------------------------------------------------------

_SIG_CACHE = {}


class _CallSpec:
    __slots__ = ("params", "has_training", "has_mask", "training_default", "has_varkw", "first_arg",
                 "arg_names")

    def __init__(self, fn):
        sig = inspect.signature(fn)
        self.params = sig.parameters
        self.arg_names = [n for n, p in sig.parameters.items()
                          if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        self.has_training = "training" in sig.parameters
        self.has_mask = "mask" in sig.parameters
        self.has_varkw = any(p.kind == p.VAR_KEYWORD for p in sig.parameters.values())
        d = sig.parameters["training"].default if self.has_training else None
        self.training_default = None if d is inspect.Parameter.empty else d
        self.first_arg = self.arg_names[0] if self.arg_names else None


def _call_spec(cls):
    s = _SIG_CACHE.get(cls)
    if s is None:
        s = _CallSpec(cls.call)
        # unbound: drop self
        s.arg_names = s.arg_names[1:]
        s.first_arg = s.arg_names[0] if s.arg_names else None
        _SIG_CACHE[cls] = s
    return s


def _build_params(fn):
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return None
    return [n for n, p in sig.parameters.items() if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]


def _shape_of(x):
    if isinstance(x, KerasTensor):
        return x.shape
    if isinstance(x, (Tensor, _vars.Variable)):
        return tuple(x.shape.as_list())
    if hasattr(x, "shape"):
        return tuple(x.shape)
    return None


def _is_tensorish(x):
    return isinstance(x, (KerasTensor, Tensor, _vars.Variable, np.ndarray, jax.Array))


def _shapes(x):
    if _is_tensorish(x):
        return _shape_of(x)
    if isinstance(x, (list, tuple)):
        return type(x)(_shapes(e) for e in x) if type(x) in (list, tuple) else [_shapes(e) for e in x]
    if isinstance(x, dict):
        return {k: _shapes(v) for k, v in x.items()}
    return None


# -- tracked containers ---------------------------------------------------------

class TrackedList(list):
    def __init__(self, values, owner):
        super().__init__(values)
        self._owner = owner

    def append(self, v):
        self._owner._track(v)
        super().append(v)

    def extend(self, vs):
        vs = list(vs)
        for v in vs:
            self._owner._track(v)
        super().extend(vs)

    def insert(self, i, v):
        self._owner._track(v)
        super().insert(i, v)

    def __setitem__(self, i, v):
        if isinstance(i, slice):
            for e in v:
                self._owner._track(e)
        else:
            self._owner._track(v)
        super().__setitem__(i, v)


class TrackedDict(dict):
    def __init__(self, values, owner):
        super().__init__(values)
        self._owner = owner

    def __setitem__(self, k, v):
        self._owner._track(v)
        super().__setitem__(k, v)

    def update(self, *a, **kw):
        d = dict(*a, **kw)
        for v in d.values():
            self._owner._track(v)
        super().update(d)


def _is_metric(x):
    return hasattr(x, "update_state") and hasattr(x, "result") and hasattr(x, "reset_state")


class InputSpec:
    def __init__(self, dtype=None, shape=None, ndim=None, max_ndim=None, min_ndim=None, axes=None,
                 allow_last_axis_squeeze=False, name=None, optional=False):
        self.dtype = dtype
        self.shape = shape
        self.ndim = len(shape) if shape is not None else ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.axes = axes or {}
        self.name = name
        self.optional = optional
        self.allow_last_axis_squeeze = allow_last_axis_squeeze

    def get_config(self):
        return {"dtype": self.dtype, "shape": self.shape, "ndim": self.ndim, "max_ndim": self.max_ndim,
                "min_ndim": self.min_ndim, "axes": self.axes}


class Layer(_vars.Module):
    """The base class of all Keras layers (``keras.layers.Layer``)."""

    def __new__(cls, *args, **kwargs):
        obj = super().__new__(cls)
        object.__setattr__(obj, "_auto_config", _auto_config(cls, args, kwargs))
        # Wrap build so that calling it directly marks the layer built (Keras semantics).
        orig_build = obj.build

        @functools.wraps(orig_build)
        def build_wrapper(*a, **kw):
            with name_scope(obj.name, caller=obj):
                obj._path = current_path()
                with AutocastScope(None):
                    orig_build(*a, **kw)
            obj.built = True
            obj._post_build()

        object.__setattr__(obj, "build", build_wrapper)
        return obj

    def __init__(self, *, activity_regularizer=None, trainable=True, dtype=None, autocast=True, name=None,
                 **kwargs):
        self._init_tracking()
        input_dim = kwargs.pop("input_dim", None)
        input_shape = kwargs.pop("input_shape", None)
        batch_input_shape = kwargs.pop("batch_input_shape", None)
        batch_size = kwargs.pop("batch_size", None)
        kwargs.pop("input_length", None) if type(self).__name__ != "Embedding" else None
        for k in ("weights",):
            kwargs.pop(k, None)
        if kwargs:
            raise ValueError(f"Unrecognized keyword arguments passed to {type(self).__name__}: {kwargs}")
        if name is None:
            name = backend.unique_object_name(to_snake_case(type(self).__name__))
        elif not isinstance(name, str) or "/" in name:
            raise ValueError(
                f"Argument `name` must be a string and cannot contain character `/`. Received: name={name} "
                f"(of type {type(name)})")
        super().__init__(name=name)
        self._path = None
        self.built = False
        self._trainable = bool(trainable)
        self._dtype_policy = dtype_policies.get(dtype)
        self.autocast = autocast
        self.activity_regularizer = _regularizers.get(activity_regularizer)
        if "supports_masking" not in self.__dict__ and not hasattr(type(self), "supports_masking"):
            self.supports_masking = False
        self.input_spec = None
        self._build_shapes_dict = None
        self._call_spec = _call_spec(type(self))
        self.stateful = False
        if input_dim is not None and input_shape is None:
            input_shape = (input_dim,)
        if input_shape is not None:
            warnings.warn(
                "Do not pass an `input_shape`/`input_dim` argument to a layer. When using Sequential "
                "models, prefer using an `Input(shape)` object as the first layer in the model instead.",
                stacklevel=3)
            batch_input_shape = (batch_size,) + tuple(input_shape)
        self._batch_input_shape = tuple(batch_input_shape) if batch_input_shape is not None else None

    def _init_tracking(self):
        d = self.__dict__
        if "_layers" in d:
            return
        d["_layers"] = []
        d["_trainable_variables"] = []
        d["_non_trainable_variables"] = []
        d["_seed_generators"] = []
        d["_metrics"] = []
        d["_losses"] = []
        d["_inbound_nodes"] = []
        d["_outbound_nodes"] = []
        d["_tracking_enabled"] = True

    # -- attribute tracking ---------------------------------------------------------
    def _track(self, value):
        from tfjax._src.keras.random.random import SeedGenerator  # noqa: PLC0415
        if isinstance(value, Layer):
            if value is not self and not any(value is l for l in self._layers):
                self._layers.append(value)
        elif isinstance(value, _vars.Variable):
            lst = self._trainable_variables if value.trainable else self._non_trainable_variables
            if not any(value is v for v in self._trainable_variables + self._non_trainable_variables):
                lst.append(value)
        elif isinstance(value, SeedGenerator):
            if not any(value is s for s in self._seed_generators):
                self._seed_generators.append(value)
        elif _is_metric(value):
            if not any(value is m for m in self._metrics):
                self._metrics.append(value)
        elif isinstance(value, (list, tuple)):
            for e in value:
                self._track(e)
        elif isinstance(value, dict):
            for e in value.values():
                self._track(e)

    def __setattr__(self, name, value):
        d = self.__dict__
        if "_layers" not in d:
            self._init_tracking()
        if name.startswith("__") or not d.get("_tracking_enabled", True):
            object.__setattr__(self, name, value)
            return
        if type(value) is list and name not in ("_layers", "_trainable_variables", "_non_trainable_variables",
                                                "_seed_generators", "_metrics", "_losses", "_inbound_nodes",
                                                "_outbound_nodes"):
            if any(isinstance(e, (Layer, _vars.Variable)) or isinstance(e, (list, dict)) for e in value) or not value:
                value = TrackedList(value, self)
        elif type(value) is dict:
            value = TrackedDict(value, self)
        old = d.get(name)
        if old is not None and old is not value and isinstance(old, Layer) and name != "_self_tracked":
            self._layers[:] = [l for l in self._layers if l is not old]
        if not name.startswith("_") or name in ("_layer", "_model"):
            self._track(value)
        elif isinstance(value, (Layer, _vars.Variable)) and name not in ("_self_setattr",):
            self._track(value)
        object.__setattr__(self, name, value)

    def __delattr__(self, name):
        v = self.__dict__.get(name)
        if isinstance(v, Layer):
            self._layers[:] = [l for l in self._layers if l is not v]
        elif isinstance(v, _vars.Variable):
            self._trainable_variables[:] = [x for x in self._trainable_variables if x is not v]
            self._non_trainable_variables[:] = [x for x in self._non_trainable_variables if x is not v]
        object.__delattr__(self, name)

    # -- properties ------------------------------------------------------------------
    @property
    def name(self):
        return self._name

    @property
    def path(self):
        return self._path

    @property
    def dtype_policy(self):
        return self._dtype_policy

    @dtype_policy.setter
    def dtype_policy(self, value):
        self._dtype_policy = dtype_policies.get(value)

    @property
    def dtype(self):
        return self._dtype_policy.variable_dtype

    @property
    def compute_dtype(self):
        return self._dtype_policy.compute_dtype

    @property
    def variable_dtype(self):
        return self._dtype_policy.variable_dtype

    @property
    def input_dtype(self):
        return self.compute_dtype

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        value = bool(value)
        self._trainable = value
        for v in self._trainable_variables:
            v.trainable = value
        for layer in self._layers:
            layer.trainable = value

    @property
    def variables(self):
        out, seen = [], set()
        for v in self._trainable_variables + self._non_trainable_variables:
            if id(v) not in seen:
                seen.add(id(v))
                out.append(v)
        for sg in self._seed_generators:
            if id(sg.state) not in seen:
                seen.add(id(sg.state))
                out.append(sg.state)
        for layer in self._layers:
            for v in layer.variables:
                if id(v) not in seen:
                    seen.add(id(v))
                    out.append(v)
        return out

    @property
    def trainable_variables(self):
        if not self.trainable:
            return []
        return [v for v in self.variables if v.trainable]

    @property
    def non_trainable_variables(self):
        if not self.trainable:
            return self.variables
        return [v for v in self.variables if not v.trainable]

    @property
    def weights(self):
        out, seen = [], set()
        for v in self._trainable_variables + self._non_trainable_variables:
            if id(v) not in seen:
                seen.add(id(v))
                out.append(v)
        for layer in self._layers:
            for v in layer.weights:
                if id(v) not in seen:
                    seen.add(id(v))
                    out.append(v)
        return out

    @property
    def trainable_weights(self):
        if not self.trainable:
            return []
        return [v for v in self.weights if v.trainable]

    @property
    def non_trainable_weights(self):
        if not self.trainable:
            return self.weights
        return [v for v in self.weights if not v.trainable]

    @property
    def metrics(self):
        out = list(self._metrics)
        for layer in self._layers:
            out.extend(layer.metrics)
        return out

    @property
    def metrics_variables(self):
        out = []
        for m in self.metrics:
            out.extend(m.variables)
        return out

    def _tfjax_tracked_variables(self):
        out = self.variables
        seen = {id(v) for v in out}
        for m in self.metrics:
            for v in getattr(m, "variables", []):
                if id(v) not in seen:
                    seen.add(id(v))
                    out.append(v)
        return out

    def _flatten_layers(self, include_self=True, recursive=True):
        out = [self] if include_self else []
        seen = {id(self)}
        stack = list(self._layers)
        queue = []
        for l in stack:
            if id(l) in seen:
                continue
            seen.add(id(l))
            out.append(l)
            if recursive:
                for sub in l._flatten_layers(include_self=False, recursive=True):
                    if id(sub) not in seen:
                        seen.add(id(sub))
                        out.append(sub)
        return out

    @property
    def submodules(self):
        return tuple(self._flatten_layers(include_self=False))

    # -- weights ---------------------------------------------------------------------
    def add_weight(self, shape=None, initializer=None, dtype=None, trainable=True, autocast=True,
                   regularizer=None, constraint=None, aggregation="none", overwrite_with_gradient=False,
                   name=None, **kwargs):
        if "use_resource" in kwargs:
            kwargs.pop("use_resource")
        if "synchronization" in kwargs:
            kwargs.pop("synchronization")
        if "experimental_autocast" in kwargs:
            autocast = kwargs.pop("experimental_autocast")
        if kwargs:
            raise TypeError(f"add_weight() got unexpected keyword arguments: {list(kwargs)}")
        self._check_super_called()
        if shape is None:
            shape = ()
        dtype = backend.standardize_dtype(dtype) if dtype is not None else self.variable_dtype
        if initializer is None:
            initializer = "glorot_uniform" if backend.is_float_dtype(dtype) else "zeros"
        initializer = _initializers.get(initializer)
        with name_scope(self.name, caller=self):
            v = KerasVariable(initializer, shape=tuple(shape), dtype=dtype, trainable=trainable,
                              autocast=autocast, name=name or "variable",
                              regularizer=_regularizers.get(regularizer),
                              constraint=_constraints.get(constraint))
        v._layer_regularizer = _regularizers.get(regularizer)
        v.overwrite_with_gradient = overwrite_with_gradient
        self._track(v)
        return v

    add_variable = add_weight

    def _check_super_called(self):
        if "_layers" not in self.__dict__ or "_dtype_policy" not in self.__dict__:
            raise RuntimeError(
                "In layer '{}', you forgot to call `super().__init__()` as the first statement in the "
                "`__init__()` method. Go add it!".format(type(self).__name__))

    def get_weights(self):
        return [np.array(v.numpy()) for v in self.weights]

    def set_weights(self, weights):
        layer_weights = self.weights
        if len(layer_weights) != len(weights):
            raise ValueError(
                f"You called `set_weights(weights)` on layer '{self.name}' with a weight list of length "
                f"{len(weights)}, but the layer was expecting {len(layer_weights)} weights.")
        for v, w in zip(layer_weights, weights):
            w = np.asarray(w)
            if tuple(v.shape.as_list()) != tuple(w.shape):
                raise ValueError(
                    f"Layer {self.name} weight shape {tuple(v.shape.as_list())} is not compatible with "
                    f"provided weight shape {w.shape}.")
            v.assign(w)

    def count_params(self):
        if not self.built:
            raise ValueError(
                "You tried to call `count_params` on layer '{}', but the layer isn't built. You can build "
                "it manually via: `layer.build(input_shape)`.".format(self.name))
        return int(sum(int(np.prod(v.shape.as_list())) for v in self.weights))

    # -- build -------------------------------------------------------------------------
    def build(self, input_shape=None):
        self.built = True

    def _post_build(self):
        pass

    def build_from_config(self, config):
        if config and not self.built:
            shp = config.get("input_shape")
            if shp is not None:
                self.build(shp)
            else:
                shapes = config.get("shapes_dict")
                if shapes:
                    self.build(**shapes)

    def get_build_config(self):
        if self._build_shapes_dict is not None:
            if len(self._build_shapes_dict) == 1:
                return {"input_shape": tuple(self._build_shapes_dict.values())[0]}
            return {"shapes_dict": self._build_shapes_dict}
        return None

    def _maybe_build(self, args, kwargs):
        if self.built:
            return
        spec = self._call_spec
        shapes = {}
        for i, a in enumerate(args):
            if i < len(spec.arg_names):
                s = _shapes(a)
                if s is not None:
                    shapes[spec.arg_names[i] + "_shape"] = s
        for k, v in kwargs.items():
            if k in ("training", "mask"):
                continue
            s = _shapes(v)
            if s is not None and (_is_tensorish(v) or isinstance(v, (list, tuple, dict))):
                shapes[k + "_shape"] = s
        self._build_shapes_dict = shapes
        params = _build_params(type(self).build)
        params = params[1:] if params else []
        if not params:
            self.build()
        elif not _overrides(type(self), "build") or len(params) == 1:
            self.build(next(iter(shapes.values()), None))
        else:
            match = {p: shapes[p] for p in params if p in shapes}
            if match and params[0] in match:
                self.build(**match)
            else:
                self.build(next(iter(shapes.values()), None))
        self.built = True

    # -- calling -------------------------------------------------------------------------
    def call(self, *args, **kwargs):
        raise NotImplementedError(f"Layer {type(self).__name__} does not have a `call()` method implemented.")

    def _convert_arg(self, x):
        if isinstance(x, np.ndarray) or isinstance(x, jax.Array) and not isinstance(x, Tensor):
            d = np.asarray(x).dtype if isinstance(x, np.ndarray) else x.dtype
            if np.issubdtype(d, np.floating) and self.autocast:
                return _core.convert_to_tensor(x, self.compute_dtype)
            return _core.convert_to_tensor(x)
        if isinstance(x, Tensor) and self.autocast and x._value.dtype != object:
            d = x._value.dtype
            if np.issubdtype(d, np.floating) and d != np.dtype(self._compute_np()):
                m = get_mask(x)
                out = _core.cast(x, self.compute_dtype)
                if m is not None:
                    set_mask(out, m)
                return out
        return x

    def _compute_np(self):
        c = self.__dict__.get("_cnp")
        if c is None or c[0] != self.compute_dtype:
            c = (self.compute_dtype, _core.np_dtype(self.compute_dtype))
            self.__dict__["_cnp"] = c
        return c[1]

    def __call__(self, *args, **kwargs):
        self._check_super_called()
        if _core.any_symbolic(args, kwargs):
            return self._symbolic_call(args, kwargs)
        spec = self._call_spec
        # Convert array inputs (and autocast floating inputs) to the compute dtype.
        if args:
            first = args[0]
            if isinstance(first, (list, tuple, dict)):
                first = nest.map_structure(self._convert_arg, first)
            else:
                first = self._convert_arg(first)
            args = (first,) + tuple(self._convert_arg(a) if isinstance(a, (np.ndarray, Tensor)) else a
                                    for a in args[1:])
        # Masks carried by the inputs.
        if spec.has_mask and kwargs.get("mask") is None and args:
            m = nest.map_structure(get_mask, args[0]) if isinstance(args[0], (list, tuple)) else get_mask(args[0])
            if m is not None and not (isinstance(m, (list, tuple)) and all(e is None for e in m)):
                kwargs["mask"] = m
        # training flag
        training = kwargs.get("training")
        if training is None:
            training = _current_training()
        if training is None and spec.has_training:
            training = spec.training_default
        if spec.has_training:
            kwargs["training"] = training
        elif "training" in kwargs:
            kwargs.pop("training")
        outermost = not _ctx.stack
        if outermost:
            self._clear_losses()
        _ctx.stack.append(training)
        try:
            with name_scope(self.name, caller=self):
                if not self.built:
                    self._maybe_build(args, kwargs)
                if self.compute_dtype != self.variable_dtype:
                    with AutocastScope(self._compute_np()):
                        outputs = self.call(*args, **kwargs)
                else:
                    outputs = self.call(*args, **kwargs)
        finally:
            _ctx.stack.pop()
        # Output masks
        if self.supports_masking or _overrides(type(self), "compute_mask"):
            prev = kwargs.get("mask")
            if prev is None and args:
                prev = (nest.map_structure(get_mask, args[0]) if isinstance(args[0], (list, tuple))
                        else get_mask(args[0]))
            if _overrides(type(self), "compute_mask") or prev is not None:
                out_mask = self.compute_mask(args[0] if args else None, prev)
                if out_mask is not None:
                    flat_o = nest.flatten(outputs)
                    flat_m = nest.flatten(out_mask) if isinstance(out_mask, (list, tuple)) else [out_mask] * len(flat_o)
                    for o, m in zip(flat_o, flat_m):
                        set_mask(o, m)
        if self.activity_regularizer is not None:
            for o in nest.flatten(outputs):
                if isinstance(o, Tensor):
                    from tfjax._src.keras.ops import numpy as _np  # noqa: PLC0415
                    n = o.shape.as_list()[0] or 1
                    self.add_loss(_np.divide(self.activity_regularizer(o), float(n)))
        return outputs

    def _symbolic_call(self, args, kwargs):
        with name_scope(self.name, caller=self):
            if not self.built:
                self._maybe_build(args, kwargs)
        spec = self._call_spec
        call_kwargs = dict(kwargs)
        # masks of KerasTensor inputs are passed by __call__ at run time.
        out_spec = self.compute_output_spec(*args, **kwargs)
        outputs = nest.map_structure(lambda s: spec_to_kt(s) if _is_spec(s) or isinstance(s, KerasTensor) else s,
                                     out_spec)
        flat_out = [o for o in nest.flatten(outputs) if isinstance(o, KerasTensor)]
        # fresh KerasTensors (compute_output_spec may return the inputs themselves)
        fresh = []
        for o in flat_out:
            fresh.append(KerasTensor(o.shape, o.dtype, sparse=o.sparse))
        mapping = {id(a): b for a, b in zip(flat_out, fresh)}
        outputs = nest.map_structure(lambda o: mapping.get(id(o), o) if isinstance(o, KerasTensor) else o, outputs)
        Node(self, args, call_kwargs, fresh)
        # masks
        if args and (self.supports_masking or _overrides(type(self), "compute_mask")):
            first = args[0]
            prev = kwargs.get("mask")
            if prev is None:
                prev = (nest.map_structure(lambda x: getattr(x, "_keras_mask", None), first)
                        if isinstance(first, (list, tuple)) else getattr(first, "_keras_mask", None))
            if _overrides(type(self), "compute_mask") or prev is not None:
                try:
                    m = self.compute_mask(first, prev)
                except Exception:  # noqa: BLE001
                    m = None
                if m is not None:
                    fm = nest.flatten(m) if isinstance(m, (list, tuple)) else [m] * len(fresh)
                    for o, mm in zip(fresh, fm):
                        o._keras_mask = mm
        return outputs

    def compute_output_spec(self, *args, **kwargs):
        if _overrides(type(self), "compute_output_shape"):
            shapes = nest.map_structure(lambda x: x.shape if isinstance(x, KerasTensor) else None, args[0]) \
                if args else None
            out_shape = self.compute_output_shape(shapes) if not isinstance(args[0], KerasTensor) \
                else self.compute_output_shape(args[0].shape)
            dtype = self.compute_dtype
            first_kt = next((x for x in nest.flatten(args[0]) if isinstance(x, KerasTensor)), None)
            return _shape_to_kt(out_shape, dtype)

        def run(*a, **k):
            return self.__call__(*a, **k)
        saved_losses = list(self._losses)
        try:
            out = eval_spec(run, args, kwargs)
        finally:
            self._clear_losses()
            self._losses.extend(saved_losses)
        return out

    def compute_output_shape(self, *args, **kwargs):
        def to_kt(s):
            return KerasTensor(s, self.compute_dtype)
        kargs = [nest.map_structure_up_to(a, to_kt, a) if False else _shape_struct_to_kt(a, self.compute_dtype)
                 for a in args]
        spec = self.compute_output_spec(*kargs, **kwargs) if not _overrides(type(self), "compute_output_shape") \
            else None
        return nest.map_structure(lambda s: tuple(s.shape) if hasattr(s, "shape") else s, spec)

    def compute_mask(self, inputs, previous_mask):
        if not self.supports_masking:
            return None
        return previous_mask

    # -- losses ---------------------------------------------------------------------
    def add_loss(self, loss):
        for l in nest.flatten(loss):
            if not isinstance(l, Tensor):
                l = _core.t1(l)
            self._losses.append(l)

    def _clear_losses(self):
        self._losses.clear()
        for l in self._layers:
            l._clear_losses()

    def _own_losses(self):
        return list(self._losses)

    @property
    def losses(self):
        out = list(self._losses)
        for l in self._flatten_layers(include_self=False):
            out.extend(l._losses)
        for v in self.trainable_weights + self.non_trainable_weights:
            r = getattr(v, "_layer_regularizer", None)
            if r is not None:
                out.append(r(v))
        return out

    # -- config ---------------------------------------------------------------------
    def get_config(self):
        # Keras 3's Operation.get_config + Layer.get_config: a layer class without its own get_config
        # is described by its constructor arguments (defaults included); the base keys come after.
        config = {"name": self.name}
        cls = type(self)
        # tfjax's own layers without get_config are those whose Keras class writes only the base keys.
        if not _overrides(cls, "get_config") and (cls is Layer or not cls.__module__.startswith("tfjax")):
            auto = self._auto_config
            if auto is _AUTO_CONFIG_ARGS:
                raise NotImplementedError(
                    f"Object {cls.__name__} was created by passing positional only or variadic positional "
                    f"arguments (e.g., `*args`) to `__init__()`, which is not supported by the automatic config "
                    f"generation. Please remove all positional only and variadic arguments from `__init__()` or "
                    f"override `get_config()` and `from_config()` to make the object serializatble.")
            if auto is None:
                raise NotImplementedError(
                    f"Object {cls.__name__} was created by passing non-serializable argument values in "
                    f"`__init__()`, and therefore the object must override `get_config()` in order to be "
                    f"serializable. Please implement `get_config()`.")
            config.update(auto)
            params = inspect.signature(cls.__init__).parameters
            # Keras looks for a parameter literally called `kwargs`: `**kw` alone drops the name.
            takes_kwargs = "kwargs" in params and params["kwargs"].kind == inspect.Parameter.VAR_KEYWORD
            if "name" not in params and not takes_kwargs:
                config.pop("name", None)
        config["trainable"] = self.trainable
        config["dtype"] = dtype_policies.serialize(self.dtype_policy)
        if self.activity_regularizer is not None:
            config["activity_regularizer"] = _regularizers.serialize(self.activity_regularizer)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if "dtype" in config and isinstance(config["dtype"], dict):
            # By name, as Keras passes a plain policy: the layer's auto-config then stays serializable.
            config["dtype"] = dtype_policies.get(config["dtype"]).name
        try:
            return cls(**config)
        except Exception as e:
            raise TypeError(
                f"Error when deserializing class '{cls.__name__}' using config={config}.\n\n"
                f"Exception encountered: {e}") from e

    # -- stateless API --------------------------------------------------------------
    def stateless_call(self, trainable_variables, non_trainable_variables, *args, return_losses=False,
                       **kwargs):
        """Calls the layer as a pure function of its weights (for ``jax.jit``/``jax.grad``).

        Returns ``(outputs, non_trainable_variables)`` (and the losses with
        ``return_losses=True``), leaving the layer's own variables untouched.
        """
        tv, ntv = self.trainable_variables, self.non_trainable_variables
        if len(trainable_variables) != len(tv):
            raise ValueError(f"Argument `trainable_variables` must be a list of tensors corresponding 1:1 to "
                             f"{self.__class__.__name__}().trainable_variables. Received list with length "
                             f"{len(trainable_variables)}, but expected {len(tv)} variables.")
        if len(non_trainable_variables) != len(ntv):
            raise ValueError(f"Argument `non_trainable_variables` must be a list of tensors corresponding 1:1 "
                             f"to {self.__class__.__name__}().non_trainable_variables. Received list with "
                             f"length {len(non_trainable_variables)}, but expected {len(ntv)} variables.")
        allv = list(tv) + list(ntv)
        vals = [_raw(x) for x in list(trainable_variables) + list(non_trainable_variables)]
        extra = [v for v in self.variables if all(v is not w for w in allv)]
        scope = _vars.StateScope(allv + extra, vals + [v._value for v in extra])
        with _vars.enter_scope(scope):
            outputs = self(*args, **kwargs)
            new_ntv = [Tensor(scope.values[id(v)]) for v in ntv]
            losses = self.losses
        if return_losses:
            return outputs, new_ntv, losses
        return outputs, new_ntv

    # -- misc -----------------------------------------------------------------------
    @property
    def input(self):
        if not self._inbound_nodes:
            raise AttributeError(f"Layer {self.name} has no inbound nodes.")
        ins = self._inbound_nodes[0].arguments_args
        return ins[0] if len(ins) == 1 else list(ins)

    @property
    def output(self):
        if not self._inbound_nodes:
            raise AttributeError(f"Layer {self.name} has no inbound nodes.")
        outs = self._inbound_nodes[0].outputs
        return outs[0] if len(outs) == 1 else list(outs)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"

    def __str__(self):
        return self.__repr__()

    def _get_node_attribute_at_index(self, index, attr):
        return getattr(self._inbound_nodes[index], attr)

    def get_input_at(self, i):
        a = self._inbound_nodes[i].arguments_args
        return a[0] if len(a) == 1 else list(a)

    def get_output_at(self, i):
        o = self._inbound_nodes[i].outputs
        return o[0] if len(o) == 1 else list(o)

    def __deepcopy__(self, memo):
        cfg = self.get_config()
        new = type(self).from_config(cfg)
        memo[id(self)] = new
        return new


def _raw(x):
    if isinstance(x, Tensor):
        return x._value
    if isinstance(x, _vars.Variable):
        return x._read_raw()
    return x


def _shape_struct_to_kt(s, dtype):
    if isinstance(s, (list,)) and s and all(isinstance(e, (tuple, list)) or e is None for e in s) and \
            any(isinstance(e, (tuple, list)) for e in s):
        return [_shape_struct_to_kt(e, dtype) for e in s]
    if isinstance(s, dict):
        return {k: _shape_struct_to_kt(v, dtype) for k, v in s.items()}
    if isinstance(s, tuple) and s and all(isinstance(e, (tuple, list)) for e in s):
        return tuple(_shape_struct_to_kt(e, dtype) for e in s)
    if hasattr(s, "as_list"):
        s = s.as_list()
    return KerasTensor(tuple(s), dtype)


def _shape_to_kt(shape, dtype):
    if isinstance(shape, dict):
        return {k: _shape_to_kt(v, dtype) for k, v in shape.items()}
    if isinstance(shape, (list, tuple)) and shape and all(isinstance(e, (list, tuple)) for e in shape):
        return type(shape)(_shape_to_kt(e, dtype) for e in shape) if isinstance(shape, tuple) else \
            [_shape_to_kt(e, dtype) for e in shape]
    if hasattr(shape, "as_list"):
        shape = shape.as_list()
    return KerasTensor(tuple(shape), dtype)


_AUTO_CONFIG_ARGS = object()   # marks an auto-config refused for positional-only / *args parameters


def _auto_config(cls, args, kwargs):
    """Keras's auto-config (``Operation.__new__``): every constructor argument with defaults applied, minus
    ``self`` and ``name``, if all of them are plain Python values; else None (or ``_AUTO_CONFIG_ARGS``)."""
    try:
        sig = inspect.signature(cls.__init__)
        spec = inspect.getfullargspec(cls.__init__)
        bound = sig.bind(None, *args, **kwargs)
    except (TypeError, ValueError):
        return None
    if not spec.args:
        return None
    if any(p.kind == p.POSITIONAL_ONLY for n, p in sig.parameters.items() if n != spec.args[0]):
        return _AUTO_CONFIG_ARGS
    bound.apply_defaults()
    cfg = dict(bound.arguments)
    cfg.update(cfg.pop(spec.varkw, None) or {})
    cfg.pop(spec.args[0], None)
    cfg.pop("name", None)
    if spec.varargs is not None and cfg.pop(spec.varargs):
        return _AUTO_CONFIG_ARGS
    return cfg if _serializable(cfg) else None


def _serializable(v):
    if v is None or isinstance(v, (bool, int, float, str)):
        return True
    if isinstance(v, (list, tuple)):
        return all(_serializable(e) for e in v)
    if isinstance(v, dict):
        return all(isinstance(k, str) and _serializable(e) for k, e in v.items())
    return False


_OVERRIDE_CACHE = {}


def to_snake_case(name):
    import re  # noqa: PLC0415
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    name = re.sub("([a-z])([A-Z])", r"\1_\2", name)
    return name.lower()


def _overrides(cls, name):
    key = (cls, name)
    r = _OVERRIDE_CACHE.get(key)
    if r is None:
        r = getattr(cls, name) is not getattr(Layer, name, None)
        _OVERRIDE_CACHE[key] = r
    return r
