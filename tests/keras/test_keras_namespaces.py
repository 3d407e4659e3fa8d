"""tf.keras.* namespaces export only their API: no imported helper modules (jax, numpy), no private
helpers of the implementation, and every listed name resolves."""

import importlib
import types

import pytest

import tfjax.keras as K

NAMESPACES = {
    "": ("layers", "models", "initializers", "activations", "regularizers", "constraints", "backend", "ops",
         "random", "config", "optimizers", "losses", "metrics", "callbacks", "utils", "datasets", "preprocessing",
         "mixed_precision", "saving", "applications"),
    "ops": ("image", "linalg", "nn", "numpy"),
    "ops.image": (), "ops.linalg": (), "ops.nn": (), "ops.numpy": (),
    "activations": (), "constraints": (), "initializers": (), "regularizers": (), "backend": (), "random": (),
    "config": (), "models": (),
    "layers": ("experimental",),
    "losses": (), "metrics": (), "callbacks": (), "saving": (), "mixed_precision": (),
    "optimizers": ("legacy", "schedules"), "optimizers.schedules": (), "optimizers.legacy": (),
    "utils": ("bounding_boxes", "legacy"),
    "preprocessing": ("image", "sequence", "text"), "preprocessing.sequence": (), "preprocessing.text": (),
}
# What an implementation module typically imports or defines for itself.
INTERNAL = {"jax", "jnp", "np", "lax", "Tensor", "annotations", "apply", "apply_unrecorded", "keras_op", "t", "t1",
            "np_dtype", "inspect", "math", "re", "nest", "dispatch", "convert_to_tensor_", "backend_", "builtins",
            "collections", "threading", "functools"}


def _module(ns):
    return importlib.import_module("tfjax.keras" + ("." + ns if ns else ""))


@pytest.mark.parametrize("ns", sorted(NAMESPACES))
def test_public_names_are_api(ns):
    mod = _module(ns)
    names = [n for n in dir(mod) if not n.startswith("_")]
    assert names
    for name in names:
        value = getattr(mod, name)
        if isinstance(value, types.ModuleType):
            assert name in NAMESPACES[ns], f"tf.keras.{ns}.{name} is a module"
            assert value.__name__.startswith("tfjax."), value
        else:
            assert name not in INTERNAL, f"tf.keras.{ns}.{name} is an implementation detail"
            assert getattr(value, "__module__", "tfjax").startswith("tfjax"), (ns, name, value)


@pytest.mark.parametrize("ns,hidden", [
    ("ops", "keras_op"), ("ops.numpy", "jnp"), ("ops.nn", "apply"), ("losses", "EPSILON"), ("layers", "NN"),
    ("initializers", "compute_fans"), ("optimizers", "base"), ("utils", "dataset_utils"), ("saving", "saving_lib"),
])
def test_implementation_details_are_not_attributes(ns, hidden):
    with pytest.raises(AttributeError):
        getattr(_module(ns), hidden)


def test_ops_submodules_are_the_public_thin_modules():
    assert K.ops.numpy.__name__ == "tfjax.keras.ops.numpy"
    assert K.ops.nn.conv is K.ops.conv
    assert K.ops.linalg.qr is K.ops.qr
    assert K.ops.while_loop.__module__ == "tfjax._src.keras.ops.control_flow"
