"""Keras dataset utilities: tfjax vs real Keras 3 (TensorFlow backend)."""

import os

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")
keras = pytest.importorskip("keras")

from _tfx_shim import assert_same, spec_repr  # noqa: E402

from tfjax._src.keras.preprocessing.sequence import pad_sequences  # noqa: E402
from tfjax._src.keras.preprocessing.text import Tokenizer  # noqa: E402
from tfjax._src.keras.utils import dataset_utils  # noqa: E402
from tfjax._src.keras.utils.numerical_utils import normalize, to_categorical  # noqa: E402


@pytest.fixture(scope="module")
def image_dir(tmp_path_factory):
    from PIL import Image
    d = tmp_path_factory.mktemp("imgs")
    rng = np.random.default_rng(0)
    for c in ["cat", "dog", "eel"]:
        os.makedirs(d / c)
        for i in range(4):
            Image.fromarray(rng.integers(0, 256, (20 + i, 17 + 2 * i, 3), dtype=np.uint8)).save(d / c / f"{i}.png")
    (d / "cat" / "notes.txt").write_text("ignored")
    return str(d)


def _by_content(batches):
    xs = np.concatenate([b[0] for b in batches])
    ys = np.concatenate([b[1] for b in batches])
    order = np.lexsort((ys.reshape(len(ys), -1)[:, 0], xs.reshape(len(xs), -1).sum(1)))
    return xs[order], ys[order]


@pytest.mark.parametrize("kw", [
    {},
    {"label_mode": "categorical", "color_mode": "grayscale"},
    {"interpolation": "nearest", "crop_to_aspect_ratio": True},
    {"pad_to_aspect_ratio": True, "shuffle": False},
    {"validation_split": 0.25, "subset": "validation"},
])
def test_image_dataset_from_directory(image_dir, kw):
    args = dict(image_size=(8, 6), batch_size=5, seed=3, verbose=False, **kw)
    mine = dataset_utils.image_dataset_from_directory(image_dir, **args)
    ref = keras.utils.image_dataset_from_directory(image_dir, **args)
    assert spec_repr(mine.element_spec) == spec_repr(ref.element_spec)
    assert mine.class_names == ref.class_names and mine.file_paths == ref.file_paths
    a, b = list(mine.as_numpy_iterator()), list(ref.as_numpy_iterator())
    assert [len(x[1]) for x in a] == [len(x[1]) for x in b]
    xa, ya = _by_content(a)
    xb, yb = _by_content(b)
    np.testing.assert_allclose(xa, xb, atol=1e-3)
    assert_same(ya, yb)


def test_image_dataset_both_subsets_and_no_labels(image_dir):
    tr, va = dataset_utils.image_dataset_from_directory(image_dir, image_size=(4, 4), seed=1, validation_split=0.5,
                                                        subset="both", verbose=False)
    rtr, rva = keras.utils.image_dataset_from_directory(image_dir, image_size=(4, 4), seed=1, validation_split=0.5,
                                                        subset="both", verbose=False)
    assert tr.file_paths == rtr.file_paths and va.file_paths == rva.file_paths
    nl = dataset_utils.image_dataset_from_directory(image_dir, labels=None, image_size=(4, 4), shuffle=False,
                                                    verbose=False)
    rnl = keras.utils.image_dataset_from_directory(image_dir, labels=None, image_size=(4, 4), shuffle=False,
                                                   verbose=False)
    assert spec_repr(nl.element_spec) == spec_repr(rnl.element_spec)
    np.testing.assert_allclose(np.concatenate(list(nl.as_numpy_iterator())),
                               np.concatenate(list(rnl.as_numpy_iterator())), atol=1e-3)
    with pytest.raises(ValueError):
        dataset_utils.image_dataset_from_directory(image_dir, validation_split=0.2, subset="training")


def test_text_dataset_from_directory(tmp_path):
    for c in ["neg", "pos"]:
        os.makedirs(tmp_path / c)
        for i in range(3):
            (tmp_path / c / f"{i}.txt").write_text(f"{c} review number {i} " * (i + 1))
    for kw in [{}, {"label_mode": "binary", "max_length": 10}, {"shuffle": False, "batch_size": None}]:
        args = dict(seed=5, verbose=False, **kw)
        mine = dataset_utils.text_dataset_from_directory(str(tmp_path), **args)
        ref = keras.utils.text_dataset_from_directory(str(tmp_path), **args)
        assert spec_repr(mine.element_spec) == spec_repr(ref.element_spec)
        assert mine.class_names == ref.class_names
        a = list(mine.as_numpy_iterator())
        b = list(ref.as_numpy_iterator())
        if kw.get("shuffle", True):
            flat = lambda bs: sorted((bytes(t), float(np.ravel(y)[0])) for x, ys in bs for t, y in zip(x, ys))  # noqa: E731
            assert flat(a) == flat(b)
        else:
            assert_same(a, b)


@pytest.mark.parametrize("kw", [
    dict(sequence_length=5, batch_size=4),
    dict(sequence_length=3, sequence_stride=2, sampling_rate=2, batch_size=3, start_index=2, end_index=40),
    dict(sequence_length=4, batch_size=None),
])
def test_timeseries_dataset_from_array(kw):
    data = np.arange(100, dtype=np.float32).reshape(50, 2)
    targets = np.arange(50) * 10
    mine = dataset_utils.timeseries_dataset_from_array(data, targets, **kw)
    ref = keras.utils.timeseries_dataset_from_array(data, targets, **kw)
    assert spec_repr(mine.element_spec) == spec_repr(ref.element_spec)
    assert_same(list(mine.as_numpy_iterator()), list(ref.as_numpy_iterator()))
    sh = dataset_utils.timeseries_dataset_from_array(data, None, sequence_length=5, batch_size=8, shuffle=True,
                                                     seed=3)
    rsh = keras.utils.timeseries_dataset_from_array(data, None, sequence_length=5, batch_size=8, shuffle=True,
                                                    seed=3)
    key = lambda bs: sorted(map(tuple, np.concatenate(bs)[:, :, 0].tolist()))  # noqa: E731
    assert key(list(sh.as_numpy_iterator())) == key(list(rsh.as_numpy_iterator()))


def test_numerical_and_sequence_utils():
    for x, n in [([0, 2, 1], None), (np.array([[1], [3]]), 5), ([[0, 1], [1, 0]], 2)]:
        assert_same(to_categorical(x, n), keras.utils.to_categorical(x, n))
    v = np.array([[3.0, 4.0], [0.0, 0.0]])
    assert_same(normalize(v), keras.utils.normalize(v))
    seqs = [[1, 2, 3], [4], [], [5, 6, 7, 8, 9]]
    for kw in [{}, {"maxlen": 3, "padding": "post"}, {"maxlen": 2, "truncating": "post", "value": -1},
               {"dtype": "float32"}]:
        assert_same(pad_sequences(seqs, **kw), keras.utils.pad_sequences(seqs, **kw))


def test_tokenizer_matches_keras():
    from keras.src.legacy.preprocessing.text import Tokenizer as KTokenizer
    texts = ["The cat sat on the mat.", "The dog ate my homework!", "cat & dog"]
    for kw in [{}, {"num_words": 4, "oov_token": "<unk>"}, {"char_level": True}]:
        a, b = Tokenizer(**kw), KTokenizer(**kw)
        a.fit_on_texts(texts)
        b.fit_on_texts(texts)
        assert a.word_index == b.word_index
        assert a.texts_to_sequences(texts + ["unseen words"]) == b.texts_to_sequences(texts + ["unseen words"])
        for mode in ("binary", "count", "tfidf", "freq"):
            np.testing.assert_allclose(a.texts_to_matrix(texts, mode=mode), b.texts_to_matrix(texts, mode=mode))
