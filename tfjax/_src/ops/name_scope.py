"""``tf.name_scope``: names have no effect on computation in tfjax, but the scope
stack is tracked so ``tf.get_current_name_scope()`` and nested names behave as TF."""

from __future__ import annotations

import threading


class _Stack(threading.local):
    def __init__(self):
        self.names = []


_stack = _Stack()


def get_current_name_scope() -> str:
    return "/".join(_stack.names)


class name_scope:  # noqa: N801 - TF name
    """A context manager that opens a name scope (``with tf.name_scope("layer"):``)."""

    def __init__(self, name, *args, **kwargs):
        if not isinstance(name, str) and name is not None:
            raise TypeError(f"name_scope name must be a string, got {name!r}")
        if name and not all(c.isalnum() or c in "_.-/>" for c in name):
            raise ValueError(f"'{name}' is not a valid scope name.")
        self._name = name or ""

    @property
    def name(self):
        return self._name

    def __enter__(self):
        n = self._name
        if n.endswith("/"):
            # an absolute scope name re-enters that scope
            self._saved = list(_stack.names)
            _stack.names[:] = [p for p in n.rstrip("/").split("/") if p]
        else:
            self._saved = None
            _stack.names.append(n)
        full = "/".join(_stack.names)
        return full + "/" if full else ""

    def __exit__(self, *exc):
        if self._saved is not None:
            _stack.names[:] = self._saved
        else:
            _stack.names.pop()
        return False
