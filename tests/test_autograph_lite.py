"""AutoGraph-lite: Python control flow on tensors inside tf.function compiles (or falls back
eagerly with one warning), and never changes an answer."""

import warnings

import numpy as np
import pytest

import tfjax as tf
from tfjax._src import autograph_lite


def compiled(f, *args):
    """Calls the tf.function ``f``; asserts it compiled (no eager fallback) and returns the result."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = f(*args)
    assert all(e is not None and not isinstance(e, object.__class__) for e in f._cache.values())
    from tfjax._src.function import _EAGER
    assert _EAGER not in list(f._cache.values())
    return out


def test_if_with_returns():
    @tf.function
    def f(x):
        if x > 0:
            return x * 2.0
        return -x

    assert float(compiled(f, tf.constant(3.0))) == 6.0
    assert float(compiled(f, tf.constant(-3.0))) == 3.0
    assert f.experimental_get_tracing_count() == 1


def test_if_elif_else_assigning_new_names():
    @tf.function
    def f(x):
        if x > 10.0:
            y = x * 0.0
        elif x > 0.0:
            y = x * 2.0
        else:
            y = -x
        return y + 1.0

    assert [float(compiled(f, tf.constant(v))) for v in (20.0, 3.0, -4.0)] == [1.0, 7.0, 5.0]


def test_while_on_tensor():
    @tf.function
    def f(x):
        n = 0
        while tf.reduce_sum(x) < 100.0:
            x = x * 2.0
            n += 1
        return x, n

    x, n = compiled(f, tf.constant([1.0, 2.0]))
    assert x.numpy().tolist() == [64.0, 128.0] and int(n) == 6


def test_for_range_tensor():
    @tf.function
    def f(n):
        s = tf.constant(0)
        for i in tf.range(n):
            s = s + i * i
        return s

    assert int(compiled(f, tf.constant(4))) == 14
    assert int(compiled(f, tf.constant(0))) == 0


def test_for_range_start_limit_delta():
    @tf.function
    def f(a, b):
        s = tf.constant(0)
        for i in tf.range(a, b, 3):
            s = s + i
        return s

    assert int(compiled(f, tf.constant(2), tf.constant(11))) == 2 + 5 + 8


def test_python_conditions_keep_python_semantics():
    calls = []

    @tf.function
    def f(x, flag, n):
        if flag:
            calls.append("t")
            y = x + 1.0
        else:
            calls.append("f")
            y = x - 1.0
        i = 0
        while i < n:
            y = y * 2.0
            i += 1
        return y

    assert float(compiled(f, tf.constant(1.0), True, 2)) == 8.0
    assert float(compiled(f, tf.constant(1.0), False, 0)) == 0.0
    assert calls == ["t", "f"]          # only the taken Python branch ran, once per trace


def test_gradient_through_converted_if_and_while():
    w = tf.Variable(2.0)

    @tf.function
    def f(x):
        with tf.GradientTape() as t:
            y = x
            if x > 0:
                y = w * w * x
            i = tf.constant(0)
            while i < 2:
                y = y * w
                i += 1
        return t.gradient(y, w)

    assert float(compiled(f, tf.constant(1.0))) == 4 * 8.0     # d(w^4)/dw
    assert float(compiled(f, tf.constant(-1.0))) == 2 * 2.0 * -1.0  # d(x w^2)/dw


def test_closures_globals_and_defaults_still_work():
    scale = tf.constant(3.0)

    @tf.function
    def f(x, k=2.0):
        if tf.reduce_sum(x) > 0:
            x = x * scale * k
        return x

    assert compiled(f, tf.constant([1.0])).numpy().tolist() == [6.0]


def test_method_with_super_and_self():
    class Base(tf.Module):
        def scale(self):
            return 2.0

    class M(Base):
        def __init__(self):
            super().__init__()
            self.v = tf.Variable(1.0)

        @tf.function
        def __call__(self, x):
            if x > 0:
                y = x * super().scale() * self.v
            else:
                y = x
            return y

    m = M()
    assert float(m(tf.constant(2.0))) == 4.0 and float(m(tf.constant(-2.0))) == -2.0


@pytest.mark.parametrize("case", ["one_branch_only", "break", "assign_variable", "dtype_change"])
def test_unconvertible_falls_back_to_eager_with_right_answer(case):
    v = tf.Variable(0.0)

    def one_branch_only(x):
        if x > 0:
            y = x
        return x * 2.0

    def brk(x):
        while x < 100.0:
            x = x * 2.0
            if x > 10.0:
                break
        return x

    def assign_variable(x):
        if x > 0:
            v.assign(x)
        return v.read_value()

    def dtype_change(x):
        y = 1
        for i in tf.range(x):
            y = y * 1.5
        return y

    fn, arg, want = {
        "one_branch_only": (one_branch_only, tf.constant(2.0), 4.0),
        "break": (brk, tf.constant(1.0), 16.0),
        "assign_variable": (assign_variable, tf.constant(2.0), 2.0),
        "dtype_change": (dtype_change, tf.constant(2), 2.25),
    }[case]
    f = tf.function(fn)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        assert float(f(arg)) == want
    assert len(w) <= 1


def test_functions_without_control_flow_are_not_rewritten():
    def f(x):
        return x + 1

    assert autograph_lite.convert(f) is f
    g = lambda x: x  # noqa: E731
    assert autograph_lite.convert(g) is g


def test_autograph_false_disables_conversion():
    @tf.function(autograph=False)
    def f(x):
        if x > 0:
            return x
        return -x

    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        assert float(f(tf.constant(-2.0))) == 2.0
    assert any("eagerly" in str(x.message) for x in w)


def test_nested_loops_and_ifs():
    @tf.function
    def f(n):
        total = tf.constant(0)
        for i in tf.range(n):
            for j in tf.range(i):
                if (i + j) % 2 == 0:
                    total = total + 1
        return total

    expect = sum(1 for i in range(5) for j in range(i) if (i + j) % 2 == 0)
    assert int(compiled(f, tf.constant(5))) == expect


def test_tracebacks_point_at_user_lines():
    @tf.function
    def f(x):
        if x > 0:
            raise KeyError("inside branch")
        return x

    with pytest.raises(KeyError) as info:
        f(tf.constant(1.0))
    assert any(fr.name == "f" and "test_autograph_lite" in str(fr.path) for fr in info.traceback)
