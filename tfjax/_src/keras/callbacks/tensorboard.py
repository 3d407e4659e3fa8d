"""``keras.callbacks.TensorBoard``: epoch/batch scalars and weight histograms via ``tf.summary``.

Same layout and tags as Keras 3: ``log_dir/train`` and ``log_dir/validation``
runs, ``epoch_<metric>`` scalars (plus ``epoch_learning_rate``),
``evaluation_<metric>_vs_iterations`` on the validation run, ``batch_<metric>``
with ``update_freq``, and ``<weight path>/histogram`` every ``histogram_freq``
epochs. ``write_graph`` writes the model's conceptual graph (its JSON config, TensorBoard's
"graph_keras_model" plugin) as Keras does; there is no TF op graph to write (the step is an XLA
program). ``profile_batch`` records a JAX profiler trace (``jax.profiler``) of those batches into
``log_dir/train/plugins/profile/``, which TensorBoard's profile plugin reads.
"""

from __future__ import annotations

import os
import time

import numpy as np

from tfjax._src.keras.callbacks.callback import Callback


def _parse_profile_batch(profile_batch):
    """``profile_batch`` as Keras accepts it (int, pair, or "start,stop") -> (start, stop)."""
    message = ("profile_batch must be a non-negative integer or 2-tuple of positive integers. A pair of "
               "positive integers signifies a range of batches to profile. "
               f"Found: {profile_batch}")
    value = profile_batch
    if isinstance(value, str):
        try:
            value = [int(v) for v in value.split(",")]
        except ValueError:
            raise ValueError(message) from None
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        start = stop = int(value)
    elif isinstance(value, (tuple, list)) and len(value) == 2:
        start, stop = (int(v) for v in value)
    else:
        raise ValueError(message)
    if start < 0 or stop < start:
        raise ValueError(message)
    return start, stop


class TensorBoard(Callback):
    def __init__(self, log_dir="logs", histogram_freq=0, write_graph=True, write_images=False,
                 write_steps_per_second=False, update_freq="epoch", profile_batch=0, embeddings_freq=0,
                 embeddings_metadata=None):
        super().__init__()
        self.log_dir = str(log_dir)
        self.histogram_freq = histogram_freq
        self.write_graph = write_graph
        self.write_images = write_images
        self.write_steps_per_second = write_steps_per_second
        self.update_freq = 1 if update_freq == "batch" else update_freq
        self.embeddings_freq = embeddings_freq
        self.embeddings_metadata = embeddings_metadata
        if embeddings_freq:
            from tfjax._src.errors import unsupported  # noqa: PLC0415
            raise unsupported("TensorBoard(embeddings_freq=...)", "the embedding projector is not implemented")
        self._start_batch, self._stop_batch = _parse_profile_batch(profile_batch)
        self._should_trace = self._stop_batch > 0
        self._profiling = False
        self._batch_annotation = None
        self._global_train_batch = 0
        self._global_test_batch = 0
        self._previous_epoch_iterations = 0
        self._writers = {}
        self._prev_summary_state = []
        self._batch_start_time = 0
        self._epoch_start_time = 0

    _lazy_logs = True   # batch logs may stay on device (summary ops read them when written)

    def _batch_hooks_inactive(self):
        """With epoch-level logging the batch hooks do nothing: fit may batch steps together."""
        return self.update_freq == "epoch" and not self.write_steps_per_second and not self._should_trace

    @property
    def summary(self):
        from tfjax._src.summary import summary  # noqa: PLC0415
        return summary

    def set_model(self, model):
        self._model = model
        self._train_dir = os.path.join(self.log_dir, "train")
        self._val_dir = os.path.join(self.log_dir, "validation")
        self._writers = {}
        if self.write_graph:
            self._write_keras_model_summary()

    def _write_keras_model_summary(self):
        """The model's JSON config under tag "keras": TensorBoard draws it as a conceptual graph."""
        if type(self.model).__name__ not in ("Functional", "Sequential"):
            return
        try:
            config = self.model.to_json()
        except Exception as e:  # noqa: BLE001 -- as in Keras, an unserializable model only warns
            import warnings  # noqa: PLC0415
            warnings.warn(f"Model failed to serialize as JSON. Ignoring... {e}")
            return
        from tensorboard.compat.proto import summary_pb2  # noqa: PLC0415
        metadata = summary_pb2.SummaryMetadata()
        metadata.plugin_data.plugin_name = "graph_keras_model"
        metadata.plugin_data.content = b"1"
        with self._train_writer.as_default():
            self.summary.write("keras", config, step=0, metadata=metadata)

    @property
    def _train_writer(self):
        if "train" not in self._writers:
            self._writers["train"] = self.summary.create_file_writer(self._train_dir)
        return self._writers["train"]

    @property
    def _val_writer(self):
        if "val" not in self._writers:
            self._writers["val"] = self.summary.create_file_writer(self._val_dir)
        return self._writers["val"]

    def _push_writer(self, writer, step):
        if self.update_freq == "epoch":
            return
        freq = self.update_freq
        ctx = (writer.as_default(step), self.summary.record_if(lambda: step % freq == 0))
        self._prev_summary_state.append(ctx)
        ctx[0].__enter__()
        ctx[1].__enter__()

    def _pop_writer(self):
        if self.update_freq == "epoch" or not self._prev_summary_state:
            return
        ctx = self._prev_summary_state.pop()
        ctx[1].__exit__(None, None, None)
        ctx[0].__exit__(None, None, None)

    def on_train_begin(self, logs=None):
        self._global_train_batch = 0
        self._previous_epoch_iterations = 0
        self._push_writer(self._train_writer, self._global_train_batch)

    def on_train_end(self, logs=None):
        self._pop_writer()
        if self._profiling:
            self._stop_profiler()
        for w in self._writers.values():
            w.close()
        self._writers = {}

    def on_test_begin(self, logs=None):
        self._push_writer(self._val_writer, self._global_test_batch)

    def on_test_end(self, logs=None):
        opt = getattr(self.model, "optimizer", None)
        if opt is not None and hasattr(opt, "iterations") and logs:
            step = int(np.asarray(opt.iterations))
            with self._val_writer.as_default():
                for name, value in logs.items():
                    self.summary.scalar(f"evaluation_{name}_vs_iterations", value, step=step)
        self._pop_writer()

    def on_train_batch_begin(self, batch, logs=None):
        self._global_train_batch += 1
        if self.write_steps_per_second:
            self._batch_start_time = time.time()
        if self._should_trace and self._global_train_batch == self._start_batch:
            self._start_profiler()
        if self._profiling:
            import jax  # noqa: PLC0415
            self._batch_annotation = jax.profiler.TraceAnnotation(f"Profiled batch {batch}")
            self._batch_annotation.__enter__()

    def _start_profiler(self):
        import jax  # noqa: PLC0415
        try:
            jax.profiler.start_trace(self._train_dir)
            self._profiling = True
        except Exception as e:  # noqa: BLE001 -- as in Keras, a profiler failure must not stop training
            import logging  # noqa: PLC0415
            logging.getLogger("tfjax").error("Failed to start profiler: %s", e)

    def _stop_profiler(self):
        import jax  # noqa: PLC0415
        if self._batch_annotation is not None:
            self._batch_annotation.__exit__(None, None, None)
            self._batch_annotation = None
        try:
            jax.profiler.stop_trace()
        finally:
            self._profiling = False

    def on_train_batch_end(self, batch, logs=None):
        if self._profiling:
            if self._batch_annotation is not None:
                self._batch_annotation.__exit__(None, None, None)
                self._batch_annotation = None
            if self._global_train_batch >= self._stop_batch:
                self._stop_profiler()
        if self.update_freq == "epoch":
            return
        writer = self._train_writer
        if self._global_train_batch % self.update_freq != 0:
            return
        with writer.as_default():
            if self.write_steps_per_second:
                dt = time.time() - self._batch_start_time
                self.summary.scalar("batch_steps_per_second", 1.0 / dt if dt > 0 else 0.0,
                                    step=self._global_train_batch)
            if isinstance(logs, dict):
                for name, value in logs.items():
                    self.summary.scalar(f"batch_{name}", value, step=self._global_train_batch)

    def on_epoch_begin(self, epoch, logs=None):
        if self.write_steps_per_second:
            self._previous_epoch_iterations = float(np.asarray(self.model.optimizer.iterations))
            self._epoch_start_time = time.time()

    def on_epoch_end(self, epoch, logs=None):
        self._log_epoch_metrics(epoch, logs)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._log_weights(epoch)

    def _collect_learning_rate(self, logs):
        opt = getattr(self.model, "optimizer", None)
        if hasattr(opt, "inner_optimizer"):
            opt = opt.inner_optimizer
        from tfjax._src.keras.optimizers import Optimizer  # noqa: PLC0415
        if isinstance(opt, Optimizer):
            logs["learning_rate"] = float(np.asarray(opt.learning_rate))
        return logs

    def _log_epoch_metrics(self, epoch, logs):
        if not logs:
            return
        train_logs = {k: v for k, v in logs.items() if not k.startswith("val_")}
        val_logs = {k: v for k, v in logs.items() if k.startswith("val_")}
        train_logs = self._collect_learning_rate(train_logs)
        if self.write_steps_per_second:
            it = float(np.asarray(self.model.optimizer.iterations))
            dt = time.time() - self._epoch_start_time
            train_logs["steps_per_second"] = (it - self._previous_epoch_iterations) / dt if dt > 0 else 0.0
        if train_logs:
            with self._train_writer.as_default():
                for name, value in train_logs.items():
                    self.summary.scalar(f"epoch_{name}", value, step=epoch)
        if val_logs:
            with self._val_writer.as_default():
                for name, value in val_logs.items():
                    self.summary.scalar(f"epoch_{name[4:]}", value, step=epoch)

    def _log_weights(self, epoch):
        with self._train_writer.as_default():
            for layer in self.model.layers:
                for weight in layer.weights:
                    name = (getattr(weight, "path", None) or weight.name).replace(":", "_")
                    self.summary.histogram(f"{name}/histogram", weight, step=epoch)
                    if self.write_images:
                        self._log_weight_as_image(weight, f"{name}/image", epoch)
        self._train_writer.flush()

    def _log_weight_as_image(self, weight, name, epoch):
        w = np.asarray(weight)
        if w.ndim == 1:
            w = w[None, :]
        if w.ndim == 2:
            if w.shape[0] > w.shape[1]:
                w = w.T
            img = w[None, :, :, None]
        elif w.ndim == 4:
            img = np.transpose(w, (3, 0, 1, 2))[..., :1] if w.shape[-2] not in (1, 3, 4) else \
                np.transpose(w, (3, 0, 1, 2))
        else:
            return
        lo, hi = img.min(), img.max()
        img = (img - lo) / (hi - lo) if hi > lo else np.zeros_like(img)
        self.summary.image(name, img.astype(np.float32), step=epoch)
