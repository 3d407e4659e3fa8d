"""tfjax: the TensorFlow 2 API on JAX. ``import tfjax as tf``.

This module only re-exports; the implementation lives in ``tfjax._src``.
"""

__version__ = "0.1.0"

from tfjax._src import dtypes as _dtypes
from tfjax._src.dtypes import (
    DType as DType, as_dtype as as_dtype,
    float16 as float16, half as half, float32 as float32, float64 as float64, double as double,
    bfloat16 as bfloat16, int8 as int8, int16 as int16, int32 as int32, int64 as int64,
    uint8 as uint8, uint16 as uint16, uint32 as uint32, uint64 as uint64, bool as bool,
    complex64 as complex64, complex128 as complex128, string as string,
    resource as resource, variant as variant, qint8 as qint8, quint8 as quint8, qint32 as qint32,
)
from tfjax._src.tensor import (
    Tensor as Tensor, convert_to_tensor as convert_to_tensor, constant as constant, is_tensor as is_tensor,
)
from tfjax._src.tensor_shape import TensorShape as TensorShape
from tfjax._src.tensor_spec import TensorSpec as TensorSpec, TypeSpec as TypeSpec
from tfjax._src.sparse_tensor import SparseTensor as SparseTensor, SparseTensorSpec as SparseTensorSpec
from tfjax._src.indexed_slices import IndexedSlices as IndexedSlices, IndexedSlicesSpec as IndexedSlicesSpec
from tfjax._src.ragged.ragged_tensor import RaggedTensor as RaggedTensor, RaggedTensorSpec as RaggedTensorSpec
from tfjax._src.variables import (
    Variable as Variable, Module as Module, init_scope as init_scope,
    VariableSynchronization as VariableSynchronization, VariableAggregation as VariableAggregation,
)
from tfjax._src.tape import GradientTape as GradientTape, UnconnectedGradients as UnconnectedGradients
from tfjax._src.function import function as function
from tfjax._src.ops import operators as _operators  # noqa: F401 - attaches Tensor operators
from tfjax._src.ragged import ragged_ops as _ragged_ops  # noqa: F401 - attaches RaggedTensor operators
from tfjax._src.api_ops import *  # noqa: F401,F403 - the op surface; explicit list in api_ops.__all__
from tfjax._src.ops.binary_ops import (
    add as add, subtract as subtract, multiply as multiply, divide as divide, truediv as truediv, floordiv as floordiv,
    pow as pow, maximum as maximum, minimum as minimum, equal as equal, not_equal as not_equal, less as less,
    less_equal as less_equal, greater as greater, greater_equal as greater_equal, logical_and as logical_and,
    logical_or as logical_or,
)
from tfjax._src.ops.math_ops import (
    negative as negative, abs as abs, exp as exp, sqrt as sqrt, square as square, matmul as matmul, cast as cast,
    saturate_cast as saturate_cast, logical_not as logical_not, sigmoid as sigmoid, tanh as tanh, sin as sin, cos as cos,
    round as round, sign as sign, floor as floor, ceil as ceil,
)
from tfjax._src.ops.reduction_ops import (
    reduce_sum as reduce_sum, reduce_mean as reduce_mean, reduce_max as reduce_max, reduce_min as reduce_min,
    reduce_prod as reduce_prod, reduce_all as reduce_all, reduce_any as reduce_any,
    reduce_logsumexp as reduce_logsumexp, argmax as argmax, argmin as argmin,
)
from tfjax._src.ops.clip_ops import clip_by_value as clip_by_value
from tfjax._src.ops.array_ops import (
    identity as identity, stop_gradient as stop_gradient, shape as shape, size as size, rank as rank, reshape as reshape,
    expand_dims as expand_dims, squeeze as squeeze, transpose as transpose, newaxis as newaxis,
)
from tfjax._src.ops.creation_ops import (
    zeros as zeros, ones as ones, zeros_like as zeros_like, ones_like as ones_like, fill as fill, range as range,
)
from tfjax._src.ops.manip_ops import concat as concat, stack as stack, unstack as unstack
from tfjax._src.ops.indexing_ops import (
    gather as gather, gather_nd as gather_nd, scatter_nd as scatter_nd,
    tensor_scatter_nd_update as tensor_scatter_nd_update, tensor_scatter_nd_add as tensor_scatter_nd_add,
    tensor_scatter_nd_sub as tensor_scatter_nd_sub, tensor_scatter_nd_max as tensor_scatter_nd_max,
    tensor_scatter_nd_min as tensor_scatter_nd_min,
)
from tfjax._src import nest as nest
from tfjax._src.config.placement import device as device
from tfjax._src.custom_gradient import custom_gradient as custom_gradient
from tfjax._src.ops.logging_ops import print_v2 as print
from tfjax._src.ops.tensor_array import TensorArray as TensorArray
from tfjax._src.ops.graph_compat import (
    executing_eagerly as executing_eagerly, no_op as no_op, group as group,
    control_dependencies as control_dependencies, numpy_function as numpy_function,
    py_function as py_function, gradients as gradients,
)
from tfjax._src.ops.init_ops_v2 import (
    constant_initializer as constant_initializer, zeros_initializer as zeros_initializer,
    ones_initializer as ones_initializer, random_normal_initializer as random_normal_initializer,
    random_uniform_initializer as random_uniform_initializer,
)
from tfjax._src.ops.control_flow import (
    cond as cond, case as case, switch_case as switch_case, while_loop as while_loop,
    map_fn as map_fn, scan as scan, vectorized_map as vectorized_map, foldl as foldl, foldr as foldr,
)
from tfjax._src.ops.api_extras import (
    AggregationMethod as AggregationMethod, DeviceSpec as DeviceSpec, approx_top_k as approx_top_k,
    edit_distance as edit_distance, fingerprint as fingerprint, get_logger as get_logger,
    grad_pass_through as grad_pass_through, guarantee_const as guarantee_const, hessians as hessians,
    inside_function as inside_function, is_symbolic_tensor as is_symbolic_tensor, make_ndarray as make_ndarray,
    make_tensor_proto as make_tensor_proto, no_gradient as no_gradient, recompute_grad as recompute_grad,
    register_tensor_conversion_function as register_tensor_conversion_function, timestamp as timestamp,
    tuple as tuple, type_spec_from_value as type_spec_from_value,
)
from tfjax._src.ops.nn_extra_ops import (
    batch_to_space as batch_to_space, required_space_to_batch_paddings as required_space_to_batch_paddings,
    space_to_batch as space_to_batch, space_to_batch_nd as space_to_batch_nd,
)
from tfjax._src.ops.string_ops import as_string as as_string

# Namespaces such as tf.keras and tf.data are imported on first use, keeping
# `import tfjax` fast (the way TF's own lazy loaders do).
_LAZY_SUBMODULES = frozenset([
    "audio", "autodiff", "autograph", "bitwise", "compat", "config", "data", "debugging", "distribute",
    "dtypes", "errors", "experimental", "feature_column", "image", "initializers", "io", "keras", "linalg",
    "lite", "lookup", "math", "nn", "queue", "ragged", "random", "raw_ops", "saved_model",
    "sets", "signal", "sparse", "strings", "summary", "sysconfig", "test", "tpu", "train",
    "types", "version",
])


# Top-level functions whose implementation modules are imported on first use.
_LAZY_FUNCTIONS = {
    "fftnd": "tfjax._src.ops.signal_ops", "ifftnd": "tfjax._src.ops.signal_ops",
    "rfftnd": "tfjax._src.ops.signal_ops", "irfftnd": "tfjax._src.ops.signal_ops",
}


def __dir__():
    return sorted(set(globals()) | _LAZY_SUBMODULES | set(_LAZY_FUNCTIONS))


def __getattr__(name):
    if name in _LAZY_FUNCTIONS:
        import importlib  # noqa: PLC0415
        fn = getattr(importlib.import_module(_LAZY_FUNCTIONS[name]), name)
        globals()[name] = fn
        return fn
    if name in _LAZY_SUBMODULES:
        import importlib  # noqa: PLC0415
        try:
            module = importlib.import_module(f"tfjax.{name}")
        except ModuleNotFoundError as e:
            if e.name != f"tfjax.{name}":
                raise
            from tfjax._src.errors import unsupported  # noqa: PLC0415
            raise unsupported(f"tf.{name}", "this TensorFlow namespace is not implemented") from None
        globals()[name] = module
        return module
    from tfjax._src.errors import unsupported  # noqa: PLC0415
    raise AttributeError(str(unsupported(f"tf.{name}", _GRAPH_ONLY.get(name, "see docs/compatibility.md"))))


# TF 1-style graph machinery: tfjax traces tf.function into JAX programs, not TF graphs.
_GRAPH_ONLY = {
    "Graph": "tfjax has no TF graphs (tf.function traces to a JAX program); see docs/compatibility.md",
    "Operation": "tfjax has no TF graph operations; see docs/compatibility.md",
    "import_graph_def": "tfjax cannot import TF GraphDefs; see docs/compatibility.md",
    "RegisterGradient": "gradients come from JAX; define one with tf.custom_gradient instead",
    "load_op_library": "custom TF kernels (.so op libraries) cannot run on JAX",
    "load_library": "custom TF kernels (.so libraries) cannot run on JAX",
    "CriticalSection": "tfjax has no TF resource locking; see docs/compatibility.md",
    "variable_creator_scope": "tfjax Variables have no creator-scope hook; see docs/compatibility.md",
}
