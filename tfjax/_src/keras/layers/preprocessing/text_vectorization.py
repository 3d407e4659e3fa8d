"""``TextVectorization``: standardize → split → n-grams → ``StringLookup``, all on the host.

TF represents the split tokens as a RaggedTensor; here a batch of split rows is a
plain list of token lists, padded (``int``) or bag-encoded (other modes) at the end,
which gives TF's dense outputs without building ragged tensors. Only the outputs TF
itself returns ragged (``ragged=True``, batched ``one_hot``) need ``tf.RaggedTensor``.
"""

from __future__ import annotations

import itertools
import re

import numpy as np

from tfjax._src import errors
from tfjax._src.keras import backend
from tfjax._src.keras.keras_tensor import KerasTensor
from tfjax._src.keras.layers.layer import Layer
from tfjax._src.keras.layers.preprocessing import _host
from tfjax._src.keras.layers.preprocessing.index_lookup import listify
from tfjax._src.keras.layers.preprocessing.string_lookup import StringLookup

__all__ = ["TextVectorization"]

_PUNCTUATION = re.compile(rb'[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']')
_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")


def _validate(value, allowed, arg):
    if value is None or callable(value) or value in allowed:
        return
    raise ValueError(f"Unknown value for `{arg}` argument of layer TextVectorization. If desired, you may also pass "
                     f"a Python callable. Allowed values are: {(None,) + tuple(allowed)}. Received: {value}")


def _ngrams(tokens, widths):
    out = []
    for w in widths:
        out.extend(b" ".join(tokens[i:i + w]) for i in range(len(tokens) - w + 1))
    return out


class _Rows(list):
    """A batch of split token rows (TF would hold a RaggedTensor)."""


def _rows_of(value):
    """A user ``split`` callable's output as rows, or a dense object array."""
    rt = _host.ragged_type()
    if rt is not None and isinstance(value, rt):
        return _Rows(list(row) for row in value.to_list())
    from tfjax._src.sparse_tensor import SparseTensor  # noqa: PLC0415
    if isinstance(value, SparseTensor):
        idx = np.asarray(value.indices)
        vals = _host.string_array(value.values, "TextVectorization")
        n = int(np.asarray(value.dense_shape)[0])
        rows = _Rows([] for _ in range(n))
        for (r, _c), v in sorted(zip(map(tuple, idx.tolist()), vals.tolist())):
            rows[r].append(v)
        return rows
    if isinstance(value, list) and all(isinstance(r, (list, tuple)) for r in value):
        return _Rows([_host.string_array(list(r), "split").tolist() if r else [] for r in value])
    return _host.string_array(value, "TextVectorization")


class TextVectorization(Layer):
    def __init__(self, max_tokens=None, standardize="lower_and_strip_punctuation", split="whitespace", ngrams=None,
                 output_mode="int", output_sequence_length=None, pad_to_max_tokens=False, vocabulary=None,
                 idf_weights=None, sparse=False, ragged=False, encoding="utf-8", name=None, **kwargs):
        _validate(standardize, ("lower_and_strip_punctuation", "lower", "strip_punctuation"), "standardize")
        _validate(split, ("whitespace", "character"), "split")
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
        if output_mode not in _MODES:
            raise ValueError("Unknown value for `output_mode` argument of layer TextVectorization. Allowed values "
                             f"are: {_MODES}. Received: {output_mode}")
        if not (ngrams is None or isinstance(ngrams, int)
                or isinstance(ngrams, tuple) and all(isinstance(i, int) for i in ngrams)):
            raise ValueError(f"`ngrams` must be None, an integer, or a tuple of integers. Received: ngrams={ngrams}")
        if output_mode == "int" and not (isinstance(output_sequence_length, int) or output_sequence_length is None):
            raise ValueError("`output_sequence_length` must be either None or an integer when `output_mode` is "
                             f"'int'. Received: output_sequence_length={output_sequence_length}")
        if output_mode != "int" and output_sequence_length is not None:
            raise ValueError("`output_sequence_length` must not be set if `output_mode` is not 'int'. "
                             f"Received output_sequence_length={output_sequence_length}.")
        if ragged and output_mode != "int":
            raise ValueError(f"`ragged` must not be true if `output_mode` is `'int'`. Received: ragged={ragged} "
                             f"and output_mode={output_mode}")
        if ragged and _host.ragged_type() is None:
            raise errors.unsupported("TextVectorization(ragged=True)",
                                     "tfjax has no tf.RaggedTensor; use the default dense output (padded with 0, "
                                     "or to `output_sequence_length`)")
        self._max_tokens = max_tokens
        self._standardize = standardize
        self._split = split
        self._ngrams_arg = ngrams
        self._ngrams = tuple(range(1, ngrams + 1)) if isinstance(ngrams, int) else ngrams
        self._ragged = ragged
        self._output_mode = output_mode
        self._output_sequence_length = output_sequence_length
        self._encoding = encoding
        self._has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        vocabulary_size = kwargs.pop("vocabulary_size", None)
        super().__init__(name=name, **kwargs)
        self.autocast = False
        self._lookup_layer = StringLookup(
            max_tokens=max_tokens, vocabulary=vocabulary, idf_weights=idf_weights,
            pad_to_max_tokens=pad_to_max_tokens, mask_token="", output_mode=output_mode, sparse=sparse,
            has_input_vocabulary=self._has_input_vocabulary, encoding=encoding, vocabulary_size=vocabulary_size)
        self.built = True

    @property
    def compute_dtype(self):
        return "string"

    @property
    def variable_dtype(self):
        return "string"

    def build(self, input_shape=None):
        pass

    # -- vocabulary -----------------------------------------------------------------
    def adapt(self, data, batch_size=None, steps=None):
        self._lookup_layer._adapt(data, steps, update=self.update_state)

    def update_state(self, data):
        self._lookup_layer.update_state(self._preprocess(data))

    def finalize_state(self):
        self._lookup_layer.finalize_state()

    def reset_state(self):
        self._lookup_layer.reset_state()

    def get_vocabulary(self, include_special_tokens=True):
        return self._lookup_layer.get_vocabulary(include_special_tokens)

    def vocabulary_size(self):
        return self._lookup_layer.vocabulary_size()

    def set_vocabulary(self, vocabulary, idf_weights=None):
        self._lookup_layer.set_vocabulary(vocabulary, idf_weights=idf_weights)

    # -- preprocessing ------------------------------------------------------------------
    def _standardized(self, arr):
        if self._standardize in ("lower", "lower_and_strip_punctuation"):
            # tf.strings.lower without an encoding lowercases ASCII only, as bytes.lower() does.
            arr = _map(bytes.lower, arr)
        if self._standardize in ("strip_punctuation", "lower_and_strip_punctuation"):
            arr = _map(lambda s: _PUNCTUATION.sub(b"", s), arr)
        if callable(self._standardize):
            arr = _host.string_array(self._standardize(_host.wrap(arr)), self.name)
        return arr

    def _preprocess(self, inputs):
        """Inputs → a dense object array of tokens, or ``_Rows`` (one token list per batch element)."""
        arr = self._standardized(_host.string_array(inputs, self.name))
        if self._split is not None:
            if arr.ndim > 1:
                if arr.shape[-1] != 1:
                    raise ValueError("When using `TextVectorization` to tokenize strings, the input rank must be 1 "
                                     f"or the last shape dimension must be 1. Received: inputs.shape={arr.shape} "
                                     f"with rank={arr.ndim}")
                arr = arr[..., 0]
            if self._split == "whitespace":
                # bytes.split() splits on ASCII whitespace runs and drops empty pieces, like TF's StringSplitV2.
                fn = bytes.split
            elif self._split == "character":
                fn = _utf8_chars
            else:
                fn = None
            if fn is None:
                tokens = _rows_of(self._split(_host.wrap(arr)))
            elif arr.ndim == 0:
                tokens = np.array(fn(arr[()]) or [], dtype=object).reshape(-1)
            else:
                tokens = _Rows(fn(s) for s in arr.reshape(-1).tolist())
                if arr.ndim > 1:
                    raise errors.unsupported("TextVectorization of a rank >= 3 string input",
                                             "the split result would be a nested RaggedTensor")
        else:
            tokens = arr
        if self._ngrams is not None:
            if isinstance(tokens, _Rows):
                tokens = _Rows(_ngrams(row, self._ngrams) for row in tokens)
            elif tokens.ndim <= 1:
                tokens = np.array(_ngrams(tokens.reshape(-1).tolist(), self._ngrams), dtype=object)
            else:
                flat = [_ngrams(r, self._ngrams) for r in tokens.reshape(-1, tokens.shape[-1]).tolist()]
                width = len(flat[0]) if flat else 0
                tokens = np.array(flat, dtype=object).reshape(tokens.shape[:-1] + (width,))
        return tokens

    # -- calling -----------------------------------------------------------------------
    def call(self, inputs):
        _host.run_outside_traces(self)
        tokens = self._preprocess(inputs)
        lookup = self._lookup_layer
        if not isinstance(tokens, _Rows):
            out = lookup(_host.wrap(tokens))
            if self._output_mode == "int" and self._output_sequence_length is not None and tokens.ndim >= 1:
                out = _host.wrap(_fit_last_axis(np.asarray(out._value), self._output_sequence_length))
            return out
        if self._ragged and self._output_sequence_length is not None:
            tokens = _Rows(r[:self._output_sequence_length] for r in tokens)
        lengths = [len(r) for r in tokens]
        flat = np.empty(sum(lengths), dtype=object)
        flat[:] = list(itertools.chain.from_iterable(tokens))
        rt = _host.ragged_type()
        if self._output_mode == "one_hot" and rt is None:
            raise errors.unsupported("TextVectorization(output_mode='one_hot') on a batch of texts",
                                     "TF returns a RaggedTensor of one-hot rows there and this tfjax has no "
                                     "tf.RaggedTensor; use 'multi_hot' or 'count'")
        if lookup._tokens is None:
            lookup.call(_host.wrap(flat))  # raises the uninitialized-table error
        idx = lookup._lookup(flat) if flat.size else np.zeros(0, np.int64)
        if self._ragged or self._output_mode == "one_hot":
            values = _host.wrap(idx) if self._ragged else lookup._encode(idx.reshape(-1))
            if not self._ragged and values.shape.rank == 1:      # no tokens at all: keep the depth axis
                values = _host.wrap(np.zeros((0, lookup._depth()), np.int64))
            return rt.from_row_lengths(values, np.asarray(lengths, np.int64))
        width = self._output_sequence_length if self._output_mode == "int" else None
        if width is None:
            width = max(lengths, default=0)
        pad = 0 if self._output_mode == "int" else -1     # -1 is dropped by the bag encodings
        dense = _host.pad_rows(idx, lengths, width, pad)
        if self._output_mode == "int":
            return _host.wrap(dense)
        return lookup._encode(dense)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if self._output_mode == "int":
            return (input_shape[0] if input_shape else None, self._output_sequence_length)
        if self._split is None:
            if len(input_shape) <= 1:
                input_shape = input_shape + (1,)
        else:
            input_shape = input_shape + (None,)
        return self._lookup_layer.compute_output_shape(input_shape)

    def compute_output_spec(self, inputs):
        dtype = "int64" if self._output_mode == "int" else backend.floatx()
        return KerasTensor(self.compute_output_shape(tuple(inputs.shape)), dtype)

    # -- config / saving ------------------------------------------------------------------
    def get_config(self):
        lk = self._lookup_layer
        base = super().get_config()
        base.update({
            "max_tokens": lk.max_tokens, "standardize": self._standardize, "split": self._split,
            "ngrams": self._ngrams_arg, "output_mode": self._output_mode,
            "output_sequence_length": self._output_sequence_length, "pad_to_max_tokens": lk.pad_to_max_tokens,
            "sparse": lk.sparse, "ragged": self._ragged, "vocabulary": listify(lk.input_vocabulary),
            "idf_weights": listify(lk.input_idf_weights), "encoding": self._encoding,
            "vocabulary_size": self.vocabulary_size()})
        return base

    @classmethod
    def from_config(cls, config):
        from tfjax._src.keras.saving.serialization_lib import deserialize_keras_object  # noqa: PLC0415
        config = dict(config)
        for k in ("standardize", "split"):
            if config.get(k) is not None and not isinstance(config[k], str) and not callable(config[k]):
                config[k] = deserialize_keras_object(config[k])
        if isinstance(config.get("ngrams"), list):
            config["ngrams"] = tuple(config["ngrams"])
        return cls(**config)

    def save_own_variables(self, store):
        self._lookup_layer.save_own_variables(store)

    def load_own_variables(self, store):
        self._lookup_layer.load_own_variables(store)

    def save_assets(self, dir_path):
        self._lookup_layer.save_assets(dir_path)

    def load_assets(self, dir_path):
        self._lookup_layer.load_assets(dir_path)


def _map(fn, arr):
    out = np.empty(arr.shape, dtype=object)
    out.reshape(-1)[:] = [fn(s) for s in arr.reshape(-1).tolist()]
    return out


def _utf8_chars(s):
    return [c.encode("utf-8") for c in s.decode("utf-8", errors="replace")]


def _fit_last_axis(a, n):
    """Trim or zero-pad the last axis to ``n`` (TF pads dense int output with the mask index 0)."""
    a = a[..., :n]
    if a.shape[-1] < n:
        pad = [(0, 0)] * (a.ndim - 1) + [(0, n - a.shape[-1])]
        a = np.pad(a, pad)
    return a
