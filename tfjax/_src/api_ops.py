"""Top-level ``tf.*`` op names owned by the ops layer: explicit re-exports.

``tfjax/__init__.py`` does ``from tfjax._src.api_ops import *``; ``__all__`` lists exactly
these names. Generated from TF 2.21's top-level namespace (see tools/gen_compat_table.py).
"""

from tfjax._src.ops.array_ops import bitcast as bitcast
from tfjax._src.ops.array_ops import boolean_mask as boolean_mask
from tfjax._src.ops.array_ops import broadcast_dynamic_shape as broadcast_dynamic_shape
from tfjax._src.ops.array_ops import broadcast_static_shape as broadcast_static_shape
from tfjax._src.ops.array_ops import broadcast_to as broadcast_to
from tfjax._src.ops.manip_ops import concat as concat
from tfjax._src.ops.array_ops import dynamic_partition as dynamic_partition
from tfjax._src.ops.array_ops import dynamic_stitch as dynamic_stitch
from tfjax._src.ops.array_ops import ensure_shape as ensure_shape
from tfjax._src.ops.array_ops import expand_dims as expand_dims
from tfjax._src.ops.creation_ops import fill as fill
from tfjax._src.ops.indexing_ops import gather as gather
from tfjax._src.ops.indexing_ops import gather_nd as gather_nd
from tfjax._src.ops.array_ops import get_static_value as get_static_value
from tfjax._src.ops.histogram_ops import histogram_fixed_width as histogram_fixed_width
from tfjax._src.ops.histogram_ops import histogram_fixed_width_bins as histogram_fixed_width_bins
from tfjax._src.ops.array_ops import identity as identity
from tfjax._src.ops.array_ops import identity_n as identity_n
from tfjax._src.ops.creation_ops import linspace as linspace
from tfjax._src.ops.creation_ops import meshgrid as meshgrid
from tfjax._src.ops.array_ops import newaxis as newaxis
from tfjax._src.ops.creation_ops import one_hot as one_hot
from tfjax._src.ops.creation_ops import ones as ones
from tfjax._src.ops.creation_ops import ones_like as ones_like
from tfjax._src.ops.manip_ops import pad as pad
from tfjax._src.ops.manip_ops import parallel_stack as parallel_stack
from tfjax._src.ops.creation_ops import range as range
from tfjax._src.ops.array_ops import rank as rank
from tfjax._src.ops.manip_ops import repeat as repeat
from tfjax._src.ops.array_ops import reshape as reshape
from tfjax._src.ops.manip_ops import reverse as reverse
from tfjax._src.ops.manip_ops import reverse_sequence as reverse_sequence
from tfjax._src.ops.manip_ops import roll as roll
from tfjax._src.ops.indexing_ops import scatter_nd as scatter_nd
from tfjax._src.ops.creation_ops import sequence_mask as sequence_mask
from tfjax._src.ops.array_ops import shape as shape
from tfjax._src.ops.array_ops import shape_n as shape_n
from tfjax._src.ops.array_ops import size as size
from tfjax._src.ops.indexing_ops import slice as slice
from tfjax._src.ops.manip_ops import split as split
from tfjax._src.ops.array_ops import squeeze as squeeze
from tfjax._src.ops.manip_ops import stack as stack
from tfjax._src.ops.array_ops import stop_gradient as stop_gradient
from tfjax._src.ops.indexing_ops import strided_slice as strided_slice
from tfjax._src.ops.indexing_ops import tensor_scatter_nd_add as tensor_scatter_nd_add
from tfjax._src.ops.indexing_ops import tensor_scatter_nd_max as tensor_scatter_nd_max
from tfjax._src.ops.indexing_ops import tensor_scatter_nd_min as tensor_scatter_nd_min
from tfjax._src.ops.indexing_ops import tensor_scatter_nd_sub as tensor_scatter_nd_sub
from tfjax._src.ops.indexing_ops import tensor_scatter_nd_update as tensor_scatter_nd_update
from tfjax._src.ops.manip_ops import tile as tile
from tfjax._src.ops.array_ops import transpose as transpose
from tfjax._src.ops.array_ops import unique as unique
from tfjax._src.ops.array_ops import unique_with_counts as unique_with_counts
from tfjax._src.ops.indexing_ops import unravel_index as unravel_index
from tfjax._src.ops.manip_ops import unstack as unstack
from tfjax._src.ops.indexing_ops import where as where
from tfjax._src.ops.creation_ops import zeros as zeros
from tfjax._src.ops.creation_ops import zeros_like as zeros_like
from tfjax._src.ops.check_ops import Assert as Assert
from tfjax._src.ops.check_ops import assert_equal as assert_equal
from tfjax._src.ops.check_ops import assert_greater as assert_greater
from tfjax._src.ops.check_ops import assert_less as assert_less
from tfjax._src.ops.check_ops import assert_rank as assert_rank
from tfjax._src.ops.clip_ops import clip_by_global_norm as clip_by_global_norm
from tfjax._src.ops.clip_ops import clip_by_norm as clip_by_norm
from tfjax._src.ops.linalg_ops import eig as eig
from tfjax._src.ops.linalg_ops import eigvals as eigvals
from tfjax._src.ops.linalg_ops import eye as eye
from tfjax._src.ops.linalg_ops import norm as norm
from tfjax._src.ops.linalg_ops import sqrtm as matrix_square_root
from tfjax._src.ops.logging_ops import print as print
from tfjax._src.ops.math_ops import abs as abs
from tfjax._src.ops.math_ops import acos as acos
from tfjax._src.ops.math_ops import acosh as acosh
from tfjax._src.ops.binary_ops import add as add
from tfjax._src.ops.math_ops import add_n as add_n
from tfjax._src.ops.reduction_ops import argmax as argmax
from tfjax._src.ops.reduction_ops import argmin as argmin
from tfjax._src.ops.math_ops import asin as asin
from tfjax._src.ops.math_ops import asinh as asinh
from tfjax._src.ops.math_ops import atan as atan
from tfjax._src.ops.binary_ops import atan2 as atan2
from tfjax._src.ops.math_ops import atanh as atanh
from tfjax._src.ops.math_ops import cast as cast
from tfjax._src.ops.math_ops import ceil as ceil
from tfjax._src.ops.clip_ops import clip_by_value as clip_by_value
from tfjax._src.ops.math_ops import complex as complex
from tfjax._src.ops.math_ops import cos as cos
from tfjax._src.ops.math_ops import cosh as cosh
from tfjax._src.ops.reduction_ops import cumsum as cumsum
from tfjax._src.ops.binary_ops import divide as divide
from tfjax._src.ops.binary_ops import equal as equal
from tfjax._src.ops.math_ops import exp as exp
from tfjax._src.ops.math_ops import floor as floor
from tfjax._src.ops.binary_ops import floordiv as floordiv
from tfjax._src.ops.binary_ops import greater as greater
from tfjax._src.ops.binary_ops import greater_equal as greater_equal
from tfjax._src.ops.binary_ops import less as less
from tfjax._src.ops.binary_ops import less_equal as less_equal
from tfjax._src.ops.binary_ops import logical_and as logical_and
from tfjax._src.ops.math_ops import logical_not as logical_not
from tfjax._src.ops.binary_ops import logical_or as logical_or
from tfjax._src.ops.math_ops import matmul as matmul
from tfjax._src.ops.binary_ops import maximum as maximum
from tfjax._src.ops.binary_ops import minimum as minimum
from tfjax._src.ops.binary_ops import multiply as multiply
from tfjax._src.ops.math_ops import negative as negative
from tfjax._src.ops.binary_ops import not_equal as not_equal
from tfjax._src.ops.binary_ops import pow as pow
from tfjax._src.ops.binary_ops import realdiv as realdiv
from tfjax._src.ops.reduction_ops import reduce_all as reduce_all
from tfjax._src.ops.reduction_ops import reduce_any as reduce_any
from tfjax._src.ops.reduction_ops import reduce_logsumexp as reduce_logsumexp
from tfjax._src.ops.reduction_ops import reduce_max as reduce_max
from tfjax._src.ops.reduction_ops import reduce_mean as reduce_mean
from tfjax._src.ops.reduction_ops import reduce_min as reduce_min
from tfjax._src.ops.reduction_ops import reduce_prod as reduce_prod
from tfjax._src.ops.reduction_ops import reduce_sum as reduce_sum
from tfjax._src.ops.math_ops import round as round
from tfjax._src.ops.math_ops import saturate_cast as saturate_cast
from tfjax._src.ops.binary_ops import scalar_mul as scalar_mul
from tfjax._src.ops.math_ops import sigmoid as sigmoid
from tfjax._src.ops.math_ops import sign as sign
from tfjax._src.ops.math_ops import sin as sin
from tfjax._src.ops.math_ops import sinh as sinh
from tfjax._src.ops.math_ops import sqrt as sqrt
from tfjax._src.ops.math_ops import square as square
from tfjax._src.ops.binary_ops import subtract as subtract
from tfjax._src.ops.math_ops import tan as tan
from tfjax._src.ops.math_ops import tanh as tanh
from tfjax._src.ops.binary_ops import truediv as truediv
from tfjax._src.ops.binary_ops import truncatediv as truncatediv
from tfjax._src.ops.binary_ops import truncatemod as truncatemod
from tfjax._src.ops.name_scope import get_current_name_scope as get_current_name_scope
from tfjax._src.ops.name_scope import name_scope as name_scope
from tfjax._src.ops.sort_ops import argsort as argsort
from tfjax._src.ops.sort_ops import searchsorted as searchsorted
from tfjax._src.ops.sort_ops import sort as sort
from tfjax._src.ops.special_math_ops import einsum as einsum
from tfjax._src.ops.special_math_ops import tensordot as tensordot

__all__ = [
    'Assert',
    'abs',
    'acos',
    'acosh',
    'add',
    'add_n',
    'argmax',
    'argmin',
    'argsort',
    'asin',
    'asinh',
    'assert_equal',
    'assert_greater',
    'assert_less',
    'assert_rank',
    'atan',
    'atan2',
    'atanh',
    'bitcast',
    'boolean_mask',
    'broadcast_dynamic_shape',
    'broadcast_static_shape',
    'broadcast_to',
    'cast',
    'ceil',
    'clip_by_global_norm',
    'clip_by_norm',
    'clip_by_value',
    'complex',
    'concat',
    'cos',
    'cosh',
    'cumsum',
    'divide',
    'dynamic_partition',
    'dynamic_stitch',
    'eig',
    'eigvals',
    'einsum',
    'ensure_shape',
    'equal',
    'exp',
    'expand_dims',
    'eye',
    'fill',
    'floor',
    'floordiv',
    'gather',
    'gather_nd',
    'get_current_name_scope',
    'get_static_value',
    'greater',
    'greater_equal',
    'histogram_fixed_width',
    'histogram_fixed_width_bins',
    'identity',
    'identity_n',
    'less',
    'less_equal',
    'linspace',
    'logical_and',
    'logical_not',
    'logical_or',
    'matmul',
    'matrix_square_root',
    'maximum',
    'meshgrid',
    'minimum',
    'multiply',
    'name_scope',
    'negative',
    'newaxis',
    'norm',
    'not_equal',
    'one_hot',
    'ones',
    'ones_like',
    'pad',
    'parallel_stack',
    'pow',
    'print',
    'range',
    'rank',
    'realdiv',
    'reduce_all',
    'reduce_any',
    'reduce_logsumexp',
    'reduce_max',
    'reduce_mean',
    'reduce_min',
    'reduce_prod',
    'reduce_sum',
    'repeat',
    'reshape',
    'reverse',
    'reverse_sequence',
    'roll',
    'round',
    'saturate_cast',
    'scalar_mul',
    'scatter_nd',
    'searchsorted',
    'sequence_mask',
    'shape',
    'shape_n',
    'sigmoid',
    'sign',
    'sin',
    'sinh',
    'size',
    'slice',
    'sort',
    'split',
    'sqrt',
    'square',
    'squeeze',
    'stack',
    'stop_gradient',
    'strided_slice',
    'subtract',
    'tan',
    'tanh',
    'tensor_scatter_nd_add',
    'tensor_scatter_nd_max',
    'tensor_scatter_nd_min',
    'tensor_scatter_nd_sub',
    'tensor_scatter_nd_update',
    'tensordot',
    'tile',
    'transpose',
    'truediv',
    'truncatediv',
    'truncatemod',
    'unique',
    'unique_with_counts',
    'unravel_index',
    'unstack',
    'where',
    'zeros',
    'zeros_like',
]
