"""keras.datasets loaders on locally generated cache files (no network), and the offline error."""

import gzip
import hashlib
import io
import os
import pickle
import tarfile

import numpy as np
import pytest

from tfjax._src.keras.datasets import (_download, boston_housing, cifar10, cifar100, fashion_mnist, imdb,
                                       mnist, reuters)


def sha256(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "kh"))
    d = tmp_path / "kh" / "datasets"
    d.mkdir(parents=True)
    return d


def test_mnist_from_cache(home, monkeypatch):
    rng = np.random.default_rng(0)
    arrs = {"x_train": rng.integers(0, 256, (5, 28, 28), dtype=np.uint8), "y_train": np.arange(5, dtype=np.uint8),
            "x_test": rng.integers(0, 256, (2, 28, 28), dtype=np.uint8), "y_test": np.arange(2, dtype=np.uint8)}
    np.savez(home / "mnist.npz", **arrs)
    monkeypatch.setattr(mnist, "FILE_HASH", sha256(home / "mnist.npz"))
    (xt, yt), (xs, ys) = mnist.load_data()
    np.testing.assert_array_equal(xt, arrs["x_train"])
    assert ys.tolist() == [0, 1] and xt.dtype == np.uint8


def test_offline_and_not_cached_is_a_clear_error(home, monkeypatch):
    monkeypatch.setattr(mnist, "ORIGIN", "http://127.0.0.1:9/mnist.npz")
    with pytest.raises(_download.DatasetDownloadError, match="not in the local cache"):
        mnist.load_data()
    assert not os.path.exists(home / "mnist.npz")
    assert [f for f in os.listdir(home) if f.startswith(".")] == []


def test_hash_mismatch_triggers_redownload(home, monkeypatch, capsys):
    np.savez(home / "mnist.npz", x_train=np.zeros(1))
    monkeypatch.setattr(mnist, "ORIGIN", "http://127.0.0.1:9/mnist.npz")
    with pytest.raises(_download.DatasetDownloadError):
        mnist.load_data()
    assert "hash does not match" in capsys.readouterr().out


def test_fashion_mnist_from_cache(home):
    d = home / "fashion-mnist"
    d.mkdir()

    def write(name, header, payload):
        with gzip.open(d / name, "wb") as f:
            f.write(b"\0" * header + payload)
    labels = np.array([3, 1, 4], np.uint8)
    imgs = np.arange(3 * 784, dtype=np.uint32).astype(np.uint8)
    write("train-labels-idx1-ubyte.gz", 8, labels.tobytes())
    write("train-images-idx3-ubyte.gz", 16, imgs.tobytes())
    write("t10k-labels-idx1-ubyte.gz", 8, labels[:1].tobytes())
    write("t10k-images-idx3-ubyte.gz", 16, imgs[:784].tobytes())
    (xt, yt), (xs, ys) = fashion_mnist.load_data()
    assert xt.shape == (3, 28, 28) and yt.tolist() == [3, 1, 4] and xs.shape == (1, 28, 28)


def _cifar_archive(path, inner, files):
    with tarfile.open(path, "w:gz") as t:
        for name, obj in files.items():
            data = pickle.dumps(obj, protocol=4)
            info = tarfile.TarInfo(f"{inner}/{name}")
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))


def test_cifar10_from_cache(home, monkeypatch):
    rng = np.random.default_rng(1)
    files = {}
    for i in range(1, 6):
        files[f"data_batch_{i}"] = {b"data": rng.integers(0, 256, (2, 3072), dtype=np.uint8), b"labels": [i, i + 1]}
    files["test_batch"] = {b"data": rng.integers(0, 256, (2, 3072), dtype=np.uint8), b"labels": [0, 9]}
    arch = home / "cifar-10-batches-py-target_archive"
    _cifar_archive(arch, "cifar-10-batches-py", files)
    monkeypatch.setattr(cifar10, "FILE_HASH", sha256(arch))
    (xt, yt), (xs, ys) = cifar10.load_data()
    assert xt.shape == (10, 32, 32, 3) and yt.shape == (10, 1) and ys.ravel().tolist() == [0, 9]
    np.testing.assert_array_equal(xt[0], files["data_batch_1"][b"data"][0].reshape(3, 32, 32).transpose(1, 2, 0))
    # second call uses the extracted directory
    (xt2, _), _ = cifar10.load_data()
    np.testing.assert_array_equal(xt, xt2)


def test_cifar100_from_cache(home, monkeypatch):
    rng = np.random.default_rng(2)
    mk = lambda n: {b"data": rng.integers(0, 256, (n, 3072), dtype=np.uint8),  # noqa: E731
                    b"fine_labels": list(range(n)), b"coarse_labels": [0] * n}
    arch = home / "cifar-100-python-target_archive"
    _cifar_archive(arch, "cifar-100-python", {"train": mk(3), "test": mk(2)})
    monkeypatch.setattr(cifar100, "FILE_HASH", sha256(arch))
    (xt, yt), _ = cifar100.load_data(label_mode="fine")
    assert yt.ravel().tolist() == [0, 1, 2] and xt.shape == (3, 32, 32, 3)
    (_, yc), _ = cifar100.load_data(label_mode="coarse")
    assert yc.ravel().tolist() == [0, 0, 0]
    with pytest.raises(ValueError):
        cifar100.load_data(label_mode="x")


def test_boston_imdb_reuters_from_cache(home, monkeypatch):
    np.savez(home / "boston_housing.npz", x=np.arange(20.0).reshape(10, 2), y=np.arange(10.0))
    monkeypatch.setattr(boston_housing, "FILE_HASH", sha256(home / "boston_housing.npz"))
    (xt, yt), (xs, ys) = boston_housing.load_data()
    assert xt.shape == (8, 2) and xs.shape == (2, 2)
    assert sorted(np.concatenate([yt, ys]).tolist()) == list(range(10))

    seqs = np.empty(4, dtype=object)
    seqs[:] = [[1, 2, 3], [4, 5], [6], [7, 8, 9, 10]]
    np.savez(home / "imdb.npz", x_train=seqs, y_train=np.array([0, 1, 0, 1]), x_test=seqs[:2],
             y_test=np.array([1, 0]))
    monkeypatch.setattr(imdb, "FILE_HASH", sha256(home / "imdb.npz"))
    (xt, yt), (xs, ys) = imdb.load_data(num_words=10)
    assert len(xt) == 4 and all(x[0] == 1 for x in xt) and all(w < 10 for x in xt for w in x)
    (xt, yt), _ = imdb.load_data(maxlen=4)
    assert all(len(x) < 4 for x in xt)

    np.savez(home / "reuters.npz", x=seqs, y=np.array([0, 1, 2, 3]))
    monkeypatch.setattr(reuters, "FILE_HASH", sha256(home / "reuters.npz"))
    (xt, yt), (xs, ys) = reuters.load_data(test_split=0.25)
    assert len(xt) == 3 and len(xs) == 1 and reuters.get_label_names()[3] == "earn"
