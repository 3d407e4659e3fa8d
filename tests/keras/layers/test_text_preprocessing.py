"""tfjax-side behaviour of TextVectorization / StringLookup / IntegerLookup / Hashing.

Values against real TF are in compat_tests/keras/test_text_preprocessing_compat.py; here:
tf.data, tf.function and Model.fit integration, host/device placement, saving, tfjax-only errors.
"""

import warnings

import jax
import numpy as np
import pytest

import tfjax as tf
from tfjax._src.errors import UnsupportedError
from tfjax.keras import layers as L

TEXTS = np.array(["the cat sat", "the dog ran far", "a cat and a dog", "x y", "dog dog cat"] * 4)
LABELS = np.array([0, 1, 0, 1, 1] * 4, np.int32)


def test_public_namespaces_and_old_import_paths():
    from tfjax._src.keras.layers.preprocessing import (  # noqa: F401
        CategoryEncoding, Discretization, Normalization, Rescaling)
    from tfjax.keras.layers.experimental import preprocessing as exp
    for name in ("TextVectorization", "StringLookup", "IntegerLookup", "Hashing"):
        assert getattr(tf.keras.layers, name) is getattr(exp, name)
    assert callable(tf.strings.to_hash_bucket_fast) and callable(tf.strings.to_hash_bucket_strong)


def test_text_vectorization_in_dataset_map_stays_on_host():
    tv = L.TextVectorization(max_tokens=20, output_sequence_length=6)
    tv.adapt(TEXTS)
    seen = []

    def f(t, y):
        out = tv(t)
        seen.append(type(out._value))
        return out, y
    ds = tf.data.Dataset.from_tensor_slices((TEXTS, LABELS)).batch(4).map(f)
    batches = list(ds)
    assert all(t is np.ndarray for t in seen)    # no device round trip inside the pipeline
    x, y = batches[0]
    assert x.dtype == tf.int64 and tuple(x.shape) == (4, 6)
    np.testing.assert_array_equal(np.asarray(x), np.asarray(tv(TEXTS[:4])))
    # unbatched elements: a scalar string → a 1-D sequence
    one = next(iter(tf.data.Dataset.from_tensor_slices(TEXTS).map(tv)))
    assert tuple(one.shape) == (6,)


def test_lookups_in_dataset_map_and_adapt_from_generator():
    sl = L.StringLookup()
    sl.adapt(iter([np.array(["a", "b"]), np.array(["a", "c"]), np.array(["zz"])]), steps=2)
    assert sl.get_vocabulary() == ["[UNK]", "a", "c", "b"]
    ds = tf.data.Dataset.from_tensor_slices(np.array([["a", "q"], ["c", "b"]])).map(sl)
    assert [r.tolist() for r in ds.as_numpy_iterator()] == [[1, 0], [2, 3]]
    il = L.IntegerLookup(output_mode="count")
    il.adapt(tf.data.Dataset.from_tensor_slices(np.array([[3, 3], [4, 5]])).batch(1))
    out = next(iter(tf.data.Dataset.from_tensor_slices(np.array([[3, 4, 3]])).map(il)))
    # vocabulary [-1, 3, 5, 4]: ties in count are ordered by value, descending
    assert out.dtype == tf.int64 and np.asarray(out).tolist() == [0, 2, 0, 1]


def test_integer_lookup_and_numeric_hashing_compile_in_tf_function():
    il = L.IntegerLookup(vocabulary=[10, 20, 30], num_oov_indices=2, mask_token=0)
    inv = L.IntegerLookup(vocabulary=il.get_vocabulary(), invert=True, num_oov_indices=2, mask_token=0)
    hs = L.Hashing(7, salt=3)
    x = tf.constant([[10, 0, 30, 7, -5, 20]], dtype=tf.int64)
    traces = []

    @tf.function
    def f(v):
        traces.append(1)
        idx = il(v)
        return idx, inv(idx), hs(v), L.IntegerLookup(vocabulary=[10, 20], output_mode="multi_hot")(v)

    with warnings.catch_warnings():
        warnings.simplefilter("error")     # compiled, no eager fallback warning
        got = f(x)
        f(x + 0)
    assert len(traces) == 1
    want = (il(x), inv(il(x)), hs(x), L.IntegerLookup(vocabulary=[10, 20], output_mode="multi_hot")(x))
    for g, w in zip(got, want):
        assert g.dtype == w.dtype
        np.testing.assert_array_equal(np.asarray(g), np.asarray(w))


@pytest.mark.filterwarnings("ignore:tf.function")
def test_string_layers_inside_tf_function_run_eagerly_with_a_warning():
    tv = L.TextVectorization(vocabulary=["cat", "dog"], output_sequence_length=3)

    @tf.function
    def f(t):
        return tv(t)
    with pytest.warns(UserWarning, match="TextVectorization received strings inside a compiled function"):
        out = f(tf.constant(["cat dog x", "dog"]))
    np.testing.assert_array_equal(np.asarray(out), [[2, 3, 1], [3, 0, 0]])


def _string_model(tv):
    inp = tf.keras.Input(shape=(1,), dtype="string")
    x = tv(inp)
    x = L.Embedding(30, 4)(x)
    x = L.GlobalAveragePooling1D()(x)
    model = tf.keras.Model(inp, L.Dense(2)(x))
    model.compile("adam", tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model


@pytest.mark.filterwarnings("ignore:tf.function")
def test_model_with_string_input_fits_and_predicts():
    tv = L.TextVectorization(max_tokens=30, output_sequence_length=5)
    tv.adapt(TEXTS)
    model = _string_model(tv)
    assert model.outputs[0].shape == (None, 2)
    assert model.layers[1].output.dtype == "int64"
    with pytest.warns(UserWarning, match="TextVectorization received strings"):
        hist = model.fit(TEXTS[:, None], LABELS, batch_size=4, epochs=2, verbose=0)
    assert len(hist.history["loss"]) == 2 and np.isfinite(hist.history["loss"]).all()
    pred = model.predict(TEXTS[:, None], batch_size=8, verbose=0)
    np.testing.assert_allclose(pred, np.asarray(model(tf.constant(TEXTS[:, None]))), rtol=1e-5, atol=1e-6)


@pytest.mark.filterwarnings("ignore:tf.function")
def test_ragged_outputs_or_clear_errors_and_string_invert_in_tf_function():
    tv = L.TextVectorization(vocabulary=["a"], output_mode="one_hot")
    assert tuple(tv("a a").shape) == (2, 2)          # a single text stays dense, as in TF
    if getattr(tf, "RaggedTensor", None) is None:
        with pytest.raises(UnsupportedError, match="ragged=True"):
            L.TextVectorization(ragged=True)
        with pytest.raises(UnsupportedError, match="one_hot"):
            tv(np.array(["a a", "a"]))
    else:
        assert tv(np.array(["a a", "a"])).to_list() == [[[0, 1], [0, 1]], [[0, 1]]]
        rag = L.TextVectorization(ragged=True, vocabulary=["a", "b"])(np.array(["a b a", "", "q"]))
        assert isinstance(rag, tf.RaggedTensor) and rag.to_list() == [[2, 3, 2], [], [1]]
    inv = L.StringLookup(vocabulary=["a"], invert=True)
    with pytest.warns(UserWarning, match="StringLookup received strings"):
        assert tf.function(lambda i: inv(i))(tf.constant([1, 0])).numpy().tolist() == [b"a", b"[UNK]"]
    with pytest.raises(UnsupportedError, match="StringLookup\\(invert=True\\) inside a compiled"):
        jax.jit(lambda i: inv(tf.constant(i))._value)(np.array([1]))


def test_callable_split_may_return_sparse_or_lists():
    tv = L.TextVectorization(split=lambda t: tf.strings.split_to_sparse(t, sep="|"), standardize=None,
                             vocabulary=["a", "b c"])
    np.testing.assert_array_equal(np.asarray(tv(np.array(["a|b c|z", "b c"]))), [[2, 3, 1], [3, 0, 0]])
    tv2 = L.TextVectorization(split=lambda t: [s.decode().split(",") for s in np.asarray(t._value).tolist()],
                              standardize=None, vocabulary=["a", "b"], output_mode="count")
    np.testing.assert_array_equal(np.asarray(tv2(np.array(["a,b,a", "q"]))), [[0, 2, 1], [1, 0, 0]])


def test_sparse_outputs_and_sparse_inputs():
    sl = L.StringLookup(vocabulary=["a", "b"], output_mode="count", sparse=True)
    out = sl(np.array([["a", "a", "z"]]))
    assert isinstance(out, tf.SparseTensor)
    np.testing.assert_array_equal(np.asarray(tf.sparse.to_dense(out)), [[1, 2, 0]])
    st = tf.SparseTensor(indices=[[0, 0], [1, 2]], values=tf.constant(["b", "q"]), dense_shape=[2, 3])
    got = L.StringLookup(vocabulary=["a", "b"])(st)
    assert isinstance(got, tf.SparseTensor)
    assert np.asarray(got.values).tolist() == [2, 0]
    h = L.Hashing(4, output_mode="multi_hot", sparse=True)(np.array(["a", "b"]))
    assert isinstance(h, tf.SparseTensor)


def test_adapt_twice_replaces_and_reset_state():
    tv = L.TextVectorization()
    tv.adapt(["a b b"])
    assert tv.get_vocabulary() == ["", "[UNK]", "b", "a"]
    tv.adapt(["c"])
    assert tv.get_vocabulary() == ["", "[UNK]", "c"]
    tv.set_vocabulary(["z", "y"])
    assert tv.vocabulary_size() == 4 and tv("y z q").numpy().tolist() == [3, 2, 1]


@pytest.mark.parametrize("mode", ["int", "tf_idf"])
def test_keras_file_round_trip_keeps_adapted_vocabulary(tmp_path, mode):
    tv = L.TextVectorization(max_tokens=12, output_mode=mode, output_sequence_length=4 if mode == "int" else None)
    tv.adapt(TEXTS)
    inp = tf.keras.Input(shape=(1,), dtype="string")
    model = tf.keras.Model(inp, tv(inp))
    path = str(tmp_path / "m.keras")
    model.save(path)
    loaded = tf.keras.models.load_model(path)
    layer = loaded.layers[1]
    assert layer.get_vocabulary() == tv.get_vocabulary()
    x = tf.constant(["the dog", "zebra cat"])
    np.testing.assert_allclose(np.asarray(layer(x)), np.asarray(tv(x)), rtol=1e-6)


def test_hashing_bins_match_known_fingerprints():
    # FarmHash Fingerprint64("hello") = 13009744463427800296; TF's bucket is that modulo num_buckets.
    assert int(tf.strings.to_hash_bucket_fast(["hello"], 2**63 - 1).numpy()[0]) == 13009744463427800296 % (2**63 - 1)
    assert tf.strings.to_hash_bucket_fast("hello", 10).dtype == tf.int64


def test_without_ragged_tensor_ragged_outputs_raise(monkeypatch):
    from tfjax._src.keras.layers.preprocessing import _host
    monkeypatch.setattr(_host, "ragged_type", lambda: None)
    with pytest.raises(UnsupportedError, match="ragged=True"):
        L.TextVectorization(ragged=True)
    with pytest.raises(UnsupportedError, match="one_hot"):
        L.TextVectorization(vocabulary=["a"], output_mode="one_hot")(np.array(["a a", "a"]))
