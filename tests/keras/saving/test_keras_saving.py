"""Keras saving in tfjax: .keras archives, .weights.h5, legacy .h5, JSON, custom objects, safety."""

import io
import json
import os
import zipfile

import h5py
import numpy as np
import pytest

from tfjax._src.keras import layers
from tfjax._src.keras.models import Model, Sequential
from tfjax._src.keras.saving import (
    CustomObjectScope, deserialize_keras_object, get_custom_objects, load_model, load_weights, model_from_json,
    model_to_json, register_keras_serializable, save_model, save_weights, serialize_keras_object,
)
from tfjax._src.keras.saving import saving_lib


def _x(n=5, d=3, seed=0):
    return np.random.RandomState(seed).randn(n, d).astype(np.float32)


def _seq():
    return Sequential([layers.Input((3,)), layers.Dense(4, activation="relu"), layers.Dense(2)])


def _functional():
    inp = layers.Input((3,), name="x")
    h = layers.Dense(4, activation="tanh")(inp)
    out = layers.Dense(2)(h)
    m = Model(inp, out)
    try:
        m.get_config()
    except (ImportError, NotImplementedError) as e:  # Functional config still being written
        pytest.skip(f"Functional.get_config not available yet: {e}")
    return m


def _pred(m, x):
    return np.asarray(m(x))


@pytest.mark.parametrize("make", [_seq, _functional], ids=["sequential", "functional"])
def test_keras_archive_roundtrip(tmp_path, make):
    m = make()
    x = _x()
    ref = _pred(m, x)
    path = str(tmp_path / "m.keras")
    save_model(m, path)
    m2 = load_model(path)
    assert type(m2).__name__ == type(m).__name__
    np.testing.assert_allclose(_pred(m2, x), ref, rtol=1e-6, atol=1e-6)
    assert [tuple(w.shape.as_list()) for w in m2.weights] == [tuple(w.shape.as_list()) for w in m.weights]


def test_keras_archive_layout(tmp_path):
    m = _seq()
    path = str(tmp_path / "m.keras")
    save_model(m, path)
    with zipfile.ZipFile(path) as zf:
        assert sorted(zf.namelist()) == ["config.json", "metadata.json", "model.weights.h5"]
        assert all(i.compress_type == zipfile.ZIP_STORED for i in zf.infolist())
        meta = json.loads(zf.read("metadata.json"))
        assert set(meta) == {"keras_version", "date_saved"}
        config = json.loads(zf.read("config.json"))
        assert config["class_name"] == "Sequential" and config["module"] == "keras"
        weights = zf.read("model.weights.h5")
    names = []
    with h5py.File(io.BytesIO(weights), "r") as f:
        f.visititems(lambda n, o: names.append(n))
        assert f["layers/dense/vars"].attrs["name"] == m.layers[0].name
    assert names == ["layers", "layers/dense", "layers/dense/vars", "layers/dense/vars/0", "layers/dense/vars/1",
                     "layers/dense_1", "layers/dense_1/vars", "layers/dense_1/vars/0", "layers/dense_1/vars/1",
                     "vars"]


def test_weights_h5_roundtrip_and_layout(tmp_path):
    m = _seq()
    x = _x()
    path = str(tmp_path / "w.weights.h5")
    save_weights(m, path)
    with h5py.File(path, "r") as f:
        np.testing.assert_array_equal(f["layers/dense/vars/0"][()], m.layers[0].kernel.numpy())
    m2 = _seq()
    load_weights(m2, path)
    np.testing.assert_allclose(_pred(m2, x), _pred(m, x), rtol=1e-6)
    # the weights part of a .keras file loads too
    save_model(m, str(tmp_path / "m.keras"))
    m3 = _seq()
    load_weights(m3, str(tmp_path / "m.keras"))
    np.testing.assert_allclose(_pred(m3, x), _pred(m, x), rtol=1e-6)


def test_subclassed_attribute_paths(tmp_path):
    class Sub(layers.Layer):  # (a Model subclass recurses in Model.build for now)
        def __init__(self):
            super().__init__()
            self.d1 = layers.Dense(3)
            self.blocks = [layers.Dense(2), layers.Dense(2)]

        def call(self, x):
            return self.blocks[1](self.blocks[0](self.d1(x)))

    m = Sub()
    x = _x()
    m(x)
    path = str(tmp_path / "s.weights.h5")
    save_weights(m, path)
    names = []
    with h5py.File(path, "r") as f:
        f.visititems(lambda n, o: names.append(n) if isinstance(o, h5py.Dataset) else None)
    assert sorted(names) == ["blocks/dense/vars/0", "blocks/dense/vars/1", "blocks/dense_1/vars/0",
                             "blocks/dense_1/vars/1", "d1/vars/0", "d1/vars/1"]
    m2 = Sub()
    m2(x)
    load_weights(m2, path)
    np.testing.assert_allclose(_pred(m2, x), _pred(m, x), rtol=1e-6)


def test_weights_filename_rules(tmp_path):
    m = _seq()
    with pytest.raises(ValueError, match=r"must end in `\.weights\.h5`"):
        save_weights(m, str(tmp_path / "weights.tf"))
    with pytest.raises(ValueError, match="File format not supported"):
        load_weights(m, str(tmp_path / "weights.tf"))
    with pytest.raises(ValueError, match="Invalid filepath extension"):
        save_model(m, str(tmp_path / "my_model"))
    with pytest.raises(ValueError, match="File format not supported"):
        load_model(str(tmp_path / "my_model"))
    with pytest.raises(ValueError, match="File not found"):
        load_model(str(tmp_path / "missing.keras"))


def test_unbuilt_model_weights_error(tmp_path):
    m = Sequential([layers.Dense(2)])
    with pytest.raises(ValueError, match="not yet been built"):
        save_weights(m, str(tmp_path / "w.weights.h5"))


def test_legacy_h5_roundtrip(tmp_path):
    m = _seq()
    x = _x()
    path = str(tmp_path / "m.h5")
    save_model(m, path)
    with h5py.File(path, "r") as f:
        cfg = json.loads(f.attrs["model_config"])
        assert cfg["class_name"] == "Sequential"
        g = f["model_weights"]
        names = [n.decode() if isinstance(n, bytes) else n for n in g.attrs["layer_names"]]
        assert names == [layer.name for layer in m.layers]
        wn = [n.decode() if isinstance(n, bytes) else n for n in g[names[0]].attrs["weight_names"]]
        assert wn[0].endswith("kernel")
    m2 = load_model(path, compile=False)
    np.testing.assert_allclose(_pred(m2, x), _pred(m, x), rtol=1e-6)
    m3 = _seq()
    load_weights(m3, path)
    np.testing.assert_allclose(_pred(m3, x), _pred(m, x), rtol=1e-6)


def test_legacy_h5_by_name(tmp_path):
    a = Sequential([layers.Input((3,)), layers.Dense(4, name="first"), layers.Dense(2, name="second")])
    path = str(tmp_path / "a.h5")
    save_model(a, path)
    b = Sequential([layers.Input((3,)), layers.Dense(4, name="first"), layers.Dense(2, name="other")])
    before = b.layers[1].kernel.numpy().copy()
    load_weights(b, path, by_name=True)
    np.testing.assert_array_equal(b.layers[0].kernel.numpy(), a.layers[0].kernel.numpy())
    np.testing.assert_array_equal(b.layers[1].kernel.numpy(), before)


@register_keras_serializable(package="TfjaxTest")
class Scale(layers.Layer):
    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="w")

    def call(self, x):
        return x * self.w * self.factor

    def get_config(self):
        cfg = super().get_config()
        cfg["factor"] = self.factor
        return cfg


class Unregistered(Scale):
    pass


def test_registered_custom_layer(tmp_path):
    assert get_custom_objects()["TfjaxTest>Scale"] is Scale
    m = Sequential([layers.Input((3,)), Scale(3.0), layers.Dense(2)])
    m.layers[0].w.assign(np.array([1.0, 2.0, 3.0], np.float32))
    cfg = serialize_keras_object(m.layers[0])
    assert cfg["registered_name"] == "TfjaxTest>Scale"
    path = str(tmp_path / "c.keras")
    save_model(m, path)
    m2 = load_model(path)
    assert isinstance(m2.layers[0], Scale) and m2.layers[0].factor == 3.0
    np.testing.assert_allclose(_pred(m2, _x()), _pred(m, _x()), rtol=1e-6)


def test_custom_objects_and_scope(tmp_path):
    layer = Unregistered(1.5)
    layer.build((None, 3))
    cfg = serialize_keras_object(layer)
    with pytest.raises(TypeError, match="Could not locate class"):
        deserialize_keras_object(cfg)
    assert type(deserialize_keras_object(cfg, custom_objects={"Unregistered": Unregistered})) is Unregistered
    with CustomObjectScope({"Unregistered": Unregistered}):
        assert type(deserialize_keras_object(cfg)) is Unregistered
    m = Sequential([layers.Input((3,)), Unregistered(1.5)])
    path = str(tmp_path / "u.keras")
    save_model(m, path)
    m2 = load_model(path, custom_objects={"Unregistered": Unregistered})
    assert type(m2.layers[0]) is Unregistered


def test_lambda_needs_unsafe_mode(tmp_path):
    m = Sequential([layers.Input((3,)), layers.Lambda(lambda t: t * 2.0)])
    x = _x()
    for name in ("l.keras", "l.h5"):
        path = str(tmp_path / name)
        save_model(m, path)
        with pytest.raises(ValueError, match="safe_mode=False"):
            load_model(path)
    m2 = load_model(str(tmp_path / "l.keras"), safe_mode=False)
    np.testing.assert_allclose(_pred(m2, x), x * 2.0, rtol=1e-6)
    with pytest.raises(ValueError, match="safe_mode=False"):
        model_from_json(model_to_json(m))


def test_to_json_roundtrip():
    m = _functional()
    s = model_to_json(m)
    cfg = json.loads(s)
    assert cfg["class_name"] == "Functional"
    m2 = model_from_json(s)
    assert [tuple(w.shape.as_list()) for w in m2.weights] == [tuple(w.shape.as_list()) for w in m.weights]


def test_serialize_special_values():
    for v in [(1, 2), b"ab", np.arange(3, dtype=np.int32), slice(1, 5, 2), Ellipsis, {"a": [1, (2, 3)]}]:
        out = deserialize_keras_object(serialize_keras_object(v))
        if isinstance(v, np.ndarray):
            np.testing.assert_array_equal(out, v)
        elif isinstance(v, tuple):
            assert tuple(out) == v
        elif isinstance(v, dict):
            assert out["a"][0] == 1 and tuple(out["a"][1]) == (2, 3)
        else:
            assert out == v


# -- safety / corruption -------------------------------------------------------------------

def _saved(tmp_path):
    m = _seq()
    path = str(tmp_path / "m.keras")
    save_model(m, path)
    return m, path


def test_truncated_keras_file(tmp_path):
    _, path = _saved(tmp_path)
    raw = open(path, "rb").read()
    for cut in (len(raw) // 2, len(raw) - 30, 100):
        bad = str(tmp_path / f"cut{cut}.keras")
        open(bad, "wb").write(raw[:cut])
        with pytest.raises(ValueError, match=f"cut{cut}.keras"):
            load_model(bad)


def test_corrupted_keras_member(tmp_path):
    _, path = _saved(tmp_path)
    raw = bytearray(open(path, "rb").read())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("model.weights.h5")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    raw[start + info.compress_size // 2] ^= 0xFF
    bad = str(tmp_path / "crc.keras")
    open(bad, "wb").write(bytes(raw))
    with pytest.raises(ValueError, match="crc.keras"):
        load_model(bad)


def test_keras_missing_member_and_bad_json(tmp_path):
    p = str(tmp_path / "nocfg.keras")
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("metadata.json", "{}")
    with pytest.raises(ValueError, match="config.json"):
        load_model(p)
    p = str(tmp_path / "badjson.keras")
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("config.json", "{not json")
        zf.writestr("model.weights.h5", b"")
    with pytest.raises(ValueError, match="not valid JSON"):
        load_model(p)


def test_zip_slip_member_rejected(tmp_path):
    m, path = _saved(tmp_path)
    bad = str(tmp_path / "slip.keras")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(bad, "w") as dst:
        for n in src.namelist():
            dst.writestr(n, src.read(n))
        dst.writestr("assets/../../evil.txt", "x")
    with pytest.raises(ValueError, match="Unsafe member path"):
        load_model(bad)
    assert not (tmp_path.parent / "evil.txt").exists()
    for name in ("/abs/path", "C:/x", "a\\..\\b", "../up"):
        with pytest.raises(ValueError):
            saving_lib.validate_member_name(name, "x.keras")


def test_failed_load_weights_leaves_model_untouched(tmp_path):
    src = _seq()
    path = str(tmp_path / "w.weights.h5")
    save_weights(src, path)
    with h5py.File(path, "a") as f:  # second layer's kernel gets the wrong shape
        del f["layers/dense_1/vars/0"]
        f["layers/dense_1/vars/0"] = np.zeros((5, 5), np.float32)
    dst = _seq()
    before = [w.numpy().copy() for w in dst.weights]
    with pytest.raises(ValueError, match="w.weights.h5"):
        load_weights(dst, path)
    for w, b in zip(dst.weights, before):
        np.testing.assert_array_equal(w.numpy(), b)  # the first layer was rolled back too


def test_truncated_h5_files(tmp_path):
    m = _seq()
    for name, saver in (("w.weights.h5", save_weights), ("m.h5", save_model)):
        path = str(tmp_path / name)
        saver(m, path)
        raw = open(path, "rb").read()
        open(path, "wb").write(raw[: len(raw) // 3])
        with pytest.raises(ValueError, match=name.replace(".", r"\.")):
            if name.endswith(".weights.h5"):
                load_weights(_seq(), path)
            else:
                load_model(path)


def test_failed_save_keeps_previous_file(tmp_path, monkeypatch):
    m, path = _saved(tmp_path)
    before = open(path, "rb").read()

    def boom(*a, **k):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(saving_lib, "_weights_h5_bytes", boom)
    with pytest.raises(RuntimeError):
        save_model(m, path)
    assert open(path, "rb").read() == before
    assert sorted(os.listdir(tmp_path)) == ["m.keras"]


def test_clone_model_sequential(tmp_path):
    from tfjax._src.keras.saving import clone_model
    m = _seq()
    c = clone_model(m)
    assert c is not m and [type(l) for l in c.layers] == [type(l) for l in m.layers]
    assert [tuple(w.shape.as_list()) for w in c.weights] == [tuple(w.shape.as_list()) for w in m.weights]
    assert not np.array_equal(c.layers[0].kernel.numpy(), m.layers[0].kernel.numpy())  # fresh weights
    path = str(tmp_path / "w.weights.h5")
    save_weights(m, path)
    load_weights(c, path)
    np.testing.assert_allclose(_pred(c, _x()), _pred(m, _x()), rtol=1e-6)
    seen = []
    clone_model(m, clone_function=lambda layer: seen.append(layer.name) or layer.__class__.from_config(
        layer.get_config()))
    assert seen == [layer.name for layer in m.layers]


class Vocab(layers.Layer):
    """A layer with assets (like a lookup layer's vocabulary)."""

    def __init__(self, vocab=None, **kwargs):
        super().__init__(**kwargs)
        self.vocab = list(vocab or [])

    def call(self, x):
        return x

    def save_assets(self, dir_path):
        with open(os.path.join(dir_path, "vocab.txt"), "w") as f:
            f.write("\n".join(self.vocab))

    def load_assets(self, dir_path):
        with open(os.path.join(dir_path, "vocab.txt")) as f:
            self.vocab = f.read().split("\n")

    def get_config(self):
        return super().get_config()  # the vocabulary travels as an asset, not in the config


def test_assets_roundtrip(tmp_path):
    m = Sequential([layers.Input((3,)), Vocab(["a", "b", "c"])])
    path = str(tmp_path / "v.keras")
    save_model(m, path)
    with zipfile.ZipFile(path) as zf:
        assert "assets/layers/vocab/vocab.txt" in zf.namelist()
    m2 = load_model(path, custom_objects={"Vocab": Vocab})
    assert m2.layers[0].vocab == ["a", "b", "c"]
