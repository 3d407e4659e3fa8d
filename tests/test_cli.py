"""The `tfjax` command: info, run, compat, and the output comparison it is built on."""

import os
import subprocess
import sys
import textwrap

import pytest

import tfjax
from tfjax._src import cli, install

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(tfjax.__file__)))


def run_cli(args, cwd):
    env = dict(os.environ)
    env.pop(install.ENV_AS_TENSORFLOW, None)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (REPO_ROOT, env.get("PYTHONPATH")) if p)
    code = "import sys; from tfjax._src.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=240)


def test_info(capsys):
    assert cli.main(["info"]) == 0
    out = capsys.readouterr().out
    assert f"tfjax:               {cli.tfjax_version()}" in out
    assert f"emulates TensorFlow: {install.EMULATED_TF_VERSION}" in out
    assert f"tf.__version__:      {tfjax.__version__}" in out
    for key in ("jax:", "jaxlib:", "backend:", "devices:", "x64 enabled:", "as-tensorflow .pth:"):
        assert key in out


def test_run_subcommand_is_the_runner(tmp_path):
    (tmp_path / "s.py").write_text("import sys, tensorflow as tf\nprint(tf.constant.__module__.split('.')[0], sys.argv[1:])\nsys.exit(4)\n")
    proc = run_cli(["run", "s.py", "--help"], cwd=tmp_path)  # --help belongs to the script
    assert proc.returncode == 4, proc.stderr
    assert proc.stdout.strip() == "tfjax ['--help']"


def test_compat_equal_outputs(tmp_path):
    # Numbers printed with different round-off still match within rtol.
    (tmp_path / "same.py").write_text(textwrap.dedent("""
        import os
        jitter = 1e-9 if os.environ.get("TFJAX_AS_TENSORFLOW") else 0.0
        print("value:", 0.1 + 0.2 + jitter)
        print("shape: (2, 3)")
    """))
    proc = run_cli(["compat", "same.py"], cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "outputs match" in proc.stdout


def test_compat_differing_outputs(tmp_path):
    (tmp_path / "differ.py").write_text("import tensorflow as tf\nprint('module:', tf.constant.__module__.split('.')[0])\n")
    proc = run_cli(["compat", "--rtol", "1e-3", "differ.py"], cwd=tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "tensorflow: module: tensorflow" in proc.stdout
    assert "tfjax:      module: tfjax" in proc.stdout


def test_split_numbers():
    assert cli.split_numbers("loss: 0.25, shape (32, 10) acc=1e-3 x2 v1.5") == (
        "loss: #, shape (#, #) acc=# x2 v1.5", [0.25, 32.0, 10.0, 1e-3])
    assert cli.split_numbers("[nan -inf 3.]")[1][2] == 3.0


@pytest.mark.parametrize("got, want, ok", [
    ("loss: 1.0000001", "loss: 1.0", True),
    ("loss: 1.01", "loss: 1.0", False),
    ("shape: (2, 3)", "shape: (2, 3)", True),
    ("shape: (2, 3)", "shape: (3, 2)", False),
    ("dtype: float32", "dtype: float64", False),
    ("x: nan", "x: nan", True),
    ("x: inf", "x: 1e308", False),
])
def test_lines_match(got, want, ok):
    assert cli.lines_match(got, want, rtol=1e-5, atol=1e-8) is ok


def test_compare_lines_aligns_missing_and_extra_lines():
    want = ["a: 1", "b: 2", "c: 3"]
    got = ["a: 1", "c: 3.5", "d: 4"]
    diffs = cli.compare_lines(want, got)
    rendered = [str(d) for d in diffs]
    assert any(d.want == "b: 2" and d.got is None for d in diffs), rendered
    assert any(d.want == "c: 3" and d.got == "c: 3.5" for d in diffs), rendered
    assert any(d.got == "d: 4" and d.want is None for d in diffs), rendered
    assert cli.compare_lines(want, list(want)) == []


def test_filter_lines_drops_progress_bars():
    text = ("Epoch 1/2\n"
            "\r1/4 ━━━━━━━━━━━━━━━━━━━━ 0s 5ms/step - loss: 2.3\r4/4 ━━━━━━━━━━━━━━━━━━━━ 1s 3ms/step - loss: 2.1\n"
            "[report] params: 10\n")
    assert cli.filter_lines(text) == ["Epoch 1/2", "[report] params: 10"]
    assert cli.filter_lines(text, prefix="[report] ") == ["[report] params: 10"]
