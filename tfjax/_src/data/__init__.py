"""tf.data implementation (see dataset.py for the design)."""
