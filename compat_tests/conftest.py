"""Fixtures for differential tests against real TensorFlow.

``tf_real`` is the real ``tensorflow`` module imported in-process (the oracle);
``tfx`` is ``tfjax``. Both can live in one process because plain
``import tfjax`` never installs the tensorflow -> tfjax import aliasing (only
the script runner does); the fixture refuses to run if something did.
"""

import os
import sys

import pytest

# harness.py sits next to this file; make it importable whatever pytest's import mode.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(scope="session")
def tfx():
    import tfjax

    return tfjax


@pytest.fixture(scope="session")
def tf_real():
    from tfjax._src import install

    if install.installed_finder() is not None or "tensorflow" in sys.modules and _is_tfjax(sys.modules["tensorflow"]):
        pytest.fail("`tensorflow` is aliased to tfjax in this test process (was pytest started under "
                    "`python -m tfjax` or with TFJAX_AS_TENSORFLOW=1?); the oracle would be tfjax itself")
    try:
        import tensorflow
    except ImportError as e:
        pytest.skip(f"real TensorFlow (the oracle) is not installed: {e}. Install it with: pip install -e '.[test]'")
    if _is_tfjax(tensorflow):
        pytest.fail("`import tensorflow` resolved to tfjax; the oracle must be real TensorFlow")
    return tensorflow


def _is_tfjax(module) -> bool:
    name = getattr(getattr(module, "__spec__", None), "name", None) or getattr(module, "__name__", "")
    return name == "tfjax" or name.startswith("tfjax.")
