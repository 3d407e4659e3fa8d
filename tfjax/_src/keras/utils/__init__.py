"""Keras utils (implementation modules; the public namespace re-exports them)."""
