"""Differential harness: run one snippet with real TensorFlow and with tfjax, compare.

A snippet is ``fn(tf) -> result``. The outcome of running it is the result
converted to plain Python/numpy (Tensors/Variables -> numpy, IndexedSlices ->
dense, nested structures preserved, ``None`` kept), or ``("raises", ClassName)``
when it raises. Output written to file descriptors 1/2 (``print``,
``tf.print``) is captured too, when asked. Outcomes must match exactly for
structure, None-ness, dtypes and exception class names, and to a tolerance for
values.
"""

from __future__ import annotations

import os
import sys
import tempfile
import warnings

import numpy as np

try:  # pragma: no cover - exercised by the test environment
    import tensorflow as tf_real
except Exception:  # noqa: BLE001
    tf_real = None

import tfjax


class Raised:
    def __init__(self, exc):
        self.cls = type(exc).__name__
        self.msg = str(exc)

    def __repr__(self):
        return f"Raised({self.cls}: {self.msg[:200]!r})"


def to_plain(x, tf):
    """Tensors -> numpy (with dtype), containers preserved, everything else as is."""
    if x is None or isinstance(x, (bool, int, float, str, bytes)):
        return x
    if isinstance(x, dict):
        return {k: to_plain(v, tf) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return type(x)(to_plain(v, tf) for v in x) if not hasattr(x, "_fields") else tuple(to_plain(v, tf) for v in x)
    if type(x).__name__ == "IndexedSlices":
        x = tf.convert_to_tensor(x)
    if hasattr(x, "numpy"):
        return np.asarray(x.numpy())
    if isinstance(x, (np.ndarray, np.generic)):
        return np.asarray(x)
    return x


def run(snippet, tf, capture_output=False):
    """Returns (outcome, captured_text)."""
    if not capture_output:
        try:
            return to_plain(snippet(tf), tf), ""
        except Exception as e:  # noqa: BLE001 - the exception class is the outcome
            return Raised(e), ""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    saved_py = sys.stdout, sys.stderr
    with tempfile.TemporaryFile(mode="w+b") as f:
        os.dup2(f.fileno(), 1)
        os.dup2(f.fileno(), 2)
        # Python-level writes too (pytest replaces sys.stdout/sys.stderr with its own files).
        py_out = open(1, "w", closefd=False, buffering=1)  # noqa: SIM115
        sys.stdout = sys.stderr = py_out
        try:
            try:
                out = to_plain(snippet(tf), tf)
            except Exception as e:  # noqa: BLE001
                out = Raised(e)
            py_out.flush()
        finally:
            sys.stdout, sys.stderr = saved_py
            py_out.close()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])
        f.seek(0)
        text = f.read().decode("utf-8", "replace")
    return out, text


def _compare(a, b, path, rtol, atol):
    if isinstance(a, Raised) or isinstance(b, Raised):
        assert isinstance(a, Raised) and isinstance(b, Raised) and a.cls == b.cls, \
            f"{path}: TF {a!r} vs tfjax {b!r}"
        return
    if a is None or b is None:
        assert a is None and b is None, f"{path}: TF {a!r} vs tfjax {b!r} (None-ness differs)"
        return
    if isinstance(a, dict):
        assert isinstance(b, dict) and sorted(a) == sorted(b), f"{path}: TF {a!r} vs tfjax {b!r}"
        for k in a:
            _compare(a[k], b[k], f"{path}[{k!r}]", rtol, atol)
        return
    if isinstance(a, (list, tuple)):
        assert type(a) is type(b) and len(a) == len(b), f"{path}: TF {a!r} vs tfjax {b!r}"
        for i, (x, y) in enumerate(zip(a, b)):
            _compare(x, y, f"{path}[{i}]", rtol, atol)
        return
    if isinstance(a, np.ndarray):
        assert isinstance(b, np.ndarray), f"{path}: TF {a!r} vs tfjax {b!r}"
        assert a.dtype == b.dtype, f"{path}: dtype TF {a.dtype} vs tfjax {b.dtype}"
        assert a.shape == b.shape, f"{path}: shape TF {a.shape} vs tfjax {b.shape}"
        np.testing.assert_allclose(b, a, rtol=rtol, atol=atol, err_msg=path)
        return
    if isinstance(a, float):
        assert isinstance(b, (float, int)) and abs(a - b) <= atol + rtol * abs(a), f"{path}: {a} vs {b}"
        return
    assert a == b, f"{path}: TF {a!r} vs tfjax {b!r}"


def check(snippet, rtol=1e-5, atol=1e-6, output=False, expect_raise=None):
    """Runs ``snippet`` with TF and tfjax; asserts identical outcomes. Returns both."""
    if tf_real is None:
        import pytest  # noqa: PLC0415
        pytest.skip("TensorFlow (the oracle) is not installed")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a, ta = run(snippet, tf_real, output)
        b, tb = run(snippet, tfjax, output)
    if expect_raise is not None:
        assert isinstance(a, Raised) and a.cls == expect_raise, f"TF itself did not raise {expect_raise}: {a!r}"
    _compare(a, b, "result", rtol, atol)
    if output:
        assert _norm(ta), "the snippet printed nothing under TF: the output check would be vacuous"
        assert _norm(ta) == _norm(tb), f"output differs:\nTF:\n{ta}\ntfjax:\n{tb}"
    return a, b


def _norm(text):
    # TF's C++ runtime may log unrelated lines (e.g. oneDNN notices); keep the snippet's own lines.
    return [ln.rstrip() for ln in text.splitlines()
            if ln.strip() and not ln.startswith(("WARNING:", "I0000", "W0000", "E0000")) and "cpu_feature_guard" not in ln
            and "oneDNN" not in ln and "tensorflow/core" not in ln and "absl::InitializeLog" not in ln]


def has(tf, *names):
    """True if ``tf`` provides every dotted name (for APIs other engineers are still adding)."""
    for n in names:
        obj = tf
        try:
            for part in n.split("."):
                obj = getattr(obj, part)
        except Exception:  # noqa: BLE001
            return False
    return True


def require(*names):
    import pytest  # noqa: PLC0415
    if not has(tfjax, *names):
        pytest.skip(f"tfjax lacks {', '.join(names)} (owned elsewhere)")
