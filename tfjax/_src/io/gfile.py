"""``tf.io.gfile``: file-system helpers (local file system; TF's error classes)."""

from __future__ import annotations

import errno
import glob as _glob
import os
import shutil
import tempfile

import numpy as np

from tfjax._src import errors


def as_path(p) -> str:
    """str / bytes / os.PathLike / scalar string Tensor → str path."""
    if hasattr(p, "numpy") and not isinstance(p, (str, bytes)):
        p = p.numpy()
    if isinstance(p, np.ndarray) and p.shape == ():
        p = p[()]
    if isinstance(p, bytes):
        return p.decode("utf-8")
    p = os.fspath(p)
    if isinstance(p, bytes):
        return p.decode("utf-8")
    if "://" in p and not p.startswith("file://"):
        raise errors.UnimplementedError(
            f"File system scheme '{p.split('://')[0]}' not implemented (file: '{p}')")
    if p.startswith("file://"):
        p = p[len("file://"):]
    return p


def _oserror(e: OSError, path):
    msg = f"{path}; {os.strerror(e.errno) if e.errno else e}"
    if e.errno == errno.ENOENT:
        return errors.NotFoundError(msg)
    if e.errno == errno.EEXIST:
        return errors.AlreadyExistsError(msg)
    if e.errno in (errno.EACCES, errno.EPERM):
        return errors.PermissionDeniedError(msg)
    if e.errno == errno.ENOTDIR or e.errno == errno.EISDIR:
        return errors.FailedPreconditionError(msg)
    return errors.UnknownError(msg)


def exists(path) -> bool:
    return os.path.exists(as_path(path))


def isdir(path) -> bool:
    return os.path.isdir(as_path(path))


def glob(pattern) -> list:
    pats = pattern if isinstance(pattern, (list, tuple)) else [pattern]
    out = []
    for p in pats:
        p = as_path(p)
        out.extend(_glob.glob(p))
    return sorted(set(out))


def listdir(path) -> list:
    p = as_path(path)
    if not os.path.isdir(p):
        raise errors.NotFoundError(f"Could not find directory {p}")
    return sorted(os.listdir(p))


def makedirs(path):
    p = as_path(path)
    try:
        os.makedirs(p, exist_ok=True)
    except FileExistsError:
        raise errors.FailedPreconditionError(f"{p} is not a directory") from None
    except OSError as e:
        raise _oserror(e, p) from None


def mkdir(path):
    p = as_path(path)
    try:
        os.mkdir(p)
    except OSError as e:
        raise _oserror(e, p) from None


def remove(path):
    p = as_path(path)
    try:
        os.remove(p)
    except OSError as e:
        raise _oserror(e, p) from None


def rmtree(path):
    p = as_path(path)
    if not os.path.exists(p):
        raise errors.NotFoundError(f"{p}; No such file or directory")
    shutil.rmtree(p)


def rename(src, dst, overwrite=False):
    s, d = as_path(src), as_path(dst)
    if not overwrite and os.path.exists(d):
        raise errors.AlreadyExistsError(f"file already exists: {d}")
    try:
        os.replace(s, d)
    except OSError as e:
        raise _oserror(e, s) from None


def copy(src, dst, overwrite=False):
    s, d = as_path(src), as_path(dst)
    if not overwrite and os.path.exists(d):
        raise errors.AlreadyExistsError(f"file already exists: {d}")
    if not os.path.exists(s):
        raise errors.NotFoundError(f"{s}; No such file or directory")
    ddir = os.path.dirname(os.path.abspath(d))
    fd, tmp = tempfile.mkstemp(dir=ddir, prefix=".tmp_copy_")
    os.close(fd)
    try:
        shutil.copyfile(s, tmp)
        os.replace(tmp, d)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


class FileStatistics:
    def __init__(self, length, mtime_nsec, is_directory):
        self.length = length
        self.mtime_nsec = mtime_nsec
        self.is_directory = is_directory

    def __repr__(self):
        return (f"FileStatistics(length={self.length}, mtime_nsec={self.mtime_nsec}, "
                f"is_directory={self.is_directory})")


def stat(path):
    p = as_path(path)
    try:
        st = os.stat(p)
    except OSError as e:
        raise _oserror(e, p) from None
    return FileStatistics(st.st_size, st.st_mtime_ns, os.path.isdir(p))


def walk(top, topdown=True, onerror=None):
    t = as_path(top)
    if not os.path.isdir(t):
        return
    for dirpath, dirnames, filenames in os.walk(t, topdown=topdown, onerror=onerror):
        dirnames.sort()
        yield dirpath, dirnames, sorted(filenames)


def join(path, *paths):
    return os.path.join(as_path(path), *[as_path(p) for p in paths])


def get_registered_schemes():
    return ["file"]


class GFile:
    """``tf.io.gfile.GFile``: a file object. Writes ("w"/"wb") go to a temporary file that
    replaces the target on ``close()``, so a crash never leaves a half-written file."""

    def __init__(self, name, mode="r"):
        self._name = as_path(name)
        self._mode = mode
        self._binary = "b" in mode
        self._atomic = mode.startswith("w")
        self._tmp = None
        if mode.startswith("r") and not os.path.exists(self._name):
            raise errors.NotFoundError(f"{self._name}; No such file or directory")
        if self._atomic:
            d = os.path.dirname(os.path.abspath(self._name))
            if not os.path.isdir(d):
                raise errors.NotFoundError(f"{self._name}; No such file or directory")
            fd, self._tmp = tempfile.mkstemp(dir=d, prefix="." + os.path.basename(self._name) + ".tmp")
            self._f = os.fdopen(fd, "wb")
        else:
            m = mode if "b" in mode else mode + "b"
            try:
                self._f = open(self._name, m)
            except OSError as e:
                raise _oserror(e, self._name) from None
        self._closed = False

    @property
    def name(self):
        return self._name

    @property
    def mode(self):
        return self._mode

    def _out(self, data):
        return data if self._binary else data.decode("utf-8")

    def read(self, n=-1):
        return self._out(self._f.read(n))

    def readline(self):
        return self._out(self._f.readline())

    def readlines(self):
        return [self._out(line) for line in self._f.readlines()]

    def __iter__(self):
        return self

    def __next__(self):
        line = self._f.readline()
        if not line:
            raise StopIteration
        return self._out(line)

    next = __next__

    def write(self, data):
        if isinstance(data, str):
            data = data.encode("utf-8")
        elif hasattr(data, "numpy"):
            data = data.numpy()
        self._f.write(data)

    def flush(self):
        self._f.flush()

    def seek(self, offset=None, whence=0, position=None):
        if position is not None:
            offset = position
        self._f.seek(offset, whence)

    def tell(self):
        return self._f.tell()

    def size(self):
        if self._atomic:
            self._f.flush()
            return os.path.getsize(self._tmp)
        return os.path.getsize(self._name)

    def seekable(self):
        return True

    def readable(self):
        return not self._atomic

    def writable(self):
        return self._mode[0] in "wa" or "+" in self._mode

    def close(self):
        if self._closed:
            return
        self._closed = True
        self._f.close()
        if self._atomic:
            os.replace(self._tmp, self._name)

    @property
    def closed(self):
        return self._closed

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None and self._atomic:
            self._closed = True
            self._f.close()
            if os.path.exists(self._tmp):
                os.remove(self._tmp)
            return False
        self.close()
        return False

    def __del__(self):
        try:
            if not self._closed:
                self.close()
        except Exception:  # noqa: BLE001
            pass


Open = GFile
FastGFile = GFile
