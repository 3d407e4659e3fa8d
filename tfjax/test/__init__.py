"""``tf.test``: device queries and a minimal ``TestCase``."""

from __future__ import annotations

import unittest as _unittest

import numpy as _np

from tfjax._src.config import devices as _devices


def is_built_with_cuda():
    """True when JAX's CUDA plugin is installed (tfjax's "CUDA build")."""
    return _devices._gpu_plugin_installed() and not _is_rocm()


def _is_rocm():
    import importlib.util  # noqa: PLC0415
    for m in ("jax_rocm60_plugin", "jax_rocm7_plugin", "jax_plugins.xla_rocm60", "jax_plugins.xla_rocm7"):
        try:
            if importlib.util.find_spec(m) is not None:
                return True
        except (ImportError, ValueError):
            pass
    return False


def is_built_with_rocm():
    return _is_rocm()


def is_built_with_gpu_support():
    return _devices._gpu_plugin_installed()


def is_built_with_xla():
    return True


def is_gpu_available(cuda_only=False, min_cuda_compute_capability=None):
    """Deprecated in TF (use ``tf.config.list_physical_devices('GPU')``); kept for old tests."""
    gpus = _devices.list_physical_devices("GPU")
    if not gpus:
        return False
    if cuda_only and _is_rocm():
        return False
    if min_cuda_compute_capability is not None:
        for g in gpus:
            cc = _devices.get_device_details(g).get("compute_capability")
            if cc and tuple(cc) >= tuple(min_cuda_compute_capability):
                return True
        return False
    return True


def gpu_device_name():
    """``'/device:GPU:0'`` when a GPU is available, else ``''``."""
    return "/device:GPU:0" if _devices.list_physical_devices("GPU") else ""


def is_cpu_target_available(target):
    return str(target).lower() in ("x86", "aarch64", "arm", "x86_64", "powerpc", "system_z")


def _np_value(x):
    if hasattr(x, "numpy"):
        return x.numpy()
    return _np.asarray(x)


class TestCase(_unittest.TestCase):
    """``tf.test.TestCase``: unittest with TF's array assertions."""

    def evaluate(self, tensors):
        from tfjax._src import nest  # noqa: PLC0415
        return nest.map_structure(lambda t: _np_value(t) if hasattr(t, "numpy") else t, tensors)

    def assertAllClose(self, a, b, rtol=1e-6, atol=1e-6, msg=None):
        _np.testing.assert_allclose(_np_value(a), _np_value(b), rtol=rtol, atol=atol, err_msg=msg or "")

    def assertAllEqual(self, a, b, msg=None):
        _np.testing.assert_array_equal(_np_value(a), _np_value(b), err_msg=msg or "")

    def assertNotAllClose(self, a, b, rtol=1e-6, atol=1e-6, msg=None):
        if _np.allclose(_np_value(a), _np_value(b), rtol=rtol, atol=atol):
            raise AssertionError(msg or "The two values are close at all elements.")

    def assertAllGreater(self, a, comparison_target):
        self.assertTrue(_np.all(_np_value(a) > comparison_target))

    def assertAllLess(self, a, comparison_target):
        self.assertTrue(_np.all(_np_value(a) < comparison_target))

    def assertAllInRange(self, target, lower_bound, upper_bound):
        v = _np_value(target)
        self.assertTrue(_np.all((v >= lower_bound) & (v <= upper_bound)))

    def assertShapeEqual(self, np_array, tf_tensor, msg=None):
        self.assertEqual(tuple(_np.shape(np_array)), tuple(tf_tensor.shape), msg)

    def assertDTypeEqual(self, target, expected_dtype):
        self.assertEqual(_np.asarray(_np_value(target)).dtype, _np.dtype(expected_dtype))

    assertAllCloseAccordingToType = assertAllClose


def main(argv=None):
    _unittest.main(argv=argv)
