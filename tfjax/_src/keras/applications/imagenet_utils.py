"""Shared pieces of ``keras.applications``: input shapes, weights download, preprocess/decode."""

from __future__ import annotations

import json
import os
import warnings

import numpy as np

from tfjax._src.keras import backend

CLASS_INDEX_PATH = "https://storage.googleapis.com/download.tensorflow.org/data/imagenet_class_index.json"
_CLASS_INDEX = None


def get_file(fname, origin, cache_subdir="models", file_hash=None):
    """Returns the cached file, downloading it into ``~/.keras/<cache_subdir>`` if needed."""
    try:
        from tfjax._src.keras.datasets._download import get_file as _gf  # noqa: PLC0415
    except ImportError:
        _gf = None
    if _gf is not None:
        try:
            return _gf(fname, origin, cache_subdir=cache_subdir, file_hash=file_hash)
        except Exception as e:  # noqa: BLE001
            raise _offline_error(fname, origin, e) from e
    base = os.path.expanduser(os.environ.get("KERAS_HOME", os.path.join("~", ".keras")))
    path = os.path.join(base, cache_subdir, fname)
    if os.path.exists(path):
        return path
    os.makedirs(os.path.dirname(path), exist_ok=True)
    import urllib.request  # noqa: PLC0415
    tmp = path + ".part"
    try:
        urllib.request.urlretrieve(origin, tmp)  # noqa: S310
        os.replace(tmp, path)
    except Exception as e:  # noqa: BLE001
        if os.path.exists(tmp):
            os.remove(tmp)
        raise _offline_error(fname, origin, e) from e
    return path


def _offline_error(fname, origin, e):
    return OSError(
        f"Could not download '{fname}' from {origin} ({type(e).__name__}: {e}). Pretrained weights need network "
        "access the first time; they are then cached under ~/.keras/models. Offline, pass `weights=None` for a "
        "randomly initialised model, or `weights='/path/to/weights.h5'` for a local file.")


def obtain_input_shape(input_shape, default_size, min_size, data_format, require_flatten, weights=None):
    if weights != "imagenet" and input_shape and len(input_shape) == 3:
        default_shape = tuple(input_shape)
    elif data_format == "channels_first":
        default_shape = (3, default_size, default_size)
    else:
        default_shape = (default_size, default_size, 3)
    if weights == "imagenet" and require_flatten:
        if input_shape is not None and tuple(input_shape) != default_shape:
            raise ValueError(f"When setting `include_top=True` and loading `imagenet` weights, `input_shape` should "
                             f"be {default_shape}.  Received: input_shape={input_shape}")
        return default_shape
    if input_shape:
        input_shape = tuple(input_shape)
        if len(input_shape) != 3:
            raise ValueError("`input_shape` must be a tuple of three integers.")
        ch = input_shape[-1] if data_format == "channels_last" else input_shape[0]
        if weights == "imagenet" and ch != 3:
            raise ValueError(f"The input must have 3 channels; Received `input_shape={input_shape}`")
        sp = input_shape[:2] if data_format == "channels_last" else input_shape[1:]
        if any(d is not None and d < min_size for d in sp):
            raise ValueError(f"Input size must be at least {min_size}x{min_size}; Received: input_shape={input_shape}")
    else:
        if require_flatten:
            input_shape = default_shape
        else:
            input_shape = (None, None, 3) if data_format == "channels_last" else (3, None, None)
    if require_flatten and None in input_shape:
        raise ValueError("If `include_top` is True, you should specify a static `input_shape`. "
                         f"Received: input_shape={input_shape}")
    return input_shape


def check_weights(weights, include_top, classes):
    if not (weights in {"imagenet", None} or os.path.exists(str(weights))):
        raise ValueError("The `weights` argument should be either `None` (random initialization), 'imagenet' "
                         "(pre-training on ImageNet), or the path to the weights file to be loaded.  Received: "
                         f"weights={weights}")
    if weights == "imagenet" and include_top and classes != 1000:
        raise ValueError('If using `weights="imagenet"` with `include_top=True`, `classes` should be 1000.  '
                         f"Received classes={classes}")


def validate_activation(classifier_activation, weights):
    if weights is None:
        return
    if classifier_activation not in {"softmax", None}:
        raise ValueError("Only `None` and `softmax` activations are allowed for the `classifier_activation` "
                         f"argument when using pretrained weights, with `include_top=True`; Received: "
                         f"classifier_activation={classifier_activation}")


def make_input(input_shape, input_tensor):
    from tfjax._src.keras.layers.input_layer import Input  # noqa: PLC0415
    if input_tensor is None:
        return Input(shape=input_shape), None
    from tfjax._src.keras.keras_tensor import KerasTensor  # noqa: PLC0415
    if not isinstance(input_tensor, KerasTensor):
        return Input(tensor=input_tensor, shape=input_shape), None
    return input_tensor, input_tensor


def source_inputs(img_input, input_tensor):
    if input_tensor is None:
        return img_input
    from tfjax._src.keras.layers.input_layer import InputLayer  # noqa: PLC0415
    # walk back to the InputLayer(s)
    seen, out, stack = set(), [], [input_tensor]
    while stack:
        t = stack.pop()
        h = t._keras_history
        if h is None or id(t) in seen:
            continue
        seen.add(id(t))
        if isinstance(h.operation, InputLayer):
            out.append(t)
        else:
            stack.extend(h.operation._inbound_nodes[h.node_index].input_tensors)
    return out[0] if len(out) == 1 else out


def load_weights(model, weights, url=None, fname=None, file_hash=None):
    if weights == "imagenet":
        path = get_file(fname, url, cache_subdir="models", file_hash=file_hash)
        model.load_weights(path)
    elif weights is not None:
        model.load_weights(weights)


def _preprocess_numpy(x, data_format, mode):
    if not issubclass(x.dtype.type, np.floating):
        x = x.astype(backend.floatx(), copy=False)
    if mode == "tf":
        x /= 127.5
        x -= 1.0
        return x
    if mode == "torch":
        x /= 255.0
        mean = [0.485, 0.456, 0.406]
        std = [0.229, 0.224, 0.225]
    else:
        if data_format == "channels_first":
            x = x[:, ::-1, ...] if x.ndim == 4 else x[::-1, ...]
        else:
            x = x[..., ::-1]
        mean = [103.939, 116.779, 123.68]
        std = None
    if data_format == "channels_first":
        shape = (1, 3, 1, 1) if x.ndim == 4 else (3, 1, 1)
    else:
        shape = (3,)
    x = x - np.reshape(mean, shape).astype(x.dtype)
    if std is not None:
        x = x / np.reshape(std, shape).astype(x.dtype)
    return x


def preprocess_input(x, data_format=None, mode="caffe"):
    if mode not in {"caffe", "tf", "torch"}:
        raise ValueError(f"Expected mode to be one of `caffe`, `tf` or `torch`. Received: mode={mode}")
    data_format = backend.standardize_data_format(data_format)
    if isinstance(x, np.ndarray):
        return _preprocess_numpy(x.copy() if issubclass(x.dtype.type, np.floating) else x, data_format, mode)
    from tfjax._src.keras.ops import core as C, numpy as N  # noqa: PLC0415
    t = C.t1(x)
    if not backend.is_float_dtype(C.dtype_of(t)):
        t = C.cast(t, backend.floatx())
    if mode == "tf":
        return N.subtract(N.divide(t, 127.5), 1.0)
    if mode == "torch":
        t = N.divide(t, 255.0)
        mean = np.array([0.485, 0.456, 0.406], "float32")
        std = np.array([0.229, 0.224, 0.225], "float32")
    else:
        t = N.flip(t, axis=-1 if data_format == "channels_last" else -3)
        mean = np.array([103.939, 116.779, 123.68], "float32")
        std = None
    if data_format == "channels_first":
        mean = mean.reshape(3, 1, 1)
        std = std.reshape(3, 1, 1) if std is not None else None
    t = N.subtract(t, C.cast(mean, C.dtype_of(t)))
    if std is not None:
        t = N.divide(t, C.cast(std, C.dtype_of(t)))
    return t


def decode_predictions(preds, top=5):
    global _CLASS_INDEX
    preds = np.asarray(preds)
    if preds.ndim != 2 or preds.shape[1] != 1000:
        raise ValueError("`decode_predictions` expects a batch of predictions (i.e. a 2D array of shape "
                         f"(samples, 1000)). Received array with shape: {preds.shape}")
    if _CLASS_INDEX is None:
        path = get_file("imagenet_class_index.json", CLASS_INDEX_PATH, cache_subdir="models",
                        file_hash="c2c37ea517e94d9795004a39431a14cb")
        with open(path) as f:
            _CLASS_INDEX = json.load(f)
    results = []
    for pred in preds:
        idx = pred.argsort()[-top:][::-1]
        results.append([tuple(_CLASS_INDEX[str(i)]) + (pred[i],) for i in idx])
    return results
