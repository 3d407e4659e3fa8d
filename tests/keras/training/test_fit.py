"""fit / evaluate / predict end to end (no TF oracle; see compat_tests/keras_training for that)."""

import numpy as np
import pytest

import tfjax as tf
from tfjax._src.keras import layers, models, losses, metrics, optimizers
from tfjax._src.keras.trainers import step_execution

from _training_helpers import make_mlp


def test_fit_history_evaluate_predict(mlp_data):
    x, y = mlp_data
    m = make_mlp()
    m.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    h = m.fit(x, y, epochs=3, batch_size=16, verbose=0, validation_split=0.25)
    assert sorted(h.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert h.epoch == [0, 1, 2] and h.params == {"verbose": 0, "epochs": 3, "steps": 3}
    assert h.history["loss"][-1] < h.history["loss"][0]
    assert all(isinstance(v, float) for v in h.history["loss"])
    loss, acc = m.evaluate(x, y, verbose=0)
    assert m.evaluate(x, y, verbose=0, return_dict=True) == {"accuracy": acc, "loss": loss}
    p = m.predict(x, verbose=0, batch_size=10)
    assert p.shape == (64, 3) and isinstance(p, np.ndarray)
    np.testing.assert_allclose(p.sum(-1), 1.0, rtol=1e-5)
    assert m.metrics_names == ["loss", "compile_metrics"]
    assert int(m.optimizer.iterations.numpy()) == 9


def test_step_is_one_compiled_program(mlp_data):
    x, y = mlp_data
    m = make_mlp()
    m.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", steps_per_execution=1)
    m.fit(x, y, epochs=2, batch_size=16, verbose=0)
    # one trace for the full batch shape, no eager fallback, no re-trace in epoch 2
    assert m.train_function.experimental_get_tracing_count() == 1


def test_steps_per_execution_matches_single_steps(mlp_data):
    x, y = mlp_data
    hs, ws = [], []
    for spe in (1, 3):
        m = make_mlp()
        m.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"],
                  steps_per_execution=spe)
        hs.append(m.fit(x, y, epochs=2, batch_size=8, verbose=0, shuffle=False).history)
        ws.append(m.get_weights())
        assert int(m.optimizer.iterations.numpy()) == 16
    for k in hs[0]:
        np.testing.assert_allclose(hs[0][k], hs[1][k], rtol=1e-5)
    for a, b in zip(*ws):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_auto_steps_per_execution_kicks_in_for_tiny_models(mlp_data, monkeypatch):
    x, y = mlp_data
    monkeypatch.setattr(step_execution, "_AUTO_TARGET_S", 10.0)   # force "per-step overhead dominates"
    m = make_mlp()
    m.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    h = m.fit(np.concatenate([x] * 4), np.concatenate([y] * 4), epochs=2, batch_size=8, verbose=0, shuffle=False)
    assert m._train_multi.experimental_get_tracing_count() >= 1
    ref = make_mlp()
    ref.compile(optimizer="adam", loss="sparse_categorical_crossentropy", steps_per_execution=1)
    h2 = ref.fit(np.concatenate([x] * 4), np.concatenate([y] * 4), epochs=2, batch_size=8, verbose=0, shuffle=False)
    np.testing.assert_allclose(h.history["loss"], h2.history["loss"], rtol=1e-5)
    assert m.steps_per_execution == 1   # the public value is unchanged


def test_auto_steps_per_execution_is_chosen_once_per_batch_size(mlp_data, monkeypatch):
    x, y = mlp_data
    monkeypatch.setattr(step_execution, "_AUTO_TARGET_S", 10.0)
    timed = []
    real = step_execution.auto_timing
    monkeypatch.setattr(step_execution, "auto_timing", lambda st, *a: timed.append(1) or real(st, *a))
    m = make_mlp()
    m.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    xs, ys = np.concatenate([x] * 4), np.concatenate([y] * 4)
    m.fit(xs, ys, epochs=1, batch_size=8, verbose=0)
    n_first = len(timed)
    assert n_first >= 5 and m._auto_spe_choices[8] > 1
    m.fit(xs, ys, epochs=1, batch_size=8, verbose=0)      # same batch size: the choice is reused
    assert len(timed) == n_first
    m.fit(xs, ys, epochs=1, batch_size=16, verbose=0)     # a new batch size is timed afresh
    assert len(timed) > n_first and 16 in m._auto_spe_choices
    m.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    assert m._auto_spe_choices == {}


def test_inputs_dataset_generator_pydataset_dict(mlp_data):
    x, y = mlp_data
    m = make_mlp()
    m.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(16)
    h = m.fit(ds, epochs=2, verbose=0, validation_data=ds)
    assert len(h.history["val_loss"]) == 2
    assert len(m.predict(ds, verbose=0)) == 64

    def gen():
        for i in range(0, 64, 16):
            yield x[i:i + 16], y[i:i + 16]
    h = m.fit(gen(), epochs=1, verbose=0)
    assert len(h.history["loss"]) == 1

    from tfjax._src.keras.trainers.py_dataset import PyDataset

    class Seq(PyDataset):
        def __init__(self):
            super().__init__()
            self.ends = 0

        def __len__(self):
            return 4

        def __getitem__(self, i):
            return x[i * 16:(i + 1) * 16], y[i * 16:(i + 1) * 16]

        def on_epoch_end(self):
            self.ends += 1
    s = Seq()
    m.fit(s, epochs=2, verbose=0)
    assert s.ends >= 2

    inp_a, inp_b = layers.Input((4,), name="a"), layers.Input((4,), name="b")
    out = layers.Dense(1)(layers.Concatenate()([inp_a, inp_b]))
    fm = models.Model({"a": inp_a, "b": inp_b}, out)
    fm.compile(optimizer="sgd", loss="mse")
    h = fm.fit({"a": x[:, :4], "b": x[:, 4:]}, y.astype("float32"), batch_size=16, epochs=2, verbose=0)
    assert h.history["loss"][1] < h.history["loss"][0]


def test_sample_and_class_weights_change_loss(mlp_data):
    x, y = mlp_data
    out = []
    for kw in ({}, {"sample_weight": np.where(y == 0, 0.0, 1.0).astype("float32")}, {"class_weight": {0: 0.0}}):
        m = make_mlp()
        m.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
        out.append(m.fit(x, y, epochs=1, batch_size=64, verbose=0, shuffle=False, **kw).history["loss"][0])
    assert out[0] != out[1]
    np.testing.assert_allclose(out[1], out[2], rtol=1e-6)


def test_multi_output_dict_losses_and_weights():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 5)).astype("float32")
    inp = layers.Input((5,))
    h = layers.Dense(8, activation="relu")(inp)
    a = layers.Dense(1, name="reg")(h)
    b = layers.Dense(2, activation="softmax", name="cls")(h)
    m = models.Model(inp, [a, b])
    m.compile(optimizer="adam", loss={"reg": "mse", "cls": "sparse_categorical_crossentropy"},
              loss_weights={"reg": 0.5, "cls": 1.0}, metrics={"cls": ["accuracy"]})
    yr = rng.normal(size=(32, 1)).astype("float32")
    yc = rng.integers(0, 2, 32)
    hist = m.fit(x, {"reg": yr, "cls": yc}, epochs=2, batch_size=16, verbose=0).history
    assert {"loss", "reg_loss", "cls_loss", "cls_accuracy"} <= set(hist)
    np.testing.assert_allclose(np.array(hist["loss"]),
                               0.5 * np.array(hist["reg_loss"]) + np.array(hist["cls_loss"]), rtol=1e-4)


def test_custom_train_step_and_metrics_property(mlp_data):
    x, y = mlp_data

    class Custom(models.Model):
        def __init__(self):
            super().__init__()
            self.d = layers.Dense(3)
            self.loss_tracker = metrics.Mean(name="my_loss")
            self.loss_fn = losses.SparseCategoricalCrossentropy(from_logits=True)

        def call(self, inputs):
            return self.d(inputs)

        @property
        def metrics(self):
            return [self.loss_tracker]

        def train_step(self, data):
            xb, yb = data
            with tf.GradientTape() as tape:
                loss = self.loss_fn(yb, self(xb, training=True))
            grads = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
            self.loss_tracker.update_state(loss)
            return {"my_loss": self.loss_tracker.result()}

    m = Custom()
    m.compile(optimizer=optimizers.Adam(0.05))
    h = m.fit(x, y, epochs=3, batch_size=16, verbose=0)
    assert list(h.history) == ["my_loss"] and h.history["my_loss"][2] < h.history["my_loss"][0]


def test_guide_custom_loop_with_tf_function(mlp_data):
    x, y = mlp_data
    model = make_mlp(activation=None)
    opt = optimizers.Adam(1e-2)
    loss_fn = losses.SparseCategoricalCrossentropy(from_logits=True)
    acc = metrics.SparseCategoricalAccuracy()

    @tf.function
    def train_step(xb, yb):
        with tf.GradientTape() as tape:
            logits = model(xb, training=True)
            loss = loss_fn(yb, logits)
        grads = tape.gradient(loss, model.trainable_variables)
        opt.apply_gradients(zip(grads, model.trainable_variables))
        acc.update_state(yb, logits)
        return loss

    first = None
    for _ in range(3):
        for i in range(0, 64, 16):
            loss = train_step(tf.constant(x[i:i + 16]), tf.constant(y[i:i + 16]))
            first = float(loss) if first is None else first
    assert float(loss) < first
    assert int(opt.iterations.numpy()) == 12
    assert train_step.experimental_get_tracing_count() <= 2
    assert 0.0 <= float(acc.result()) <= 1.0


def test_optax_transformation_in_compile(mlp_data):
    optax = pytest.importorskip("optax")
    x, y = mlp_data
    m = make_mlp()
    m.compile(optimizer=optax.adam(1e-2), loss="sparse_categorical_crossentropy")
    h = m.fit(x, y, epochs=3, batch_size=16, verbose=0)
    assert h.history["loss"][2] < h.history["loss"][0]


def test_stop_training_and_run_eagerly(mlp_data):
    x, y = mlp_data
    from tfjax._src.keras import callbacks

    class Stop(callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            assert isinstance(logs["loss"], float)
            if batch == 1:
                self.model.stop_training = True
    m = make_mlp()
    m.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", run_eagerly=True)
    h = m.fit(x, y, epochs=5, batch_size=16, verbose=0, callbacks=[Stop()])
    assert len(h.history["loss"]) == 1 and int(m.optimizer.iterations.numpy()) == 2


def test_train_on_batch_resets_metrics(mlp_data):
    x, y = mlp_data
    m = make_mlp()
    m.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    r1 = m.train_on_batch(x[:16], y[:16], return_dict=True)
    r2 = m.test_on_batch(x[:16], y[:16], return_dict=True)
    assert set(r1) == set(r2) == {"loss", "accuracy"}
    assert m.predict_on_batch(x[:4]).shape == (4, 3)
