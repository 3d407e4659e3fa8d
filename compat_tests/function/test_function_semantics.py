"""tf.function: the same snippet with real TF and tfjax must give the same outcome.

Trace counts are Python executions of the traced body (a counter the body bumps),
compared with TF's; printed output is captured at the file-descriptor level.
"""

import sys

import numpy as np
import pytest

from _tfdiff import check, require, tf_real
import tfjax


def _spec(tf, shape, dtype):
    spec = getattr(tf, "TensorSpec", None)
    if spec is None:
        from tfjax._src.tensor_spec import TensorSpec as spec  # noqa: PLC0415 - not yet exported
    return spec(shape, dtype)


# -- retracing ------------------------------------------------------------------
def _retrace_rules(tf):
    traces = []

    @tf.function
    def f(x):
        traces.append(1)
        return x + x

    outs = [f(tf.constant(1.0)), f(tf.constant(2.0)), f(tf.constant([1.0, 2.0])), f(1), f(2),
            f(tf.constant(3))]
    return outs, len(traces), f.experimental_get_tracing_count()


def _retrace_repeat_calls(tf):
    traces = []

    @tf.function
    def f(x, n):
        traces.append(1)
        return x * n

    for _ in range(3):
        f(tf.constant(1.0), 2)
        f(tf.constant(1.0), 3)
        f(tf.constant([1.0]), 2)
    return len(traces)


def _retrace_dtype(tf):
    traces = []

    @tf.function
    def f(x):
        traces.append(1)
        return x * 2

    f(tf.constant(1.0))
    f(tf.constant(1.0, dtype=tf.float64))
    f(tf.constant(1.0))
    return len(traces)


def _retrace_kwargs_and_defaults(tf):
    traces = []

    @tf.function
    def f(x, scale=2.0, shift=None):
        traces.append(1)
        y = x * scale
        return y if shift is None else y + shift

    a = f(tf.constant(1.0))
    b = f(tf.constant(1.0), scale=2.0)
    c = f(tf.constant(1.0), shift=tf.constant(1.0))
    d = f(x=tf.constant(1.0), shift=tf.constant(5.0))
    return [a, b, c, d], len(traces)


def _numpy_arg_is_tensor(tf):
    traces = []

    @tf.function
    def f(x):
        traces.append(1)
        return x * 2

    f(np.array([1.0, 2.0], np.float32))
    r = f(np.array([3.0, 4.0], np.float32))
    return r, len(traces)


def _input_signature(tf):
    traces = []

    @tf.function(input_signature=[_spec(tf, [2], tf.float32)])
    def f(x):
        traces.append(1)
        return x * 2

    return f(tf.constant([1.0, 2.0])), f([3.0, 4.0]), len(traces)


def _input_signature_wrong_dtype(tf):
    @tf.function(input_signature=[_spec(tf, [None], tf.float32)])
    def f(x):
        return x * 2

    return f(tf.constant([1, 2]))


def _input_signature_wrong_rank(tf):
    @tf.function(input_signature=[_spec(tf, [None], tf.float32)])
    def f(x):
        return x * 2

    return f(tf.constant(1.0))


def _input_signature_none_dims_values(tf):
    @tf.function(input_signature=[_spec(tf, [None], tf.float32)])
    def f(x):
        return tf.reduce_sum(x * 2)

    return [f(tf.ones([n])) for n in (1, 4, 7, 4)]


def _reduce_retracing_values(tf):
    @tf.function(reduce_retracing=True)
    def f(x):
        return tf.reduce_sum(x)

    return [f(tf.ones([n])) for n in (1, 2, 3, 4)]


def _tracing_count_input_signature(tf):
    @tf.function(input_signature=[_spec(tf, [None, 3], tf.float32)])
    def f(x):
        return tf.reduce_sum(x)

    vals = [f(tf.ones([n, 3])) for n in (1, 4, 7, 4)]
    return vals, f.experimental_get_tracing_count()


def _tracing_count_reduce_retracing(tf):
    @tf.function(reduce_retracing=True)
    def f(x):
        return tf.reduce_sum(x)

    vals = [f(tf.ones([n])) for n in (1, 2, 3, 4)]
    vals += [f(tf.ones([n, 2])) for n in (1, 2, 3)]
    return vals, f.experimental_get_tracing_count()


def _tracing_count_variable_creation(tf):
    class M(tf.Module):
        def __init__(self):
            super().__init__()
            self.v = None

        @tf.function
        def __call__(self, x):
            if self.v is None:
                self.v = tf.Variable(2.0)
            return x * self.v

    m = M()
    out = [m(tf.constant(1.0)), m(tf.constant(2.0))]
    return out, m.__call__.experimental_get_tracing_count()


def _jit_compile_accepted(tf):
    @tf.function(jit_compile=True)
    def f(x):
        return x * x + 1.0

    return f(tf.constant([1.0, 2.0]))


# -- side effects -----------------------------------------------------------------
def _python_side_effects_once_per_trace(tf):
    @tf.function
    def f(x):
        print("tracing with", x.shape)
        return x + 1

    f(tf.constant(1.0))
    f(tf.constant(2.0))
    f(tf.constant([1.0]))
    return f(tf.constant(3.0))


def _python_print_python_value(tf):
    @tf.function
    def f(n):
        print("trace n =", n)
        return n * 2

    f(1)
    f(2)
    f(1)
    return f(2)


def _tf_print_each_call(tf):
    @tf.function
    def f(x):
        tf.print("x is", x, output_stream=sys.stdout)
        return x + 1

    f(tf.constant(1.0))
    f(tf.constant(2.0))
    return f(tf.constant(3.0))


# -- variables ----------------------------------------------------------------------
def _assign_add_persists(tf):
    v = tf.Variable(2)

    @tf.function
    def inc():
        v.assign_add(1)
        return v.read_value()

    a = inc()
    b = v.numpy()
    inc()
    return a, b, v.numpy()


def _read_and_assign(tf):
    v = tf.Variable([1.0, 2.0])

    @tf.function
    def step(x):
        before = v.read_value()
        v.assign(v * x)
        after = v.read_value()
        return before, after

    r1 = step(tf.constant(2.0))
    r2 = step(tf.constant(3.0))
    return r1, r2, v.numpy()


def _variable_created_first_call(tf):
    class M(tf.Module):
        def __init__(self):
            super().__init__()
            self.v = None

        @tf.function
        def __call__(self, x):
            if self.v is None:
                self.v = tf.Variable(tf.ones_like(x) * 2.0)
            self.v.assign_add(x)
            return self.v * 1.0

    m = M()
    return m(tf.constant([1.0, 2.0])), m(tf.constant([1.0, 2.0])), m.v.numpy()


def _variable_created_every_call(tf):
    @tf.function
    def f(x):
        v = tf.Variable(1.0)
        return v * x

    f(tf.constant(1.0))
    return f(tf.constant(2.0))


def _variable_created_new_shape(tf):
    @tf.function
    def f(x):
        v = tf.Variable(tf.zeros_like(x))
        return v + x

    first = f(tf.constant(1.0))
    try:
        f(tf.constant([1.0, 2.0]))
        second = "ok"
    except ValueError:
        second = "ValueError"
    return first, second


def _variable_argument(tf):
    a = tf.Variable(1.0)
    b = tf.Variable(10.0)

    @tf.function
    def add_to(var, x):
        var.assign_add(x)
        return var.read_value()

    add_to(a, tf.constant(1.0))
    add_to(b, tf.constant(1.0))
    r = add_to(a, tf.constant(1.0))
    return r, a.numpy(), b.numpy(), add_to.experimental_get_tracing_count()


def _variable_argument_aliasing(tf):
    a = tf.Variable(1.0)
    b = tf.Variable(10.0)
    traces = []

    @tf.function
    def f(u, w):
        traces.append(1)
        u.assign_add(1.0)
        return w.read_value()

    r1 = f(a, b)
    r2 = f(a, a)        # aliasing: w sees u's update
    r3 = f(b, a)
    return r1, r2, r3, a.numpy(), b.numpy(), len(traces)


def _variable_argument_and_global(tf):
    g = tf.Variable(5.0)
    other = tf.Variable(1.0)

    @tf.function
    def f(v):
        v.assign_add(1.0)
        return g * 1.0

    r1 = f(other)
    f(g)     # the argument is also the global the body reads (TF leaves that read unordered)
    return r1, g.numpy(), other.numpy()


def _variable_argument_gradient(tf):
    a = tf.Variable(2.0)
    b = tf.Variable(3.0)

    @tf.function
    def sq(v):
        return v * v

    with tf.GradientTape() as t:
        y = sq(a) + sq(b)
    return t.gradient(y, [a, b])


def _module_method(tf):
    class Dense(tf.Module):
        def __init__(self, n_in, n_out):
            super().__init__()
            self.w = tf.Variable(tf.ones([n_in, n_out]) * 0.5)
            self.b = tf.Variable(tf.zeros([n_out]))

        @tf.function
        def __call__(self, x):
            return tf.matmul(x, self.w) + self.b

    d1, d2 = Dense(2, 3), Dense(2, 3)
    d2.w.assign(tf.ones([2, 3]))
    x = tf.constant([[1.0, 2.0]])
    r1, r2 = d1(x), d2(x)
    d1.b.assign([1.0, 1.0, 1.0])
    return r1, r2, d1(x), len(d1.trainable_variables)


def _global_variable_changed_outside(tf):
    v = tf.Variable(1.0)

    @tf.function
    def f(x):
        return v * x

    a = f(tf.constant(2.0))
    v.assign(5.0)
    return a, f(tf.constant(2.0))


def _closure_over_tensor_constant(tf):
    c = tf.constant([1.0, 2.0])

    @tf.function
    def f(x):
        return c * x

    return f(tf.constant(3.0))


# -- structures -----------------------------------------------------------------------
def _nested_in_out(tf):
    @tf.function
    def f(d, lst):
        return {"sum": d["a"] + d["b"], "pair": (lst[0] * 2.0, lst[1])}

    return f({"a": tf.constant(1.0), "b": tf.constant(2.0)}, [tf.constant(3.0), 7])


def _returns_none_and_python(tf):
    @tf.function
    def f(x):
        return None

    @tf.function
    def g(x):
        return x, None

    return f(tf.constant(1.0)), g(tf.constant(1.0))


def _returns_variable(tf):
    v = tf.Variable([1.0, 2.0])

    @tf.function
    def f():
        return v

    r = f()
    return tf.convert_to_tensor(r)


def _get_concrete_function(tf):
    @tf.function
    def f(x):
        return x * 3.0

    cf = f.get_concrete_function(_spec(tf, [2], tf.float32))
    return cf(tf.constant([1.0, 2.0]))


def _get_concrete_function_tensor_arg(tf):
    @tf.function
    def f(x):
        return x * 3.0

    cf = f.get_concrete_function(tf.constant([1.0, 2.0]))
    return cf(tf.constant([2.0, 4.0]))


def _nested_function_calls(tf):
    @tf.function
    def inner(x):
        return x * 2.0

    @tf.function
    def outer(x):
        return inner(x) + inner(x + 1.0)

    return outer(tf.constant(1.0)), inner(tf.constant(5.0))


# -- control flow on tensors ----------------------------------------------------------
def _if_tensor(tf):
    @tf.function
    def f(x):
        if tf.reduce_sum(x) > 0:
            y = x * 2.0
        else:
            y = -x
        return y

    return f(tf.constant([1.0, 2.0])), f(tf.constant([-3.0, 1.0]))


def _while_tensor(tf):
    @tf.function
    def f(x):
        while tf.reduce_sum(x) < 100.0:
            x = x * 2.0
        return x

    return f(tf.constant([1.0, 2.0])), f(tf.constant([50.0, 60.0]))


def _for_range_tensor(tf):
    @tf.function
    def f(n):
        s = tf.constant(0)
        for i in tf.range(n):
            s = s + i
        return s

    return f(tf.constant(5)), f(tf.constant(10))


def _if_tensor_python_values(tf):
    @tf.function
    def f(x, flag):
        if flag:
            return x + 1.0
        return x - 1.0

    return f(tf.constant(1.0), True), f(tf.constant(1.0), False)


def _cond_in_function(tf):
    @tf.function
    def f(x):
        return tf.cond(x > 0, lambda: x * x, lambda: x * 3.0)

    return f(tf.constant(2.0)), f(tf.constant(-2.0))


def _while_loop_in_function(tf):
    @tf.function
    def f(n):
        i, s = tf.while_loop(lambda i, s: i < n, lambda i, s: (i + 1, s + tf.cast(i, tf.float32)),
                             (tf.constant(0), tf.constant(0.0)))
        return i, s

    return f(tf.constant(5)), f(tf.constant(0))


def _map_fn_in_function(tf):
    @tf.function
    def f(x):
        return tf.map_fn(lambda e: e * e + 1.0, x)

    return f(tf.constant([1.0, 2.0, 3.0]))


# -- gradients inside tf.function ----------------------------------------------------
def _tape_in_function(tf):
    w = tf.Variable([1.0, -2.0])

    @tf.function
    def step(x):
        with tf.GradientTape() as t:
            y = tf.reduce_sum(tf.tanh(w * x))
        g = t.gradient(y, w)
        w.assign_sub(0.1 * g)
        return y, g

    r1 = step(tf.constant(1.5))
    r2 = step(tf.constant(1.5))
    return r1, r2, w.numpy()


def _grad_cond_in_function(tf):
    w = tf.Variable(3.0)

    @tf.function
    def f(x):
        with tf.GradientTape() as t:
            y = tf.cond(x > 0, lambda: w * w * x, lambda: w * x)
        return t.gradient(y, w)

    return f(tf.constant(2.0)), f(tf.constant(-2.0))


def _grad_while_max_iter_in_function(tf):
    @tf.function
    def f(x):
        with tf.GradientTape() as t:
            t.watch(x)
            _, y = tf.while_loop(lambda i, y: i < 10, lambda i, y: (i + 1, y * x),
                                 (tf.constant(0), tf.constant(1.0)), maximum_iterations=3)
        return y, t.gradient(y, x)

    return f(tf.constant(2.0))


def _grad_map_fn_in_function(tf):
    v = tf.Variable(2.0)

    @tf.function
    def f(x):
        with tf.GradientTape() as t:
            y = tf.reduce_sum(tf.map_fn(lambda e: e * v * v, x))
        return t.gradient(y, v)

    return f(tf.constant([1.0, 2.0, 3.0]))


def _grad_through_function_call(tf):
    v = tf.Variable(2.0)

    @tf.function
    def f(x):
        return x * v * v

    x = tf.constant(3.0)
    with tf.GradientTape() as t:
        t.watch(x)
        y = f(x) + f(x)
    return t.gradient(y, [x, v])


def _grad_through_function_first_call(tf):
    v = tf.Variable(2.0)

    @tf.function
    def f(x):
        return tf.reduce_sum(tf.exp(x) * v)

    x = tf.constant([0.0, 1.0])
    with tf.GradientTape(persistent=True) as t:
        t.watch(x)
        y = f(x)
    return t.gradient(y, x), t.gradient(y, v)


def _second_order_in_function(tf):
    @tf.function
    def f(x):
        with tf.GradientTape() as t2:
            t2.watch(x)
            with tf.GradientTape() as t1:
                t1.watch(x)
                y = x * x * x
            g = t1.gradient(y, x)
        return g, t2.gradient(g, x)

    return f(tf.constant(2.0))


def _custom_gradient_in_function(tf):
    @tf.custom_gradient
    def clip(x):
        def grad(dy):
            return tf.clip_by_value(dy, -0.5, 0.5)
        return x * 1.0, grad

    @tf.function
    def f(x):
        with tf.GradientTape() as t:
            t.watch(x)
            y = tf.reduce_sum(clip(x) * tf.constant([0.1, 3.0]))
        return t.gradient(y, x)

    return f(tf.constant([1.0, 2.0]))


def _jacobian_in_function(tf):
    @tf.function
    def f(x):
        with tf.GradientTape() as t:
            t.watch(x)
            y = x * x
        return t.jacobian(y, x)

    return f(tf.constant([1.0, 2.0]))


def _training_loop_decreases(tf):
    w = tf.Variable([[0.1], [0.2]])
    b = tf.Variable([0.0])
    x = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    y = tf.constant([[1.0], [2.0], [3.0]])

    @tf.function
    def step():
        with tf.GradientTape() as t:
            loss = tf.reduce_mean((tf.matmul(x, w) + b - y) ** 2)
        gw, gb = t.gradient(loss, [w, b])
        w.assign_sub(0.01 * gw)
        b.assign_sub(0.01 * gb)
        return loss

    losses = [step() for _ in range(20)]
    return losses, w.numpy(), b.numpy(), step.experimental_get_tracing_count()


# -- config ----------------------------------------------------------------------------
def _run_functions_eagerly(tf):
    traces = []

    @tf.function
    def f(x):
        traces.append(1)
        return x.numpy() * 2  # only valid eagerly

    tf.config.run_functions_eagerly(True)
    try:
        a = f(tf.constant(2.0))
        b = f(tf.constant(3.0))
    finally:
        tf.config.run_functions_eagerly(False)
    return a, b, len(traces)


def _random_fresh_each_call(tf):
    @tf.function
    def f():
        return tf.random.uniform([3])

    a, b = f(), f()
    return bool(np.any(a.numpy() != b.numpy())), a.shape.as_list()


def _grad_while_no_max_iter_in_function(tf):
    w = tf.Variable(1.5)

    @tf.function
    def f(x):
        with tf.GradientTape() as t:
            _, y = tf.while_loop(lambda i, y: y < 20.0, lambda i, y: (i + 1, y * w + x),
                                 (tf.constant(0), tf.constant(1.0)))
        return y, t.gradient(y, w)

    return f(tf.constant(1.0)), f(tf.constant(3.0))


def _grad_nested_cond_in_while_in_function(tf):
    @tf.function
    def f(x):
        with tf.GradientTape() as t:
            t.watch(x)
            _, y = tf.while_loop(
                lambda i, y: i < 4,
                lambda i, y: (i + 1, tf.cond(i % 2 == 0, lambda: y * x, lambda: y + x)),
                (tf.constant(0), tf.constant(1.0)))
        return y, t.gradient(y, x)

    return f(tf.constant(2.0))


def _grad_scan_in_function(tf):
    @tf.function
    def f(x):
        with tf.GradientTape() as t:
            t.watch(x)
            ys = tf.scan(lambda a, e: a * e + 1.0, x, initializer=tf.constant(1.0))
            s = tf.reduce_sum(ys)
        return ys, t.gradient(s, x)

    return f(tf.constant([1.0, 2.0, 3.0]))


CASES = {k[1:]: v for k, v in dict(globals()).items()
         if k.startswith("_") and not k.startswith("__") and callable(v) and k not in ("_spec",)}
OUTPUT = {"python_side_effects_once_per_trace", "python_print_python_value", "tf_print_each_call"}
NEEDS = {
    "tf_print_each_call": ("print",),
    "run_functions_eagerly": ("config.run_functions_eagerly",),
    "random_fresh_each_call": ("random.uniform",),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_function_matches_tf(name):
    if name in NEEDS:
        require(*NEEDS[name])
    check(CASES[name], rtol=1e-5, atol=1e-5, output=name in OUTPUT)
