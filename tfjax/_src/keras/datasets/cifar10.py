"""``keras.datasets.cifar10``."""

import os

import numpy as np

from tfjax._src.keras.datasets._download import get_file
from tfjax._src.keras.datasets._npz import load_batch

ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
FILE_HASH = "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce"


def _channels_last():
    try:
        from tfjax._src.keras import backend  # noqa: PLC0415
        return backend.image_data_format() == "channels_last"
    except (ImportError, AttributeError):
        return True


def load_data():
    """Returns ``(x_train, y_train), (x_test, y_test)``: uint8 images [N, 32, 32, 3]
    (channels_last) and uint8 labels [N, 1]."""
    path = get_file(fname="cifar-10-batches-py-target", origin=ORIGIN, extract=True, file_hash=FILE_HASH)
    path = os.path.join(path, "cifar-10-batches-py")
    num_train_samples = 50000
    x_train = np.empty((num_train_samples, 3, 32, 32), dtype="uint8")
    y_train = np.empty((num_train_samples,), dtype="uint8")
    for i in range(1, 6):
        data, labels = load_batch(os.path.join(path, f"data_batch_{i}"))
        n = len(data)
        x_train[(i - 1) * n:i * n], y_train[(i - 1) * n:i * n] = data, labels
    total = 5 * n
    x_train, y_train = x_train[:total], y_train[:total]
    x_test, y_test = load_batch(os.path.join(path, "test_batch"))
    y_train = np.reshape(y_train, (len(y_train), 1))
    y_test = np.reshape(y_test, (len(y_test), 1))
    if _channels_last():
        x_train = x_train.transpose(0, 2, 3, 1)
        x_test = x_test.transpose(0, 2, 3, 1)
    return (x_train, y_train), (x_test.astype(x_train.dtype), y_test.astype(y_train.dtype))
