import pytest


@pytest.fixture(autouse=True)
def _fresh_keras_names():
    """Layer names come from per-process counters: start both Keras implementations from zero."""
    try:
        import tensorflow as tf_real
        tf_real.keras.backend.clear_session()
    except ImportError:
        pass
    import tfjax.keras as K
    K.backend.clear_session()
    yield
