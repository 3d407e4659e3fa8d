"""``tf.distribute`` on jax.sharding (see strategy.py and docs/distribute.md)."""
