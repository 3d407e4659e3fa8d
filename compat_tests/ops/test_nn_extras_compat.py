"""Differential tests (real TF computed at test time) for the less common tf.nn / tf.random / tf.* names:
CTC, max_pool_with_argmax, dilation/erosion, space_to_batch, sampled losses, sparse embeddings,
isotonic regression, candidate samplers (contracts), and top-level helpers."""

import numpy as np
import pytest


def _np(x):
    return np.asarray(x.numpy() if hasattr(x, "numpy") else x)


def _same(a, b, tol=1e-5):
    a, b = _np(a), _np(b)
    assert a.dtype == b.dtype and a.shape == b.shape, (a.dtype, b.dtype, a.shape, b.shape)
    np.testing.assert_allclose(a, b, rtol=tol, atol=tol)


def _grad(tf, fn, *xs):
    vs = [tf.constant(x) for x in xs]
    with tf.GradientTape() as t:
        for v in vs:
            t.watch(v)
        y = fn(*vs)
    return y, [tf.convert_to_tensor(g) for g in t.gradient(y, vs)]  # IndexedSlices -> dense


def _both(tf_real, tfx, fn, *xs, tol=1e-5):
    y1, g1 = _grad(tf_real, lambda *a: fn(tf_real, *a), *xs)
    y2, g2 = _grad(tfx, lambda *a: fn(tfx, *a), *xs)
    _same(y1, y2, tol)
    for a, b in zip(g1, g2):
        _same(a, b, tol)


RNG = np.random.RandomState(0)
LOGITS = RNG.randn(6, 3, 5).astype(np.float32)
LABELS = np.array([[1, 2, 2], [3, 0, 0], [4, 1, 0]], np.int32)
LAB_LEN = np.array([3, 1, 2], np.int32)
LOGIT_LEN = np.array([6, 4, 5], np.int32)


@pytest.mark.parametrize("blank", [0, -1, 2])
@pytest.mark.parametrize("time_major", [True, False])
def test_ctc_loss_dense(tf_real, tfx, blank, time_major):
    b = blank % 5
    labels = np.where(LABELS == b, (b + 1) % 5 or 1, LABELS) * (np.arange(3)[None] < LAB_LEN[:, None])
    lg = LOGITS if time_major else LOGITS.transpose(1, 0, 2)
    _both(tf_real, tfx, lambda tf, x: tf.nn.ctc_loss(labels, x, LAB_LEN, LOGIT_LEN, logits_time_major=time_major,
                                                     blank_index=blank), lg)


@pytest.mark.parametrize("blank", [0, -1, 3])
def test_ctc_loss_sparse(tf_real, tfx, blank):
    b = blank % 5
    labels = np.where(LABELS == b, (b + 1) % 5 or 1, LABELS)
    idx = [[i, j] for i in range(3) for j in range(LAB_LEN[i])]
    vals = [int(labels[i, j]) for i, j in idx]
    _both(tf_real, tfx, lambda tf, x: tf.nn.ctc_loss(tf.SparseTensor(idx, vals, [3, 3]), x, None, LOGIT_LEN,
                                                     blank_index=blank), LOGITS)


def test_ctc_loss_errors_and_function(tf_real, tfx):
    for tf in (tf_real, tfx):
        sp = tf.SparseTensor([[0, 0]], [1], [3, 1])
        with pytest.raises(ValueError):
            tf.nn.ctc_loss(sp, LOGITS, None, LOGIT_LEN)
        long = tf.SparseTensor([[0, j] for j in range(5)], [1, 1, 2, 2, 3], [3, 5])
        with pytest.raises(tf.errors.InvalidArgumentError):
            tf.nn.ctc_loss(long, LOGITS, None, [3, 3, 3], blank_index=0)
    f = tfx.function(lambda x: tfx.nn.ctc_loss(LABELS, x, LAB_LEN, LOGIT_LEN, blank_index=0))
    _same(tf_real.nn.ctc_loss(LABELS, LOGITS, LAB_LEN, LOGIT_LEN, blank_index=0), f(tfx.constant(LOGITS)))


def _sparse_same(a, b):
    for x, y in zip((a.indices, a.values, a.dense_shape), (b.indices, b.values, b.dense_shape)):
        _same(x, y, 0)


@pytest.mark.parametrize("merge", [True, False])
@pytest.mark.parametrize("blank", [None, 0])
def test_ctc_greedy_decoder(tf_real, tfx, merge, blank):
    lg = np.round(LOGITS, 0)  # ties: first maximum wins
    (d1,), n1 = tf_real.nn.ctc_greedy_decoder(lg, LOGIT_LEN, merge_repeated=merge, blank_index=blank)
    (d2,), n2 = tfx.nn.ctc_greedy_decoder(lg, LOGIT_LEN, merge_repeated=merge, blank_index=blank)
    _sparse_same(d1, d2)
    _same(n1, n2)


@pytest.mark.parametrize("beam,top", [(1, 1), (3, 2), (10, 4)])
def test_ctc_beam_search_decoder(tf_real, tfx, beam, top):
    lg = np.random.RandomState(1).randn(12, 4, 4).astype(np.float32)
    sl = np.array([12, 10, 7, 3], np.int32)
    d1, p1 = tf_real.nn.ctc_beam_search_decoder(lg, sl, beam_width=beam, top_paths=top)
    d2, p2 = tfx.nn.ctc_beam_search_decoder(lg, sl, beam_width=beam, top_paths=top)
    assert len(d1) == len(d2)
    for a, b in zip(d1, d2):
        _sparse_same(a, b)
    _same(p1, p2, 1e-4)


def test_collapse_repeated_and_unique_labels(tf_real, tfx):
    lab, ln = [[1, 1, 2, 2, 1], [1, 2, 3, 4, 5]], [5, 3]
    for a, b in zip(tf_real.nn.collapse_repeated(lab, ln), tfx.nn.collapse_repeated(lab, ln)):
        _same(a, b, 0)
    u = [[3, 4, 4, 3], [1, 0, 0, 0]]
    for a, b in zip(tf_real.nn.ctc_unique_labels(u), tfx.nn.ctc_unique_labels(u)):
        _same(a, b, 0)


X4 = RNG.randn(2, 5, 6, 3).astype(np.float32)
X4[0, 0, 0, 0] = X4[0, 0, 1, 0] = 5.0  # a tie inside one window


@pytest.mark.parametrize("padding", ["SAME", "VALID"])
@pytest.mark.parametrize("include_batch", [False, True])
@pytest.mark.parametrize("odt", ["int64", "int32"])
def test_max_pool_with_argmax(tf_real, tfx, padding, include_batch, odt):
    for tf, res in ((tf_real, []), (tfx, [])):
        pass
    o1, a1 = tf_real.nn.max_pool_with_argmax(X4, [2, 3], [2, 2], padding, output_dtype=getattr(tf_real, odt),
                                             include_batch_in_index=include_batch)
    o2, a2 = tfx.nn.max_pool_with_argmax(X4, [2, 3], [2, 2], padding, output_dtype=getattr(tfx, odt),
                                         include_batch_in_index=include_batch)
    _same(o1, o2, 0)
    _same(a1, a2, 0)
    _both(tf_real, tfx, lambda tf, x: tf.reduce_sum(tf.nn.max_pool_with_argmax(x, 3, 2, padding)[0] ** 2), X4)


@pytest.mark.parametrize("padding", ["SAME", "VALID"])
@pytest.mark.parametrize("op", ["dilation2d", "erosion2d"])
@pytest.mark.parametrize("strides,rates", [([1, 1, 1, 1], [1, 1, 1, 1]), ([1, 2, 1, 1], [1, 1, 2, 1])])
def test_dilation_erosion(tf_real, tfx, padding, op, strides, rates):
    f = RNG.randn(2, 3, 3).astype(np.float32)
    _both(tf_real, tfx, lambda tf, x, w: getattr(tf.nn, op)(x, w, strides, padding, "NHWC", rates), X4, f)


def test_space_to_batch_family(tf_real, tfx):
    z = RNG.randn(2, 5, 4, 3).astype(np.float32)
    _both(tf_real, tfx, lambda tf, x: tf.space_to_batch_nd(x, [2, 2], [[1, 0], [0, 0]]) * 2.0, z)
    _both(tf_real, tfx, lambda tf, x: tf.nn.space_to_batch(x, [2, 2], [[1, 0], [0, 0]]), z)
    w = tf_real.space_to_batch(z, [2, 2], [[1, 0], [0, 0]]).numpy()
    _both(tf_real, tfx, lambda tf, x: tf.batch_to_space(x, [2, 2], [[1, 0], [0, 0]]), w)
    for a, b in zip(tf_real.required_space_to_batch_paddings([5, 4], [2, 3], [[1, 1], [0, 2]]),
                    tfx.required_space_to_batch_paddings([5, 4], [2, 3], [[1, 1], [0, 2]])):
        _same(a, b, 0)
    for tf in (tf_real, tfx):
        with pytest.raises(tf.errors.InvalidArgumentError):
            tf.space_to_batch_nd(z, [2, 2], [[0, 0], [0, 0]])
    fl = RNG.randn(3, 3, 3, 4).astype(np.float32)
    for p in ("SAME", "VALID"):
        _same(tf_real.nn.with_space_to_batch(X4, [2, 2], p, lambda i, n, q: tf_real.nn.convolution(i, fl, padding=q),
                                             filter_shape=[3, 3]),
              tfx.nn.with_space_to_batch(X4, [2, 2], p, lambda i, n, q: tfx.nn.convolution(i, fl, padding=q),
                                         filter_shape=[3, 3]), 1e-4)


def test_conv_backprops(tf_real, tfx):
    fl = RNG.randn(3, 3, 3, 4).astype(np.float32)
    v = RNG.randn(2, 5, 6, 4).astype(np.float32)
    _same(tf_real.nn.atrous_conv2d_transpose(v, fl, [2, 5, 6, 3], 2, "SAME"),
          tfx.nn.atrous_conv2d_transpose(v, fl, [2, 5, 6, 3], 2, "SAME"), 1e-4)
    df = RNG.randn(3, 3, 3, 2).astype(np.float32)
    dy = RNG.randn(2, 3, 3, 6).astype(np.float32)
    _same(tf_real.nn.depthwise_conv2d_backprop_input([2, 5, 6, 3], df, dy, [1, 2, 2, 1], "SAME"),
          tfx.nn.depthwise_conv2d_backprop_input([2, 5, 6, 3], df, dy, [1, 2, 2, 1], "SAME"), 1e-4)
    _same(tf_real.nn.depthwise_conv2d_backprop_filter(X4, [3, 3, 3, 2], dy, [1, 2, 2, 1], "SAME"),
          tfx.nn.depthwise_conv2d_backprop_filter(X4, [3, 3, 3, 2], dy, [1, 2, 2, 1], "SAME"), 1e-4)


def test_statistics_and_batch_norm(tf_real, tfx):
    for shift in (None, 0.5):
        r1 = tf_real.nn.sufficient_statistics(X4, [0, 1], shift=shift, keepdims=True)
        r2 = tfx.nn.sufficient_statistics(X4, [0, 1], shift=shift, keepdims=True)
        for a, b in zip(r1[:3], r2[:3]):
            _same(a, b, 1e-4)
        assert (r1[3] is None) == (r2[3] is None)
    m, v, b, g = (RNG.rand(3).astype(np.float32) + 0.5 for _ in range(4))
    for sc in (True, False):
        _both(tf_real, tfx, lambda tf, x: tf.nn.batch_norm_with_global_normalization(x, m, v, b, g, 1e-3, sc), X4)


@pytest.mark.parametrize("inp,kw", [
    ([[3, 1, 2]], {}), (np.array([[3., 1, 2, 5, 4]], np.float32), {"decreasing": False}),
    (np.array([[2., 2, 3, 3, 1]], np.float32), {}), (RNG.randn(3, 4, 2), {"axis": 1}),
])
def test_isotonic_regression(tf_real, tfx, inp, kw):
    for a, b in zip(tf_real.nn.isotonic_regression(inp, **kw), tfx.nn.isotonic_regression(inp, **kw)):
        _same(a, b)
    if np.asarray(inp).dtype.kind == "f" and "axis" not in kw:  # TF's own gradient breaks with axis != -1
        _both(tf_real, tfx, lambda tf, x: tf.reduce_sum(tf.nn.isotonic_regression(x, **kw)[0] ** 2), np.asarray(inp))


W = RNG.randn(10, 4).astype(np.float32)
B = RNG.randn(10).astype(np.float32)
XS = RNG.randn(3, 4).astype(np.float32)
LAB2 = np.array([[1, 2], [3, 7], [5, 1]], np.int64)


@pytest.mark.parametrize("loss", ["sampled_softmax_loss", "nce_loss"])
@pytest.mark.parametrize("num_true", [1, 2])
@pytest.mark.parametrize("remove_hits", [False, True])
def test_sampled_losses(tf_real, tfx, loss, num_true, remove_hits):
    sv = (np.array([1, 4, 7, 0], np.int64), (np.arange(6).reshape(3, 2)[:, :num_true] / 10 + 0.2).astype(np.float32),
          np.array([0.3, 0.2, 0.5, 0.9], np.float32))
    _both(tf_real, tfx, lambda tf, w, x: getattr(tf.nn, loss)(w, B, LAB2[:, :num_true], x, 4, 10, num_true=num_true,
                                                              sampled_values=sv, remove_accidental_hits=remove_hits),
          W, XS)


def test_compute_accidental_hits(tf_real, tfx):
    args = ([[1, 2], [3, 1]], [1, 5, 3, 1, 2])
    r1 = tf_real.nn.compute_accidental_hits(tf_real.constant(args[0], tf_real.int64),
                                            tf_real.constant(args[1], tf_real.int64), 2)
    r2 = tfx.nn.compute_accidental_hits(tfx.constant(args[0], tfx.int64), tfx.constant(args[1], tfx.int64), 2)
    for a, b in zip(r1, r2):
        _same(a, b, 0)


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("combiner", ["sum", "mean", "sqrtn"])
def test_embedding_lookup_sparse(tf_real, tfx, weighted, combiner):
    p = np.arange(12., dtype=np.float32).reshape(6, 2)
    idx = [[0, 0], [0, 1], [2, 0], [2, 1]]

    def run(tf, params, default_id=None, safe=False):
        ids = tf.SparseTensor(idx, tf.constant([1, 3, 5, -1 if safe else 2], tf.int64), [4, 2])
        w = tf.SparseTensor(idx, [1., 2., 3., 0.5], [4, 2]) if weighted else None
        if safe:
            return tf.nn.safe_embedding_lookup_sparse(params, ids, w, combiner=combiner, default_id=default_id)
        return tf.nn.embedding_lookup_sparse(params, ids, w, combiner=combiner)
    _both(tf_real, tfx, lambda tf, x: run(tf, x), p)
    for d in (None, 2):
        _both(tf_real, tfx, lambda tf, x: run(tf, x, d, True), p)


def _check_sampler(out, num_sampled, range_max, unique, true_shape):
    s, te, se = (_np(o) for o in out)
    assert s.dtype == np.int64 and s.shape == (num_sampled,)
    assert te.dtype == np.float32 and te.shape == true_shape and se.shape == (num_sampled,)
    assert ((s >= 0) & (s < range_max)).all()
    if unique:
        assert len(set(s.tolist())) == num_sampled


@pytest.mark.parametrize("unique", [False, True])
def test_candidate_samplers_contract(tf_real, tfx, unique):
    t = np.array([[1, 2], [0, 5]], np.int64)
    for name, kw in [("uniform_candidate_sampler", {}), ("log_uniform_candidate_sampler", {}),
                     ("learned_unigram_candidate_sampler", {}),
                     ("fixed_unigram_candidate_sampler", {"unigrams": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
                                                          "distortion": 0.5})]:
        o1 = getattr(tf_real.random, name)(t, 2, 4, unique, 10, seed=3, **kw)
        o2 = getattr(tfx.random, name)(t, 2, 4, unique, 10, seed=3, **kw)
        assert type(o1).__name__ == type(o2).__name__
        _check_sampler(o2, 4, 10, unique, (2, 2))
        if not unique:  # expected counts are p * num_sampled: deterministic
            _same(o1.true_expected_count, o2.true_expected_count, 1e-5)
        # the same seed gives the same draw
        _same(o2.sampled_candidates, getattr(tfx.random, name)(t, 2, 4, unique, 10, seed=3, **kw).sampled_candidates, 0)
    assert tfx.nn.log_uniform_candidate_sampler is tfx.random.log_uniform_candidate_sampler
    for a, b in zip(tf_real.random.all_candidate_sampler(t, 2, 6, True), tfx.random.all_candidate_sampler(t, 2, 6, True)):
        _same(a, b, 0)
    for tf in (tf_real, tfx):
        with pytest.raises(tf.errors.InvalidArgumentError):
            tf.random.all_candidate_sampler(t, 2, 3, True)


@pytest.mark.parametrize("pseudo", [False, True])
@pytest.mark.parametrize("overlapping", [False, True])
@pytest.mark.parametrize("op", ["fractional_max_pool", "fractional_avg_pool"])
def test_fractional_pool_contract(tf_real, tfx, pseudo, overlapping, op):
    ref = getattr(tf_real.nn, op)(X4, [1, 1.44, 1.73, 1], pseudo, overlapping, seed=1)
    out, rows, cols = getattr(tfx.nn, op)(X4, [1, 1.44, 1.73, 1], pseudo, overlapping, seed=1)
    assert out.shape == ref[0].shape and out.dtype == tfx.float32
    assert rows.dtype == tfx.int64 and rows.shape == ref[1].shape and cols.shape == ref[2].shape
    r, c = _np(rows), _np(cols)
    assert r[0] == 0 and r[-1] == 5 and c[0] == 0 and c[-1] == 6
    x = X4
    for i in range(len(r) - 1):
        for j in range(len(c) - 1):
            re = min(r[i + 1] + overlapping, 5)
            ce = min(c[j + 1] + overlapping, 6)
            win = x[:, r[i]:re, c[j]:ce, :]
            want = win.max(axis=(1, 2)) if op == "fractional_max_pool" else win.mean(axis=(1, 2))
            np.testing.assert_allclose(_np(out)[:, i, j, :], want, rtol=1e-5, atol=1e-6)


def test_stateless_parameterized_truncated_normal(tf_real, tfx):
    kw = dict(means=[0., 1, 2, 3], stddevs=2., minvals=-1., maxvals=[1., 2, 3, 4])
    ref = tf_real.random.stateless_parameterized_truncated_normal([300, 4], [1, 2], **kw)
    a = tfx.random.stateless_parameterized_truncated_normal([300, 4], [1, 2], **kw)
    b = tfx.random.stateless_parameterized_truncated_normal([300, 4], [1, 2], **kw)
    assert a.dtype == tfx.float32 and a.shape == ref.shape
    _same(a, b, 0)
    v = _np(a)
    assert (v >= -1).all() and (v <= np.array([1, 2, 3, 4])).all()


# -- top level ---------------------------------------------------------------------------------
def test_top_level_values(tf_real, tfx):
    for tf_ in (tf_real, tfx):
        with pytest.raises(RuntimeError):
            tf_.hessians(tf_.constant(1.0), tf_.constant(1.0))
        assert tf_.no_gradient("SomeOp") is None
        assert not tf_.inside_function() and not tf_.is_symbolic_tensor(tf_.constant(1))
        assert tf_.get_logger().name == "tensorflow"
        assert tf_.timestamp().dtype == tf_.float64
        assert tf_.AggregationMethod.EXPERIMENTAL_TREE == 1
    assert tfx.get_logger() is tf_real.get_logger()
    _same(tf_real.fingerprint(tf_real.constant([[1, 2], [3, 4]])), tfx.fingerprint(tfx.constant([[1, 2], [3, 4]])), 0)
    _same(tf_real.fingerprint(["ab", "c"]), tfx.fingerprint(["ab", "c"]), 0)
    _same(tf_real.fingerprint([["ab", "c"]]), tfx.fingerprint([["ab", "c"]]), 0)
    for is_max in (True,):
        for a, b in zip(tf_real.approx_top_k(tf_real.constant([[1., 5, 3, 2]]), 2, is_max_k=is_max),
                        tfx.approx_top_k(tfx.constant([[1., 5, 3, 2]]), 2, is_max_k=is_max)):
            _same(a, b, 0)
    _same(tf_real.as_string(1.5), tfx.as_string(1.5), 0) if False else None
    assert tfx.as_string(3).numpy() == tf_real.as_string(3).numpy()
    r = tfx.tuple([tfx.constant(1), None])
    assert r[1] is None and int(r[0]) == 1
    _same(tfx.guarantee_const(tfx.constant([1.0])), tf_real.guarantee_const(tf_real.constant([1.0])), 0)
    for v in ([1, 2], np.array([1.]), 3):
        assert repr(tf_real.type_spec_from_value(v)) == repr(tfx.type_spec_from_value(v))
    for vals, kw in (([[1, 2], [3, 4]], {}), (1.0, {}), ([1, 2], {"dtype": "float32", "shape": [2, 1]}), ("ab", {}),
                     (np.array([1, 2], np.int64), {})):
        p1 = tf_real.make_tensor_proto(vals, **kw)
        p2 = tfx.make_tensor_proto(vals, **kw)
        assert p1.SerializeToString() == p2.SerializeToString()
        np.testing.assert_array_equal(tf_real.make_ndarray(p1), tfx.make_ndarray(p2))
    d = tfx.DeviceSpec.from_string("/job:a/replica:1/task:2/device:CPU:3")
    assert d.to_string() == tf_real.DeviceSpec.from_string("/job:a/replica:1/task:2/device:CPU:3").to_string()
    assert tfx.DeviceSpec(job="w", device_type="GPU", device_index=0).to_string() == "/job:w/device:GPU:0"


@pytest.mark.parametrize("normalize", [True, False])
def test_edit_distance(tf_real, tfx, normalize):
    def run(tf):
        h = tf.SparseTensor([[0, 0], [0, 1], [1, 0], [2, 0]], ["a", "b", "c", "x"], [3, 2])
        t = tf.SparseTensor([[0, 0], [1, 0], [1, 1]], ["a", "c", "d"], [3, 3])
        return tf.edit_distance(h, t, normalize=normalize)
    _same(run(tf_real), run(tfx))


def test_gradient_helpers(tf_real, tfx):
    _both(tf_real, tfx, lambda tf, x: tf.reduce_sum(tf.grad_pass_through(tf.round)(x) * x), np.float32([1.3, 2.6]))
    _both(tf_real, tfx, lambda tf, x: tf.reduce_sum(tf.recompute_grad(lambda y: tf.sin(y) * y)(x)),
          np.float32([1.3, 2.6]))

    @tfx.function
    def f(x):
        assert tfx.inside_function() and tfx.is_symbolic_tensor(x)
        return x + 1
    f(tfx.constant(1.0))


def test_register_tensor_conversion_function(tfx):
    class Box:
        def __init__(self, v):
            self.v = v
    tfx.register_tensor_conversion_function(Box, lambda value, dtype=None, name=None, as_ref=False:
                                            tfx.constant(value.v, dtype=dtype))
    assert float(tfx.convert_to_tensor(Box(2.0))) == 2.0
    assert float(tfx.add(tfx.convert_to_tensor(Box(2.0)), 1.0)) == 3.0
    with pytest.raises(TypeError):
        tfx.register_tensor_conversion_function(int, lambda *a, **k: None)


@pytest.mark.parametrize("name", ["Graph", "Operation", "import_graph_def", "RegisterGradient", "load_op_library",
                                  "load_library", "CriticalSection"])
def test_graph_only_names_unsupported(tfx, name):
    with pytest.raises(AttributeError, match=f"tf.{name} is not supported by tfjax"):
        getattr(tfx, name)
