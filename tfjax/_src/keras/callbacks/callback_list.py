"""``keras.callbacks.CallbackList``: dispatches hooks to a list of callbacks (adding History and
ProgbarLogger like Keras), converting logs to Python floats except for callbacks that read them lazily."""

from __future__ import annotations

import numpy as np

from tfjax._src.keras.callbacks.callback import Callback
from tfjax._src.keras.callbacks.history import History
from tfjax._src.keras.callbacks.progbar_logger import ProgbarLogger


def _pyfloat(v):
    if isinstance(v, (float, int, str)) or v is None:
        return v
    try:
        return float(np.asarray(v))
    except (TypeError, ValueError):
        return v


def pythonify_logs(logs):
    logs = logs or {}
    out = {}
    for k, v in sorted(logs.items()):
        if isinstance(v, dict):
            out.update(pythonify_logs(v))
        else:
            out[k] = _pyfloat(v)
    return out


_ALIASES = {"on_train_batch_begin": "on_batch_begin", "on_train_batch_end": "on_batch_end"}


def _overrides(cb, name):
    """Whether ``cb`` does something in hook ``name`` (Keras's base hooks are no-ops)."""
    names = [name] + ([_ALIASES[name]] if name in _ALIASES else [])
    for n in names:
        if n in vars(cb):
            return True
        fn = getattr(type(cb), n, None)
        if fn is not None and fn is not getattr(Callback, n):
            return True
    return False


class CallbackList(Callback):
    """Dispatches hooks to callbacks; adds History and ProgbarLogger like Keras (in that order)."""

    def __init__(self, callbacks=None, add_history=False, add_progbar=False, model=None, **params):
        super().__init__()
        from tfjax._src import nest  # noqa: PLC0415
        self.callbacks = list(nest.flatten(callbacks)) if callbacks else []
        self._progbar = None
        self._history = None
        for cb in self.callbacks:
            if isinstance(cb, ProgbarLogger):
                self._progbar = cb
            elif isinstance(cb, History):
                self._history = cb
        if self._history is None and add_history:
            self._history = History()
            self.callbacks.append(self._history)
        if self._progbar is None and add_progbar:
            self._progbar = ProgbarLogger()
            self.callbacks.append(self._progbar)
        self.set_model(model)
        self.set_params(params)
        self._refresh_hooks()

    def _refresh_hooks(self):
        def users(name):
            return [c for c in self.callbacks if _overrides(c, name)
                    and not getattr(c, "_batch_hooks_inactive", lambda: False)()]
        self._batch_hooks = {n: users(n) for n in (
            "on_train_batch_begin", "on_train_batch_end", "on_test_batch_begin", "on_test_batch_end",
            "on_predict_batch_begin", "on_predict_batch_end")}

    def append(self, cb):
        self.callbacks.append(cb)
        self._refresh_hooks()

    def set_params(self, params):
        self.params = params
        if params:
            for cb in self.callbacks:
                cb.set_params(params)

    def set_model(self, model):
        if not model:
            return
        super().set_model(model)
        if self._history:
            model.history = self._history
        for cb in self.callbacks:
            cb.set_model(model)

    @property
    def needs_batch_logs(self):
        """True when a callback other than the progress bar reads per-batch training logs."""
        return any(not getattr(c, "_lazy_logs", False) for c in self._batch_hooks["on_train_batch_end"])

    def _call_batch(self, hook, batch, logs):
        cbs = self._batch_hooks[hook]
        if not cbs:
            return
        py = None
        for cb in cbs:
            if getattr(cb, "_lazy_logs", False):
                getattr(cb, hook)(batch, logs=logs)
            else:
                if py is None:
                    py = pythonify_logs(logs)
                getattr(cb, hook)(batch, logs=py)

    def on_train_batch_begin(self, batch, logs=None):
        self._call_batch("on_train_batch_begin", batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        self._call_batch("on_train_batch_end", batch, logs)

    def on_test_batch_begin(self, batch, logs=None):
        self._call_batch("on_test_batch_begin", batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        self._call_batch("on_test_batch_end", batch, logs)

    def on_predict_batch_begin(self, batch, logs=None):
        self._call_batch("on_predict_batch_begin", batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        cbs = self._batch_hooks["on_predict_batch_end"]
        for cb in cbs:
            cb.on_predict_batch_end(batch, logs=logs)

    def on_batch_begin(self, batch, logs=None):
        self.on_train_batch_begin(batch, logs)

    def on_batch_end(self, batch, logs=None):
        self.on_train_batch_end(batch, logs)

    def _all(self, name, *args, logs=None):
        logs = pythonify_logs(logs)
        for cb in self.callbacks:
            getattr(cb, name)(*args, logs=logs)

    def on_epoch_begin(self, epoch, logs=None):
        self._all("on_epoch_begin", epoch, logs=logs)

    def on_epoch_end(self, epoch, logs=None):
        # Callbacks share (and may add to) the same dict, as in Keras.
        logs = pythonify_logs(logs) if logs is not None else {}
        for cb in self.callbacks:
            cb.on_epoch_end(epoch, logs=logs)

    def on_train_begin(self, logs=None):
        self._all("on_train_begin", logs=logs)

    def on_train_end(self, logs=None):
        self._all("on_train_end", logs=logs)

    def on_test_begin(self, logs=None):
        self._all("on_test_begin", logs=logs)

    def on_test_end(self, logs=None):
        self._all("on_test_end", logs=logs)

    def on_predict_begin(self, logs=None):
        self._all("on_predict_begin", logs=logs)

    def on_predict_end(self, logs=None):
        self._all("on_predict_end", logs=logs)

    def __iter__(self):
        return iter(self.callbacks)
