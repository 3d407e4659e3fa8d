"""A ``tf``-like namespace over tfjax for the tf.data / tf.io differential tests.

Names tfjax's top level may not re-export yet (TensorSpec, train.Example, errors, ...)
come from their implementation modules; everything else from ``tfjax``.
"""

from __future__ import annotations

import types

import numpy as np

import tfjax


def _train():
    from tfjax._src.io import example  # noqa: PLC0415
    return types.SimpleNamespace(Example=example.Example, SequenceExample=example.SequenceExample,
                                 Features=example.Features, Feature=example.Feature,
                                 BytesList=example.BytesList, FloatList=example.FloatList,
                                 Int64List=example.Int64List, FeatureList=example.FeatureList,
                                 FeatureLists=example.FeatureLists)


def _sparse():
    from tfjax._src import sparse_tensor  # noqa: PLC0415
    return types.SimpleNamespace(to_dense=sparse_tensor.to_dense, SparseTensor=sparse_tensor.SparseTensor,
                                 from_dense=sparse_tensor.from_dense)


class _TFX:
    def __getattr__(self, name):
        if name == "TensorSpec":
            from tfjax._src.tensor_spec import TensorSpec  # noqa: PLC0415
            return TensorSpec
        if name == "SparseTensor":
            from tfjax._src.sparse_tensor import SparseTensor  # noqa: PLC0415
            return SparseTensor
        if name == "errors":
            from tfjax._src import errors  # noqa: PLC0415
            return errors
        if name == "train":
            return _train()
        if name == "sparse":
            return _sparse()
        return getattr(tfjax, name)


tfx = _TFX()


def plain(x):
    """numpy-ify an element / list of elements (both frameworks)."""
    if isinstance(x, dict):
        return {k: plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return type(x)(plain(v) for v in x) if not hasattr(x, "_fields") else tuple(plain(v) for v in x)
    if hasattr(x, "numpy"):
        x = x.numpy()
    if isinstance(x, np.ndarray) and x.dtype == object and x.ndim == 0:
        return x[()]
    return x


def assert_same(a, b, path="root"):
    if isinstance(a, dict):
        assert isinstance(b, dict) and set(a) == set(b), f"{path}: {a!r} vs {b!r}"
        for k in a:
            assert_same(a[k], b[k], f"{path}[{k!r}]")
        return
    if isinstance(a, (list, tuple)):
        assert isinstance(b, (list, tuple)) and len(a) == len(b), f"{path}: len {a!r} vs {b!r}"
        for i, (x, y) in enumerate(zip(a, b)):
            assert_same(x, y, f"{path}[{i}]")
        return
    if isinstance(a, (bytes, str)):
        assert a == b, f"{path}: {a!r} vs {b!r}"
        return
    a_arr, b_arr = np.asarray(a), np.asarray(b)
    assert a_arr.dtype == b_arr.dtype, f"{path}: dtype {a_arr.dtype} vs {b_arr.dtype}"
    assert a_arr.shape == b_arr.shape, f"{path}: shape {a_arr.shape} vs {b_arr.shape}"
    if a_arr.dtype.kind == "f":
        np.testing.assert_allclose(a_arr, b_arr, rtol=1e-6, atol=1e-6, err_msg=path)
    else:
        assert a_arr.tolist() == b_arr.tolist(), f"{path}: {a_arr!r} vs {b_arr!r}"


def spec_repr(spec):
    """A framework-neutral rendering of an element_spec."""
    if isinstance(spec, dict):
        return {k: spec_repr(v) for k, v in spec.items()}
    if isinstance(spec, tuple):
        return tuple(spec_repr(v) for v in spec)
    name = type(spec).__name__
    if name == "DatasetSpec":
        return ("DatasetSpec", spec_repr(spec.element_spec))
    if name == "SparseTensorSpec":
        return ("SparseTensorSpec", None if spec.shape.rank is None else tuple(spec.shape.as_list()),
                spec.dtype.name)
    return ("TensorSpec", None if spec.shape.rank is None else tuple(spec.shape.as_list()), spec.dtype.name)
