"""MirroredStrategy on 8 virtual CPU devices (each check in a fresh subprocess)."""

import os

import pytest

import os as _os
import sys as _sys

_sys.path.insert(0, _os.path.dirname(_os.path.dirname(_os.path.abspath(__file__))))
from _virtual_devices import last_json, run_code, run_script  # noqa: E402

HERE = _os.path.dirname(_os.path.abspath(__file__))


@pytest.mark.parametrize("mode", ["function", "eager"])
def test_custom_loop_matches_single_device(mode):
    out = last_json(run_script(os.path.join(HERE, "_mirrored_training.py"), mode))
    assert out["replicas"] == 8
    assert out["shardings"] == ["P()", "P()", "P()"]          # variables replicated on the mesh
    assert "P()" in out["final_sharding"] and "'batch': 8" in out["final_sharding"]
    assert out["max_weight_diff"] < 1e-5
    assert out["loss_diff"] < 1e-5


def test_spmd_path_and_layout_map():
    out = last_json(run_script(os.path.join(HERE, "_spmd_training.py")))
    assert out["mirrored_spec"] == "P()"
    assert out["mirrored_diff"] < 1e-5
    assert out["mp_spec_before"] == ["P(None, 'model')", "P('model', None)"]
    assert out["mp_shard_shape"] == [6, 2]                    # 8 columns over 4 "model" devices
    assert out["mp_diff"] < 1e-5
    assert out["mp_spec_after"][0] == "P(None, 'model')"       # layout kept through training
    assert out["mp_replicas"] == 2


def test_contexts_run_values_and_datasets():
    proc = run_code("""
        import json
        import numpy as np
        import tfjax as tf
        import tfjax.distribute as D
        from tfjax._src.data.dataset import Dataset
        out = {}
        s = D.MirroredStrategy()
        out["n"] = s.num_replicas_in_sync
        out["workers"] = list(s.extended.worker_devices)
        default = D.get_strategy()
        out["outside"] = [D.has_strategy(), D.in_cross_replica_context(),
                          D.get_replica_context() is not None, default.num_replicas_in_sync]
        with s.scope():
            out["inside"] = [D.has_strategy(), D.in_cross_replica_context(),
                             D.get_replica_context() is None, D.get_strategy() is s]
            v = tf.Variable(2.0)
            counter = tf.Variable(0, aggregation=tf.VariableAggregation.ONLY_FIRST_REPLICA)
            total = tf.Variable(0.0, aggregation=tf.VariableAggregation.SUM)
            mean = tf.Variable(0.0, aggregation=tf.VariableAggregation.MEAN)
        try:
            with D.MirroredStrategy(["/cpu:0", "/cpu:1"]).scope():
                with s.scope():
                    pass
            out["mix"] = "no error"
        except ValueError as e:
            out["mix"] = "Mixing" in str(e)

        def fn(x):
            ctx = D.get_replica_context()
            rid = ctx.replica_id_in_sync_group
            counter.assign_add(1)
            total.assign_add(tf.cast(rid, tf.float32))
            mean.assign(tf.cast(rid, tf.float32))
            return {"rid": rid, "x": x * v, "in_run": D.in_cross_replica_context(),
                    "gathered": ctx.all_gather(tf.reshape(tf.cast(rid, tf.float32), [1]), axis=0)}
        ds = Dataset.from_tensor_slices(np.arange(16, dtype=np.float32)).batch(16)
        dist = iter(s.experimental_distribute_dataset(ds))
        batch = next(dist)
        r = s.run(fn, args=(batch,))
        out["rid"] = [int(t) for t in s.experimental_local_results(r["rid"])]
        out["in_run"] = bool(r["in_run"])
        out["x0"] = s.experimental_local_results(r["x"])[1].numpy().tolist()
        out["gathered"] = s.experimental_local_results(r["gathered"])[3].numpy().tolist()
        out["vars"] = [int(counter.numpy()), float(total.numpy()), float(mean.numpy())]
        # tf.function around run: one compiled program, no retrace on the second batch
        @tf.function
        def step(b):
            return s.reduce("SUM", s.run(lambda x: tf.reduce_sum(x * v), args=(b,)), axis=None)
        ds2 = Dataset.from_tensor_slices(np.arange(48, dtype=np.float32)).batch(16)
        out["step"] = [float(step(b)) for b in s.experimental_distribute_dataset(ds2)]
        out["traces"] = step.experimental_get_tracing_count()
        # distribute_datasets_from_function
        def dataset_fn(ctx):
            out["ctx"] = [ctx.num_input_pipelines, ctx.input_pipeline_id, ctx.num_replicas_in_sync,
                          ctx.get_per_replica_batch_size(16)]
            return Dataset.from_tensor_slices(np.arange(32, dtype=np.float32)).batch(2)
        b = next(iter(s.distribute_datasets_from_function(dataset_fn)))
        out["dff"] = [t.numpy().tolist() for t in s.experimental_local_results(b)][:2]
        vals = s.experimental_distribute_values_from_function(lambda ctx: tf.constant(ctx.replica_id_in_sync_group * 10))
        out["vff"] = int(s.reduce("SUM", vals, axis=None))
        # distribute_batch: the Keras fit helper
        db = s.distribute_batch((np.ones((16, 3), np.float32), np.ones((5, 3), np.float32)))
        out["db"] = [str(db[0]._value.sharding.spec), str(db[1]._value.sharding.spec)]
        try:
            next(iter(s.experimental_distribute_dataset(Dataset.from_tensor_slices(np.arange(10.)).batch(10))))
            out["uneven"] = "no error"
        except ValueError as e:
            out["uneven"] = "drop_remainder" in str(e)
        one = D.OneDeviceStrategy("/cpu:1")
        with one.scope():
            w = tf.Variable(1.0)
        out["one"] = [one.num_replicas_in_sync, w.device, float(one.run(lambda a: a + 1, args=(tf.constant(1.0),)))]
        print(json.dumps(out))
    """)
    out = last_json(proc)
    assert out["n"] == 8
    assert out["workers"][3] == "/job:localhost/replica:0/task:0/device:CPU:3"
    assert out["outside"] == [False, False, True, 1]
    assert out["inside"] == [True, True, True, True]
    assert out["mix"] is True
    assert out["rid"] == list(range(8))
    assert out["in_run"] is False
    assert out["x0"] == [4.0, 6.0]
    assert out["gathered"] == [float(i) for i in range(8)]
    assert out["vars"] == [1, 28.0, 3.5]
    assert out["step"] == [240.0, 752.0, 1264.0]
    assert out["traces"] <= 2      # + at most one discovery re-trace (docs/design.md); none per batch
    assert out["ctx"] == [1, 0, 8, 2]
    assert out["dff"] == [[0.0, 1.0], [2.0, 3.0]]
    assert out["vff"] == 280
    assert out["db"] == ["P('batch',)", "P()"]
    assert out["uneven"] is True
    assert out["one"][0] == 1 and out["one"][2] == 2.0


def test_variables_created_inside_run_and_late_paths():
    out = last_json(run_code("""
        import json
        import numpy as np
        import tfjax as tf
        import tfjax.distribute as D
        from tfjax._src.data.dataset import Dataset
        s = D.MirroredStrategy()

        class Lazy:
            def __init__(self):
                self.w = None
            def __call__(self, x):
                if self.w is None:       # built on first call, inside strategy.run
                    self.w = tf.Variable(tf.ones([3, 2]))
                self.w.assign_add(tf.ones([3, 2]))
                return tf.matmul(x, self.w)

        with s.scope():
            eager_layer, fn_layer = Lazy(), Lazy()
        xs = np.arange(24, dtype=np.float32).reshape(8, 3)
        b = next(iter(s.experimental_distribute_dataset(Dataset.from_tensor_slices(xs).batch(8))))
        r = s.run(eager_layer, args=(b,))
        out = {"eager": [str(eager_layer.w._value.sharding.spec), eager_layer.w.numpy().tolist(),
                         s.gather(r, 0).numpy().tolist() == (xs @ np.full((3, 2), 2.0)).tolist()]}
        step = tf.function(lambda x: s.run(fn_layer, args=(x,)))
        step(b); step(b)
        out["function"] = [str(fn_layer.w._value.sharding.spec), fn_layer.w.numpy().tolist()]

        class PathVar(tf.Variable):            # like Keras: the path is set after Variable.__init__
            def __init__(self, value, path):
                super().__init__(value)
                self.path = path
        E = D.experimental
        lm = E.LayoutMap(E.DeviceMesh((2, 4), ("batch", "model")))
        lm["dense.*kernel"] = (None, "model")
        mp = E.ModelParallelStrategy(lm)
        with mp.scope():
            k = PathVar(np.ones((3, 8), np.float32), "dense/kernel")
            bias = PathVar(np.ones((8,), np.float32), "dense/bias")
        out["layout"] = [str(k._value.sharding.spec), str(bias._value.sharding.spec)]
        print(json.dumps(out))
    """))
    assert out["eager"][0] == "P()" and out["eager"][1] == [[2.0, 2.0]] * 3 and out["eager"][2] is True
    assert out["function"] == ["P()", [[3.0, 3.0]] * 3]
    assert out["layout"] == ["P(None, 'model')", "P()"]


def test_merge_call_reduce_to_and_update():
    # The pattern TF optimizers use to aggregate gradients inside strategy.run.
    out = last_json(run_code("""
        import json
        import tfjax as tf
        import tfjax.distribute as D
        s = D.MirroredStrategy()
        with s.scope():
            v = tf.Variable(0.0)
        def fn():
            ctx = D.get_replica_context()
            g = tf.cast(ctx.replica_id_in_sync_group, tf.float32) + 1.0
            def merge(strategy, g):
                assert D.in_cross_replica_context() and D.get_replica_context() is None
                r = strategy.extended.batch_reduce_to("SUM", [(g, v)])[0]
                strategy.extended.update(v, lambda var, x: var.assign_add(x), args=(r,))
                return strategy.reduce("MEAN", g, axis=None)
            return ctx.merge_call(merge, args=(g,))
        r = s.run(fn)
        print(json.dumps({"v": float(v.numpy()), "mean": [float(x) for x in s.experimental_local_results(r)]}))
    """, devices=4))
    assert out == {"v": 10.0, "mean": [2.5] * 4}
