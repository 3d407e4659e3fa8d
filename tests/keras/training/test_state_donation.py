"""fit's compiled steps donate the variables' buffers (tfjax/_src/donation.py) without
breaking TF's guarantee that a Tensor read from a variable keeps its value.

A buffer is donated only when the variable owns it (a donating step produced it and no read
handed it out since); any read clears that, and the next step copies instead. These tests
hold snapshots across steps the ways user code does and check that (a) they keep their
values, (b) training gives the same result as with donation off, and (c) donation really
happens in steady state.
"""

import numpy as np
import pytest

import tfjax as tf
from tfjax._src import donation
from tfjax._src.keras import callbacks, layers, models, optimizers


def _model(seed=0):
    m = models.Sequential([layers.Input((6,)), layers.Dense(8, activation="relu"), layers.Dense(1)])
    rng = np.random.default_rng(seed)
    m.set_weights([rng.normal(scale=0.5, size=w.shape).astype(w.dtype) for w in m.get_weights()])
    m.compile(optimizer=optimizers.Adam(1e-2), loss="mse", steps_per_execution=1)
    return m


def _data(n=64):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(n, 6)).astype("float32")
    return x, (x[:, :1] * 2 - x[:, 1:2]).astype("float32")


def _train_step_entry(m):
    (entry,) = m.train_function._cache.values()
    return entry


def test_train_step_compiles_to_a_donating_program():
    m = _model()
    x, y = _data()
    m.fit(x, y, batch_size=16, epochs=1, verbose=0)
    entry = _train_step_entry(m)
    assert isinstance(entry.donating, donation.DonatingStep)
    written = {id(v) for v in entry.donating.written}
    # Weights, Adam's slots and step counter, the loss tracker: all written by the step.
    for v in m.trainable_variables + m.optimizer.variables[:1]:
        assert id(v) in written


def test_steady_state_steps_donate_instead_of_copying(monkeypatch):
    m = _model()
    x, y = _data()
    m.fit(x, y, batch_size=16, epochs=1, verbose=0)      # compiles; first step copies
    copies = []
    real_copy = donation._copy_all
    monkeypatch.setattr(donation, "_copy_all", lambda arrays: copies.append(len(arrays)) or real_copy(arrays))
    kernel = m.layers[0].kernel
    m.fit(x, y, batch_size=16, epochs=1, verbose=0)
    # The epoch-end logs read the loss tracker, so the next fit's first step copies those
    # few buffers; no later step of the epoch copies anything.
    assert len(copies) <= 1
    buf = kernel._buf
    assert kernel._owned
    m.train_on_batch(x[:16], y[:16])
    assert buf.is_deleted()          # donated: XLA updated it in place
    assert not kernel._buf.is_deleted()


def test_snapshots_taken_before_fit_keep_their_values():
    m = _model()
    x, y = _data()
    m.fit(x, y, batch_size=16, epochs=1, verbose=0)
    v = m.layers[0].kernel
    snaps = [v.read_value(), v.value(), tf.identity(v), tf.convert_to_tensor(v)]
    view = np.asarray(v)
    expect = v.numpy().copy()
    m.fit(x, y, batch_size=16, epochs=2, verbose=0)
    assert not np.array_equal(v.numpy(), expect)          # training moved the weights
    for s in snaps:
        np.testing.assert_array_equal(s.numpy(), expect)
    np.testing.assert_array_equal(view, expect)


class _HoldEveryBatch(callbacks.Callback):
    """Reads the kernel after every batch and keeps the Tensors (and a numpy copy of each)."""

    def __init__(self, read):
        super().__init__()
        self.read = read
        self.held, self.copies = [], []

    def on_train_batch_end(self, batch, logs=None):
        t = self.read(self.model.layers[0].kernel)
        self.held.append(t)
        self.copies.append(np.array(t))


@pytest.mark.parametrize("read", [lambda v: v.read_value(), lambda v: tf.identity(v), lambda v: v + 0.0,
                                  lambda v: v.value()],
                         ids=["read_value", "identity", "arith", "value"])
def test_tensors_held_by_callbacks_across_steps_keep_their_values(read):
    m = _model()
    x, y = _data()
    cb = _HoldEveryBatch(read)
    m.fit(x, y, batch_size=16, epochs=3, verbose=0, callbacks=[cb])
    assert len(cb.held) == 12
    for t, c in zip(cb.held, cb.copies):
        np.testing.assert_array_equal(t.numpy(), c)
    # Every batch changed the kernel: the held values are all different steps' weights.
    assert len({c.tobytes() for c in cb.copies}) == 12


def test_training_is_the_same_with_and_without_donation():
    x, y = _data()
    results = []
    for donate in (True, False):
        m = _model()
        m.fit(x[:16], y[:16], batch_size=16, epochs=1, verbose=0)
        m.train_function._donate_state = donate
        m.train_function._cache.clear()
        h = m.fit(x, y, batch_size=16, epochs=3, verbose=0, shuffle=False, validation_data=(x[:32], y[:32]))
        results.append((h.history, m.get_weights(), [v.numpy() for v in m.optimizer.variables]))
    (h1, w1, o1), (h2, w2, o2) = results
    # Same program either way; XLA:CPU's multi-threaded reductions may round the last bit
    # differently between runs (two runs with donation on differ the same way).
    assert h1.keys() == h2.keys()
    for k in h1:
        np.testing.assert_allclose(h1[k], h2[k], rtol=1e-6)
    for a, b in zip(w1 + o1, w2 + o2):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)


class _CopyingModel(models.Model):
    """A custom train_step that also assigns one variable from another that it never writes."""

    def __init__(self):
        super().__init__()
        self.dense = layers.Dense(1)
        self.source = tf.Variable(np.arange(3, dtype="float32"), trainable=False)
        self.target = tf.Variable(np.zeros(3, dtype="float32"), trainable=False)

    def call(self, x):
        return self.dense(x)

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(self(x) - y))
        grads = tape.gradient(loss, self.dense.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.dense.trainable_variables))
        self.target.assign(self.source)
        return {"loss": loss}


def test_variable_assigned_from_an_unwritten_variable_stays_valid():
    m = _CopyingModel()
    m.compile(optimizer=optimizers.SGD(0.1), steps_per_execution=1)
    x, y = _data()
    m.fit(x, y, batch_size=16, epochs=2, verbose=0)
    np.testing.assert_array_equal(m.source.numpy(), [0, 1, 2])
    np.testing.assert_array_equal(m.target.numpy(), [0, 1, 2])
    m.fit(x, y, batch_size=16, epochs=1, verbose=0)
    np.testing.assert_array_equal(m.source.numpy(), [0, 1, 2])


def test_scanned_steps_donate_and_keep_snapshots():
    m = _model()
    m.compile(optimizer=optimizers.Adam(1e-2), loss="mse", steps_per_execution=4)
    x, y = _data()
    m.fit(x, y, batch_size=8, epochs=1, verbose=0)
    before = m.layers[0].kernel.read_value()
    expect = before.numpy().copy()
    m.fit(x, y, batch_size=8, epochs=2, verbose=0)
    np.testing.assert_array_equal(before.numpy(), expect)
    (entry,) = m._train_multi._cache.values()
    assert isinstance(entry.donating, donation.DonatingStep)


def test_user_tf_functions_do_not_donate():
    v = tf.Variable([1.0, 2.0])

    @tf.function
    def bump():
        v.assign_add([1.0, 1.0])

    bump()
    snap_buf = v._buf
    bump()
    assert not snap_buf.is_deleted()
    (entry,) = bump._cache.values()
    assert entry.donating is None


def test_scheduler_choice_follows_loops(monkeypatch):
    """Loop-free donating steps use XLA:CPU's memory-optimized scheduler (see
    donation._compiler_options); steps with a scan keep the default."""
    import jax  # noqa: PLC0415
    seen = []
    real = donation._compiler_options
    monkeypatch.setattr(donation, "_compiler_options", lambda j: seen.append(real(j)) or seen[-1])
    x, y = _data()
    _model().fit(x, y, batch_size=16, epochs=1, verbose=0)
    rnn = models.Sequential([layers.Input((4, 6)), layers.LSTM(3), layers.Dense(1)])
    rnn.compile(optimizer=optimizers.SGD(0.1), loss="mse", steps_per_execution=1)
    rnn.fit(np.repeat(x[:, None, :], 4, axis=1), y, batch_size=16, epochs=1, verbose=0)
    mem = {"xla_cpu_scheduler_type": "CPU_SCHEDULER_TYPE_MEMORY_OPTIMIZED"}
    assert seen == ([mem, None] if jax.default_backend() == "cpu" else [None, None])
