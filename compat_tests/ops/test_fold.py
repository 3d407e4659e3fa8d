"""tf.foldl / tf.foldr (values, structures, errors, gradients) and tf.gradients, against real TF."""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from _tfdiff import check  # noqa: E402

X = np.array([1.0, 2.0, 3.0, 0.5], np.float32)


def _both(tf, fold):
    """The same fold eagerly and under tf.function."""
    return [fold(tf), tf.function(lambda: fold(tf))()]


CASES = {
    "foldl_sum": lambda tf: tf.foldl(lambda a, x: a + x, tf.constant([1, 2, 3])),
    "foldl_order": lambda tf: tf.foldl(lambda a, x: a * 10 + x, tf.constant([1, 2, 3])),
    "foldr_order": lambda tf: tf.foldr(lambda a, x: a * 10 + x, tf.constant([1, 2, 3])),
    "foldl_initializer": lambda tf: tf.foldl(lambda a, x: a - x, tf.constant([1.0, 2.0]), initializer=tf.constant(10.0)),
    "foldr_initializer": lambda tf: tf.foldr(lambda a, x: a / x, tf.constant([1.0, 2.0, 4.0]), initializer=tf.constant(8.0)),
    "foldl_nested_elems": lambda tf: tf.foldl(lambda a, x: a + x[0] * x[1],
                                              (tf.constant([1.0, 2, 3]), tf.constant([4.0, 5, 6])),
                                              initializer=tf.constant(0.0)),
    "foldl_nested_acc": lambda tf: tf.foldl(lambda a, x: (a[0] + x, a[1] * x), tf.constant([1, 2, 3]),
                                            initializer=(0, 1)),
    "foldr_dict": lambda tf: tf.foldr(lambda a, x: {"s": a["s"] + x["u"]}, {"u": tf.constant([1.0, 2.0])},
                                      initializer={"s": tf.constant(0.0)}),
    "foldl_matrix_rows": lambda tf: tf.foldl(lambda a, x: a + x, tf.reshape(tf.range(6.0), [3, 2])),
    "foldl_kwargs": lambda tf: tf.foldl(lambda a, x: a + x, tf.constant([1, 2]), parallel_iterations=1,
                                        back_prop=False, swap_memory=True),
    "foldl_empty": lambda tf: tf.foldl(lambda a, x: a + x, tf.constant([], tf.int32)),
    "foldl_empty_with_init": lambda tf: tf.foldl(lambda a, x: a + x, tf.constant([], tf.int32), initializer=7),
    "foldl_mismatched_elems": lambda tf: tf.foldl(lambda a, x: a + x[0],
                                                  (tf.constant([1, 2]), tf.constant([1, 2, 3])), initializer=0),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_fold_eager(name):
    check(CASES[name])


TRACED = ["foldl_sum", "foldl_order", "foldr_order", "foldl_initializer", "foldr_initializer",
          "foldl_nested_elems", "foldl_nested_acc", "foldr_dict", "foldl_matrix_rows"]


@pytest.mark.parametrize("name", TRACED)
def test_fold_in_tf_function(name):
    check(lambda tf: tf.function(lambda: CASES[name](tf))())


def _grad(fold, traced):
    def snippet(tf):
        v = tf.Variable(X)
        w = tf.Variable(0.7)

        def step():
            with tf.GradientTape() as t:
                y = fold(tf, v, w)
            return t.gradient(y, [v, w])
        return tf.function(step)() if traced else step()
    return snippet


GRADS = {
    "foldl": lambda tf, v, w: tf.foldl(lambda a, x: a * x + tf.sin(a) * w, v, initializer=tf.constant(0.5)),
    "foldr": lambda tf, v, w: tf.foldr(lambda a, x: a * x + tf.sin(a) * w, v, initializer=tf.constant(0.5)),
    "foldl_no_init": lambda tf, v, w: tf.foldl(lambda a, x: a * x + w, v),
    "foldr_no_init": lambda tf, v, w: tf.foldr(lambda a, x: a * tf.cos(x) - w, v),
    "foldl_tuple_acc": lambda tf, v, w: tf.reduce_sum(tf.stack(tf.foldl(
        lambda a, x: (a[0] + x * w, a[1] * x), v, initializer=(tf.constant(0.0), tf.constant(1.0))))),
}


@pytest.mark.parametrize("traced", [False, True], ids=["eager", "tf_function"])
@pytest.mark.parametrize("name", sorted(GRADS))
def test_fold_gradients(name, traced):
    check(_grad(GRADS[name], traced), rtol=1e-4, atol=1e-5)


def test_gradients_eager_raises_runtime_error():
    a, _ = check(lambda tf: tf.gradients(tf.constant(1.0), tf.constant(2.0)), expect_raise="RuntimeError")
    import tfjax
    with pytest.raises(RuntimeError, match="tf.gradients is not supported when eager execution is enabled"):
        tfjax.gradients(tfjax.constant(1.0), tfjax.constant(2.0))


def test_gradients_inside_tf_function_is_a_clear_tfjax_error():
    import tfjax
    from tfjax._src.errors import UnsupportedError

    @tfjax.function
    def f(x):
        return tfjax.gradients(x * 2.0, x)

    with pytest.raises(UnsupportedError, match=r"tf\.gradients.*GradientTape"):
        f(tfjax.constant(1.0))
