"""Guide: "Standard Imports"."""
import tensorflow as tf
import numpy as np
from tensorflow.keras import layers


def report(key, value):
    print(f"[report] {key}: {value}", flush=True)


report("tf_version", tf.__version__)
report("layers_is_tf_keras_layers", layers.Dense is tf.keras.layers.Dense)
report("has_Sequential", callable(tf.keras.Sequential))
report("numpy_interop", tf.constant(np.arange(3, dtype=np.float32)).numpy().tolist())
