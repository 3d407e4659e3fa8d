"""Keras preprocessing (implementation modules; the public namespace re-exports them)."""
