"""Callbacks: decisions, files, order; progress-bar output format."""

import io
import os
import re
import contextlib

import numpy as np
import pytest

from tfjax._src.keras import callbacks as C, optimizers
from tfjax._src.keras.trainers.progbar import Progbar

from _training_helpers import make_mlp


def _compiled(metrics=("accuracy",), opt="sgd"):
    m = make_mlp()
    m.compile(optimizer=opt, loss="sparse_categorical_crossentropy", metrics=list(metrics))
    return m


def test_early_stopping_restore_best_weights(mlp_data):
    x, y = mlp_data
    m = _compiled(opt=optimizers.SGD(0.5))
    seen = []

    class Rec(C.Callback):
        def on_epoch_end(self, epoch, logs=None):
            seen.append((epoch, logs["val_loss"], [w.copy() for w in self.model.get_weights()]))
    es = C.EarlyStopping(monitor="val_loss", patience=2, restore_best_weights=True, min_delta=10.0)
    h = m.fit(x, y, epochs=30, batch_size=16, verbose=0, validation_data=(x[::-1][:16], y[::-1][:16]),
              callbacks=[Rec(), es], shuffle=False)
    stopped = len(h.history["loss"])
    assert stopped < 30 and es.stopped_epoch == stopped - 1
    best = 0    # with min_delta=10 nothing after the first epoch counts as an improvement
    assert es.best_epoch == best and stopped == 3
    for a, b in zip(m.get_weights(), seen[best][2]):
        np.testing.assert_array_equal(a, b)


def test_early_stopping_baseline_and_start_from_epoch(mlp_data):
    x, y = mlp_data
    m = _compiled()
    es = C.EarlyStopping(monitor="loss", mode="max", patience=2, start_from_epoch=2)
    h = m.fit(x, y, epochs=10, batch_size=16, verbose=0, callbacks=[es])
    assert len(h.history["loss"]) == 5    # epoch 2 sets `best`; epochs 3, 4 don't improve: stop after 4
    es = C.EarlyStopping(monitor="loss", baseline=0.0, patience=2)
    h = m.fit(x, y, epochs=4, batch_size=16, verbose=0, callbacks=[es])
    assert len(h.history["loss"]) == 4    # an improving loss never stops, even below no baseline
    with pytest.raises(ValueError, match="isn't able to automatically determine"):
        m.fit(x, y, epochs=1, verbose=0, callbacks=[C.EarlyStopping(monitor="val_foo")],
              validation_data=(x, y))


def test_model_checkpoint_formats_and_best_only(mlp_data, tmp_path):
    x, y = mlp_data
    m = _compiled()
    saved = []
    m.save = lambda path, overwrite=True: (saved.append(("model", path)), open(path, "w").close())
    m.save_weights = lambda path, overwrite=True: (saved.append(("weights", path)), open(path, "w").close())
    fp = str(tmp_path / "ck-{epoch:02d}-{val_loss:.3f}.weights.h5")
    cb = C.ModelCheckpoint(fp, save_weights_only=True, monitor="val_accuracy", save_best_only=True, mode="max")
    h = m.fit(x, y, epochs=4, batch_size=16, verbose=0, validation_data=(x, y), callbacks=[cb])
    accs = h.history["val_accuracy"]
    expect = [i for i in range(4) if accs[i] > max(accs[:i], default=-1)]
    assert [int(os.path.basename(p)[3:5]) - 1 for _, p in saved] == expect
    assert all(k == "weights" for k, _ in saved)
    saved.clear()
    cb = C.ModelCheckpoint(str(tmp_path / "m.keras"), save_freq=2)
    m.fit(x, y, epochs=1, batch_size=16, verbose=0, callbacks=[cb])
    assert [k for k, _ in saved] == ["model", "model"]
    with pytest.raises(ValueError, match=".weights.h5"):
        C.ModelCheckpoint("x.keras", save_weights_only=True)


def test_reduce_lr_on_plateau_and_scheduler(mlp_data):
    x, y = mlp_data
    m = _compiled(opt=optimizers.SGD(0.1))
    r = C.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=1, min_delta=10.0, min_lr=0.02)
    h = m.fit(x, y, epochs=5, batch_size=16, verbose=0, callbacks=[r])
    # logged before the reduction of that epoch, as in Keras
    np.testing.assert_allclose(h.history["learning_rate"], [0.1, 0.1, 0.05, 0.025, 0.02], rtol=1e-6)
    m = _compiled(opt=optimizers.SGD(0.1))
    s = C.LearningRateScheduler(lambda epoch, lr: lr * 0.5 if epoch else lr)
    h = m.fit(x, y, epochs=3, batch_size=16, verbose=0, callbacks=[s])
    np.testing.assert_allclose(h.history["learning_rate"], [0.1, 0.05, 0.025], rtol=1e-6)
    np.testing.assert_allclose(float(m.optimizer.learning_rate.numpy()), 0.025, rtol=1e-6)


def test_csv_logger_lambda_terminate_on_nan(mlp_data, tmp_path):
    x, y = mlp_data
    m = _compiled()
    path = tmp_path / "log.csv"
    calls = []
    lam = C.LambdaCallback(on_epoch_end=lambda e, logs: calls.append(e),
                           on_train_batch_end=lambda b, logs: calls.append(("b", b)))
    m.fit(x, y, epochs=2, batch_size=32, verbose=0, callbacks=[C.CSVLogger(str(path)), lam])
    lines = path.read_text().splitlines()
    assert lines[0] == "epoch,accuracy,loss,val_accuracy,val_loss" and len(lines) == 3
    assert lines[1].startswith("0,") and lines[1].endswith(",NA,NA")
    assert calls == [("b", 0), ("b", 1), 0, ("b", 0), ("b", 1), 1]
    xn = x.copy()
    xn[20] = np.nan
    h = m.fit(xn, y, epochs=3, batch_size=16, verbose=0, shuffle=False, callbacks=[C.TerminateOnNaN()])
    assert len(h.history["loss"]) == 1


def test_callback_hook_order(mlp_data):
    x, y = mlp_data
    m = _compiled()
    ev = []

    class Rec(C.Callback):
        pass
    for hook in ("on_train_begin", "on_train_end", "on_epoch_begin", "on_epoch_end", "on_test_begin",
                 "on_test_end", "on_train_batch_begin", "on_train_batch_end", "on_test_batch_begin",
                 "on_test_batch_end"):
        setattr(Rec, hook, (lambda n: lambda self, *a, **k: ev.append(n))(hook))
    m.fit(x[:32], y[:32], epochs=1, batch_size=16, verbose=0, validation_data=(x[:16], y[:16]), callbacks=[Rec()])
    assert ev == ["on_train_begin", "on_epoch_begin", "on_train_batch_begin", "on_train_batch_end",
                  "on_train_batch_begin", "on_train_batch_end", "on_test_begin", "on_test_batch_begin",
                  "on_test_batch_end", "on_test_end", "on_epoch_end", "on_train_end"]


def test_backup_and_restore(mlp_data, tmp_path):
    x, y = mlp_data
    m = _compiled()
    store = {}
    m.save_weights = lambda filepath, overwrite=True: (store.__setitem__("w", m.get_weights()),
                                                       open(filepath, "w").close())
    m.load_weights = lambda filepath: m.set_weights(store["w"])

    class Interrupt(C.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:
                raise RuntimeError("interrupted")
    d = tmp_path / "backup"
    with pytest.raises(RuntimeError):
        m.fit(x, y, epochs=4, batch_size=16, verbose=0, callbacks=[C.BackupAndRestore(str(d)), Interrupt()])
    assert (d / "training_metadata.json").exists()
    h = m.fit(x, y, epochs=4, batch_size=16, verbose=0, callbacks=[C.BackupAndRestore(str(d))])
    assert h.epoch == [2, 3] and not d.exists()


# -- progress bar --------------------------------------------------------------------

_TIME = re.compile(r"\d+(ms|us|s)/step|\d+s")


def _capture(fn):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        fn()
    return buf.getvalue()


def test_progbar_verbose2_format(mlp_data):
    x, y = mlp_data
    m = _compiled()
    out = _capture(lambda: m.fit(x, y, epochs=2, batch_size=16, verbose=2, validation_split=0.25))
    lines = out.splitlines()
    assert lines[0] == "Epoch 1/2" and lines[2] == "Epoch 2/2"
    assert re.fullmatch(r"3/3 - \d+s - \d+(ms|us|s)/step - accuracy: \d\.\d{4} - loss: \d\.\d{4} - "
                        r"val_accuracy: \d\.\d{4} - val_loss: \d\.\d{4}", lines[1]), lines[1]


def test_progbar_verbose1_final_line_and_evaluate_predict(mlp_data):
    x, y = mlp_data
    m = _compiled()
    out = _capture(lambda: m.fit(x, y, epochs=1, batch_size=16, verbose=1))
    final = out.split("\r")[-1]
    assert re.fullmatch(r"\x1b\[1m4/4\x1b\[0m \x1b\[32m━{20}\x1b\[0m\x1b\[37m\x1b\[0m \x1b\[1m\d+s\x1b\[0m \d+(ms|us|s)/step - "
                        r"accuracy: \d\.\d{4} - loss: \d\.\d{4}\s*\n", final), repr(final)
    out = _capture(lambda: m.evaluate(x, y, batch_size=16))
    assert re.fullmatch(r"\x1b\[1m4/4\x1b\[0m \x1b\[32m━{20}\x1b\[0m\x1b\[37m\x1b\[0m \x1b\[1m\d+s\x1b\[0m \d+(ms|us|s)/step - "
                        r"accuracy: \d\.\d{4} - loss: \d\.\d{4}\s*\n", out.split("\r")[-1])
    out = _capture(lambda: m.predict(x, batch_size=16))
    assert re.fullmatch(r"\x1b\[1m4/4\x1b\[0m \x1b\[32m━{20}\x1b\[0m\x1b\[37m\x1b\[0m \x1b\[1m\d+s\x1b\[0m \d+(ms|us|s)/step\s*\n",
                        out.split("\r")[-1])
    assert _capture(lambda: m.fit(x, y, epochs=1, verbose=0)) == ""


def test_progbar_unknown_target_and_small_values():
    out = _capture(lambda: (Progbar(None, verbose=1).update(3, [("loss", 1e-5)], finalize=True)))
    assert re.fullmatch(r"\s*\r\s+3/Unknown \x1b\[1m\d+s\x1b\[0m \d+(ms|us|s)/step - loss: 1\.0000e-05\n",
                        out.replace("\b", "")), repr(out)
    pb = Progbar(4, verbose=2, stateful_metrics=["acc"])
    out = _capture(lambda: [pb.update(i, [("loss", float(i)), ("acc", 0.5)]) for i in range(1, 5)])
    assert re.fullmatch(r"4/4 - \d+s - \d+(ms|us|s)/step - loss: 4\.0000 - acc: 0\.5000\n", out), out
