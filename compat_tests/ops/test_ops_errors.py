"""Exception classes (and a few messages) must match TF: dtype mismatches, out-of-range
indices, bad shapes, invalid arguments. One row per case: (id, snippet, expected TF class)."""

from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from _tfdiff import check  # noqa: E402

f32 = lambda tf, v: tf.constant(v, tf.float32)  # noqa: E731
i32 = lambda tf, v: tf.constant(v, tf.int32)  # noqa: E731

CASES = [
    # dtype mismatches / kernel dtype restrictions
    ("add_dtype_mismatch", lambda tf: tf.add(f32(tf, 1.0), i32(tf, 1)), "InvalidArgumentError"),
    ("operator_dtype_mismatch", lambda tf: f32(tf, [1.0]) * i32(tf, [1]), "InvalidArgumentError"),
    ("int_plus_float_literal", lambda tf: i32(tf, 1) + 1.5, "InvalidArgumentError"),
    ("add_bool", lambda tf: tf.add(True, False), "InvalidArgumentError"),
    ("matmul_dtype", lambda tf: tf.matmul(f32(tf, [[1.0]]), tf.constant([[1.0]], tf.float64)), "InvalidArgumentError"),
    ("exp_int", lambda tf: tf.math.exp(i32(tf, 1)), "InvalidArgumentError"),
    ("sqrt_int", lambda tf: tf.math.sqrt(i32(tf, 4)), "InvalidArgumentError"),
    ("floor_int", lambda tf: tf.math.floor(i32(tf, 4)), "InvalidArgumentError"),
    ("negative_uint8", lambda tf: tf.math.negative(tf.constant(1, tf.uint8)), "InvalidArgumentError"),
    ("maximum_bool", lambda tf: tf.math.maximum(True, False), "InvalidArgumentError"),
    ("reduce_sum_bool", lambda tf: tf.reduce_sum(tf.constant([True])), "InvalidArgumentError"),
    ("reduce_max_bool", lambda tf: tf.reduce_max(tf.constant([True])), "InvalidArgumentError"),
    ("reduce_variance_int", lambda tf: tf.math.reduce_variance(i32(tf, [1, 2])), "TypeError"),
    ("sigmoid_int", lambda tf: tf.math.sigmoid(1), "InvalidArgumentError"),
    ("concat_dtype", lambda tf: tf.concat([f32(tf, [1.0]), i32(tf, [1])], 0), "InvalidArgumentError"),
    ("where_xy_dtype", lambda tf: tf.where([True], f32(tf, [1.0]), i32(tf, [1])), "InvalidArgumentError"),
    ("bitwise_float", lambda tf: tf.bitwise.bitwise_and(f32(tf, 1.0), f32(tf, 1.0)), "InvalidArgumentError"),
    ("conv2d_dtype", lambda tf: tf.nn.conv2d(tf.zeros([1, 3, 3, 1]), tf.zeros([1, 1, 1, 1], tf.float64), 1, "SAME"), "InvalidArgumentError"),
    # integer division by zero
    ("floordiv_zero", lambda tf: i32(tf, 7) // 0, "InvalidArgumentError"),
    ("floormod_zero", lambda tf: tf.math.floormod(i32(tf, 7), i32(tf, 0)), "InvalidArgumentError"),
    ("truncatediv_zero", lambda tf: tf.truncatediv(i32(tf, 7), i32(tf, 0)), "InternalError"),
    ("int_pow_negative", lambda tf: tf.pow(i32(tf, 2), i32(tf, -1)), "InvalidArgumentError"),
    # out-of-range indices
    ("gather_oob", lambda tf: tf.gather([1, 2], [5]), "InvalidArgumentError"),
    ("gather_negative", lambda tf: tf.gather([1, 2], [-1]), "InvalidArgumentError"),
    ("gather_nd_oob", lambda tf: tf.gather_nd([[1, 2]], [[1, 0]]), "InvalidArgumentError"),
    ("getitem_oob", lambda tf: tf.constant([1, 2])[5], "InvalidArgumentError"),
    ("scatter_nd_oob", lambda tf: tf.scatter_nd([[7]], [1.0], [4]), "InvalidArgumentError"),
    ("tensor_scatter_oob", lambda tf: tf.tensor_scatter_nd_update(tf.zeros([3]), [[3]], [1.0]), "InvalidArgumentError"),
    ("embedding_oob", lambda tf: tf.nn.embedding_lookup(tf.zeros([3, 2]), [3]), "InvalidArgumentError"),
    ("sparse_xent_bad_label", lambda tf: tf.nn.sparse_softmax_cross_entropy_with_logits([5], [[1.0, 2.0, 3.0]]), "InvalidArgumentError"),
    ("sparse_xent_rank", lambda tf: tf.nn.sparse_softmax_cross_entropy_with_logits([1], [1.0, 2.0, 3.0]), "ValueError"),
    ("sigmoid_xent_shape", lambda tf: tf.nn.sigmoid_cross_entropy_with_logits(labels=[1.0], logits=[1.0, 2.0]), "ValueError"),
    ("unsorted_segment_oob", lambda tf: tf.math.unsorted_segment_sum([1, 2, 3], [0, 0, 5], 4), "InvalidArgumentError"),
    ("segment_not_sorted", lambda tf: tf.math.segment_sum([1, 2, 3], [0, 1, 0]), "InvalidArgumentError"),
    ("one_hot_float_indices", lambda tf: tf.one_hot([1.0], 3), "InvalidArgumentError"),
    ("unravel_oob", lambda tf: tf.unravel_index([12], [3, 4]), "InvalidArgumentError"),
    # bad shapes / arguments
    ("reshape_bad", lambda tf: tf.reshape(tf.zeros([6]), [4, -1]), "InvalidArgumentError"),
    ("reshape_two_unknown", lambda tf: tf.reshape(tf.zeros([6]), [-1, -1]), "InvalidArgumentError"),
    ("matmul_inner", lambda tf: tf.matmul(tf.zeros([2, 3]), tf.zeros([2, 3])), "InvalidArgumentError"),
    ("split_uneven", lambda tf: tf.split(tf.zeros([4]), 3), "InvalidArgumentError"),
    ("tile_bad_len", lambda tf: tf.tile(tf.zeros([2, 2]), [2]), "InvalidArgumentError"),
    ("reflect_pad_too_big", lambda tf: tf.pad([[1, 2]], [[0, 0], [2, 2]], "REFLECT"), "InvalidArgumentError"),
    ("reduce_bad_axis", lambda tf: tf.reduce_sum([1, 2], axis=2), "InvalidArgumentError"),
    ("argmax_bad_axis", lambda tf: tf.math.argmax([1.0, 2.0], axis=1), "InvalidArgumentError"),
    ("top_k_too_big", lambda tf: tf.math.top_k([1, 3, 2], k=5), "InvalidArgumentError"),
    ("broadcast_to_bad", lambda tf: tf.broadcast_to([1, 2, 3], [2, 2]), "InvalidArgumentError"),
    ("inv_singular", lambda tf: tf.linalg.inv([[1.0, 2.0], [2.0, 4.0]]), "InvalidArgumentError"),
    ("inv_not_square", lambda tf: tf.linalg.inv(tf.zeros([2, 3])), "InvalidArgumentError"),
    ("squeeze_non_one", lambda tf: tf.squeeze(tf.zeros([2, 3]), axis=0), "InvalidArgumentError"),
    ("expand_dims_bad", lambda tf: tf.expand_dims(tf.zeros([2]), 3), "InvalidArgumentError"),
    ("transpose_bad_perm", lambda tf: tf.transpose(tf.zeros([2, 3]), [0, 0]), "InvalidArgumentError"),
    ("stack_shapes", lambda tf: tf.stack([tf.zeros([2]), tf.zeros([3])]), "InvalidArgumentError"),
    ("uniform_int_no_max", lambda tf: tf.random.uniform([2], dtype=tf.int32), "ValueError"),
    ("dropout_rate", lambda tf: tf.nn.dropout(tf.ones([2]), 1.5), "ValueError"),
    ("dropout_int", lambda tf: tf.nn.dropout(tf.ones([2], tf.int32), 0.5), "ValueError"),
    ("crop_too_big", lambda tf: tf.image.crop_to_bounding_box(tf.zeros([4, 4, 1]), 2, 2, 3, 3), "ValueError"),
    ("central_crop_zero", lambda tf: tf.image.central_crop(tf.zeros([4, 4, 1]), 0.0), "ValueError"),
    ("sort_bad_direction", lambda tf: tf.sort([1, 2], direction="UP"), "ValueError"),
    # tf.debugging
    ("assert_equal", lambda tf: tf.debugging.assert_equal(1, 2), "InvalidArgumentError"),
    ("assert_equal_ok", lambda tf: tf.debugging.assert_equal([1, 2], [1, 2]), None),
    ("assert_none_equal", lambda tf: tf.debugging.assert_none_equal([1, 2], [3, 2]), "InvalidArgumentError"),
    ("assert_less", lambda tf: tf.debugging.assert_less([1, 2], [2, 2]), "InvalidArgumentError"),
    ("assert_less_equal_ok", lambda tf: tf.debugging.assert_less_equal([1, 2], [2, 2]), None),
    ("assert_greater", lambda tf: tf.debugging.assert_greater(1.0, 2.0), "InvalidArgumentError"),
    ("assert_greater_equal", lambda tf: tf.debugging.assert_greater_equal(1, 2), "InvalidArgumentError"),
    ("assert_positive", lambda tf: tf.debugging.assert_positive([0]), "InvalidArgumentError"),
    ("assert_negative_ok", lambda tf: tf.debugging.assert_negative([-1.0]), None),
    ("assert_non_negative", lambda tf: tf.debugging.assert_non_negative([-1]), "InvalidArgumentError"),
    ("assert_non_positive", lambda tf: tf.debugging.assert_non_positive([1]), "InvalidArgumentError"),
    ("assert_near", lambda tf: tf.debugging.assert_near(1.0, 1.1), "InvalidArgumentError"),
    ("assert_near_ok", lambda tf: tf.debugging.assert_near(1.0, 1.0 + 1e-7), None),
    ("assert_rank", lambda tf: tf.debugging.assert_rank(tf.zeros([2]), 2), "ValueError"),
    ("assert_rank_ok", lambda tf: tf.debugging.assert_rank(tf.zeros([2]), 1), None),
    ("assert_rank_at_least", lambda tf: tf.debugging.assert_rank_at_least(tf.zeros([2]), 2), "ValueError"),
    ("assert_rank_in", lambda tf: tf.debugging.assert_rank_in(tf.zeros([2]), [0, 2]), "ValueError"),
    ("assert_type", lambda tf: tf.debugging.assert_type(tf.zeros([2]), tf.int32), "TypeError"),
    ("assert_integer", lambda tf: tf.debugging.assert_integer(tf.zeros([2])), "TypeError"),
    ("assert_scalar", lambda tf: tf.debugging.assert_scalar(tf.zeros([2])), "ValueError"),
    ("assert_shapes", lambda tf: tf.debugging.assert_shapes([(tf.zeros([2, 3]), ("N", "M")), (tf.zeros([3]), ("N",))]), "ValueError"),
    ("assert_shapes_ok", lambda tf: tf.debugging.assert_shapes([(tf.zeros([2, 3]), ("N", "M")), (tf.zeros([2]), ("N",))]), None),
    ("assert_all_finite", lambda tf: tf.debugging.assert_all_finite(tf.constant([float("inf")]), "oops"), "InvalidArgumentError"),
    ("check_numerics_nan", lambda tf: tf.debugging.check_numerics(tf.constant([1.0, float("nan")]), "boom"), "InvalidArgumentError"),
    ("check_numerics_ok", lambda tf: tf.debugging.check_numerics(tf.constant([1.0, 2.0]), "fine"), None),
    ("Assert", lambda tf: tf.debugging.Assert(tf.constant(False), ["x"]), "InvalidArgumentError"),
    ("set_log_device_placement", lambda tf: tf.debugging.set_log_device_placement(False), None),
]


@pytest.mark.parametrize("snippet,expected", [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES])
def test_error_class_matches_tf(snippet, expected):
    a, b = check(snippet)
    if expected is not None:
        assert getattr(a, "cls", None) == expected, f"TF itself gave {a!r}"


def test_messages_match_tf():
    """A few messages users grep for must read like TF's."""
    import tfjax as tf
    import tensorflow as tf_real
    cases = [
        lambda tf: tf.debugging.check_numerics(tf.constant([1.0, float("nan")]), "boom"),
        lambda tf: tf.constant(1.0) + tf.constant(1),
        lambda tf: tf.gather([1, 2], [5]),
        lambda tf: tf.nn.sparse_softmax_cross_entropy_with_logits([5], [[1.0, 2.0, 3.0]]),
    ]
    for c in cases:
        msgs = []
        for mod in (tf_real, tf):
            with pytest.raises(Exception) as ei:
                c(mod)
            msgs.append(str(ei.value))
        # TF prefixes "{{function_node ...}}" and suffixes " name: "; compare the core text.
        core = msgs[0].split("}} ")[-1].replace(" name: ", "").strip()
        assert core in msgs[1] or msgs[1] in core, (msgs[0], msgs[1])
