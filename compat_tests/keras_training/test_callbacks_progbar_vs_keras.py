"""Callbacks act at the same epochs as in real Keras; progress output matches Keras's format."""

import contextlib
import io
import os
import re

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from _fitdiff import build_pair, data, assert_history_close  # noqa: E402
from tfjax._src.keras import callbacks as TC  # noqa: E402


def _both(kind="mlp", opt="adam", metrics=("accuracy",)):
    from tfjax._src.keras import optimizers as TO
    km, tm = build_pair(kind)
    for m, lib in ((km, keras.optimizers), (tm, TO)):
        o = opt(lib) if callable(opt) else opt
        m.compile(optimizer=o, loss="sparse_categorical_crossentropy", metrics=list(metrics))
    return km, tm


FIT = dict(batch_size=24, shuffle=False, verbose=0)


def test_early_stopping_same_epoch():
    x, y = data("mlp")
    km, tm = _both(opt=lambda lib: lib.SGD(0.3))
    kcb = keras.callbacks.EarlyStopping(monitor="val_loss", patience=1, min_delta=1e-3, restore_best_weights=True)
    tcb = TC.EarlyStopping(monitor="val_loss", patience=1, min_delta=1e-3, restore_best_weights=True)
    kh = km.fit(x, y, epochs=40, validation_data=(x[::-1][:24], y[::-1][:24]), callbacks=[kcb], **FIT)
    th = tm.fit(x, y, epochs=40, validation_data=(x[::-1][:24], y[::-1][:24]), callbacks=[tcb], **FIT)
    assert th.epoch == kh.epoch and tcb.stopped_epoch == kcb.stopped_epoch and tcb.best_epoch == kcb.best_epoch
    assert_history_close(th.history, kh.history)
    for a, b in zip(tm.get_weights(), km.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)


def test_checkpoint_same_epochs(tmp_path):
    x, y = data("mlp")
    km, tm = _both()
    kdir, tdir = tmp_path / "k", tmp_path / "t"
    kdir.mkdir()
    tdir.mkdir()
    if not hasattr(tm, "save_weights"):
        tm.save_weights = lambda path, overwrite=True: open(path, "w").close()
    pattern = "w-{epoch:02d}-{val_accuracy:.4f}.weights.h5"
    kcb = keras.callbacks.ModelCheckpoint(str(kdir / pattern), monitor="val_accuracy", save_best_only=True,
                                          save_weights_only=True)
    tcb = TC.ModelCheckpoint(str(tdir / pattern), monitor="val_accuracy", save_best_only=True,
                             save_weights_only=True)
    km.fit(x, y, epochs=6, validation_data=(x[:24], y[:24]), callbacks=[kcb], **FIT)
    tm.fit(x, y, epochs=6, validation_data=(x[:24], y[:24]), callbacks=[tcb], **FIT)
    assert sorted(os.listdir(tdir)) == sorted(os.listdir(kdir))


def test_lr_callbacks_same_lr():
    x, y = data("mlp")
    for make in (lambda m: m.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=1, min_delta=0.05),
                 lambda m: m.LearningRateScheduler(lambda e, lr: lr * 0.7 if e % 2 else lr)):
        km, tm = _both(opt="sgd")
        kh = km.fit(x, y, epochs=5, callbacks=[make(keras.callbacks)], **FIT).history
        th = tm.fit(x, y, epochs=5, callbacks=[make(TC)], **FIT).history
        assert_history_close(th, kh)


def test_csv_logger_same_file(tmp_path):
    x, y = data("mlp")
    km, tm = _both()
    km.fit(x, y, epochs=2, callbacks=[keras.callbacks.CSVLogger(str(tmp_path / "k.csv"))], **FIT)
    tm.fit(x, y, epochs=2, callbacks=[TC.CSVLogger(str(tmp_path / "t.csv"))], **FIT)
    k = [l.split(",") for l in (tmp_path / "k.csv").read_text().splitlines()]
    t = [l.split(",") for l in (tmp_path / "t.csv").read_text().splitlines()]
    assert k[0] == t[0]
    for a, b in zip(k[1:], t[1:]):
        assert [c == "NA" for c in a] == [c == "NA" for c in b]
        np.testing.assert_allclose([float(c) for c in b if c != "NA"], [float(c) for c in a if c != "NA"],
                                   rtol=1e-5)


_NUM = re.compile(r"\d+(\.\d+)?(e[-+]\d+)?")


def _final_lines(text):
    """Lines as they end up on a terminal (last '\\r' segment of each line), numbers masked."""
    out = []
    for line in text.split("\n"):
        seg = line.split("\r")[-1].replace("\b", "").rstrip()
        if seg:
            out.append(_NUM.sub("N", re.sub(r"\d+(ms|us|s)/step", "T/step", seg)))
    return out


def _capture(fn):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        fn()
    return buf.getvalue()


@pytest.mark.parametrize("verbose", [1, 2])
def test_progress_output_format_matches_keras(verbose):
    x, y = data("mlp")
    km, tm = _both()
    kw = dict(epochs=2, batch_size=24, shuffle=False, verbose=verbose, validation_split=0.25)
    ko = _capture(lambda: km.fit(x, y, **kw))
    to = _capture(lambda: tm.fit(x, y, **kw))
    assert _final_lines(to) == _final_lines(ko)
    ko = _capture(lambda: km.evaluate(x, y, batch_size=24, verbose=verbose))
    to = _capture(lambda: tm.evaluate(x, y, batch_size=24, verbose=verbose))
    assert _final_lines(to) == _final_lines(ko)
    ko = _capture(lambda: km.predict(x, batch_size=24, verbose=verbose))
    to = _capture(lambda: tm.predict(x, batch_size=24, verbose=verbose))
    assert _final_lines(to) == _final_lines(ko)
