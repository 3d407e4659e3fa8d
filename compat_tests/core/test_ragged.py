"""Differential tests of tf.RaggedTensor / tf.ragged / ragged tf.strings ops against real TF.

Each snippet runs under TF and tfjax; a RaggedTensor result is compared through its
to_list(), dtype, static shape, ragged_rank, row_splits dtype and repr.
"""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from _tfdiff import check  # noqa: E402


def desc(x):
    """A comparable description of a RaggedTensor / Tensor / container."""
    if isinstance(x, (list, tuple)):
        return type(x)(desc(e) for e in x)
    if type(x).__name__ == "RaggedTensor":
        return {"list": x.to_list(), "dtype": x.dtype.name, "shape": x.shape.as_list(),
                "ragged_rank": x.ragged_rank, "splits": x.row_splits.dtype.name, "repr": repr(x)}
    if hasattr(x, "numpy") and hasattr(x, "dtype"):
        v = np.asarray(x.numpy())
        return {"value": v.tolist() if v.dtype == object else v, "dtype": x.dtype.name, "shape": x.shape.as_list()}
    return x


def run(snippet):
    check(lambda tf: desc(snippet(tf)))


RT = [[1, 2], [], [3]]
RT3 = [[[1, 2], [3]], [[4]], []]
UNI = [[[1.0, 2.0]], [[3.0, 4.0], [5.0, 6.0]]]

CONSTANT = {
    "ints": lambda tf: tf.ragged.constant(RT),
    "floats": lambda tf: tf.ragged.constant([[0.1, 1 / 3], [2.5]]),
    "mixed_int_float": lambda tf: tf.ragged.constant([[1, 2.5], [3]]),
    "int64_literal": lambda tf: tf.ragged.constant([[2 ** 40], [3]]),
    "bool": lambda tf: tf.ragged.constant([[True], [False, True]]),
    "strings": lambda tf: tf.ragged.constant([["a", "b"], ["c"]]),
    "dtype": lambda tf: tf.ragged.constant(RT, dtype=tf.float32),
    "dtype_int64": lambda tf: tf.ragged.constant(RT, dtype=tf.int64),
    "row_splits_int32": lambda tf: tf.ragged.constant(RT, row_splits_dtype=tf.int32),
    "rank3": lambda tf: tf.ragged.constant(RT3),
    "rank3_uniform_inner": lambda tf: tf.ragged.constant(UNI, ragged_rank=1),
    "rank3_default_rr": lambda tf: tf.ragged.constant(UNI),
    "inner_shape": lambda tf: tf.ragged.constant([[[1, 2], [3, 4]], [[5, 6]]], inner_shape=(2,)),
    "empty_rows": lambda tf: tf.ragged.constant([[]]),
    "empty": lambda tf: tf.ragged.constant([]),
    "flat_list_is_dense": lambda tf: tf.ragged.constant([1, 2]),
    "scalar": lambda tf: tf.ragged.constant(5),
    "rectangular": lambda tf: tf.ragged.constant([[1, 2, 3]] * 3),
    "long_rows": lambda tf: tf.ragged.constant([list(range(30))] * 2 + [[1]]),
    "deep_repr": lambda tf: tf.ragged.constant([[[[1]]], [[[2]], [[3]]]]),
    "multiline_repr": lambda tf: tf.ragged.constant([[[1], [2]], [[3]], [[4], [5], [6]]]),
    # bad input
    "mixed_depth": lambda tf: tf.ragged.constant([[1, [2]]]),
    "mixed_types": lambda tf: tf.ragged.constant([[1, "a"]]),
    "float_to_int": lambda tf: tf.ragged.constant([[1, 2], [3.5]], dtype=tf.int32),
    "ragged_rank_too_big": lambda tf: tf.ragged.constant([[1, 2], [3]], ragged_rank=2),
    "inconsistent_inner": lambda tf: tf.ragged.constant([[[1, 2], [3]]], ragged_rank=1),
}


@pytest.mark.parametrize("name", sorted(CONSTANT))
def test_constant(name):
    run(CONSTANT[name])


FACTORIES = {
    "from_row_splits": lambda tf: tf.RaggedTensor.from_row_splits([1, 2, 3], [0, 1, 3]),
    "from_row_splits_int32": lambda tf: tf.RaggedTensor.from_row_splits([1, 2, 3], tf.constant([0, 1, 3])),
    "from_row_splits_bad_zero": lambda tf: tf.RaggedTensor.from_row_splits([1, 2, 3], [1, 2, 3]),
    "from_row_splits_bad_monotonic": lambda tf: tf.RaggedTensor.from_row_splits([1, 2, 3], [0, 2, 1]),
    "from_row_splits_bad_total": lambda tf: tf.RaggedTensor.from_row_splits([1, 2, 3], [0, 2, 4]),
    "from_row_splits_empty": lambda tf: tf.RaggedTensor.from_row_splits([1, 2, 3], []),
    "from_row_splits_rank2": lambda tf: tf.RaggedTensor.from_row_splits([1, 2, 3], [[0, 3]]),
    "from_row_splits_float": lambda tf: tf.RaggedTensor.from_row_splits([1.0, 2.0], [0, 2.0]),
    "from_row_lengths": lambda tf: tf.RaggedTensor.from_row_lengths([1, 2, 3], [2, 0, 1]),
    "from_row_lengths_bad_sum": lambda tf: tf.RaggedTensor.from_row_lengths([1, 2, 3], [1, 1]),
    "from_row_lengths_negative": lambda tf: tf.RaggedTensor.from_row_lengths([1, 2, 3], [4, -1]),
    "from_value_rowids": lambda tf: tf.RaggedTensor.from_value_rowids([1, 2, 3], [0, 2, 2], nrows=4),
    "from_value_rowids_default_nrows": lambda tf: tf.RaggedTensor.from_value_rowids([1, 2, 3], [0, 0, 2]),
    "from_value_rowids_unsorted": lambda tf: tf.RaggedTensor.from_value_rowids([1, 2, 3], [1, 0, 0]),
    "from_row_starts": lambda tf: tf.RaggedTensor.from_row_starts([1, 2, 3], [0, 2]),
    "from_row_limits": lambda tf: tf.RaggedTensor.from_row_limits([1, 2, 3], [2, 3]),
    "from_nested_row_splits": lambda tf: tf.RaggedTensor.from_nested_row_splits([1, 2, 3], [[0, 1, 2], [0, 2, 3]]),
    "from_nested_row_lengths": lambda tf: tf.RaggedTensor.from_nested_row_lengths([1, 2, 3], [[1, 1], [2, 1]]),
    "from_ragged_values": lambda tf: tf.RaggedTensor.from_row_splits(tf.ragged.constant([[1], [2]]), [0, 1, 2]),
    "from_uniform_row_length": lambda tf: tf.RaggedTensor.from_uniform_row_length([1, 2, 3, 4, 5, 6], 2),
    "from_tensor": lambda tf: tf.RaggedTensor.from_tensor([[1, 2], [3, 4]]),
    "from_tensor_padding": lambda tf: tf.RaggedTensor.from_tensor([[1, 0, 0], [2, 3, 0]], padding=0),
    "from_tensor_lengths": lambda tf: tf.RaggedTensor.from_tensor([[1, 0, 0], [2, 3, 0]], lengths=[1, 3]),
    "from_tensor_lengths_clamped": lambda tf: tf.RaggedTensor.from_tensor([[1, 2], [3, 4]], lengths=[1, 5]),
    "from_tensor_inner_padding": lambda tf: tf.RaggedTensor.from_tensor(
        [[[1, 0], [0, 0]], [[2, 3], [0, 0]]], padding=[0, 0]),
    "from_tensor_bad_padding_shape": lambda tf: tf.RaggedTensor.from_tensor(
        [[[1, 0], [0, 0]], [[2, 3], [0, 0]]], padding=0),
    "from_tensor_ragged_rank2": lambda tf: tf.RaggedTensor.from_tensor(
        [[[1, 0], [0, 0]], [[2, 3], [0, 0]]], ragged_rank=2, padding=0),
    "from_tensor_rank_too_small": lambda tf: tf.RaggedTensor.from_tensor([[1, 2], [3, 4]], ragged_rank=2),
    "from_tensor_both": lambda tf: tf.RaggedTensor.from_tensor([[1, 2]], lengths=[1], padding=0),
    "private_constructor": lambda tf: tf.RaggedTensor(tf.constant([1]), tf.constant([0, 1], tf.int64)),
}


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_factories(name):
    run(FACTORIES[name])


def _rt(tf):
    return tf.ragged.constant(RT)


ACCESSORS = {
    "values": lambda tf: _rt(tf).values,
    "flat_values": lambda tf: tf.ragged.constant(RT3).flat_values,
    "row_splits": lambda tf: _rt(tf).row_splits,
    "nested_row_splits": lambda tf: list(tf.ragged.constant(RT3).nested_row_splits),
    "row_lengths": lambda tf: _rt(tf).row_lengths(),
    "row_lengths_axis2": lambda tf: tf.ragged.constant(RT3).row_lengths(axis=2),
    "value_rowids": lambda tf: _rt(tf).value_rowids(),
    "nrows": lambda tf: _rt(tf).nrows(),
    "nrows_int32": lambda tf: _rt(tf).nrows(out_type=tf.int32),
    "row_starts_limits": lambda tf: [_rt(tf).row_starts(), _rt(tf).row_limits()],
    "bounding_shape": lambda tf: tf.ragged.constant(RT3).bounding_shape(),
    "bounding_shape_axis": lambda tf: _rt(tf).bounding_shape(axis=1),
    "to_tensor": lambda tf: _rt(tf).to_tensor(),
    "to_tensor_default": lambda tf: _rt(tf).to_tensor(default_value=9),
    "to_tensor_shape": lambda tf: _rt(tf).to_tensor(shape=[2, 3]),
    "to_tensor_shape_none": lambda tf: _rt(tf).to_tensor(shape=[None, 4]),
    "to_tensor_rank3": lambda tf: tf.ragged.constant(RT3).to_tensor(),
    "to_tensor_uniform_inner": lambda tf: tf.ragged.constant(UNI, ragged_rank=1).to_tensor(),
    "to_tensor_strings": lambda tf: tf.ragged.constant([["a", "b"], ["c"]]).to_tensor(),
    "to_list_floats": lambda tf: tf.ragged.constant([[0.1]]).to_list(),
    "numpy_rows": lambda tf: [r.tolist() for r in _rt(tf).numpy()],
    "with_values": lambda tf: _rt(tf).with_values(_rt(tf).values * 2),
    "with_flat_values": lambda tf: tf.ragged.constant(RT3).with_flat_values(tf.constant([1.0, 2, 3, 4])),
    "with_row_splits_dtype": lambda tf: _rt(tf).with_row_splits_dtype(tf.int32),
    "spec": lambda tf: repr(_rt(tf)._type_spec),
    "spec_ctor": lambda tf: repr(tf.RaggedTensorSpec([None, None], tf.string)),
    "spec_ctor_ragged_rank": lambda tf: repr(tf.RaggedTensorSpec([2, None, 3], tf.int32, ragged_rank=1)),
    "convert_to_tensor": lambda tf: tf.convert_to_tensor(_rt(tf)),
    "to_sparse": lambda tf: tf.sparse.to_dense(_rt(tf).to_sparse()),
    "len": lambda tf: len(_rt(tf)),
    "row_lengths_uniform_inner": lambda tf: tf.ragged.constant(UNI, ragged_rank=1).row_lengths(axis=2),
    "bounding_shape_int32": lambda tf: _rt(tf).bounding_shape(out_type=tf.int32),
    "from_tensor_row_lengths": lambda tf: tf.RaggedTensor.from_tensor([[1, 2], [3, 4]]).row_lengths(),
}


@pytest.mark.parametrize("name", sorted(ACCESSORS))
def test_accessors(name):
    run(ACCESSORS[name])


GETITEM = {
    "row": lambda tf: _rt(tf)[0],
    "row_negative": lambda tf: _rt(tf)[-1],
    "row_out_of_range": lambda tf: _rt(tf)[5],
    "slice": lambda tf: _rt(tf)[1:],
    "slice_step": lambda tf: _rt(tf)[::2],
    "inner_slice": lambda tf: _rt(tf)[:, 0:1],
    "inner_slice_negative": lambda tf: _rt(tf)[:, -1:],
    "ellipsis": lambda tf: _rt(tf)[..., :1],
    "inner_index": lambda tf: _rt(tf)[:, 0],
    "rank3_row_row": lambda tf: tf.ragged.constant(RT3)[0, 1],
    "rank3_row": lambda tf: tf.ragged.constant(RT3)[0],
    "uniform_inner_index": lambda tf: tf.ragged.constant(UNI, ragged_rank=1)[:, :, 0],
    "uniform_row_element": lambda tf: tf.ragged.constant(UNI, ragged_rank=1)[1, 0],
    "uniform_ellipsis": lambda tf: tf.ragged.constant(UNI, ragged_rank=1)[..., 1],
    "too_many_indices": lambda tf: _rt(tf)[:, :, 0],
    "bool_key": lambda tf: _rt(tf)[True],
    "row_then_out_of_range": lambda tf: _rt(tf)[0, 5],
    "slice_past_end": lambda tf: _rt(tf)[1:, 0:5],
    "rank3_inner_slices": lambda tf: tf.ragged.constant(RT3)[:, 1:],
    "rank3_innermost_slice": lambda tf: tf.ragged.constant(RT3)[:, :, :1],
    "rank3_slice_then_index": lambda tf: tf.ragged.constant(RT3)[1:, 0],
}


@pytest.mark.parametrize("name", sorted(GETITEM))
def test_getitem(name):
    run(GETITEM[name])


MATH = {
    "add_scalar": lambda tf: _rt(tf) + 1,
    "radd_scalar": lambda tf: 1 + _rt(tf),
    "mul_self": lambda tf: _rt(tf) * _rt(tf),
    "sub_ragged": lambda tf: _rt(tf) - tf.ragged.constant([[1, 1], [], [1]]),
    "div": lambda tf: _rt(tf) / 2,
    "floordiv": lambda tf: _rt(tf) // 2,
    "neg": lambda tf: -_rt(tf),
    "abs": lambda tf: abs(-_rt(tf)),
    "greater": lambda tf: _rt(tf) > 1,
    "eq": lambda tf: _rt(tf) == 1,
    "and": lambda tf: tf.ragged.constant([[True, False], [True]]) & tf.ragged.constant([[True, True], [False]]),
    "add_dense_column": lambda tf: _rt(tf) + tf.constant([[10], [30], [50]]),
    "add_dense_row": lambda tf: _rt(tf) + tf.constant([10]),
    "add_dense_incompatible": lambda tf: _rt(tf) + tf.constant([[10, 20], [30, 40], [50, 60]]),
    "add_ragged_mismatch": lambda tf: _rt(tf) + tf.ragged.constant([[1], [2, 3], [3]]),
    "add_uniform_inner": lambda tf: tf.ragged.constant(UNI, ragged_rank=1) + tf.constant([1.0, 2.0]),
    "cast": lambda tf: tf.cast(_rt(tf), tf.float32),
    "tf_exp": lambda tf: tf.exp(_f(tf)),
    "tf_sqrt_abs": lambda tf: tf.math.sqrt(tf.abs(-_f(tf))),
    "tf_nn_relu": lambda tf: tf.nn.relu(_f(tf) - 2.0),
    "tf_maximum": lambda tf: tf.maximum(_f(tf), 1.5),
    "tf_add": lambda tf: tf.add(_rt(tf), 1),
    "tf_squared_difference": lambda tf: tf.math.squared_difference(_f(tf), _f(tf) * 2.0),
    "tf_log_int_raises": lambda tf: tf.math.log(_rt(tf)),
    "pow": lambda tf: tf.ragged.constant([[1.0, 2.0], [3.0]]) ** 2,
    "rsub": lambda tf: 2 - tf.ragged.constant([[1.0, 2.0], [3.0]]),
    "ne": lambda tf: _rt(tf) != 1,
    "eq_none": lambda tf: _rt(tf) == None,  # noqa: E711
    "dtype_mismatch": lambda tf: _rt(tf) + tf.constant(1, tf.int64),
    "ones_like": lambda tf: tf.ones_like(_rt(tf)),
    "zeros_like_dtype": lambda tf: tf.zeros_like(_rt(tf), dtype=tf.float32),
    "map_flat_values": lambda tf: tf.ragged.map_flat_values(tf.add, _rt(tf), _rt(tf)),
    "map_flat_values_dense_arg": lambda tf: tf.ragged.map_flat_values(tf.multiply, _rt(tf), 3),
    "map_flat_values_mismatch": lambda tf: tf.ragged.map_flat_values(
        tf.add, _rt(tf), tf.ragged.constant([[1], [2, 3], [3]])),
    "map_flat_values_bad_output": lambda tf: tf.ragged.map_flat_values(lambda v: v[:1], _rt(tf)),
}


@pytest.mark.parametrize("name", sorted(MATH))
def test_math(name):
    run(MATH[name])


def _f(tf):
    return tf.ragged.constant([[1.0, 2.0], [], [3.0]])


REDUCE = {
    "sum_axis1": lambda tf: tf.reduce_sum(_rt(tf), axis=1),
    "sum_axis0": lambda tf: tf.reduce_sum(_rt(tf), axis=0),
    "sum_all": lambda tf: tf.reduce_sum(_rt(tf)),
    "sum_keepdims": lambda tf: tf.reduce_sum(_rt(tf), axis=1, keepdims=True),
    "sum_negative_axis": lambda tf: tf.reduce_sum(_rt(tf), axis=-1),
    "mean_float": lambda tf: tf.reduce_mean(tf.ragged.constant([[1.0, 2.0], [3.0]]), axis=1),
    "mean_int_is_float64": lambda tf: tf.reduce_mean(tf.ragged.constant([[1, 2], [3]]), axis=1),
    "mean_all": lambda tf: tf.reduce_mean(_rt(tf)),
    "mean_axis0": lambda tf: tf.reduce_mean(_f(tf), axis=0),
    "max_empty_row_int": lambda tf: tf.reduce_max(_rt(tf), axis=1),
    "min_empty_row_float": lambda tf: tf.reduce_min(_f(tf), axis=1),
    "max_empty_row_float": lambda tf: tf.reduce_max(_f(tf), axis=1),
    "prod": lambda tf: tf.reduce_prod(_rt(tf), axis=1),
    "any": lambda tf: tf.reduce_any(tf.ragged.constant([[True, False], [], [True]]), axis=1),
    "all": lambda tf: tf.reduce_all(tf.ragged.constant([[True, False], [], [True]]), axis=1),
    "rank3_axis0": lambda tf: tf.reduce_sum(tf.ragged.constant(RT3), axis=0),
    "rank3_axis1": lambda tf: tf.reduce_sum(tf.ragged.constant(RT3), axis=1),
    "rank3_axis2": lambda tf: tf.reduce_sum(tf.ragged.constant(RT3), axis=2),
    "rank3_axes12": lambda tf: tf.reduce_sum(tf.ragged.constant(RT3), axis=(1, 2)),
    "rank3_empty_inner": lambda tf: tf.reduce_sum(tf.ragged.constant([[[1, 2], []], [[]]]), axis=0),
    "uniform_axis0": lambda tf: tf.reduce_max(tf.ragged.constant(UNI, ragged_rank=1), axis=0),
    "uniform_axis1": lambda tf: tf.reduce_max(tf.ragged.constant(UNI, ragged_rank=1), axis=1),
    "uniform_axis2": lambda tf: tf.reduce_max(tf.ragged.constant(UNI, ragged_rank=1), axis=2),
    "uniform_axes01": lambda tf: tf.reduce_max(tf.ragged.constant(UNI, ragged_rank=1), axis=(0, 1)),
    "bad_axis": lambda tf: tf.reduce_sum(_rt(tf), axis=2),
}


@pytest.mark.parametrize("name", sorted(REDUCE))
def test_reduce(name):
    run(REDUCE[name])


CONCAT = {
    "concat0": lambda tf: tf.concat([_rt(tf), _rt(tf)], axis=0),
    "concat1": lambda tf: tf.concat([_rt(tf), _rt(tf)], axis=1),
    "concat_dense": lambda tf: tf.concat([_rt(tf), tf.constant([[7, 8]])], axis=0),
    "concat_dtype_mismatch": lambda tf: tf.concat([_rt(tf), tf.ragged.constant([[1.0]])], axis=0),
    "concat_negative_axis": lambda tf: tf.concat([_rt(tf), _rt(tf)], axis=-1),
    "concat_rank3": lambda tf: tf.concat([tf.ragged.constant(RT3), tf.ragged.constant(RT3)], axis=0),
    "stack": lambda tf: tf.stack([_rt(tf), _rt(tf)], axis=0),
    "ragged_stack": lambda tf: tf.ragged.stack([_rt(tf), tf.ragged.constant([[5]])]),
    "ragged_range": lambda tf: tf.ragged.range([0, 2], [3, 3]),
    "ragged_range_deltas": lambda tf: tf.ragged.range([0, 5], [4, 0], [2, -2]),
    "ragged_range_float": lambda tf: tf.ragged.range([0.0], [1.0], 0.5),
    "boolean_mask_dense": lambda tf: tf.ragged.boolean_mask([[1, 2, 3], [4, 5, 6]], [[True, False, True], [False, False, True]]),
    "boolean_mask_rows": lambda tf: tf.ragged.boolean_mask(tf.ragged.constant([[1, 2, 3], [], [4]]), [True, False, True]),
    "boolean_mask_ragged": lambda tf: tf.ragged.boolean_mask(tf.ragged.constant([[1, 2, 3], [], [4]]),
                                                             tf.ragged.constant([[True, False, True], [], [False]])),
    "boolean_mask_ragged_rank2": lambda tf: tf.ragged.boolean_mask(tf.ragged.constant([[[1], [2, 3]], [[4]]]),
                                                                   tf.ragged.constant([[True, False], [True]])),
    "boolean_mask_inner_dims": lambda tf: tf.ragged.boolean_mask([[[1, 2], [3, 4]], [[5, 6], [7, 8]]],
                                                                 [[True, False], [True, True]]),
    "boolean_mask_not_bool": lambda tf: tf.ragged.boolean_mask([1, 2], [1, 0]),
    "boolean_mask_bad_splits": lambda tf: tf.ragged.boolean_mask(tf.ragged.constant([[1, 2, 3], [], [4]]),
                                                                 tf.ragged.constant([[True, False], [True], [False]])),
    "row_splits_to_segment_ids": lambda tf: tf.ragged.row_splits_to_segment_ids([0, 2, 2, 3]),
    "segment_ids_to_row_splits": lambda tf: tf.ragged.segment_ids_to_row_splits([0, 0, 2]),
}


@pytest.mark.parametrize("name", sorted(CONCAT))
def test_concat_stack_utils(name):
    run(CONCAT[name])


STRINGS = {
    "split_1d": lambda tf: tf.strings.split(["a b", "c"]),
    "split_2d": lambda tf: tf.strings.split([["a b", "c"], ["d", ""]]),
    "split_scalar": lambda tf: tf.strings.split("a b c"),
    "split_sep": lambda tf: tf.strings.split(["a,b,,c", ""], sep=","),
    "split_maxsplit": lambda tf: tf.strings.split(["a  b c"], maxsplit=1),
    "split_empty": lambda tf: tf.strings.split(tf.constant([], tf.string)),
    "split_ragged": lambda tf: tf.strings.split(tf.ragged.constant([["a b"], []])),
    "split_not_strings": lambda tf: tf.strings.split([1, 2]),
    "bytes_split": lambda tf: tf.strings.bytes_split(["ab", "c"]),
    "unicode_decode_batched": lambda tf: tf.strings.unicode_decode([["hé"], ["x"]], "UTF-8"),
    "unicode_decode_1d": lambda tf: tf.strings.unicode_decode(["héllo", "hi"], "UTF-8"),
    "unicode_decode_scalar": lambda tf: tf.strings.unicode_decode("hé", "UTF-8"),
    "unicode_split": lambda tf: tf.strings.unicode_split(["hé", "x"], "UTF-8"),
    "split_then_to_tensor": lambda tf: tf.strings.split(["a b c", "d"]).to_tensor(default_value="<pad>"),
}


@pytest.mark.parametrize("name", sorted(STRINGS))
def test_strings(name):
    run(STRINGS[name])


def test_gradient_through_ragged_ops():
    def snippet(tf):
        v = tf.Variable([1.0, 2.0, 3.0, 4.0])
        with tf.GradientTape() as t:
            rt = tf.RaggedTensor.from_row_splits(v * 1.0, [0, 3, 3, 4])
            a = tf.reduce_sum(tf.reduce_max(rt, axis=1) * tf.constant([1.0, 0.0, 2.0]))
            b = tf.reduce_sum(rt.to_tensor() ** 2)
            c = tf.reduce_sum(tf.reduce_mean(rt * rt, axis=0))
            d = tf.reduce_sum(rt[0] * 3.0)
            y = a + b + c + d
        return t.gradient(y, v)
    check(snippet)


def test_gradient_from_tensor():
    def snippet(tf):
        x = tf.constant([[1.0, 2.0, 0.0], [3.0, 0.0, 0.0]])
        with tf.GradientTape() as t:
            t.watch(x)
            rt = tf.RaggedTensor.from_tensor(x, padding=0.0)
            y = tf.reduce_sum(tf.reduce_sum(rt, axis=1) ** 2)
        return t.gradient(y, x)
    check(snippet)
