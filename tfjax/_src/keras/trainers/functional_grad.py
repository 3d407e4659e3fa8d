"""The default ``train_step``'s forward + gradient as one ``jax.value_and_grad`` (compiled fit only).

Why not the GradientTape here: the tape records the forward pass, then
``tape.gradient`` replays it under ``jax.vjp``, so the compiled step contains the
forward twice. XLA merges the duplicated plain ops (CSE), but not loops: an
LSTM's ``lax.scan`` ran twice, once without and once with residuals, which made
tfjax's compiled LSTM step ~25% slower than hand-written ``jax.value_and_grad``.
Differentiating the forward itself computes it once.

Semantics kept from the tape path: a trainable variable the forward never reads
gets ``None`` (the optimizer skips it with the usual warning); non-float
trainable variables get ``None``. One difference, shared with Keras on JAX: a
variable that is read but not differentiably connected to the loss (e.g. only
through ``stop_gradient``) gets a zero gradient where the tape gives ``None``.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from tfjax._src import nest
from tfjax._src import variables as _vars
from tfjax._src.tensor import Tensor


class _ReadTracking(_vars.StateScope):
    def __init__(self, captured, values):
        super().__init__(captured, values)
        self.read_ids = set()

    def read(self, var):
        self.read_ids.add(id(var))
        return super().read(var)


def usable(model):
    """Only inside a compiled step (a StateScope is active) with no tape recording around it."""
    from tfjax._src import tape as _tape  # noqa: PLC0415
    outer = _vars.current_scope()
    return outer is not None and type(outer) is _vars.StateScope and not _tape.state.recording


def _is_float(v):
    try:
        return jnp.issubdtype(jnp.dtype(v._value.dtype), jnp.inexact)
    except TypeError:
        return False


def _pack_leaf(x):
    """A y_pred leaf -> (raw value or None, raw mask or None, rebuild info)."""
    if isinstance(x, Tensor):
        m = getattr(x, "_keras_mask", None)
        if m is None:
            return x._value, None, ("T", None)
        return x._value, (m._value if isinstance(m, Tensor) else m), ("M", isinstance(m, Tensor))
    if isinstance(x, (jax.Array, jax.core.Tracer)):
        return x, None, ("A", None)
    return None, None, ("P", x)


def _unpack_leaf(val, mask, info):
    kind, extra = info
    if kind == "T":
        return Tensor(val)
    if kind == "M":
        from tfjax._src.keras.losses.losses import MaskedTensor  # noqa: PLC0415
        return MaskedTensor(val, Tensor(mask) if extra else mask)
    if kind == "A":
        return val
    return extra


def forward_and_gradients(model, x, y, sample_weight):
    """Returns ``(y_pred, unscaled loss, grads aligned with model.trainable_weights)``.

    Runs ``model(x, training=True)`` and ``model.compute_loss`` once, under
    ``jax.value_and_grad`` over the float trainable variables; variables the forward
    writes (BatchNorm statistics, seed generators) are written to the enclosing
    compiled step's state.
    """
    outer = _vars.current_scope()
    tv = list(model.trainable_weights)
    diff, seen = [], set()
    for v in tv:
        if id(v) not in seen and _is_float(v):
            seen.add(id(v))
            diff.append(v)
    diff_ids = {id(v) for v in diff}
    others = [v for v in outer.vars.values() if id(v) not in diff_ids]
    other_vals = [outer.read(v) for v in others]
    box = {}

    def f(diff_vals):
        inner = _ReadTracking(others + diff, other_vals + list(diff_vals))
        with _vars.enter_scope(inner):
            y_pred = model(x, training=True)
            loss = model._compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=True)
            scaled = model.optimizer.scale_loss(loss) if model.optimizer is not None else loss
        packed = [_pack_leaf(leaf) for leaf in nest.flatten(y_pred)]
        written = list(inner.written.values())
        box.update(y_pred=y_pred, infos=[p[2] for p in packed], written=written, read=inner.read_ids,
                   discovered=list(inner.discovered))
        aux = ([p[0] for p in packed], [p[1] for p in packed], _raw(loss),
               [inner.values[id(v)] for v in written])
        # a non-scalar loss differentiates as its sum, as GradientTape.gradient does
        return jnp.sum(_raw(scaled)), aux

    (_, (vals, masks, loss_raw, new_vals)), grads = jax.value_and_grad(f, has_aux=True)(
        [outer.read(v) for v in diff])
    for v in box["discovered"]:
        if id(v) not in outer.vars:
            outer.read(v)   # first met mid-trace: the compiled step takes it as an input next trace
    for v, val in zip(box["written"], new_vals):
        outer.write(v, val)
    leaves = [_unpack_leaf(v, m, i) for v, m, i in zip(vals, masks, box["infos"])]
    y_pred = nest.pack_sequence_as(box["y_pred"], leaves)
    by_id = {id(v): g for v, g in zip(diff, grads)}
    read = box["read"]
    out_grads = [Tensor(by_id[id(v)]) if id(v) in by_id and id(v) in read else None for v in tv]
    return y_pred, Tensor(loss_raw), out_grads


def _raw(t):
    return t._value if isinstance(t, Tensor) else jnp.asarray(t)
