"""``tf.function`` on ``jax.jit``.

A call is keyed with TF's retracing rules (arguments bound to the signature with
defaults filled in): tensors by (shape, dtype), Python values by value, Variables
passed as arguments by (shape, dtype, trainable) plus their aliasing, other objects by
identity. Each key gets one ``jax.jit`` of a pure function ``(variable values, tensor
args) -> (outputs, new values of written variables)``; the caller stores the new values
back into the variables. Which variables to pass is discovered (see docs/design.md):
variables reachable from the arguments, the bound instance and the function's
closure/globals are passed from the start; one first met while tracing is read as a
constant for that call and passed from the next trace on.

Python side effects run once per trace, as in TF. A trace that tries to create a
variable is abandoned, that first call runs eagerly, and the function is traced again
(TF's double trace) to check that later calls create none; creating variables on a
later call raises ``ValueError`` as TF does. Python ``if``/``while``/``for i in
tf.range(n)`` on tensors are converted by AutoGraph-lite (:mod:`.autograph_lite`);
other Python uses of a traced value make that signature run eagerly, with one warning.

Called while a GradientTape records, a compiled call is one op on the tape (its
variable reads recorded as reads), so gradients flow through tf.functions. The hot
path (an already compiled signature called with positional Tensors) is kept short:
see ``Function.__call__``.
"""

from __future__ import annotations

import collections
import functools
import warnings

import jax

from tfjax._src.errors import SymbolicValueError
import numpy as np

from tfjax._src import nest
from tfjax._src.donation import DonatingStep
from tfjax._src import tape as _tape
from tfjax._src.ragged.ragged_tensor import RaggedTensor
from tfjax._src.tensor import Tensor
from tfjax._src.tensor_shape import TensorShape
from tfjax._src import variables as _vars
from tfjax._src.variables import Variable

_scope_state = _vars._scope_state
_tape_state = _tape.state
_CACHE_SIZE = 128          # compiled signatures kept per Function (LRU)
_Tracer = jax.core.Tracer


class _Config:
    # Process-wide, as TF's (a flag set in the main thread holds in data workers too).
    run_eagerly = False


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


def _needs_eager(e: BaseException) -> bool:
    """True if a trace failed because Python needed the value of a traced tensor."""
    from tfjax._src.autograph_lite import Fallback  # noqa: PLC0415
    seen = 0
    while e is not None and seen < 8:
        if isinstance(e, _FALLBACK_ERRORS + (Fallback,)):
            return True
        if isinstance(e, SymbolicValueError):
            # An op needed a traced value (data-dependent shape, Python callback).
            # (Tensor.numpy()/np.array(t) keep raising NotImplementedError, as in TF.)
            return True
        e = e.__cause__ or e.__context__
        seen += 1
    return False


def _symbolic_cause(e: BaseException):
    """The SymbolicValueError in ``e``'s cause chain, if an op raised one."""
    for _ in range(8):
        if e is None or isinstance(e, SymbolicValueError):
            return e
        e = e.__cause__ or e.__context__
    return None


_EAGER = object()   # cache marker: this signature runs eagerly


class _Entry:
    """One traced-and-compiled signature of a Function."""

    __slots__ = ("jitted", "captured", "written", "written_pos", "n_uvars", "out_spec", "out_kind",
                 "keepalive", "op", "donating", "__weakref__")

    def __init__(self):
        self.jitted = None
        self.captured = ()
        self.written = ()
        self.written_pos = ()     # per written variable: its argument-variable index, or -1
        self.n_uvars = 0          # variables passed as arguments (positional state inputs)
        self.out_spec = None
        self.out_kind = 2         # 0: returns None, 1: exactly one tensor, 2: anything else
        self.keepalive = ()       # objects keyed by id(): kept alive so ids are not reused
        self.op = None
        self.donating = None      # a donation.DonatingStep when the Function donates its state


class _FunctionCallOp:
    """A compiled signature as one tape op: (captured values..., args...) -> (outputs..., new state...).

    Used when a GradientTape records a tf.function call, so gradients flow through it.
    Hashable by identity (one per entry): the tape's replay cache keys on it.
    """

    __slots__ = ("entry", "n_cap", "__weakref__")

    def __init__(self, entry):
        self.entry = entry
        self.n_cap = len(entry.captured) + entry.n_uvars

    def __call__(self, *vals):
        n = self.n_cap
        out, new = self.entry.jitted(list(vals[:n]), list(vals[n:]))
        return tuple(out) + tuple(new)


# -- the retracing key ---------------------------------------------------------------
_PY_SCALARS = (int, float, bool, str, bytes, complex, type(None))


def _key(x, dyn, dyn_t, keep, avars):
    """Key of one argument (TF's retracing rules); appends tensor leaves to ``dyn``/``dyn_t``.

    Tensors key by (shape, dtype) and are passed in; Variables by (shape, dtype, trainable)
    and collected in ``avars``; Python scalars and hashable objects by value; other objects by
    identity (kept alive by the entry so the id cannot be reused).
    """
    t = type(x)
    if t is Tensor:
        v = x._value
        if type(v) is np.ndarray and v.dtype == object:
            return ("S", tuple(v.reshape(-1).tolist()), v.shape)
        dyn.append(v)
        dyn_t.append(x)
        return (v.shape, v.dtype)
    if t in _PY_SCALARS:
        return (t, x)
    if t is list or t is tuple:
        return (t,) + tuple(_key(e, dyn, dyn_t, keep, avars) for e in x)
    if t is dict:
        try:
            keys = sorted(x)
        except TypeError:
            keys = list(x)
        return (dict, tuple(keys)) + tuple(_key(x[k], dyn, dyn_t, keep, avars) for k in keys)
    if isinstance(x, Tensor):
        v = x._value
        if isinstance(v, np.ndarray) and v.dtype == object:
            return ("S", tuple(v.reshape(-1).tolist()), v.shape)
        dyn.append(v)
        dyn_t.append(x)
        return (v.shape, v.dtype)
    if isinstance(x, Variable):
        # As in TF, variables passed as arguments key by their type, not identity: their
        # state enters the compiled function as an input (see Function._call_slow).
        avars.append(x)
        return ("V", tuple(x.shape.as_list()), x.dtype.name, x.trainable)
    if isinstance(x, (np.ndarray, jax.Array)) and not isinstance(x, _Tracer):
        if x.dtype == object or x.dtype.kind in "SU":
            return ("S", tuple(np.asarray(x).reshape(-1).tolist()), x.shape)
        arr = x if isinstance(x, jax.Array) else jax.device_put(x)  # far cheaper than jnp.asarray
        dyn.append(arr)
        dyn_t.append(Tensor(arr))
        return (arr.shape, arr.dtype)
    if isinstance(x, np.generic):
        return (t, x.item())
    if nest.is_nested(x):
        if isinstance(x, collections.abc.Mapping):
            keys = nest._sorted_keys(x)
            return (t, tuple(keys)) + tuple(_key(x[k], dyn, dyn_t, keep, avars) for k in keys)
        return (t,) + tuple(_key(e, dyn, dyn_t, keep, avars) for e in nest._children(x))
    try:
        hash(x)
        if t.__hash__ is object.__hash__:
            keep.append(x)     # hashed by identity
        return ("P", t, x)
    except TypeError:
        keep.append(x)
        return ("O", id(x))


def _fast_key(x, dyn):
    """``_key`` for the common call shapes only -- a device Tensor / jax.Array, or a flat tuple of
    them and None (Keras's ``(x, y, sample_weight)`` batches) -- else None (take the slow path).
    Must build exactly the key ``_key`` builds for the same argument."""
    t = type(x)
    if t is Tensor:
        v = x._value
        if type(v) is np.ndarray:
            return None
        dyn.append(v)
        return (v.shape, v.dtype)
    if t is tuple:
        key = [tuple]
        for e in x:
            te = type(e)
            if te is Tensor:
                v = e._value
                if type(v) is np.ndarray:
                    return None
            elif e is None:
                key.append((te, None))
                continue
            elif isinstance(e, jax.Array) and not isinstance(e, _Tracer):
                v = e
            else:
                return None
            dyn.append(v)
            key.append((v.shape, v.dtype))
        return tuple(key)
    return None


def _is_tensor_key(k):
    return (type(k) is tuple and len(k) == 2 and (k[0] is None or type(k[0]) is tuple)
            and isinstance(k[1], np.dtype))


def _key_compatible(general, key):
    """True if ``key`` (a concrete call key) matches ``general`` (None dims match any size,
    a None shape any rank)."""
    if _is_tensor_key(general) and _is_tensor_key(key):
        if general[1] != key[1]:
            return False
        if general[0] is None:
            return True
        return (len(general[0]) == len(key[0])
                and all(g is None or g == d for g, d in zip(general[0], key[0])))
    if type(general) is tuple and type(key) is tuple and len(general) == len(key) and not (
            _is_tensor_key(general) or _is_tensor_key(key)):
        return all(_key_compatible(g, k) for g, k in zip(general, key))
    return general == key


def _generalize(general, key):
    """The most specific key matching both (shapes relaxed to None where sizes differ), or None."""
    if _is_tensor_key(general) and _is_tensor_key(key):
        if general[1] != key[1]:
            return None
        if general[0] is None or len(general[0]) != len(key[0]):
            return (None, key[1])         # TF relaxes to an unknown rank
        return (tuple(g if g == d else None for g, d in zip(general[0], key[0])), key[1])
    if type(general) is tuple and type(key) is tuple and len(general) == len(key) and not (
            _is_tensor_key(general) or _is_tensor_key(key)):
        out = []
        for g, k in zip(general, key):
            m = _generalize(g, k)
            if m is None:
                return None
            out.append(m)
        return tuple(out)
    return general if general == key else None


def _rebuild(x, it):
    """``x`` with its tensor leaves replaced, in ``_key`` order, by Tensors over ``it``."""
    t = type(x)
    if t is Tensor:
        v = x._value
        return x if (type(v) is np.ndarray and v.dtype == object) else Tensor(next(it))
    if t in _PY_SCALARS:
        return x
    if t is list:
        return [_rebuild(e, it) for e in x]
    if t is tuple:
        return tuple(_rebuild(e, it) for e in x)
    if t is dict:
        try:
            keys = sorted(x)
        except TypeError:
            keys = list(x)
        vals = {k: _rebuild(x[k], it) for k in keys}
        return {k: vals[k] for k in x}
    if isinstance(x, Tensor):
        v = x._value
        return x if (isinstance(v, np.ndarray) and v.dtype == object) else Tensor(next(it))
    if isinstance(x, Variable):
        return x
    if isinstance(x, (np.ndarray, jax.Array)) and not isinstance(x, _Tracer):
        if x.dtype == object or x.dtype.kind in "SU":
            return x
        return Tensor(next(it))
    if nest.is_nested(x):
        children = nest._children(x)
        return nest._rebuild(x, [_rebuild(c, it) for c in children])
    return x


def _prescan(fn, instance, roots_in):
    """Variables a call will likely touch: in args, the bound instance, closure and globals."""
    roots = list(roots_in)
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


class _PausedTapes:
    """Tapes of the caller never see the ops of a trace (the call is recorded as one op)."""

    __slots__ = ("_saved",)

    def __enter__(self):
        self._saved = _tape.state.tapes
        _tape.state.tapes = []
        _tape._refresh()

    def __exit__(self, *exc):
        _tape.state.tapes = self._saved
        _tape._refresh()
        return False


# tf.summary.trace_on(graph=True) sets a callable here: (function, entry, state values, dynamic
# arguments) for every compiled call while collecting (summary/trace.py turns them into graphs).
graph_collector = [None]


class Function:
    """A Python function compiled with XLA on every new input signature (``tf.function``)."""

    def __init__(self, python_function, input_signature=None, autograph=True, jit_compile=None,
                 reduce_retracing=False, experimental_implements=None,
                 experimental_autograph_options=None, experimental_attributes=None,
                 experimental_relax_shapes=None, experimental_compile=None,
                 experimental_follow_type_hints=None, name=None, _instance=None):
        self._python_function = python_function
        self._input_signature = input_signature
        self._autograph = autograph
        self._jit_compile = jit_compile
        self._reduce_retracing = reduce_retracing
        self._instance = _instance
        self._cache = collections.OrderedDict()
        self._known_vars = {}          # id -> Variable discovered in earlier traces
        self._traced_once = False
        self._created_variables = False
        self._warned_eager = False
        self._tracing_count = 0
        self._converted = None         # AutoGraph-lite conversion (None: not tried yet)
        self._tf_sigs = []             # TF-level traced signatures (for the tracing count)
        self._global_ids = None        # ids of variables reached via closure/globals/self
        # Donate the buffers of the variables each call writes (Keras's compiled steps; see
        # donation.py). Off for user tf.functions.
        self._donate_state = False
        n = self._n_positional()
        # Positional user arguments of a plain call (the fast path's precondition).
        self._n_user_pos = n - 1 if n > 0 and _instance is not None else n
        self.__name__ = getattr(python_function, "__name__", name or "function")
        self.__doc__ = getattr(python_function, "__doc__", None)
        self.__wrapped__ = python_function

    # -- descriptor: tf.function on methods ---------------------------------
    def __get__(self, instance, owner):
        if instance is None:
            return self
        try:
            store = instance.__dict__.setdefault("_tfjax_bound_functions", {})
        except AttributeError:
            store = {}
        bound = store.get(id(self))
        if bound is None:
            bound = Function(self._python_function, self._input_signature, autograph=self._autograph,
                             jit_compile=self._jit_compile, reduce_retracing=self._reduce_retracing,
                             _instance=instance)
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

    def _traced_function(self):
        """The function traced by jax.jit: AutoGraph-lite converted when possible."""
        if self._converted is None:
            self._converted = self._python_function
            if self._autograph:
                from tfjax._src import autograph_lite  # noqa: PLC0415
                self._converted = autograph_lite.convert(self._python_function)
        return self._converted

    # -- calling ----------------------------------------------------------------
    def __call__(self, *args, **kwargs):
        # Fast path: an already compiled signature called with positional plain Tensors,
        # no tape recording (the training-step case). Everything else: _call_slow.
        if not kwargs and len(args) == self._n_user_pos and not _config.run_eagerly \
                and _scope_state.scope is None and not _tape_state.recording and graph_collector[0] is None:
            dyn = []
            key = [tuple]
            for a in args:
                k = _fast_key(a, dyn)
                if k is None:
                    break
                key.append(k)
            else:
                key = tuple(key)
                entry = self._cache.get(key)
                if entry is not None and entry is not _EAGER:
                    self._cache.move_to_end(key)
                    if entry.donating is not None:
                        out_arrays = entry.donating(dyn)
                    else:
                        out_arrays, new_vals = entry.jitted([v._value for v in entry.captured], dyn)
                        for v, x in zip(entry.written, new_vals):
                            v._value = x
                    kind = entry.out_kind
                    if kind == 1:
                        return Tensor(out_arrays[0])
                    if kind == 0:
                        return None
                    return _unflatten_outputs(entry.out_spec, out_arrays)
        return self._call_slow(args, kwargs)

    def _call_slow(self, args, kwargs):
        if self._instance is not None:
            args = (self._instance,) + args
        if _config.run_eagerly or _scope_state.scope is not None:
            # Eager debugging, or a tf.function called while tracing another: inline it.
            if _scope_state.scope is not None and not _config.run_eagerly:
                return self._traced_function()(*args, **kwargs)
            return self._python_function(*args, **kwargs)
        if self._input_signature is not None:
            args = self._apply_signature(args, kwargs)
        elif kwargs or len(args) != self._n_positional():
            args, kwargs = self._canonicalize(args, kwargs)
        dyn, dyn_t, keep, avars = [], [], [], []
        # The bound instance is fixed per bound Function: it is not part of the key.
        user_args = args[1:] if self._instance is not None else args
        if kwargs:
            key = (_key(user_args, dyn, dyn_t, keep, avars), _key(kwargs, dyn, dyn_t, keep, avars))
        else:
            key = _key(user_args, dyn, dyn_t, keep, avars)
        uvars = ()
        if avars:
            key, uvars = self._argument_variables(key, avars, keep)
        if graph_collector[0] is not None:   # tf.summary.trace_on(graph=True): note what ran
            out = self._call_keyed(key, args, kwargs, dyn, dyn_t, keep, uvars)
            entry = self._cache.get(key)
            if entry is not None and entry is not _EAGER:
                graph_collector[0](self, entry, [v._value for v in entry.captured] + [v._value for v in uvars], dyn)
            return out
        return self._call_keyed(key, args, kwargs, dyn, dyn_t, keep, uvars)

    def _call_keyed(self, key, args, kwargs, dyn, dyn_t, keep, uvars):
        entry = self._cache.get(key)
        if entry is None:
            return self._trace_and_call(key, args, kwargs, dyn, dyn_t, keep, uvars)
        self._cache.move_to_end(key)
        if entry is _EAGER:
            return self._python_function(*args, **kwargs)
        if _tape_state.recording:
            return self._call_recorded(entry, dyn_t, uvars)
        if entry.donating is not None:
            out_arrays = entry.donating(dyn)
        else:
            out_arrays, new_vals = entry.jitted([v._value for v in entry.captured] + [v._value for v in uvars], dyn)
            _write_back(entry, uvars, new_vals)
        if entry.out_kind == 1:
            return Tensor(out_arrays[0])
        return _unflatten_outputs(entry.out_spec, out_arrays)

    def _argument_variables(self, key, avars, keep):
        """Keys Variable arguments like TF: by type, plus how they alias each other.

        Returns ``(key, unique variables)``; the unique variables' values are passed to the
        compiled function positionally and written back to the objects of each call. A
        variable argument that the function also reaches through its closure/globals/self
        is keyed by identity instead (both routes must then see one state)."""
        if self._global_ids is None:
            self._global_ids = {id(v) for v in _prescan(self._python_function, self._instance, [])}
        ids = [id(v) for v in avars]
        if any(i in self._global_ids or i in self._known_vars for i in ids):
            keep.extend(avars)
            return (key, ("ids",) + tuple(ids)), ()
        first = {}
        uvars = []
        alias = []
        for v, i in zip(avars, ids):
            if i not in first:
                first[i] = len(uvars)
                uvars.append(v)
            alias.append(first[i])
        return (key, tuple(alias)), tuple(uvars)

    def _n_positional(self):
        n = self.__dict__.get("_npos")
        if n is None:
            import inspect  # noqa: PLC0415
            try:
                self._sig = inspect.signature(self._python_function)
            except (TypeError, ValueError):
                self._sig = None
                n = -1
            else:
                params = list(self._sig.parameters.values())
                simple = all(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in params)
                n = len(params) if simple else -1
            self._npos = n
        return n

    def _canonicalize(self, args, kwargs):
        """Binds the call to the signature with defaults filled in (TF keys calls this way:
        ``f(x)`` and ``f(x, scale=2.0)`` share a trace when 2.0 is the default)."""
        self._n_positional()
        if self._sig is None:
            return args, kwargs
        try:
            bound = self._sig.bind(*args, **kwargs)
        except TypeError as e:
            raise TypeError(f"{self.__name__}(): {e}") from None
        bound.apply_defaults()
        return bound.args, bound.kwargs

    def _call_recorded(self, entry, dyn_t, uvars=()):
        """The call as one op on the recording tapes (variable reads recorded as reads)."""
        if entry.op is None:
            entry.op = _FunctionCallOp(entry)
        cap_t = [v.value() for v in entry.captured] + [v.value() for v in uvars]
        res = _tape.apply_composite(entry.op, *cap_t, *dyn_t)
        if type(res) is not tuple:
            res = (res,)
        n_new = len(entry.written)
        outs = res[:len(res) - n_new]
        _write_back(entry, uvars, [x._value for x in res[len(res) - n_new:]])
        if entry.out_kind == 1:
            return outs[0]
        return _unflatten_outputs(entry.out_spec, [o._value for o in outs], list(outs))

    def _apply_signature(self, args, kwargs):
        sig = self._input_signature
        offset = 1 if self._instance is not None else 0
        user_args = list(args[offset:])
        if kwargs or len(user_args) != len(sig):
            if kwargs or len(user_args) > len(sig):
                raise TypeError(
                    f"{self.__name__}() takes {len(sig)} positional arguments as given by its "
                    f"input_signature, got {len(user_args)} and keywords {sorted(kwargs)}.")
            raise TypeError(f"{self.__name__}() missing required arguments: the input_signature "
                            f"has {len(sig)}, got {len(user_args)}.")
        from tfjax._src.tensor import convert_to_tensor  # noqa: PLC0415

        def bind(s, a):
            if nest.is_nested(s):
                if not nest.is_nested(a) or len(nest._children(a)) != len(nest._children(s)):
                    raise TypeError(
                        f"Binding inputs to tf.function failed: {a!r} does not match the structure "
                        f"of input_signature {s!r}.")
                return nest._rebuild(s, [bind(ss, aa) for ss, aa in zip(nest._children(s), nest._children(a))])
            try:
                t = a if isinstance(a, Tensor) else convert_to_tensor(a, dtype=s.dtype)
            except (TypeError, ValueError):
                t = None
            if t is None or t.dtype != s.dtype or not TensorShape(s.shape).is_compatible_with(t.shape):
                got = f"TensorSpec(shape={t.shape}, dtype={t.dtype!r})" if t is not None else repr(a)
                raise TypeError(
                    f"Binding inputs to tf.function failed due to `Can not cast {got} to {s!r}`. "
                    "Received args do not match the input_signature.")
            return t

        converted = [bind(s, a) for s, a in zip(sig, user_args)]
        return tuple(args[:offset]) + tuple(converted)

    def _make_entry(self, args, kwargs, keep, uvars=()):
        uvar_index = {id(v): k for k, v in enumerate(uvars)}
        captured = [v for v in self._known_vars.values() if id(v) not in uvar_index]
        seen = {id(v) for v in captured} | set(uvar_index)
        roots = [x for x in nest.flatten((args, kwargs))
                 if not isinstance(x, (Tensor, np.ndarray, jax.Array)) and id(x) not in uvar_index]
        for v in _prescan(self._python_function, self._instance, roots):
            if id(v) not in seen:
                seen.add(id(v))
                captured.append(v)
        entry = _Entry()
        entry.captured = tuple(captured)
        entry.n_uvars = len(uvars)
        entry.keepalive = tuple(keep)
        fn = self._traced_function()
        box = {}
        state_vars = entry.captured + tuple(uvars)

        def pure(cap_vals, dyn_vals):
            scope = _vars.StateScope(state_vars, cap_vals)
            box["scope"] = scope
            with _PausedTapes(), _vars.enter_scope(scope):
                a, kw = _rebuild((args, kwargs), iter(dyn_vals))
                out = fn(*a, **kw)
                spec, arrays = _flatten_outputs(out, scope)
            entry.out_spec = spec
            if out is None:
                entry.out_kind = 0
            elif len(spec[1]) == 1 and spec[1][0][0] == "T" and isinstance(spec[0], Tensor):
                entry.out_kind = 1
            else:
                entry.out_kind = 2
            written = tuple(scope.written.values())
            entry.written = written
            entry.written_pos = tuple(uvar_index.get(id(v), -1) for v in written)
            return arrays, [scope.values[id(v)] for v in written]

        entry.jitted = jax.jit(pure)
        return entry, box

    def _count_trace(self, key):
        """``experimental_get_tracing_count`` counts TF's traces: one per input_signature, and
        with ``reduce_retracing`` one per generalised shape (XLA still compiles per shape)."""
        if self._input_signature is not None:
            if not self._tf_sigs:
                self._tf_sigs.append(None)
                self._tracing_count += 1
            return
        if not self._reduce_retracing:
            self._tracing_count += 1
            return
        for sig in self._tf_sigs:
            if _key_compatible(sig, key):
                return
        for i, sig in enumerate(self._tf_sigs):
            g = _generalize(sig, key)
            if g is not None:
                self._tf_sigs[i] = g
                self._tracing_count += 1
                return
        self._tf_sigs.append(key)
        self._tracing_count += 1

    def _trace_and_call(self, key, args, kwargs, dyn, dyn_t, keep, uvars=()):
        self._count_trace(key)
        entry, box = self._make_entry(args, kwargs, keep, uvars)
        recording = _tape.state.recording
        try:
            if recording:
                result = self._call_recorded(entry, dyn_t, uvars)
            elif self._donate_state and not uvars:
                out_arrays, new_vals = self._first_donating_call(entry, box, dyn)
            else:
                out_arrays, new_vals = entry.jitted(
                    [v._value for v in entry.captured] + [v._value for v in uvars], dyn)
        except _vars.VariableCreatedInTrace:
            if self._traced_once or self._created_variables:
                raise self._creation_error() from None
            self._created_variables = True
            # Run this first call eagerly: its variables now exist. Then trace again, as TF
            # does, to check that later calls create none (and to cache that trace).
            result = self._python_function(*args, **kwargs)
            entry, box = self._make_entry(args, kwargs, keep, uvars)
            self._tracing_count += 1
            try:
                entry.jitted.trace([v._value for v in entry.captured] + [v._value for v in uvars], dyn)
            except _vars.VariableCreatedInTrace:
                raise self._creation_error() from None
            except Exception as e:  # noqa: BLE001
                if not _needs_eager(e):
                    raise
                self._mark_eager(key, e)
                return result
            self._finish_trace(key, entry, box["scope"])
            return result
        except Exception as e:
            if not _needs_eager(e):
                raise
            self._mark_eager(key, e)
            return self._python_function(*args, **kwargs)
        self._traced_once = True
        scope = box["scope"]
        if recording:
            if scope.discovered and any(v.trainable for v in scope.discovered):
                # Variables met mid-trace were constants in that trace; the tape needs them as
                # inputs: trace again with them captured (valid for this and later calls).
                self._finish_trace(key, entry, scope)
                return self(*(args[1:] if self._instance is not None else args), **kwargs)
            self._finish_trace(key, entry, scope)
            return result
        if new_vals is not None:
            _write_back(entry, uvars, new_vals)
        self._finish_trace(key, entry, scope)
        if entry.out_kind == 1:
            return Tensor(out_arrays[0])
        return _unflatten_outputs(entry.out_spec, out_arrays)

    def _first_donating_call(self, entry, box, dyn):
        """First call of a signature of a state-donating Function: trace, then compile the
        donating program only (see donation.py). Returns ``(outputs, new values)``, the new
        values None when the step wrote them back itself."""
        cap_vals = [v._value for v in entry.captured]
        traced = entry.jitted.trace(cap_vals, dyn)
        if box["scope"].discovered or not entry.written:
            # Constants baked in for variables met mid-trace (this call only), or no state.
            return entry.jitted(cap_vals, dyn)
        entry.donating = DonatingStep(traced, entry.captured, entry.written)
        return entry.donating(dyn), None

    def _finish_trace(self, key, entry, scope):
        if scope.discovered:
            # Constants were baked in for variables met mid-trace: valid for this call only.
            for v in scope.discovered:
                self._known_vars[id(v)] = v
                if self._global_ids is not None:
                    self._global_ids.add(id(v))
            return
        self._cache[key] = entry
        while len(self._cache) > _CACHE_SIZE:
            self._cache.popitem(last=False)

    def _mark_eager(self, key, e):
        self._cache[key] = _EAGER
        while len(self._cache) > _CACHE_SIZE:
            self._cache.popitem(last=False)
        if not self._warned_eager:
            self._warned_eager = True
            symbolic = _symbolic_cause(e)
            if symbolic is not None:   # an op that needs concrete values said why
                reason = f"{symbolic}; tfjax runs this input signature eagerly."
            else:
                reason = (f"uses Python control flow or Python conversion on a traced tensor "
                          f"({type(e).__name__}); tfjax runs this input signature eagerly. Use "
                          "tf.cond / tf.while_loop (or `for i in tf.range(n)` loops and `if`s whose "
                          "branches only assign local variables) to compile it.")
            warnings.warn(f"tf.function '{self.__name__}': {reason}", stacklevel=4)

    def _creation_error(self):
        return ValueError(
            "tf.function only supports singleton tf.Variables created on the first call. "
            "Make sure the tf.Variable is only created once or created outside tf.function.")

    def get_concrete_function(self, *args, **kwargs):
        """A callable for one input signature: given TensorSpecs (or tensors), or the
        ``input_signature``. tfjax compiles per concrete shape when it is called; the
        TensorSpecs describe (and check) what it accepts."""
        from tfjax._src.tensor_spec import TensorSpec  # noqa: PLC0415
        if not args and not kwargs and self._input_signature is not None:
            specs = tuple(self._input_signature)
        else:
            def to_spec(x):
                if isinstance(x, TensorSpec):
                    return x
                if isinstance(x, (Tensor, Variable, np.ndarray, jax.Array)):
                    return TensorSpec.from_tensor(x)
                return x
            specs = nest.map_structure(to_spec, tuple(args))
            kwargs = nest.map_structure(to_spec, dict(kwargs))
        return ConcreteFunction(self, specs, kwargs)


class ConcreteFunction:
    """A Function specialised to one input signature (``tf.types.experimental.ConcreteFunction``)."""

    def __init__(self, function, specs, kwargs):
        from tfjax._src.tensor_spec import TensorSpec  # noqa: PLC0415
        self._function = function
        self._specs = specs
        self._kwargs = kwargs
        self.structured_input_signature = (specs, kwargs)
        self.inputs = [s for s in nest.flatten((specs, kwargs)) if isinstance(s, TensorSpec)]
        self.name = function.__name__

    @property
    def function(self):
        return self._function

    def __call__(self, *args, **kwargs):
        from tfjax._src.tensor_spec import TensorSpec  # noqa: PLC0415
        flat_specs = nest.flatten(self._specs)
        flat_args = nest.flatten(args[:len(self._specs)]) if len(args) >= len(self._specs) else None
        if flat_args is not None and len(flat_args) == len(flat_specs):
            for a, s in zip(flat_args, flat_specs):
                if isinstance(s, TensorSpec) and hasattr(a, "shape") and hasattr(a, "dtype"):
                    if not s.shape.is_compatible_with(TensorShape(tuple(a.shape))):
                        raise TypeError(f"ConcreteFunction {self.name} was traced for {s!r}; got an argument "
                                        f"of shape {tuple(a.shape)}.")
        return self._function(*args, **kwargs)


def _write_back(entry, uvars, new_vals):
    for v, k, x in zip(entry.written, entry.written_pos, new_vals):
        (v if k < 0 else uvars[k])._value = x


def _to_output_tensor(x):
    from tfjax._src.tensor import convert_to_tensor  # noqa: PLC0415
    with jax.ensure_compile_time_eval():
        return convert_to_tensor(x)


def _flatten_outputs(out, scope):
    """Splits the output into a template spec and the arrays jit returns.

    As in TF, Python numbers/strings/numpy values returned become Tensors (constants);
    ``None`` and other Python objects are returned as they are.
    """
    flat = nest.flatten(out)
    spec, arrays = [], []
    for x in flat:
        if isinstance(x, Variable):
            x = Tensor(scope.read(x))
        elif x is not None and (type(x) in _PY_SCALARS or isinstance(x, (np.ndarray, np.generic))):
            x = _to_output_tensor(x)
            if x._value.dtype == object:
                spec.append(("C", x))
                continue
        if isinstance(x, RaggedTensor):
            # A composite: its flat values and row splits leave the compiled function as arrays.
            (_, sub), sub_arrays = _flatten_outputs(x._components(), scope)
            spec.append(("R", (x._uniform_levels(), [(k, i + len(arrays)) if k == "T" else (k, i) for k, i in sub])))
            arrays.extend(sub_arrays)
            continue
        if isinstance(x, Tensor):
            if x._value.dtype == object:
                spec.append(("C", x))
                continue
            spec.append(("T", len(arrays)))
            arrays.append(x._value)
        elif isinstance(x, (jax.Array, _Tracer)):
            spec.append(("T", len(arrays)))
            arrays.append(x)
        else:
            spec.append(("P", x))
    return (out, spec), arrays


def _unflatten_outputs(out_spec, arrays, tensors=None):
    template, spec = out_spec
    leaves = []
    for kind, s in spec:
        if kind == "R":
            uniform, sub = s
            leaves.append(RaggedTensor._from_components(
                nest.flatten(_unflatten_outputs((list(range(len(sub))), sub), arrays, tensors)), uniform))
        elif kind == "T":
            leaves.append(tensors[s] if tensors is not None else Tensor(arrays[s]))
        elif kind == "C":
            leaves.append(Tensor(s._value))
        else:
            leaves.append(s)
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
