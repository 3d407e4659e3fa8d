"""Unit tests of tf.function (tfjax only; differential tests against TF live in
compat_tests/function)."""

import gc
import warnings

import numpy as np
import pytest

import tfjax as tf
from tfjax._src import function as function_lib
from tfjax._src.tensor_spec import TensorSpec


def test_trace_counts_follow_tf_rules():
    traces = []

    @tf.function
    def f(x):
        traces.append(1)
        return x * 2

    for a in (tf.constant(1.0), tf.constant(2.0), tf.constant([1.0]), 1, 2, tf.constant(1), 1):
        f(a)
    assert len(traces) == 5 == f.experimental_get_tracing_count()


def test_defaults_are_canonicalised():
    traces = []

    @tf.function
    def f(x, k=2):
        traces.append(1)
        return x * k

    f(tf.constant(1.0))
    f(tf.constant(1.0), 2)
    f(tf.constant(1.0), k=2)
    f(x=tf.constant(1.0))
    assert len(traces) == 1


def test_state_persists_and_written_back():
    v = tf.Variable(2)

    @tf.function
    def inc():
        v.assign_add(1)

    inc()
    inc()
    assert int(v.numpy()) == 4


def test_outputs_are_fresh_tensors_and_snapshots_stable():
    v = tf.Variable([1.0])

    @tf.function
    def f():
        v.assign(v * 2.0)
        return v.read_value()

    snap = v.read_value()
    a = f()
    b = f()
    assert snap.numpy().tolist() == [1.0] and a.numpy().tolist() == [2.0] and b.numpy().tolist() == [4.0]


def test_python_outputs_become_tensors_none_stays():
    @tf.function
    def f(x):
        return {"n": 3, "x": x, "none": None, "s": "hi"}

    out = f(tf.constant(1.0))
    assert isinstance(out["n"], tf.Tensor) and out["n"].dtype == tf.int32
    assert out["none"] is None
    assert out["s"].dtype == tf.string


def test_variable_creation_first_call_only():
    class M(tf.Module):
        def __init__(self):
            super().__init__()
            self.v = None

        @tf.function
        def __call__(self, x):
            if self.v is None:
                self.v = tf.Variable(tf.zeros_like(x))
            self.v.assign_add(x)
            return self.v.read_value()

    m = M()
    m(tf.constant([1.0]))
    assert m(tf.constant([1.0])).numpy().tolist() == [2.0]


def test_variable_created_every_trace_raises_value_error():
    @tf.function
    def f(x):
        return tf.Variable(1.0) * x

    with pytest.raises(ValueError, match="singleton"):
        f(tf.constant(1.0))


def test_eager_fallback_warns_once_and_is_correct():
    @tf.function
    def f(x):
        if x > 0:
            return x * 2.0
        return -x

    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        assert float(f(tf.constant(3.0))) == 6.0
        assert float(f(tf.constant(-3.0))) == 3.0
        assert float(f(tf.constant([1.0])[0])) == 2.0
    assert len([x for x in w if "eagerly" in str(x.message)]) <= 1


def test_no_raw_tracer_errors_escape():
    @tf.function
    def f(x):
        n = int(x)               # Python conversion of a traced tensor
        return tf.ones([n])

    assert f(tf.constant(3)).shape == (3,)


def test_user_errors_propagate():
    @tf.function
    def f(x):
        raise KeyError("mine")

    with pytest.raises(KeyError, match="mine"):
        f(tf.constant(1.0))


def test_input_signature_binding_and_errors():
    @tf.function(input_signature=[TensorSpec([None], tf.float32)])
    def f(x):
        return x * 2.0

    assert f([1.0, 2.0]).numpy().tolist() == [2.0, 4.0]
    with pytest.raises(TypeError):
        f(tf.constant([1, 2]))
    with pytest.raises(TypeError):
        f(tf.constant(1.0))
    with pytest.raises(TypeError):
        f(tf.constant([1.0]), tf.constant([1.0]))


def test_input_signature_none_dims_compile_per_shape():
    traces = []

    @tf.function(input_signature=[TensorSpec([None], tf.float32)])
    def f(x):
        traces.append(1)
        return tf.reduce_sum(x)

    for n in (1, 4, 7, 4, 1):
        assert float(f(tf.ones([n]))) == n
    assert len(traces) == 3          # TF: 1 (symbolic batch dim); see docs/differences.md


def test_methods_bind_per_instance():
    class Counter(tf.Module):
        def __init__(self, start):
            super().__init__()
            self.c = tf.Variable(start)

        @tf.function
        def add(self, k):
            self.c.assign_add(k)
            return self.c.read_value()

    a, b = Counter(0), Counter(100)
    a.add(tf.constant(1))
    b.add(tf.constant(1))
    assert int(a.add(tf.constant(1))) == 2 and int(b.c.numpy()) == 101


def test_nested_function_is_inlined():
    inner_traces = []

    @tf.function
    def inner(x):
        inner_traces.append(1)
        return x + 1.0

    @tf.function
    def outer(x):
        return inner(x) * 2.0

    assert float(outer(tf.constant(1.0))) == 4.0
    assert float(outer(tf.constant(2.0))) == 6.0
    assert len(inner_traces) == 1


def test_gradient_through_compiled_call():
    v = tf.Variable(3.0)

    @tf.function
    def f(x):
        return x * v * v

    f(tf.constant(1.0))              # compiled before the tape sees it
    x = tf.constant(2.0)
    with tf.GradientTape() as t:
        t.watch(x)
        y = f(x)
    gx, gv = t.gradient(y, [x, v])
    assert float(gx) == 9.0 and float(gv) == 12.0


def test_gradient_through_call_with_state_update():
    v = tf.Variable(1.0)
    counter = tf.Variable(0, trainable=False)

    @tf.function
    def f(x):
        counter.assign_add(1)
        return v * x

    with tf.GradientTape() as t:
        y = f(tf.constant(5.0))
    assert float(t.gradient(y, v)) == 5.0 and int(counter.numpy()) == 1


def test_run_functions_eagerly_flag():
    traces = []

    @tf.function
    def f(x):
        traces.append(1)
        return x.numpy() * 2

    function_lib.run_functions_eagerly(True)
    try:
        assert f(tf.constant(2.0)) == 4.0 and f(tf.constant(3.0)) == 6.0
    finally:
        function_lib.run_functions_eagerly(False)
    assert len(traces) == 2 and not function_lib.functions_run_eagerly()


def test_jit_compile_and_reduce_retracing_accepted():
    @tf.function(jit_compile=True, reduce_retracing=True)
    def f(x):
        return x + 1.0

    assert [float(tf.reduce_sum(f(tf.ones([n])))) for n in (1, 2, 3)] == [2.0, 4.0, 6.0]


def test_get_concrete_function():
    @tf.function
    def f(x):
        return x * 3.0

    cf = f.get_concrete_function(TensorSpec([2], tf.float32))
    assert cf(tf.constant([1.0, 2.0])).numpy().tolist() == [3.0, 6.0]


def test_cache_is_bounded_lru(monkeypatch):
    assert function_lib._CACHE_SIZE <= 1024
    monkeypatch.setattr(function_lib, "_CACHE_SIZE", 4)

    @tf.function
    def f(x, k):
        return x * k

    for k in range(function_lib._CACHE_SIZE + 20):
        f(tf.constant(1.0), k)
    assert len(f._cache) == function_lib._CACHE_SIZE
    assert float(f(tf.constant(1.0), function_lib._CACHE_SIZE + 19)) == function_lib._CACHE_SIZE + 19


def test_identity_keyed_objects_are_kept_alive():
    class Cfg:                          # unhashable-by-value object argument
        __hash__ = None

        def __init__(self, k):
            self.k = k

    @tf.function
    def f(x, cfg):
        return x * cfg.k

    assert float(f(tf.constant(1.0), Cfg(2.0))) == 2.0
    gc.collect()
    # A new object may not reuse a cached entry keyed by a dead object's id.
    assert float(f(tf.constant(1.0), Cfg(5.0))) == 5.0


def test_numpy_arguments_are_tensors():
    traces = []

    @tf.function
    def f(x):
        traces.append(1)
        return x * 2

    f(np.ones(3, np.float32))
    f(np.zeros(3, np.float32))
    assert len(traces) == 1


def test_training_loop_with_tape_in_function():
    w = tf.Variable([[0.0], [0.0]])
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    y = tf.constant([[5.0], [11.0]])

    @tf.function
    def step():
        with tf.GradientTape() as t:
            loss = tf.reduce_mean((tf.matmul(x, w) - y) ** 2)
        w.assign_sub(0.02 * t.gradient(loss, w))
        return loss

    losses = [float(step()) for _ in range(200)]
    assert losses[-1] < 0.01 * losses[0]
    assert step.experimental_get_tracing_count() == 1


def test_variable_arguments_share_one_trace_and_write_back():
    a, b = tf.Variable(1.0), tf.Variable(10.0)
    traces = []

    @tf.function
    def add(v, x):
        traces.append(1)
        v.assign_add(x)
        return v.read_value()

    add(a, tf.constant(1.0))
    add(b, tf.constant(1.0))
    assert float(add(a, tf.constant(1.0))) == 3.0 and float(b.numpy()) == 11.0
    assert len(traces) == 1
    add(tf.Variable([1.0, 2.0]), tf.constant(1.0))     # another shape: another trace
    assert len(traces) == 2


def test_variable_argument_aliasing_is_part_of_the_key():
    a, b = tf.Variable(1.0), tf.Variable(5.0)

    @tf.function
    def f(u, w):
        u.assign_add(1.0)
        return w.read_value()

    assert float(f(a, b)) == 5.0
    assert float(f(a, a)) == 3.0          # w is u: sees the update
    assert float(a.numpy()) == 3.0


def test_tuple_argument_fast_path_shares_the_traced_signature():
    """A (Tensor, jax.Array, None) tuple -- Keras's batch -- takes the call fast path; it must key
    exactly as the general path does (one trace, and the same results either way)."""
    import jax

    calls = []

    @tf.function
    def f(data):
        calls.append(1)
        x, y, sw = data
        return tf.reduce_sum(x) + tf.reduce_sum(y) + (0.0 if sw is None else 1.0)

    x = tf.constant([1.0, 2.0])
    y = jax.numpy.asarray([3.0], dtype="float32")
    assert float(f((x, y, None))) == 6.0       # first call: general path, traces
    assert float(f((x, y, None))) == 6.0       # fast path, same entry
    assert float(f(data=(x, y, None))) == 6.0  # keyword: general path, same entry
    assert len(calls) == 1
    assert float(f((x, tf.constant([1.0, 1.0]), None))) == 5.0   # new shape: new trace
    assert len(calls) == 2
