"""``tf.train.ExponentialMovingAverage`` (TF 2's eager semantics of training/moving_averages.py)."""

from __future__ import annotations

from tfjax._src import dtypes
from tfjax._src import tensor as tensor_lib
from tfjax._src import variables as variables_lib

_FLOATS = ("bfloat16", "float16", "float32", "float64")


def assign_moving_average(variable, value, decay):
    """``variable -= (variable - value) * (1 - decay)``, ``1 - decay`` cast to the variable's dtype
    (TF computes it in float32 first)."""
    from tfjax._src.ops import math_ops  # noqa: PLC0415
    complement = math_ops.cast(1.0 - decay, variable.dtype)
    return variable.assign_sub((variable - value) * complement)


class ExponentialMovingAverage:
    """``tf.train.ExponentialMovingAverage(decay, num_updates=None, zero_debias=False, name=...)``.

    ``apply(var_list)`` creates one non-trainable shadow variable per variable (initialised to the
    variable's current value, named ``<var>/<name>``) and moves it towards the variable with
    ``decay`` (``min(decay, (1 + num_updates) / (10 + num_updates))`` when ``num_updates`` is given).
    As in TF 2, ``zero_debias`` only concerns plain tensors, which eager TF rejects, so it has no
    effect on variables; ``apply`` returns None eagerly.
    """

    def __init__(self, decay, num_updates=None, zero_debias=False, name="ExponentialMovingAverage"):
        self._decay = decay
        self._num_updates = num_updates
        self._zero_debias = zero_debias
        self._name = name
        self._averages = {}
        self._applied = {}   # ref -> variable, in order of first apply

    @property
    def name(self):
        return self._name

    def _decay_value(self):
        from tfjax._src.ops import math_ops  # noqa: PLC0415
        decay = tensor_lib.convert_to_tensor(self._decay, dtype=dtypes.float32)
        if self._num_updates is not None:
            n = math_ops.cast(self._num_updates, dtypes.float32)
            decay = math_ops.minimum(decay, (1.0 + n) / (10.0 + n))
        return decay

    def apply(self, var_list=None):
        if var_list is None:
            var_list = []  # eager TF: tf.compat.v1.trainable_variables() is empty
        var_list = list(var_list)
        for v in var_list:
            if isinstance(v, tensor_lib.Tensor) and not isinstance(v, variables_lib.Variable):
                raise TypeError("tf.train.ExponentialMovingAverage does not support non-Variable tensors "
                                "when eager execution is enabled.")
        for var in var_list:
            if var.dtype.base_dtype.name not in _FLOATS:
                raise TypeError(f"The variables must be half, float, or double: {var.name}")
            key = var.ref()
            if key not in self._averages:
                with variables_lib.init_scope():
                    initial = var.read_value()
                avg = variables_lib.Variable(initial, trainable=False,
                                             name=var.name.split(":")[0] + "/" + self._name)
                self._averages[key] = avg
                self._applied[key] = var
        decay = self._decay_value()
        for var in var_list:
            assign_moving_average(self._averages[var.ref()], var, decay)
        return None

    def average(self, var):
        return self._averages.get(var.ref(), None)

    def average_name(self, var):
        if var.ref() in self._averages:
            return self._averages[var.ref()].name[:-len(":0")]
        return var.name[:-len(":0")] + "/" + self._name

    def variables_to_restore(self, moving_avg_variables=None):
        """``{average_name(v): v}`` for the given variables (default: every variable this EMA has
        averaged, TF's MOVING_AVERAGE_VARIABLES collection; eager TF has no global variables)."""
        if moving_avg_variables is None:
            moving_avg_variables = list(self._applied.values())
        seen = {}
        for v in moving_avg_variables:
            seen.setdefault(v.ref(), v)
        return {self.average_name(v): v for v in seen.values()}

