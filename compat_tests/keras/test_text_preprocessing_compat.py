"""StringLookup / IntegerLookup / TextVectorization / Hashing and tf.strings.to_hash_bucket* vs real Keras/TF.

Every expected value comes from running real TF 2.21 (Keras 3) in this process on the same inputs.
"""

import numpy as np
import pytest

tf_real = pytest.importorskip("tensorflow")

import tfjax  # noqa: E402
from tfjax._src.errors import UnsupportedError  # noqa: E402

rng = np.random.default_rng(0)
WORDS = ["apple", "Banana", "cherry", "date", "élan", "fig", "grape", "kiwi", "lemon", "mango", "[UNK]", ""]


def both(fn):
    """``fn(tf)`` run under real TF and under tfjax."""
    return fn(tf_real), fn(tfjax)


def arr(x):
    if hasattr(x, "numpy"):
        x = x.numpy()
    return np.asarray(x)


def assert_same(ref, got, what=""):
    a, b = arr(ref), arr(got)
    assert a.shape == b.shape, f"{what}: shape {a.shape} vs {b.shape}"
    if a.dtype == object or a.dtype.kind in "SU":
        assert a.tolist() == b.tolist(), what
    else:
        assert a.dtype == b.dtype, f"{what}: dtype {a.dtype} vs {b.dtype}"
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6, err_msg=what)
    assert ref.dtype.name == got.dtype.name, f"{what}: {ref.dtype.name} vs {got.dtype.name}"


def vocab(v):
    return [x if isinstance(x, (str, int)) else (str(x) if isinstance(x, np.str_) else int(x)) for x in v]


def same_error(fn):
    errs = []
    for tf in (tf_real, tfjax):
        try:
            fn(tf)
            errs.append(None)
        except Exception as e:  # noqa: BLE001
            errs.append(e)
    ref, got = errs
    assert ref is not None, "TF did not raise"
    assert got is not None, f"tfjax did not raise (TF raised {type(ref).__name__}: {ref})"
    ref_name = type(ref).__name__
    # TF's own errors live in different modules: compare by class name, and by base for builtins.
    assert type(got).__name__ == ref_name or isinstance(got, type(ref)), f"{type(got).__name__} vs {ref_name}: {got}"


def _corpus(n=60, width=5, seed=1):
    r = np.random.default_rng(seed)
    return np.array([[WORDS[i] for i in r.integers(0, len(WORDS), width)] for _ in range(n)])


# -- StringLookup -----------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("kw", [{}, dict(max_tokens=6), dict(mask_token="", num_oov_indices=2),
                                dict(num_oov_indices=0), dict(mask_token="[MASK]", max_tokens=4)])
def test_string_lookup_adapt_vocabulary_order(seed, kw):
    data = _corpus(seed=seed, width=int(rng.integers(1, 4)))

    def run(tf):
        layer = tf.keras.layers.StringLookup(**kw)
        layer.adapt(data)
        return (vocab(layer.get_vocabulary()), vocab(layer.get_vocabulary(include_special_tokens=False)),
                layer.vocabulary_size(), layer.get_config())
    ref, got = both(run)
    assert got[:3] == ref[:3]
    ref[3].pop("name"), got[3].pop("name")
    assert got[3] == ref[3]


MODES = ["int", "one_hot", "multi_hot", "count", "tf_idf"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("kw", [{}, dict(mask_token=""), dict(num_oov_indices=3), dict(num_oov_indices=2, salt=5),
                                dict(max_tokens=8, pad_to_max_tokens=True), dict(mask_token="[M]", max_tokens=5)])
def test_string_lookup_outputs(mode, kw):
    data = _corpus()
    inputs = [data[:4], data[0], np.array("cherry"), np.array(["zzz", "", "[UNK]", "apple"]),
              data[:6].reshape(2, 3, -1), data[:3, :1]]

    def run(tf):
        layer = tf.keras.layers.StringLookup(output_mode=mode, **kw)
        layer.adapt(data)
        return [layer(x) for x in inputs] + [layer(tf.constant(inputs[0]))]
    ref, got = both(run)
    for i, (a, b) in enumerate(zip(ref, got)):
        assert_same(a, b, f"{mode} {kw} input {i}")


def test_string_lookup_given_vocabulary_and_invert():
    voc = ["a", "b", "c", "é"]

    def run(tf):
        L = tf.keras.layers
        out = []
        for kw in [{}, dict(mask_token="[M]"), dict(num_oov_indices=2), dict(oov_token="?", mask_token="")]:
            fwd = L.StringLookup(vocabulary=voc, **kw)
            inv = L.StringLookup(vocabulary=fwd.get_vocabulary(), invert=True, **kw)
            x = tf.constant([["a", "é", "zz"], ["c", "b", kw.get("mask_token") or "b"]])
            out += [fwd(x), inv(fwd(x)), inv(tf.constant([0, 1, 2, 3, 4, 5, 6, 99, -1])),
                    vocab(fwd.get_vocabulary()), vocab(inv.get_vocabulary())]
        special = L.StringLookup(vocabulary=["[UNK]", "x", "y"])
        out += [vocab(special.get_vocabulary()), special(tf.constant(["x", "q"]))]
        arr_voc = L.StringLookup(vocabulary=np.array(voc), mask_token="")
        out += [vocab(arr_voc.get_vocabulary()), arr_voc(tf.constant(["", "c"]))]
        return out
    ref, got = both(run)
    for i, (a, b) in enumerate(zip(ref, got)):
        if isinstance(a, list):
            assert a == b, i
        else:
            assert_same(a, b, str(i))


def test_string_lookup_tf_idf_weights_given_and_from_dataset():
    def run(tf):
        L = tf.keras.layers
        a = L.StringLookup(vocabulary=["a", "b", "c"], output_mode="tf_idf", idf_weights=[0.5, 0.25, 1.0])
        b = L.StringLookup(vocabulary=["[UNK]", "a", "b"], output_mode="tf_idf", idf_weights=[0.1, 0.5, 0.25],
                           max_tokens=6, pad_to_max_tokens=True)
        x = tf.constant([["a", "a", "q"], ["c", "b", "b"]])
        out = [a(x), b(x), arr(a.idf_weights), arr(b.idf_weights)]
        for batched in ([["a", "b"], ["a", "c"], ["a", "a"], ["d", "a"]], ["a", "b", "a", "c", "a", "a", "d"]):
            ds = tf.data.Dataset.from_tensor_slices(batched).batch(2)
            c = L.StringLookup(output_mode="tf_idf")
            c.adapt(ds)
            d = L.StringLookup(output_mode="tf_idf", max_tokens=8, pad_to_max_tokens=True)
            d.adapt(ds, steps=1)
            out += [vocab(c.get_vocabulary()), arr(c.idf_weights), c(x), vocab(d.get_vocabulary()),
                    arr(d.idf_weights), d(x)]
        return out
    ref, got = both(run)
    for i, (a, b) in enumerate(zip(ref, got)):
        if isinstance(a, list):
            assert a == b, i
        elif isinstance(a, np.ndarray):
            np.testing.assert_allclose(b, a, rtol=1e-6, err_msg=str(i))
        else:
            assert_same(a, b, str(i))


def test_string_lookup_vocabulary_file(tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_bytes("a\r\nb\nélan\n".encode())

    def run(tf):
        L = tf.keras.layers
        s = L.StringLookup(vocabulary=str(path), mask_token="")
        inv = L.StringLookup(vocabulary=str(path), invert=True)
        cfg = s.get_config()
        cfg.pop("name")
        return [vocab(s.get_vocabulary()), s(tf.constant(["a", "élan", "", "q"])), inv(tf.constant([0, 1, 3])), cfg]
    ref, got = both(run)
    assert ref[0] == got[0] and ref[3] == got[3]
    assert_same(ref[1], got[1])
    assert_same(ref[2], got[2])
    path.write_bytes(b"a\n\nb\n")
    same_error(lambda tf: tf.keras.layers.StringLookup(vocabulary=str(path)))


def test_lookup_config_round_trip():
    def run(tf):
        L = tf.keras.layers
        out = []
        for layer in [L.StringLookup(vocabulary=["x", "y"], mask_token="", num_oov_indices=2),
                      L.StringLookup(vocabulary=["x", "y"], output_mode="tf_idf", idf_weights=[1.0, 2.0]),
                      L.IntegerLookup(vocabulary=[4, 9], mask_token=0, output_mode="multi_hot"),
                      L.IntegerLookup(vocabulary=[4, 9], invert=True, oov_token=-7)]:
            cfg = layer.get_config()
            clone = type(layer).from_config(cfg)
            x = tf.constant([1, 2, 3, 0]) if layer.invert else (
                tf.constant(["x", "y", "q", ""]) if isinstance(layer, L.StringLookup) else tf.constant([4, 9, 3, 0]))
            cfg.pop("name")
            out += [cfg, layer(x), clone(x), vocab(clone.get_vocabulary())]
        return out
    ref, got = both(run)
    for i, (a, b) in enumerate(zip(ref, got)):
        if isinstance(a, (dict, list)):
            assert a == b, i
        else:
            assert_same(a, b, str(i))


# -- IntegerLookup ------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("kw", [{}, dict(mask_token=0), dict(num_oov_indices=3),
                                dict(num_oov_indices=3, oov_method="farmhash"),
                                dict(num_oov_indices=2, oov_method="farmhash", salt=[3, 11]), dict(max_tokens=5)])
def test_integer_lookup_outputs(mode, kw):
    data = rng.integers(-3, 12, (40, 3))
    inputs = [data[:4], data[0], np.array(5), np.array([-100, 0, 7, 2**40]), data[:3, :1].astype("int32")]

    def run(tf):
        layer = tf.keras.layers.IntegerLookup(output_mode=mode, **kw)
        layer.adapt(data)
        return [vocab(layer.get_vocabulary())] + [layer(x) for x in inputs]
    ref, got = both(run)
    assert ref[0] == got[0]
    for i, (a, b) in enumerate(zip(ref[1:], got[1:])):
        assert_same(a, b, f"{mode} {kw} input {i}")


def test_integer_lookup_invert_and_dataset():
    def run(tf):
        L = tf.keras.layers
        ds = tf.data.Dataset.from_tensor_slices(np.array([[3, 3, 5], [7, 5, 3], [9, 9, 9]])).batch(2)
        a = L.IntegerLookup(output_mode="tf_idf")
        a.adapt(ds)
        inv = L.IntegerLookup(vocabulary=[12, 36, 1138, 42], invert=True, mask_token=0)
        return [vocab(a.get_vocabulary()), arr(a.idf_weights), a(np.array([[3, 9, 1]])),
                inv(np.array([[0, 1, 2, 3], [4, 5, 6, -2]]))]
    ref, got = both(run)
    assert ref[0] == got[0]
    np.testing.assert_allclose(got[1], ref[1], rtol=1e-6)
    assert_same(ref[2], got[2])
    assert_same(ref[3], got[3])


# -- errors -------------------------------------------------------------------------------------

BAD_CONSTRUCTORS = [
    ("StringLookup", dict(max_tokens=1)), ("StringLookup", dict(pad_to_max_tokens=True)),
    ("StringLookup", dict(num_oov_indices=-1)), ("StringLookup", dict(output_mode="bogus")),
    ("StringLookup", dict(invert=True, output_mode="count")), ("StringLookup", dict(sparse=True)),
    ("StringLookup", dict(idf_weights=[1.0], vocabulary=["a"])),
    ("StringLookup", dict(output_mode="tf_idf", vocabulary=["a"])), ("StringLookup", dict(vocabulary=["a", "a"])),
    ("StringLookup", dict(vocabulary=["a", ""], mask_token="")), ("StringLookup", dict(vocabulary=[])),
    ("StringLookup", dict(vocabulary=["a", "b", "c"], max_tokens=3)), ("StringLookup", dict(salt="x")),
    ("StringLookup", dict(vocabulary="/nonexistent/vocab.txt")), ("StringLookup", dict(bogus_kwarg=1)),
    ("StringLookup", dict(vocabulary=["a", "[UNK]"], invert=True)),
    ("IntegerLookup", dict(max_tokens=0)), ("IntegerLookup", dict(vocabulary_dtype="int32")),
    ("IntegerLookup", dict(salt=3)), ("IntegerLookup", dict(oov_method="mod")),
    ("IntegerLookup", dict(vocabulary=[1, 2], output_mode="tf_idf", idf_weights=[1.0])),
    ("TextVectorization", dict(standardize="upper")), ("TextVectorization", dict(split="comma")),
    ("TextVectorization", dict(output_mode="bogus")), ("TextVectorization", dict(ngrams=[1, 2])),
    ("TextVectorization", dict(output_sequence_length=2.5)),
    ("TextVectorization", dict(output_mode="count", output_sequence_length=3)),
    ("TextVectorization", dict(ragged=True, output_mode="count")),
    ("Hashing", dict(num_bins=0)), ("Hashing", dict(num_bins=None)),
    ("Hashing", dict(num_bins=3, output_mode="tf_idf")),
    ("Hashing", dict(num_bins=3, sparse=True)), ("Hashing", dict(num_bins=3, salt="s")),
    ("Hashing", dict(num_bins=3, dtype="float32")),
]


@pytest.mark.parametrize("name,kw", BAD_CONSTRUCTORS, ids=[f"{n}-{sorted(k)}" for n, k in BAD_CONSTRUCTORS])
def test_bad_arguments_raise_like_tf(name, kw):
    same_error(lambda tf: getattr(tf.keras.layers, name)(**kw))


def test_bad_calls_raise_like_tf():
    same_error(lambda tf: tf.keras.layers.StringLookup(vocabulary=["a"], num_oov_indices=0)(tf.constant(["a", "b"])))
    same_error(lambda tf: tf.keras.layers.IntegerLookup(vocabulary=[1], num_oov_indices=0)(tf.constant([1, 5])))
    same_error(lambda tf: tf.keras.layers.StringLookup()(tf.constant(["a"])))
    same_error(lambda tf: tf.keras.layers.StringLookup(output_mode="count")(tf.constant(["a"])))
    same_error(lambda tf: tf.keras.layers.StringLookup(vocabulary=["a"])(tf.constant([1, 2])))
    same_error(lambda tf: tf.keras.layers.IntegerLookup(vocabulary=[1])(["a"]))
    same_error(lambda tf: tf.keras.layers.StringLookup(vocabulary=["a"]).adapt(["a", "b"]))
    same_error(lambda tf: tf.keras.layers.TextVectorization(vocabulary=["a"])(tf.constant([["a b", "c"]])))

    def resize_frozen(tf):
        layer = tf.keras.layers.StringLookup(vocabulary=["a", "b"], output_mode="multi_hot")
        layer.set_vocabulary(["a", "b", "c"])
    same_error(resize_frozen)
    same_error(lambda tf: tf.keras.layers.StringLookup(output_mode="tf_idf").set_vocabulary(["a"]))
    same_error(lambda tf: tf.keras.layers.StringLookup().set_vocabulary(["a"], idf_weights=[1.0]))
    same_error(lambda tf: tf.keras.layers.StringLookup(vocabulary=["a"], output_mode="tf_idf",
                                                       idf_weights=[1.0, 2.0]))


# -- TextVectorization -----------------------------------------------------------------------------

TEXTS = np.array(["The cat sat on the mat.", "the DOG, ran!! far", "A cat and a dog", "x", "",
                  "Élan, vital -- élan?", "tab\tseparated\nlines  and   spaces", "don't stop-me now"])


@pytest.mark.parametrize("kw", [
    {}, dict(max_tokens=8), dict(standardize="lower"), dict(standardize="strip_punctuation"),
    dict(standardize=None), dict(split="character"), dict(ngrams=2), dict(ngrams=(1, 3)), dict(ngrams=(2,)),
    dict(output_sequence_length=4), dict(output_sequence_length=12, ngrams=2),
    dict(output_mode="multi_hot"), dict(output_mode="count", ngrams=2), dict(output_mode="tf_idf"),
    dict(output_mode="multi_hot", max_tokens=10, pad_to_max_tokens=True),
    dict(output_mode="tf_idf", max_tokens=20, pad_to_max_tokens=True, ngrams=2),
    dict(output_mode="count", sparse=False, split="character", max_tokens=9),
])
def test_text_vectorization_adapt_and_outputs(kw):
    inputs = [TEXTS[:4], TEXTS, TEXTS[:3, None], np.array("the cat and the zebra"), np.array([], dtype=str)]

    def run(tf):
        layer = tf.keras.layers.TextVectorization(**kw)
        layer.adapt(TEXTS)
        cfg = layer.get_config()
        cfg.pop("name")
        outs = [layer(x) for x in inputs]
        outs.append(layer(tf.constant(TEXTS[:5])))
        return vocab(layer.get_vocabulary()), layer.vocabulary_size(), cfg, outs
    ref, got = both(run)
    assert got[0] == ref[0]
    assert got[1] == ref[1]
    assert got[2] == ref[2]
    for i, (a, b) in enumerate(zip(ref[3], got[3])):
        assert_same(a, b, f"{kw} input {i}")


def test_text_vectorization_split_none_and_callables():
    tokens = np.array([["a", "b", "a"], ["c", "a", "zz"]])

    def run(tf):
        L = tf.keras.layers
        a = L.TextVectorization(split=None, standardize=None)
        a.adapt(tokens)
        b = L.TextVectorization(split=None, output_mode="count")
        b.adapt(tokens)
        c = L.TextVectorization(standardize=lambda x: tf.strings.regex_replace(tf.strings.lower(x), "[0-9]+", "#"))
        c.adapt(["Route 66 and 101", "no numbers HERE"])
        d = L.TextVectorization(split=None, ngrams=2, vocabulary=["a b", "b a"], output_sequence_length=3)
        return [vocab(a.get_vocabulary()), a(tokens), a(np.array(["a", "c"])), vocab(b.get_vocabulary()), b(tokens),
                vocab(c.get_vocabulary()), c(np.array(["ROUTE 7", "here 2"])), d(tokens)]
    ref, got = both(run)
    for i, (x, y) in enumerate(zip(ref, got)):
        if isinstance(x, list):
            assert x == y, i
        else:
            assert_same(x, y, str(i))


def test_text_vectorization_vocabulary_dataset_and_config():
    def run(tf):
        L = tf.keras.layers
        ds = tf.data.Dataset.from_tensor_slices(TEXTS).batch(3)
        a = L.TextVectorization(max_tokens=12, output_mode="tf_idf")
        a.adapt(ds)
        b = L.TextVectorization(max_tokens=12)
        b.adapt(ds, steps=2)
        c = L.TextVectorization(vocabulary=["earth", "wind", "and", "fire"], output_sequence_length=5)
        d = L.TextVectorization(output_mode="tf_idf", vocabulary=["a", "b"], idf_weights=[0.5, 1.5])
        e = L.TextVectorization.from_config(c.get_config())
        f = L.TextVectorization.from_config(d.get_config())
        cfgs = []
        for layer in (a, b, c, d, e, f):
            cfg = layer.get_config()
            cfg.pop("name")
            cfgs.append(cfg)
        x = tf.constant(["Earth and wind and fire and water", "a b b zz"])
        mapped = list(ds.map(lambda t: c(t)).as_numpy_iterator())
        return [vocab(a.get_vocabulary()), arr(a._lookup_layer.idf_weights), a(x), vocab(b.get_vocabulary()), b(x),
                c(x), d(x), e(x), f(x), vocab(c.get_vocabulary()), cfgs, [m.tolist() for m in mapped]]
    ref, got = both(run)
    for i, (x, y) in enumerate(zip(ref, got)):
        if isinstance(x, list):
            assert x == y, i
        elif isinstance(x, np.ndarray):
            np.testing.assert_allclose(y, x, rtol=1e-6, err_msg=str(i))
        else:
            assert_same(x, y, str(i))


# -- hashing ---------------------------------------------------------------------------------------

def _random_strings(n, seed=0):
    r = np.random.default_rng(seed)
    out = [b"", b"a", b"hello", "héllo wörld".encode(), bytes(range(256)), b"\x00\xff" * 9]
    for _ in range(n):
        k = int(r.integers(0, 40))
        out.append(bytes(r.integers(0, 256, k).astype(np.uint8)))
    return np.array(out, dtype=object)


def test_to_hash_bucket_ops_bit_identical():
    strings = _random_strings(300)
    for nb in (1, 2, 7, 1000, 2**31 - 1, 2**63 - 1):
        for name, extra in [("to_hash_bucket_fast", {}), ("to_hash_bucket_strong", dict(key=[1, 2])),
                            ("to_hash_bucket_strong", dict(key=[-1, 2**62])), ("to_hash_bucket", {})]:
            ref, got = both(lambda tf: getattr(tf.strings, name)(tf.constant(strings), nb, **extra))
            assert_same(ref, got, f"{name} {nb} {extra}")
    ref, got = both(lambda tf: tf.strings.to_hash_bucket_fast(tf.constant([["a", "b"], ["c", "d"]]), 5))
    assert_same(ref, got)
    ref, got = both(lambda tf: tf.strings.to_hash_bucket_fast("scalar", 5))
    assert_same(ref, got)
    same_error(lambda tf: tf.strings.to_hash_bucket_fast(["a"], 0))
    same_error(lambda tf: tf.strings.to_hash_bucket_strong(["a"], 3, [1]))
    same_error(lambda tf: tf.strings.to_hash_bucket_fast(tf.constant([1, 2]), 3))


@pytest.mark.parametrize("kw", [dict(num_bins=3), dict(num_bins=1000), dict(num_bins=5, mask_value="a"),
                                dict(num_bins=5, salt=7), dict(num_bins=5, salt=(-3, 2**40)),
                                dict(num_bins=4, output_mode="multi_hot"), dict(num_bins=4, output_mode="count"),
                                dict(num_bins=4, output_mode="one_hot"), dict(num_bins=4, dtype="int32"),
                                dict(num_bins=1, mask_value="a"), dict(num_bins=6, mask_value=0)])
def test_hashing_layer_bit_identical(kw):
    strings = _random_strings(150, seed=3)
    ints = np.concatenate([rng.integers(-2**62, 2**62, 80), np.arange(-20, 20), [0, 2**63 - 1, -2**63]])
    inputs = [strings, ints, ints.astype("int32"), np.array([1.7, -1.7, 2.0, 0.0, 1e12]), np.array([True, False]),
              strings[:12].reshape(4, 3), np.array([["a"], ["b"]]), np.array("scalar")]
    if kw.get("output_mode") == "one_hot":
        inputs = [strings[:20], np.array([["a"], ["b"]]), ints[:10]]
    if "mask_value" in kw:
        inputs = [x for x in inputs if (x.dtype == object or x.dtype.kind in "SU") == isinstance(kw["mask_value"], str)
                  and x.dtype != bool]

    def run(tf):
        layer = tf.keras.layers.Hashing(**kw)
        cfg = layer.get_config()
        cfg.pop("name")
        return [cfg] + [layer(tf.constant(x) if x.dtype == object else x) for x in inputs]
    ref, got = both(run)
    assert ref[0] == got[0]
    for i, (a, b) in enumerate(zip(ref[1:], got[1:])):
        assert_same(a, b, f"{kw} input {i}")


# -- ragged ----------------------------------------------------------------------------------------

def _ragged_cases(tf):
    L = tf.keras.layers
    texts = ["the cat sat", "a dog", "", "the the dog ran far away"]
    out = []
    t = L.TextVectorization(ragged=True)
    t.adapt(texts)
    out.append(t(texts))
    out.append(L.TextVectorization(ragged=True, output_sequence_length=2, vocabulary=["the", "dog"])(texts))
    out.append(L.TextVectorization(output_mode="one_hot", vocabulary=["the", "dog"])(texts))
    out.append(L.TextVectorization(split=lambda x: tf.strings.split(x, "a"), vocabulary=["c", "t s"])(["cat sat"]))
    r = tf.ragged.constant([["a", "b", "a"], ["c"], []])
    for m in MODES:
        kw = {"idf_weights": [1.0, 2.0]} if m == "tf_idf" else {}
        out.append(L.StringLookup(output_mode=m, vocabulary=["a", "b"], **kw)(r))
    s = L.StringLookup()
    s.adapt(tf.data.Dataset.from_tensor_slices(["a b", "b", "c c c"]).map(tf.strings.split).ragged_batch(2))
    out.append(vocab(s.get_vocabulary()))
    out.append(L.IntegerLookup(vocabulary=[3, 4])(tf.ragged.constant([[3, 4, 5], [4]])))
    return out


def test_ragged_inputs_and_outputs():
    if getattr(tfjax, "RaggedTensor", None) is None:
        with pytest.raises(UnsupportedError, match="RaggedTensor"):
            tfjax.keras.layers.TextVectorization(ragged=True)
        return
    ref, got = both(_ragged_cases)
    for i, (a, b) in enumerate(zip(ref, got)):
        if isinstance(a, list):
            assert a == b, i
            continue
        assert type(a).__name__.endswith("RaggedTensor") == type(b).__name__.endswith("RaggedTensor"), i
        assert a.dtype.name == b.dtype.name, i
        as_list = (lambda x: x.to_list()) if hasattr(a, "to_list") else (lambda x: arr(x).tolist())
        assert as_list(a) == as_list(b), i


def test_sparse_inputs():
    def run(tf):
        st = tf.SparseTensor(indices=[[0, 0], [1, 2], [2, 1]], values=tf.constant(["a", "zz", "b"]),
                             dense_shape=[3, 3])
        ist = tf.SparseTensor(indices=[[0, 1], [1, 0]], values=tf.constant([4, 7], tf.int64), dense_shape=[2, 2])
        L = tf.keras.layers
        outs = [L.StringLookup(vocabulary=["a", "b"])(st), L.Hashing(7)(st), L.Hashing(5, salt=2)(ist)]
        # IntegerLookup densifies a SparseTensor input (implicit zeros included) and returns a dense tensor.
        dense = L.IntegerLookup(vocabulary=[7])(ist)
        return [(arr(o.indices).tolist(), arr(o.values).tolist(), o.values.dtype.name, arr(o.dense_shape).tolist())
                for o in outs] + [(type(dense).__name__ == "SparseTensor", arr(dense).tolist(), dense.dtype.name)]
    ref, got = both(run)
    assert ref == got
