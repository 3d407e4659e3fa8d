"""Every public name of a tfjax tf.keras namespace is one real TF/Keras has there (tf.keras is Keras 3;
``keras`` itself is consulted for names TF's tf.keras view leaves out, e.g. ``keras.saving``)."""

import importlib

import pytest

tf_real = pytest.importorskip("tensorflow")
rk = pytest.importorskip("keras")

NAMESPACES = ["", "ops", "ops.image", "ops.linalg", "ops.nn", "ops.numpy", "activations", "constraints",
              "initializers", "regularizers", "backend", "random", "config", "models", "layers", "losses", "metrics",
              "callbacks", "saving", "mixed_precision", "optimizers", "optimizers.schedules", "optimizers.legacy",
              "utils", "preprocessing", "preprocessing.sequence", "preprocessing.text", "datasets", "applications"]

# tfjax extensions, documented: docs/keras_training.md (Optax), legacy preprocessing aliases.
EXTENSIONS = {("optimizers", "OptaxOptimizer"), ("layers", "experimental")}


def _get(root, ns):
    for part in ns.split(".") if ns else []:
        root = getattr(root, part, None)
        if root is None:
            return None
    return root


@pytest.mark.parametrize("ns", sorted(NAMESPACES))
def test_every_public_name_exists_in_keras(ns):
    mod = importlib.import_module("tfjax.keras" + ("." + ns if ns else ""))
    real = set()
    for root in (tf_real.keras, rk):
        m = _get(root, ns)
        if m is not None:
            real |= {n for n in dir(m) if not n.startswith("_")}
    extra = sorted(n for n in dir(mod) if not n.startswith("_") and n not in real and (ns, n) not in EXTENSIONS)
    assert not extra, f"tf.keras.{ns} exports names Keras does not have: {extra}"
