"""Attention layers: MultiHeadAttention (Keras's EinsumDense projections), Attention, AdditiveAttention."""

from __future__ import annotations

import math
import string

import numpy as np

from tfjax._src.keras import activations, constraints, initializers, regularizers
from tfjax._src.keras.layers.layer import Layer
from tfjax._src.keras.layers.activation import Softmax
from tfjax._src.keras.layers.core import EinsumDense, _ser
from tfjax._src.keras.layers.regularization import Dropout
from tfjax._src.keras.keras_tensor import get_mask
from tfjax._src.keras.ops import core as C
from tfjax._src.keras.ops import numpy as N
from tfjax._src.keras.ops import nn as NN

__all__ = ["MultiHeadAttention", "Attention", "AdditiveAttention"]

_L = string.ascii_lowercase


def _proj_equation(free_dims, bound_dims, output_dims):
    inp = kern = out = bias = ""
    off = 0
    for i in range(free_dims):
        c = _L[i + off]
        inp += c
        out += c
    off += free_dims
    for i in range(bound_dims):
        c = _L[i + off]
        inp += c
        kern += c
    off += bound_dims
    for i in range(output_dims):
        c = _L[i + off]
        kern += c
        out += c
        bias += c
    return f"{inp},{kern}->{out}", bias, len(out)


def _out_shape(rank, known):
    return [None] * (rank - len(known)) + list(known)


def _attention_equation(rank, attn_axes):
    target = _L[:rank]
    batch_dims = tuple(i for i in range(rank) if i not in attn_axes and i != rank - 1)
    off = rank
    source = ""
    for i in range(rank):
        if i in batch_dims or i == rank - 1:
            source += target[i]
        else:
            source += _L[off]
            off += 1
    product = "".join([target[i] for i in batch_dims] + [target[i] for i in attn_axes] +
                      [source[i] for i in attn_axes])
    return f"{source},{target}->{product}", f"{product},{source}->{target}", len(product)


class MultiHeadAttention(Layer):
    def __init__(self, num_heads, key_dim, value_dim=None, dropout=0.0, use_bias=True, output_shape=None,
                 attention_axes=None, sliding_window=None, flash_attention=None,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 use_gate=False, seed=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.supports_masking = True
        self.num_heads = num_heads
        self.key_dim = key_dim
        self.value_dim = value_dim if value_dim else key_dim
        self.dropout = dropout
        self.use_bias = use_bias
        self.use_gate = use_gate
        if sliding_window is not None and (not isinstance(sliding_window, int) or sliding_window <= 0):
            raise ValueError("`sliding_window` must be `None` or a positive integer. "
                             f"Received: sliding_window={sliding_window}")
        self.sliding_window = sliding_window
        if flash_attention:
            # False and None (auto) both mean the plain einsum attention tfjax runs.
            raise NotImplementedError("MultiHeadAttention: `flash_attention=True` is not supported by tfjax; "
                                      "leave it at None (or False).")
        self._output_shape = output_shape
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        if isinstance(attention_axes, int):
            attention_axes = (attention_axes,)
        elif attention_axes is not None and not isinstance(attention_axes, (list, tuple)):
            raise ValueError(f"`attention_axes` must be an int, list, or tuple.Received: attention_axes={attention_axes}")
        self.attention_axes = attention_axes
        self.seed = seed
        self._inverse_sqrt_key_dim = 1.0 / math.sqrt(float(self.key_dim))

    def _dense_kwargs(self):
        return dict(kernel_initializer=self.kernel_initializer.clone() if hasattr(self.kernel_initializer, "clone")
                    else self.kernel_initializer,
                    bias_initializer=self.bias_initializer, kernel_regularizer=self.kernel_regularizer,
                    bias_regularizer=self.bias_regularizer, kernel_constraint=self.kernel_constraint,
                    bias_constraint=self.bias_constraint, dtype=self.dtype_policy)

    def build(self, query_shape, value_shape, key_shape=None):
        key_shape = value_shape if key_shape is None else key_shape
        qrank = len(query_shape)
        eq, bias, orank = _proj_equation(qrank - 1, 1, 2)
        self._query_dense = EinsumDense(eq, output_shape=_out_shape(orank - 1, [self.num_heads, self.key_dim]),
                                        bias_axes=bias if self.use_bias else None, name="query",
                                        **self._dense_kwargs())
        self._query_dense.build(query_shape)
        eq, bias, orank = _proj_equation(len(key_shape) - 1, 1, 2)
        self._key_dense = EinsumDense(eq, output_shape=_out_shape(orank - 1, [self.num_heads, self.key_dim]),
                                      bias_axes=bias if self.use_bias else None, name="key", **self._dense_kwargs())
        self._key_dense.build(key_shape)
        eq, bias, orank = _proj_equation(len(value_shape) - 1, 1, 2)
        self._value_dense = EinsumDense(eq, output_shape=_out_shape(orank - 1, [self.num_heads, self.value_dim]),
                                        bias_axes=bias if self.use_bias else None, name="value",
                                        **self._dense_kwargs())
        self._value_dense.build(value_shape)
        if self.use_gate:
            eq, bias, orank = _proj_equation(qrank - 1, 1, 2)
            self._gate_dense = EinsumDense(eq, output_shape=_out_shape(orank - 1, [self.num_heads, self.value_dim]),
                                           activation="sigmoid", bias_axes=bias if self.use_bias else None,
                                           name="gate", **self._dense_kwargs())
            self._gate_dense.build(query_shape)
        # attention
        rank = orank
        attn_axes = tuple(range(1, rank - 2)) if self.attention_axes is None else tuple(self.attention_axes)
        self._attention_axes = attn_axes
        self._dot_product_equation, self._combine_equation, scores_rank = _attention_equation(rank, attn_axes)
        norm_axes = tuple(range(scores_rank - len(attn_axes), scores_rank))
        self._softmax = Softmax(axis=norm_axes, dtype=self.dtype_policy)
        self._dropout_layer = Dropout(rate=self.dropout, dtype=self.dtype_policy, seed=self.seed)
        # output
        if self._output_shape:
            out = self._output_shape if isinstance(self._output_shape, (list, tuple)) else [self._output_shape]
        else:
            out = [query_shape[-1]]
        eq, bias, orank2 = _proj_equation(qrank - 1, 2, len(out))
        self._output_dense = EinsumDense(eq, output_shape=_out_shape(orank2 - 1, out),
                                         bias_axes=bias if self.use_bias else None, name="attention_output",
                                         **self._dense_kwargs())
        self._output_dense.build(tuple(query_shape[:-1]) + (self.num_heads, self.value_dim))

    def _compute_attention_mask(self, query, value, query_mask=None, value_mask=None, key_mask=None,
                                attention_mask=None, use_causal_mask=False):
        auto = None
        if query_mask is not None:
            auto = N.expand_dims(C.cast(query_mask, "bool"), -1)
        if value_mask is not None:
            m = N.expand_dims(C.cast(value_mask, "bool"), -2)
            auto = m if auto is None else N.logical_and(auto, m)
        if key_mask is not None:
            m = N.expand_dims(C.cast(key_mask, "bool"), -2)
            auto = m if auto is None else N.logical_and(auto, m)
        if use_causal_mask:
            qs = C.static_shape(query)[1]
            vs = C.static_shape(value)[1]
            m = N.expand_dims(C.cast(N.tril(N.ones((qs, vs), dtype="int32")), "bool"), 0)
            auto = m if auto is None else N.logical_and(auto, m)
        if self.sliding_window is not None:
            # Keras's symmetric band: |query position - key position| < sliding_window, shape (1, T, S).
            qs = C.static_shape(query)[1]
            vs = C.static_shape(value)[1]
            rows = N.reshape(N.arange(qs, dtype="int32"), (1, qs, 1))
            cols = N.reshape(N.arange(vs, dtype="int32"), (1, 1, vs))
            m = N.less(N.abs(N.subtract(rows, cols)), self.sliding_window)
            auto = m if auto is None else N.logical_and(auto, m)
        if attention_mask is not None:
            attention_mask = C.cast(attention_mask, "bool")
        if auto is not None:
            attention_mask = auto if attention_mask is None else N.logical_and(attention_mask, auto)
        return attention_mask

    def _compute_attention(self, query, key, value, attention_mask=None, training=None):
        query = N.multiply(query, self._inverse_sqrt_key_dim)
        scores = N.einsum(self._dot_product_equation, key, query)
        if attention_mask is not None:
            exp_axis = -len(self._attention_axes) * 2 - 1
            for _ in range(len(C.static_shape(scores)) - len(C.static_shape(attention_mask))):
                attention_mask = N.expand_dims(attention_mask, exp_axis)
        scores = self._softmax(scores, mask=attention_mask)
        drop = self._dropout_layer(scores, training=training)
        out = N.einsum(self._combine_equation, drop, value)
        return out, scores

    def call(self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None,
             attention_mask=None, return_attention_scores=False, training=None, use_causal_mask=False):
        if key is None:
            key = value
        if query_mask is None:
            query_mask = get_mask(query)
        if value_mask is None:
            value_mask = get_mask(value)
        if key_mask is None and key is not value:
            key_mask = get_mask(key)
        attention_mask = self._compute_attention_mask(query, value, query_mask, value_mask,
                                                      key_mask if key is not value else None, attention_mask,
                                                      use_causal_mask)
        q = self._query_dense(query)
        k = self._key_dense(key)
        v = self._value_dense(value)
        out, scores = self._compute_attention(q, k, v, attention_mask, training)
        if self.use_gate:
            out = N.multiply(out, self._gate_dense(query))
        out = self._output_dense(out)
        if return_attention_scores:
            return out, scores
        return out

    def compute_output_shape(self, query_shape, value_shape=None, key_shape=None):
        if self._output_shape:
            out = self._output_shape if isinstance(self._output_shape, (list, tuple)) else [self._output_shape]
            return tuple(query_shape[:-1]) + tuple(out)
        return tuple(query_shape)

    def compute_output_spec(self, query, value, key=None, return_attention_scores=False, **kwargs):
        from tfjax._src.keras.keras_tensor import KerasTensor  # noqa: PLC0415
        out = KerasTensor(self.compute_output_shape(query.shape), self.compute_dtype)
        if return_attention_scores:
            sc = (query.shape[0], self.num_heads, query.shape[1], value.shape[1])
            return out, KerasTensor(sc, self.compute_dtype)
        return out

    def compute_mask(self, inputs, previous_mask):
        return previous_mask if not isinstance(previous_mask, (list, tuple)) else previous_mask[0]

    def get_config(self):
        base = super().get_config()
        base.update({
            "num_heads": self.num_heads, "key_dim": self.key_dim, "value_dim": self.value_dim,
            "dropout": self.dropout, "use_bias": self.use_bias, "use_gate": self.use_gate,
            "output_shape": self._output_shape, "attention_axes": self.attention_axes,
            "sliding_window": self.sliding_window,
            "kernel_initializer": _ser(self.kernel_initializer, "init"),
            "bias_initializer": _ser(self.bias_initializer, "init"),
            "kernel_regularizer": _ser(self.kernel_regularizer, "reg"),
            "bias_regularizer": _ser(self.bias_regularizer, "reg"),
            "activity_regularizer": _ser(self.activity_regularizer, "reg"),
            "kernel_constraint": _ser(self.kernel_constraint, "con"),
            "bias_constraint": _ser(self.bias_constraint, "con"), "seed": self.seed,
        })
        return base


class Attention(Layer):
    _additive = False

    def __init__(self, use_scale=False, score_mode="dot", dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.use_scale = use_scale
        self.score_mode = score_mode
        self.dropout = dropout
        self.seed = seed
        self.supports_masking = True
        if self.dropout > 0:
            from tfjax._src.keras.random import random as R  # noqa: PLC0415
            self.seed_generator = R.SeedGenerator(seed)
        if score_mode not in ("dot", "concat"):
            raise ValueError(f"Invalid value for argument score_mode. Expected one of {{'dot', 'concat'}}. "
                             f"Received: score_mode={score_mode}")

    def build(self, input_shape):
        self.scale = None
        self.concat_score_weight = None
        if self.use_scale:
            self.scale = self.add_weight(name="scale", shape=(), initializer="ones")
        if self.score_mode == "concat":
            self.concat_score_weight = self.add_weight(name="concat_score_weight", shape=(), initializer="ones")

    def _score(self, q, k):
        if self.score_mode == "dot":
            s = N.matmul(q, N.swapaxes(k, -2, -1))
            if self.scale is not None:
                s = N.multiply(s, self.scale)
            return s
        qr = N.expand_dims(q, -2)
        kr = N.expand_dims(k, -3)
        s = N.multiply(self.concat_score_weight, N.sum(N.tanh(N.multiply(self.scale, N.add(qr, kr))
                                                             if self.scale is not None else N.add(qr, kr)), axis=-1))
        return s

    def call(self, inputs, mask=None, training=False, return_attention_scores=False, use_causal_mask=False):
        q = inputs[0]
        v = inputs[1]
        k = inputs[2] if len(inputs) > 2 else v
        q_mask = v_mask = None
        if mask is not None:
            q_mask = mask[0]
            v_mask = mask[1] if len(mask) > 1 else None
        scores = self._score(q, k)
        if v_mask is not None:
            padding = N.logical_not(N.expand_dims(C.cast(v_mask, "bool"), -2))
        else:
            padding = None
        if use_causal_mask:
            sq = C.static_shape(scores)
            causal = N.logical_not(C.cast(N.tril(N.ones((sq[-2], sq[-1]), dtype="int32")), "bool"))
            causal = N.expand_dims(causal, 0)
            padding = causal if padding is None else N.logical_or(padding, causal)
        if padding is not None:
            big = 65504.0 if C.dtype_of(C.t1(scores)) == "float16" else 1e9
            scores = N.subtract(scores, N.multiply(big, C.cast(padding, C.dtype_of(C.t1(scores)))))
        w = NN.softmax(scores, axis=-1)
        wd = w
        if training and self.dropout > 0:
            from tfjax._src.keras.random import random as R  # noqa: PLC0415
            wd = R.dropout(w, self.dropout, seed=self.seed_generator)
        out = N.matmul(wd, v)
        if q_mask is not None:
            out = N.multiply(out, C.cast(N.expand_dims(q_mask, -1), C.dtype_of(out)))
        if return_attention_scores:
            return out, w
        return out

    def compute_mask(self, inputs, mask=None):
        if mask is None or mask[0] is None:
            return None
        return mask[0]

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[0][:-1]) + (input_shape[1][-1],)

    def compute_output_spec(self, inputs, return_attention_scores=False, **kwargs):
        from tfjax._src.keras.keras_tensor import KerasTensor  # noqa: PLC0415
        out = KerasTensor(self.compute_output_shape([x.shape for x in inputs]), self.compute_dtype)
        if return_attention_scores:
            return out, KerasTensor((inputs[0].shape[0], inputs[0].shape[1], inputs[1].shape[1]), self.compute_dtype)
        return out

    def get_config(self):
        base = super().get_config()
        base.update({"use_scale": self.use_scale, "score_mode": self.score_mode, "dropout": self.dropout})
        return base


class AdditiveAttention(Attention):
    def __init__(self, use_scale=True, dropout=0.0, **kwargs):
        super().__init__(use_scale=use_scale, dropout=dropout, **kwargs)

    def build(self, input_shape):
        dim = input_shape[0][-1]
        self.scale = None
        self.concat_score_weight = None
        if self.use_scale:
            self.scale = self.add_weight(name="scale", shape=(dim,), initializer="glorot_uniform")

    def _score(self, q, k):
        qr = N.expand_dims(q, -2)
        kr = N.expand_dims(k, -3)
        t = N.tanh(N.add(qr, kr))
        if self.scale is not None:
            return N.sum(N.multiply(self.scale, t), axis=-1)
        return N.sum(t, axis=-1)

    def get_config(self):
        base = Layer.get_config(self)
        base.update({"use_scale": self.use_scale, "dropout": self.dropout})
        return base
