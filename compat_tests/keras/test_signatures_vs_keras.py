"""Public Keras callables have Keras 3's signatures in tfjax.

Users call Keras classes positionally and rely on their defaults (``BinaryAccuracy("acc")``,
``Conv2DTranspose(8, 3, 2, "same", 1)``), so for every public callable that both ``keras.<ns>`` (the
real Keras 3 installed next to TF, the oracle) and ``tfjax.keras.<ns>`` export, this checks, against
Keras's signature read at test time:

* the positional-or-keyword parameters: same names, same order, same defaults (``repr`` of the default);
* the keyword-only parameters: same names and defaults;
* ``*args``: present in tfjax only where Keras has it (a catch-all would hide the positional order).

For a class the signature is its ``__init__``'s. A Keras ``__init__(self, *args, **kwargs)`` that only
forwards (e.g. the TF backend's ``Optimizer``) says nothing: where tfjax's is not such a forwarder too,
Keras's side is read from the next ``__init__`` in the MRO that has real parameters.

Differences tfjax keeps on purpose go in ``ALLOWED`` with the reason (none are needed today); an entry
that no longer differs fails the test so the list stays honest.
"""

import importlib
import inspect

import pytest

rk = pytest.importorskip("keras")

NAMESPACES = ["layers", "metrics", "losses", "optimizers", "optimizers.schedules", "callbacks", "initializers",
              "regularizers", "constraints", "utils", "models", "mixed_precision"]

# (namespace, name) -> why tfjax's signature differs from Keras's. Keep each reason specific.
ALLOWED = {
}


def _get(root, ns):
    for part in ns.split("."):
        root = getattr(root, part, None)
        if root is None:
            return None
    return root


def _is_forwarding(sig):
    kinds = [p.kind for p in sig.parameters.values() if p.name != "self"]
    return kinds == [inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD]


def _signature(obj, resolve_forwarding):
    """The signature users call ``obj`` with (a class: its ``__init__``'s, without ``self``), or None."""
    if inspect.isclass(obj):
        candidates = [c.__dict__["__init__"] for c in obj.__mro__ if "__init__" in c.__dict__]
        if not resolve_forwarding:
            candidates = candidates[:1]
    elif callable(obj):
        candidates = [obj]
    else:
        return None
    sig = None
    for target in candidates:
        try:
            sig = inspect.signature(target)
        except (TypeError, ValueError):
            return None
        if not _is_forwarding(sig):
            break
    return sig


def _summary(sig):
    P = inspect.Parameter
    ps = [p for p in sig.parameters.values() if p.name != "self"]

    def d(p):
        return "<required>" if p.default is P.empty else repr(p.default)
    positional = [(p.name, d(p)) for p in ps if p.kind in (P.POSITIONAL_ONLY, P.POSITIONAL_OR_KEYWORD)]
    kwonly = {p.name: d(p) for p in ps if p.kind == P.KEYWORD_ONLY}
    var_args = any(p.kind == P.VAR_POSITIONAL for p in ps)
    return positional, kwonly, var_args


def _differences(real, mine):
    (rp, rk_, rv), (mp, mk, mv) = _summary(real), _summary(mine)
    out = []
    if rp != mp:
        out.append(f"positional parameters:\n      keras: {rp}\n      tfjax: {mp}")
    if rk_ != mk:
        out.append(f"keyword-only parameters:\n      keras: {rk_}\n      tfjax: {mk}")
    if mv and not rv:
        out.append("tfjax takes *args where Keras has explicit parameters")
    return out


def _pairs(ns):
    real_mod = _get(rk, ns)
    mine_mod = importlib.import_module(f"tfjax.keras.{ns}")
    if real_mod is None:
        return []
    out = []
    for name in sorted(dir(real_mod)):
        if name.startswith("_") or not hasattr(mine_mod, name):
            continue
        real_obj, mine_obj = getattr(real_mod, name), getattr(mine_mod, name)
        if inspect.ismodule(real_obj) or inspect.ismodule(mine_obj):
            continue
        real_sig = _signature(real_obj, resolve_forwarding=False)
        mine_sig = _signature(mine_obj, resolve_forwarding=False)
        if real_sig is None or mine_sig is None:
            continue
        if _is_forwarding(real_sig) and not _is_forwarding(mine_sig):
            real_sig = _signature(real_obj, resolve_forwarding=True)
        out.append((name, real_sig, mine_sig))
    return out


@pytest.mark.parametrize("ns", NAMESPACES)
def test_signatures_match_keras(ns):
    pairs = _pairs(ns)
    assert pairs or _get(rk, ns) is None, f"nothing compared in keras.{ns}"
    problems, stale = [], []
    for name, real_sig, mine_sig in pairs:
        diffs = _differences(real_sig, mine_sig)
        if (ns, name) in ALLOWED:
            if not diffs:
                stale.append(name)
            continue
        if diffs:
            problems.append(f"  {ns}.{name}: " + "\n    ".join(diffs))
    assert not problems, "tfjax signatures differ from Keras's:\n" + "\n".join(problems)
    assert not stale, f"ALLOWED entries that now match Keras (remove them): {[(ns, n) for n in stale]}"


def test_allow_list_entries_have_reasons_and_exist():
    for (ns, name), reason in ALLOWED.items():
        assert ns in NAMESPACES and isinstance(reason, str) and len(reason) > 20, (ns, name)
        assert hasattr(_get(rk, ns), name), f"keras.{ns}.{name} no longer exists; drop its ALLOWED entry"


def test_the_check_sees_positional_order():
    """The comparison itself: a swapped pair or a changed default is reported, a catch-all too."""
    def keras_like(name="acc", dtype=None, threshold=0.5):
        pass

    def swapped(dtype=None, name="acc", threshold=0.5):
        pass

    def other_default(name="acc", dtype=None, threshold=0.6):
        pass

    def catch_all(*args, name="acc", dtype=None, **kwargs):
        pass

    real = inspect.signature(keras_like)
    assert not _differences(real, inspect.signature(keras_like))
    for f in (swapped, other_default, catch_all):
        assert _differences(real, inspect.signature(f)), f.__name__


def test_positional_calls_mean_what_they_mean_in_keras():
    """A few calls whose meaning depends on the positional order, compared with Keras's objects."""
    import tfjax.keras as K

    cases = [
        (lambda k: k.metrics.BinaryAccuracy("acc", None, 0.7), ("name", "threshold")),
        (lambda k: k.metrics.TopKCategoricalAccuracy(3, "top3"), ("name", "k")),
        (lambda k: k.metrics.SparseCategoricalCrossentropy("scce", None, True), ("name", "from_logits")),
        (lambda k: k.losses.BinaryCrossentropy(True, 0.1), ("from_logits", "label_smoothing")),
        (lambda k: k.losses.Tversky(0.3, 0.7, "sum", "tv"), ("alpha", "beta", "reduction", "name")),
        (lambda k: k.optimizers.Adam(0.01, 0.8, 0.9, 1e-6, True, None, 1.0),
         ("learning_rate", "beta_1", "beta_2", "epsilon", "amsgrad", "clipnorm")),
        (lambda k: k.layers.Conv2DTranspose(4, 3, 2, "same", 1), ("filters", "strides", "padding", "output_padding")),
        (lambda k: k.layers.Conv3DTranspose(4, 3, 1, "valid", "channels_last", 0),
         ("data_format", "output_padding")),
        (lambda k: k.layers.SpatialDropout2D(0.2, "channels_first"), ("rate", "data_format")),
        (lambda k: k.layers.MultiHeadAttention(2, 4, None, 0.0, True, None, None, 3), ("sliding_window",)),
        (lambda k: k.layers.LSTM(3, "relu", "tanh"), ("activation", "recurrent_activation")),
        (lambda k: k.layers.GRU(3, "relu"), ("activation", "reset_after")),
        (lambda k: k.layers.MaxPooling2D(), ("pool_size",)),
        (lambda k: k.layers.ZeroPadding2D(), ("padding",)),
        (lambda k: k.layers.Cropping3D(), ("cropping",)),
    ]
    for make, keys in cases:
        real, mine = make(rk), make(K)
        rc, mc = real.get_config(), mine.get_config()
        for key in keys:
            rv = rc[key] if key in rc else getattr(real, key)
            mv = mc[key] if key in mc else getattr(mine, key)
            if hasattr(rv, "numpy"):
                rv, mv = float(rv.numpy()), float(mv.numpy())
            assert _norm(mv) == _norm(rv), (type(real).__name__, key, mv, rv)


def _norm(v):
    if isinstance(v, (list, tuple)):
        return tuple(_norm(e) for e in v)
    if isinstance(v, float):
        return round(v, 6)
    return v
