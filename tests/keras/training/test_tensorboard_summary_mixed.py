"""TensorBoard callback + tf.summary (read back with TensorBoard's EventAccumulator); mixed precision."""

import glob

import numpy as np
import pytest

import tfjax as tf
from tfjax._src import summary
from tfjax._src.keras import callbacks as C, layers, models, optimizers, mixed_precision as mp, losses

from _training_helpers import make_mlp

ea_mod = pytest.importorskip("tensorboard.backend.event_processing.event_accumulator")


def _acc(path):
    ea = ea_mod.EventAccumulator(path, size_guidance={"tensors": 0})
    ea.Reload()
    return ea


def _vals(ea, tag):
    from tensorboard.util import tensor_util
    return [(e.step, tensor_util.make_ndarray(e.tensor_proto)) for e in ea.Tensors(tag)]


def test_tensorboard_callback_scalars_and_histograms(mlp_data, tmp_path):
    x, y = mlp_data
    m = make_mlp()
    m.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    h = m.fit(x, y, epochs=3, batch_size=16, verbose=0, validation_split=0.25,
              callbacks=[C.TensorBoard(str(tmp_path), histogram_freq=2)])
    train = _acc(str(tmp_path / "train"))
    tags = set(train.Tags()["tensors"])
    assert {"epoch_loss", "epoch_accuracy", "epoch_learning_rate"} <= tags
    hist_tags = {t for t in tags if t.endswith("/histogram")}
    assert len(hist_tags) == 4
    loss = _vals(train, "epoch_loss")
    assert [s for s, _ in loss] == [0, 1, 2]
    np.testing.assert_allclose([float(v) for _, v in loss], h.history["loss"], rtol=1e-6)
    assert [s for s, _ in _vals(train, sorted(hist_tags)[0])] == [0, 2]
    assert _vals(train, sorted(hist_tags)[0])[0][1].shape[1] == 3
    val = _acc(str(tmp_path / "validation"))
    np.testing.assert_allclose([float(v) for _, v in _vals(val, "epoch_loss")], h.history["val_loss"], rtol=1e-6)
    assert "evaluation_loss_vs_iterations" in val.Tags()["tensors"]


def test_tensorboard_batch_level(mlp_data, tmp_path):
    x, y = mlp_data
    m = make_mlp()
    m.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    m.fit(x, y, epochs=1, batch_size=16, verbose=0, callbacks=[C.TensorBoard(str(tmp_path), update_freq=2)])
    train = _acc(str(tmp_path / "train"))
    assert [s for s, _ in _vals(train, "batch_loss")] == [2, 4]


def test_summary_api_eager_and_in_tf_function(tmp_path):
    w = summary.create_file_writer(str(tmp_path))
    with w.as_default(step=0):
        assert bool(summary.scalar("a", 1.5))
        summary.histogram("h", np.arange(10.0), step=1, buckets=5)
        summary.text("t", "hello", step=2)
        summary.image("img", np.random.rand(2, 4, 5, 3).astype("float32"), step=3, max_outputs=1)

        @tf.function
        def f(v, s):
            summary.scalar("traced", v * 2.0, step=s)
        f(tf.constant(2.0), tf.constant(7, dtype=tf.int64))
        with summary.record_if(False):
            assert not bool(summary.scalar("skipped", 1.0))
    w.flush()
    ea = _acc(str(tmp_path))
    assert set(ea.Tags()["tensors"]) == {"a", "h", "t", "img", "traced"}
    assert _vals(ea, "traced")[0][0] == 7 and float(_vals(ea, "traced")[0][1]) == 4.0
    assert _vals(ea, "h")[0][1].shape == (5, 3)
    assert len(_vals(ea, "img")[0][1]) == 3            # width, height, one PNG
    assert bool(summary.scalar("no_writer", 1.0, step=0)) is False
    with pytest.raises(ValueError, match="No step"):
        with w.as_default():
            summary.scalar("x", 1.0)
    assert glob.glob(str(tmp_path / "events.out.tfevents.*"))


def test_policy_api():
    try:
        mp.set_global_policy("mixed_bfloat16")
        p = mp.global_policy()
        assert (p.name, p.compute_dtype, p.variable_dtype) == ("mixed_bfloat16", "bfloat16", "float32")
        assert mp.Policy("mixed_float16").compute_dtype == "float16"
    finally:
        mp.set_global_policy("float32")
    assert mp.global_policy().compute_dtype == "float32"


def test_loss_scale_optimizer_in_fit_and_custom_loop(mlp_data):
    x, y = mlp_data
    m = make_mlp()
    opt = optimizers.LossScaleOptimizer(optimizers.Adam(0.01), initial_scale=2.0 ** 10, dynamic_growth_steps=2)
    m.compile(optimizer=opt, loss="sparse_categorical_crossentropy")
    h = m.fit(x, y, epochs=2, batch_size=16, verbose=0)
    assert h.history["loss"][1] < h.history["loss"][0]
    assert float(opt.dynamic_scale.numpy()) == 2.0 ** 14 and int(opt.iterations.numpy()) == 8

    ref = make_mlp()
    ref.compile(optimizer=optimizers.Adam(0.01), loss="sparse_categorical_crossentropy")
    h2 = ref.fit(x, y, epochs=2, batch_size=16, verbose=0, shuffle=False)
    m2 = make_mlp()
    m2.compile(optimizer=optimizers.LossScaleOptimizer(optimizers.Adam(0.01)), loss="sparse_categorical_crossentropy")
    h3 = m2.fit(x, y, epochs=2, batch_size=16, verbose=0, shuffle=False)
    np.testing.assert_allclose(h2.history["loss"], h3.history["loss"], rtol=1e-5)

    model = make_mlp(activation=None)
    lso = optimizers.LossScaleOptimizer(optimizers.SGD(0.1), initial_scale=4.0)
    loss_fn = losses.SparseCategoricalCrossentropy(from_logits=True)

    @tf.function
    def step(xb, yb, poison):
        with tf.GradientTape() as tape:
            loss = loss_fn(yb, model(xb)) * poison
            scaled = lso.scale_loss(loss)
        grads = tape.gradient(scaled, model.trainable_variables)
        lso.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    step(tf.constant(x[:16]), tf.constant(y[:16]), tf.constant(1.0))
    before = [w.copy() for w in model.get_weights()]
    step(tf.constant(x[:16]), tf.constant(y[:16]), tf.constant(np.inf, dtype=tf.float32))
    for a, b in zip(model.get_weights(), before):
        np.testing.assert_array_equal(a, b)          # non-finite step skipped
    assert float(lso.dynamic_scale.numpy()) == 2.0


def test_fit_mixed_float16(mlp_data):
    x, y = mlp_data
    try:
        mp.set_global_policy("mixed_float16")
        m = models.Sequential([layers.Input((8,)), layers.Dense(16, activation="relu"), layers.Dense(3),
                               layers.Activation("softmax", dtype="float32")])
        m.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        assert type(m.optimizer).__name__ == "LossScaleOptimizer"
        assert m.layers[0].compute_dtype == "float16" and m.layers[0].kernel.dtype.name == "float32"
        h = m.fit(x, y, epochs=3, batch_size=16, verbose=0)
        assert h.history["loss"][2] < h.history["loss"][0]
        assert float(m.optimizer.dynamic_scale.numpy()) == 2.0 ** 15
        assert m.predict(x[:4], verbose=0).dtype == np.float32
    finally:
        mp.set_global_policy("float32")


def test_tensorboard_writes_conceptual_graph_as_keras(mlp_data, tmp_path):
    """write_graph=True (the default) writes the model JSON under tag "keras", plugin graph_keras_model
    (what Keras 3's callback writes; TensorBoard's graph dashboard renders it)."""
    import json

    x, y = mlp_data
    m = make_mlp()
    m.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    m.fit(x, y, epochs=1, batch_size=16, verbose=0, callbacks=[C.TensorBoard(str(tmp_path))])
    train = _acc(str(tmp_path / "train"))
    assert "keras" in train.Tags()["tensors"]
    event = train.Tensors("keras")[0]
    assert event.step == 0
    assert train.SummaryMetadata("keras").plugin_data.plugin_name == "graph_keras_model"
    from tensorboard.util import tensor_util
    config = json.loads(tensor_util.make_ndarray(event.tensor_proto).item())
    assert config["class_name"] == type(m).__name__
    assert [l["class_name"] for l in config["config"]["layers"]] == \
        [l["class_name"] for l in json.loads(m.to_json())["config"]["layers"]]

    other = tmp_path / "nograph"
    m.fit(x, y, epochs=1, batch_size=16, verbose=0, callbacks=[C.TensorBoard(str(other), write_graph=False)])
    assert "keras" not in _acc(str(other / "train")).Tags()["tensors"]


def test_tensorboard_profile_batch_writes_a_jax_trace(mlp_data, tmp_path):
    x, y = mlp_data
    m = make_mlp()
    m.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    m.fit(x, y, epochs=1, batch_size=16, verbose=0,
          callbacks=[C.TensorBoard(str(tmp_path), profile_batch=(2, 3))])
    traces = glob.glob(str(tmp_path / "train" / "plugins" / "profile" / "*" / "*.xplane.pb"))
    assert len(traces) == 1


@pytest.mark.parametrize("bad", [-1, (3, 2), (1, 2, 3), "a,b", 1.5])
def test_tensorboard_profile_batch_validation(bad):
    with pytest.raises(ValueError, match="profile_batch must be"):
        C.TensorBoard("logs", profile_batch=bad)


def test_tensorboard_embeddings_freq_is_refused_by_name():
    with pytest.raises(Exception, match=r"embeddings_freq.*not supported by tfjax"):
        C.TensorBoard("logs", embeddings_freq=1)
