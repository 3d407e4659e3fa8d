"""``tf.print`` output must be byte-for-byte TF's (stderr by default, sep/end/summarize),
eagerly and on every call of a ``tf.function``."""

from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from _tfdiff import check  # noqa: E402

CASES = [
    ("ints", lambda tf: tf.print(tf.constant([1, 2, 3]))),
    ("mixed", lambda tf: tf.print(tf.constant([1.5, 2, 3.25]), "hello", 3, 2.5, [1, 2], {"a": tf.constant(1)})),
    ("summarize_default", lambda tf: tf.print(tf.range(20))),
    ("summarize_2d", lambda tf: tf.print(tf.reshape(tf.range(100), [10, 10]))),
    ("summarize_all", lambda tf: tf.print(tf.reshape(tf.range(40), [4, 10]), summarize=-1)),
    ("summarize_1_3d", lambda tf: tf.print(tf.reshape(tf.range(80), [10, 2, 4]), summarize=1)),
    ("floats", lambda tf: tf.print(tf.constant(1e-8), tf.constant(123456789.0), tf.constant([1e10, 1.0]), tf.constant(0.1))),
    ("float64", lambda tf: tf.print(tf.constant(1 / 3.0), tf.constant(1 / 3.0, tf.float64))),
    ("bools_strings", lambda tf: tf.print(tf.constant(True), tf.constant([True, False]), tf.constant("str"), tf.constant(["a", "b"]))),
    ("sep_end", lambda tf: tf.print("a", "b", sep=",", end="!\n")),
    ("matrix", lambda tf: tf.print(tf.constant([[1.0, 2.0], [3.0, 4.0]]))),
    ("rank3", lambda tf: tf.print(tf.zeros([2, 2, 2]))),
    ("nan_inf", lambda tf: tf.print(tf.constant([float("nan"), float("inf"), -float("inf")]))),
    ("stdout", lambda tf: tf.print("to stdout", tf.constant(7), output_stream=sys.stdout)),
    ("empty", lambda tf: tf.print(tf.zeros([0]))),
    ("variable", lambda tf: tf.print(tf.Variable([1, 2]))),
    ("nested_list", lambda tf: tf.print(["a", tf.constant(1)], "x")),
    ("int64_big", lambda tf: tf.print(tf.constant(2**40))),
]


@pytest.mark.parametrize("snippet", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_print_matches_tf(snippet):
    check(snippet, output=True)


def test_print_in_tf_function_prints_every_call():
    def snippet(tf):
        @tf.function
        def f(x):
            tf.print("in fn", x, x * 2)
            return x + 1
        f(tf.constant(1))
        f(tf.constant(2))
        return f(tf.constant(3))
    check(snippet, output=True)
