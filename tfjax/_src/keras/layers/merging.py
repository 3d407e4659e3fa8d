"""Merging layers."""

from __future__ import annotations

from tfjax._src.keras.layers.layer import Layer
from tfjax._src.keras.ops import core as C
from tfjax._src.keras.ops import numpy as N
from tfjax._src.keras.ops import nn as NN

__all__ = ["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Dot", "add",
           "subtract", "multiply", "average", "maximum", "minimum", "concatenate", "dot"]


def _bcast_shape(a, b):
    a, b = list(a), list(b)
    if len(a) < len(b):
        a, b = b, a
    out = list(a)
    off = len(a) - len(b)
    for i, d in enumerate(b):
        x = a[i + off]
        if x is None or d is None:
            out[i + off] = None if (x in (None, 1) or d in (None, 1)) and not (x == 1 and d is not None) else x
            if x == 1:
                out[i + off] = d
            elif d == 1:
                out[i + off] = x
            else:
                out[i + off] = x if x is not None else d
        elif x == 1:
            out[i + off] = d
    return tuple(out)


class _Merge(Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def build(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or not input_shape or not isinstance(input_shape[0], (list, tuple)):
            raise ValueError(f"A merge layer should be called on a list of inputs. Received: input_shape={input_shape} "
                             "(not a list of shapes)")
        if len(input_shape) < 1:
            raise ValueError("A merge layer should be called on a list of at least 1 input.")

    def _merge(self, inputs):
        raise NotImplementedError

    def call(self, inputs):
        return self._merge([C.t1(x) for x in inputs])

    def compute_output_shape(self, input_shape):
        out = tuple(input_shape[0])
        for s in input_shape[1:]:
            out = _bcast_shape(out, s)
        return out

    def compute_output_spec(self, inputs, **kwargs):
        from tfjax._src.keras.keras_tensor import KerasTensor  # noqa: PLC0415
        dtype = C.result_type(*[x.dtype for x in inputs])
        return KerasTensor(self.compute_output_shape([x.shape for x in inputs]), dtype)

    def compute_mask(self, inputs, mask=None):
        if mask is None:
            return None
        if not isinstance(mask, (list, tuple)) or all(m is None for m in mask):
            return None
        ms = [N.expand_dims(m, 0) for m in mask if m is not None]
        return N.all(N.concatenate(ms, axis=0), axis=0)


class Add(_Merge):
    def _merge(self, xs):
        out = xs[0]
        for x in xs[1:]:
            out = N.add(out, x)
        return out


class Subtract(_Merge):
    def build(self, input_shape):
        super().build(input_shape)
        if len(input_shape) != 2:
            raise ValueError(f"A `Subtract` layer should be called on exactly 2 inputs. Received: input_shape={input_shape}")

    def _merge(self, xs):
        if len(xs) != 2:
            raise ValueError("A `Subtract` layer should be called on exactly 2 inputs.")
        return N.subtract(xs[0], xs[1])


class Multiply(_Merge):
    def _merge(self, xs):
        out = xs[0]
        for x in xs[1:]:
            out = N.multiply(out, x)
        return out


class Average(_Merge):
    def _merge(self, xs):
        out = xs[0]
        for x in xs[1:]:
            out = N.add(out, x)
        return N.divide(out, float(len(xs)))


class Maximum(_Merge):
    def _merge(self, xs):
        out = xs[0]
        for x in xs[1:]:
            out = N.maximum(out, x)
        return out


class Minimum(_Merge):
    def _merge(self, xs):
        out = xs[0]
        for x in xs[1:]:
            out = N.minimum(out, x)
        return out


class Concatenate(_Merge):
    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def _merge(self, xs):
        return N.concatenate(xs, axis=self.axis)

    def compute_output_shape(self, input_shape):
        shapes = [list(s) for s in input_shape]
        out = list(shapes[0])
        ax = self.axis % len(out)
        for s in shapes[1:]:
            if out[ax] is None or s[ax] is None:
                out[ax] = None
            else:
                out[ax] += s[ax]
        for i in range(len(out)):
            if i != ax and out[i] is None:
                for s in shapes:
                    if s[i] is not None:
                        out[i] = s[i]
                        break
        return tuple(out)

    def compute_mask(self, inputs, mask=None):
        if mask is None or all(m is None for m in mask):
            return None
        ms = []
        for x, m in zip(inputs, mask):
            xs = x.shape if not hasattr(x.shape, "as_list") else tuple(x.shape.as_list())
            if m is None:
                m = N.ones_like(N.any(N.zeros_like(x) if not hasattr(x, "_keras_history") else x, axis=-1)) \
                    if False else C.cast(N.ones(tuple(d if d is not None else 1 for d in xs[:-1])), "bool")
            ndiff = len(xs) - len(m.shape)
            for _ in range(ndiff):
                m = N.expand_dims(m, -1)
            if ndiff:
                m = N.broadcast_to(m, tuple(xs)) if all(d is not None for d in xs) else m
            ms.append(m)
        cat = N.concatenate(ms, axis=self.axis)
        return N.all(cat, axis=-1, keepdims=False) if len(inputs[0].shape) > len(mask[0].shape) else cat

    def get_config(self):
        base = super().get_config()
        base["axis"] = self.axis
        return base


class Dot(_Merge):
    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        self.axes = axes
        self.normalize = normalize
        self.supports_masking = False

    def _merge(self, xs):
        x1, x2 = xs
        axes = self.axes
        if isinstance(axes, int):
            axes = [axes % x1.ndim, axes % x2.ndim]
        else:
            axes = [axes[0] % x1.ndim, axes[1] % x2.ndim]
        if self.normalize:
            x1 = NN.normalize(x1, axis=axes[0])
            x2 = NN.normalize(x2, axis=axes[1])
        return _batch_dot(x1, x2, axes)

    def compute_output_shape(self, input_shape):
        s1, s2 = list(input_shape[0]), list(input_shape[1])
        axes = self.axes
        if isinstance(axes, int):
            axes = [axes % len(s1), axes % len(s2)]
        else:
            axes = [axes[0] % len(s1), axes[1] % len(s2)]
        s1.pop(axes[0])
        s2.pop(axes[1])
        s2.pop(0)
        out = s1 + s2
        if len(out) == 1:
            out += [1]
        return tuple(out)

    def compute_mask(self, inputs, mask=None):
        return None

    def get_config(self):
        base = super().get_config()
        base.update({"axes": self.axes, "normalize": self.normalize})
        return base


def _batch_dot(x, y, axes):
    import string  # noqa: PLC0415
    letters = string.ascii_lowercase
    nx, ny = x.ndim, y.ndim
    xs = list(letters[:nx])
    ys = ["a"] + list(letters[nx:nx + ny - 1])
    ys[axes[1]] = xs[axes[0]]
    out = [c for i, c in enumerate(xs) if i != axes[0]] + [c for i, c in enumerate(ys) if i not in (0, axes[1])]
    r = N.einsum(f"{''.join(xs)},{''.join(ys)}->{''.join(out)}", x, y)
    if r.ndim == 1:
        r = N.expand_dims(r, 1)
    return r


def add(inputs, **kwargs):
    return Add(**kwargs)(inputs)


def subtract(inputs, **kwargs):
    return Subtract(**kwargs)(inputs)


def multiply(inputs, **kwargs):
    return Multiply(**kwargs)(inputs)


def average(inputs, **kwargs):
    return Average(**kwargs)(inputs)


def maximum(inputs, **kwargs):
    return Maximum(**kwargs)(inputs)


def minimum(inputs, **kwargs):
    return Minimum(**kwargs)(inputs)


def concatenate(inputs, axis=-1, **kwargs):
    return Concatenate(axis=axis, **kwargs)(inputs)


def dot(inputs, axes=-1, **kwargs):
    return Dot(axes=axes, **kwargs)(inputs)
