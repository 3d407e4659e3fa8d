"""The fused recurrences behind the built-in cells (SimpleRNN/LSTM/GRU).

The built-in cells run the whole sequence as one ``jax.lax.scan`` inside a single
dispatched op, so a GradientTape records one node per layer call and XLA compiles
one loop.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from tfjax._src import tape as _tape
from tfjax._src.tensor import Tensor
from tfjax._src.keras import activations
from tfjax._src.keras.ops import nn as _keras_nn
from tfjax._src.ops import nn_ops as _nn_ops


# The activations' own kernels (tf.nn's), so that the fused cells' gradients at the kinks are TF's.
_JAX_ACT = {
    activations.tanh: jnp.tanh, activations.sigmoid: jax.nn.sigmoid, activations.relu: _nn_ops._relu,
    activations.linear: lambda x: x, activations.hard_sigmoid: _keras_nn._hard_sigmoid,
    activations.elu: _nn_ops._elu, activations.selu: _nn_ops._selu, activations.softplus: jax.nn.softplus,
    activations.silu: jax.nn.silu, activations.relu6: _nn_ops._relu6,
    activations.gelu: lambda x: jax.nn.gelu(x, approximate=False),
}


class _PyAct:
    """Wraps a Tensor-level activation for use inside the scan body."""

    def __init__(self, fn):
        self.fn = fn

    def __call__(self, x):
        prev = _tape.state.recording
        _tape.state.recording = False
        try:
            return self.fn(Tensor(x))._value
        finally:
            _tape.state.recording = prev

    def __hash__(self):
        return hash(self.fn)

    def __eq__(self, o):
        return isinstance(o, _PyAct) and o.fn is self.fn


def _jact(fn):
    return _JAX_ACT.get(fn) or _PyAct(fn)


# -- the fused scans -------------------------------------------------------------

def _step_simple(p, x, states, *, act, ract, units, reset_after):
    kernel, rk, bias = p
    h = states[0]
    y = x @ kernel
    if bias is not None:
        y = y + bias
    h = act(y + h @ rk)
    return h, (h,)


def _step_lstm(p, x, states, *, act, ract, units, reset_after):
    kernel, rk, bias = p
    h, c = states
    z = x @ kernel + h @ rk
    if bias is not None:
        z = z + bias
    i, f, cc, o = jnp.split(z, 4, axis=-1)
    i = ract(i)
    f = ract(f)
    c = f * c + i * act(cc)
    o = ract(o)
    h = o * act(c)
    return h, (h, c)


def _step_gru(p, x, states, *, act, ract, units, reset_after):
    kernel, rk, bias = p
    h = states[0]
    if bias is None:
        ib = rb = None
    elif reset_after:
        ib, rb = bias[0], bias[1]
    else:
        ib, rb = bias, None
    mx = x @ kernel
    if ib is not None:
        mx = mx + ib
    xz, xr, xh = jnp.split(mx, 3, axis=-1)
    if reset_after:
        mi = h @ rk
        if rb is not None:
            mi = mi + rb
        rz, rr, rh = jnp.split(mi, 3, axis=-1)
        z = ract(xz + rz)
        r = ract(xr + rr)
        hh = act(xh + r * rh)
    else:
        rz, rr = jnp.split(h @ rk[:, :2 * units], 2, axis=-1)
        z = ract(xz + rz)
        r = ract(xr + rr)
        hh = act(xh + (r * h) @ rk[:, 2 * units:])
    h = z * h + (1 - z) * hh
    return h, (h,)


_STEPS = {"simple": _step_simple, "lstm": _step_lstm, "gru": _step_gru}


def _rnn_scan(x, kernel, rk, *rest, kind, act, ract, units, reset_after, has_bias, has_mask, has_dp, has_rdp,
              nstates, go_backwards, return_sequences, zero_output):
    rest = list(rest)
    bias = rest.pop(0) if has_bias else None
    states = tuple(rest[:nstates])
    rest = rest[nstates:]
    mask = rest.pop(0) if has_mask else None
    dp = rest.pop(0) if has_dp else None
    rdp = rest.pop(0) if has_rdp else None
    step = _STEPS[kind]
    xs = jnp.swapaxes(x, 0, 1)
    ms = jnp.swapaxes(mask, 0, 1) if mask is not None else None
    if go_backwards:
        xs = xs[::-1]
        if ms is not None:
            ms = ms[::-1]
    if dp is not None:
        xs = xs * dp[None]
    params = (kernel, rk, bias)
    out0 = jnp.zeros(states[0].shape, x.dtype)

    def body(carry, inp):
        st, prev_out = carry
        if ms is not None:
            xt, mt = inp
        else:
            xt, mt = inp, None
        st_in = st
        if rdp is not None:
            st_in = (st[0] * rdp,) + tuple(st[1:])
        out, new = step(params, xt, st_in, act=act, ract=ract, units=units, reset_after=reset_after)
        if mt is not None:
            m = mt[:, None]
            new = tuple(jnp.where(m, n, s) for n, s in zip(new, st))
            out = jnp.where(m, out, jnp.zeros_like(out) if zero_output else prev_out)
        return (new, out), out

    (final, last), outs = jax.lax.scan(body, (states, out0), (xs, ms) if ms is not None else xs)
    seq = jnp.swapaxes(outs, 0, 1) if return_sequences else last
    return (seq,) + tuple(final)


def _cell_step(x, kernel, rk, *rest, kind, act, ract, units, reset_after, has_bias, nstates):
    rest = list(rest)
    bias = rest.pop(0) if has_bias else None
    out, new = _STEPS[kind]((kernel, rk, bias), x, tuple(rest[:nstates]), act=act, ract=ract, units=units,
                            reset_after=reset_after)
    return (out,) + tuple(new)


# Eager calls of a scan retrace its body unless the whole op is jitted (cached by static params).
_rnn_scan = jax.jit(_rnn_scan, static_argnames=(
    "kind", "act", "ract", "units", "reset_after", "has_bias", "has_mask", "has_dp", "has_rdp", "nstates",
    "go_backwards", "return_sequences", "zero_output"))
_cell_step = jax.jit(_cell_step, static_argnames=("kind", "act", "ract", "units", "reset_after", "has_bias",
                                                  "nstates"))
