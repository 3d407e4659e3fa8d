"""The shared base of the built-in recurrent cells (``SimpleRNNCell``/``LSTMCell``/``GRUCell``)."""

from __future__ import annotations

from tfjax._src.keras import activations, constraints, initializers, regularizers
from tfjax._src.keras.layers.layer import Layer
from tfjax._src.keras.layers.core import _ser
from tfjax._src.keras.layers.fused_rnn import _cell_step, _jact
from tfjax._src.keras.ops import core as C
from tfjax._src.keras.ops import numpy as N
from tfjax._src.keras.random import random as R


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


def _no_cell_kwarg(cls_name, kwargs, *names):
    """Arguments the shared ``_Cell`` takes but Keras's ``cls_name`` does not: refused as Keras does."""
    for n in names:
        if n in kwargs:
            raise TypeError(f"{cls_name}.__init__() got an unexpected keyword argument '{n}'")
