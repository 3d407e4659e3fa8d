import numpy as np

import tfjax as tf


def test_utils_exports():
    u = tf.keras.utils
    for n in ("Progbar", "PyDataset", "Sequence", "set_random_seed", "to_categorical", "normalize", "pad_sequences",
              "get_file", "split_dataset", "image_dataset_from_directory", "text_dataset_from_directory",
              "timeseries_dataset_from_array"):
        assert hasattr(u, n), n
    assert callable(tf.keras.config.enable_unsafe_deserialization)
    assert hasattr(tf.keras.Model, "export")


def test_set_random_seed_replays():
    tf.keras.utils.set_random_seed(3)
    a = (np.random.rand(), tf.random.uniform((2,)).numpy())
    tf.keras.utils.set_random_seed(3)
    b = (np.random.rand(), tf.random.uniform((2,)).numpy())
    assert a[0] == b[0]
    np.testing.assert_array_equal(a[1], b[1])


def test_subclassed_model_call_unbuilt():
    class M(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.d1 = tf.keras.layers.Dense(4, activation="relu")
            self.d2 = tf.keras.layers.Dense(2)

        def call(self, x):
            return self.d2(self.d1(x))

    m = M()
    assert m(tf.ones((3, 5))).shape == (3, 2)
    assert len(m.trainable_variables) == 4
