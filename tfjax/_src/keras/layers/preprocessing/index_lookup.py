"""The vocabulary-lookup core shared by ``StringLookup`` and ``IntegerLookup`` (Keras' ``IndexLookup``).

Index layout, as in Keras: ``[mask] + [oov] * num_oov_indices + tokens``; the mask
slot exists only in ``output_mode="int"``. ``adapt`` orders tokens by count, ties by
token descending (Keras sorts ``(count, token)`` ascending and reverses).

String vocabularies are looked up on the host (dict over ``bytes``). Integer ones
use a sorted-key ``searchsorted`` written once for numpy and jax.numpy, so an
``IntegerLookup`` also runs inside compiled code.
"""

from __future__ import annotations

import collections
import itertools
import os

import jax
import jax.numpy as jnp
import numpy as np

from tfjax._src import errors
from tfjax._src.keras import backend
from tfjax._src.keras.keras_tensor import KerasTensor
from tfjax._src.keras.layers.layer import Layer
from tfjax._src.keras.layers.preprocessing import _host
from tfjax._src.keras.layers.preprocessing.categorical import encode_indices
from tfjax._src.ops import string_hash

_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")
_INT64_MAX = np.iinfo(np.int64).max


def listify(x):
    if hasattr(x, "numpy") and not isinstance(x, np.ndarray):
        x = x.numpy()
    if isinstance(x, np.ndarray):
        x = x.tolist()
    return x


class _Vocab:
    """The installed vocabulary. A plain object: tf.Module's attribute walk and the Layer's list/dict
    tracking would otherwise visit every token."""

    def __init__(self, tokens):
        self.tokens = tokens
        self.table = {}
        self.sorted_keys = self.sorted_vals = self.by_index = None


class _AdaptState:
    """Counts gathered by ``update_state``; a plain object so Layer attribute tracking leaves it alone."""

    def __init__(self):
        self.counts = collections.Counter()
        self.doc_counts = collections.Counter()
        self.num_docs = 0


class IndexLookup(Layer):
    _is_string = True

    def __init__(self, max_tokens, num_oov_indices, mask_token, oov_token, vocabulary_dtype, vocabulary=None,
                 idf_weights=None, invert=False, output_mode="int", sparse=False, pad_to_max_tokens=False,
                 oov_method="floormod", name=None, salt=None, **kwargs):
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError(f"If set, `max_tokens` must be greater than 1. Received: max_tokens={max_tokens}")
        if pad_to_max_tokens and max_tokens is None:
            raise ValueError(f"If pad_to_max_tokens is True, must set `max_tokens`. Received: max_tokens={max_tokens}")
        if num_oov_indices < 0:
            raise ValueError("`num_oov_indices` must be greater than or equal to 0. "
                             f"Received: num_oov_indices={num_oov_indices}")
        if oov_method not in ("floormod", "farmhash"):
            raise ValueError(f"Unknown value for `oov_method` argument of layer {type(self).__name__}. Allowed "
                             f"values are: ('floormod', 'farmhash'). Received: {oov_method}")
        if salt is not None:
            if not self._is_string and oov_method != "farmhash":
                raise ValueError("`salt` can only be used when `oov_method='farmhash'`. "
                                 f"Received: oov_method={oov_method}")
            if isinstance(salt, (tuple, list)) and len(salt) == 2:
                salt = list(salt)
            elif isinstance(salt, int):
                salt = [salt, salt]
            else:
                raise ValueError("The `salt` argument for `IndexLookup` can only be a tuple of 2 integers, or a "
                                 f"single integer. Received: salt={salt}.")
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
        if output_mode not in _MODES:
            raise ValueError(f"Unknown value for `output_mode` argument of layer {type(self).__name__}. Allowed "
                             f"values are: {_MODES}. Received: {output_mode}")
        if invert and output_mode != "int":
            raise ValueError("`output_mode` must be `'int'` when `invert` is true. "
                             f"Received: output_mode={output_mode}")
        if sparse and output_mode == "int":
            raise ValueError("`sparse` may only be true if `output_mode` is `'one_hot'`, `'multi_hot'`, `'count'` or "
                             f"`'tf_idf'`. Received: sparse={sparse} and output_mode={output_mode}")
        if idf_weights is not None and output_mode != "tf_idf":
            raise ValueError("`idf_weights` should only be set if `output_mode` is `'tf_idf'`. Received: "
                             f"idf_weights={idf_weights} and output_mode={output_mode}")
        frozen = kwargs.pop("vocabulary_size", None)
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        kwargs.pop("trainable", None)
        kwargs.pop("dtype", None)
        if kwargs:
            raise ValueError(f"Unrecognized keyword argument(s): {kwargs}")
        super().__init__(name=name)
        self.autocast = False
        self.invert, self.max_tokens, self.num_oov_indices = invert, max_tokens, num_oov_indices
        self.mask_token, self.oov_token = mask_token, oov_token
        self.output_mode, self.sparse, self.pad_to_max_tokens = output_mode, sparse, pad_to_max_tokens
        self.vocabulary_dtype = vocabulary_dtype
        self.oov_method, self.salt = oov_method, salt
        self._frozen_vocab_size = frozen
        # A file path is not serialized (Keras writes the vocabulary as an asset instead).
        self.input_vocabulary = vocabulary if not isinstance(vocabulary, str) else None
        self.input_idf_weights = idf_weights
        self._has_input_vocabulary = has_input_vocabulary
        self._vocab = None           # None until the vocabulary is set or adapted
        self._idf = None
        self._state = _AdaptState()
        self.built = True
        if output_mode == "tf_idf":
            if self._has_input_vocabulary and idf_weights is None:
                raise ValueError("When specifying the `vocabulary` argument, in TF-IDF output mode, the "
                                 "`idf_weights` argument must also be provided.")
            if idf_weights is not None:
                self._idf = np.asarray(listify(idf_weights), backend.floatx())
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)

    @property
    def _tokens(self):
        """The vocabulary without the special tokens (table keys), or None."""
        return None if self._vocab is None else self._vocab.tokens

    # -- token conversions (overridden by StringLookup / IntegerLookup) ------------
    def _key(self, token):
        """A user-facing token as the key the table stores (bytes for strings, int for integers)."""
        raise NotImplementedError

    def _token(self, key):
        raise NotImplementedError

    def _keys_array(self, x):
        """Layer input as an array of keys (object array of bytes or an int64 numpy/jax array)."""
        raise NotImplementedError

    # -- index layout ------------------------------------------------------------------
    def _oov_start_index(self):
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start_index(self):
        return self._oov_start_index() + self.num_oov_indices

    @property
    def compute_dtype(self):
        return self.vocabulary_dtype

    @property
    def variable_dtype(self):
        return self.vocabulary_dtype

    @property
    def idf_weights(self):
        return None if self._idf is None else _host.wrap(self._idf.copy())

    @property
    def idf_weights_const(self):
        return self.idf_weights

    def vocabulary_size(self):
        return len(self._tokens or ()) + self._token_start_index()

    def get_vocabulary(self, include_special_tokens=True):
        vocab = [self.oov_token] * self._token_start_index() + [self._token(k) for k in (self._tokens or ())]
        if self.mask_token is not None and self.output_mode == "int":
            vocab[0] = self.mask_token
        if not include_special_tokens:
            vocab = vocab[self._token_start_index():]
        return vocab

    # -- setting the vocabulary ------------------------------------------------------
    def _install(self, keys):
        v = _Vocab(list(keys))
        start = self._token_start_index()
        v.table = {k: start + i for i, k in enumerate(v.tokens)}
        if not self._is_string:
            keys_arr = np.asarray(v.tokens, np.int64)
            order = np.argsort(keys_arr, kind="stable")
            v.sorted_keys = keys_arr[order]
            v.sorted_vals = (order + start).astype(np.int64)
            v.by_index = np.full(start + len(v.tokens), self.oov_token if self.oov_token is not None else -1,
                                 np.int64)
            v.by_index[start:] = keys_arr
            if self.mask_token is not None:
                v.by_index[0] = self.mask_token
        self._vocab = v

    def _record_vocabulary_size(self):
        if self.output_mode != "int" and not self.pad_to_max_tokens:
            new = self.vocabulary_size()
            if self._frozen_vocab_size is not None and new != self._frozen_vocab_size:
                raise RuntimeError(f"When using `output_mode={self.output_mode}` and `pad_to_max_tokens=False`, the "
                                   "vocabulary size cannot be changed after the layer is called. Old vocab size is "
                                   f"{self._frozen_vocab_size}, new vocab size is {new}")
        self._frozen_vocab_size = self.vocabulary_size()

    def _read_vocabulary_file(self, path):
        with open(path, "rb") as f:
            lines = f.read().split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()
        keys = []
        for i, line in enumerate(lines):
            line = line[:-1] if line.endswith(b"\r") else line
            if not line:
                raise errors.invalid_argument("InitializeTableFromTextFileV2",
                                              f"Invalid content in {path}: empty line found at position {i}.")
            keys.append(line if self._is_string else int(line))
        return keys

    def set_vocabulary(self, vocabulary, idf_weights=None):
        if self.output_mode == "tf_idf":
            if idf_weights is None:
                raise ValueError("`idf_weights` must be set if output_mode is 'tf_idf'.")
        elif idf_weights is not None:
            raise ValueError("`idf_weights` should only be set if output_mode is `'tf_idf'`. Received: "
                             f"output_mode={self.output_mode} and idf_weights={idf_weights}")
        if isinstance(vocabulary, str):
            if not os.path.exists(vocabulary):
                raise ValueError(f"Vocabulary file {vocabulary} does not exist.")
            if self.output_mode == "tf_idf":
                raise ValueError("output_mode `'tf_idf'` does not support loading a vocabulary from file.")
            self._install(self._read_vocabulary_file(vocabulary))
            self._record_vocabulary_size()
            return
        vocab = [self._token(self._key(t)) for t in self._vocab_list(vocabulary)]
        if idf_weights is not None:
            idf_weights = np.asarray(listify(idf_weights))
        if len(vocab) == 0:
            raise ValueError(f"Cannot set an empty vocabulary. Received: vocabulary={vocabulary}")
        oov_start, token_start = self._oov_start_index(), self._token_start_index()
        special = [self.mask_token] * oov_start + [self.oov_token] * self.num_oov_indices
        found_special = vocab[:token_start] == special
        tokens = vocab[token_start:] if found_special else vocab
        repeated = [t for t, c in collections.Counter(tokens).items() if c > 1]
        if repeated:
            raise ValueError("The passed vocabulary has at least one repeated term. Please uniquify your dataset. "
                             f"The repeated terms are: {repeated}")
        if self.mask_token is not None and self.mask_token in tokens:
            raise ValueError("Found reserved mask token at unexpected location in `vocabulary`. Note that passed "
                             "`vocabulary` does not need to include the OOV and mask tokens. Either remove all mask "
                             "and OOV tokens, or include them only at the start of the vocabulary in precisely this "
                             f"order: {special}. Received: mask_token={self.mask_token} at vocabulary index "
                             f"{[i for i, t in enumerate(vocab) if t == self.mask_token][-1:]}")
        if self.oov_token is not None and self.invert and self.oov_token in tokens:
            raise ValueError("Found reserved OOV token at unexpected location in `vocabulary`. Note that passed "
                             "`vocabulary` does not need to include the OOV and mask tokens. Either remove all mask "
                             "and OOV tokens, or include them only at the start of the vocabulary in precisely this "
                             f"order: {special}. Received: oov_token={self.oov_token} at vocabulary index "
                             f"{[i for i, t in enumerate(vocab) if t == self.oov_token][-1:]}")
        new_size = token_start + len(tokens)
        if self.max_tokens is not None and new_size > self.max_tokens:
            raise ValueError("Attempted to set a vocabulary larger than the maximum vocab size. Received "
                             f"vocabulary size is {new_size}; `max_tokens` is {self.max_tokens}.")
        self._install([self._key(t) for t in tokens])
        self._record_vocabulary_size()
        if self.output_mode == "tf_idf" and idf_weights is not None:
            if len(vocab) != len(idf_weights):
                raise ValueError(f"`idf_weights` must be the same length as vocabulary. len(idf_weights) is "
                                 f"{len(idf_weights)}; len(vocabulary) is {len(vocab)}")
            if idf_weights.ndim != 1:
                raise ValueError("TF-IDF data must be a 1-index array. "
                                 f"Received: type(idf_weights)={type(idf_weights)}")
            front, front_value = (0, 0.0) if found_special else (token_start, float(np.average(idf_weights)))
            back = self.max_tokens - front - len(idf_weights) if self.pad_to_max_tokens and self.max_tokens else 0
            w = np.pad(idf_weights.astype(np.float64), (front, back), "constant", constant_values=(front_value, 0.0))
            self._idf = w.astype(backend.floatx())

    def _vocab_list(self, vocabulary):
        return listify(vocabulary) if not isinstance(vocabulary, (list, tuple)) else list(vocabulary)

    # -- adapt -------------------------------------------------------------------------
    def adapt(self, data, steps=None):
        self._adapt(data, steps)

    def _adapt(self, data, steps, update=None):
        from tfjax._src.data.dataset import DatasetV2  # noqa: PLC0415
        update = update or self.update_state
        self.reset_state()
        if isinstance(data, DatasetV2):
            if steps is not None:
                data = data.take(steps)
            for batch in data:
                update(batch)
        elif hasattr(data, "__iter__") and not isinstance(data, (list, tuple, np.ndarray, str, bytes)) \
                and not _is_tensor(data):
            for i, batch in enumerate(data):
                if steps is not None and i >= steps:
                    break
                update(batch)
        else:
            arr = self._adapt_array(data)
            update(arr[:, None] if arr.ndim == 1 else arr)
        self.finalize_state()

    def _adapt_array(self, data):
        return self._host_keys(data)

    def _host_keys(self, x):
        v = self._keys_array(x)
        return v if isinstance(v, np.ndarray) else np.asarray(v)

    def update_state(self, data):
        if self._has_input_vocabulary:
            raise ValueError(f"Cannot adapt layer '{self.name}' after setting a static vocabulary via `vocabulary` "
                             "argument or `set_vocabulary()` method.")
        rows = self._rows(data)
        st = self._state
        for row in rows:
            st.counts.update(row)
        if self.output_mode == "tf_idf":
            for row in rows:
                st.doc_counts.update(set(row))
            st.num_docs += len(rows)

    def _rows(self, data):
        """Documents of an adapt batch as lists of keys: rows of a 2-D+ batch; a 0-D/1-D batch is one document."""
        if isinstance(data, list) and data and isinstance(data[0], list):
            return data            # already tokenized rows (TextVectorization)
        rt = _host.ragged_type()
        if rt is not None and isinstance(data, rt):
            return [[self._key(t) for t in _flatten(row)] for row in data.to_list()]
        v = self._host_keys(data)
        if v.ndim <= 1:
            return [v.reshape(-1).tolist()]
        return [r.reshape(-1).tolist() for r in v]

    def finalize_state(self):
        st = self._state
        if self._has_input_vocabulary or not st.counts:
            self._record_vocabulary_size()
            return
        counts = dict(st.counts)
        for special in (self.mask_token, self.oov_token):
            if special is not None:
                counts.pop(self._key(special), None)
        ordered = sorted(counts.items(), key=lambda kv: (kv[1], kv[0]), reverse=True)
        if self.max_tokens:
            ordered = ordered[:self.max_tokens - self._token_start_index()]
        keys = [k for k, _ in ordered]
        self._install(keys)
        if self.output_mode == "tf_idf":
            dc = np.asarray([st.doc_counts.get(k, 0) for k in keys], np.float64)
            idf = np.log(1.0 + st.num_docs / (1.0 + dc)).astype(backend.floatx())
            front = np.full(self._token_start_index(), idf.mean() if idf.size else 0.0, idf.dtype)
            idf = np.concatenate([front, idf])
            if self.pad_to_max_tokens and self.max_tokens is not None:
                idf = np.pad(idf, (0, self.max_tokens - idf.size))
            self._idf = idf
        self.reset_state()
        self._record_vocabulary_size()

    def reset_state(self):
        if not self._has_input_vocabulary:
            self._state = _AdaptState()

    # -- calling ---------------------------------------------------------------------
    def _depth(self):
        return self.max_tokens if self.pad_to_max_tokens else self._frozen_vocab_size

    def call(self, inputs):
        if self.output_mode != "int" and not self.pad_to_max_tokens and self._frozen_vocab_size is None:
            raise RuntimeError(f"When using `output_mode={self.output_mode}` and `pad_to_max_tokens=False`, you must "
                               "set the layer's vocabulary before calling it. Either pass a `vocabulary` argument to "
                               "the layer, or call `adapt` with some sample data.")
        from tfjax._src.sparse_tensor import SparseTensor  # noqa: PLC0415
        if self._tokens is None:
            raise errors.FailedPreconditionError(None, None, errors.op_message("LookupTableFindV2",
                                                                               "Table not initialized."))
        rt = _host.ragged_type()
        if rt is not None and isinstance(inputs, rt):
            return self._call_ragged(inputs)
        if isinstance(inputs, SparseTensor):
            if self.output_mode != "int":
                raise errors.unsupported(f"{type(self).__name__} with a SparseTensor input and output_mode="
                                         f"'{self.output_mode}'", "densify the input first")
            vals = self._lookup(_host.raw(inputs.values))
            return SparseTensor(inputs.indices, _host.wrap(vals), inputs.dense_shape)
        return self._encode(self._lookup(inputs))

    def _call_ragged(self, inputs):
        idx = self._lookup(_host.raw(inputs.flat_values))
        if self.output_mode == "int":
            return inputs.with_flat_values(_host.wrap(idx))
        if self.output_mode == "one_hot":
            return inputs.with_flat_values(self._encode(idx))
        if inputs.ragged_rank != 1:
            raise errors.unsupported(f"{type(self).__name__}(output_mode='{self.output_mode}') of a RaggedTensor "
                                     "with ragged_rank > 1")
        lengths = np.asarray(_host.raw(inputs.row_lengths())).tolist()
        # -1 pads are dropped by the bag encodings, as TF's bincount over the ragged rows would do.
        return self._encode(_host.pad_rows(np.asarray(idx), lengths, max(lengths, default=0), -1))

    def _encode(self, idx):
        """Lookup indices → the layer's output for ``output_mode``."""
        if self.output_mode == "int":
            return _host.wrap(idx)
        depth = self._depth()
        out = encode_indices(idx, "count" if self.output_mode == "tf_idf" else self.output_mode, depth, np.int64)
        if self.output_mode == "tf_idf":
            if self._idf is None:
                raise ValueError("When `output_mode` is `'tf_idf'`, `idf_weights` must be provided.")
            xp = np if isinstance(out, np.ndarray) else jnp
            out = out.astype(self._idf.dtype) * xp.asarray(self._idf)
        out = _host.wrap(out)
        if self.sparse:
            from tfjax._src.sparse_tensor import from_dense  # noqa: PLC0415
            return from_dense(out)
        return out

    def _lookup(self, inputs):
        if self.invert:
            return self._lookup_inverse(inputs)
        keys = self._keys_array(inputs)
        xp = np if isinstance(keys, np.ndarray) else jnp
        if self._is_string:
            default = self._default_value()
            table = self._vocab.table
            flat = keys.reshape(-1).tolist()
            out = np.fromiter(map(table.get, flat, itertools.repeat(default)), np.int64, len(flat)).reshape(keys.shape)
        else:
            out = self._int_lookup(keys, xp)
        if self.mask_token is not None:
            mask_value = 0 if self.output_mode == "int" else _INT64_MAX
            out = xp.where(keys == self._key(self.mask_token), mask_value, out)
        if self.num_oov_indices == 0:
            # Checked whenever values are concrete; a compiled IntegerLookup leaves -1 (no XLA assert).
            if not _host.is_traced(out) and bool((out == -1).any()):
                bad = [self._token(k) for k in np.asarray(keys)[np.asarray(out) == -1].tolist()]
                raise errors.invalid_argument(
                    "Assert", "When `num_oov_indices=0` all inputs should be in vocabulary, found OOV values "
                    f"{bad}, consider setting `num_oov_indices=1`.")
        elif self.num_oov_indices > 1:
            out = xp.where(out == -1, self._oov_buckets(keys, xp) + self._oov_start_index(), out)
        return out

    def _default_value(self):
        return self._oov_start_index() if self.num_oov_indices == 1 else -1

    def _int_lookup(self, keys, xp):
        default = self._default_value()
        if self._vocab.sorted_keys.size == 0:
            return xp.full(keys.shape, default, np.int64)
        sk, sv = xp.asarray(self._vocab.sorted_keys), xp.asarray(self._vocab.sorted_vals)
        pos = xp.clip(xp.searchsorted(sk, keys), 0, sk.shape[0] - 1)
        return xp.where(sk[pos] == keys, sv[pos], default).astype(np.int64)

    def _oov_buckets(self, keys, xp):
        n = self.num_oov_indices
        if not self._is_string and self.oov_method != "farmhash":
            return xp.mod(keys, n)

        def host(k):
            from tfjax._src.keras.layers.preprocessing.hashing import as_string_array  # noqa: PLC0415
            k = np.asarray(k)
            s = k if k.dtype == object else as_string_array(k)
            if self.salt is not None:
                k0, k1 = string_hash.strong_key(self.salt)
                return string_hash.hash_buckets(s, n, lambda b: string_hash.siphash24(k0, k1, b))
            return string_hash.hash_buckets(s, n, string_hash.fingerprint64)
        if xp is np:
            return host(keys)
        return jax.pure_callback(host, jax.ShapeDtypeStruct(keys.shape, np.int64), keys, vmap_method="sequential")

    def _lookup_inverse(self, inputs):
        raise NotImplementedError

    # -- symbolic shapes, config, saving -----------------------------------------------------
    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return tuple(input_shape)
        depth = self._depth()
        input_shape = tuple(input_shape)
        if self.output_mode == "one_hot":
            if len(input_shape) > 1 and input_shape[-1] == 1:
                return input_shape[:-1] + (depth,)
            return input_shape + (depth,)
        return input_shape[:-1] + (depth,)

    def compute_output_spec(self, inputs):
        dtype = self._output_dtype() if self.output_mode == "int" else backend.floatx()
        return KerasTensor(self.compute_output_shape(tuple(inputs.shape)), dtype)

    def _output_dtype(self):
        return "int64"

    def get_config(self):
        base = super().get_config()
        base.update({
            "invert": self.invert, "max_tokens": self.max_tokens, "num_oov_indices": self.num_oov_indices,
            "oov_token": self.oov_token, "mask_token": self.mask_token, "output_mode": self.output_mode,
            "sparse": self.sparse, "pad_to_max_tokens": self.pad_to_max_tokens,
            "vocabulary_dtype": self.vocabulary_dtype, "idf_weights": listify(self.input_idf_weights),
            "vocabulary": listify(self.input_vocabulary), "vocabulary_size": self._frozen_vocab_size,
            "oov_method": self.oov_method, "salt": self.salt})
        return base

    def get_build_config(self):
        return {}

    def build_from_config(self, config):
        self.built = True

    def save_own_variables(self, store):
        if self.output_mode == "tf_idf":
            store["idf_weights"] = self._idf

    def load_own_variables(self, store):
        if self.output_mode == "tf_idf":
            self._idf = np.asarray(store["idf_weights"], backend.floatx())

    def save_assets(self, dir_path):
        if self.input_vocabulary is not None:
            return
        with open(os.path.join(dir_path, "vocabulary.txt"), "w") as f:
            f.write("\n".join(str(w) for w in self.get_vocabulary(include_special_tokens=True)))

    def load_assets(self, dir_path):
        if self.input_vocabulary is not None:
            return
        with open(os.path.join(dir_path, "vocabulary.txt")) as f:
            lines = f.read().splitlines()
        while lines and lines[-1] == "":
            lines.pop()
        values = lines if self._is_string else [int(line) for line in lines]
        if self.output_mode == "tf_idf":
            # The stored weights may be padded to max_tokens; set_vocabulary pads them again.
            self.set_vocabulary(values, idf_weights=self._idf[:len(values)])
        else:
            self.set_vocabulary(values)


def _is_tensor(x):
    from tfjax._src.tensor import Tensor  # noqa: PLC0415
    return isinstance(x, (Tensor, jax.Array)) or hasattr(x, "_read_array")


def _flatten(row):
    if isinstance(row, list):
        for e in row:
            yield from _flatten(e)
    else:
        yield row
