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
# the exported program (no TensorFlow needed)
# ---------------------------------------------------------------------------

SIDECAR = "tfjax"  # <export_dir>/tfjax/: the jax.export artifacts tfjax loads natively


def _specs_of_keras_model(model):
    inputs = getattr(model, "inputs", None)
    if not inputs:
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


def _to_raw(x):
    if isinstance(x, Tensor):
        return x._value
    if isinstance(x, _vars.Variable):
        return x._read_raw()
    return x


def _as_output_dict(out):
    from tfjax._src import nest  # noqa: PLC0415
    if isinstance(out, dict):
        return {str(k): _to_raw(v) for k, v in out.items()}
    leaves = nest.flatten(out)
    return {f"output_{i}": _to_raw(v) for i, v in enumerate(leaves)}


def _pure_fn(fn, variables):
    """``fn`` (over tfjax Tensors, reading ``variables``) as a pure JAX function of (values, *inputs)."""

    def pure(values, *inputs):
        scope = _vars.StateScope(variables, list(values))
        with _vars.enter_scope(scope):
            out = fn(*[Tensor(x) for x in inputs])
        return _as_output_dict(out)

    return pure


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
    if "tfjax._src.keras.layers.layer" not in __import__("sys").modules:
        return False
    from tfjax._src.keras.layers.layer import Layer  # noqa: PLC0415
    return isinstance(obj, Layer)


def _signature_functions(obj, signatures):
    """``{key: (callable over tfjax Tensors, [(shape, dtype, name)])}`` to export."""
    funcs = {}
    if signatures is None:
        if _is_keras_model(obj):
            specs = _specs_of_keras_model(obj)
            funcs["serving_default"] = (
                lambda *xs: obj(xs[0] if len(xs) == 1 else list(xs), training=False), specs)
        else:
            for name in sorted(dir(type(obj))):
                attr = getattr(obj, name, None)
                sig = getattr(attr, "input_signature", None)
                if sig is not None and hasattr(attr, "python_function"):
                    key = "serving_default" if name == "__call__" or not funcs else name
                    if key in funcs:
                        key = name
                    funcs[key] = (attr, _specs_of_signature(sig, attr))
    else:
        if not isinstance(signatures, dict):
            signatures = {"serving_default": signatures}
        for key, f in signatures.items():
            sig = getattr(f, "input_signature", None)
            if sig is None:
                raise ValueError(f"Signature function {key!r} must be a tf.function with an input_signature.")
            funcs[key] = (f, _specs_of_signature(sig, f))
    if not funcs:
        raise ValueError(
            "Nothing to export: pass `signatures=` (tf.functions with an input_signature), give the module "
            "tf.function methods with an input_signature, or export a built Keras model.")
    return funcs


def _export_artifacts(obj, signatures):
    """Everything a SavedModel needs, as plain data: variables and one ``jax.export`` program per signature."""
    import jax  # noqa: PLC0415
    from jax import export as jexport  # noqa: PLC0415

    variables = _vars.all_variables_of(obj)
    var_avals = [jax.ShapeDtypeStruct(tuple(v.shape.as_list()), v.dtype._np) for v in variables]
    sigs = {}
    for key, (fn, specs) in _signature_functions(obj, signatures).items():
        args = []
        for i, (shape, dtype, _) in enumerate(specs):
            dims = []
            for j, d in enumerate(shape):
                if d is None:
                    dims.append("b" if j == 0 else f"d{i}_{j}")
                else:
                    dims.append(str(int(d)))
            sym = jexport.symbolic_shape("(" + ", ".join(dims) + ")") if dims else ()
            args.append(jax.ShapeDtypeStruct(tuple(sym), np.dtype(dtype) if dtype != "bfloat16" else
                                             __import__("ml_dtypes").bfloat16))
        exported = jexport.export(jax.jit(_pure_fn(fn, variables)))(var_avals, *args)
        sigs[key] = {"exported": bytes(exported.serialize()),
                     "inputs": [{"name": n, "shape": list(s), "dtype": d} for s, d, n in specs]}
    var_meta = []
    for v in variables:
        name = v.name[:-2] if v.name.endswith(":0") else v.name
        var_meta.append({"name": name, "trainable": bool(v.trainable), "shape": list(v.shape.as_list()),
                         "dtype": v.dtype.name, "value": np.asarray(v.numpy())})
    return {"variables": var_meta, "signatures": sigs}


def _write_sidecar(export_dir, art):
    import json  # noqa: PLC0415
    from tfjax._src.utils import atomic_io  # noqa: PLC0415
    d = os.path.join(export_dir, SIDECAR)
    os.makedirs(d, exist_ok=True)
    blob = bytearray()
    meta = {"format": "tfjax-export-1", "variables": [], "signatures": {}}
    for v in art["variables"]:
        raw = np.ascontiguousarray(v["value"]).tobytes()
        meta["variables"].append({k: v[k] for k in ("name", "trainable", "shape", "dtype")} |
                                 {"offset": len(blob), "size": len(raw)})
        blob += raw
    for i, (key, sig) in enumerate(art["signatures"].items()):
        fname = f"signature_{i}.jaxexport"
        atomic_io.write_bytes(os.path.join(d, fname), sig["exported"])
        meta["signatures"][key] = {"file": fname, "inputs": sig["inputs"]}
    atomic_io.write_bytes(os.path.join(d, "variables.bin"), bytes(blob))
    atomic_io.write_bytes(os.path.join(d, "export.json"), json.dumps(meta, indent=1).encode())


def _read_sidecar(export_dir):
    import json  # noqa: PLC0415
    import ml_dtypes  # noqa: PLC0415
    d = os.path.join(export_dir, SIDECAR)
    path = os.path.join(d, "export.json")
    if not os.path.exists(path):
        return None
    try:
        with open(path, "rb") as f:
            meta = json.loads(f.read())
        with open(os.path.join(d, "variables.bin"), "rb") as f:
            blob = f.read()
        variables = []
        for v in meta["variables"]:
            dt = ml_dtypes.bfloat16 if v["dtype"] == "bfloat16" else np.dtype(v["dtype"])
            raw = blob[v["offset"]:v["offset"] + v["size"]]
            if len(raw) != v["size"]:
                raise ValueError(f"variables.bin is truncated (variable {v['name']})")
            variables.append(dict(v, value=np.frombuffer(raw, dtype=dt).reshape(v["shape"]).copy()))
        sigs = {}
        for key, s in meta["signatures"].items():
            with open(os.path.join(d, s["file"]), "rb") as f:
                sigs[key] = {"exported": f.read(), "inputs": s["inputs"]}
    except (OSError, ValueError, KeyError) as e:
        raise ValueError(f"The tfjax export data in {d} is missing, truncated or corrupted ({e}).") from None
    return {"variables": variables, "signatures": sigs}


# ---------------------------------------------------------------------------
# TensorFlow side: in this process when real TensorFlow is importable here,
# otherwise (e.g. under `python -m tfjax`, where `tensorflow` means tfjax) in a
# child interpreter.
# ---------------------------------------------------------------------------

def _tf_in_process():
    """Real TensorFlow if it can be imported in this process, else None."""
    from tfjax._src import install  # noqa: PLC0415
    if install.installed_finder() is not None:
        return None
    mod = __import__("sys").modules.get("tensorflow")
    if mod is not None and getattr(mod, "__name__", "").startswith("tfjax"):
        return None
    try:
        import tensorflow as tf_real  # noqa: PLC0415
    except ImportError:
        return None
    return tf_real


_CHILD_SCRIPT = r"""
import os, sys
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
try:
    import tensorflow
except ImportError as e:
    print("TFJAX_NO_TENSORFLOW", e, file=sys.stderr)
    sys.exit(3)
from tfjax._src.saved_model import _tf_side
_tf_side.main(sys.argv[1:])
"""


def run_tf_side(*args):
    """Runs ``_tf_side.main(args)`` with real TensorFlow (here, or in a child interpreter)."""
    tf_real = _tf_in_process()
    if tf_real is not None:
        from tfjax._src.saved_model import _tf_side  # noqa: PLC0415
        return _tf_side.main(list(args))
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415
    env = {k: v for k, v in os.environ.items() if k not in ("TFJAX_AS_TENSORFLOW", "TFJAX_NO_KERAS")}
    proc = subprocess.run([sys.executable, "-c", _CHILD_SCRIPT, *args], env=env, capture_output=True, text=True)
    if proc.returncode == 3 and "TFJAX_NO_TENSORFLOW" in proc.stderr:
        raise ImportError(f"Writing/reading TensorFlow artifacts needs TensorFlow, which tfjax does not otherwise "
                          f"use. Install the export extra: {EXTRA_HINT}")
    if proc.returncode != 0:
        raise RuntimeError("TensorFlow export step failed:\n" + proc.stderr[-4000:])
    return None


def build_tf_module(obj, signatures=None):
    """(For callers holding real TensorFlow in-process) the exported ``tf.Module`` and its signatures."""
    tf = require_tensorflow("tf.saved_model.save")
    from tfjax._src.saved_model import _tf_side  # noqa: PLC0415
    return _tf_side.module_from_artifacts(tf, _export_artifacts(obj, signatures))


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


def _ensure_tensorflow_available(what):
    if _tf_in_process() is not None:
        return
    from tfjax._src import install  # noqa: PLC0415
    if install.installed_finder() is None:
        require_tensorflow(what)  # raises the ImportError naming the extra


def save(obj, export_dir, signatures=None, options=None):
    """``tf.saved_model.save``: writes a real SavedModel of a tfjax Keras model or ``tf.Module``.

    The directory also gets a ``tfjax/`` folder with the same program as a
    ``jax.export`` artifact, which :func:`load` uses when TensorFlow is absent.
    """
    _ensure_tensorflow_available("tf.saved_model.save")
    export_dir = os.fspath(export_dir)
    art = _export_artifacts(obj, signatures)
    _write_sidecar(export_dir, art)
    run_tf_side("save", export_dir)


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
    """``tf.saved_model.load``: TensorFlow's loader (callables take/return tfjax Tensors) when TensorFlow is
    importable in this process; otherwise tfjax-exported SavedModels load natively from their ``jax.export``
    artifacts."""
    export_dir = os.fspath(export_dir)
    tf_real = _tf_in_process()
    if tf_real is not None:
        return _Loaded(tf_real.saved_model.load(export_dir, tags=tags))
    art = _read_sidecar(export_dir)
    if art is None:
        if not os.path.isdir(export_dir):
            from tfjax._src import errors  # noqa: PLC0415
            raise errors.NotFoundError(f"SavedModel directory {export_dir} does not exist.")
        raise ImportError(
            f"{export_dir} was not exported by tfjax, and loading a general SavedModel needs TensorFlow in this "
            f"process. Install the export extra ({EXTRA_HINT}) and run without the tensorflow alias.")
    return NativeLoaded(art)


class NativeLoaded:
    """A tfjax-exported SavedModel loaded without TensorFlow: ``signatures[key](**inputs)`` -> dict of Tensors."""

    def __init__(self, art):
        from jax import export as jexport  # noqa: PLC0415
        self.tfjax_variables = [_vars.Variable(v["value"], trainable=v["trainable"], name=v["name"])
                                for v in art["variables"]]
        self.variables = list(self.tfjax_variables)
        self.trainable_variables = [v for v in self.variables if v.trainable]
        self._sigs = {}
        for key, s in art["signatures"].items():
            self._sigs[key] = _NativeSignature(jexport.deserialize(bytearray(s["exported"])), s["inputs"],
                                               self.tfjax_variables)
        if "serving_default" in self._sigs:
            self.serve = self._sigs["serving_default"]

    @property
    def signatures(self):
        return dict(self._sigs)

    def __call__(self, *args, **kwargs):
        return self._sigs["serving_default"](*args, **kwargs)


class _NativeSignature:
    def __init__(self, exported, inputs, variables):
        self._exported = exported
        self._inputs = inputs
        self._variables = variables
        self.structured_input_signature = ((), {i["name"]: i for i in inputs})

    def __call__(self, *args, **kwargs):
        from tfjax._src.tensor import convert_to_tensor  # noqa: PLC0415
        names = [i["name"] for i in self._inputs]
        if len(args) > len(names):
            raise TypeError(f"Expected at most {len(names)} inputs ({names}), got {len(args)}.")
        vals = dict(zip(names, args))
        for k, v in kwargs.items():
            if k not in names:
                raise TypeError(f"Unexpected input {k!r}; the signature takes {names}.")
            vals[k] = v
        missing = [n for n in names if n not in vals]
        if missing:
            raise TypeError(f"Missing required inputs {missing}.")
        raw = [convert_to_tensor(vals[i["name"]], dtype=i["dtype"])._value for i in self._inputs]
        out = self._exported.call([v._read_raw() for v in self._variables], *raw)
        return {k: Tensor(v) for k, v in out.items()}


def contains_saved_model(export_dir):
    export_dir = os.fspath(export_dir)
    return os.path.exists(os.path.join(export_dir, "saved_model.pb")) or \
        os.path.exists(os.path.join(export_dir, "saved_model.pbtxt"))


SERVING = "serve"
TRAINING = "train"
DEFAULT_SERVING_SIGNATURE_DEF_KEY = "serving_default"
