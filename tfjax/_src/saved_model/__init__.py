"""``tf.saved_model`` / ``model.export`` / ``tf.lite``: real TensorFlow artifacts via ``jax2tf``.

A SavedModel (and a TFLite flatbuffer) is a TensorFlow artifact, so writing one
needs TensorFlow (the ``tfjax[export]`` extra); tfjax itself never imports it
otherwise. The exported program is the tfjax computation lowered by
``jax.experimental.jax2tf`` (StableHLO inside an ``XlaCallModule`` op) over
``tf.Variable`` copies of the object's variables, so the SavedModel carries its
weights as ordinary variables and serves through a ``serving_default`` signature;
TensorFlow Serving, ``tf.saved_model.load`` and the TFLite converter consume it.
"""

from __future__ import annotations

import os

import numpy as np

from tfjax._src import variables as _vars
from tfjax._src.tensor import Tensor

EXTRA_HINT = ("pip install 'tfjax[export]'")


def require_tensorflow(what):
    """Imports real TensorFlow, or raises an ImportError naming the ``tfjax[export]`` extra."""
    try:
        import tensorflow as tf_real  # noqa: PLC0415
    except ImportError as e:
        raise ImportError(
            f"{what} writes/reads a TensorFlow artifact and needs TensorFlow, which tfjax does not otherwise "
            f"use. Install the export extra: {EXTRA_HINT}") from e
    return tf_real


# ---------------------------------------------------------------------------
# building the exported module
# ---------------------------------------------------------------------------

def _specs_of_keras_model(model):
    inputs = getattr(model, "inputs", None)
    if not inputs:
        shapes = getattr(model, "_build_shapes_dict", None)
        if shapes and len(shapes) == 1:
            shape = list(shapes.values())[0]
            return [(tuple(shape), "float32", "inputs")]
        raise ValueError(
            "The model has no defined inputs (it was never called or built with an input shape); call it on data "
            "or build it before exporting.")
    out = []
    for i, kt in enumerate(inputs):
        dtype = getattr(kt, "dtype", "float32")
        dtype = getattr(dtype, "name", dtype)
        name = getattr(kt, "name", None) or f"inputs_{i}"
        out.append((tuple(kt.shape), str(dtype), name))
    return out


def _poly_shapes(specs):
    polys = []
    for i, (shape, _, _) in enumerate(specs):
        dims = []
        for j, d in enumerate(shape):
            if d is None:
                dims.append("b" if j == 0 else f"d{i}_{j}")
            else:
                dims.append(str(int(d)))
        polys.append("(" + ", ".join(dims) + (",)" if len(dims) == 1 else ")") if dims else "()")
    return polys


def _to_raw(x):
    if isinstance(x, Tensor):
        return x._value
    if isinstance(x, _vars.Variable):
        return x._read_raw()
    return x


def _flatten_out(out):
    from tfjax._src import nest  # noqa: PLC0415
    leaves = nest.flatten(out)
    return out, [_to_raw(t) for t in leaves]


def _pure_fn(fn, variables):
    """``fn`` (over tfjax Tensors, reading ``variables``) as a pure JAX function of (values, *inputs)."""
    import jax  # noqa: PLC0415

    def pure(values, *inputs):
        scope = _vars.StateScope(variables, list(values))
        scope.allow_creation = False
        with _vars.enter_scope(scope):
            out = fn(*[Tensor(x) for x in inputs])
        return jax.tree_util.tree_map(_to_raw, out, is_leaf=lambda t: isinstance(t, (Tensor, _vars.Variable)))

    return pure


def build_tf_module(obj, signatures=None):
    """A ``tf.Module`` with ``tf.Variable`` copies of ``obj``'s variables and ``serving_default`` (and others)."""
    tf = require_tensorflow("tf.saved_model.save")
    from jax.experimental import jax2tf  # noqa: PLC0415

    variables = _vars.all_variables_of(obj)
    module = tf.Module()
    module.tfjax_variables = [
        tf.Variable(np.asarray(v.numpy()), trainable=v.trainable,
                    name=(v.name[:-2] if v.name.endswith(":0") else v.name).replace("/", "_"))
        for v in variables]

    def make(fn, specs):
        pure = _pure_fn(fn, variables)
        converted = jax2tf.convert(pure, polymorphic_shapes=[None] + _poly_shapes(specs), with_gradient=False)
        sig = [tf.TensorSpec([d for d in shape], tf.as_dtype(dt), name=name) for shape, dt, name in specs]

        @tf.function(input_signature=sig, autograph=False)
        def serve(*args):
            out = converted([v for v in module.tfjax_variables], *args)
            if isinstance(out, dict):
                return out
            if isinstance(out, (list, tuple)):
                return {f"output_{i}": o for i, o in enumerate(out)}
            return {"output_0": out}

        return serve

    funcs = {}
    if signatures is None:
        if _is_keras_model(obj):
            specs = _specs_of_keras_model(obj)
            funcs["serving_default"] = make(lambda *xs: obj(xs[0] if len(xs) == 1 else list(xs), training=False),
                                            specs)
        else:
            for name in dir(type(obj)):
                attr = getattr(obj, name, None)
                sig = getattr(attr, "input_signature", None)
                if sig is not None and hasattr(attr, "python_function"):
                    funcs["serving_default" if not funcs else name] = make(attr, _specs_of_signature(sig, attr))
    else:
        if not isinstance(signatures, dict):
            signatures = {"serving_default": signatures}
        for key, f in signatures.items():
            sig = getattr(f, "input_signature", None)
            if sig is None:
                raise ValueError(f"Signature function {key!r} must be a tf.function with an input_signature.")
            funcs[key] = make(f, _specs_of_signature(sig, f))
    for k, f in funcs.items():
        setattr(module, "_sig_" + k, f)
    if "serving_default" in funcs:
        module.serve = funcs["serving_default"]
    return module, funcs


def _specs_of_signature(sig, fn=None):
    import inspect  # noqa: PLC0415
    names = []
    try:
        target = getattr(fn, "python_function", fn)
        names = [p.name for p in inspect.signature(target).parameters.values()
                 if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.name != "self"]
    except (TypeError, ValueError):
        pass
    out = []
    for i, s in enumerate(sig):
        shape = tuple(s.shape.as_list()) if s.shape.rank is not None else None
        if shape is None:
            raise ValueError("Exported signatures need a known rank.")
        out.append((shape, s.dtype.name, s.name or (names[i] if i < len(names) else f"args_{i}")))
    return out


def _is_keras_model(obj):
    try:
        from tfjax._src.keras.layers.layer import Layer  # noqa: PLC0415
    except ImportError:
        return False
    return isinstance(obj, Layer)


# ---------------------------------------------------------------------------
# public API
# ---------------------------------------------------------------------------

class SaveOptions:
    """``tf.saved_model.SaveOptions`` (accepted; passed through where TF has the same option)."""

    def __init__(self, namespace_whitelist=None, save_debug_info=False, function_aliases=None,
                 experimental_io_device=None, experimental_variable_policy=None, experimental_custom_gradients=True,
                 experimental_image_format=False, experimental_skip_saver=False, experimental_sharding_callback=None,
                 extra_tags=None):
        self.namespace_whitelist = namespace_whitelist
        self.save_debug_info = save_debug_info
        self.function_aliases = function_aliases
        self.experimental_io_device = experimental_io_device


class LoadOptions:
    def __init__(self, allow_partial_checkpoint=False, experimental_io_device=None,
                 experimental_skip_checkpoint=False, experimental_variable_policy=None,
                 experimental_load_function_aliases=False):
        self.allow_partial_checkpoint = allow_partial_checkpoint
        self.experimental_io_device = experimental_io_device


def save(obj, export_dir, signatures=None, options=None):
    """``tf.saved_model.save``: writes a real SavedModel of a tfjax Keras model or ``tf.Module``."""
    tf = require_tensorflow("tf.saved_model.save")
    export_dir = os.fspath(export_dir)
    module, funcs = build_tf_module(obj, signatures)
    if not funcs:
        raise ValueError(
            "Nothing to export: pass `signatures=` (tf.functions with an input_signature), give the module "
            "tf.function methods with an input_signature, or export a built Keras model.")
    tf.saved_model.save(module, export_dir, signatures=dict(funcs))


def export_model(model, filepath, format="tf_saved_model", verbose=True, input_signature=None, **kwargs):
    """``model.export(filepath)``: a SavedModel with a ``serve`` endpoint and a ``serving_default`` signature."""
    if format not in ("tf_saved_model",):
        raise ValueError(f"Unrecognized format={format}. tfjax exports format='tf_saved_model' only.")
    signatures = None
    if input_signature is not None:
        from tfjax._src.function import function  # noqa: PLC0415
        sig = list(input_signature) if isinstance(input_signature, (list, tuple)) else [input_signature]
        signatures = {"serving_default": function(lambda *xs: model(xs[0] if len(xs) == 1 else list(xs),
                                                                    training=False), input_signature=sig)}
    save(model, filepath, signatures=signatures)
    if verbose:
        print(f"Saved artifact at '{filepath}'. The following endpoints are available:\n\n* Endpoint 'serve'")


class _Loaded:
    """What ``tf.saved_model.load`` returns in tfjax: TF's loaded object, taking/returning tfjax values."""

    def __init__(self, obj):
        object.__setattr__(self, "_obj", obj)

    @property
    def signatures(self):
        return {k: _wrap_callable(f) for k, f in self._obj.signatures.items()}

    def __getattr__(self, name):
        v = getattr(self._obj, name)
        if callable(v):
            return _wrap_callable(v)
        return v

    def __call__(self, *args, **kwargs):
        return _wrap_callable(self._obj)(*args, **kwargs)


def _wrap_callable(f):
    tf = require_tensorflow("tf.saved_model.load")

    def to_tf(x):
        if isinstance(x, (Tensor, _vars.Variable)):
            return tf.constant(np.asarray(x.numpy()))
        return x

    def from_tf(x):
        if isinstance(x, tf.Tensor):
            from tfjax._src.tensor import constant  # noqa: PLC0415
            return constant(x.numpy())
        return x

    def call(*args, **kwargs):
        out = f(*[tf.nest.map_structure(to_tf, a) for a in args],
                **{k: tf.nest.map_structure(to_tf, v) for k, v in kwargs.items()})
        return tf.nest.map_structure(from_tf, out)

    call.__wrapped__ = f
    return call


def load(export_dir, tags=None, options=None):
    """``tf.saved_model.load``: loads with TensorFlow; callables take and return tfjax Tensors."""
    tf = require_tensorflow("tf.saved_model.load")
    return _Loaded(tf.saved_model.load(os.fspath(export_dir), tags=tags))


def contains_saved_model(export_dir):
    export_dir = os.fspath(export_dir)
    return os.path.exists(os.path.join(export_dir, "saved_model.pb")) or \
        os.path.exists(os.path.join(export_dir, "saved_model.pbtxt"))


SERVING = "serve"
TRAINING = "train"
DEFAULT_SERVING_SIGNATURE_DEF_KEY = "serving_default"
