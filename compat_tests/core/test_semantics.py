"""Differential checks of the core dtype/shape/variable rules against real TensorFlow.

Each case runs the same expression with TF and with tfjax and compares the
outcome: dtype, shape and values, or the exception class.
"""

import numpy as np
import pytest

tf_real = pytest.importorskip("tensorflow")
import tfjax as tfx  # noqa: E402


def outcome(fn, tf):
    try:
        r = fn(tf)
    except Exception as e:  # noqa: BLE001 - the exception class is the outcome
        return ("raises", type(e).__name__)
    if isinstance(r, (tf.Tensor, tf.Variable)):
        return ("tensor", r.dtype.name, tuple(r.shape.as_list()), np.asarray(r).tolist())
    return ("value", r)


CASES = {
    "int_literal": lambda tf: tf.constant(1),
    "float_literal": lambda tf: tf.constant(1.0),
    "big_int_literal": lambda tf: tf.constant(2**40),
    "mixed_list": lambda tf: tf.constant([1, 2.5]),
    "numpy_int64": lambda tf: tf.constant(np.array([1, 2])),
    "numpy_float64": lambda tf: tf.constant(np.float64(1.5)),
    "bool_literal": lambda tf: tf.constant([True, False]),
    "empty_list": lambda tf: tf.constant([]),
    "constant_with_dtype": lambda tf: tf.constant([1, 2], dtype=tf.float32),
    "constant_float_to_int": lambda tf: tf.constant(1.5, dtype=tf.int32),
    "constant_numpy_float_to_int": lambda tf: tf.constant(np.array([1.7, -1.7]), dtype=tf.int32),
    "constant_shape_fill": lambda tf: tf.constant(7, shape=[2, 3]),
    "int_plus_float_tensors": lambda tf: tf.constant([1, 2]) + tf.constant([1.0, 2.0]),
    "f32_plus_f64": lambda tf: tf.constant([1.0]) + tf.constant([1.0], dtype=tf.float64),
    "int_plus_python_float": lambda tf: tf.constant([1, 2]) + 1.5,
    "float_plus_python_int": lambda tf: tf.constant([1.0, 2.0]) + 1,
    "float_plus_np_float64": lambda tf: tf.constant([1.0, 2.0]) + np.float64(1.0),
    "float_plus_np_array_f64": lambda tf: tf.constant([1.0, 2.0]) + np.array([1.0, 2.0]),
    "int_plus_np_array_f64": lambda tf: tf.constant([1, 2]) + np.array([1.5, 2.5]),
    "radd_python": lambda tf: 1 + tf.constant([1.0, 2.0]),
    "rsub_numpy": lambda tf: np.array([1.0, 2.0], np.float32) - tf.constant([1.0, 2.0]),
    "int32_div": lambda tf: tf.constant([1, 2]) / tf.constant([2, 2]),
    "int8_div": lambda tf: tf.constant([1, 2], tf.int8) / tf.constant([2, 2], tf.int8),
    "floordiv_neg": lambda tf: tf.constant([-7]) // 2,
    "floormod_neg": lambda tf: tf.constant([-7]) % 2,
    "int_floordiv_zero": lambda tf: tf.constant([1]) // 0,
    "int_mod_zero": lambda tf: tf.constant([1]) % 0,
    "float_div_zero": lambda tf: tf.constant([1.0]) / 0.0,
    "int_pow_neg": lambda tf: tf.constant([2]) ** -1,
    "shape_dtype": lambda tf: tf.shape(tf.zeros([2, 3])),
    "size_dtype": lambda tf: tf.size(tf.zeros([2, 3])),
    "rank_dtype": lambda tf: tf.rank(tf.zeros([2, 3])),
    "range_int": lambda tf: tf.range(5),
    "range_float": lambda tf: tf.range(0.0, 1.0, 0.25),
    "argmax_dtype": lambda tf: tf.argmax(tf.constant([1.0, 3.0, 2.0])),
    "int_mean": lambda tf: tf.reduce_mean(tf.constant([1, 2])),
    "cast_truncates": lambda tf: tf.cast(tf.constant([-3.7, 3.7]), tf.int32),
    "round_half_even": lambda tf: tf.round(tf.constant([0.5, 1.5, 2.5, -0.5])),
    "reshape_bad": lambda tf: tf.reshape(tf.zeros([2, 3]), [4]),
    "reshape_infer": lambda tf: tf.reshape(tf.zeros([2, 3]), [-1, 2]),
    "matmul_mismatch": lambda tf: tf.matmul(tf.zeros([2, 3]), tf.zeros([2, 3])),
    "broadcast_mismatch": lambda tf: tf.zeros([2, 3]) + tf.zeros([4]),
    "gather_oob": lambda tf: tf.gather(tf.constant([1, 2, 3]), [5]),
    "getitem_oob": lambda tf: tf.constant([1, 2, 3])[5],
    "getitem_neg": lambda tf: tf.constant([1, 2, 3])[-1],
    "getitem_strided": lambda tf: tf.reshape(tf.range(24), [2, 3, 4])[:, ::2, 1:3],
    "getitem_ellipsis_newaxis": lambda tf: tf.reshape(tf.range(24), [2, 3, 4])[..., tf.newaxis, 0],
    "getitem_reverse": lambda tf: tf.range(5)[::-1],
    "getitem_list_index": lambda tf: tf.range(5)[[0, 1]],
    "bool_of_vector": lambda tf: bool(tf.constant([1, 2])),
    "bool_of_scalar": lambda tf: bool(tf.constant(0)),
    "len_of_tensor": lambda tf: len(tf.zeros([3, 2])),
    "len_of_scalar": lambda tf: len(tf.constant(1)),
    "index_of_tensor": lambda tf: [10, 20, 30][tf.constant(1)],
    "eq_elementwise": lambda tf: tf.constant([1, 2]) == tf.constant([1, 3]),
    "eq_none": lambda tf: tf.constant([1, 2]) == None,  # noqa: E711 - TF semantics under test
    "hash_tensor": lambda tf: hash(tf.constant(1)),
    "dtype_eq_numpy": lambda tf: tf.float32 == np.float32,
    "dtype_eq_string": lambda tf: tf.float32 == "float32",
    "dtype_properties": lambda tf: (tf.int32.is_integer, tf.float16.is_floating, tf.int8.max, tf.uint8.min),
    "concat_dtype_mismatch": lambda tf: tf.concat([tf.constant([1]), tf.constant([1.0])], 0),
    "stack_shapes": lambda tf: tf.stack([tf.zeros([2]), tf.zeros([2])], axis=1),
    "convert_python_float_int": lambda tf: tf.convert_to_tensor(1.5, tf.int32),
    "convert_tensor_dtype": lambda tf: tf.convert_to_tensor(tf.constant([1]), tf.float32),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_tensorflow(name):
    fn = CASES[name]
    assert outcome(fn, tfx) == outcome(fn, tf_real)


SHAPE_CASES = {
    "as_list": lambda tf: tf.TensorShape([None, 3]).as_list(),
    "rank": lambda tf: tf.TensorShape([None, 3]).rank,
    "unknown_rank": lambda tf: tf.TensorShape(None).rank,
    "merge": lambda tf: tf.TensorShape([None, 3]).merge_with([2, None]).as_list(),
    "merge_bad": lambda tf: tf.TensorShape([1, 3]).merge_with([2, 3]),
    "compatible": lambda tf: tf.TensorShape([None, 3]).is_compatible_with([5, 3]),
    "incompatible": lambda tf: tf.TensorShape([None, 3]).is_compatible_with([5, 4]),
    "index": lambda tf: tf.TensorShape([None, 3])[1],
    "slice": lambda tf: tf.TensorShape([1, 2, 3])[1:].as_list(),
    "str": lambda tf: str(tf.TensorShape([None, 3])),
    "repr": lambda tf: repr(tf.TensorShape([None, 3])),
    "eq_list": lambda tf: tf.TensorShape([1, 2]) == [1, 2],
    "num_elements": lambda tf: tf.TensorShape([2, 3]).num_elements(),
    "fully_defined": lambda tf: tf.TensorShape([None, 3]).is_fully_defined(),
    "concatenate": lambda tf: tf.TensorShape([1]).concatenate([2, 3]).as_list(),
    "tensor_shape_type": lambda tf: type(tf.zeros([2]).shape).__name__,
}


@pytest.mark.parametrize("name", sorted(SHAPE_CASES))
def test_tensor_shape_matches(name):
    fn = SHAPE_CASES[name]
    assert outcome(fn, tfx) == outcome(fn, tf_real)


def _var_ops(tf):
    v = tf.Variable([1.0, 2.0], name="w")
    out = [v.name, v.dtype.name, v.shape.as_list(), v.trainable]
    v.assign([3.0, 4.0])
    v.assign_add([1.0, 1.0])
    v.assign_sub([0.5, 0.5])
    out.append(v.numpy().tolist())
    v[0].assign(9.0)
    out.append(v.numpy().tolist())
    out.append((v * 2).numpy().tolist())
    out.append(tf.Variable(1).trainable)
    snapshot = v.read_value()
    v.assign([0.0, 0.0])
    out.append(snapshot.numpy().tolist())
    return out


VAR_CASES = {
    "ops": _var_ops,
    "assign_shape_mismatch": lambda tf: tf.Variable([1.0, 2.0]).assign([1.0, 2.0, 3.0]),
    "assign_dtype_mismatch": lambda tf: tf.Variable([1.0, 2.0]).assign(tf.constant([1, 2])),
    "assign_python_int": lambda tf: tf.Variable([1.0, 2.0]).assign([1, 2]).numpy().tolist(),
    "hash_variable": lambda tf: hash(tf.Variable(1.0)),
    "scatter_nd_update": lambda tf: tf.Variable([1, 2, 3, 4]).scatter_nd_update([[1], [3]], [9, 10]).numpy().tolist(),
    "module_tracking": lambda tf: sorted(v.name for v in _module(tf).trainable_variables),
}


def _module(tf):
    class Inner(tf.Module):
        def __init__(self):
            super().__init__()
            self.w = tf.Variable(1.0, name="w")
            self.frozen = tf.Variable(2.0, name="frozen", trainable=False)

    class Outer(tf.Module):
        def __init__(self):
            super().__init__()
            self.inner = Inner()
            self.layers = [tf.Variable(3.0, name="b")]

    return Outer()


@pytest.mark.parametrize("name", sorted(VAR_CASES))
def test_variable_matches(name):
    fn = VAR_CASES[name]
    assert outcome(fn, tfx) == outcome(fn, tf_real)


PRINT_CASES = {
    "repr_f32_scalar": lambda tf: repr(tf.constant(0.1)),
    "repr_int_scalar": lambda tf: repr(tf.constant(3)),
    "repr_bool": lambda tf: repr(tf.constant(True)),
    "repr_vector": lambda tf: repr(tf.constant([0.1, 2.0])),
    "repr_matrix": lambda tf: repr(tf.constant([[1.5, 2], [3, 4]])),
    "repr_matrix_variable": lambda tf: repr(tf.Variable([[1, 2], [3, 4]], name="m")),
    "str_scalar": lambda tf: str(tf.constant(0.1)),
    "str_matrix": lambda tf: str(tf.constant([[1.5, 2], [3, 4]])),
    "repr_string": lambda tf: repr(tf.constant("ab")),
    "str_strings": lambda tf: str(tf.constant(["a", "b"])),
    "repr_variable": lambda tf: repr(tf.Variable(0.1)),
    "repr_named_variable": lambda tf: repr(tf.Variable([1, 2], name="v")),
    "str_dtype": lambda tf: str(tf.float32),
    "repr_dtype": lambda tf: repr(tf.int64),
    "format_scalar": lambda tf: f"{tf.constant(0.123456):.3f}",
    "tensor_array": lambda tf: tf.TensorArray(tf.float32, size=2).write(0, [1.0]).write(1, [2.0]).stack().numpy().tolist(),
    "tensor_array_dynamic": lambda tf: tf.TensorArray(tf.int32, size=0, dynamic_size=True).write(0, 5).write(1, 6).stack().numpy().tolist(),
    "tensor_array_oob": lambda tf: tf.TensorArray(tf.float32, size=1).write(3, 1.0),
}


@pytest.mark.parametrize("name", sorted(PRINT_CASES))
def test_printing_matches(name):
    fn = PRINT_CASES[name]
    assert outcome(fn, tfx) == outcome(fn, tf_real)
