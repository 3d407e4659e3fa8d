"""Optimizer update rules against real Keras 3 on fixed gradients (no layers needed)."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

import tfjax as tf
from tfjax._src.keras import optimizers as O

SHAPES = [(3, 4), (4,), (2, 3, 2)]
STEPS = 6


def _data(seed=0):
    rng = np.random.default_rng(seed)
    init = [rng.normal(size=s).astype("float32") for s in SHAPES]
    grads = [[rng.normal(size=s).astype("float32") * (1 + 2 * i) for s in SHAPES] for i in range(STEPS)]
    return init, grads


def _run_keras(make, init, grads):
    opt = make(keras.optimizers)
    vs = [keras.Variable(x) for x in init]
    for gs in grads:
        opt.apply_gradients(zip([keras.ops.convert_to_tensor(g) for g in gs], vs))
    return [np.asarray(v.numpy()) for v in vs], [np.asarray(v.numpy()) for v in opt.variables]


def _run_tfjax(make, init, grads, compiled=False):
    opt = make(O)
    vs = [tf.Variable(x) for x in init]

    def step(gs):
        opt.apply_gradients(zip(gs, vs))

    if compiled:
        opt.build(vs)
        step = tf.function(step)
    for gs in grads:
        step([tf.constant(g) for g in gs])
    return [v.numpy() for v in vs], [np.asarray(v.numpy()) for v in opt.variables]


CASES = {
    "sgd": lambda m: m.SGD(0.1),
    "sgd_momentum": lambda m: m.SGD(0.05, momentum=0.9),
    "sgd_nesterov": lambda m: m.SGD(0.05, momentum=0.9, nesterov=True),
    "adam": lambda m: m.Adam(0.01),
    "adam_amsgrad": lambda m: m.Adam(0.01, amsgrad=True),
    "adamw": lambda m: m.AdamW(0.01, weight_decay=0.1),
    "rmsprop": lambda m: m.RMSprop(0.01),
    "rmsprop_momentum_centered": lambda m: m.RMSprop(0.01, momentum=0.5, centered=True),
    "adagrad": lambda m: m.Adagrad(0.1),
    "adadelta": lambda m: m.Adadelta(1.0),
    "adamax": lambda m: m.Adamax(0.02),
    "nadam": lambda m: m.Nadam(0.01),
    "ftrl": lambda m: m.Ftrl(0.1, l1_regularization_strength=0.01, l2_regularization_strength=0.02, beta=0.1,
                             l2_shrinkage_regularization_strength=0.01),
    "lion": lambda m: m.Lion(0.01),
    "adafactor": lambda m: m.Adafactor(0.05),
    "lamb": lambda m: m.Lamb(0.01),
    "lamb_wd_clip": lambda m: m.Lamb(0.02, beta_1=0.8, epsilon=1e-6, weight_decay=0.05, clipnorm=1.0),
    "adam_clipnorm": lambda m: m.Adam(0.01, clipnorm=0.5),
    "sgd_global_clipnorm": lambda m: m.SGD(0.1, global_clipnorm=1.0),
    "sgd_clipvalue": lambda m: m.SGD(0.1, clipvalue=0.3),
    "sgd_weight_decay": lambda m: m.SGD(0.1, weight_decay=0.05),
    "adam_ema": lambda m: m.Adam(0.01, use_ema=True, ema_momentum=0.9, ema_overwrite_frequency=3),
    "sgd_accumulate": lambda m: m.SGD(0.1, momentum=0.5, gradient_accumulation_steps=2),
    "sgd_loss_scale_factor": lambda m: m.SGD(0.1, loss_scale_factor=4.0),
    "adam_exp_decay": lambda m: m.Adam(m.schedules.ExponentialDecay(0.05, 2, 0.5, staircase=True)),
    "sgd_piecewise": lambda m: m.SGD(m.schedules.PiecewiseConstantDecay([1, 3], [0.1, 0.05, 0.01])),
    "sgd_poly": lambda m: m.SGD(m.schedules.PolynomialDecay(0.1, 4, 0.01, power=2.0)),
    "sgd_poly_cycle": lambda m: m.SGD(m.schedules.PolynomialDecay(0.1, 2, 0.01, cycle=True)),
    "sgd_inverse": lambda m: m.SGD(m.schedules.InverseTimeDecay(0.1, 2, 0.5)),
    "sgd_cosine_warmup": lambda m: m.SGD(m.schedules.CosineDecay(0.01, 4, alpha=0.1, warmup_target=0.1,
                                                                 warmup_steps=2)),
    "sgd_cosine_restarts": lambda m: m.SGD(m.schedules.CosineDecayRestarts(0.1, 2, t_mul=2.0, m_mul=0.5)),
    "adafactor_schedule": lambda m: m.Adafactor(m.schedules.CosineDecay(0.05, 4)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_update_rule_matches_keras(name):
    init, grads = _data()
    kv, ks = _run_keras(CASES[name], init, grads)
    tv, ts = _run_tfjax(CASES[name], init, grads)
    for a, b in zip(tv, kv):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert len(ts) == len(ks)
    for a, b in zip(ts, ks):
        np.testing.assert_allclose(a.astype("float64"), b.astype("float64"), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", ["adam", "nadam", "sgd_accumulate", "adam_ema", "adam_exp_decay"])
def test_update_rule_compiled_matches_keras(name):
    init, grads = _data(1)
    kv, _ = _run_keras(CASES[name], init, grads)
    tv, _ = _run_tfjax(CASES[name], init, grads, compiled=True)
    for a, b in zip(tv, kv):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_loss_scale_optimizer_matches_keras():
    init, grads = _data(2)
    grads[2][0][0, 0] = np.inf   # one non-finite step: skipped, scale halves

    def make(m):
        return m.LossScaleOptimizer(m.Adam(0.01), initial_scale=8.0, dynamic_growth_steps=2)
    kv, ks = _run_keras(make, init, grads)
    tv, ts = _run_tfjax(make, init, grads)
    for a, b in zip(tv, kv):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    for a, b in zip(ts, ks):
        np.testing.assert_allclose(a.astype("float64"), b.astype("float64"), rtol=1e-5, atol=1e-6)


def test_learning_rate_settable_and_variable_names():
    kopt = keras.optimizers.Adam(0.01)
    topt = O.Adam(0.01)
    topt.learning_rate = 0.5
    kopt.learning_rate = 0.5
    assert float(np.asarray(topt.learning_rate)) == float(np.asarray(kopt.learning_rate))
    vs = [tf.Variable(np.ones(3, "float32"))]
    topt.build(vs)
    assert len(topt.variables) == 4
    assert topt.iterations.dtype == tf.int64
