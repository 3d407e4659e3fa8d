"""``keras.datasets.reuters``."""

import json

import numpy as np

from tfjax._src.keras.datasets._download import get_file
from tfjax._src.keras.datasets._npz import load_npz, remove_long_seq

BASE = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
FILE_HASH = "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916"
INDEX_HASH = "4d44cc38712099c9e383dc6e5f11a921"

_LABELS = ("cocoa", "grain", "veg-oil", "earn", "acq", "wheat", "copper", "housing", "money-supply", "coffee",
           "sugar", "trade", "reserves", "ship", "cotton", "carcass", "crude", "nat-gas", "cpi", "money-fx",
           "interest", "gnp", "meal-feed", "alum", "oilseed", "gold", "tin", "strategic-metal", "livestock",
           "retail", "ipi", "iron-steel", "rubber", "heat", "jobs", "lei", "bop", "zinc", "orange", "pet-chem",
           "dlr", "gas", "silver", "wpi", "hog", "lead")


def load_data(path="reuters.npz", num_words=None, skip_top=0, maxlen=None, test_split=0.2, seed=113,
              start_char=1, oov_char=2, index_from=3):
    path = get_file(fname=path, origin=BASE + "reuters.npz", file_hash=FILE_HASH)
    f = load_npz(path)
    xs, labels = f["x"], f["y"]
    indices = np.arange(len(xs))
    np.random.RandomState(seed).shuffle(indices)
    xs, labels = xs[indices], labels[indices]
    if start_char is not None:
        xs = [[start_char] + [w + index_from for w in x] for x in xs]
    elif index_from:
        xs = [[w + index_from for w in x] for x in xs]
    else:
        xs = [list(x) for x in xs]
    if maxlen:
        xs, labels = remove_long_seq(maxlen, xs, labels)
    if not num_words:
        num_words = max(max(x) for x in xs)
    if oov_char is not None:
        xs = [[w if skip_top <= w < num_words else oov_char for w in x] for x in xs]
    else:
        xs = [[w for w in x if skip_top <= w < num_words] for x in xs]
    idx = int(len(xs) * (1 - test_split))
    x_tr = np.empty(idx, dtype="object")
    x_tr[:] = xs[:idx]
    x_te = np.empty(len(xs) - idx, dtype="object")
    x_te[:] = xs[idx:]
    return (x_tr, np.array(labels[:idx])), (x_te, np.array(labels[idx:]))


def get_word_index(path="reuters_word_index.json"):
    path = get_file(path, origin=BASE + "reuters_word_index.json", file_hash=INDEX_HASH)
    with open(path) as f:
        return json.load(f)


def get_label_names():
    return _LABELS
