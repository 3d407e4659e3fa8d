"""The ``RNN`` layer, and the shared base of the built-in ``SimpleRNN``/``LSTM``/``GRU`` layers."""

from __future__ import annotations

import numpy as np

from tfjax._src import nest
from tfjax._src.keras.layers.layer import Layer
from tfjax._src.keras.layers.core import _ser
from tfjax._src.keras.layers.fused_rnn import _jact, _rnn_scan
from tfjax._src.keras.layers.rnn_cell import _Cell
from tfjax._src.keras.layers.stacked_rnn_cells import StackedRNNCells
from tfjax._src.keras.ops import core as C
from tfjax._src.keras.ops import numpy as N
from tfjax._src.keras.random import random as R

__all__ = ["RNN"]


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
