"""examples/text_classifier.py runs unchanged under real TensorFlow and under ``python -m tfjax``.

Both runs learn the same vocabulary (TextVectorization.adapt is deterministic) and classify
the held-out headlines; training itself differs only by RNG streams.
"""

import os
import re
import subprocess
import sys

import pytest

import tfjax
from tfjax._src import install

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(tfjax.__file__)))
SCRIPT = os.path.join(REPO_ROOT, "examples", "text_classifier.py")
ARGS = ["--samples", "600", "--epochs", "4"]


def _env():
    env = dict(os.environ)
    for name in (install.ENV_AS_TENSORFLOW, install.ENV_NO_KERAS):
        env.pop(name, None)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (REPO_ROOT, env.get("PYTHONPATH")) if p)
    env["TF_CPP_MIN_LOG_LEVEL"] = "3"
    return env


def _run(prefix):
    proc = subprocess.run([sys.executable, *prefix, SCRIPT, *ARGS], cwd=REPO_ROOT, env=_env(),
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-4000:]
    return proc.stdout


def _report(out):
    vocab = re.search(r"^vocabulary size: (\d+)$", out, re.M).group(1)
    first = re.search(r"^first tokens: (.*)$", out, re.M).group(1)
    acc = float(re.search(r"^final validation accuracy: ([\d.]+)$", out, re.M).group(1))
    preds = re.findall(r"^'(.*)' -> (\w+)$", out, re.M)
    return vocab, first, acc, preds


def test_text_classifier_example_under_tf_and_tfjax():
    pytest.importorskip("tensorflow")
    ref = _report(_run([]))
    got = _report(_run(["-m", "tfjax"]))
    assert got[:2] == ref[:2]                      # same adapted vocabulary
    assert ref[2] > 0.9 and got[2] > 0.9
    assert len(got[3]) == len(ref[3]) == 3
    assert [label for _, label in got[3]] == [label for _, label in ref[3]] == ["weather", "finance", "sport"]
