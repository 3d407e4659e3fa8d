"""Recurrent layers: SimpleRNN/LSTM/GRU (+ cells), RNN wrapper, Bidirectional, TimeDistributed.

The built-in cells run the whole sequence as one ``jax.lax.scan`` inside a single
dispatched op, so a GradientTape records one node per layer call and XLA compiles
one loop.
"""

from __future__ import annotations

import copy

import jax
import jax.numpy as jnp
import numpy as np

from tfjax._src import nest
from tfjax._src import tape as _tape
from tfjax._src.tensor import Tensor
from tfjax._src.keras import activations, backend, constraints, initializers, regularizers
from tfjax._src.keras.layers.layer import Layer
from tfjax._src.keras.layers.core import _ser
from tfjax._src.keras.ops import core as C
from tfjax._src.keras.ops import numpy as N
from tfjax._src.keras.ops import nn as _keras_nn
from tfjax._src.ops import nn_ops as _nn_ops
from tfjax._src.keras.random import random as R

__all__ = ["SimpleRNNCell", "LSTMCell", "GRUCell", "SimpleRNN", "LSTM", "GRU", "RNN", "Bidirectional",
           "TimeDistributed", "StackedRNNCells"]


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


# -- cells -------------------------------------------------------------------------

class _Cell(Layer):
    kind = "simple"
    n_gates = 1

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, reset_after=True, seed=None, **kwargs):
        if units <= 0:
            raise ValueError(f"Received an invalid value for argument `units`, expected a positive integer, got {units}.")
        implementation = kwargs.pop("implementation", None)  # noqa: F841
        super().__init__(**kwargs)
        self.units = units
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.unit_forget_bias = unit_forget_bias
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.dropout = min(1.0, max(0.0, dropout))
        self.recurrent_dropout = min(1.0, max(0.0, recurrent_dropout))
        self.reset_after = reset_after
        self.seed = seed
        self.seed_generator = R.SeedGenerator(seed=seed)
        self.state_size = [units, units] if self.kind == "lstm" else units
        self.output_size = units

    def build(self, input_shape):
        in_dim = input_shape[-1]
        g = self.n_gates
        self.kernel = self.add_weight(shape=(in_dim, g * self.units), name="kernel",
                                      initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.recurrent_kernel = self.add_weight(shape=(self.units, g * self.units), name="recurrent_kernel",
                                                initializer=self.recurrent_initializer,
                                                regularizer=self.recurrent_regularizer,
                                                constraint=self.recurrent_constraint)
        if self.use_bias:
            if self.kind == "lstm" and self.unit_forget_bias:
                u = self.units
                binit = self.bias_initializer

                def init(shape, dtype=None):
                    return N.concatenate([binit((u,), dtype=dtype), initializers.Ones()((u,), dtype=dtype),
                                          binit((2 * u,), dtype=dtype)])
            else:
                init = self.bias_initializer
            shape = (2, g * self.units) if (self.kind == "gru" and self.reset_after) else (g * self.units,)
            self.bias = self.add_weight(shape=shape, name="bias", initializer=init,
                                        regularizer=self.bias_regularizer, constraint=self.bias_constraint)
        else:
            self.bias = None

    def get_initial_state(self, batch_size=None):
        n = 2 if self.kind == "lstm" else 1
        return [N.zeros((batch_size, self.units), dtype=self.compute_dtype) for _ in range(n)]

    def call(self, inputs, states, training=False):
        # one step (used by the generic RNN wrapper / user code)
        states = list(states) if isinstance(states, (list, tuple)) else [states]
        x = C.t1(inputs)
        args = [x, C.t(self.kernel), C.t(self.recurrent_kernel)]
        if self.bias is not None:
            args.append(C.t(self.bias))
        args += [C.t(s) for s in states]
        outs = C.apply(_cell_step, *args, kind=self.kind, act=_jact(self.activation),
                       ract=_jact(self.recurrent_activation), units=self.units, reset_after=self.reset_after,
                       has_bias=self.bias is not None, nstates=len(states))
        out, new = outs[0], list(outs[1:])
        return out, (new if self.kind == "lstm" else new)

    def get_config(self):
        base = super().get_config()
        cfg = {"units": self.units, "activation": activations.serialize(self.activation)}
        if self.kind != "simple":
            cfg["recurrent_activation"] = activations.serialize(self.recurrent_activation)
        cfg.update({
            "use_bias": self.use_bias, "kernel_initializer": _ser(self.kernel_initializer, "init"),
            "recurrent_initializer": _ser(self.recurrent_initializer, "init"),
            "bias_initializer": _ser(self.bias_initializer, "init"),
        })
        if self.kind == "lstm":
            cfg["unit_forget_bias"] = self.unit_forget_bias
        cfg.update({
            "kernel_regularizer": _ser(self.kernel_regularizer, "reg"),
            "recurrent_regularizer": _ser(self.recurrent_regularizer, "reg"),
            "bias_regularizer": _ser(self.bias_regularizer, "reg"),
            "kernel_constraint": _ser(self.kernel_constraint, "con"),
            "recurrent_constraint": _ser(self.recurrent_constraint, "con"),
            "bias_constraint": _ser(self.bias_constraint, "con"),
            "dropout": self.dropout, "recurrent_dropout": self.recurrent_dropout,
        })
        if self.kind == "gru":
            cfg["reset_after"] = self.reset_after
        cfg["seed"] = self.seed
        base.update(cfg)
        return base


def _cell_step(x, kernel, rk, *rest, kind, act, ract, units, reset_after, has_bias, nstates):
    rest = list(rest)
    bias = rest.pop(0) if has_bias else None
    out, new = _STEPS[kind]((kernel, rk, bias), x, tuple(rest[:nstates]), act=act, ract=ract, units=units,
                            reset_after=reset_after)
    return (out,) + tuple(new)


class SimpleRNNCell(_Cell):
    kind = "simple"
    n_gates = 1

    def __init__(self, units, activation="tanh", use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros", kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None,
                 **kwargs):
        _no_cell_kwarg("SimpleRNNCell", kwargs, "recurrent_activation", "unit_forget_bias", "reset_after")
        super().__init__(units, activation=activation, use_bias=use_bias, kernel_initializer=kernel_initializer,
                         recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
                         kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
                         bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
                         recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
                         dropout=dropout, recurrent_dropout=recurrent_dropout, seed=seed, **kwargs)


class LSTMCell(_Cell):
    kind = "lstm"
    n_gates = 4

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, **kwargs):
        _no_cell_kwarg("LSTMCell", kwargs, "reset_after")
        super().__init__(units, activation=activation, recurrent_activation=recurrent_activation,
                         use_bias=use_bias, kernel_initializer=kernel_initializer,
                         recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
                         unit_forget_bias=unit_forget_bias, kernel_regularizer=kernel_regularizer,
                         recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
                         kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
                         bias_constraint=bias_constraint, dropout=dropout, recurrent_dropout=recurrent_dropout,
                         seed=seed, **kwargs)


class GRUCell(_Cell):
    kind = "gru"
    n_gates = 3

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0, recurrent_dropout=0.0,
                 reset_after=True, seed=None, **kwargs):
        _no_cell_kwarg("GRUCell", kwargs, "unit_forget_bias")
        super().__init__(units, activation=activation, recurrent_activation=recurrent_activation,
                         use_bias=use_bias, kernel_initializer=kernel_initializer,
                         recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
                         kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
                         bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
                         recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
                         dropout=dropout, recurrent_dropout=recurrent_dropout, reset_after=reset_after, seed=seed,
                         **kwargs)


def _no_cell_kwarg(cls_name, kwargs, *names):
    """Arguments the shared ``_Cell`` takes but Keras's ``cls_name`` does not: refused as Keras does."""
    for n in names:
        if n in kwargs:
            raise TypeError(f"{cls_name}.__init__() got an unexpected keyword argument '{n}'")


class StackedRNNCells(Layer):
    def __init__(self, cells, **kwargs):
        super().__init__(**kwargs)
        self.cells = list(cells)

    @property
    def state_size(self):
        return [c.state_size for c in self.cells]

    @property
    def output_size(self):
        return self.cells[-1].output_size

    def build(self, input_shape):
        shape = input_shape
        for c in self.cells:
            c.build(shape)
            shape = tuple(shape[:-1]) + (c.output_size,)

    def get_initial_state(self, batch_size=None):
        return [c.get_initial_state(batch_size) for c in self.cells]

    def call(self, inputs, states, training=False):
        new_states = []
        x = inputs
        for c, s in zip(self.cells, states):
            x, ns = c(x, s, training=training) if c._call_spec.has_training else c(x, s)
            new_states.append(ns)
        return x, new_states


# -- the RNN layer ----------------------------------------------------------------

class RNN(Layer):
    def __init__(self, cell, return_sequences=False, return_state=False, go_backwards=False, stateful=False,
                 unroll=False, zero_output_for_mask=False, **kwargs):
        if isinstance(cell, (list, tuple)):
            cell = StackedRNNCells(cell)
        super().__init__(**kwargs)
        self.cell = cell
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.go_backwards = go_backwards
        self.stateful = stateful
        self.unroll = unroll
        self.zero_output_for_mask = zero_output_for_mask
        self.supports_masking = True
        self.states = None

    @property
    def _fused(self):
        return isinstance(self.cell, _Cell)

    def build(self, sequences_shape, initial_state_shape=None):
        step_shape = (sequences_shape[0],) + tuple(sequences_shape[2:])
        if not self.cell.built:
            self.cell.build(step_shape)
            self.cell.built = True
        if self.stateful:
            if sequences_shape[0] is None:
                raise ValueError("If an RNN is stateful, it needs to know its batch size. Specify the batch size "
                                 "of your input tensors.")
            ss = self.cell.state_size
            ss = ss if isinstance(ss, list) else [ss]
            from tfjax._src.keras.variables import KerasVariable  # noqa: PLC0415
            # Keras keeps the states out of `weights` (they are not saved).
            self.__dict__["states"] = [
                KerasVariable(np.zeros((sequences_shape[0], s), C.np_dtype(self.variable_dtype)), trainable=False,
                              name="rnn_state") for s in ss]

    def _tfjax_tracked_variables(self):
        return Layer._tfjax_tracked_variables(self) + list(self.__dict__.get("states") or [])

    def reset_states(self):
        if self.states is not None:
            for s in self.states:
                s.assign(np.zeros(s.shape.as_list(), s.dtype._np))

    reset_state = reset_states

    def get_initial_state(self, batch_size):
        return self.cell.get_initial_state(batch_size)

    def call(self, sequences, initial_state=None, mask=None, training=False):
        x = C.t1(sequences)
        batch = C.static_shape(x)[0]
        if initial_state is None:
            if self.stateful and self.states is not None:
                initial_state = [C.t(s) for s in self.states]
            else:
                initial_state = self.get_initial_state(batch)
        if not isinstance(initial_state, (list, tuple)):
            initial_state = [initial_state]
        initial_state = [C.t1(s) for s in nest.flatten(initial_state)]
        if self._fused:
            out = self._call_fused(x, initial_state, mask, training)
        else:
            out = self._call_loop(x, initial_state, mask, training)
        seq, states = out[0], list(out[1:])
        if self.stateful and self.states is not None:
            for v, s in zip(self.states, states):
                v.assign(s)
        if self.return_state:
            return [seq] + states
        return seq

    def _call_fused(self, x, states, mask, training):
        cell = self.cell
        args = [x, C.t(cell.kernel), C.t(cell.recurrent_kernel)]
        if cell.bias is not None:
            args.append(C.t(cell.bias))
        args += [C.cast(s, C.dtype_of(x)) for s in states]
        has_mask = mask is not None
        if has_mask:
            args.append(C.cast(mask, "bool"))
        has_dp = bool(training) and 0 < cell.dropout < 1
        has_rdp = bool(training) and 0 < cell.recurrent_dropout < 1
        shape = C.static_shape(x)
        if has_dp:
            args.append(R.dropout(N.ones((shape[0], shape[-1]), dtype=C.dtype_of(x)), cell.dropout,
                                  seed=cell.seed_generator))
        if has_rdp:
            args.append(R.dropout(N.ones((shape[0], cell.units), dtype=C.dtype_of(x)), cell.recurrent_dropout,
                                  seed=cell.seed_generator))
        return C.apply(_rnn_scan, *args, kind=cell.kind, act=_jact(cell.activation),
                       ract=_jact(cell.recurrent_activation), units=cell.units, reset_after=cell.reset_after,
                       has_bias=cell.bias is not None, has_mask=has_mask, has_dp=has_dp, has_rdp=has_rdp,
                       nstates=len(states), go_backwards=bool(self.go_backwards),
                       return_sequences=bool(self.return_sequences), zero_output=bool(self.zero_output_for_mask))

    def _call_loop(self, x, states, mask, training):
        T = C.static_shape(x)[1]
        steps = list(range(T))
        if self.go_backwards:
            steps = steps[::-1]
        ss = self.cell.state_size
        nested = isinstance(ss, list)
        st = states if nested else states[0]
        if isinstance(self.cell, StackedRNNCells):
            it = iter(states)
            st = []
            for c in self.cell.cells:
                n = len(c.state_size) if isinstance(c.state_size, list) else 1
                st.append([next(it) for _ in range(n)])
        outs = []
        prev = None
        from tfjax._src.ops import array_ops  # noqa: PLC0415
        for t in steps:
            xt = array_ops.getitem(x, (slice(None), t))
            kw = {"training": training} if self.cell._call_spec.has_training else {}
            out, new = self.cell(xt, st, **kw)
            if mask is not None:
                mt = C.cast(N.expand_dims(array_ops.getitem(C.t1(mask), (slice(None), t)), -1), C.dtype_of(out))
                prev_o = prev if prev is not None else N.zeros_like(out)
                out = N.add(N.multiply(mt, out), N.multiply(N.subtract(1.0, mt), prev_o))
                new = nest.map_structure(lambda a, b: N.add(N.multiply(mt, a), N.multiply(N.subtract(1.0, mt), b)),
                                         new, st)
            st = new
            prev = out
            outs.append(out)
        seq = N.stack(outs, axis=1) if self.return_sequences else outs[-1]
        return [seq] + nest.flatten(st)

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        out_mask = mask if self.return_sequences else None
        if self.return_state:
            n = len(self.cell.state_size) if isinstance(self.cell.state_size, list) else 1
            return [out_mask] + [None] * n
        return out_mask

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        b = sequences_shape[0]
        u = self.cell.output_size
        out = (b, sequences_shape[1], u) if self.return_sequences else (b, u)
        if self.return_state:
            ss = self.cell.state_size
            ss = ss if isinstance(ss, list) else [ss]
            return [out] + [(b, s) for s in nest.flatten(ss)]
        return out

    def compute_output_spec(self, *args, **kwargs):
        from tfjax._src.keras.keras_tensor import KerasTensor  # noqa: PLC0415
        shp = self.compute_output_shape(args[0].shape)
        if self.return_state:
            return [KerasTensor(s, self.compute_dtype) for s in shp]
        return KerasTensor(shp, self.compute_dtype)

    def get_config(self):
        base = super().get_config()
        base.update({"return_sequences": self.return_sequences, "return_state": self.return_state,
                     "go_backwards": self.go_backwards, "stateful": self.stateful, "unroll": self.unroll,
                     "zero_output_for_mask": self.zero_output_for_mask})
        if type(self) is RNN:
            from tfjax._src.keras.layers import serialize  # noqa: PLC0415
            base["cell"] = serialize(self.cell)
        return base

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        if "cell" in config and isinstance(config["cell"], dict):
            from tfjax._src.keras.layers import deserialize  # noqa: PLC0415
            config["cell"] = deserialize(config["cell"], custom_objects)
        return super().from_config(config)


_CELL_KEYS = ("units", "activation", "recurrent_activation", "use_bias", "kernel_initializer",
              "recurrent_initializer", "bias_initializer", "unit_forget_bias", "kernel_regularizer",
              "recurrent_regularizer", "bias_regularizer", "kernel_constraint", "recurrent_constraint",
              "bias_constraint", "dropout", "recurrent_dropout", "reset_after", "seed")


class _Builtin(RNN):
    """``SimpleRNN``/``LSTM``/``GRU``: an ``RNN`` over its own cell; each subclass carries Keras's signature."""

    cell_cls = None

    def _init_builtin(self, cell_kwargs, *, return_sequences, return_state, go_backwards, stateful, unroll,
                      activity_regularizer, use_cudnn="auto", zero_output_for_mask=False, **kwargs):
        if use_cudnn not in ("auto", True, False):
            raise ValueError("Invalid valid received for argument `use_cudnn`. Expected one of "
                             f"{{'auto', True, False}}. Received: use_cudnn={use_cudnn}")
        if use_cudnn is True:
            raise NotImplementedError(
                f"{type(self).__name__}: use_cudnn=True is not supported by tfjax (it has no cuDNN kernel; the "
                "same recurrence runs as a JAX scan). Pass use_cudnn='auto' or False.")
        if "implementation" in kwargs:
            cell_kwargs["implementation"] = kwargs.pop("implementation")
        kwargs.pop("time_major", None)
        units = cell_kwargs.pop("units")
        cell = self.cell_cls(units, name=f"{self.cell_cls.__name__[:-4].lower().replace('simplernn', 'simple_rnn')}"
                                         "_cell", dtype=kwargs.get("dtype"), **cell_kwargs)
        RNN.__init__(self, cell, return_sequences=return_sequences, return_state=return_state,
                     go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                     zero_output_for_mask=zero_output_for_mask, activity_regularizer=activity_regularizer, **kwargs)
        self.use_cudnn = use_cudnn

    def __getattr__(self, name):
        if name in _CELL_KEYS and "cell" in self.__dict__:
            return getattr(self.__dict__["cell"], name)
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def get_config(self):
        base = super().get_config()
        cc = self.cell.get_config()
        for k in ("name", "trainable", "dtype"):
            cc.pop(k, None)
        base.update(cc)
        base["activity_regularizer"] = _ser(self.activity_regularizer, "reg")
        order = ["name", "trainable", "dtype", "return_sequences", "return_state", "go_backwards", "stateful",
                 "unroll", "zero_output_for_mask", "units", "activation", "recurrent_activation", "use_bias",
                 "kernel_initializer", "recurrent_initializer", "bias_initializer", "unit_forget_bias",
                 "kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "activity_regularizer",
                 "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout",
                 "reset_after", "seed"]
        return {k: base[k] for k in order if k in base} | {k: v for k, v in base.items() if k not in order}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        return Layer.from_config.__func__(cls, config)


class SimpleRNN(_Builtin):
    cell_cls = SimpleRNNCell

    def __init__(self, units, activation="tanh", use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros", kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, seed=None, **kwargs):
        cell_kwargs = dict(
            units=units, activation=activation, use_bias=use_bias, kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint, dropout=dropout,
            recurrent_dropout=recurrent_dropout, seed=seed)
        self._init_builtin(cell_kwargs, return_sequences=return_sequences, return_state=return_state,
                           go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                           activity_regularizer=activity_regularizer, **kwargs)


class LSTM(_Builtin):
    cell_cls = LSTMCell

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None, return_sequences=False,
                 return_state=False, go_backwards=False, stateful=False, unroll=False, use_cudnn="auto",
                 **kwargs):
        cell_kwargs = dict(
            units=units, activation=activation, recurrent_activation=recurrent_activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer, unit_forget_bias=unit_forget_bias,
            kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint, dropout=dropout,
            recurrent_dropout=recurrent_dropout, seed=seed)
        self._init_builtin(cell_kwargs, return_sequences=return_sequences, return_state=return_state,
                           go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                           activity_regularizer=activity_regularizer, use_cudnn=use_cudnn, **kwargs)


class GRU(_Builtin):
    cell_cls = GRUCell

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None, return_sequences=False,
                 return_state=False, go_backwards=False, stateful=False, unroll=False, reset_after=True,
                 use_cudnn="auto", **kwargs):
        cell_kwargs = dict(
            units=units, activation=activation, recurrent_activation=recurrent_activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint, dropout=dropout, recurrent_dropout=recurrent_dropout,
            reset_after=reset_after, seed=seed)
        self._init_builtin(cell_kwargs, return_sequences=return_sequences, return_state=return_state,
                           go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                           activity_regularizer=activity_regularizer, use_cudnn=use_cudnn, **kwargs)


# -- wrappers ------------------------------------------------------------------------

class Wrapper(Layer):
    def __init__(self, layer, **kwargs):
        super().__init__(**kwargs)
        self.layer = layer

    def get_config(self):
        from tfjax._src.keras.layers import serialize  # noqa: PLC0415
        base = super().get_config()
        base["layer"] = serialize(self.layer)
        return base

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from tfjax._src.keras.layers import deserialize  # noqa: PLC0415
        config = dict(config)
        config["layer"] = deserialize(config["layer"], custom_objects)
        return super().from_config(config)


class Bidirectional(Wrapper):
    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(f"Please initialize `Bidirectional` layer with a `keras.layers.Layer` instance. "
                             f"Received: {layer}")
        if merge_mode not in ("sum", "mul", "ave", "concat", None):
            raise ValueError(f"Invalid merge mode. Received: {merge_mode}. Merge mode should be one of "
                             '{"sum", "mul", "ave", "concat", None}')
        super().__init__(layer, **kwargs)
        cfg = layer.get_config()
        cfg["name"] = "forward_" + layer.name.split("/")[-1] if not layer.name.startswith("forward_") else layer.name
        self.forward_layer = type(layer).from_config(cfg)
        if backward_layer is None:
            bcfg = layer.get_config()
            bcfg["go_backwards"] = not bcfg.get("go_backwards", False)
            bcfg["name"] = "backward_" + layer.name.split("/")[-1]
            self.backward_layer = type(layer).from_config(bcfg)
        else:
            self.backward_layer = backward_layer
        self.__dict__["_layers"][:] = [l for l in self._layers if l is not layer]
        self.merge_mode = merge_mode
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.supports_masking = True
        if self.return_sequences:
            self.forward_layer.zero_output_for_mask = True
            self.backward_layer.zero_output_for_mask = True
        self.stateful = layer.stateful

    def build(self, sequences_shape, initial_state_shape=None):
        self.forward_layer.build(sequences_shape)
        self.backward_layer.build(sequences_shape)

    def call(self, sequences, initial_state=None, mask=None, training=None):
        kw = {"mask": mask, "training": training}
        if initial_state is not None:
            half = len(initial_state) // 2
            fi, bi = initial_state[:half], initial_state[half:]
        else:
            fi = bi = None
        fo = self.forward_layer(sequences, initial_state=fi, **kw)
        bo = self.backward_layer(sequences, initial_state=bi, **kw)
        if self.return_state:
            fs, bs = fo[1:], bo[1:]
            fo, bo = fo[0], bo[0]
        if self.return_sequences:
            bo = N.flip(bo, axis=1)
        if self.merge_mode == "concat":
            out = N.concatenate([fo, bo], axis=-1)
        elif self.merge_mode == "sum":
            out = N.add(fo, bo)
        elif self.merge_mode == "ave":
            out = N.multiply(N.add(fo, bo), 0.5)
        elif self.merge_mode == "mul":
            out = N.multiply(fo, bo)
        else:
            out = [fo, bo]
        if self.return_state:
            if self.merge_mode is None:
                return out + list(fs) + list(bs)
            return [out] + list(fs) + list(bs)
        return out

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        fs = self.forward_layer.compute_output_shape(sequences_shape)
        if self.return_state:
            out, states = fs[0], fs[1:]
        else:
            out, states = fs, []
        if self.merge_mode == "concat":
            out = tuple(out[:-1]) + (out[-1] * 2,)
        elif self.merge_mode is None:
            out = [out, out]
        if self.return_state:
            return ([out] if self.merge_mode is not None else out) + list(states) * 2
        return out

    def compute_output_spec(self, *args, **kwargs):
        from tfjax._src.keras.keras_tensor import KerasTensor  # noqa: PLC0415
        shp = self.compute_output_shape(args[0].shape)
        if isinstance(shp, list):
            return [KerasTensor(s, self.compute_dtype) for s in shp]
        return KerasTensor(shp, self.compute_dtype)

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, list):
            mask = mask[0]
        out_mask = mask if self.return_sequences else None
        if self.return_state:
            n = len(self.forward_layer.cell.state_size) if isinstance(self.forward_layer.cell.state_size, list) else 1
            return [out_mask] + [None] * (2 * n)
        return out_mask

    def reset_states(self):
        self.forward_layer.reset_states()
        self.backward_layer.reset_states()

    def get_config(self):
        from tfjax._src.keras.layers import serialize  # noqa: PLC0415
        base = Layer.get_config(self)
        base["merge_mode"] = self.merge_mode
        base["layer"] = serialize(self.forward_layer)
        base["backward_layer"] = serialize(self.backward_layer)
        return base

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from tfjax._src.keras.layers import deserialize  # noqa: PLC0415
        config = dict(config)
        config["layer"] = deserialize(config["layer"], custom_objects)
        if config.get("backward_layer"):
            config["backward_layer"] = deserialize(config["backward_layer"], custom_objects)
        return cls(**config)


class TimeDistributed(Wrapper):
    def __init__(self, layer, **kwargs):
        super().__init__(layer, **kwargs)
        self.supports_masking = True

    def build(self, input_shape):
        child = (input_shape[0],) + tuple(input_shape[2:])
        if not self.layer.built:
            self.layer.build(child)

    def call(self, inputs, training=None, mask=None):
        x = C.t1(inputs)
        s = C.static_shape(x)
        flat = N.reshape(x, (-1,) + tuple(s[2:]))
        kw = {"training": training} if self.layer._call_spec.has_training else {}
        y = self.layer(flat, **kw)
        ys = C.static_shape(y)
        return N.reshape(y, (s[0] if s[0] is not None else -1, s[1]) + tuple(ys[1:]))

    def compute_output_shape(self, input_shape):
        child = self.layer.compute_output_shape((input_shape[0],) + tuple(input_shape[2:]))
        return (child[0], input_shape[1]) + tuple(child[1:])


# Eager calls of a scan retrace its body unless the whole op is jitted (cached by static params).
_rnn_scan = jax.jit(_rnn_scan, static_argnames=(
    "kind", "act", "ract", "units", "reset_after", "has_bias", "has_mask", "has_dp", "has_rdp", "nstates",
    "go_backwards", "return_sequences", "zero_output"))
_cell_step = jax.jit(_cell_step, static_argnames=("kind", "act", "ract", "units", "reset_after", "has_bias",
                                                  "nstates"))
