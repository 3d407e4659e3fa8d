"""The Keras 3 native formats: ``.keras`` archives and ``.weights.h5`` files.

A ``.keras`` file is a zip archive (members stored uncompressed, as Keras writes
them) holding ``metadata.json`` (Keras version, date), ``config.json`` (the
model's :func:`serialize_keras_object` config incl. ``build_config`` and
``compile_config``) and ``model.weights.h5``. The weights file has Keras 3's
layout: the state of every saveable object (layers, the optimizer) sits in a
``<path>/vars`` group whose datasets are named ``"0"``, ``"1"``, ... in the
object's variable order, with ``<path>`` built exactly like Keras builds it
(``layers/dense_1``, ``optimizer``, ``d1/...`` for attributes of subclassed
models, class-name-based names inside lists). Both directions are compatible
with real Keras 3.

Every save is atomic (temp file + fsync + rename). Loading validates the archive
(member names, sizes) and reads weights into the model with rollback: if any
variable fails to load the model keeps its previous values and a ``ValueError``
naming the file is raised -- never a partially loaded model.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import re
import warnings
import zipfile

import ml_dtypes
import numpy as np

from tfjax._src.keras.saving import serialization_lib
from tfjax._src.keras.saving.serialization_lib import ObjectSharingScope, deserialize_keras_object, \
    serialize_keras_object
from tfjax._src.utils import atomic_io

KERAS_VERSION = "3.15.1"  # the Keras version whose formats tfjax writes
CONFIG_FILENAME = "config.json"
METADATA_FILENAME = "metadata.json"
VARS_FNAME_H5 = "model.weights.h5"
ASSETS_DIRNAME = "assets"
_MAX_MEMBER_BYTES = 1 << 34        # refuse absurd member sizes
_MAX_EXPANSION = 100               # zip-bomb ratio guard (Keras's)
_BOMB_FLOOR = 1 << 28


# ---------------------------------------------------------------------------
# what is saveable, and how Keras walks it
# ---------------------------------------------------------------------------

_CLASSES = {}


def _classes():
    if _CLASSES:
        return _CLASSES
    out = _CLASSES
    try:
        from tfjax._src.keras.layers.layer import Layer  # noqa: PLC0415
        out["Layer"] = Layer
    except ImportError:
        pass
    try:
        from tfjax._src.keras.optimizers.base import Optimizer  # noqa: PLC0415
        out["Optimizer"] = Optimizer
    except ImportError:
        pass
    for name, mod in (("Metric", "tfjax._src.keras.metrics.metric"), ("Loss", "tfjax._src.keras.losses.losses")):
        m = serialization_lib._import_quiet(mod)
        if m is not None and isinstance(getattr(m, name, None), type):
            out[name] = getattr(m, name)
    return out


def _obj_type(obj):
    cls = _classes()
    layer = cls.get("Layer")
    if layer is not None and isinstance(obj, layer):
        names = [c.__name__ for c in type(obj).__mro__]
        if "Sequential" in names:
            return "Sequential"
        if "Functional" in names:
            return "Functional"
        return "Layer"
    for name in ("Optimizer", "Metric", "Loss"):
        c = cls.get(name)
        if c is not None and isinstance(obj, c):
            return name
    t = getattr(obj, "_obj_type", None)
    if callable(t):
        return t()
    return None


def is_saveable(obj) -> bool:
    return _obj_type(obj) is not None


_SKIPSETS = {}


def _skipset(obj_type):
    s = _SKIPSETS.get(obj_type)
    if s is not None:
        return s
    cls = _classes()
    s = {"_self_unconditional_dependency_names"}
    ref = None
    try:
        if obj_type in ("Layer", "Functional", "Sequential") and "Layer" in cls:
            ref = cls["Layer"]()
        elif obj_type == "Optimizer" and "Optimizer" in cls:
            ref = cls["Optimizer"](1.0)
        elif obj_type in cls:
            ref = cls[obj_type]()
    except Exception:  # noqa: BLE001 - a base class that cannot be instantiated: skip nothing extra
        ref = None
    if ref is not None:
        s.update(dir(ref))
    if obj_type == "Functional":
        s.update(["operations", "_operations"])
    elif obj_type == "Sequential":
        s.add("_functional")
    elif obj_type == "Optimizer":
        s.discard("variables")
    _SKIPSETS[obj_type] = s
    return s


def _name_key(name):
    return "~" + name if name.startswith("_") else name


def _walk_saveable(obj):
    obj_type = _obj_type(obj)
    skip = _skipset(obj_type)
    if obj_type in ("Sequential", "Functional"):
        yield "layers", obj.layers
    for attr in sorted(dir(obj), key=_name_key):
        if attr.startswith("__") or attr in skip:
            continue
        try:
            child = getattr(obj, attr)
        except Exception:  # noqa: BLE001 - as Keras: properties that fail are skipped
            continue
        yield attr, child


def _snake(name):
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    name = re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()
    return name


def _join(a, b):
    return f"{a}/{b}" if a else b


def _unique(name, used):
    if name in used:
        used[name] += 1
        return f"{name}_{used[name]}"
    used[name] = 0
    return name


# -- own variables ---------------------------------------------------------------

def _layer_own_variables(layer):
    return list(layer._trainable_variables) + list(layer._non_trainable_variables)


def _has_custom(obj, method):
    """True when ``obj``'s class (not tfjax's base class) defines ``method``."""
    fn = getattr(type(obj), method, None)
    if fn is None:
        return False
    for base in _classes().values():
        if isinstance(obj, base) and getattr(base, method, None) is fn:
            return False
    return True


def save_own_variables(obj, store):
    t = _obj_type(obj)
    if t == "Optimizer":
        for i, v in enumerate(obj.variables):
            store[str(i)] = v
    elif t in ("Layer", "Sequential", "Functional"):
        if _has_custom(obj, "save_own_variables"):
            obj.save_own_variables(store)
        else:
            for i, v in enumerate(_layer_own_variables(obj)):
                store[str(i)] = v


def load_own_variables(obj, store):
    t = _obj_type(obj)
    if t == "Optimizer":
        variables = list(obj.variables)
        if len(store.keys()) != len(variables):
            msg = (f"Skipping variable loading for optimizer '{obj.name}', because it has {len(variables)} "
                   f"variables whereas the saved optimizer has {len(store.keys())} variables. ")
            if len(variables) == 0:
                msg += "This is likely because the optimizer has not been called/built yet."
            warnings.warn(msg, stacklevel=2)
            return
        for i, v in enumerate(variables):
            _assign(v, store[str(i)], obj.name)
    elif t in ("Layer", "Sequential", "Functional"):
        if _has_custom(obj, "load_own_variables"):
            obj.load_own_variables(store)
            return
        own = _layer_own_variables(obj)
        if len(store.keys()) != len(own):
            if not own and not getattr(obj, "built", True):
                raise ValueError(
                    f"Layer '{obj.name}' was never built and thus it doesn't have any variables. However the "
                    f"weights file lists {len(store.keys())} variables for this layer.")
            raise ValueError(
                f"Layer '{obj.name}' expected {len(own)} variables, but received {len(store.keys())} variables "
                f"during loading. Expected: {[v.name for v in own]}")
        for i, v in enumerate(own):
            _assign(v, store[str(i)], obj.name)


def _assign(var, value, owner):
    value = np.asarray(value)
    shape = tuple(var.shape.as_list())
    if tuple(value.shape) != shape:
        raise ValueError(
            f"The shape of the target variable and the shape of the target value in `variable.assign(value)` "
            f"must match. variable.shape={shape}, Received: value.shape={tuple(value.shape)}. "
            f"Target variable: {var.name} (of {owner})")
    want = var.dtype._np
    if value.dtype != want:
        value = value.astype(want)
    var.assign(value)


# ---------------------------------------------------------------------------
# H5 store (Keras 3's H5IOStore layout)
# ---------------------------------------------------------------------------

class H5Entry:
    """One ``<path>/vars`` group: ``store["0"] = var`` / ``store["0"]`` / ``keys()``."""

    def __init__(self, h5file, path, mode, metadata=None):
        self.h5 = h5file
        self.path = path
        self.mode = mode
        self.group = None
        self.metadata = metadata
        if mode == "r":
            vars_path = _join(path, "vars")
            if vars_path in h5file:
                g = h5file[vars_path]
                import h5py  # noqa: PLC0415
                if not isinstance(g, h5py.Group):
                    raise ValueError(f"Expected an HDF5 group at '{vars_path}', found a dataset.")
                self.group = g
        elif metadata:
            self._create()

    def _create(self):
        self.group = self.h5.create_group(_join(self.path, "vars")) if self.path else self.h5.create_group("vars")
        for k, v in (self.metadata or {}).items():
            self.group.attrs[k] = v

    def keys(self):
        return list(self.group.keys()) if self.group is not None else []

    def __len__(self):
        return len(self.keys())

    def __contains__(self, key):
        return self.group is not None and key in self.group

    def __setitem__(self, key, value):
        if self.group is None:
            self._create()
        if hasattr(value, "numpy"):
            value = value.numpy()
        value = np.asarray(value)
        if value.dtype == ml_dtypes.bfloat16:
            ds = self.group.create_dataset(key, data=value)
            ds.attrs["dtype"] = "bfloat16"
        else:
            self.group[key] = value

    def __getitem__(self, key):
        import h5py  # noqa: PLC0415
        if self.group is None or key not in self.group:
            raise ValueError(f"Missing variable '{key}' in the weights file at '{_join(self.path, 'vars')}'.")
        ds = self.group[key]
        if not isinstance(ds, h5py.Dataset):
            raise ValueError(f"Expected a dataset at '{_join(self.path, 'vars')}/{key}'.")
        value = ds[()]
        if "dtype" in ds.attrs and ds.attrs["dtype"] == "bfloat16":
            value = np.asarray(value)
            value = value.view(ml_dtypes.bfloat16) if value.dtype.itemsize == 2 else value.astype(ml_dtypes.bfloat16)
        return np.asarray(value)


class H5IOStore:
    def __init__(self, h5file, mode):
        self.h5 = h5file
        self.mode = mode

    def make(self, path, metadata=None):
        return H5Entry(self.h5, path, "w", metadata)

    def get(self, path):
        return H5Entry(self.h5, path, "r")

    def has_path(self, path):
        return path in self.h5


# ---------------------------------------------------------------------------
# walking
# ---------------------------------------------------------------------------

def _save_state(obj, store, path, visited):
    if id(obj) in visited:
        return
    if _obj_type(obj) in ("Layer", "Sequential", "Functional", "Optimizer"):
        name = getattr(obj, "name", None)
        save_own_variables(obj, store.make(path, metadata={"name": name} if isinstance(name, str) else None))
    visited.add(id(obj))
    for attr, child in _walk_saveable(obj):
        if is_saveable(child):
            _save_state(child, store, _join(path, attr), visited)
        elif isinstance(child, (list, dict, tuple)):
            _save_container(child, store, _join(path, attr), visited)


def _save_container(container, store, path, visited, seen_containers=None):
    seen_containers = set() if seen_containers is None else seen_containers
    if id(container) in seen_containers:
        return
    seen_containers.add(id(container))
    used = {}
    items = list(container.values()) if isinstance(container, dict) else list(container)
    for item in items:
        if is_saveable(item):
            _save_state(item, store, _join(path, _unique(_snake(type(item).__name__), used)), visited)
        elif isinstance(item, (list, dict, tuple)):
            _save_container(item, store, _join(path, _unique("container", used)), visited, seen_containers)


def _load_state(obj, store, path, visited, errors):
    if id(obj) in visited:
        return
    if _obj_type(obj) in ("Layer", "Sequential", "Functional", "Optimizer"):
        try:
            load_own_variables(obj, store.get(path))
        except Exception as e:  # noqa: BLE001 - collected and re-raised below (Keras's behaviour)
            errors.append((obj, e))
    visited.add(id(obj))
    for attr, child in _walk_saveable(obj):
        if is_saveable(child):
            _load_state(child, store, _join(path, attr), visited, errors)
        elif isinstance(child, (list, dict, tuple)):
            _load_container(child, store, _join(path, attr), visited, errors)


def _load_container(container, store, path, visited, errors, seen_containers=None):
    seen_containers = set() if seen_containers is None else seen_containers
    if id(container) in seen_containers:
        return
    seen_containers.add(id(container))
    used = {}
    items = list(container.values()) if isinstance(container, dict) else list(container)
    for item in items:
        if is_saveable(item):
            _load_state(item, store, _join(path, _unique(_snake(type(item).__name__), used)), visited, errors)
        elif isinstance(item, (list, dict, tuple)):
            sub = _join(path, _unique("container", used))
            if not store.has_path(sub):
                # Containers of metadata, or mirroring already-loaded saveables: nothing to load.
                sub_errors = []
                _load_container(item, store, sub, visited, sub_errors, seen_containers)
                continue
            _load_container(item, store, sub, visited, errors, seen_containers)


# ---------------------------------------------------------------------------
# all-or-nothing loading
# ---------------------------------------------------------------------------

def _all_state_variables(model):
    out, seen = [], set()

    def add(vs):
        for v in vs:
            if id(v) not in seen:
                seen.add(id(v))
                out.append(v)

    add(getattr(model, "variables", []) or [])
    try:
        add(getattr(model, "weights", []) or [])
    except Exception:  # noqa: BLE001
        pass
    opt = getattr(model, "optimizer", None)
    if opt is not None and hasattr(opt, "variables"):
        try:
            add(opt.variables)
        except Exception:  # noqa: BLE001
            pass
    return out


class _Rollback:
    """Snapshots variable values (immutable arrays: free) and restores them on failure."""

    def __init__(self, model):
        self.snap = [(v, v._value) for v in _all_state_variables(model)]

    def restore(self):
        for v, val in self.snap:
            v._value = val


def _raise_loading_failure(errors, filepath, warn_only=False):
    obj, err = errors[0]
    msg = (f"A total of {len(errors)} objects could not be loaded from {filepath}. Example error message for "
           f"object {obj}:\n\n{err}\n\nList of objects that could not be loaded:\n{[e[0] for e in errors]}")
    if warn_only:
        warnings.warn(msg, stacklevel=3)
        return
    raise ValueError(msg)


def _open_h5(path_or_file, mode, filepath_for_errors):
    import h5py  # noqa: PLC0415
    try:
        return h5py.File(path_or_file, mode)
    except OSError as e:
        raise ValueError(
            f"Unable to open the HDF5 file {filepath_for_errors}: it is truncated, corrupted or not an HDF5 file "
            f"({e}).") from None


def load_weights_from_store(model, h5file, filepath, skip_mismatch=False, objects_to_skip=None):
    store = H5IOStore(h5file, "r")
    rollback = _Rollback(model)
    errors = []
    visited = set(id(o) for o in (objects_to_skip or ()))
    try:
        _load_state(model, store, "", visited, errors)
    except (OSError, KeyError, RuntimeError) as e:
        rollback.restore()
        raise ValueError(f"Unable to read weights from {filepath}: the file is truncated or corrupted ({e}).") \
            from None
    except BaseException:
        rollback.restore()
        raise
    if errors:
        if not skip_mismatch:
            rollback.restore()
        _raise_loading_failure(errors, filepath, warn_only=skip_mismatch)


# ---------------------------------------------------------------------------
# .weights.h5
# ---------------------------------------------------------------------------

def save_weights_only(model, filepath, objects_to_skip=None):
    if not getattr(model, "built", True):
        raise ValueError(
            "You are saving a model that has not yet been built. Try building the model first by calling it on "
            "some data or by using `build()`.")
    filepath = os.fspath(filepath)
    with atomic_io.atomic_path(filepath) as tmp:
        f = _open_h5(tmp, "w", filepath)
        try:
            _save_state(model, H5IOStore(f, "w"), "", set(id(o) for o in (objects_to_skip or ())))
        finally:
            f.close()


def load_weights_only(model, filepath, skip_mismatch=False, objects_to_skip=None):
    if not getattr(model, "built", True):
        raise ValueError(
            "You are loading weights into a model that has not yet been built. Try building the model first by "
            "calling it on some data or by using `build()`.")
    filepath = os.fspath(filepath)
    if filepath.endswith(".keras"):
        with _open_archive(filepath) as zf:
            data = _safe_read(zf, VARS_FNAME_H5, filepath)
        f = _open_h5(io.BytesIO(data), "r", filepath)
    else:
        if not os.path.exists(filepath):
            raise FileNotFoundError(f"No such file or directory: '{filepath}'")
        f = _open_h5(filepath, "r", filepath)
    try:
        load_weights_from_store(model, f, filepath, skip_mismatch, objects_to_skip)
    finally:
        f.close()


# ---------------------------------------------------------------------------
# .keras
# ---------------------------------------------------------------------------

def _serialize_model_as_json(model):
    with ObjectSharingScope():
        config = serialize_keras_object(model)
    config_json = json.dumps(config, default=_json_default)
    metadata_json = json.dumps({"keras_version": KERAS_VERSION,
                                "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S")})
    return config_json, metadata_json


def _json_default(obj):
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (np.floating,)):
        return float(obj)
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, (set, frozenset)):
        return list(obj)
    if hasattr(obj, "as_list"):
        return obj.as_list()
    if hasattr(obj, "name") and type(obj).__name__ == "DType":
        return obj.name
    raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable: {obj!r}")


def _weights_h5_bytes(model):
    bio = io.BytesIO()
    import h5py  # noqa: PLC0415
    with h5py.File(bio, "w") as f:
        _save_state(model, H5IOStore(f, "w"), "", set())
    return bio.getvalue()


def save_model(model, filepath):
    """Writes ``model`` as a ``.keras`` archive, atomically."""
    if not getattr(model, "built", True):
        warnings.warn("You are saving a model that has not yet been built. It might not contain any weights yet. "
                      "Consider building the model first by calling it on some data.", stacklevel=3)
    filepath = os.fspath(filepath)
    if not filepath.endswith(".keras"):
        raise ValueError(f"Invalid `filepath` argument: expected a `.keras` extension. Received: filepath={filepath}")
    config_json, metadata_json = _serialize_model_as_json(model)
    weights = _weights_h5_bytes(model)
    assets = _collect_assets(model)
    with atomic_io.atomic_write(filepath, "wb") as f:
        with zipfile.ZipFile(f, "w", compression=zipfile.ZIP_STORED) as zf:
            zf.writestr(METADATA_FILENAME, metadata_json)
            zf.writestr(CONFIG_FILENAME, config_json)
            zf.writestr(VARS_FNAME_H5, weights)
            for name, data in assets:
                zf.writestr(name, data)


def _collect_assets(model):
    """``(archive name, bytes)`` of the files layers write with ``save_assets(dir)`` (e.g. vocabularies)."""
    import tempfile  # noqa: PLC0415
    out = []
    visited = set()
    with tempfile.TemporaryDirectory() as tmp:
        def visit(obj, path):
            if id(obj) in visited:
                return
            visited.add(id(obj))
            if hasattr(obj, "save_assets"):
                d = os.path.join(tmp, ASSETS_DIRNAME, path)
                os.makedirs(d, exist_ok=True)
                obj.save_assets(d)
                for root, _, files in os.walk(d):
                    for fn in files:
                        full = os.path.join(root, fn)
                        rel = os.path.relpath(full, tmp).replace(os.sep, "/")
                        with open(full, "rb") as fh:
                            out.append((rel, fh.read()))
            for attr, child in _walk_saveable(obj):
                if is_saveable(child):
                    visit(child, _join(path, attr))
                elif isinstance(child, (list, tuple, dict)):
                    used = {}
                    for item in (child.values() if isinstance(child, dict) else child):
                        if is_saveable(item):
                            visit(item, _join(_join(path, attr), _unique(_snake(type(item).__name__), used)))

        visit(model, "")
    return out


def validate_member_name(name, archive):
    """Rejects archive member names that could write outside a target directory."""
    if (not name or name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or "\\" in name
            or any(part == ".." for part in name.split("/")) or "\x00" in name):
        raise ValueError(f"Unsafe member path {name!r} in archive {archive}; refusing to load it.")


def _open_archive(filepath):
    if not os.path.exists(filepath):
        raise ValueError(f"File not found: filepath={filepath}. Please ensure the file is an accessible `.keras` "
                         "zip file.")
    try:
        zf = zipfile.ZipFile(filepath, "r")
    except zipfile.BadZipFile as e:
        raise ValueError(f"Unable to open the .keras file {filepath}: not a valid zip archive, it is truncated or "
                         f"corrupted ({e}).") from None
    try:
        for info in zf.infolist():
            validate_member_name(info.filename, filepath)
            if info.file_size > _MAX_MEMBER_BYTES or (
                    info.file_size > _BOMB_FLOOR and info.file_size > _MAX_EXPANSION * max(info.compress_size, 1)):
                raise ValueError(f"Not allowed: archive member '{info.filename}' of {filepath} declares "
                                 f"{info.file_size} bytes for {info.compress_size} stored; refusing to load a "
                                 "potential decompression bomb.")
    except Exception:
        zf.close()
        raise
    return zf


def _safe_read(zf, name, filepath):
    try:
        return zf.read(name)
    except KeyError:
        raise ValueError(f"The .keras file {filepath} is missing '{name}' (truncated or not a Keras archive).") \
            from None
    except (zipfile.BadZipFile, OSError, EOFError, zipfile.LargeZipFile) as e:
        raise ValueError(f"The .keras file {filepath} is corrupted: cannot read '{name}' ({e}).") from None


def _model_from_config(config_json, custom_objects, compile, safe_mode, filepath):
    try:
        config = json.loads(config_json)
    except (ValueError, UnicodeDecodeError) as e:
        raise ValueError(f"The model config in {filepath} is not valid JSON ({e}).") from None
    if not isinstance(config, dict):
        raise ValueError(f"The model config in {filepath} is not a JSON object.")
    if not compile:
        config["compile_config"] = None
    with ObjectSharingScope():
        return deserialize_keras_object(config, custom_objects, safe_mode=safe_mode)


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Loads a ``.keras`` archive (or an unzipped Keras model directory)."""
    filepath = os.fspath(filepath)
    if os.path.isdir(filepath) and os.path.exists(os.path.join(filepath, CONFIG_FILENAME)):
        with open(os.path.join(filepath, CONFIG_FILENAME), "rb") as f:
            model = _model_from_config(f.read(), custom_objects, compile, safe_mode, filepath)
        wpath = os.path.join(filepath, VARS_FNAME_H5)
        if not os.path.exists(wpath):
            raise ValueError(f"Expected a {VARS_FNAME_H5} file in {filepath}.")
        h5 = _open_h5(wpath, "r", wpath)
        try:
            load_weights_from_store(model, h5, wpath)
        finally:
            h5.close()
        return model
    with _open_archive(filepath) as zf:
        config_json = _safe_read(zf, CONFIG_FILENAME, filepath)
        names = zf.namelist()
        if VARS_FNAME_H5 not in names:
            if "model.weights.npz" in names:
                raise ValueError(f"{filepath}: the npz weights format is not supported by tfjax.")
            raise ValueError(f"The .keras file {filepath} is missing '{VARS_FNAME_H5}' (truncated or not a Keras "
                             "archive).")
        weights = _safe_read(zf, VARS_FNAME_H5, filepath)
        assets = {n: zf.read(n) for n in names if n.startswith(ASSETS_DIRNAME + "/") and not n.endswith("/")}
    model = _model_from_config(config_json, custom_objects, compile, safe_mode, filepath)
    h5 = _open_h5(io.BytesIO(weights), "r", f"{filepath}:{VARS_FNAME_H5}")
    try:
        load_weights_from_store(model, h5, filepath)
    finally:
        h5.close()
    if assets:
        _load_assets(model, assets, filepath)
    return model


def _load_assets(model, assets, filepath):
    """Assets of layers with ``load_assets`` (e.g. lookup vocabularies), extracted under validated paths."""
    import tempfile  # noqa: PLC0415
    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.realpath(tmp)
        for name, data in assets.items():
            validate_member_name(name, filepath)
            dest = os.path.realpath(os.path.join(root, name))
            if not dest.startswith(root + os.sep):
                raise ValueError(f"Unsafe member path {name!r} in archive {filepath}; refusing to load it.")
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            with open(dest, "wb") as f:
                f.write(data)
        visited = set()

        def visit(obj, path):
            if id(obj) in visited:
                return
            visited.add(id(obj))
            if hasattr(obj, "load_assets"):
                d = os.path.join(root, ASSETS_DIRNAME, path)
                if os.path.isdir(d):
                    obj.load_assets(d)
            for attr, child in _walk_saveable(obj):
                if is_saveable(child):
                    visit(child, _join(path, attr))
                elif isinstance(child, (list, tuple, dict)):
                    used = {}
                    for item in (child.values() if isinstance(child, dict) else child):
                        if is_saveable(item):
                            visit(item, _join(_join(path, attr), _unique(_snake(type(item).__name__), used)))

        visit(model, "")
