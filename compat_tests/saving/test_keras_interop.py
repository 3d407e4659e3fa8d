"""Models saved by tfjax load in real Keras 3 with equal predictions, and the other way round."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from tfjax._src.keras import layers as tl  # noqa: E402
from tfjax._src.keras.models import Model as TModel, Sequential as TSequential  # noqa: E402
from tfjax._src.keras.saving import load_model as t_load_model, load_weights as t_load_weights  # noqa: E402
from tfjax._src.keras.saving import save_model as t_save_model, save_weights as t_save_weights  # noqa: E402

X = np.random.RandomState(0).randn(6, 3).astype(np.float32)


def _tfjax_seq():
    return TSequential([tl.Input((3,)), tl.Dense(4, activation="relu"), tl.Dense(2, activation="sigmoid")])


def _keras_seq():
    return keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="relu"),
                             keras.layers.Dense(2, activation="sigmoid")])


def _tfjax_functional():
    inp = tl.Input((3,), name="x")
    out = tl.Dense(2)(tl.Dense(4, activation="tanh")(inp))
    m = TModel(inp, out)
    try:
        m.get_config()
    except (ImportError, NotImplementedError) as e:
        pytest.skip(f"tfjax Functional.get_config not available yet: {e}")
    return m


def _keras_functional():
    inp = keras.Input((3,), name="x")
    out = keras.layers.Dense(2)(keras.layers.Dense(4, activation="tanh")(inp))
    return keras.Model(inp, out)


def _tpred(m):
    return np.asarray(m(X))


def _kpred(m):
    return np.asarray(m.predict(X, verbose=0))


@pytest.mark.parametrize("ext", [".keras", ".h5"])
@pytest.mark.parametrize("kind", ["sequential", "functional"])
def test_tfjax_model_loads_in_keras(tmp_path, ext, kind):
    m = _tfjax_seq() if kind == "sequential" else _tfjax_functional()
    path = str(tmp_path / ("m" + ext))
    t_save_model(m, path)
    k = keras.models.load_model(path)
    np.testing.assert_allclose(_kpred(k), _tpred(m), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("ext", [".keras", ".h5"])
@pytest.mark.parametrize("kind", ["sequential", "functional"])
def test_keras_model_loads_in_tfjax(tmp_path, ext, kind):
    if kind == "functional":
        _tfjax_functional()  # skips while tfjax's Functional config is unavailable
    k = _keras_seq() if kind == "sequential" else _keras_functional()
    path = str(tmp_path / ("k" + ext))
    k.save(path)
    m = t_load_model(path)
    np.testing.assert_allclose(_tpred(m), _kpred(k), rtol=1e-5, atol=1e-6)


def test_weights_h5_both_ways(tmp_path):
    m = _tfjax_seq()
    k = _keras_seq()
    p1 = str(tmp_path / "t.weights.h5")
    t_save_weights(m, p1)
    k.load_weights(p1)
    np.testing.assert_allclose(_kpred(k), _tpred(m), rtol=1e-5, atol=1e-6)
    k2 = _keras_seq()
    p2 = str(tmp_path / "k.weights.h5")
    k2.save_weights(p2)
    t_load_weights(m, p2)
    np.testing.assert_allclose(_tpred(m), _kpred(k2), rtol=1e-5, atol=1e-6)


def test_legacy_h5_weights_from_keras(tmp_path):
    k = _keras_seq()
    p = str(tmp_path / "k.h5")
    k.save(p)
    m = _tfjax_seq()
    t_load_weights(m, p)
    np.testing.assert_allclose(_tpred(m), _kpred(k), rtol=1e-5, atol=1e-6)


def test_keras_rejects_nothing_we_write_in_safe_mode(tmp_path):
    """A tfjax .keras file without lambdas loads in Keras with its default safe_mode=True."""
    m = _tfjax_seq()
    path = str(tmp_path / "safe.keras")
    t_save_model(m, path)
    keras.saving.load_model(path, safe_mode=True)
