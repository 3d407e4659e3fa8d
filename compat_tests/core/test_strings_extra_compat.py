"""tf.strings.unsorted_segment_join against real TF."""

from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _plain import plain  # noqa: E402
from _tfdiff import check  # noqa: E402

CASES = {
    "join_1d": lambda tf: tf.strings.unsorted_segment_join(["a", "b", "c", "d"], [1, 0, 1, 3], 4, separator=":"),
    "join_2d": lambda tf: tf.strings.unsorted_segment_join([["a", "b"], ["c", "d"], ["e", "f"]], [0, 1, 0], 2,
                                                           separator="-"),
    "join_negative_ids": lambda tf: tf.strings.unsorted_segment_join(["a", "b"], [-1, 0], 2),
    "join_err_range": lambda tf: tf.strings.unsorted_segment_join(["a", "b"], [0, 5], 2),
    "join_err_shape": lambda tf: tf.strings.unsorted_segment_join(["a", "b"], [0, 1, 0], 2),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_strings_extra(name):
    check(lambda tf: plain(CASES[name](tf)))
