"""Differential test of every row of ``_table.ROWS``: values, dtypes, shapes, exception classes.

Each row runs its snippet under real TensorFlow and tfjax on hypothesis-drawn
inputs (a handful of examples per row, ``deadline=None``).
"""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from _table import ROWS  # noqa: E402
from _tfdiff import check  # noqa: E402


def _ids():
    seen = {}
    out = []
    for r in ROWS:
        n = seen.get(r.api, 0)
        seen[r.api] = n + 1
        out.append(r.api if n == 0 else f"{r.api}#{n}")
    return out


def _convert(tf, a):
    return tf.constant(a) if isinstance(a, np.ndarray) else a


@pytest.mark.parametrize("row", ROWS, ids=_ids())
def test_op_matches_tf(row):
    @settings(max_examples=row.examples, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(row.gen)
    def run(args):
        check(lambda tf: row.fn(tf, *[_convert(tf, a) for a in args]), rtol=row.rtol, atol=row.atol)
    run()
