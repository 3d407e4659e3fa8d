"""``Trainer``: the compile/fit/evaluate/predict half of ``keras.Model`` (Model = Trainer + Layer).

Speed design: a training step is one compiled XLA program. ``train_function`` is
a ``tf.function`` (``tfjax._src.function.Function``) over ``train_step``; it
captures the model, optimizer and metric variables (all tfjax Variables) and
writes their new values back after each call. The optimizer's slots and the
compiled metrics are created *before* the first compiled step (``_symbolic_build``),
so the trace never creates variables. Inside the compiled step, the default
``train_step`` differentiates the forward with one ``jax.value_and_grad``
(``functional_grad.py``) instead of GradientTape's record-and-replay, which put
loops (RNN scans) into the program twice; ``run_eagerly`` keeps the tape.
In-memory arrays are copied to the device once per fit and batches are cut there
(``device_data.py``): a numpy batch's ``device_put`` cost more than the slice.

How steps run (several per program, the automatic ``steps_per_execution``, the batches of an
epoch) lives in ``step_execution.py``.
"""

from __future__ import annotations

import time
import warnings

import numpy as np

from tfjax._src import nest
from tfjax._src.tensor import Tensor
from tfjax._src.keras.trainers import step_execution as _steps


def _modules():
    from tfjax._src.keras import optimizers, losses, metrics  # noqa: PLC0415
    from tfjax._src.keras.callbacks import callback_list as cbm  # noqa: PLC0415
    from tfjax._src.keras.trainers import compile_utils, data_adapters  # noqa: PLC0415
    return optimizers, losses, metrics, cbm, compile_utils, data_adapters


def _batch_dim(x):
    leaf = nest.flatten(x)[0]
    s = getattr(leaf, "shape", None)
    if s is None:
        s = np.shape(leaf)
    return int(s[0]) if len(s) else 1


class Trainer:
    def __init__(self):
        self._run_eagerly = False
        self._jit_compile = None
        self.compiled = False
        self.loss = None
        self.steps_per_execution = 1
        self._auto_spe = False
        self._auto_spe_choices = {}        # batch size -> the automatic steps_per_execution chosen
        self.train_function = None
        self.test_function = None
        self.predict_function = None
        self._train_multi = None
        self._test_multi = None
        self._predict_multi = None
        self._compile_config = None
        self._compile_loss = None
        self._compile_metrics = None
        self._loss_tracker = None
        self.optimizer = None
        self.stop_training = False
        self.stop_evaluating = False
        self.stop_predicting = False
        self._initial_epoch = None
        self._eval_epoch_iterator = None

    # ------------------------------------------------------------------ compile
    def compile(self, optimizer="rmsprop", loss=None, loss_weights=None, metrics=None, weighted_metrics=None,
                run_eagerly=False, steps_per_execution=_steps.AUTO_STEPS_PER_EXECUTION, jit_compile="auto",
                auto_scale_loss=True):
        optimizers, _, metrics_mod, _, compile_utils, _ = _modules()
        opt = optimizers.get(optimizer)
        policy = getattr(self, "dtype_policy", None)
        if auto_scale_loss and policy is not None and getattr(policy, "name", "") == "mixed_float16" \
                and not isinstance(opt, optimizers.LossScaleOptimizer):
            opt = optimizers.LossScaleOptimizer(opt, name="loss_scale_optimizer")
        self.optimizer = opt
        # Under a tf.distribute strategy scope, fit/evaluate/predict shard each global
        # batch across the strategy's replicas (one SPMD program per step).
        from tfjax._src.distribute import context as _dist_context  # noqa: PLC0415
        self._distribute_strategy = _dist_context.get_strategy() if _dist_context.has_strategy() else None
        output_names = self._output_names()
        self._compile_loss = compile_utils.CompileLoss(loss, loss_weights, output_names=output_names) \
            if loss is not None else None
        self.loss = loss
        if metrics is not None or weighted_metrics is not None:
            self._compile_metrics = compile_utils.CompileMetrics(metrics, weighted_metrics,
                                                                 output_names=output_names)
        else:
            self._compile_metrics = None
        self._loss_tracker = metrics_mod.Mean(name="loss")
        self._run_eagerly = bool(run_eagerly)
        self._jit_compile = jit_compile
        self._auto_spe = steps_per_execution is _steps.AUTO_STEPS_PER_EXECUTION
        self._auto_spe_choices = {}
        self.steps_per_execution = int(steps_per_execution)
        self.stop_training = False
        self.compiled = True
        self._compile_config = {"optimizer": optimizer, "loss": loss, "loss_weights": loss_weights,
                                "metrics": metrics, "weighted_metrics": weighted_metrics,
                                "run_eagerly": run_eagerly, "steps_per_execution": int(steps_per_execution),
                                "jit_compile": jit_compile}
        self._reset_functions()

    def _reset_functions(self):
        self.train_function = self.test_function = self.predict_function = None
        self._train_multi = self._test_multi = self._predict_multi = None
        self._spe_now = None

    def _output_names(self):
        names = getattr(self, "output_names", None)
        if names:
            return list(names)
        outs = getattr(self, "_outputs", None) or getattr(self, "outputs", None)
        if outs:
            try:
                found = []
                for o in nest.flatten(outs):
                    hist = getattr(o, "_keras_history", None)
                    layer = getattr(hist, "operation", None) or getattr(hist, "layer", None) \
                        or (hist[0] if isinstance(hist, tuple) else None)
                    found.append(getattr(layer, "name", None))
                if all(found):
                    return found
            except Exception:  # noqa: BLE001
                return None
        return None

    def get_compile_config(self):
        if self.compiled and self._compile_config is not None:
            from tfjax._src.keras.trainers.compile_config import serialize_compile_config  # noqa: PLC0415
            return serialize_compile_config(self._compile_config, self.optimizer)
        return {}

    def compile_from_config(self, config):
        from tfjax._src.keras.trainers.compile_config import deserialize_compile_config  # noqa: PLC0415
        kwargs = deserialize_compile_config(config)
        self.compile(**kwargs)
        if self.built and self.optimizer is not None and hasattr(self.optimizer, "build"):
            self.optimizer.build(self.trainable_variables)

    @property
    def run_eagerly(self):
        return self._run_eagerly

    @run_eagerly.setter
    def run_eagerly(self, value):
        self._run_eagerly = bool(value)
        self._reset_functions()

    @property
    def jit_compile(self):
        return self._jit_compile if self._jit_compile not in (None, "auto") else True

    @jit_compile.setter
    def jit_compile(self, value):
        self._jit_compile = value

    @property
    def compiled_loss(self):
        return self._compile_loss

    @property
    def compiled_metrics(self):
        return self._compile_metrics

    @property
    def metrics(self):
        out = []
        if self.compiled:
            if self._loss_tracker is not None:
                out.append(self._loss_tracker)
            if self._compile_metrics is not None:
                out.append(self._compile_metrics)
            if self._compile_loss is not None:
                out.extend(self._compile_loss.metrics)
        parent = super().metrics if hasattr(super(), "metrics") else []
        seen = {id(m) for m in out}
        out.extend(m for m in parent if id(m) not in seen)
        return out

    @property
    def metrics_names(self):
        return [m.name for m in self.metrics]

    @property
    def metrics_variables(self):
        out = []
        for m in self.metrics:
            out.extend(m.variables)
        return out

    def reset_metrics(self):
        for m in self.metrics:
            m.reset_state()

    def _assert_compile_called(self, method_name=None):
        if not self.compiled:
            msg = "You must call `compile()` before "
            msg += "using the model." if method_name is None else f"calling `{method_name}()`."
            raise ValueError(msg)

    # ------------------------------------------------------------------ steps
    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        losses = []
        if self._compile_loss is not None:
            loss = self._compile_loss(y, y_pred, sample_weight)
            if loss is not None:
                losses.append(loss)
        for l in getattr(self, "losses", []):
            if not isinstance(l, Tensor):
                from tfjax._src.tensor import convert_to_tensor  # noqa: PLC0415
                l = convert_to_tensor(l)
            if l.dtype.name != "float32":
                from tfjax._src.ops import math_ops  # noqa: PLC0415
                from tfjax._src import dtypes  # noqa: PLC0415
                l = math_ops.cast(l, dtypes.float32)
            losses.append(l)
        if not losses:
            raise ValueError("No loss to compute. Provide a `loss` argument in `compile()`.")
        total = losses[0]
        for l in losses[1:]:
            total = total + l
        return total

    def _compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        return self.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=training)

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        if self._compile_metrics is not None:
            self._compile_metrics.update_state(y, y_pred, sample_weight)
        return self.get_metrics_result()

    def get_metrics_result(self):
        out = {}
        for m in self.metrics:
            r = m.result()
            if isinstance(r, dict):
                out.update(r)
            else:
                out[m.name] = r
        return out

    def train_step(self, data):
        from tfjax._src.tape import GradientTape  # noqa: PLC0415
        _, _, _, _, _, da = _modules()
        from tfjax._src.keras.trainers import functional_grad  # noqa: PLC0415
        x, y, sample_weight = da.unpack_x_y_sample_weight(data)
        tv = self.trainable_weights
        if tv and self.optimizer is not None and functional_grad.usable(self):
            y_pred, loss, grads = functional_grad.forward_and_gradients(self, x, y, sample_weight)
            self._loss_tracker.update_state(loss, sample_weight=_batch_dim(x))
            self.optimizer.apply_gradients(zip(grads, tv))
            return self.compute_metrics(x, y, y_pred, sample_weight=sample_weight)
        with GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self._compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=True)
            self._loss_tracker.update_state(loss, sample_weight=_batch_dim(x))
            if self.optimizer is not None:
                loss = self.optimizer.scale_loss(loss)
        if tv:
            grads = tape.gradient(loss, tv)
            self.optimizer.apply_gradients(zip(grads, tv))
        else:
            warnings.warn("The model does not have any trainable weights.")
        return self.compute_metrics(x, y, y_pred, sample_weight=sample_weight)

    def test_step(self, data):
        _, _, _, _, _, da = _modules()
        x, y, sample_weight = da.unpack_x_y_sample_weight(data)
        y_pred = self(x, training=False)
        loss = self._compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=False)
        self._loss_tracker.update_state(loss, sample_weight=_batch_dim(x))
        return self.compute_metrics(x, y, y_pred, sample_weight=sample_weight)

    def predict_step(self, data):
        _, _, _, _, _, da = _modules()
        x, _, _ = da.unpack_x_y_sample_weight(data)
        return self(x, training=False)

    # ------------------------------------------------------------------ compiled functions
    def make_train_function(self, force=False):
        if self.train_function is not None and not force:
            return self.train_function
        self.train_function = _steps.make_step_function(self, "train_step", False)
        self._train_multi = None if self._run_eagerly else _steps.make_step_function(self, "train_step", True)
        return self.train_function

    def make_test_function(self, force=False):
        if self.test_function is not None and not force:
            return self.test_function
        self.test_function = _steps.make_step_function(self, "test_step", False)
        self._test_multi = None if self._run_eagerly else _steps.make_step_function(self, "test_step", True)
        return self.test_function

    def make_predict_function(self, force=False):
        if self.predict_function is not None and not force:
            return self.predict_function
        self.predict_function = _steps.make_step_function(self, "predict_step", False)
        self._predict_multi = None if self._run_eagerly else _steps.make_step_function(self, "predict_step", True)
        return self.predict_function

    # ------------------------------------------------------------------ building
    def _symbolic_build(self, data):
        _, _, _, _, _, da = _modules()
        x, y, sw = da.unpack_x_y_sample_weight(data)
        need_loss = self._compile_loss is not None and not self._compile_loss.built
        need_metrics = self._compile_metrics is not None and not self._compile_metrics.built
        need_model = not getattr(self, "built", True) or not self.variables
        need_opt = self.optimizer is not None and not getattr(self.optimizer, "built", True)
        if not (need_loss or need_metrics or need_model or need_opt):
            return
        y_pred = None
        if need_loss or need_metrics or need_model:
            y_pred = self._output_spec(x)
        if need_loss:
            self._compile_loss.build(y, y_pred)
        if need_metrics:
            self._compile_metrics.build(y, y_pred)
        if self.optimizer is not None and not getattr(self.optimizer, "built", True):
            tv = self.trainable_variables
            if tv:
                self.optimizer.build(tv)

    def _output_spec(self, x):
        xs = _steps.tensor_tree(_steps.raw_tree(
            nest.map_structure(lambda a: np.asarray(a) if not isinstance(a, (Tensor,)) else a, x)))
        if getattr(self, "built", False) and self.variables:
            try:
                return self.compute_output_spec(xs, training=False)
            except Exception:  # noqa: BLE001
                pass
        from tfjax._src.keras.layers import layer as _layer_mod  # noqa: PLC0415
        del _layer_mod
        return self(xs, training=False)

    # ------------------------------------------------------------------ fit
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None, validation_split=0.0,
            validation_data=None, shuffle=True, class_weight=None, sample_weight=None, initial_epoch=0,
            steps_per_epoch=None, validation_steps=None, validation_batch_size=None, validation_freq=1):
        self._assert_compile_called("fit")
        _, _, _, cbm, _, da = _modules()
        self._eval_epoch_iterator = None
        if validation_split and validation_data is None:
            (x, y, sample_weight), validation_data = da.train_validation_split((x, y, sample_weight),
                                                                               validation_split)
        if validation_data is not None:
            val_x, val_y, val_sw = da.unpack_x_y_sample_weight(validation_data)
        it = da.EpochIterator(x, y, sample_weight, batch_size=batch_size, steps_per_epoch=steps_per_epoch,
                              shuffle=shuffle, class_weight=class_weight,
                              steps_per_execution=self.steps_per_execution)
        first = _steps.peek(it)
        if first is not None:
            self._symbolic_build(first)
        if not isinstance(callbacks, cbm.CallbackList):
            callbacks = cbm.CallbackList(callbacks, add_history=True, add_progbar=verbose != 0, verbose=verbose,
                                         epochs=epochs, steps=it.num_batches, model=self)
        self.stop_training = False
        self.make_train_function()
        auto = self._auto_spe and not self._run_eagerly and it.steps_per_execution == 1 \
            and isinstance(it.adapter, da.ArrayDataAdapter) and not steps_per_epoch \
            and not callbacks._batch_hooks["on_train_batch_begin"] and not callbacks.needs_batch_logs
        # The automatic choice is made once per batch size and kept until the next compile, so
        # repeated fit calls neither re-time their first steps nor change k between calls.
        auto_key = getattr(it.adapter, "batch_size", None)
        chosen = self._auto_spe_choices.get(auto_key) if auto else None
        spe_state = {"k": chosen or it.steps_per_execution, "timing": [] if auto and chosen is None else None}
        callbacks.on_train_begin()
        training_logs = None
        logs = {}
        initial_epoch = self._initial_epoch or initial_epoch
        for epoch in range(initial_epoch, epochs):
            self.reset_metrics()
            callbacks.on_epoch_begin(epoch)
            for begin, end, kind, data in _steps.epoch_batches(self, it, spe_state):
                callbacks.on_train_batch_begin(begin)
                t0 = time.perf_counter() if spe_state["timing"] is not None and kind == "one" else None
                logs, _ = _steps.run_step(self, "train", kind, data)
                if t0 is not None:
                    _steps.auto_timing(spe_state, logs, t0, begin, it)
                    if spe_state["timing"] is None:
                        self._auto_spe_choices[auto_key] = spe_state["k"]
                callbacks.on_train_batch_end(end, logs)
                if self.stop_training:
                    break
            if it.ran_out:
                self.stop_training = True
            epoch_logs = dict(self._get_metrics_result_or_logs(logs))
            if validation_data is not None and self._should_eval(epoch, validation_freq):
                if self._eval_epoch_iterator is None:
                    self._eval_epoch_iterator = da.EpochIterator(
                        val_x, val_y, val_sw, batch_size=validation_batch_size or batch_size,
                        steps_per_epoch=validation_steps, shuffle=False,
                        steps_per_execution=self.steps_per_execution)
                val_logs = self.evaluate(x=val_x, y=val_y, sample_weight=val_sw,
                                         batch_size=validation_batch_size or batch_size, steps=validation_steps,
                                         callbacks=callbacks, return_dict=True, _use_cached_eval_dataset=True,
                                         _spe=spe_state["k"])
                epoch_logs.update({"val_" + k: v for k, v in val_logs.items()})
            callbacks.on_epoch_end(epoch, epoch_logs)
            training_logs = epoch_logs
            if self.stop_training:
                break
        optimizers, *_ = _modules()
        if isinstance(self.optimizer, optimizers.Optimizer) and epochs > 0:
            self.optimizer.finalize_variable_values(self.trainable_weights)
        self._eval_epoch_iterator = None
        if training_logs is not None:
            callbacks.on_train_end(logs=training_logs)
        self._initial_epoch = None
        return self.history

    def _should_eval(self, epoch, validation_freq):
        epoch = epoch + 1
        if isinstance(validation_freq, int):
            return epoch % validation_freq == 0
        if isinstance(validation_freq, (list, tuple)):
            return epoch in validation_freq
        raise ValueError("Expected `validation_freq` to be a list or int. "
                         f"Received: validation_freq={validation_freq} of the type {type(validation_freq)}.")


    def _get_metrics_result_or_logs(self, logs):
        try:
            metric_logs = self.get_metrics_result()
        except Exception:  # noqa: BLE001
            return logs
        if isinstance(logs, dict) and set(logs.keys()) == set(metric_logs.keys()):
            return metric_logs
        return logs

    def _flatten_metrics_in_order(self, logs):
        _, _, _, _, compile_utils, _ = _modules()
        names = []
        for m in self.metrics:
            if isinstance(m, compile_utils.CompileMetrics):
                names += [s.name for s in m.metrics]
            else:
                names.append(m.name)
        results = [logs[n] for n in names if n in logs]
        results += [logs[k] for k in sorted(logs) if k not in names]
        return results[0] if len(results) == 1 else results

    # ------------------------------------------------------------------ evaluate
    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None, steps=None,
                 callbacks=None, return_dict=False, **kwargs):
        self._assert_compile_called("evaluate")
        _, _, _, cbm, _, da = _modules()
        use_cached = kwargs.pop("_use_cached_eval_dataset", False)
        spe = kwargs.pop("_spe", None)
        if kwargs:
            raise ValueError(f"Arguments not recognized: {kwargs}")
        if use_cached and self._eval_epoch_iterator is not None:
            it = self._eval_epoch_iterator
        else:
            it = da.EpochIterator(x, y, sample_weight, batch_size=batch_size, steps_per_epoch=steps, shuffle=False,
                                  steps_per_execution=self.steps_per_execution)
        first = _steps.peek(it)
        if first is not None:
            self._symbolic_build(first)
        if not isinstance(callbacks, cbm.CallbackList):
            callbacks = cbm.CallbackList(callbacks, add_progbar=verbose != 0, verbose=verbose, epochs=1,
                                         steps=it.num_batches, model=self)
        self.make_test_function()
        self.stop_evaluating = False
        callbacks.on_test_begin()
        logs = {}
        self.reset_metrics()
        use_spe = spe if (spe and spe > 1 and not self._run_eagerly and self._can_stack_test(callbacks)) else None
        for begin, end, kind, data in it.enumerate_epoch(use_spe):
            callbacks.on_test_batch_begin(begin)
            logs, _ = _steps.run_step(self, "test", kind, data)
            callbacks.on_test_batch_end(end, logs)
            if self.stop_evaluating:
                break
        from tfjax._src.keras.callbacks.callback_list import pythonify_logs  # noqa: PLC0415
        logs = pythonify_logs(self._get_metrics_result_or_logs(logs))
        callbacks.on_test_end(logs)
        if return_dict:
            return logs
        return self._flatten_metrics_in_order(logs)

    def _can_stack_test(self, callbacks):
        return not any(not getattr(c, "_lazy_logs", False) for c in callbacks._batch_hooks["on_test_batch_end"]) \
            and not callbacks._batch_hooks["on_test_batch_begin"]

    # ------------------------------------------------------------------ predict
    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        _, _, _, cbm, _, da = _modules()
        it = da.EpochIterator(x, batch_size=batch_size, steps_per_epoch=steps, shuffle=False,
                              steps_per_execution=self.steps_per_execution)
        if not isinstance(callbacks, cbm.CallbackList):
            callbacks = cbm.CallbackList(callbacks, add_progbar=verbose != 0, verbose=verbose, epochs=1,
                                         steps=it.num_batches, model=self)
        first = _steps.peek(it)
        if first is not None and (not getattr(self, "built", True) or not self.variables):
            self._output_spec(da.unpack_x_y_sample_weight(first)[0])
        self.make_predict_function()
        self.stop_predicting = False
        callbacks.on_predict_begin()
        outputs = None
        batch_outputs = None
        for begin, end, kind, data in it.enumerate_epoch():
            callbacks.on_predict_batch_begin(begin)
            out, full = _steps.run_step(self, "predict", kind, data)
            batch_outputs = out if full is None else nest.map_structure(
                lambda t: Tensor(t._value.reshape((-1,) + t._value.shape[2:])), full)
            flat = [np.asarray(t) for t in nest.flatten(batch_outputs)]
            if outputs is None:
                outputs = [[f] for f in flat]
            else:
                for o, f in zip(outputs, flat):
                    o.append(f)
            callbacks.on_predict_batch_end(end, {"outputs": batch_outputs})
            if self.stop_predicting:
                break
        callbacks.on_predict_end()
        if outputs is None:
            raise ValueError("Unexpected result of `predict_function` (Empty batch_outputs). Please use "
                             "`Model.compile(..., run_eagerly=True)`, or `tf.config.run_functions_eagerly(True)` "
                             "for more information of where went wrong, or file a issue/bug to `tf.keras`.")
        flat = [np.concatenate(o, axis=0) if o[0].ndim else np.stack(o) for o in outputs]
        return nest.pack_sequence_as(batch_outputs, flat)

    # ------------------------------------------------------------------ *_on_batch
    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, return_dict=False):
        self._assert_compile_called("train_on_batch")
        _, _, _, cbm, _, da = _modules()
        if class_weight is not None:
            if sample_weight is not None:
                raise ValueError("Arguments `sample_weight` and `class_weight` cannot be specified at the same "
                                 f"time. Received: sample_weight={sample_weight}, class_weight={class_weight}")
            sample_weight = da.class_weight_to_sample_weights(y, class_weight)
        data = self._as_batch(x, y, sample_weight)
        self._symbolic_build(data)
        self.make_train_function()
        self.reset_metrics()
        logs = self.train_function(data)
        logs = cbm.pythonify_logs(logs)
        return logs if return_dict else self._flatten_metrics_in_order(logs)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        self._assert_compile_called("test_on_batch")
        _, _, _, cbm, _, _ = _modules()
        data = self._as_batch(x, y, sample_weight)
        self._symbolic_build(data)
        self.make_test_function()
        self.reset_metrics()
        logs = cbm.pythonify_logs(self.test_function(data))
        return logs if return_dict else self._flatten_metrics_in_order(logs)

    def predict_on_batch(self, x):
        self.make_predict_function()
        out = self.predict_function((self._as_array_tree(x),))
        return nest.map_structure(lambda t: np.asarray(t) if isinstance(t, Tensor) else t, out)

    def _as_array_tree(self, x):
        from tfjax._src.keras.trainers.data_adapters import _map, _to_numpy  # noqa: PLC0415
        return _map(lambda a: a if isinstance(a, Tensor) else _to_numpy(a), x)

    def _as_batch(self, x, y, sw):
        x = self._as_array_tree(x)
        y = self._as_array_tree(y) if y is not None else None
        sw = self._as_array_tree(sw) if sw is not None else None
        if y is None:
            return (x,)
        if sw is None:
            return (x, y)
        return (x, y, sw)
