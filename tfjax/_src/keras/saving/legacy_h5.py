"""The legacy Keras HDF5 format (``model.save("m.h5")``, ``load_weights("w.h5")``).

Layout (as Keras 2 and Keras 3's legacy writer use it)::

    /                      attrs: model_config (JSON), training_config (JSON), keras_version, backend
    /model_weights         attrs: layer_names, keras_version, backend
    /model_weights/<layer> attrs: weight_names = ["sequential/dense/kernel", ...]
    /model_weights/<layer>/<weight name>    datasets (the weight name is a path)
    /optimizer_weights     attrs: weight_names; datasets under the optimizer variables' paths

Weights of a layer are listed trainable first, then non-trainable (Keras's
legacy order); loading is by position over the layers that have weights (or by
layer name with ``by_name=True``).
"""

from __future__ import annotations

import json
import os
import warnings

import numpy as np

from tfjax._src.keras.saving import object_registration, serialization_lib
from tfjax._src.keras.saving.saving_lib import KERAS_VERSION, _json_default, _open_h5, _Rollback
from tfjax._src.utils import atomic_io

HDF5_OBJECT_HEADER_LIMIT = 64512


def _legacy_weights(layer):
    return list(layer.trainable_weights) + list(layer.non_trainable_weights)


def _path_of(v):
    p = getattr(v, "path", None)
    if p is None:
        p = v.name[:-2] if v.name.endswith(":0") else v.name
    return str(p)


def _save_attributes(group, name, data):
    bad = [x for x in data if len(x) > HDF5_OBJECT_HEADER_LIMIT]
    if bad:
        raise RuntimeError(f"The following attributes cannot be saved to HDF5 file because they are larger than "
                           f"{HDF5_OBJECT_HEADER_LIMIT} bytes: {bad}")
    arr = np.asarray(data)
    chunks = 1
    parts = np.array_split(arr, chunks)
    while any(x.nbytes > HDF5_OBJECT_HEADER_LIMIT for x in parts):
        chunks += 1
        parts = np.array_split(arr, chunks)
    if chunks > 1:
        for i, p in enumerate(parts):
            group.attrs["%s%d" % (name, i)] = p
    else:
        group.attrs[name] = data


def _load_attributes(group, name):
    if name in group.attrs:
        return [n.decode("utf8") if hasattr(n, "decode") else str(n) for n in group.attrs[name]]
    data, i = [], 0
    while f"{name}{i}" in group.attrs:
        data.extend(n.decode("utf8") if hasattr(n, "decode") else str(n) for n in group.attrs[f"{name}{i}"])
        i += 1
    return data


def _save_subset(group, weights):
    names = [_path_of(w).encode("utf8") for w in weights]
    _save_attributes(group, "weight_names", names)
    for name, w in zip(names, weights):
        val = np.asarray(w.numpy())
        ds = group.create_dataset(name, val.shape, dtype=val.dtype)
        if not val.shape:
            ds[()] = val
        else:
            ds[:] = val


def _top_level_weights(model):
    own = list(getattr(model, "_trainable_variables", [])) + list(getattr(model, "_non_trainable_variables", []))
    ids = {id(w) for w in model.weights}
    return [v for v in own if id(v) in ids]


def save_weights_to_hdf5_group(group, model):
    _save_attributes(group, "layer_names", [layer.name.encode("utf8") for layer in model.layers])
    group.attrs["backend"] = b"tensorflow"
    group.attrs["keras_version"] = KERAS_VERSION.encode("utf8")
    for layer in sorted(model.layers, key=lambda x: x.name):
        _save_subset(group.create_group(layer.name), _legacy_weights(layer))
    _save_subset(group.create_group("top_level_model_weights"), _top_level_weights(model))


def _model_metadata(model, include_optimizer):
    metadata = {
        "keras_version": KERAS_VERSION, "backend": "tensorflow",
        "model_config": {"class_name": type(model).__name__, "config": model.get_config()},
    }
    opt = getattr(model, "optimizer", None)
    if opt is not None and include_optimizer and getattr(model, "compiled", False):
        cc = dict(model.get_compile_config() or {}) if hasattr(model, "get_compile_config") else {}
        cc.pop("optimizer", None)
        cc = serialization_lib.serialize_dict(cc)
        cc["optimizer_config"] = {"class_name": object_registration.get_registered_name(type(opt)),
                                  "config": opt.get_config()}
        metadata["training_config"] = cc
    return metadata


def save_model_to_hdf5(model, filepath, overwrite=True, include_optimizer=True):
    filepath = os.fspath(filepath)
    metadata = _model_metadata(model, include_optimizer)
    with atomic_io.atomic_path(filepath) as tmp:
        f = _open_h5(tmp, "w", filepath)
        try:
            for k, v in metadata.items():
                if isinstance(v, (dict, list, tuple)):
                    f.attrs[k] = json.dumps(v, default=_json_default).encode("utf8")
                else:
                    f.attrs[k] = v
            save_weights_to_hdf5_group(f.create_group("model_weights"), model)
            opt = getattr(model, "optimizer", None)
            if include_optimizer and opt is not None and list(getattr(opt, "variables", [])):
                wg = f.create_group("optimizer_weights")
                weights = list(opt.variables)
                names = [_path_of(w).encode("utf8") for w in weights]
                _save_attributes(wg, "weight_names", names)
                for name, w in zip(names, weights):
                    val = np.asarray(w.numpy())
                    ds = wg.create_dataset(name, val.shape, dtype=val.dtype)
                    if not val.shape:
                        ds[()] = val
                    else:
                        ds[:] = val
            f.flush()
        finally:
            f.close()


def save_weights_to_hdf5(model, filepath):
    """``model.save_weights("w.h5")`` is a ValueError in Keras 3; this helper writes the legacy layout."""
    filepath = os.fspath(filepath)
    with atomic_io.atomic_path(filepath) as tmp:
        f = _open_h5(tmp, "w", filepath)
        try:
            save_weights_to_hdf5_group(f, model)
        finally:
            f.close()


def _group(parent, name, filepath):
    import h5py  # noqa: PLC0415
    if name not in parent:
        raise ValueError(f"Invalid HDF5 file {filepath}: missing group '{parent.name.rstrip('/')}/{name}'.")
    g = parent[name]
    if not isinstance(g, h5py.Group):
        raise ValueError(f"Invalid HDF5 file {filepath}: expected a group at '{g.name}'.")
    return g


def _subset_values(group, filepath):
    import h5py  # noqa: PLC0415
    out = []
    for name in _load_attributes(group, "weight_names"):
        if name not in group or not isinstance(group[name], h5py.Dataset):
            raise ValueError(f"Invalid HDF5 file {filepath}: missing weight dataset '{group.name}/{name}'.")
        out.append(np.asarray(group[name][()]))
    return out


def _set_weights(symbolic, values, name, skip_mismatch):
    for i, value in enumerate(values):
        expected = tuple(symbolic[i].shape.as_list())
        if expected != tuple(value.shape):
            msg = (f"Shape mismatch in {name} for weight {_path_of(symbolic[i])}. Weight expects shape {expected}. "
                   f"Received saved weight with shape {tuple(value.shape)}")
            if skip_mismatch:
                warnings.warn("Skipping loading weights: " + msg, stacklevel=3)
                continue
            raise ValueError(msg)
        symbolic[i].assign(value.astype(symbolic[i].dtype._np, copy=False))


def load_weights_from_hdf5_group(group, model, skip_mismatch=False, filepath="<h5>"):
    filtered_layers = [layer for layer in model.layers if _legacy_weights(layer)]
    layer_names = [n for n in _load_attributes(group, "layer_names")
                   if _load_attributes(_group(group, n, filepath), "weight_names")]
    if len(layer_names) != len(filtered_layers):
        raise ValueError(f"Layer count mismatch when loading weights from file {filepath}. Model expected "
                         f"{len(filtered_layers)} layers, found {len(layer_names)} saved layers.")
    for k, name in enumerate(layer_names):
        layer = filtered_layers[k]
        symbolic = _legacy_weights(layer)
        values = _subset_values(_group(group, name, filepath), filepath)
        if len(values) != len(symbolic):
            raise ValueError(f"Weight count mismatch for layer #{k} (named {layer.name} in the current model, {name} "
                             f"in the save file). Layer expects {len(symbolic)} weight(s). Received {len(values)} "
                             "saved weight(s)")
        _set_weights(symbolic, values, f"layer #{k} (named {layer.name})", skip_mismatch)
    if "top_level_model_weights" in group:
        symbolic = _top_level_weights(model)
        values = _subset_values(_group(group, "top_level_model_weights", filepath), filepath)
        if len(values) != len(symbolic):
            raise ValueError(f"Weight count mismatch for top-level weights when loading weights from file "
                             f"{filepath}. Model expects {len(symbolic)} top-level weight(s). Received {len(values)} "
                             "saved top-level weight(s)")
        _set_weights(symbolic, values, "top-level model", skip_mismatch)


def load_weights_from_hdf5_group_by_name(group, model, skip_mismatch=False, filepath="<h5>"):
    index = {}
    for layer in model.layers:
        index.setdefault(layer.name, []).append(layer)
    for k, name in enumerate(_load_attributes(group, "layer_names")):
        values = _subset_values(_group(group, name, filepath), filepath)
        for layer in index.get(name, []):
            symbolic = _legacy_weights(layer)
            if len(values) != len(symbolic):
                msg = (f"Weight count mismatch for layer #{k} (named {layer.name}). Layer expects {len(symbolic)} "
                       f"weight(s). Received {len(values)} saved weight(s)")
                if skip_mismatch:
                    warnings.warn("Skipping loading of weights: " + msg, stacklevel=2)
                    continue
                raise ValueError(msg)
            _set_weights(symbolic, values, f"layer #{k} (named {layer.name})", skip_mismatch)


def load_weights(model, filepath, by_name=False, skip_mismatch=False):
    filepath = os.fspath(filepath)
    if not os.path.exists(filepath):
        raise FileNotFoundError(f"No such file or directory: '{filepath}'")
    f = _open_h5(filepath, "r", filepath)
    rollback = _Rollback(model)
    try:
        g = f
        if "layer_names" not in f.attrs and "model_weights" in f:
            g = _group(f, "model_weights", filepath)
        if by_name:
            load_weights_from_hdf5_group_by_name(g, model, skip_mismatch, filepath)
        else:
            load_weights_from_hdf5_group(g, model, skip_mismatch, filepath)
    except (OSError, KeyError, RuntimeError) as e:
        rollback.restore()
        raise ValueError(f"Unable to read weights from {filepath}: the file is truncated or corrupted ({e}).") \
            from None
    except BaseException:
        rollback.restore()
        raise
    finally:
        f.close()


def _decode_json_attr(v, what, filepath):
    if v is None:
        return None
    if hasattr(v, "decode"):
        v = v.decode("utf-8")
    try:
        return json.loads(v)
    except ValueError as e:
        raise ValueError(f"Invalid HDF5 file {filepath}: its {what} is not valid JSON ({e}).") from None


def _deserialize_legacy(config, custom_objects, what):
    """``{"class_name", "config"}`` (maybe without ``module``) -> object, looked up by class name."""
    if isinstance(config, str) or config is None:
        return config
    if isinstance(config, list):
        return [_deserialize_legacy(c, custom_objects, what) for c in config]
    if isinstance(config, dict) and "class_name" in config and "module" not in config:
        name = config["class_name"]
        cls = object_registration.get_registered_object(name, custom_objects=custom_objects)
        if cls is None:
            for public in serialization_lib._PUBLIC_MODULES:
                cls = serialization_lib._lookup_public(public, name)
                if cls is not None:
                    break
        if cls is None:
            raise ValueError(f"Unknown {what}: '{name}'. Please ensure you are using a `keras.utils."
                             "custom_object_scope` and that this object is included in the scope.")
        with object_registration.CustomObjectScope(custom_objects):
            return cls.from_config(config.get("config") or {})
    if isinstance(config, dict) and "class_name" in config:
        return serialization_lib.deserialize_keras_object(config, custom_objects)
    if isinstance(config, dict):
        return {k: _deserialize_legacy(v, custom_objects, what) for k, v in config.items()}
    return config


def load_model_from_hdf5(filepath, custom_objects=None, compile=True, safe_mode=True):
    filepath = os.fspath(filepath)
    if not os.path.exists(filepath):
        raise FileNotFoundError(f"No such file or directory: '{filepath}'")
    custom_objects = object_registration.all_custom_objects(custom_objects)
    f = _open_h5(filepath, "r", filepath)
    try:
        model_config = _decode_json_attr(f.attrs.get("model_config"), "model config", filepath)
        if model_config is None:
            raise ValueError(f"No model config found in the file at {filepath}.")
        serialization_lib.check_safe(model_config, safe_mode)
        with serialization_lib.SafeModeScope(safe_mode):
            model = _deserialize_legacy(model_config, custom_objects, "layer")
            load_weights_from_hdf5_group(_group(f, "model_weights", filepath), model, filepath=filepath)
        if compile:
            training_config = _decode_json_attr(f.attrs.get("training_config"), "training config", filepath)
            if training_config is None:
                warnings.warn("No training configuration found in the save file, so the model was *not* "
                              "compiled. Compile it manually.", stacklevel=2)
                return model
            optimizer = _deserialize_legacy(training_config["optimizer_config"], custom_objects, "optimizer")
            with object_registration.CustomObjectScope(custom_objects):
                loss = _deserialize_legacy(training_config.get("loss"), custom_objects, "loss")
                metrics = _deserialize_legacy(training_config.get("metrics"), custom_objects, "metric")
                weighted = _deserialize_legacy(training_config.get("weighted_metrics"), custom_objects, "metric")
            model.compile(optimizer=optimizer, loss=loss, metrics=metrics, weighted_metrics=weighted,
                          loss_weights=training_config.get("loss_weights"))
            if "optimizer_weights" in f:
                try:
                    model.optimizer.build(model.trainable_variables)
                    g = _group(f, "optimizer_weights", filepath)
                    values = [np.asarray(g[n][()]) for n in _load_attributes(g, "weight_names")]
                    model.optimizer.set_weights(values)
                except (ValueError, KeyError) as e:
                    warnings.warn(f"Error in loading the saved optimizer state ({e}). As a result, your model is "
                                  "starting with a freshly initialized optimizer.", stacklevel=2)
        return model
    except (OSError, KeyError, RuntimeError) as e:
        raise ValueError(f"Unable to load the model from {filepath}: the file is truncated or corrupted ({e}).") \
            from None
    finally:
        f.close()
