"""tf.lookup against real TF: static / vocabulary / text-file / mutable tables, dense, sparse and
ragged keys, dtype errors, use inside tf.data map and tf.function."""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _plain import plain  # noqa: E402
from _tfdiff import check  # noqa: E402


def _kv(tf):
    return tf.lookup.KeyValueTensorInitializer(["a", "b", "c"], [1, 2, 3])


def _sorted_export(t):
    k, v = t.export()
    k, v = k.numpy(), v.numpy()
    order = np.argsort(k, kind="stable")
    return [k.dtype.kind, v.dtype.str, k[order].tolist(), v[order].tolist()]


def _vocab(tf, n=3):
    return tf.lookup.StaticVocabularyTable(
        tf.lookup.KeyValueTensorInitializer(["a", "b", "c"], tf.constant([0, 1, 2], tf.int64)), n)


def _int_table(tf, vals=(3.0, 4.0), default=-1.0):
    return tf.lookup.StaticHashTable(
        tf.lookup.KeyValueTensorInitializer(tf.constant([1, 2], tf.int64), list(vals)), default)


CASES = {
    "init_dtypes": lambda tf: [_kv(tf).key_dtype.name, _kv(tf).value_dtype.name,
                               tf.lookup.KeyValueTensorInitializer([1, 2], [1, 2], key_dtype=tf.int64,
                                                                   value_dtype=tf.float32).value_dtype.name],
    "static_lookup": lambda tf: tf.lookup.StaticHashTable(_kv(tf), -1).lookup(tf.constant([["a", "x"], ["c", "b"]])),
    "static_size_default": lambda tf: (lambda t: [t.size(), t.default_value, t.key_dtype.name, t.value_dtype.name,
                                                  t.name])(tf.lookup.StaticHashTable(_kv(tf), -1)),
    "static_getitem_scalar": lambda tf: tf.lookup.StaticHashTable(_kv(tf), -1)[tf.constant("b")],
    "static_export": lambda tf: _sorted_export(tf.lookup.StaticHashTable(_kv(tf), -1)),
    "static_sparse": lambda tf: plain(tf.lookup.StaticHashTable(_kv(tf), -1).lookup(
        tf.sparse.from_dense(tf.constant([["a", ""], ["", "q"]])))),
    "static_ragged": lambda tf: plain(tf.lookup.StaticHashTable(_kv(tf), -1).lookup(
        tf.ragged.constant([["a"], ["b", "zz"]]))),
    "static_int_float": lambda tf: _int_table(tf).lookup(tf.constant([[1, 5], [2, 2]], tf.int64)),
    "static_int32_keys": lambda tf: tf.lookup.StaticHashTable(
        tf.lookup.KeyValueTensorInitializer([5, 7], [1, 2]), 0).lookup(tf.constant([7, 6, 5])),
    "static_int_to_string": lambda tf: plain(tf.lookup.StaticHashTable(
        tf.lookup.KeyValueTensorInitializer([1, 2], ["x", "y"]), "z").lookup(tf.constant([[1, 7]]))),
    "static_string_to_float": lambda tf: tf.lookup.StaticHashTable(
        tf.lookup.KeyValueTensorInitializer(["u", "v"], [0.5, 1.5]), np.nan).lookup(tf.constant(["v", "w"])),
    "static_empty_keys": lambda tf: tf.lookup.StaticHashTable(_kv(tf), -1).lookup(tf.constant([], tf.string)),
    "err_key_dtype": lambda tf: tf.lookup.StaticHashTable(_kv(tf), -1).lookup(tf.constant([1, 2])),
    "err_key_int_width": lambda tf: _int_table(tf).lookup(tf.constant([1, 2])),
    "err_list_keys": lambda tf: tf.lookup.StaticHashTable(_kv(tf), -1).lookup(["a"]),
    "err_default_dtype": lambda tf: tf.lookup.StaticHashTable(_kv(tf), -1.5),
    "err_duplicate_keys": lambda tf: tf.lookup.StaticHashTable(
        tf.lookup.KeyValueTensorInitializer([1, 1], [3.0, 4.0]), 0.0),
    "duplicate_same_value": lambda tf: tf.lookup.StaticHashTable(
        tf.lookup.KeyValueTensorInitializer([1, 1, 2], [3.0, 3.0, 4.0]), 0.0).size(),
    "err_length_mismatch": lambda tf: tf.lookup.StaticHashTable(
        tf.lookup.KeyValueTensorInitializer([1, 2], [3.0]), 0.0),
    "vocab_lookup": lambda tf: _vocab(tf).lookup(tf.constant(["a", "zz", "q", "c", "", "hello world"])),
    "vocab_size": lambda tf: [_vocab(tf, 5).size(), _vocab(tf).value_dtype.name, _vocab(tf).key_dtype.name],
    "vocab_one_bucket": lambda tf: _vocab(tf, 1).lookup(tf.constant([["x", "b"]])),
    "vocab_int64": lambda tf: tf.lookup.StaticVocabularyTable(tf.lookup.KeyValueTensorInitializer(
        tf.constant([10, 20], tf.int64), tf.constant([0, 1], tf.int64)), 4).lookup(
        tf.constant([10, 20, 30, -5, 123456789], tf.int64)),
    "vocab_int32_lookup": lambda tf: tf.lookup.StaticVocabularyTable(tf.lookup.KeyValueTensorInitializer(
        tf.constant([10, 20], tf.int64), tf.constant([0, 1], tf.int64)), 4, lookup_key_dtype=tf.int32).lookup(
        tf.constant([10, 30, 7])),
    "vocab_no_initializer": lambda tf: tf.lookup.StaticVocabularyTable(None, 7).lookup(tf.constant(["a", "b"])),
    "vocab_sparse": lambda tf: plain(_vocab(tf).lookup(tf.sparse.from_dense(tf.constant([["a", ""], ["", "q"]])))),
    "vocab_ragged": lambda tf: plain(_vocab(tf).lookup(tf.ragged.constant([["a", "n"], ["b"]]))),
    "err_vocab_value_dtype": lambda tf: tf.lookup.StaticVocabularyTable(_kv(tf), 3),
    "err_vocab_zero_buckets": lambda tf: _vocab(tf, 0),
    "err_vocab_int32_table": lambda tf: tf.lookup.StaticVocabularyTable(tf.lookup.KeyValueTensorInitializer(
        [1, 2], tf.constant([0, 1], tf.int64)), 2),
    "err_vocab_key_dtype": lambda tf: _vocab(tf).lookup(tf.constant([1])),
    "text_index": lambda tf: [tf.lookup.TextFileIndex.WHOLE_LINE, tf.lookup.TextFileIndex.LINE_NUMBER],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_lookup(name):
    check(CASES[name])


@pytest.fixture
def vocab_files(tmp_path):
    (tmp_path / "words.txt").write_text("apple\nbanana\ncherry\n")
    (tmp_path / "cols.tsv").write_text("apple\t10\tx\nbanana\t20\ty\ncherry\t30\tz\n")
    (tmp_path / "cols.csv").write_text("7,alpha\n8,beta\n")
    (tmp_path / "short.tsv").write_text("a\t1\nb\n")
    (tmp_path / "dup.txt").write_text("a\nb\na\n")
    return tmp_path


TEXT = {
    "whole_line_to_line_number": lambda tf, d: tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer(
        str(d / "words.txt"), tf.string, tf.lookup.TextFileIndex.WHOLE_LINE, tf.int64,
        tf.lookup.TextFileIndex.LINE_NUMBER), -1).lookup(tf.constant(["banana", "kiwi", "apple"])),
    "columns": lambda tf, d: tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer(
        str(d / "cols.tsv"), tf.string, 0, tf.int64, 1), -1).lookup(tf.constant(["cherry", "apple", "z"])),
    "string_values": lambda tf, d: plain(tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer(
        str(d / "cols.tsv"), tf.string, 0, tf.string, 2), "?").lookup(tf.constant(["cherry", "q"]))),
    "delimiter_int_keys": lambda tf, d: plain(tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer(
        str(d / "cols.csv"), tf.int64, 0, tf.string, 1, delimiter=","), "").lookup(
        tf.constant([8, 9, 7], tf.int64))),
    "vocab_size_limit": lambda tf, d: tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer(
        str(d / "words.txt"), tf.string, -2, tf.int64, -1, vocab_size=2), -1).lookup(
        tf.constant(["apple", "cherry"])),
    "value_index_offset": lambda tf, d: tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer(
        str(d / "words.txt"), tf.string, -2, tf.int64, -1, value_index_offset=5), -1).lookup(
        tf.constant(["apple", "cherry"])),
    "vocabulary_table_from_file": lambda tf, d: tf.lookup.StaticVocabularyTable(tf.lookup.TextFileInitializer(
        str(d / "words.txt"), tf.string, -2, tf.int64, -1), 2).lookup(tf.constant(["banana", "durian", "fig"])),
    "err_vocab_size_too_big": lambda tf, d: tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer(
        str(d / "words.txt"), tf.string, -2, tf.int64, -1, vocab_size=9), -1),
    "err_missing_column": lambda tf, d: tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer(
        str(d / "short.tsv"), tf.string, 0, tf.int64, 1), -1),
    "err_duplicate_line": lambda tf, d: tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer(
        str(d / "dup.txt"), tf.string, -2, tf.int64, -1), -1),
    "err_missing_file": lambda tf, d: tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer(
        str(d / "nope.txt"), tf.string, -2, tf.int64, -1), -1),
    "err_line_number_dtype": lambda tf, d: tf.lookup.TextFileInitializer(
        str(d / "words.txt"), tf.string, -2, tf.int32, -1),
    "err_empty_filename": lambda tf, d: tf.lookup.TextFileInitializer("", tf.string, -2, tf.int64, -1),
}


@pytest.mark.parametrize("name", sorted(TEXT))
def test_text_file_initializer(name, vocab_files):
    check(lambda tf: TEXT[name](tf, vocab_files))


def _mutable(tf):
    t = tf.lookup.experimental.MutableHashTable(tf.string, tf.int64, -1)
    t.insert(tf.constant(["a", "b", "c"]), tf.constant([1, 2, 3], tf.int64))
    t.insert(tf.constant(["b"]), tf.constant([20], tf.int64))
    t.remove(tf.constant(["c", "zz"]))
    return t


def _dense(tf):
    t = tf.lookup.experimental.DenseHashTable(tf.int64, tf.float32, default_value=-1.0, empty_key=0,
                                              deleted_key=-1, initial_num_buckets=8)
    t.insert(tf.constant([5, 6, 7], tf.int64), tf.constant([0.5, 0.6, 0.7]))
    t.erase(tf.constant([6], tf.int64))
    return t


MUTABLE = {
    "mutable_lookup": lambda tf: _mutable(tf).lookup(tf.constant([["a", "b"], ["c", "q"]])),
    "mutable_size": lambda tf: _mutable(tf).size(),
    "mutable_export": lambda tf: _sorted_export(_mutable(tf)),
    "mutable_python_keys": lambda tf: _mutable(tf).lookup(["a", "zz"]),
    "mutable_dynamic_default": lambda tf: _mutable(tf).lookup(
        tf.constant(["a", "x", "y"]), dynamic_default_values=tf.constant([7, 8, 9], tf.int64)),
    "mutable_vector_values": lambda tf: (lambda t: [t.insert(tf.constant([1, 2], tf.int64),
                                                             tf.constant([[1.0, 2.0], [3.0, 4.0]])),
                                                    t.lookup(tf.constant([2, 3], tf.int64)), t.size()][1:])(
        tf.lookup.experimental.MutableHashTable(tf.int64, tf.float32, [0.0, -1.0])),
    "mutable_err_remove_dtype": lambda tf: _mutable(tf).remove(tf.constant([1])),
    "mutable_err_insert_shape": lambda tf: _mutable(tf).insert(tf.constant(["a", "b"]), tf.constant([1], tf.int64)),
    "mutable_err_insert_dtype": lambda tf: _mutable(tf).insert(tf.constant([1]), tf.constant([1], tf.int64)),
    "dense_lookup": lambda tf: [_dense(tf).lookup(tf.constant([5, 6, 7, 8], tf.int64)), _dense(tf).size()],
    "dense_err_empty_key": lambda tf: _dense(tf).lookup(tf.constant([0], tf.int64)),
    "dense_err_deleted_key_insert": lambda tf: _dense(tf).insert(tf.constant([-1], tf.int64), tf.constant([1.0])),
    "dense_err_erase_dtype": lambda tf: _dense(tf).erase(tf.constant([1])),
}


@pytest.mark.parametrize("name", sorted(MUTABLE))
def test_mutable_tables(name):
    check(MUTABLE[name])


def test_lookup_in_dataset_map():
    def snippet(tf):
        table = _vocab(tf)
        static = tf.lookup.StaticHashTable(_kv(tf), -1)
        ds = tf.data.Dataset.from_tensor_slices(["a b", "q c zz"]).map(lambda s: tf.strings.split(s))
        ds = ds.map(lambda toks: (table.lookup(toks), static.lookup(toks)))
        return [[a.numpy(), b.numpy()] for a, b in ds]
    check(snippet)


def test_lookup_in_dataset_map_batched_ragged():
    def snippet(tf):
        table = _vocab(tf, 2)
        ds = tf.data.Dataset.from_tensor_slices(["a b", "q", "c zz y"]).batch(2)
        ds = ds.map(lambda s: table.lookup(tf.strings.split(s)))
        return [plain(x) for x in ds]
    check(snippet)


def test_int_lookup_in_tf_function():
    def snippet(tf):
        table = _int_table(tf)
        vocab = tf.lookup.StaticVocabularyTable(tf.lookup.KeyValueTensorInitializer(
            tf.constant([10, 20], tf.int64), tf.constant([0, 1], tf.int64)), 3)

        @tf.function
        def f(x):
            return table.lookup(x) * 2.0, vocab.lookup(x)
        return [f(tf.constant([1, 2, 9], tf.int64)), f(tf.constant([[10, 2]], tf.int64))]
    check(snippet)


def test_string_lookup_in_tf_function():
    def snippet(tf):
        table = tf.lookup.StaticHashTable(_kv(tf), -1)
        vocab = _vocab(tf)

        @tf.function
        def f(s):
            return table.lookup(s) + 1, vocab.lookup(s)
        return [f(tf.constant(["a", "zz"])), f(tf.constant(["c"]))]
    check(snippet)


def test_mutable_table_in_tf_function():
    def snippet(tf):
        t = tf.lookup.experimental.MutableHashTable(tf.int64, tf.int64, 0)

        @tf.function
        def add(k, v):
            t.insert(k, v)
            return t.size()
        out = [add(tf.constant([1, 2], tf.int64), tf.constant([5, 6], tf.int64)),
               add(tf.constant([3, 4], tf.int64), tf.constant([7, 8], tf.int64))]
        return out + [t.lookup(tf.constant([1, 4, 9], tf.int64))]
    check(snippet)
