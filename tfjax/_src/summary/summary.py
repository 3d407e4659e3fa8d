"""``tf.summary``: writers and summary ops producing real TensorBoard event files.

Event files are written by TensorBoard's ``EventFileWriter``; summaries use
TensorBoard's own protos and bucketing (``scalar_pb``, ``histogram_pb``,
``text_pb``, the image plugin metadata), i.e. the TF2 tensor-based formats, so
TensorBoard and ``EventAccumulator`` read them as TF's. Inside ``tf.function``
the values are written from the compiled program with ``jax.debug.callback``.
"""

from __future__ import annotations

import contextlib
import io
import os
import threading
import time

import jax
import numpy as np

from tfjax._src.tensor import Tensor, convert_to_tensor


def _tb():
    try:
        from tensorboard.summary.writer.event_file_writer import EventFileWriter  # noqa: PLC0415
        from tensorboard.compat.proto import event_pb2, summary_pb2  # noqa: PLC0415
    except ImportError as e:  # pragma: no cover
        raise ImportError("tf.summary needs the `tensorboard` package (pip install tensorboard).") from e
    return EventFileWriter, event_pb2, summary_pb2


class _State(threading.local):
    def __init__(self):
        self.writer = None
        self.step = None
        self.record_if = True


_state = _State()


class SummaryWriter:
    """A file writer (``tf.summary.create_file_writer``)."""

    def __init__(self, logdir, max_queue=None, flush_millis=None, filename_suffix=None):
        self._logdir = os.fspath(logdir)
        self._max_queue = 10 if max_queue is None else max_queue
        self._flush_secs = 120 if flush_millis is None else flush_millis / 1000.0
        self._suffix = ".v2" if filename_suffix is None else filename_suffix
        self._writer = None
        self._closed = False
        self._lock = threading.Lock()

    def _get(self):
        if self._writer is None:
            EventFileWriter, _, _ = _tb()
            os.makedirs(self._logdir, exist_ok=True)
            self._writer = EventFileWriter(self._logdir, max_queue_size=self._max_queue,
                                           flush_secs=self._flush_secs, filename_suffix=self._suffix)
        return self._writer

    def init(self):
        self._get()

    def add_summary(self, summary, step):
        _, event_pb2, _ = _tb()
        with self._lock:
            ev = event_pb2.Event(wall_time=time.time(), step=int(step), summary=summary)
            self._get().add_event(ev)

    @contextlib.contextmanager
    def as_default(self, step=None):
        prev_w, prev_s = _state.writer, _state.step
        _state.writer = self
        if step is not None:
            _state.step = _as_int(step)
        try:
            yield self
        finally:
            _state.writer = prev_w
            if step is not None:
                _state.step = prev_s
            self.flush()

    def set_as_default(self, step=None):
        _state.writer = self
        if step is not None:
            _state.step = _as_int(step)

    def flush(self):
        if self._writer is not None:
            self._writer.flush()

    def close(self):
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        self._closed = True

    @property
    def logdir(self):
        return self._logdir


class _NoopWriter(SummaryWriter):
    def __init__(self):
        super().__init__("")

    def add_summary(self, summary, step):
        pass

    def flush(self):
        pass


def create_file_writer(logdir, max_queue=None, flush_millis=None, filename_suffix=None, name=None,
                       experimental_trackable=False, experimental_mesh=None):
    return SummaryWriter(logdir, max_queue, flush_millis, filename_suffix)


create_file_writer_v2 = create_file_writer


def create_noop_writer():
    return _NoopWriter()


def _as_int(step):
    if isinstance(step, (int, np.integer)):
        return int(step)
    v = step._read_raw() if hasattr(step, "_read_raw") else (step._value if isinstance(step, Tensor) else step)
    return v


def get_step():
    s = _state.step
    if s is None:
        return None
    return convert_to_tensor(np.int64(s)) if isinstance(s, (int, np.integer)) else s


def set_step(step):
    _state.step = None if step is None else _as_int(step)


class _Experimental:
    get_step = staticmethod(get_step)
    set_step = staticmethod(set_step)

    @staticmethod
    def write_raw_pb(tensor, step=None, name=None):
        raise NotImplementedError("tf.summary.experimental.write_raw_pb is not supported by tfjax.")

    @staticmethod
    def summary_scope(name, default_name=None, values=None):
        return contextlib.nullcontext((name or default_name, name or default_name))


experimental = _Experimental()


@contextlib.contextmanager
def record_if(condition):
    prev = _state.record_if
    _state.record_if = condition
    try:
        yield
    finally:
        _state.record_if = prev


def should_record_summaries():
    return convert_to_tensor(_should_record())


def _should_record():
    if _state.writer is None:
        return False
    c = _state.record_if
    if callable(c):
        c = c()
    if isinstance(c, Tensor):
        c = bool(np.asarray(c))
    return bool(c)


def flush(writer=None, name=None):
    w = writer if writer is not None else _state.writer
    if w is not None:
        w.flush()


def _raw(x):
    if hasattr(x, "_read_raw"):
        return x._read_raw()
    if isinstance(x, Tensor):
        return x._value
    return x


def _emit(make_summary, data, step):
    """Writes ``make_summary(np_data)`` at ``step`` now, or from the compiled program when traced."""
    if not _should_record():
        return convert_to_tensor(False)
    writer = _state.writer
    if step is None:
        step = _state.step
        if step is None:
            raise ValueError("No step set. Please specify one either through the `step` argument or through "
                             "tf.summary.experimental.set_step()")
    step = _raw(step)
    data = _raw(data)
    if isinstance(data, jax.core.Tracer) or isinstance(step, jax.core.Tracer):
        def cb(d, s):
            writer.add_summary(make_summary(np.asarray(d)), int(np.asarray(s)))
        jax.debug.callback(cb, data, jax.numpy.asarray(step), ordered=False)
    else:
        writer.add_summary(make_summary(np.asarray(data) if not isinstance(data, np.ndarray) else data),
                           int(np.asarray(step)))
    return convert_to_tensor(True)


def _to_host(data):
    if isinstance(data, Tensor) and isinstance(data._value, np.ndarray):   # strings
        return data._value
    return _raw(data) if isinstance(data, Tensor) or hasattr(data, "_read_raw") else np.asarray(data)


def scalar(name, data, step=None, description=None):
    from tensorboard.plugins.scalar import summary_v2 as sv2  # noqa: PLC0415

    def make(d):
        return sv2.scalar_pb(name, np.asarray(d, np.float32), description=description)
    return _emit(make, _to_host(data), step)


def histogram(name, data, step=None, buckets=None, description=None):
    from tensorboard.plugins.histogram import summary_v2 as hv2  # noqa: PLC0415
    b = hv2.DEFAULT_BUCKET_COUNT if buckets is None else buckets

    def make(d):
        return hv2.histogram_pb(name, np.asarray(d, np.float64), buckets=b, description=description)
    return _emit(make, _to_host(data), step)


def text(name, data, step=None, description=None):
    from tensorboard.plugins.text import summary_v2 as tv2  # noqa: PLC0415
    if not _should_record():
        return convert_to_tensor(False)
    d = data._value if isinstance(data, Tensor) else np.asarray(data, dtype=object)
    d = np.vectorize(lambda s: s if isinstance(s, bytes) else str(s).encode("utf-8"), otypes=[object])(d) \
        if np.ndim(d) else (d if isinstance(d, bytes) else str(d.item() if hasattr(d, "item") else d).encode())
    writer = _state.writer
    if step is None:
        step = _state.step
        if step is None:
            raise ValueError("No step set. Please specify one either through the `step` argument or through "
                             "tf.summary.experimental.set_step()")
    writer.add_summary(tv2.text_pb(name, np.asarray(d, dtype=object) if np.ndim(d) else d, description=description),
                       int(np.asarray(_raw(step))))
    return convert_to_tensor(True)


def image(name, data, step=None, max_outputs=3, description=None):
    from tensorboard.plugins.image import metadata as im  # noqa: PLC0415
    from tensorboard.compat.proto import summary_pb2, tensor_pb2, tensor_shape_pb2, types_pb2  # noqa: PLC0415

    def make(d):
        from PIL import Image  # noqa: PLC0415
        d = np.asarray(d)
        if d.ndim != 4 or d.shape[-1] not in (1, 3, 4):
            raise ValueError(f"Expected image data of shape [k, h, w, c] with c in (1, 3, 4); got {d.shape}")
        if d.dtype.kind == "f":
            d = np.clip(d * 255.0 + 0.5, 0, 255).astype(np.uint8)   # tf.image.convert_image_dtype(saturate)
        else:
            d = d.astype(np.uint8)
        pngs = []
        for img in d[:max_outputs]:
            buf = io.BytesIO()
            Image.fromarray(img[..., 0] if img.shape[-1] == 1 else img).save(buf, format="PNG")
            pngs.append(buf.getvalue())
        h, w = d.shape[1], d.shape[2]
        strings = [str(w).encode(), str(h).encode()] + pngs
        tp = tensor_pb2.TensorProto(dtype=types_pb2.DT_STRING, string_val=strings,
                                    tensor_shape=tensor_shape_pb2.TensorShapeProto(
                                        dim=[tensor_shape_pb2.TensorShapeProto.Dim(size=len(strings))]))
        md = im.create_summary_metadata(display_name=None, description=description)
        s = summary_pb2.Summary()
        s.value.add(tag=name, metadata=md, tensor=tp)
        return s
    return _emit(make, _to_host(data), step)


def write(tag, tensor, step=None, metadata=None, name=None):
    from tensorboard.compat.proto import summary_pb2  # noqa: PLC0415
    from tensorboard.util import tensor_util  # noqa: PLC0415

    def make(d):
        s = summary_pb2.Summary()
        md = metadata if metadata is not None and not isinstance(metadata, bytes) else summary_pb2.SummaryMetadata()
        s.value.add(tag=tag, metadata=md, tensor=tensor_util.make_tensor_proto(np.asarray(d)))
        return s
    return _emit(make, _to_host(tensor), step)


def _encode_wav(samples, sample_rate):
    """TF's ``tf.audio.encode_wav``: 16-bit PCM WAV of float samples ``[frames, channels]``
    (``roundf(x * 32768)`` clamped to int16)."""
    import struct  # noqa: PLC0415
    x = np.asarray(samples, np.float32)
    scaled = x * np.float32(32768.0)
    pcm = np.clip(np.sign(scaled) * np.floor(np.abs(scaled) + np.float32(0.5)), -32768, 32767).astype("<i2")
    frames, channels = x.shape
    data = pcm.tobytes()
    header = b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVEfmt " + struct.pack(
        "<IHHIIHH", 16, 1, channels, sample_rate, sample_rate * channels * 2, channels * 2, 16) \
        + b"data" + struct.pack("<I", len(data))
    return header + data


def audio(name, data, sample_rate, step=None, max_outputs=3, encoding=None, description=None):
    """``tf.summary.audio``: float audio ``[k, t, c]`` in [-1, 1] as WAV clips (TensorBoard's audio
    plugin: a ``[k, 2]`` string tensor of (wav, label))."""
    from tensorboard.plugins.audio import metadata as am  # noqa: PLC0415
    from tensorboard.compat.proto import summary_pb2, tensor_pb2, tensor_shape_pb2, types_pb2  # noqa: PLC0415
    if encoding is None:
        encoding = "wav"
    if encoding != "wav":
        raise ValueError("Unknown encoding: %r" % encoding)
    rate = int(np.asarray(_raw(sample_rate)))
    if int(max_outputs) < 0:
        raise ValueError("max_outputs must be non-negative")

    def make(d):
        d = np.asarray(d)
        if d.ndim != 3:
            raise ValueError(f"audio data must have rank 3 [k, t, c]; got shape {list(d.shape)}")
        clips = [_encode_wav(a, rate) for a in d[:max_outputs]]
        strings = []
        for c in clips:
            strings += [c, b""]
        dims = [tensor_shape_pb2.TensorShapeProto.Dim(size=len(clips)),
                tensor_shape_pb2.TensorShapeProto.Dim(size=2)]
        tp = tensor_pb2.TensorProto(dtype=types_pb2.DT_STRING, string_val=strings,
                                    tensor_shape=tensor_shape_pb2.TensorShapeProto(dim=dims))
        md = am.create_summary_metadata(display_name=None, description=description,
                                        encoding=am.Encoding.Value("WAV"))
        s = summary_pb2.Summary()
        s.value.add(tag=name, metadata=md, tensor=tp)
        return s
    return _emit(make, _to_host(data), step)
