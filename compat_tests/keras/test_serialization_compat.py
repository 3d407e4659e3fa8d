"""Keras 3 object serialization: tfjax writes the dicts real Keras writes (module, class_name,
registered_name, nested configs), and each side rebuilds the other's dicts."""

import base64
import json
import marshal

import numpy as np
import pytest

tf_real = pytest.importorskip("tensorflow")
rk = pytest.importorskip("keras")

import tfjax as tf  # noqa: E402

K = tf.keras


def _both(build):
    """build(keras_module) -> object, for real Keras and for tfjax, with fresh name counters."""
    rk.backend.clear_session()
    want = build(rk)
    K.backend.clear_session()
    got = build(K)
    return got, want


def _plain(d):
    """JSON round trip (tuples vs lists do not matter once written to a file), with lambda bytecode
    compared as code objects: marshal's bytes depend on object reference counts, not only the code."""
    return _decode_lambdas(json.loads(json.dumps(d, default=str)))


def _decode_lambdas(d):
    if isinstance(d, dict):
        if d.get("class_name") == "__lambda__" and isinstance(d.get("config"), dict) and "code" in d["config"]:
            code = marshal.loads(base64.decodebytes(d["config"]["code"].encode("ascii")))
            return {**d, "config": {**d["config"], "code": code}}
        return {k: _decode_lambdas(v) for k, v in d.items()}
    if isinstance(d, list):
        return [_decode_lambdas(v) for v in d]
    return d


def _json(d):
    return json.loads(json.dumps(d, default=str))


def _with_arg(x, scale):
    return x * scale


def _plain_fn(x):
    return x * 2


def _doubler(x):
    return x * 2


_LAMBDA = lambda x: x + 1  # noqa: E731 - one code object, serialized identically by both


LAYERS = [
    lambda k: k.layers.Dense(3, activation="relu", kernel_regularizer=k.regularizers.L2(0.1),
                             bias_constraint=k.constraints.NonNeg()),
    lambda k: k.layers.Dense(2, activation=_plain_fn, kernel_initializer=k.initializers.HeNormal(seed=3)),
    lambda k: k.layers.Conv2D(4, 3, strides=2, padding="same", activity_regularizer="l1"),
    lambda k: k.layers.LSTM(5, return_sequences=True, recurrent_dropout=0.1),
    lambda k: k.layers.BatchNormalization(momentum=0.9),
    lambda k: k.layers.Embedding(10, 3, mask_zero=True),
    lambda k: k.layers.Dropout(0.3, seed=1),
    lambda k: k.layers.Activation(k.activations.gelu),
    lambda k: k.layers.Lambda(_doubler),
    lambda k: k.layers.Lambda(_LAMBDA, output_shape=(3,)),
    lambda k: k.layers.Lambda(_with_arg, arguments={"scale": 3.0}),
]

_FNS = {"_plain_fn": _plain_fn, "_doubler": _doubler, "_with_arg": _with_arg}


@pytest.mark.parametrize("i", range(len(LAYERS)))
def test_layer_serialize_matches_keras(i):
    got, want = _both(LAYERS[i])
    assert _plain(K.layers.serialize(got)) == _plain(rk.layers.serialize(want))
    assert _plain(K.saving.serialize_keras_object(got)) == _plain(rk.saving.serialize_keras_object(want))


@pytest.mark.parametrize("i", range(len(LAYERS)))
def test_layer_configs_load_across(i):
    got, want = _both(LAYERS[i])
    k_cfg, t_cfg = _json(rk.layers.serialize(want)), _json(K.layers.serialize(got))
    # Plain functions are found by name only among custom objects, in both implementations.
    kw = {"safe_mode": False, "custom_objects": _FNS}
    rebuilt_t = K.saving.deserialize_keras_object(k_cfg, **kw)
    rebuilt_k = rk.saving.deserialize_keras_object(t_cfg, **kw)
    assert type(rebuilt_t).__name__ == type(want).__name__
    assert type(rebuilt_k).__name__ == type(got).__name__
    assert _plain(rebuilt_t.get_config()) == _plain(want.get_config())
    assert _plain(rebuilt_k.get_config()) == _plain(got.get_config())


OBJECTS = [
    lambda k: k.initializers.GlorotUniform(seed=2),
    lambda k: k.initializers.VarianceScaling(2.0, "fan_out", "truncated_normal"),
    lambda k: k.regularizers.L1L2(l1=0.01, l2=0.02),
    lambda k: k.constraints.MaxNorm(2.0, axis=1),
    lambda k: k.losses.MeanSquaredError(),
    lambda k: k.losses.SparseCategoricalCrossentropy(from_logits=True),
    lambda k: k.metrics.Precision(thresholds=0.3, top_k=2),
    lambda k: k.optimizers.SGD(0.1, momentum=0.9),
    lambda k: k.activations.relu,
    lambda k: k.losses.mean_squared_error,
    lambda k: _plain_fn,
]


@pytest.mark.parametrize("i", range(len(OBJECTS)))
def test_object_serialize_matches_keras(i):
    got, want = _both(OBJECTS[i])
    assert _plain(K.saving.serialize_keras_object(got)) == _plain(rk.saving.serialize_keras_object(want))


@pytest.mark.parametrize("family", ["initializers", "regularizers", "constraints"])
def test_family_serialize_matches_keras(family):
    objs = {"initializers": lambda k: k.initializers.Orthogonal(gain=2.0),
            "regularizers": lambda k: k.regularizers.L2(0.3),
            "constraints": lambda k: k.constraints.UnitNorm(axis=0)}
    got, want = _both(objs[family])
    t_cfg = getattr(K, family).serialize(got)
    assert _plain(t_cfg) == _plain(getattr(rk, family).serialize(want))
    assert _plain(getattr(K, family).deserialize(t_cfg).get_config()) == _plain(want.get_config())


def test_activation_serialize_matches_keras():
    for build in (lambda k: k.activations.relu, lambda k: k.activations.silu, lambda k: _plain_fn,
                  lambda k: k.layers.ReLU(max_value=2.0)):
        got, want = _both(build)
        assert _plain(K.activations.serialize(got)) == _plain(rk.activations.serialize(want))


def _models(k):
    seq = k.Sequential([k.Input((4,)), k.layers.Dense(3, activation="tanh"), k.layers.Dropout(0.1),
                        k.layers.Dense(1)])
    inp = k.Input((4,), name="features")
    h = k.layers.Dense(3)(inp)
    out = k.layers.Add()([h, k.layers.Dense(3)(inp)])
    return seq, k.Model(inp, out)


@pytest.mark.parametrize("which", [0, 1])
def test_model_serialize_matches_keras(which):
    got, want = _both(lambda k: _models(k)[which])
    assert _plain(K.saving.serialize_keras_object(got)) == _plain(rk.saving.serialize_keras_object(want))
    # ... and each side loads the other's config with equal predictions once weights are copied.
    rebuilt = K.saving.deserialize_keras_object(_json(rk.saving.serialize_keras_object(want)))
    rebuilt.set_weights(want.get_weights())
    x = np.random.RandomState(0).randn(2, 4).astype("float32")
    np.testing.assert_allclose(np.asarray(rebuilt(x)), np.asarray(want(x)), rtol=1e-5, atol=1e-6)
    rebuilt_k = rk.saving.deserialize_keras_object(_json(K.saving.serialize_keras_object(got)))
    rebuilt_k.set_weights(got.get_weights())
    np.testing.assert_allclose(np.asarray(rebuilt_k(x)), np.asarray(got(x)), rtol=1e-5, atol=1e-6)


def test_uncompiled_model_compile_config_is_empty_dict():
    got, want = _both(lambda k: _models(k)[0])
    assert K.saving.serialize_keras_object(got).get("compile_config") == \
        rk.saving.serialize_keras_object(want).get("compile_config")


def test_functional_build_config_matches_keras():
    got, want = _both(lambda k: _models(k)[1])
    assert _json(K.saving.serialize_keras_object(got)["build_config"]) == \
        _json(rk.saving.serialize_keras_object(want)["build_config"])


# -- custom objects --------------------------------------------------------------
def _custom_classes(k, package):
    @k.saving.register_keras_serializable(package=package)
    class Scale(k.layers.Layer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def call(self, x):
            return x * self.factor

        def get_config(self):
            return {**super().get_config(), "factor": self.factor}

    @k.saving.register_keras_serializable(package=package, name="clip01")
    def clip01(x):
        return k.ops.clip(x, 0.0, 1.0)

    class Unregistered(k.layers.Layer):
        def get_config(self):
            return super().get_config()

    return Scale, clip01, Unregistered


def test_registered_custom_objects_serialize_like_keras():
    KScale, kclip, KUnreg = _custom_classes(rk, "tfjaxcompat")
    TScale, tclip, TUnreg = _custom_classes(K, "tfjaxcompat")
    got, want = _both(lambda k: (TScale if k is K else KScale)(3.0))
    t_cfg, k_cfg = K.layers.serialize(got), rk.layers.serialize(want)
    assert t_cfg["registered_name"] == "tfjaxcompat>Scale"
    # The module is where the class lives (Keras keeps __main__ as None); both classes live here.
    assert _plain(t_cfg) == _plain(k_cfg)
    got, want = _both(lambda k: k.layers.Dense(2, activation=tclip if k is K else kclip))
    assert _plain(K.layers.serialize(got)) == _plain(rk.layers.serialize(want))
    got, want = _both(lambda k: (TUnreg if k is K else KUnreg)())
    assert _plain(K.layers.serialize(got)) == _plain(rk.layers.serialize(want))
    # Keras's dicts name tfjax's registered objects: they load in tfjax, and the other way round.
    layer = K.layers.deserialize(_json(k_cfg))
    assert isinstance(layer, TScale) and layer.factor == 3.0
    dense = K.layers.deserialize(_json(rk.layers.serialize(rk.layers.Dense(2, activation=kclip))))
    assert dense.activation is tclip
    assert isinstance(rk.layers.deserialize(_json(t_cfg)), KScale)


def test_custom_objects_from_scope_and_argument():
    class Offset(K.layers.Layer):
        def __init__(self, offset=1.0, **kwargs):
            super().__init__(**kwargs)
            self.offset = offset

        def get_config(self):
            return {**super().get_config(), "offset": self.offset}

    def squash(x):
        return x / 2

    cfg = _json(K.layers.serialize(K.layers.Dense(2, activation=squash, name="d")))
    off = _json(K.layers.serialize(Offset(4.0)))
    with pytest.raises((TypeError, ValueError)):
        K.layers.deserialize(off)
    with K.saving.custom_object_scope({"Offset": Offset, "squash": squash}):
        assert K.layers.deserialize(off).offset == 4.0
        assert K.layers.deserialize(cfg).activation is squash
    assert K.layers.deserialize(off, custom_objects={"Offset": Offset}).offset == 4.0
    assert K.activations.deserialize("squash", custom_objects={"squash": squash}) is squash
    with K.saving.custom_object_scope({"squash": squash}):
        assert K.activations.get("squash") is squash


@pytest.mark.parametrize("family,obj", [("initializers", "Constant"), ("regularizers", "L1"),
                                        ("constraints", "NonNeg")])
def test_registered_family_objects_resolve_by_registered_name(family, obj):
    base = getattr(getattr(K, family), obj)

    @K.saving.register_keras_serializable(package="fam")
    class Mine(base):
        pass

    cfg = getattr(K, family).serialize(Mine())
    assert cfg["registered_name"] == "fam>Mine"
    assert type(getattr(K, family).deserialize(cfg)) is Mine
    assert type(getattr(K, family).get("fam>Mine")) is Mine


# -- lambdas and safe mode ---------------------------------------------------------
def test_lambda_layer_refuses_bytecode_in_safe_mode_like_keras():
    got, want = _both(lambda k: k.layers.Lambda(_LAMBDA))
    k_cfg = _json(rk.layers.serialize(want))
    for impl, cfg in ((rk, k_cfg), (K, k_cfg), (K, _json(K.layers.serialize(got)))):
        with pytest.raises(ValueError, match="Python lambda") as info:
            impl.layers.deserialize(cfg)
        with pytest.raises(ValueError, match="Python lambda"):
            impl.layers.Lambda.from_config(cfg["config"])
    with pytest.raises(ValueError) as keras_info:
        rk.layers.Lambda.from_config(k_cfg["config"])
    assert type(info.value) is type(keras_info.value)
    layer = K.saving.deserialize_keras_object(k_cfg, safe_mode=False)
    assert float(layer(tf.constant(1.0))) == 2.0
    layer = K.layers.Lambda.from_config(k_cfg["config"], safe_mode=False)
    assert float(layer(tf.constant(1.0))) == 2.0


def test_named_function_lambda_layer_loads_in_safe_mode():
    got, want = _both(lambda k: k.layers.Lambda(_doubler))
    with K.saving.custom_object_scope({"_doubler": _doubler}):
        layer = K.layers.deserialize(_json(rk.layers.serialize(want)))
    assert float(layer(tf.constant(2.0))) == 4.0


# -- every built-in class of the object families, default-constructed ----------------
_FAMILY_BASES = {"Loss", "Metric", "Optimizer", "Initializer", "Regularizer", "Constraint", "LossScaleOptimizer"}
def _family_classes():
    import inspect  # noqa: PLC0415
    out = []
    for family in ("losses", "metrics", "optimizers", "initializers", "regularizers", "constraints"):
        for name in sorted(dir(getattr(rk, family))):
            obj = getattr(getattr(rk, family), name)
            if inspect.isclass(obj) and not name.startswith("_") and name not in _FAMILY_BASES \
                    and hasattr(getattr(K, family), name):
                out.append((family, name))
    return out


@pytest.mark.parametrize("family,name", _family_classes())
def test_default_object_configs_match_keras(family, name):
    try:
        rk.backend.clear_session()
        want = rk.saving.serialize_keras_object(getattr(getattr(rk, family), name)())
    except (TypeError, ValueError):
        pytest.skip("needs constructor arguments")
    K.backend.clear_session()
    got = K.saving.serialize_keras_object(getattr(getattr(K, family), name)())
    assert _plain(got) == _plain(want)


# -- Layer.get_config of classes without their own get_config (Keras's auto-config) -------------
def _custom_layer_configs(k):
    L = k.layers.Layer

    class KwOnly(L):                      # `**kw`, not `**kwargs`: Keras then drops the name
        def __init__(self, **kw):
            super().__init__(**kw)

    class WithArgs(L):
        def __init__(self, units=2, scale=1.5, **kwargs):
            super().__init__(**kwargs)

    class Required(L):
        def __init__(self, units):
            super().__init__()

    class Overrides(L):
        def __init__(self, units=2, **kwargs):
            super().__init__(**kwargs)
            self.units = units

        def get_config(self):
            return {**super().get_config(), "units": self.units}

    class NoInit(L):
        pass

    return {
        "kw_only": lambda: KwOnly(), "kw_only_named": lambda: KwOnly(name="x", trainable=False, dtype="float64"),
        "kw_only_autocast": lambda: KwOnly(autocast=False), "kw_only_input_shape": lambda: KwOnly(input_shape=(3,)),
        "kw_only_reg": lambda: KwOnly(activity_regularizer="l2"),
        "with_args": lambda: WithArgs(), "with_args_given": lambda: WithArgs(5, scale=2.0, name="w"),
        "required": lambda: Required(4),
        "overrides_reg": lambda: Overrides(3, activity_regularizer=k.regularizers.L1(0.3)),
        "no_init": lambda: NoInit(), "no_init_reg": lambda: NoInit(activity_regularizer="l1", trainable=False),
        "base_layer": lambda: L(),
    }


@pytest.mark.parametrize("case", sorted(_custom_layer_configs(rk)))
def test_layer_default_get_config_matches_keras(case):
    got, want = _both(lambda k: _custom_layer_configs(k)[case]())
    g, w = _json(got.get_config()), _json(want.get_config())
    assert g == w
    assert list(g) == list(w)     # the key order a config.json shows
    # from_config round trip: the same outcome in both (a constructor without **kwargs cannot take the
    # base keys back, in either implementation).
    try:
        w2 = _json(type(want).from_config(want.get_config()).get_config())
    except TypeError:
        with pytest.raises(TypeError):
            type(got).from_config(got.get_config())
    else:
        assert _json(type(got).from_config(got.get_config()).get_config()) == w2


def test_layer_auto_config_refuses_non_serializable_arguments_like_keras():
    for k in (rk, K):
        class Holder(k.layers.Layer):
            def __init__(self, inner=None, **kwargs):
                super().__init__(**kwargs)

        with pytest.raises(NotImplementedError, match="non-serializable"):
            Holder(inner=k.layers.Dense(1)).get_config()


@pytest.mark.parametrize("build", [
    lambda k: k.layers.Dense(3, activity_regularizer="l2"), lambda k: k.layers.Dropout(0.2, activity_regularizer="l1"),
    lambda k: k.layers.Add(activity_regularizer="l2"), lambda k: k.layers.Flatten(activity_regularizer="l2"),
    lambda k: k.layers.ActivityRegularization(l1=0.1), lambda k: k.layers.Identity(),
])
def test_builtin_layer_activity_regularizer_config_matches_keras(build):
    got, want = _both(build)
    assert _json(got.get_config()) == _json(want.get_config())


# -- object fidelity details --------------------------------------------------------------
def test_identity_initializer_keeps_a_non_default_gain_loadable_by_keras():
    got = K.initializers.Identity(gain=2.0)
    cfg = _json(K.initializers.serialize(got))
    assert cfg["class_name"] == "Identity"
    # Keras writes {} whatever the gain (and so loses it); tfjax writes a non-default gain, which Keras reads.
    back = rk.initializers.deserialize(cfg)
    np.testing.assert_allclose(np.asarray(back((2, 2))), 2.0 * np.eye(2))
    np.testing.assert_allclose(np.asarray(K.initializers.deserialize(cfg)((2, 2))), 2.0 * np.eye(2))


def test_orthogonal_regularizer_matches_keras():
    x = np.array([[1.0, 2, 3], [0, 0, 0], [3, 1, 0.5], [1, 1, 1]], "float32")   # an all-zero row included
    for kw in ({}, {"factor": 0.3}, {"factor": 0.3, "mode": "columns"}):
        got, want = _both(lambda k: k.regularizers.OrthogonalRegularizer(**kw))
        assert got.get_config() == want.get_config()
        np.testing.assert_allclose(float(got(tf.constant(x))), float(want(tf_real.constant(x))), rtol=1e-6)
    for k in (rk, K):
        for bad in ({"factor": -1.0}, {"factor": float("nan")}, {"mode": "diagonal"}):
            with pytest.raises(ValueError):
                k.regularizers.OrthogonalRegularizer(**bad)
        with pytest.raises(ValueError, match="rank 2"):
            k.regularizers.OrthogonalRegularizer()(np.ones((2, 2, 2), "float32"))
