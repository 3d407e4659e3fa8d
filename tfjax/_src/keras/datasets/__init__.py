"""Keras datasets (implementation modules; the public namespace re-exports them)."""
