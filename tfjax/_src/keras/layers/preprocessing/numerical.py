"""Numerical preprocessing layers: Normalization (with ``adapt``) and Discretization."""

from __future__ import annotations

import numpy as np

from tfjax._src.keras import backend
from tfjax._src.keras.layers.layer import Layer
from tfjax._src.keras.layers.preprocessing.categorical import CategoryEncoding
from tfjax._src.keras.ops import core as C
from tfjax._src.keras.ops import numpy as N

__all__ = ["Normalization", "Discretization"]


class Normalization(Layer):
    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        if axis is None:
            axis = ()
        elif isinstance(axis, int):
            axis = (axis,)
        self.axis = tuple(axis)
        self.input_mean, self.input_variance = mean, variance
        self.invert = invert
        self.supports_masking = True
        if (mean is None) != (variance is None):
            raise ValueError("When setting values directly, both `mean` and `variance` must be set. "
                             f"Received: mean={mean} and variance={variance}")

    def build(self, input_shape):
        if input_shape is None:
            return
        nd = len(input_shape)
        self._keep = tuple(a % nd for a in self.axis)
        shape = tuple(input_shape[a] for a in self._keep)
        self._bshape = tuple(input_shape[i] if i in self._keep else 1 for i in range(nd))
        if self.input_mean is None:
            self.adapt_mean = self.add_weight(name="mean", shape=shape, initializer="zeros", trainable=False)
            self.adapt_variance = self.add_weight(name="variance", shape=shape, initializer="ones", trainable=False)
            self.count = self.add_weight(name="count", shape=(), dtype="int64", initializer="zeros", trainable=False)
            self.mean = self.variance = None
        else:
            self.mean = np.broadcast_to(np.asarray(self.input_mean, "float32"), self._bshape).copy()
            self.variance = np.broadcast_to(np.asarray(self.input_variance, "float32"), self._bshape).copy()

    def adapt(self, data, batch_size=None, steps=None):
        arrays = []
        if hasattr(data, "as_numpy_iterator"):
            for b in data.as_numpy_iterator():
                arrays.append(np.asarray(b))
        else:
            arrays.append(np.asarray(data))
        x = np.concatenate([a.reshape((-1,) + a.shape[1:]) for a in arrays], axis=0).astype("float64")
        if not self.built:
            self.build(x.shape)
            self.built = True
        red = tuple(i for i in range(x.ndim) if i not in self._keep)
        mean = x.mean(axis=red)
        var = x.var(axis=red)
        self.adapt_mean.assign(mean.astype("float32"))
        self.adapt_variance.assign(var.astype("float32"))
        self.count.assign(np.int64(x.size // max(1, int(np.prod([x.shape[a] for a in self._keep])))))
        self.finalize_state()

    def finalize_state(self):
        pass

    def call(self, inputs):
        x = C.cast(inputs, self.compute_dtype)
        if self.input_mean is None:
            mean = N.reshape(self.adapt_mean, self._bshape)
            var = N.reshape(self.adapt_variance, self._bshape)
        else:
            mean, var = self.mean, self.variance
        if self.invert:
            return N.add(mean, N.multiply(x, N.maximum(N.sqrt(var), backend.epsilon())))
        return N.divide(N.subtract(x, mean), N.maximum(N.sqrt(var), backend.epsilon()))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        base = super().get_config()
        m, v = self.input_mean, self.input_variance
        base.update({"axis": self.axis, "invert": self.invert,
                     "mean": np.asarray(m).tolist() if m is not None else None,
                     "variance": np.asarray(v).tolist() if v is not None else None})
        return base


class Discretization(Layer):
    def __init__(self, bin_boundaries=None, num_bins=None, epsilon=0.01, output_mode="int", sparse=False,
                 dtype=None, name=None):
        super().__init__(name=name, dtype=dtype)
        self.bin_boundaries = list(bin_boundaries) if bin_boundaries is not None else None
        self.num_bins = num_bins
        self.epsilon = epsilon
        self.output_mode = output_mode
        self.sparse = sparse
        self.built = True

    def adapt(self, data, steps=None):
        x = np.asarray(data).reshape(-1)
        qs = np.linspace(0, 1, self.num_bins + 1)[1:-1]
        self.bin_boundaries = np.quantile(x, qs).tolist()

    def call(self, inputs):
        x = C.t1(inputs)
        b = C.convert_to_tensor(np.asarray(self.bin_boundaries, dtype=np.float32 if not
                                           np.issubdtype(x._value.dtype, np.floating) else x._value.dtype))
        idx = N.digitize(x, b)
        if self.output_mode == "int":
            return C.cast(idx, "int64")
        n = len(self.bin_boundaries) + 1
        return CategoryEncoding(n, output_mode=self.output_mode)(idx)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {"bin_boundaries": self.bin_boundaries, "num_bins": self.num_bins, "epsilon": self.epsilon,
                "output_mode": self.output_mode, "sparse": self.sparse, "name": self.name,
                "dtype": self.dtype_policy.name}
