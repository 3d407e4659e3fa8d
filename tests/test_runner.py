"""The script runner (`python -m tfjax script.py`) and the tensorflow -> tfjax import aliasing.

Every runner test starts a fresh interpreter: the runner rewires sys.argv,
sys.path, sys.modules["__main__"] and sys.meta_path, none of which may leak
into the pytest process.
"""

import os
import subprocess
import sys
import textwrap

import pytest

import tfjax
from tfjax._src import install

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(tfjax.__file__)))


def child_env(**extra):
    env = dict(os.environ)
    for name in (install.ENV_AS_TENSORFLOW, install.ENV_NO_KERAS):
        env.pop(name, None)
    # tfjax must be importable even from an uninstalled checkout.
    env["PYTHONPATH"] = os.pathsep.join(p for p in (REPO_ROOT, env.get("PYTHONPATH")) if p)
    env.update(extra)
    return env


def run_tfjax(args, cwd, **env):
    return subprocess.run(
        [sys.executable, "-m", "tfjax", *args], cwd=cwd, env=child_env(**env),
        capture_output=True, text=True, timeout=120,
    )


def write(path, source):
    path.write_text(textwrap.dedent(source))
    return path


def test_script_sees_python_main_semantics(tmp_path):
    sub = tmp_path / "pkg"
    sub.mkdir()
    write(sub / "helper.py", "VALUE = 'sibling'\n")
    write(sub / "main.py", """
        import os, sys
        import helper
        print("name", __name__)
        print("file", __file__)
        print("argv", sys.argv)
        print("path0", sys.path[0])
        print("helper", helper.VALUE)
        print("main-is-me", sys.modules["__main__"].__dict__ is globals())
    """)
    proc = run_tfjax(["pkg/main.py", "a", "--flag", "-x"], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = dict(line.split(" ", 1) for line in proc.stdout.splitlines())
    assert lines["name"] == "__main__"
    assert lines["file"] == str(sub / "main.py")  # absolute, as in Python >= 3.9
    assert lines["argv"] == "['pkg/main.py', 'a', '--flag', '-x']"  # argv[0] as typed
    assert lines["path0"] == os.path.realpath(sub)
    assert lines["helper"] == "sibling"
    assert lines["main-is-me"] == "True"


@pytest.mark.parametrize("code, status", [("sys.exit(3)", 3), ("sys.exit(0)", 0), ("pass", 0),
                                          ("sys.exit('fatal: bad input')", 1)])
def test_exit_status_propagates(tmp_path, code, status):
    write(tmp_path / "s.py", f"import sys\n{code}\n")
    proc = run_tfjax(["s.py"], cwd=tmp_path)
    assert proc.returncode == status
    if "fatal" in code:
        assert proc.stderr.strip() == "fatal: bad input"


def test_uncaught_exception_traceback_is_the_users(tmp_path):
    write(tmp_path / "boom.py", """
        def inner():
            raise ValueError("boom")

        inner()
    """)
    proc = run_tfjax(["boom.py"], cwd=tmp_path)
    assert proc.returncode == 1
    file_lines = [line.strip() for line in proc.stderr.splitlines() if line.strip().startswith("File ")]
    script = str(tmp_path / "boom.py")
    # Like `python boom.py`: only the user's frames, the failing one last.
    assert file_lines == [f'File "{script}", line 5, in <module>', f'File "{script}", line 3, in inner']
    assert proc.stderr.rstrip().endswith("ValueError: boom")


def test_syntax_error_is_reported_like_python(tmp_path):
    write(tmp_path / "bad.py", "x = (\n")
    proc = run_tfjax(["bad.py"], cwd=tmp_path)
    assert proc.returncode == 1
    assert "SyntaxError" in proc.stderr
    assert "runpy" not in proc.stderr and "runner.py" not in proc.stderr


def test_missing_script_and_usage_errors(tmp_path):
    assert run_tfjax(["nope.py"], cwd=tmp_path).returncode == 2
    proc = run_tfjax([], cwd=tmp_path)
    assert proc.returncode == 2 and "usage:" in proc.stderr
    proc = run_tfjax(["--help"], cwd=tmp_path)
    assert proc.returncode == 0 and "--no-keras" in proc.stdout


def test_import_tensorflow_is_tfjax(tmp_path):
    write(tmp_path / "s.py", """
        import tensorflow as tf
        import tfjax
        # The root is a facade over tfjax (it reports TF's version); everything in it is tfjax's.
        print(tf.constant is tfjax.constant and tf.keras is tfjax.keras, tf.__version__)
        import tensorflow._src.errors
        from tensorflow._src import errors
        import tfjax._src.errors
        print(errors is tfjax._src.errors is tensorflow._src.errors)
        # the aliased module keeps its own identity (spec, name)
        print(errors.__spec__.name, errors.__name__)
    """)
    proc = run_tfjax(["s.py"], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["True 2.21.0", "True", "tfjax._src.errors tfjax._src.errors"]


def test_missing_submodule_names_tf_and_tfjax(tmp_path):
    write(tmp_path / "s.py", """
        try:
            import tensorflow.contrib.slim
        except ModuleNotFoundError as e:
            print(e.name)
            print(e)
    """)
    proc = run_tfjax(["s.py"], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    name, message = proc.stdout.splitlines()
    assert name == "tensorflow.contrib"
    assert "'tensorflow.contrib'" in message and "tfjax does not provide 'tfjax.contrib'" in message


KERAS_PROBE = """
    import os, sys
    print(os.environ.get("TFJAX_NO_KERAS"))
    print(sorted(sys.meta_path[0].roots))
    import importlib.util
    # find_spec would import the alias target; for the real package it only locates it.
    try:
        import keras, tfjax
        print("keras->tfjax", keras is tfjax.keras)
    except ModuleNotFoundError as e:  # until tfjax.keras exists
        print("keras->tfjax", "tfjax.keras" in str(e))
"""


def test_keras_aliased_by_default(tmp_path):
    write(tmp_path / "s.py", KERAS_PROBE)
    proc = run_tfjax(["s.py"], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["None", "['keras', 'tensorflow', 'tf_keras']", "keras->tfjax True"]


def test_no_keras_leaves_keras_alone(tmp_path):
    write(tmp_path / "s.py", """
        import os, sys, importlib.util
        print(os.environ.get("TFJAX_NO_KERAS"))
        print(sorted(sys.meta_path[0].roots))
        spec = importlib.util.find_spec("keras")
        print("tfjax" in (spec.origin or "") if spec else "absent")
    """)
    proc = run_tfjax(["--no-keras", "s.py"], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[:2] == ["1", "['tensorflow', 'tf_keras']"]
    assert proc.stdout.splitlines()[2] in ("False", "absent")


def test_dash_c(tmp_path):
    proc = run_tfjax(["-c", "import sys, tensorflow as tf; print(tf.constant.__module__.split('.')[0], sys.argv, __name__)", "x"],
                     cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "tfjax ['-c', 'x'] __main__"


def test_subprocess_inherits_the_environment_flag(tmp_path):
    write(tmp_path / "parent.py", """
        import subprocess, sys
        out = subprocess.run([sys.executable, "-c",
                              "import os; print(os.environ.get('TFJAX_AS_TENSORFLOW'))"],
                             capture_output=True, text=True).stdout
        print(out.strip())
    """)
    proc = run_tfjax(["parent.py"], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "1"


def _pth_dir(tmp_path):
    site_dir = tmp_path / "site"
    site_dir.mkdir()
    (site_dir / install.PTH_FILENAME).write_text(install.PTH_LINE)
    return site_dir


def test_pth_line_installs_aliases_when_flag_set(tmp_path):
    # site.addsitedir processes .pth files exactly as interpreter start-up does.
    site_dir = _pth_dir(tmp_path)
    code = (f"import site; site.addsitedir({str(site_dir)!r}); import tensorflow, sys; "
            "print(tensorflow.constant.__module__.split('.')[0], sorted(sys.meta_path[0].roots))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                          env=child_env(TFJAX_AS_TENSORFLOW="1", TFJAX_NO_KERAS="1"), timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "tfjax ['tensorflow', 'tf_keras']"


def test_pth_line_is_inert_without_flag(tmp_path):
    site_dir = _pth_dir(tmp_path)
    code = (f"import site, sys; site.addsitedir({str(site_dir)!r}); "
            "print('tfjax' in sys.modules, 'jax' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                          env=child_env(), timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "False False"


@pytest.mark.skipif(not install.installed_pth_files(),
                    reason=f"{install.PTH_FILENAME} is not installed in this interpreter's site-packages "
                           "(see docs/running-scripts.md, 'Child processes')")
def test_installed_pth_makes_plain_child_python_see_tfjax(tmp_path):
    write(tmp_path / "parent.py", """
        import subprocess, sys
        code = "import tensorflow; print(tensorflow.constant.__module__.split('.')[0])"
        print(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip())
    """)
    proc = run_tfjax(["parent.py"], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "tfjax"
    for path in install.installed_pth_files():
        with open(path) as f:
            assert f.read() == install.PTH_LINE


def test_shipped_pth_file_matches_install_module():
    # The repository's copy is what setup.py puts in the wheels.
    shipped = os.path.join(REPO_ROOT, install.PTH_FILENAME)
    if not os.path.exists(shipped):
        pytest.skip(f"{install.PTH_FILENAME} is not in the repository yet")
    with open(shipped) as f:
        assert f.read() == install.PTH_LINE


def test_install_refuses_when_real_tensorflow_is_loaded(tmp_path):
    code = textwrap.dedent("""
        import sys, types
        sys.modules["tensorflow"] = types.ModuleType("tensorflow")  # stands in for real TF
        from tfjax._src import install
        try:
            install.install_as_tensorflow()
        except RuntimeError as e:
            print("refused:", "tensorflow" in str(e))
    """)
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                          env=child_env(), timeout=120)
    assert proc.stdout.strip() == "refused: True", proc.stderr


def test_plain_import_tfjax_installs_nothing():
    assert install.installed_finder() is None
    assert not any(isinstance(f, install.TfjaxAliasFinder) for f in sys.meta_path)


def test_alias_name_mapping():
    finder = install.TfjaxAliasFinder(keras=True)
    assert finder.target_name("tensorflow") == "tfjax"
    assert finder.target_name("tensorflow.keras.layers") == "tfjax.keras.layers"
    assert finder.target_name("keras.layers") == "tfjax.keras.layers"
    assert finder.target_name("tf_keras") == "tfjax.keras"
    assert finder.target_name("tensorflow_datasets") is None
    assert finder.target_name("kerasx") is None
    assert install.TfjaxAliasFinder(keras=False).target_name("keras") is None
