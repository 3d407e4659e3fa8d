"""``get_file``: Keras' download-and-cache logic (same cache layout as Keras 3:
``$KERAS_HOME`` or ``~/.keras``, then ``cache_subdir``; archives land in
``<name>_archive`` and extract to ``<name>``), so tfjax reuses files Keras cached.

Downloads go to a temporary file that is renamed into place once complete and
verified; extraction goes to a temporary directory renamed into place.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import zipfile


class DatasetDownloadError(OSError):
    """The dataset is not cached locally and could not be downloaded."""


def keras_home():
    return os.path.expanduser(os.environ.get("KERAS_HOME", os.path.join("~", ".keras")))


def _hash_file(path, algorithm):
    h = hashlib.sha256() if algorithm == "sha256" else hashlib.md5()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def validate_file(fpath, file_hash, algorithm="auto"):
    if algorithm == "auto":
        algorithm = "sha256" if len(file_hash) == 64 else "md5"
    return _hash_file(fpath, algorithm) == str(file_hash)


def _download(origin, target):
    d = os.path.dirname(target)
    fd, tmp = tempfile.mkstemp(dir=d, prefix="." + os.path.basename(target) + ".part")
    os.close(fd)
    try:
        try:
            with urllib.request.urlopen(origin, timeout=60) as r, open(tmp, "wb") as out:
                shutil.copyfileobj(r, out, 1 << 20)
        except urllib.error.HTTPError as e:
            raise DatasetDownloadError(f"URL fetch failure on {origin}: {e.code} -- {e.msg}") from None
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", e)
            raise DatasetDownloadError(
                f"URL fetch failure on {origin}: {reason}. The file is not in the local cache ({target}); "
                "connect to the internet once, or place the file there (it is the same cache Keras uses).") from None
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def _extract(archive, dest, archive_format="auto"):
    parent = os.path.dirname(dest)
    tmp = tempfile.mkdtemp(dir=parent, prefix="." + os.path.basename(dest) + ".tmp")
    try:
        if archive_format in ("auto", "tar") and tarfile.is_tarfile(archive):
            with tarfile.open(archive) as t:
                try:
                    t.extractall(tmp, filter="data")
                except TypeError:  # Python without extraction filters
                    t.extractall(tmp)  # noqa: S202
        elif archive_format in ("auto", "zip") and zipfile.is_zipfile(archive):
            with zipfile.ZipFile(archive) as z:
                z.extractall(tmp)
        else:
            raise ValueError(f"Could not extract archive {archive}: unknown format.")
        if os.path.exists(dest):
            shutil.rmtree(dest)
        os.replace(tmp, dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def get_file(fname=None, origin=None, untar=False, md5_hash=None, file_hash=None, cache_subdir="datasets",
             hash_algorithm="auto", extract=False, archive_format="auto", cache_dir=None,
             force_download=False):
    """``keras.utils.get_file``: returns the local path, downloading (and extracting) if needed."""
    if origin is None:
        raise ValueError('Please specify the "origin" argument (URL of the file to download).')
    if cache_dir is None:
        cache_dir = keras_home()
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    base = os.path.expanduser(cache_dir)
    if not os.access(base, os.W_OK):
        try:
            os.makedirs(base, exist_ok=True)
        except OSError:
            base = os.path.join(tempfile.gettempdir(), ".keras")
    datadir = os.path.join(base, cache_subdir)
    os.makedirs(datadir, exist_ok=True)
    provided = fname
    fname = os.fspath(fname) if fname else ""
    if not fname:
        fname = os.path.basename(urllib.parse.urlsplit(origin).path)
        if not fname:
            raise ValueError(f"Can't parse the file name from the origin provided: '{origin}'. "
                             "Please specify the `fname` argument.")
    elif os.sep in fname:
        raise ValueError("Paths are no longer accepted as the `fname` argument. To specify the file's parent "
                         f"directory, use the `cache_dir` argument. Received: fname={fname}")
    if extract or untar:
        if provided and "." in fname:
            target = os.path.join(datadir, fname)
            stem = fname[:fname.find(".")]
            extraction_dir = os.path.join(datadir, f"{stem}_extracted")
        else:
            extraction_dir = os.path.join(datadir, fname)
            target = os.path.join(datadir, f"{fname}_archive")
    else:
        target = os.path.join(datadir, fname)
    download = force_download or not os.path.exists(target)
    if not download and file_hash is not None and not validate_file(target, file_hash, hash_algorithm):
        print(f"A local file was found, but it seems to be incomplete or outdated because the "
              f"{hash_algorithm} file hash does not match the original value of {file_hash} so we will "
              "re-download the data.")
        download = True
    if download:
        print(f"Downloading data from {origin}")
        _download(origin, target)
        if file_hash is not None and not validate_file(target, file_hash, hash_algorithm):
            os.remove(target)
            raise ValueError(f"Incomplete or corrupted file detected. The {hash_algorithm} file hash does not "
                             f"match the provided value of {file_hash}.")
    if extract or untar:
        if download or not os.path.isdir(extraction_dir) or not os.listdir(extraction_dir):
            _extract(target, extraction_dir, "tar" if untar else archive_format)
        return extraction_dir
    return target
