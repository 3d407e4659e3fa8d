"""tf.train.Checkpoint with Keras models and optimizers (incl. deferred restoration)."""

import numpy as np
import pytest

import tfjax as tf
import tfjax.train  # noqa: F401

layers = pytest.importorskip("tfjax._src.keras.layers")
from tfjax._src.keras import optimizers  # noqa: E402
from tfjax._src.keras.models import Sequential  # noqa: E402

X = np.random.RandomState(0).randn(8, 3).astype(np.float32)


def _make(with_input=False):
    stack = [layers.Dense(4, activation="relu"), layers.Dense(2)]
    if with_input:
        stack.insert(0, layers.Input((3,)))
    return Sequential(stack), optimizers.Adam(0.01)


def _step(m, opt):
    with tf.GradientTape() as t:
        loss = tf.reduce_mean(tf.square(m(X) - 1.0))
    grads = t.gradient(loss, m.trainable_variables)
    opt.apply_gradients(zip(grads, m.trainable_variables))
    return float(loss)


def test_model_keys(tmp_path):
    m, _ = _make(with_input=True)
    p = tf.train.Checkpoint(model=m).write(str(tmp_path / "m"))
    keys = [k for k, _ in tf.train.list_variables(p)]
    assert keys == ["_CHECKPOINTABLE_OBJECT_GRAPH",
                    "model/layers/dense/vars/0/.ATTRIBUTES/VARIABLE_VALUE",
                    "model/layers/dense/vars/1/.ATTRIBUTES/VARIABLE_VALUE",
                    "model/layers/dense_1/vars/0/.ATTRIBUTES/VARIABLE_VALUE",
                    "model/layers/dense_1/vars/1/.ATTRIBUTES/VARIABLE_VALUE"]
    # keys do not depend on how the model was put together (no InputLayer here)
    m2, _ = _make()
    m2(X)
    tf.train.Checkpoint(model=m2).read(p).assert_consumed()
    np.testing.assert_array_equal(m2.layers[0].kernel.numpy(), m.layers[0].kernel.numpy())


def test_optimizer_state_resumes_same_loss_curve(tmp_path):
    m, opt = _make()
    for _ in range(3):
        _step(m, opt)
    path = tf.train.Checkpoint(model=m, optimizer=opt).save(str(tmp_path / "ckpt"))
    keys = {k for k, _ in tf.train.list_variables(path)}
    assert "optimizer/_iterations/.ATTRIBUTES/VARIABLE_VALUE" in keys
    assert "optimizer/_variables/9/.ATTRIBUTES/VARIABLE_VALUE" in keys  # Adam's slots
    reference = [_step(m, opt) for _ in range(4)]

    # Fresh, unbuilt model and optimizer: everything is restored when they build
    # (the layers on the first call, the slots on the first apply_gradients).
    m2, opt2 = _make()
    status = tf.train.Checkpoint(model=m2, optimizer=opt2).restore(path)
    resumed = [_step(m2, opt2) for _ in range(4)]
    np.testing.assert_allclose(resumed, reference, rtol=1e-6)
    status.assert_consumed()
    assert int(opt2.iterations.numpy()) == 7


def test_manager_with_keras_model(tmp_path):
    m, opt = _make()
    _step(m, opt)
    ck = tf.train.Checkpoint(model=m, optimizer=opt, step=tf.Variable(0, dtype=tf.int64))
    mgr = tf.train.CheckpointManager(ck, str(tmp_path), max_to_keep=2)
    for i in range(3):
        ck.step.assign(i)
        _step(m, opt)
        mgr.save()
    expected = [v.numpy() for v in m.weights]
    m2, opt2 = _make()
    m2(X)
    ck2 = tf.train.Checkpoint(model=m2, optimizer=opt2, step=tf.Variable(0, dtype=tf.int64))
    mgr2 = tf.train.CheckpointManager(ck2, str(tmp_path), max_to_keep=2)
    assert mgr2.restore_or_initialize().endswith("ckpt-3")
    assert int(ck2.step.numpy()) == 2
    for v, e in zip(m2.weights, expected):
        np.testing.assert_array_equal(v.numpy(), e)
