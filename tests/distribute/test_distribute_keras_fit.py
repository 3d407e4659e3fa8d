"""Keras Model.fit under MirroredStrategy gives the single-device weights (8 virtual CPUs)."""

import os as _os
import sys as _sys

import pytest

_sys.path.insert(0, _os.path.dirname(_os.path.dirname(_os.path.abspath(__file__))))
from _virtual_devices import last_json, run_code  # noqa: E402


def test_fit_under_mirrored_strategy_matches_single_device():
    try:
        from tfjax._src.keras.trainers import trainer
        if not hasattr(trainer.Trainer, "fit"):
            raise ImportError
    except (ImportError, AttributeError):
        pytest.skip("Keras Model.fit is not available yet")
    out = last_json(run_code("""
        import json
        import numpy as np
        import tfjax as tf
        import tfjax.distribute as D
        import tfjax.keras as keras
        rng = np.random.RandomState(0)
        x = rng.rand(64, 8).astype("float32")
        y = rng.randint(0, 3, 64)

        def build():
            return keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"),
                                     keras.layers.Dense(3)])

        def train(model):
            model.compile(optimizer=keras.optimizers.SGD(0.1),
                          loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
            model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)

        ref = build()
        w0 = [w.numpy() for w in ref.weights]
        train(ref)
        s = D.MirroredStrategy()
        with s.scope():
            m = build()
        specs = [str(w._value.sharding.spec) for w in m.weights]
        for w, v in zip(m.weights, w0):
            w.assign(v)
        with s.scope():
            train(m)
        print(json.dumps({"n": s.num_replicas_in_sync, "specs": specs,
                          "diff": max(float(np.abs(a.numpy() - b.numpy()).max())
                                      for a, b in zip(ref.weights, m.weights))}))
    """))
    assert out["n"] == 8
    assert out["specs"] == ["P()"] * 4
    assert out["diff"] < 1e-5
