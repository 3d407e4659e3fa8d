"""``tf.compat.v1``: the TF1 (graph-mode) API is not supported by tfjax.

Attribute access raises ``UnsupportedError`` (also an ``AttributeError``, so ``hasattr`` works),
except for the names that are *the same object* in TF's ``tf.compat.v1`` and TF2's ``tf``
(e.g. ``tf.compat.v1.constant`` is not listed: its v1 signature differs, but ``tf.compat.v1.matmul``
is ``tf.matmul``): those resolve to tfjax's TF2 symbol. ``enable_eager_execution``,
``enable_v2_behavior`` and ``executing_eagerly`` also work (tfjax is always eager / TF2)."""

from tfjax._src.errors import UnsupportedError, unsupported

# Names whose tf.compat.v1 object *is* the tf object in TF 2.21 (computed against TF, filtered to
# what tfjax provides).
_SHARED_WITH_V2 = frozenset("""
Assert DType GradientTape IndexedSlices IndexedSlicesSpec Module RaggedTensor RaggedTensorSpec SparseTensor
SparseTensorSpec Tensor TensorArray TensorShape TensorSpec TypeSpec UnconnectedGradients VariableSynchronization
abs acos acosh add add_n argsort as_dtype asin asinh atan atan2 atanh bfloat16 bitcast bool
broadcast_dynamic_shape broadcast_static_shape broadcast_to cast clip_by_global_norm clip_by_norm clip_by_value
complex complex128 complex64 concat control_dependencies cos cosh cumsum custom_gradient divide double
dynamic_partition dynamic_stitch einsum ensure_shape equal exp eye fill float16 float32 float64 floor function
get_static_value greater greater_equal group half histogram_fixed_width histogram_fixed_width_bins identity
identity_n init_scope int16 int32 int64 int8 is_tensor less less_equal linspace logical_and logical_not
logical_or matmul matrix_square_root maximum meshgrid minimum multiply negative newaxis no_op not_equal
numpy_function one_hot ones parallel_stack pow print py_function qint32 qint8 quint8 range rank realdiv repeat
reshape resource reverse roll round saturate_cast scatter_nd searchsorted sequence_mask shape_n sigmoid sign sin
sinh slice sort split sqrt square stack stop_gradient strided_slice string subtract switch_case tan tanh
tensor_scatter_nd_add tensor_scatter_nd_max tensor_scatter_nd_min tensor_scatter_nd_sub tensor_scatter_nd_update
tensordot tile truediv truncatediv truncatemod uint16 uint32 uint64 uint8 unique unique_with_counts
unravel_index unstack variant vectorized_map zeros executing_eagerly
""".split())


class V1UnsupportedError(UnsupportedError, AttributeError):
    """Access to a ``tf.compat.v1`` symbol tfjax does not provide."""


def enable_eager_execution(config=None, device_policy=None, execution_mode=None):
    """No-op: tfjax always executes eagerly (TF2 behaviour)."""


def enable_v2_behavior():
    """No-op: tfjax is TF2."""


def __getattr__(name):
    if name in _SHARED_WITH_V2:
        import tfjax  # noqa: PLC0415
        return getattr(tfjax, name)
    raise V1UnsupportedError(str(unsupported(
        f"tf.compat.v1.{name}", "tfjax implements the TF2 API only (no graph mode / sessions)")))
