"""``keras.saving`` entry points: what ``model.save`` / ``load_model`` / ``save_weights`` / ``load_weights`` call.

Model methods delegate here::

    Model.save(filepath, overwrite=True, zipped=None, **kw)  -> save_model(model, filepath, overwrite, zipped, **kw)
    Model.save_weights(filepath, overwrite=True, **kw)       -> save_weights(model, filepath, overwrite, **kw)
    Model.load_weights(filepath, skip_mismatch=False, **kw)  -> load_weights(model, filepath, skip_mismatch, **kw)
    Model.to_json(**kw)                                      -> model_to_json(model, **kw)
    Model.export(filepath, format="tf_saved_model", ...)     -> tfjax._src.saved_model.export_model(...)
"""

from __future__ import annotations

import json
import logging
import os
import zipfile

from tfjax._src.keras.saving import legacy_h5, saving_lib, serialization_lib

_log = logging.getLogger("tfjax")


def _ask_to_proceed_with_overwrite(filepath):
    overwrite = input(f"[WARNING] {filepath} already exists - overwrite? [y/n]").strip().lower()
    while overwrite not in ("y", "n"):
        overwrite = input('Enter "y" (overwrite) or "n" (cancel).').strip().lower()
    if overwrite == "n":
        return False
    print("[TIP] Next time specify overwrite=True!")
    return True


def save_model(model, filepath, overwrite=True, zipped=None, **kwargs):
    """``keras.saving.save_model``: ``.keras`` (native) or ``.h5`` (legacy)."""
    include_optimizer = kwargs.pop("include_optimizer", True)
    save_format = kwargs.pop("save_format", False)
    if save_format:
        if not str(filepath).endswith((".h5", ".hdf5", ".keras")):
            raise ValueError(
                "The `save_format` argument is deprecated in Keras 3. Please remove this argument and pass a file "
                f"path with either `.keras` or `.h5` extension.Received: save_format={save_format}")
        _log.warning("The `save_format` argument is deprecated in Keras 3. We recommend removing this argument as "
                     f"it can be inferred from the file path. Received: save_format={save_format}")
    if kwargs:
        raise ValueError(f"The following argument(s) are not supported: {list(kwargs.keys())}")
    filepath_str = str(os.fspath(filepath))
    if filepath_str.endswith((".h5", ".hdf5")):
        _log.warning(
            "You are saving your model as an HDF5 file via `model.save()` or `keras.saving.save_model(model)`. "
            "This file format is considered legacy. We recommend using instead the native Keras format, e.g. "
            "`model.save('my_model.keras')` or `keras.saving.save_model(model, 'my_model.keras')`. ")
    if zipped is None:
        zipped = True
    if os.path.exists(filepath_str) and not overwrite:
        if not _ask_to_proceed_with_overwrite(filepath_str):
            return
    if zipped and filepath_str.endswith(".keras"):
        return saving_lib.save_model(model, filepath_str)
    if not zipped:
        raise ValueError("`zipped=False` (an unzipped model directory) is not supported by tfjax; save to a "
                         "`.keras` file.")
    if filepath_str.endswith((".h5", ".hdf5")):
        return legacy_h5.save_model_to_hdf5(model, filepath_str, overwrite, include_optimizer)
    raise ValueError(
        "Invalid filepath extension for saving. Please add either a `.keras` extension for the native Keras format "
        "(recommended) or a `.h5` extension. Use `model.export(filepath)` if you want to export a SavedModel for use "
        f"with TFLite/TFServing/etc. Received: filepath={filepath_str}.")


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """``keras.saving.load_model`` / ``tf.keras.models.load_model``."""
    filepath_str = str(os.fspath(filepath))
    is_keras_zip = filepath_str.endswith(".keras") and os.path.isfile(filepath_str)
    is_keras_dir = os.path.isdir(filepath_str) and os.path.exists(os.path.join(filepath_str, "config.json"))
    if is_keras_zip and not zipfile.is_zipfile(filepath_str):
        raise ValueError(f"Unable to open the .keras file {filepath_str}: not a valid zip archive, it is truncated "
                         "or corrupted.")
    if is_keras_zip or is_keras_dir:
        return saving_lib.load_model(filepath_str, custom_objects=custom_objects, compile=compile,
                                     safe_mode=safe_mode)
    if filepath_str.endswith((".h5", ".hdf5")):
        return legacy_h5.load_model_from_hdf5(filepath_str, custom_objects=custom_objects, compile=compile,
                                              safe_mode=safe_mode)
    if filepath_str.endswith(".keras"):
        raise ValueError(f"File not found: filepath={filepath_str}. Please ensure the file is an accessible `.keras` "
                         "zip file.")
    raise ValueError(
        f"File format not supported: filepath={filepath_str}. Keras 3 only supports V3 `.keras` files, legacy H5 "
        "format files (`.h5` extension). Note that the legacy SavedModel format is not supported by `load_model()` "
        "in Keras 3. In order to reload a TensorFlow SavedModel as an inference-only layer in Keras 3, use "
        f"`keras.layers.TFSMLayer({filepath_str}, call_endpoint='serving_default')` (note that your `call_endpoint` "
        "might have a different name).")


def save_weights(model, filepath, overwrite=True, max_shard_size=None, **kwargs):
    """``model.save_weights``: Keras 3 requires a ``.weights.h5`` file name."""
    filepath_str = str(os.fspath(filepath))
    if max_shard_size is not None:
        raise ValueError("`max_shard_size` (sharded weights) is not supported by tfjax.")
    if not filepath_str.endswith(".weights.h5"):
        raise ValueError(f"The filename must end in `.weights.h5`. Received: filepath={filepath_str}")
    if os.path.exists(filepath_str) and not overwrite:
        if not _ask_to_proceed_with_overwrite(filepath_str):
            return
    saving_lib.save_weights_only(model, filepath_str, **kwargs)


def load_weights(model, filepath, skip_mismatch=False, **kwargs):
    """``model.load_weights``: ``.weights.h5``, ``.keras`` or legacy ``.h5``."""
    filepath_str = str(os.fspath(filepath))
    objects_to_skip = kwargs.pop("objects_to_skip", None)
    by_name = kwargs.pop("by_name", None)
    if kwargs:
        raise ValueError(f"Invalid keyword arguments: {kwargs}")
    if filepath_str.endswith(".keras"):
        if objects_to_skip is not None:
            raise ValueError(f"`objects_to_skip` only supports loading '.weights.h5' files.Received: {filepath}")
        if by_name is not None:
            raise ValueError(f"`by_name` only supports loading legacy '.h5' or '.hdf5' files. Received: {filepath}")
        saving_lib.load_weights_only(model, filepath_str, skip_mismatch=skip_mismatch)
    elif filepath_str.endswith(".weights.h5"):
        if by_name is not None:
            raise ValueError(f"`by_name` only supports loading legacy '.h5' or '.hdf5' files. Received: {filepath}")
        saving_lib.load_weights_only(model, filepath_str, skip_mismatch=skip_mismatch,
                                     objects_to_skip=objects_to_skip)
    elif filepath_str.endswith((".h5", ".hdf5")):
        if objects_to_skip is not None:
            raise ValueError(f"`objects_to_skip` only supports loading '.weights.h5' files.Received: {filepath}")
        legacy_h5.load_weights(model, filepath_str, by_name=bool(by_name), skip_mismatch=skip_mismatch)
    else:
        raise ValueError(
            f"File format not supported: filepath={filepath}. Keras 3 only supports V3 `.keras` and `.weights.h5` "
            "files, or legacy V1/V2 `.h5` files.")


def model_to_json(model, **kwargs):
    """``model.to_json()``: the Keras 3 serialized config as JSON."""
    with serialization_lib.ObjectSharingScope():
        config = serialization_lib.serialize_keras_object(model)
    return json.dumps(config, default=saving_lib._json_default, **kwargs)


def model_from_json(json_string, custom_objects=None):
    """``keras.models.model_from_json``."""
    config = json.loads(json_string)
    return serialization_lib.deserialize_keras_object(config, custom_objects=custom_objects)


def model_from_config(config, custom_objects=None):
    """``keras.models.model_from_config``."""
    if isinstance(config, list):
        raise TypeError("`model_from_config` expects a dictionary, not a list. Received: config={config}. Did you "
                        "meant to use `Sequential.from_config(config)`?")
    return serialization_lib.deserialize_keras_object(config, custom_objects=custom_objects)
