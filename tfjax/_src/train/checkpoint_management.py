"""``tf.train.CheckpointManager``, ``tf.train.latest_checkpoint`` and the ``checkpoint`` state file.

The state file is TensorFlow's ``CheckpointState`` in protobuf text format::

    model_checkpoint_path: "ckpt-3"
    all_model_checkpoint_paths: "ckpt-2"
    all_model_checkpoint_paths: "ckpt-3"
    all_model_checkpoint_timestamps: 1764063000.5
    ...

Crash safety: a checkpoint's files are complete (and durable) before the state
file names it; the state file is replaced atomically; checkpoints dropped by
``max_to_keep`` are deleted only after the new state file (which no longer lists
them) is in place. Killing the process at any moment leaves ``latest_checkpoint``
pointing at a complete checkpoint.
"""

from __future__ import annotations

import collections
import glob
import logging
import os
import time

from google.protobuf import text_format

from tfjax._src.train import bundle
from tfjax._src.train.checkpoint import _as_path
from tfjax._src.utils import atomic_io

__all__ = ["CheckpointManager", "latest_checkpoint", "get_checkpoint_state", "update_checkpoint_state_internal"]

_log = logging.getLogger("tfjax")


def _state_path(save_dir, latest_filename=None):
    return os.path.join(save_dir, latest_filename or "checkpoint")


def _relative(directory, p):
    if not os.path.isabs(p):
        return p
    d = os.path.abspath(directory)
    if os.path.dirname(os.path.abspath(p)) == d:
        return os.path.basename(p)
    return p


def update_checkpoint_state_internal(save_dir, model_checkpoint_path, all_model_checkpoint_paths=None,
                                     latest_filename=None, save_relative_paths=False,
                                     all_model_checkpoint_timestamps=None, last_preserved_timestamp=None):
    """Atomically (re)writes the ``checkpoint`` state file of ``save_dir``."""
    state = bundle.CheckpointState()
    paths = list(all_model_checkpoint_paths or [])
    if model_checkpoint_path and (not paths or paths[-1] != model_checkpoint_path):
        paths = [p for p in paths if p != model_checkpoint_path] + [model_checkpoint_path]
    if save_relative_paths:
        state.model_checkpoint_path = _relative(save_dir, model_checkpoint_path)
        state.all_model_checkpoint_paths.extend(_relative(save_dir, p) for p in paths)
    else:
        state.model_checkpoint_path = model_checkpoint_path
        state.all_model_checkpoint_paths.extend(paths)
    if all_model_checkpoint_timestamps:
        state.all_model_checkpoint_timestamps.extend(float(t) for t in all_model_checkpoint_timestamps)
    if last_preserved_timestamp is not None:
        state.last_preserved_timestamp = float(last_preserved_timestamp)
    os.makedirs(save_dir or ".", exist_ok=True)
    atomic_io.write_bytes(_state_path(save_dir, latest_filename),
                          text_format.MessageToString(state).encode("utf-8"))


def get_checkpoint_state(checkpoint_dir, latest_filename=None):
    """``tf.train.get_checkpoint_state``: the parsed state file (absolute paths), or None."""
    checkpoint_dir = _as_path(checkpoint_dir)
    path = _state_path(checkpoint_dir, latest_filename)
    try:
        with open(path, "rb") as f:
            text = f.read().decode("utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, UnicodeDecodeError) as e:
        _log.warning("%s: Checkpoint ignored (%s)", path, e)
        return None
    state = bundle.CheckpointState()
    try:
        text_format.Parse(text, state)
    except text_format.ParseError as e:
        _log.warning("%s: %s; Checkpoint ignored", path, e)
        return None
    if not state.model_checkpoint_path:
        raise ValueError(f"Invalid checkpoint state loaded from {checkpoint_dir}")

    def absolute(p):
        return p if os.path.isabs(p) else os.path.join(checkpoint_dir, p)

    state.model_checkpoint_path = absolute(state.model_checkpoint_path)
    paths = [absolute(p) for p in state.all_model_checkpoint_paths]
    del state.all_model_checkpoint_paths[:]
    state.all_model_checkpoint_paths.extend(paths)
    return state


def checkpoint_exists(prefix) -> bool:
    prefix = _as_path(prefix)
    return os.path.exists(prefix + bundle.INDEX_SUFFIX) or os.path.exists(prefix)


def latest_checkpoint(checkpoint_dir, latest_filename=None):
    """``tf.train.latest_checkpoint``: the newest checkpoint prefix recorded in ``checkpoint_dir``, or None."""
    state = get_checkpoint_state(checkpoint_dir, latest_filename)
    if state and state.model_checkpoint_path:
        if os.path.exists(state.model_checkpoint_path + bundle.INDEX_SUFFIX):
            return state.model_checkpoint_path
        _log.error("Couldn't match files for checkpoint %s", state.model_checkpoint_path)
        # Only reachable when a save that overwrote the latest prefix was interrupted:
        # fall back to the newest complete checkpoint the state file still lists.
        for p in reversed(state.all_model_checkpoint_paths):
            if os.path.exists(p + bundle.INDEX_SUFFIX):
                return p
    return None


def _delete_checkpoint_files(prefix):
    atomic_io.remove_if_exists(prefix + bundle.INDEX_SUFFIX)  # index first: never an index without data
    for p in glob.glob(glob.escape(prefix) + ".data-?????-of-?????"):
        atomic_io.remove_if_exists(p)


def _evaluate(x):
    if hasattr(x, "numpy"):
        x = x.numpy()
    return int(x)


class CheckpointManager:
    """``tf.train.CheckpointManager``: numbered checkpoints in a directory, keeping the newest ones."""

    def __init__(self, checkpoint, directory, max_to_keep, keep_checkpoint_every_n_hours=None,
                 checkpoint_name="ckpt", step_counter=None, checkpoint_interval=None, init_fn=None,
                 last_checkpoint_step=None):
        self._checkpoint = checkpoint
        if max_to_keep is not None and max_to_keep <= 0:
            raise ValueError(f"Expected a positive integer or `None` for `max_to_keep`, got {max_to_keep}.")
        self._max_to_keep = max_to_keep
        self._keep_checkpoint_every_n_hours = keep_checkpoint_every_n_hours
        directory = _as_path(directory)
        self._directory = directory
        self._checkpoint_prefix = os.path.join(directory, checkpoint_name)
        self._init_fn = init_fn
        if checkpoint_interval is not None:
            if step_counter is None:
                raise ValueError("`step_counter` should be passed if `checkpoint_interval` is not None.")
            self._last_checkpoint_step = last_checkpoint_step
            self._step_counter = step_counter
        self._checkpoint_interval = checkpoint_interval

        recovered = get_checkpoint_state(directory)
        now = time.time()
        self._maybe_delete = collections.OrderedDict()
        if recovered is None:
            self._latest_checkpoint = None
            self._last_preserved_timestamp = now - 1.0
        else:
            self._latest_checkpoint = recovered.model_checkpoint_path
            self._last_preserved_timestamp = recovered.last_preserved_timestamp
            if now < self._last_preserved_timestamp:
                self._last_preserved_timestamp = now
            stamps = list(recovered.all_model_checkpoint_timestamps)
            paths = list(recovered.all_model_checkpoint_paths)
            if not stamps:
                stamps = [self._last_preserved_timestamp] * len(paths)
            for p, t in zip(paths, stamps):
                t = min(t, now)
                if t > self._last_preserved_timestamp:
                    self._maybe_delete[p] = t

    @property
    def directory(self):
        return self._directory

    @property
    def checkpoint_interval(self):
        return self._checkpoint_interval

    @property
    def latest_checkpoint(self):
        return self._latest_checkpoint

    @property
    def checkpoints(self):
        return list(self._maybe_delete.keys())

    @property
    def checkpoint(self):
        return self._checkpoint

    @property
    def _prefix(self):
        return self._checkpoint_prefix

    def _record_state(self):
        if not self._maybe_delete:
            return
        paths, stamps = zip(*self._maybe_delete.items())
        update_checkpoint_state_internal(
            self._directory, model_checkpoint_path=self._latest_checkpoint,
            all_model_checkpoint_paths=paths, all_model_checkpoint_timestamps=stamps,
            last_preserved_timestamp=self._last_preserved_timestamp, save_relative_paths=True)

    def _sweep(self):
        """Drops checkpoints beyond ``max_to_keep`` from the active set; returns the ones to delete."""
        doomed = []
        if not self._max_to_keep:
            return doomed
        while len(self._maybe_delete) > self._max_to_keep:
            filename, timestamp = self._maybe_delete.popitem(last=False)
            if (self._keep_checkpoint_every_n_hours
                    and timestamp - self._keep_checkpoint_every_n_hours * 3600.0 >= self._last_preserved_timestamp):
                self._last_preserved_timestamp = timestamp
                continue
            doomed.append(filename)
        return doomed

    def save(self, checkpoint_number=None, check_interval=True, options=None):
        """Saves ``<directory>/<checkpoint_name>-<n>``; returns its prefix (None when skipped by the interval)."""
        if self._checkpoint_interval is not None:
            step = _evaluate(self._step_counter)
            if self._last_checkpoint_step is not None:
                if step == self._last_checkpoint_step:
                    return None
                if check_interval and step < self._last_checkpoint_step + self._checkpoint_interval:
                    return None
            self._last_checkpoint_step = step
        save_counter = self._checkpoint.save_counter
        save_counter.assign_add(1)
        if checkpoint_number is None:
            checkpoint_number = save_counter
        checkpoint_number = _evaluate(checkpoint_number)
        prefix = f"{self._prefix}-{checkpoint_number}"

        def record_and_sweep(save_path):
            if save_path in self._maybe_delete:
                del self._maybe_delete[save_path]
            self._maybe_delete[save_path] = time.time()
            self._latest_checkpoint = save_path
            doomed = self._sweep()
            # The state file stops naming the doomed checkpoints before their files go.
            self._record_state()
            for p in doomed:
                if p != save_path:
                    _delete_checkpoint_files(p)

        return self._checkpoint._write(prefix, options=options, write_done_callback=record_and_sweep)

    def restore_or_initialize(self):
        if self._latest_checkpoint is not None:
            self._checkpoint.restore(self._latest_checkpoint)
            if self._checkpoint_interval is not None:
                self._last_checkpoint_step = _evaluate(self._step_counter)
            return self._latest_checkpoint
        if self._init_fn is not None:
            self._init_fn()
        return None

    def sync(self):
        """Saves are synchronous in tfjax; nothing to wait for."""


def wait_for_new_checkpoint(checkpoint_dir, last_checkpoint=None, seconds_to_sleep=1, timeout=None):
    """Polls ``latest_checkpoint(checkpoint_dir)`` until it differs from ``last_checkpoint``; None after
    ``timeout`` seconds (TF's checkpoint_utils.wait_for_new_checkpoint)."""
    import time  # noqa: PLC0415
    _log.info("Waiting for new checkpoint at %s", checkpoint_dir)
    stop_time = time.time() + timeout if timeout is not None else None
    while True:
        path = latest_checkpoint(checkpoint_dir)
        if path is None or path == last_checkpoint:
            if stop_time is not None and time.time() + seconds_to_sleep > stop_time:
                return None
            time.sleep(seconds_to_sleep)
        else:
            _log.info("Found new checkpoint at %s", path)
            return path


def checkpoints_iterator(checkpoint_dir, min_interval_secs=0, timeout=None, timeout_fn=None):
    """``tf.train.checkpoints_iterator``: yields each new latest checkpoint of ``checkpoint_dir``,
    at most one per ``min_interval_secs``; stops after ``timeout`` seconds without a new one unless
    ``timeout_fn()`` returns False."""
    import time  # noqa: PLC0415
    path = None
    while True:
        new_path = wait_for_new_checkpoint(checkpoint_dir, path, timeout=timeout)
        if new_path:
            start = time.time()
            path = new_path
            yield path
            wait = start + min_interval_secs - time.time()
            if wait > 0:
                time.sleep(wait)
        elif timeout_fn is None:
            _log.info("Timed-out waiting for a checkpoint (without timeout_fn).")
            return
        if timeout_fn is not None and timeout_fn():
            _log.info("Done. No new checkpoints will be generated.")
            return
