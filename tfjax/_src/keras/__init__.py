"""tf.keras on tfjax (Keras 3 semantics)."""
