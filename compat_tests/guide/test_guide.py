"""Every Python block of the TF usage guide, run under real TensorFlow and under tfjax.

One test per script in this folder (see harness.py for how reports are
compared). Expected status lives in status.py: "pass", or "xfail: reason"
for scripts tfjax cannot reproduce yet -- strict, so a script that starts
passing fails the run until its entry is updated.
"""

import importlib.util
from pathlib import Path

import pytest

import harness

_spec = importlib.util.spec_from_file_location("guide_status", Path(__file__).with_name("status.py"))
_status_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_status_module)
STATUS = _status_module.STATUS

SCRIPTS = harness.guide_scripts()


def _param(script):
    status = STATUS.get(script.name, "pass")
    marks = []
    if status.startswith("xfail"):
        reason = status.partition(":")[2].strip() or "not yet supported by tfjax"
        # Only a tfjax mismatch counts as the expected failure; a script that
        # breaks under real TensorFlow is a real failure.
        marks.append(pytest.mark.xfail(raises=harness.TfjaxMismatch, strict=True, reason=reason))
    return pytest.param(script, marks=marks, id=script.stem)


@pytest.mark.parametrize("script", [_param(s) for s in SCRIPTS])
def test_guide_script(script):
    harness.check_script(script)


def test_status_manifest_matches_scripts():
    names = {s.name for s in SCRIPTS}
    assert len(names) >= 32, "one script per Python block of the guide"
    assert sorted(names - STATUS.keys()) == [], "scripts without a status.py entry"
    assert sorted(STATUS.keys() - names) == [], "status.py entries without a script"
    bad = {k: v for k, v in STATUS.items() if not (v == "pass" or v.startswith("xfail:"))}
    assert bad == {}, 'each status is "pass" or "xfail: <reason>"'


def test_guide_scripts_only_import_tensorflow():
    # The scripts stand for users' unchanged TF code: no tfjax, no keras-as-such.
    for script in SCRIPTS:
        text = script.read_text()
        assert "tfjax" not in text, script.name
        assert "import tensorflow as tf" in text, script.name


def test_tf_real_is_real_tensorflow(tf_real, tfx):
    assert tf_real is not tfx
    assert tf_real.__name__ == "tensorflow"
    assert hasattr(tf_real, "GradientTape")
