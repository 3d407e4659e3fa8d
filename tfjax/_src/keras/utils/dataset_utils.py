"""Keras dataset utilities on tfjax's tf.data: ``image_dataset_from_directory``,
``text_dataset_from_directory``, ``timeseries_dataset_from_array`` (Keras 3 semantics:
same file indexing, shuffling (``np.random.RandomState(seed)``), splits and dtypes)."""

from __future__ import annotations

import os

import numpy as np

from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src.data import structure
from tfjax._src.data.dataset import AUTOTUNE, DatasetV2
from tfjax._src.data.sources import TensorSliceDataset
from tfjax._src.tensor_spec import TensorSpec

ALLOWLIST_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")


def _print(msg, verbose=True):
    if verbose:
        print(msg)


# ---------------------------------------------------------------------------
# directory indexing (keras.src.utils.dataset_utils)
# ---------------------------------------------------------------------------

def _iter_valid_files(directory, follow_links, formats):
    walk = os.walk(directory, followlinks=follow_links)
    for root, _, files in sorted(walk, key=lambda x: x[0]):
        for fname in sorted(files):
            if fname.lower().endswith(formats):
                yield root, fname


def _index_subdirectory(directory, class_indices, follow_links, formats):
    dirname = os.path.basename(directory)
    labels, filenames = [], []
    for root, fname in _iter_valid_files(directory, follow_links, formats):
        labels.append(class_indices[dirname])
        absolute_path = os.path.join(root, fname)
        filenames.append(os.path.join(dirname, os.path.relpath(absolute_path, directory)))
    return filenames, labels


def index_directory(directory, labels, formats, class_names=None, shuffle=True, seed=None,
                    follow_links=False, verbose=True):
    """Lists files (and inferred labels) exactly as Keras does."""
    if not os.path.isdir(directory):
        raise errors.NotFoundError(f"Could not find directory {directory}")
    if labels == "inferred":
        subdirs = []
        for subdir in sorted(os.listdir(directory)):
            if os.path.isdir(os.path.join(directory, subdir)) and not subdir.startswith("."):
                subdirs.append(subdir.rstrip("/"))
        if class_names is not None:
            if not set(class_names).issubset(set(subdirs)):
                raise ValueError("The `class_names` passed did not match the names of the subdirectories of "
                                 f"the target directory. Expected: {subdirs} (or a subset of it), but received: "
                                 f"class_names={class_names}")
            subdirs = list(class_names)
    else:
        subdirs = [""]
        if class_names is not None:
            if labels is None:
                raise ValueError("When `labels=None` (no labels), argument `class_names` cannot be specified.")
            raise ValueError("When argument `labels` is specified, argument `class_names` cannot be specified "
                             "(the `class_names` will be the sorted list of labels).")
    class_names = subdirs
    class_indices = dict(zip(class_names, range(len(class_names))))
    filenames, labels_list = [], []
    for subdir in subdirs:
        f, lab = _index_subdirectory(os.path.join(directory, subdir), class_indices, follow_links, formats)
        filenames += f
        labels_list.append(lab)
    if labels == "inferred":
        labels = np.zeros((len(filenames),), dtype="int32")
        i = 0
        for part in labels_list:
            labels[i:i + len(part)] = part
            i += len(part)
    elif labels is None:
        class_names = None
    else:
        if len(labels) != len(filenames):
            raise ValueError("Expected the lengths of `labels` to match the number of files in the target "
                             f"directory. len(labels) is {len(labels)} while we found {len(filenames)} files "
                             f"in directory {directory}.")
        class_names = [str(label) for label in sorted(set(labels))]
    if labels is None:
        _print(f"Found {len(filenames)} files.", verbose)
    else:
        _print(f"Found {len(filenames)} files belonging to {len(class_names)} classes.", verbose)
    file_paths = [os.path.join(directory, fname) for fname in filenames]
    if shuffle:
        if seed is None:
            seed = np.random.randint(1e6)
        rng = np.random.RandomState(seed)
        rng.shuffle(file_paths)
        if labels is not None:
            rng = np.random.RandomState(seed)
            rng.shuffle(labels)
    return file_paths, labels, class_names


def get_training_or_validation_split(samples, labels, validation_split, subset):
    if not validation_split:
        return samples, labels
    num_val_samples = int(validation_split * len(samples))
    if subset == "training":
        print(f"Using {len(samples) - num_val_samples} files for training.")
        samples = samples[:-num_val_samples]
        if labels is not None:
            labels = labels[:-num_val_samples]
    elif subset == "validation":
        print(f"Using {num_val_samples} files for validation.")
        samples = samples[-num_val_samples:]
        if labels is not None:
            labels = labels[-num_val_samples:]
    else:
        raise ValueError(f'`subset` must be either "training" or "validation", received: {subset}')
    return samples, labels


def check_validation_split_arg(validation_split, subset, shuffle, seed):
    if validation_split and not 0 < validation_split < 1:
        raise ValueError(f"`validation_split` must be between 0 and 1, received: {validation_split}")
    if (validation_split or subset) and not (validation_split and subset):
        raise ValueError("If `subset` is set, `validation_split` must be set, and inversely.")
    if subset not in ("training", "validation", "both", None):
        raise ValueError(f'`subset` must be either "training", "validation" or "both", received: {subset}')
    if validation_split and shuffle and seed is None:
        raise ValueError("If using `validation_split` and shuffling the data, you must provide a `seed` "
                         "argument, to make sure that there is no overlap between the training and "
                         "validation subset.")


def labels_to_dataset(labels, label_mode, num_classes):
    labels = np.asarray(labels)
    if label_mode == "binary":
        return TensorSliceDataset(labels.astype(np.float32)[:, None])
    if label_mode == "categorical":
        return TensorSliceDataset((labels[:, None] == np.arange(num_classes)).astype(np.float32))
    return TensorSliceDataset(labels.astype(np.int32))


class _HostMapDataset(DatasetV2):
    """Applies a numpy function to (path[, label]) elements on a thread pool, known output spec."""

    _tf_name = "_ParallelMapDataset"

    def __init__(self, input_dataset, fn, spec):
        super().__init__([input_dataset])
        self._input = input_dataset
        self._fn = fn
        self._spec_cache = spec

    def _card(self):
        return self._input._card()

    def _iter(self):
        from tfjax._src.data import iterator as iterator_lib  # noqa: PLC0415
        return iterator_lib.ParallelMapIter(self._input._elements(), self._fn,
                                            iterator_lib.default_parallelism(), True, chunk=1)


# ---------------------------------------------------------------------------
# images
# ---------------------------------------------------------------------------

def _resize_bilinear(img, h, w):
    """tf.image.resize(method='bilinear', antialias=False): half-pixel centres, float32."""
    ih, iw = img.shape[:2]
    img = img.astype(np.float32)
    if (ih, iw) == (h, w):
        return img

    def weights(out_size, in_size):
        scale = in_size / out_size
        x = (np.arange(out_size, dtype=np.float32) + 0.5) * np.float32(scale) - 0.5
        xf = np.floor(x)
        lo = np.maximum(xf, 0).astype(np.int64)
        hi = np.minimum(np.ceil(x), in_size - 1).astype(np.int64)
        return lo, hi, (x - xf).astype(np.float32)
    y0, y1, fy = weights(h, ih)
    x0, x1, fx = weights(w, iw)
    top = img[y0][:, x0] + (img[y0][:, x1] - img[y0][:, x0]) * fx[None, :, None]
    bot = img[y1][:, x0] + (img[y1][:, x1] - img[y1][:, x0]) * fx[None, :, None]
    return top + (bot - top) * fy[:, None, None]


def _resize_nearest(img, h, w):
    ih, iw = img.shape[:2]
    ys = np.minimum(np.floor((np.arange(h) + 0.5) * (ih / h)).astype(np.int64), ih - 1)
    xs = np.minimum(np.floor((np.arange(w) + 0.5) * (iw / w)).astype(np.int64), iw - 1)
    return img[ys][:, xs]  # nearest keeps the input dtype, as tf.image.resize does


def _resize(img, size, interpolation):
    h, w = size
    if interpolation == "bilinear":
        return _resize_bilinear(img, h, w)
    if interpolation == "nearest":
        return _resize_nearest(img, h, w)
    try:
        from tfjax._src.ops import image_ops  # noqa: PLC0415
        resize = image_ops.resize
    except (ImportError, AttributeError):
        raise errors.unsupported(f"interpolation={interpolation!r}",
                                 "image_dataset_from_directory supports 'bilinear' and 'nearest'") from None
    return np.asarray(resize(img, size, method=interpolation), dtype=np.float32)


def _smart_resize(img, size, interpolation):
    """keras.preprocessing.image.smart_resize: centre-crop to the target aspect ratio, then resize."""
    h, w = img.shape[:2]
    th, tw = size
    crop_h = min(h, int(w * th / tw))
    crop_w = min(w, int(h * tw / th))
    crop_h, crop_w = max(crop_h, 1), max(crop_w, 1)
    oh, ow = (h - crop_h) // 2, (w - crop_w) // 2
    return _resize(img[oh:oh + crop_h, ow:ow + crop_w], size, interpolation)


def _resize_with_pad(img, size, interpolation):
    h, w = img.shape[:2]
    th, tw = size
    ratio = max(w / tw, h / th)
    rhf, rwf = h / ratio, w / ratio
    resized = _resize(img, (max(int(np.floor(rhf)), 1), max(int(np.floor(rwf)), 1)), interpolation)
    out = np.zeros((th, tw, img.shape[2]), resized.dtype)
    # tf.image.resize_with_pad: the offset comes from the unrounded resized size
    ph, pw = max(0, int(np.floor((th - rhf) / 2))), max(0, int(np.floor((tw - rwf) / 2)))
    out[ph:ph + resized.shape[0], pw:pw + resized.shape[1]] = resized
    return out


def _load_image(path, image_size, num_channels, interpolation, data_format, crop_to_aspect_ratio,
                pad_to_aspect_ratio):
    from tfjax._src.io import file_io  # noqa: PLC0415
    data = open(path.decode() if isinstance(path, bytes) else path, "rb").read()
    img = np.asarray(file_io.decode_image(np.array(data, dtype=object), channels=num_channels,
                                          expand_animations=False)._value)
    if crop_to_aspect_ratio:
        img = _smart_resize(img, image_size, interpolation)
    elif pad_to_aspect_ratio:
        img = _resize_with_pad(img, image_size, interpolation)
    else:
        img = _resize(img, image_size, interpolation)
    if data_format == "channels_first":
        img = np.transpose(img, (2, 0, 1))
    return np.ascontiguousarray(img)


def _data_format(data_format):
    if data_format is None:
        try:
            from tfjax._src.keras import backend  # noqa: PLC0415
            data_format = backend.image_data_format()
        except (ImportError, AttributeError):
            data_format = "channels_last"
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"Invalid data_format: {data_format}")
    return data_format


def _paths_to_image_dataset(image_paths, image_size, num_channels, labels, label_mode, num_classes,
                            interpolation, data_format, crop_to_aspect_ratio, pad_to_aspect_ratio,
                            shuffle=False, shuffle_buffer_size=None, seed=None):
    path_ds = TensorSliceDataset(np.array([p.encode() for p in image_paths], dtype=object))
    ds = DatasetV2.zip((path_ds, labels_to_dataset(labels, label_mode, num_classes))) if label_mode else path_ds
    if shuffle:
        ds = ds.shuffle(buffer_size=shuffle_buffer_size or 1024, seed=seed)
    args = (image_size, num_channels, interpolation, data_format, crop_to_aspect_ratio, pad_to_aspect_ratio)
    shape = ((image_size[0], image_size[1], num_channels) if data_format == "channels_last"
             else (num_channels, image_size[0], image_size[1]))
    img_spec = TensorSpec(shape, dtypes.uint8 if interpolation == "nearest" else dtypes.float32)
    if label_mode:
        label_spec = ds.element_spec[1]

        def fn(e):
            return (_load_image(structure.host(e[0])[()], *args), e[1])
        return _HostMapDataset(ds, fn, (img_spec, label_spec))

    def fn1(e):
        return _load_image(structure.host(e)[()], *args)
    return _HostMapDataset(ds, fn1, img_spec)


def image_dataset_from_directory(directory, labels="inferred", label_mode="int", class_names=None,
                                 color_mode="rgb", batch_size=32, image_size=(256, 256), shuffle=True,
                                 seed=None, validation_split=None, subset=None, interpolation="bilinear",
                                 follow_links=False, crop_to_aspect_ratio=False, pad_to_aspect_ratio=False,
                                 data_format=None, format="tf", verbose=True):
    """``keras.utils.image_dataset_from_directory``: (images float32, labels) batches."""
    if labels not in ("inferred", None):
        if not isinstance(labels, (list, tuple)):
            raise ValueError("`labels` argument should be a list/tuple of integer labels, of the same size as "
                             "the number of image files in the target directory. If you wish to infer the "
                             'labels from the subdirectory names in the target directory, pass `labels="inferred"`. '
                             "If you wish to get a dataset that only contains images (no labels), pass "
                             f"`labels=None`. Received: labels={labels}")
        if class_names:
            raise ValueError(f'You can only pass `class_names` if `labels="inferred"`. Received: labels={labels}, '
                             f"and class_names={class_names}")
    if label_mode not in {"int", "categorical", "binary", None}:
        raise ValueError('`label_mode` argument must be one of "int", "categorical", "binary", or None. '
                         f"Received: label_mode={label_mode}")
    if labels is None or label_mode is None:
        labels = None
        label_mode = None
    num_channels = {"rgb": 3, "rgba": 4, "grayscale": 1}.get(color_mode)
    if num_channels is None:
        raise ValueError('`color_mode` must be one of {"rgb", "rgba", "grayscale"}. '
                         f"Received: color_mode={color_mode}")
    if isinstance(image_size, int):
        image_size = (image_size, image_size)
    elif not isinstance(image_size, (list, tuple)) or len(image_size) != 2:
        raise ValueError(f"Invalid `image_size` value. Expected a tuple of 2 integers. Received: image_size={image_size}")
    image_size = tuple(int(s) for s in image_size)
    interpolation = interpolation.lower()
    supported = ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5", "gaussian", "mitchellcubic")
    if interpolation not in supported:
        raise ValueError(f"Argument `interpolation` should be one of {supported}. Received: interpolation={interpolation}")
    if format != "tf":
        raise errors.unsupported(f"image_dataset_from_directory(format={format!r})", "only format='tf'")
    if pad_to_aspect_ratio and crop_to_aspect_ratio:
        raise ValueError("Only one of `pad_to_aspect_ratio`, `crop_to_aspect_ratio` can be set to `True`.")
    check_validation_split_arg(validation_split, subset, shuffle, seed)
    if seed is None:
        seed = np.random.randint(1e6)
    image_paths, labels, class_names = index_directory(directory, labels, formats=ALLOWLIST_FORMATS,
                                                       class_names=class_names, shuffle=shuffle, seed=seed,
                                                       follow_links=follow_links, verbose=verbose)
    if label_mode == "binary" and len(class_names) != 2:
        raise ValueError('When passing `label_mode="binary"`, there must be exactly 2 class_names. Received: '
                         f"class_names={class_names}")
    data_format = _data_format(data_format)
    shuffle_buffer_size = batch_size * 8 if batch_size is not None else 1024
    num_classes = len(class_names) if class_names else 0
    common = dict(image_size=image_size, num_channels=num_channels, label_mode=label_mode,
                  num_classes=num_classes, interpolation=interpolation, data_format=data_format,
                  crop_to_aspect_ratio=crop_to_aspect_ratio, pad_to_aspect_ratio=pad_to_aspect_ratio)

    def finish(ds, paths):
        if batch_size is not None:
            ds = ds.batch(batch_size)
        ds = ds.prefetch(AUTOTUNE)
        ds.class_names = class_names
        ds.file_paths = paths
        return ds

    if subset == "both":
        p_train, l_train = get_training_or_validation_split(image_paths, labels, validation_split, "training")
        p_val, l_val = get_training_or_validation_split(image_paths, labels, validation_split, "validation")
        if not p_train:
            raise ValueError(f"No training images found in directory {directory}. Allowed formats: {ALLOWLIST_FORMATS}")
        if not p_val:
            raise ValueError(f"No validation images found in directory {directory}. Allowed formats: {ALLOWLIST_FORMATS}")
        train = _paths_to_image_dataset(p_train, labels=l_train, shuffle=shuffle,
                                        shuffle_buffer_size=shuffle_buffer_size, seed=seed, **common)
        val = _paths_to_image_dataset(p_val, labels=l_val, shuffle=False, **common)
        return [finish(train, p_train), finish(val, p_val)]
    image_paths, labels = get_training_or_validation_split(image_paths, labels, validation_split, subset)
    if not image_paths:
        raise ValueError(f"No images found in directory {directory}. Allowed formats: {ALLOWLIST_FORMATS}")
    ds = _paths_to_image_dataset(image_paths, labels=labels, shuffle=shuffle,
                                 shuffle_buffer_size=shuffle_buffer_size, seed=seed, **common)
    return finish(ds, image_paths)


# ---------------------------------------------------------------------------
# text
# ---------------------------------------------------------------------------

def _paths_to_text_dataset(file_paths, labels, label_mode, num_classes, max_length, shuffle=False,
                           shuffle_buffer_size=None, seed=None):
    path_ds = TensorSliceDataset(np.array([p.encode() for p in file_paths], dtype=object))
    ds = DatasetV2.zip((path_ds, labels_to_dataset(labels, label_mode, num_classes))) if label_mode else path_ds
    if shuffle:
        ds = ds.shuffle(buffer_size=shuffle_buffer_size or 1024, seed=seed)

    def read(p):
        with open(p.decode(), "rb") as f:
            data = f.read()
        if max_length is not None:
            data = data[:max_length]
        return np.array(data, dtype=object)
    txt_spec = TensorSpec([], dtypes.string)
    if label_mode:
        return _HostMapDataset(ds, lambda e: (read(structure.host(e[0])[()]), e[1]),
                               (txt_spec, ds.element_spec[1]))
    return _HostMapDataset(ds, lambda e: read(structure.host(e)[()]), txt_spec)


def text_dataset_from_directory(directory, labels="inferred", label_mode="int", class_names=None,
                                batch_size=32, max_length=None, shuffle=True, seed=None, validation_split=None,
                                subset=None, follow_links=False, format="tf", verbose=True):
    """``keras.utils.text_dataset_from_directory``: (string, label) batches from ``.txt`` files."""
    if labels not in ("inferred", None):
        if not isinstance(labels, (list, tuple)):
            raise ValueError("`labels` argument should be a list/tuple of integer labels, of the same size as "
                             "the number of text files in the target directory. If you wish to infer the labels "
                             'from the subdirectory names in the target directory, pass `labels="inferred"`. If '
                             "you wish to get a dataset that only contains text samples (no labels), pass "
                             f"`labels=None`. Received: labels={labels}")
        if class_names:
            raise ValueError(f'You can only pass `class_names` if `labels="inferred"`. Received: labels={labels}, '
                             f"and class_names={class_names}")
    if label_mode not in {"int", "categorical", "binary", None}:
        raise ValueError('`label_mode` argument must be one of "int", "categorical", "binary", or None. '
                         f"Received: label_mode={label_mode}")
    if format != "tf":
        raise errors.unsupported(f"text_dataset_from_directory(format={format!r})", "only format='tf'")
    if labels is None or label_mode is None:
        labels = None
        label_mode = None
    check_validation_split_arg(validation_split, subset, shuffle, seed)
    if seed is None:
        seed = np.random.randint(1e6)
    file_paths, labels, class_names = index_directory(directory, labels, formats=(".txt",),
                                                      class_names=class_names, shuffle=shuffle, seed=seed,
                                                      follow_links=follow_links, verbose=verbose)
    if label_mode == "binary" and len(class_names) != 2:
        raise ValueError('When passing `label_mode="binary"`, there must be exactly 2 class_names. Received: '
                         f"class_names={class_names}")
    shuffle_buffer_size = batch_size * 8 if batch_size is not None else 1024
    num_classes = len(class_names) if class_names else 0

    def finish(ds, paths):
        if batch_size is not None:
            ds = ds.batch(batch_size)
        ds = ds.prefetch(AUTOTUNE)
        ds.class_names = class_names
        ds.file_paths = paths
        return ds

    if subset == "both":
        p_train, l_train = get_training_or_validation_split(file_paths, labels, validation_split, "training")
        p_val, l_val = get_training_or_validation_split(file_paths, labels, validation_split, "validation")
        if not p_train:
            raise ValueError(f"No training text files found in directory {directory}. Allowed format: .txt")
        if not p_val:
            raise ValueError(f"No validation text files found in directory {directory}. Allowed format: .txt")
        train = _paths_to_text_dataset(p_train, l_train, label_mode, num_classes, max_length, shuffle,
                                       shuffle_buffer_size, seed)
        val = _paths_to_text_dataset(p_val, l_val, label_mode, num_classes, max_length, False)
        return [finish(train, p_train), finish(val, p_val)]
    file_paths, labels = get_training_or_validation_split(file_paths, labels, validation_split, subset)
    if not file_paths:
        raise ValueError(f"No text files found in directory {directory}. Allowed format: .txt")
    ds = _paths_to_text_dataset(file_paths, labels, label_mode, num_classes, max_length, shuffle,
                                shuffle_buffer_size, seed)
    return finish(ds, file_paths)


# ---------------------------------------------------------------------------
# time series
# ---------------------------------------------------------------------------

class _SequenceSource(DatasetV2):
    """Random-access windows ``data[start + i*rate for i < length]`` (an indexed source)."""

    _tf_name = "_ParallelMapDataset"

    def __init__(self, data, positions, length, rate, targets):
        super().__init__()
        self._data = data
        self._pos = positions
        self._offsets = np.arange(length, dtype=np.int64) * rate
        self._targets = targets

    def _compute_spec(self):
        # Keras builds the windows with tf.range, so TF reports the window length as unknown.
        seq = TensorSpec((None,) + self._data.shape[1:], structure.leaf_dtype(self._data))
        if self._targets is None:
            return seq
        return seq, TensorSpec(self._targets.shape[1:], structure.leaf_dtype(self._targets))

    def _card(self):
        return len(self._pos)

    def _gather(self, idx):
        if isinstance(idx, range):
            idx = np.arange(idx.start, idx.stop, dtype=np.int64)
        starts = self._pos[np.asarray(idx)]
        seqs = self._data[starts[:, None] + self._offsets[None, :]]
        if self._targets is None:
            return seqs
        return seqs, self._targets[starts]

    def _indexed(self):
        n = len(self._pos)

        def chunks():
            for a in range(0, n, 1024):
                yield range(a, min(a + 1024, n))
        return self, chunks

    def _iter(self):
        from tfjax._src.data.dataset import _iter_indexed  # noqa: PLC0415
        return _iter_indexed(*self._indexed())


def _host_array(x):
    if hasattr(x, "numpy") and not isinstance(x, np.ndarray):
        return np.asarray(x.numpy())
    return np.asarray(x)


def timeseries_dataset_from_array(data, targets, sequence_length, sequence_stride=1, sampling_rate=1,
                                  batch_size=128, shuffle=False, seed=None, start_index=None, end_index=None,
                                  format="tf"):
    """``keras.utils.timeseries_dataset_from_array``: sliding windows (and targets) as batches."""
    if start_index:
        if start_index < 0:
            raise ValueError(f"`start_index` must be 0 or greater. Received: start_index={start_index}")
        if start_index >= len(data):
            raise ValueError("`start_index` must be lower than the length of the data. Received: "
                             f"start_index={start_index}, for data of length {len(data)}")
    if end_index:
        if start_index and end_index <= start_index:
            raise ValueError("`end_index` must be higher than `start_index`. Received: "
                             f"start_index={start_index}, and end_index={end_index} ")
        if end_index >= len(data):
            raise ValueError("`end_index` must be lower than the length of the data. Received: "
                             f"end_index={end_index}, for data of length {len(data)}")
        if end_index <= 0:
            raise ValueError(f"`end_index` must be higher than 0. Received: end_index={end_index}")
    if sampling_rate <= 0:
        raise ValueError(f"`sampling_rate` must be higher than 0. Received: sampling_rate={sampling_rate}")
    if sampling_rate >= len(data):
        raise ValueError("`sampling_rate` must be lower than the length of the data. Received: "
                         f"sampling_rate={sampling_rate}, for data of length {len(data)}")
    if sequence_stride <= 0:
        raise ValueError(f"`sequence_stride` must be higher than 0. Received: sequence_stride={sequence_stride}")
    if sequence_stride >= len(data):
        raise ValueError("`sequence_stride` must be lower than the length of the data. Received: "
                         f"sequence_stride={sequence_stride}, for data of length {len(data)}")
    if format != "tf":
        raise errors.unsupported(f"timeseries_dataset_from_array(format={format!r})", "only format='tf'")
    if start_index is None:
        start_index = 0
    if end_index is None:
        end_index = len(data)
    num_seqs = end_index - start_index - (sequence_length - 1) * sampling_rate
    if targets is not None:
        num_seqs = min(num_seqs, len(targets))
    index_dtype = "int32" if num_seqs < 2147483647 else "int64"
    start_positions = np.arange(0, num_seqs, sequence_stride, dtype=index_dtype)
    if shuffle:
        if seed is None:
            seed = np.random.randint(1e6)
        rng = np.random.RandomState(seed)
        rng.shuffle(start_positions)
    arr = _host_array(data)[start_index:end_index]
    tgt = None if targets is None else _host_array(targets)[start_index:]
    if arr.dtype.kind in "OSU":
        from tfjax._src.tensor import _to_string_array  # noqa: PLC0415
        arr = _to_string_array(arr)
    ds = _SequenceSource(arr, start_positions.astype(np.int64), sequence_length, sampling_rate, tgt)
    if batch_size is not None:
        if shuffle:
            ds = ds.shuffle(buffer_size=batch_size * 8, seed=seed)
        ds = ds.batch(batch_size)
    elif shuffle:
        ds = ds.shuffle(buffer_size=1024, seed=seed)
    return ds.prefetch(AUTOTUNE)


def split_dataset(dataset, left_size=None, right_size=None, shuffle=False, seed=None, preferred_backend=None):
    """``keras.utils.split_dataset`` for numpy arrays / tuples of arrays / finite Datasets.

    The splits are always ``tf.data.Dataset``s (Keras's ``"tensorflow"`` backend); ``preferred_backend``
    may be None or ``"tensorflow"``.
    """
    if preferred_backend is not None and preferred_backend != "tensorflow":
        raise NotImplementedError(
            "split_dataset: tfjax only returns tf.data Datasets; `preferred_backend` must be None or "
            f"'tensorflow'. Received: preferred_backend={preferred_backend!r}")
    if isinstance(dataset, DatasetV2):
        elems = list(dataset._elements())
        n = len(elems)
    else:
        arrays = dataset if isinstance(dataset, (tuple, list)) else (dataset,)
        arrays = [_host_array(a) for a in arrays]
        n = len(arrays[0])
    if left_size is None and right_size is None:
        raise ValueError("At least one of the `left_size` or `right_size` must be specified.")

    def count(s):
        if s is None:
            return None
        return int(round(s * n)) if isinstance(s, float) else int(s)
    lft, rgt = count(left_size), count(right_size)
    if lft is None:
        lft = n - rgt
    if rgt is None:
        rgt = n - lft
    if lft + rgt > n or lft < 0 or rgt < 0:
        raise ValueError(f"The sum of `left_size` and `right_size` should not exceed the dataset size {n}.")
    order = np.arange(n)
    if shuffle:
        if seed is None:
            seed = np.random.randint(1e6)
        np.random.RandomState(seed).shuffle(order)
    li, ri = order[:lft], order[lft:lft + rgt]
    if isinstance(dataset, DatasetV2):
        from tfjax._src.data.transformations import ElementListDataset  # noqa: PLC0415
        spec = dataset.element_spec
        return (ElementListDataset([elems[i] for i in li], spec), ElementListDataset([elems[i] for i in ri], spec))
    pick = (lambda idx: tuple(a[idx] for a in arrays)) if isinstance(dataset, (tuple, list)) \
        else (lambda idx: arrays[0][idx])
    return TensorSliceDataset(pick(li)), TensorSliceDataset(pick(ri))
