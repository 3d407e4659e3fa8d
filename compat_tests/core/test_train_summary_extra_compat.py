"""Differential tests against real TF: tf.train.ExponentialMovingAverage, checkpoints_iterator,
ClusterSpec; tf.summary.audio / trace_on / trace_export / graph (event files read back with
TensorBoard's own loader)."""

import glob
import threading
import time

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")
import tfjax as tfx  # noqa: E402

loader = pytest.importorskip("tensorboard.backend.event_processing.event_file_loader")


def _np(x):
    return np.asarray(x.numpy())


def _ema_run(fw):
    v = fw.Variable([1.0, 2.0], name="w")
    u = fw.Variable(3.0, dtype=fw.float64)
    step = fw.Variable(0, dtype=fw.int64)
    ema = fw.train.ExponentialMovingAverage(0.9, num_updates=step, zero_debias=True)
    out = [ema.name, ema.average(v) is None, ema.average_name(v)]
    out.append(ema.apply([v, u]))
    a = ema.average(v)
    out += [a.name, a.trainable, _np(a), ema.average_name(v), ema.average(u).dtype.name, ema.average(u).name]
    for _ in range(3):
        v.assign_add([1.0, 1.0])
        u.assign(u * 2)
        step.assign_add(1)
        ema.apply([v, u])
        out += [_np(ema.average(v)), _np(ema.average(u))]
    out.append(sorted(ema.variables_to_restore().keys()))
    out.append(sorted((k, x.name) for k, x in ema.variables_to_restore([v]).items()))

    @fw.function
    def f():
        v.assign_add([1.0, 1.0])
        ema.apply([v])
    f()
    f()
    out.append(_np(ema.average(v)))
    e2 = fw.train.ExponentialMovingAverage(fw.constant(0.5))
    e2.apply([v])
    v.assign([0.0, 0.0])
    e2.apply([v])
    out += [_np(e2.average(v)), ema.apply()]

    @fw.function
    def g(x):   # averages created inside the first trace
        e3.apply([x])
    e3 = fw.train.ExponentialMovingAverage(0.25)
    w = fw.Variable([4.0])
    g(w)
    w.assign([8.0])
    g(w)
    out.append(_np(e3.average(w)))
    for bad in ([fw.Variable(1)], [fw.constant(1.0)]):
        try:
            ema.apply(bad)
            out.append("no error")
        except Exception as e:  # noqa: BLE001
            out.append(type(e).__name__)
    return out


def test_exponential_moving_average():
    a, b = _ema_run(tf), _ema_run(tfx)
    assert len(a) == len(b)
    for x, y in zip(a, b):
        if isinstance(x, np.ndarray):
            assert x.dtype == y.dtype
            np.testing.assert_allclose(x, y, rtol=1e-6)
        else:
            assert x == y


def test_cluster_spec():
    for spec in ({"worker": ["a:1", "b:2"], "ps": ["c:3"]}, {"worker": {1: "x:1", 3: "y:2"}},
                 {"chief": ("z:0",), "worker": {0: "p:1", 1: "q:2"}}):
        a, b = tf.train.ClusterSpec(spec), tfx.train.ClusterSpec(spec)
        assert repr(a) == repr(b)
        assert a.as_dict() == b.as_dict()
        assert a.jobs == b.jobs
        assert bool(a) == bool(b)
        for j in a.jobs:
            assert a.num_tasks(j) == b.num_tasks(j)
            assert a.task_indices(j) == b.task_indices(j)
            assert a.job_tasks(j) == b.job_tasks(j)
        assert (tfx.train.ClusterSpec(b) == b, b == spec, b == {j: dict(enumerate(t)) if isinstance(t, (list, tuple))
                else t for j, t in spec.items()}) == \
            (tf.train.ClusterSpec(a) == a, a == spec, a == {j: dict(enumerate(t)) if isinstance(t, (list, tuple))
             else t for j, t in spec.items()})
    for fw in (tf, tfx):
        c = fw.train.ClusterSpec({"w": ["a"]})
        with pytest.raises(ValueError):
            c.task_address("w", 5)
        with pytest.raises(ValueError):
            c.num_tasks("nope")
        with pytest.raises(TypeError):
            fw.train.ClusterSpec({"w": 3})
    assert not tfx.train.ClusterSpec({}) and not tf.train.ClusterSpec({})


def _iterate(fw, d, timeout, writer):
    got = []
    t = threading.Thread(target=writer)
    t.start()
    for p in fw.train.checkpoints_iterator(d, timeout=timeout):
        got.append(p[len(d):])
    t.join()
    return got


def test_checkpoints_iterator(tmp_path):
    res = {}
    for name, fw in (("tf", tf), ("tfx", tfx)):
        d = str(tmp_path / name)
        ck = fw.train.Checkpoint(v=fw.Variable(1.0))
        ck.save(d + "/ckpt")

        def writer(ck=ck, d=d):
            time.sleep(1.2)
            ck.save(d + "/ckpt")
        res[name] = _iterate(fw, d, 2.5, writer)
    assert res["tf"] == res["tfx"] == ["/ckpt-1", "/ckpt-2"]
    # empty dir: times out with nothing
    assert list(tfx.train.checkpoints_iterator(str(tmp_path / "none"), timeout=0.5)) == \
        list(tf.train.checkpoints_iterator(str(tmp_path / "none2"), timeout=0.5)) == []


def _values(logdir):
    out = {}
    for p in sorted(glob.glob(logdir + "/*")):
        for e in loader.EventFileLoader(p).Load():
            for v in e.summary.value:
                out.setdefault(v.tag, []).append((e.step, v))
            if e.graph_def:
                out.setdefault("__graph_def__", []).append((e.step, e.graph_def))
    return out


def test_audio_summary_matches_tf(tmp_path):
    rng = np.random.default_rng(0)
    data = np.concatenate([rng.uniform(-1.3, 1.3, (3, 50, 2)).astype(np.float32),
                           np.full((1, 50, 2), 0.5 / 32768, np.float32)], axis=0)
    got = {}
    for name, fw in (("tf", tf), ("tfx", tfx)):
        w = fw.summary.create_file_writer(str(tmp_path / name))
        with w.as_default():
            fw.summary.audio("snd", data, 16000, step=3, max_outputs=5, description="d")
            fw.summary.audio("snd2", data[:, :10, :1], 8000, step=4)
        w.flush()
        got[name] = _values(str(tmp_path / name))
    for tag in ("snd", "snd2"):
        (sa, va), = got["tf"][tag]
        (sb, vb), = got["tfx"][tag]
        assert sa == sb
        assert va.metadata == vb.metadata
        assert va.tensor == vb.tensor


def test_trace_export_writes_graph_run_metadata(tmp_path):
    from tensorboard.compat.proto import config_pb2

    def run(fw, d):
        w = fw.summary.create_file_writer(d)

        @fw.function
        def f(x):
            return fw.nn.relu(x * 2.0) + 1.0
        fw.summary.trace_on(graph=True, profiler=False)
        f(fw.constant([1.0, -1.0]))
        with w.as_default():
            r = fw.summary.trace_export("my_trace", step=7)
        w.flush()
        return r, _values(d)
    ra, va = run(tf, str(tmp_path / "tf"))
    rb, vb = run(tfx, str(tmp_path / "tfx"))
    assert ra is rb is None
    (sa, a), = va["my_trace"]
    (sb, b), = vb["my_trace"]
    assert sa == sb == 7
    assert a.metadata == b.metadata and a.tensor.tensor_shape == b.tensor.tensor_shape
    rm = config_pb2.RunMetadata.FromString(b.tensor.string_val[0])
    assert len(rm.function_graphs) == 1
    ops = [n.op for n in rm.function_graphs[0].pre_optimization_graph.node]
    assert ops[0] == "_Arg" and ops[-1] == "_Retval" and "mul" in ops
    for fw in (tf, tfx):  # export without trace_on
        with pytest.raises(ValueError):
            fw.summary.trace_export("x", step=0)
    tfx.summary.trace_on()
    tfx.summary.trace_off()
    tfx.summary.trace_off()


def test_summary_graph(tmp_path):
    from tensorboard.compat.proto import graph_pb2
    gd = graph_pb2.GraphDef()
    gd.node.add(name="a", op="Const")
    gd.node.add(name="b", op="Identity", input=["a"])
    tf_gd = tf.compat.v1.GraphDef.FromString(gd.SerializeToString())
    res = {}
    for name, fw, g in (("tf", tf, tf_gd), ("tfx", tfx, gd)):
        w = fw.summary.create_file_writer(str(tmp_path / name))
        assert not bool(fw.summary.graph(g))  # no default writer
        with w.as_default():
            ok = fw.summary.graph(g)
            with pytest.raises(ValueError):
                fw.summary.graph("not a graph")
        w.flush()
        res[name] = (bool(ok), _values(str(tmp_path / name))["__graph_def__"])
    assert res["tf"] == res["tfx"]


def _cv_run(fw, d):
    class M(fw.Module):
        def __init__(self):
            super().__init__()
            self.a = fw.Variable(1.0)
            self.sub = fw.Module()
            self.sub.b = fw.Variable([2.0])
            self.lst = [fw.Variable(3.0)]
    p = fw.train.Checkpoint(model=M(), step=fw.Variable(0)).save(d + "/c")
    v = fw.train.CheckpointView(p)
    o, c, t = v.diff(fw.train.Checkpoint(model=M(), extra=fw.Variable(5.0)))
    m = M()
    return (v.children(0), v.children(1), v.descendants(), v._descendants_with_paths(),
            sorted(v.match(fw.train.Checkpoint(model=M()))), sorted(o), c, len(t),
            sorted(fw.train.TrackableView(m).children(m)), len(fw.train.TrackableView(m).descendants()))


def test_checkpoint_view(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert _cv_run(tf, str(tmp_path / "a")) == _cv_run(tfx, str(tmp_path / "b"))


def _coord_run(fw):
    out = []
    coord = fw.train.Coordinator()

    def worker(n):
        with coord.stop_on_exception():
            while not coord.should_stop():
                if n == 1:
                    raise RuntimeError("boom")
                time.sleep(0.01)
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    try:
        coord.join(threads)
    except RuntimeError as e:
        out.append(str(e))
    out += [coord.should_stop(), coord.joined]
    coord.clear_stop()
    out.append(coord.should_stop())
    c2 = fw.train.Coordinator()
    c2.request_stop(fw.errors.OutOfRangeError(None, None, "end"))  # a clean stop
    c2.join([])
    out.append(c2.should_stop())
    return out


def test_coordinator():
    assert _coord_run(tf) == _coord_run(tfx)


def test_unsupported_train_protos():
    from tfjax._src.errors import UnsupportedError
    for name in ("ClusterDef", "JobDef", "ServerDef"):
        with pytest.raises(UnsupportedError, match=f"tf.train.{name}"):
            getattr(tfx.train, name)()
