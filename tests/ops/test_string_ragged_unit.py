"""Unit tests of the ragged results of tfjax._src.ops.string_ops (expected values from real TF)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tfjax as tfx

tf = pytest.importorskip("tensorflow")

_words = st.lists(st.text(alphabet="ab ,é", max_size=6), min_size=0, max_size=4)


@settings(max_examples=25, deadline=None)
@given(_words, st.sampled_from([None, ",", " "]), st.sampled_from([-1, 0, 1]))
def test_split_matches_tf(strings, sep, maxsplit):
    got = tfx.strings.split(tfx.constant(strings, tfx.string), sep=sep, maxsplit=maxsplit)
    want = tf.strings.split(tf.constant(strings, tf.string), sep=sep, maxsplit=maxsplit)
    assert got.to_list() == want.to_list()
    assert got.shape.as_list() == want.shape.as_list() and repr(got) == repr(want)


@settings(max_examples=15, deadline=None)
@given(_words)
def test_unicode_decode_and_bytes_split_match_tf(strings):
    a = tfx.strings.unicode_decode(tfx.constant(strings, tfx.string), "UTF-8")
    b = tf.strings.unicode_decode(tf.constant(strings, tf.string), "UTF-8")
    assert a.to_list() == b.to_list() and a.dtype.name == b.dtype.name
    assert tfx.strings.bytes_split(tfx.constant(strings, tfx.string)).to_list() == \
        tf.strings.bytes_split(tf.constant(strings, tf.string)).to_list()


def test_scalar_split_stays_dense_for_existing_callers():
    got = tfx.strings.split(tfx.constant("a b  c"))
    want = tf.strings.split(tf.constant("a b  c"))
    assert isinstance(got, tfx.Tensor) and np.asarray(got).tolist() == want.numpy().tolist()


def test_split_inside_tf_function():
    got = tfx.function(lambda x: tfx.strings.split(x).to_tensor(default_value="-"))(tfx.constant(["a b", "c"]))
    want = tf.strings.split(tf.constant(["a b", "c"])).to_tensor(default_value="-")
    assert np.asarray(got).tolist() == want.numpy().tolist()
