"""``tf.function`` on ``jax.jit``.

A call is keyed with TF's retracing rules: tensors by (shape, dtype), Python
values by value, other objects by identity. Each key gets one ``jax.jit`` of a
pure function ``(captured variable values, tensor args) -> (outputs, new values
of written variables)``; the caller stores the new values back into the
variables. Which variables to capture is discovered (see docs/design.md):
variables reachable from the arguments, the bound instance and the function's
closure/globals are captured up front; one first met while tracing is read as a
constant for that call and captured from the next trace on.

Python side effects run once per trace, as in TF. A trace that tries to create
a variable is abandoned and that first call runs eagerly (TF also runs a
variable-creating function twice on its first call); creating variables on a
later call raises ``ValueError`` as TF does. Python control flow on a traced
value (``if loss > 0:``) makes that signature run eagerly, with one warning.
"""

from __future__ import annotations

import collections
import functools
import threading
import warnings

import jax
import numpy as np

from tfjax._src import nest
from tfjax._src.tensor import Tensor
from tfjax._src.tensor_shape import TensorShape
from tfjax._src import variables as _vars
from tfjax._src.variables import Variable

_CACHE_SIZE = 128


class _Config(threading.local):
    def __init__(self):
        self.run_eagerly = False


_config = _Config()


def run_functions_eagerly(run_eagerly: bool):
    """``tf.config.run_functions_eagerly``: debug tf.functions as plain Python."""
    _config.run_eagerly = bool(run_eagerly)


def functions_run_eagerly() -> bool:
    return _config.run_eagerly


_FALLBACK_ERRORS = (
    jax.errors.TracerBoolConversionError,
    jax.errors.ConcretizationTypeError,
    jax.errors.TracerIntegerConversionError,
    jax.errors.TracerArrayConversionError,
)

_EAGER = object()   # cache marker: this signature runs eagerly


class _Entry:
    """One traced-and-compiled signature of a Function."""

    __slots__ = ("jitted", "captured", "written", "out_spec", "reusable")

    def __init__(self):
        self.jitted = None
        self.captured = ()
        self.written = ()
        self.out_spec = None
        self.reusable = True


def _leaf_key(x, dynamic):
    """The retracing key of one argument leaf; appends tensor leaves to ``dynamic``."""
    t = type(x)
    if t is Tensor or isinstance(x, Tensor):
        v = x._value
        if isinstance(v, np.ndarray) and v.dtype == object:
            return ("S", v.tobytes() if False else tuple(v.reshape(-1).tolist()), v.shape)
        dynamic.append(v)
        return ("T", v.shape, v.dtype)
    if isinstance(x, Variable):
        return ("V", id(x))
    if isinstance(x, (np.ndarray, jax.Array)):
        if x.dtype == object:
            return ("S", tuple(np.asarray(x).reshape(-1).tolist()), x.shape)
        dynamic.append(x)
        return ("T", x.shape, x.dtype)
    if x is None or t in (int, float, bool, str, bytes, complex):
        return ("P", t, x)
    try:
        hash(x)
        return ("P", t, x)
    except TypeError:
        return ("O", id(x))


def _signature(args, kwargs, dynamic):
    flat = nest.flatten((args, kwargs))
    return tuple(_leaf_key(x, dynamic) for x in flat), flat


def _rebuild_args(args, kwargs, flat, dyn_vals):
    """Replaces the tensor leaves of (args, kwargs) with traced values."""
    it = iter(dyn_vals)
    new_flat = []
    for x in flat:
        if isinstance(x, Tensor):
            v = x._value
            new_flat.append(x if (isinstance(v, np.ndarray) and v.dtype == object) else Tensor(next(it)))
        elif isinstance(x, (np.ndarray, jax.Array)) and x.dtype != object:
            new_flat.append(Tensor(next(it)))
        else:
            new_flat.append(x)
    return nest.pack_sequence_as((args, kwargs), new_flat)


def _prescan(fn, instance, flat_args):
    """Variables a call will likely touch: in args, the bound instance, closure and globals."""
    roots = [x for x in flat_args if not isinstance(x, (Tensor, np.ndarray, jax.Array))]
    if instance is not None:
        roots.append(instance)
    code = getattr(fn, "__code__", None)
    if code is not None:
        for cell in fn.__closure__ or ():
            try:
                roots.append(cell.cell_contents)
            except ValueError:
                pass
        g = getattr(fn, "__globals__", {})
        roots.extend(g[n] for n in code.co_names if n in g)
    seen = set()
    out = []
    for r in roots:
        if isinstance(r, (type, type(np), functools.partial)) or callable(r) and not hasattr(r, "__dict__"):
            continue
        for v in _vars.all_variables_of(r, seen):
            out.append(v)
    out.extend(v for v in _vars.ALWAYS_CAPTURED if id(v) not in seen)
    return out


class Function:
    """A Python function compiled with XLA on every new input signature (``tf.function``)."""

    def __init__(self, python_function, input_signature=None, autograph=True, jit_compile=None,
                 reduce_retracing=False, experimental_implements=None,
                 experimental_autograph_options=None, experimental_attributes=None,
                 experimental_relax_shapes=None, experimental_compile=None,
                 experimental_follow_type_hints=None, name=None, _instance=None):
        self._python_function = python_function
        self._input_signature = input_signature
        self._jit_compile = jit_compile
        self._reduce_retracing = reduce_retracing
        self._instance = _instance
        self._cache = collections.OrderedDict()
        self._known_vars = {}          # id -> Variable discovered in earlier traces
        self._traced_once = False
        self._created_variables = False
        self._warned_eager = False
        self._tracing_count = 0
        self.__name__ = getattr(python_function, "__name__", name or "function")
        self.__doc__ = getattr(python_function, "__doc__", None)
        self.__wrapped__ = python_function

    # -- descriptor: tf.function on methods ---------------------------------
    def __get__(self, instance, owner):
        if instance is None:
            return self
        store = instance.__dict__.setdefault("_tfjax_bound_functions", {}) \
            if hasattr(instance, "__dict__") else {}
        bound = store.get(id(self))
        if bound is None:
            bound = Function(self._python_function, self._input_signature, jit_compile=self._jit_compile,
                             reduce_retracing=self._reduce_retracing, _instance=instance)
            store[id(self)] = bound
        return bound

    @property
    def python_function(self):
        return self._python_function

    @property
    def input_signature(self):
        return self._input_signature

    def experimental_get_tracing_count(self):
        return self._tracing_count

    # -- calling ----------------------------------------------------------------
    def __call__(self, *args, **kwargs):
        if self._instance is not None:
            args = (self._instance,) + args
        if _config.run_eagerly or _vars.current_scope() is not None:
            # Eager debugging, or a tf.function called while tracing another: inline it.
            return self._python_function(*args, **kwargs)
        if self._input_signature is not None:
            args = self._apply_signature(args, kwargs)
        dynamic = []
        key, flat = _signature(args, kwargs, dynamic)
        entry = self._cache.get(key)
        if entry is None:
            return self._trace_and_call(key, args, kwargs, flat, dynamic)
        self._cache.move_to_end(key)
        if entry is _EAGER:
            return self._python_function(*args, **kwargs)
        return self._call_entry(entry, dynamic)

    def _call_entry(self, entry, dynamic):
        cap = [v._value for v in entry.captured]
        out_arrays, new_vals = entry.jitted(cap, dynamic)
        for v, x in zip(entry.written, new_vals):
            v._value = x
        return _unflatten_outputs(entry.out_spec, out_arrays)

    def _apply_signature(self, args, kwargs):
        sig = self._input_signature
        flat_sig = nest.flatten(list(sig))
        offset = 1 if self._instance is not None else 0
        user_args = list(args[offset:])
        if kwargs or len(user_args) > len(sig):
            raise TypeError(
                f"{self.__name__}() takes {len(sig)} positional arguments as given by its "
                f"input_signature, got {len(user_args)} and keywords {sorted(kwargs)}.")
        flat_args = nest.flatten(user_args)
        if len(flat_args) != len(flat_sig):
            raise ValueError("Python inputs incompatible with input_signature: structure differs.")
        from tfjax._src.tensor import convert_to_tensor  # noqa: PLC0415
        converted = []
        for a, s in zip(flat_args, flat_sig):
            t = convert_to_tensor(a, dtype=s.dtype) if not isinstance(a, Tensor) else a
            if t.dtype != s.dtype or not TensorShape(s.shape).is_compatible_with(t.shape):
                raise TypeError(
                    f"Binding inputs to tf.function failed due to `Can not cast {t!r} to {s!r}`. "
                    "Received args: does not match input_signature.")
            converted.append(t)
        return tuple(args[:offset]) + tuple(nest.pack_sequence_as(user_args, converted))

    def _trace_and_call(self, key, args, kwargs, flat, dynamic):
        captured = list(self._known_vars.values())
        seen = {id(v) for v in captured}
        for v in _prescan(self._python_function, self._instance, flat):
            if id(v) not in seen:
                seen.add(id(v))
                captured.append(v)
        entry = _Entry()
        entry.captured = tuple(captured)
        fn = self._python_function
        scope_box = {}

        def pure(cap_vals, dyn_vals):
            scope = _vars.StateScope(entry.captured, cap_vals)
            scope_box["scope"] = scope
            with _vars.enter_scope(scope):
                a, kw = _rebuild_args(args, kwargs, flat, dyn_vals)
                out = fn(*a, **kw)
            spec, arrays = _flatten_outputs(out, scope)
            entry.out_spec = spec
            written = tuple(scope.written.values())
            entry.written = written
            return arrays, [scope.values[id(v)] for v in written]

        entry.jitted = jax.jit(pure)
        self._tracing_count += 1
        try:
            result_arrays, new_vals = entry.jitted([v._value for v in entry.captured], dynamic)
        except _vars.VariableCreatedInTrace:
            if self._traced_once or self._created_variables:
                raise ValueError(
                    "tf.function only supports singleton tf.Variables created on the first call. "
                    "Make sure the tf.Variable is only created once or created outside tf.function.") from None
            self._created_variables = True
            # Run this first call eagerly; its variables now exist for the next trace.
            return fn(*args, **kwargs)
        except _FALLBACK_ERRORS as e:
            self._cache[key] = _EAGER
            if not self._warned_eager:
                self._warned_eager = True
                warnings.warn(
                    f"tf.function '{self.__name__}' uses Python control flow on a traced tensor "
                    f"({type(e).__name__}); tfjax runs this signature eagerly. Use tf.cond / "
                    "tf.while_loop to compile it.", stacklevel=3)
            return fn(*args, **kwargs)
        self._traced_once = True
        scope = scope_box["scope"]
        for v, x in zip(entry.written, new_vals):
            v._value = x
        if scope.discovered:
            # Constants were baked in for variables met mid-trace: valid for this call only.
            for v in scope.discovered:
                self._known_vars[id(v)] = v
        else:
            self._cache[key] = entry
            if len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
        return _unflatten_outputs(entry.out_spec, result_arrays)

    def get_concrete_function(self, *args, **kwargs):
        """Traces for these arguments (or TensorSpecs) and returns a callable for them."""
        return ConcreteFunction(self, args, kwargs)


class ConcreteFunction:
    """A Function specialised to one input signature."""

    def __init__(self, function, args, kwargs):
        self._function = function
        self._args = args
        self._kwargs = kwargs
        self.structured_input_signature = (args, kwargs)

    def __call__(self, *args, **kwargs):
        return self._function(*args, **kwargs)


def _flatten_outputs(out, scope):
    flat = nest.flatten(out)
    spec, arrays = [], []
    for x in flat:
        if isinstance(x, Variable):
            x = Tensor(scope.read(x))
        if isinstance(x, Tensor):
            spec.append(("T", len(arrays)))
            arrays.append(x._value)
        elif isinstance(x, (jax.Array, jax.core.Tracer)):
            spec.append(("T", len(arrays)))
            arrays.append(x)
        else:
            spec.append(("P", x))
    return (out, spec), arrays


def _unflatten_outputs(out_spec, arrays):
    template, spec = out_spec
    leaves = [Tensor(arrays[s[1]]) if s[0] == "T" else s[1] for s in spec]
    return nest.pack_sequence_as(template, leaves)


def function(func=None, input_signature=None, autograph=True, jit_compile=None,
             reduce_retracing=False, experimental_implements=None,
             experimental_autograph_options=None, experimental_attributes=None,
             experimental_relax_shapes=None, experimental_compile=None,
             experimental_follow_type_hints=None):
    """``tf.function``: usable as ``@tf.function``, ``@tf.function(...)`` or ``tf.function(f)``."""
    def decorate(f):
        fn = Function(f, input_signature=input_signature, autograph=autograph, jit_compile=jit_compile,
                      reduce_retracing=reduce_retracing or bool(experimental_relax_shapes))
        functools.update_wrapper(fn, f, updated=())
        return fn
    if func is None:
        return decorate
    return decorate(func)
