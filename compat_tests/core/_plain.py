"""Snippet helpers shared by the namespace differential tests: composite tensors -> plain parts."""

from __future__ import annotations

import numpy as np


def plain(x):
    """SparseTensor -> ("sparse", indices, values, dense_shape); RaggedTensor -> ("ragged", list);
    string arrays -> lists of bytes (the harness compares arrays numerically); containers recursed."""
    name = type(x).__name__
    if name in ("SparseTensor", "SparseTensorValue"):
        return ("sparse", plain(x.indices), plain(x.values), plain(x.dense_shape))
    if name == "RaggedTensor":
        return ("ragged", str(x.dtype.name), x.to_list())
    if isinstance(x, (list, tuple)):
        return type(x)(plain(e) for e in x)
    if isinstance(x, dict):
        return {k: plain(v) for k, v in x.items()}
    if hasattr(x, "numpy") and hasattr(x, "dtype"):
        v = np.asarray(x.numpy())
        if v.dtype == object:
            return ("str", v.shape, v.tolist())
        return v
    if isinstance(x, np.ndarray) and x.dtype == object:
        return ("str", x.shape, x.tolist())
    return x
