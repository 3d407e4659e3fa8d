"""Crash-safe file writes.

Every file tfjax saves (checkpoints, ``.keras``, ``.h5``, the ``checkpoint``
state file) is written through :func:`atomic_write` / :func:`atomic_path`: the
bytes go to a temporary file in the destination directory, are flushed and
``fsync``-ed, the temporary file is renamed over the destination with
``os.replace`` (atomic on POSIX and Windows), and the directory is ``fsync``-ed
so the rename itself is durable. A process killed at any moment therefore
leaves either the old file or the complete new one, never a torn file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile

__all__ = ["atomic_write", "atomic_path", "fsync_dir", "write_bytes", "remove_if_exists"]

TMP_MARKER = ".tfjax-tmp"


def fsync_dir(path: str) -> None:
    """``fsync`` a directory so renames/creations inside it survive a crash (no-op where unsupported)."""
    try:
        fd = os.open(path or ".", os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _tmp_in(dest: str):
    directory = os.path.dirname(os.path.abspath(dest))
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(dest) + ".", suffix=TMP_MARKER, dir=directory)
    return directory, fd, tmp


@contextlib.contextmanager
def atomic_write(dest, mode: str = "wb"):
    """Context manager yielding a file object; on success the file atomically becomes ``dest``.

    On an exception the temporary file is removed and ``dest`` is untouched.
    """
    dest = os.fspath(dest)
    directory, fd, tmp = _tmp_in(dest)
    try:
        with os.fdopen(fd, mode) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, dest)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(directory)


@contextlib.contextmanager
def atomic_path(dest):
    """Context manager yielding a temporary *path* (for libraries that open files by name, e.g. h5py).

    When the block exits normally the file at the temporary path is fsync-ed and
    renamed to ``dest``; on an exception it is removed.
    """
    dest = os.fspath(dest)
    directory, fd, tmp = _tmp_in(dest)
    os.close(fd)
    try:
        yield tmp
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, dest)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(directory)


def write_bytes(dest, data: bytes) -> None:
    with atomic_write(dest, "wb") as f:
        f.write(data)


def remove_if_exists(path) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
