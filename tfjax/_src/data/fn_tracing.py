"""Element specs of user functions (map, scan, flat_map, ...) from their input *spec*.

TF traces a dataset function once on placeholders built from the input
``element_spec`` and reads the output spec off the graph; it never looks at
data, so an empty input gets the same spec as a full one. tfjax does the same
with ``jax.eval_shape``: numeric components become abstract arrays, string
components placeholder arrays, dataset components empty datasets of their spec.

XLA needs concrete sizes where TF has unknown (``None``) dimensions, so a spec
with ``None`` dims (or string components, whose content may decide output
sizes) is traced twice with different sizes and contents; output dimensions
that differ between the two traces are unknown, as TF's shape inference would
report them. Functions that cannot be traced (data-dependent output shapes,
``.numpy()``/Python control flow on values, parsing string content, ...)
return ``None`` here and the caller falls back to looking at real elements.
"""

from __future__ import annotations

import threading

import jax
import numpy as np

from tfjax._src import dtypes
from tfjax._src import variables as _vars
from tfjax._src.data import structure
from tfjax._src.tensor_spec import TensorSpec

# Sizes given to unknown dimensions in the two traces. Many divisors, so that reshapes such as
# ``[-1, 3]`` of an unknown dimension trace; distinct, so that derived sizes differ.
_SIZES = (60, 120)
# String placeholder contents for the two traces: content-dependent sizes (decode_raw, ...) differ.
_STRINGS = (b"", b"\x00" * 24)
# Concrete placeholders (the last resort for functions with value-dependent shapes such as
# ``tf.fill([x], ...)`` over an empty input): sizes and fill values of the two runs.
_CONCRETE_SIZES = (6, 12)
_CONCRETE_VALUES = (0, 1)

_STATE = threading.local()


def active() -> bool:
    """True while a dataset function is being traced for its spec (tracer leaves are allowed)."""
    return getattr(_STATE, "depth", 0) > 0


def _placeholder(spec, pass_no, concrete):
    from tfjax._src.data.dataset import DatasetSpec  # noqa: PLC0415
    if isinstance(spec, DatasetSpec):
        from tfjax._src.data.windowing import ElementListDataset  # noqa: PLC0415
        return ElementListDataset([], spec.element_spec), None
    if type(spec) is not TensorSpec or spec.shape.rank is None:
        raise _Untraceable()
    sizes = _CONCRETE_SIZES if concrete else _SIZES
    shape = tuple(sizes[pass_no] if d is None else d for d in spec.shape)
    if spec.dtype == dtypes.string:
        arr = np.empty(shape, dtype=object)
        arr.fill(_STRINGS[pass_no])
        return arr, None
    if concrete:
        return np.full(shape, _CONCRETE_VALUES[pass_no], dtype=spec.dtype._np), None
    return None, jax.ShapeDtypeStruct(shape, spec.dtype._np)


class _Untraceable(Exception):
    pass


def _needs_second_pass(flat_specs, concrete):
    for s in flat_specs:
        if concrete and type(s) is TensorSpec:
            return True
        if type(s) is TensorSpec and (s.dtype == dtypes.string or None in s.shape.as_list()):
            return True
    return False


def _trace_once(fn, in_specs, pass_no, concrete):
    """``fn`` applied to placeholders for ``in_specs`` (a list of structures); its output's spec."""
    flats = [structure.flatten(s) for s in in_specs]
    fixed, abstract = [], []
    for flat in flats:
        row = []
        for s in flat:
            conc, abst = _placeholder(s, pass_no, concrete)
            row.append(conc)
            if abst is not None:
                abstract.append(abst)
        fixed.append(row)
    result = []

    def traced(*arrays):
        it = iter(arrays)
        args = []
        for spec, row in zip(in_specs, fixed):
            leaves = [next(it) if c is None else c for c in row]
            args.append(structure.pack_sequence_as(spec, leaves) if structure.is_nested(spec) else leaves[0])
        result.append(fn(*args))
        return 0

    # Variable writes (e.g. the global RNG state) land in a throw-away scope, not in the variables.
    # Creating a variable (a lazily built Keras layer) refuses to trace: its initial value would be
    # a tracer kept beyond the trace.
    scope = _vars.StateScope((), ())
    saved = _vars._scope_state.scope
    _vars._scope_state.scope = scope
    _STATE.depth = getattr(_STATE, "depth", 0) + 1
    try:
        if concrete:
            traced()
        else:
            jax.eval_shape(traced, *abstract)
    finally:
        _STATE.depth -= 1
        _vars._scope_state.scope = saved
    return result[0]


def trace_spec(fn, *in_specs, concrete=False):
    """The spec ``fn`` returns (``fn`` maps internal elements to a spec), or ``None`` if untraceable.

    ``fn`` receives one internal element per entry of ``in_specs`` and must return a spec
    structure (normally ``structure.spec_of`` of the normalised function output).
    ``concrete=True`` runs ``fn`` on filled arrays instead of abstract ones: for functions whose
    output shapes depend on values, when there is no real element to look at.
    """
    from tfjax._src.data import unary  # noqa: PLC0415
    flat = [s for spec in in_specs for s in structure.flatten(spec)]
    unary.enter_peek()
    try:
        try:
            spec = _trace_once(fn, list(in_specs), 0, concrete)
            if not _needs_second_pass(flat, concrete):
                return spec
            other = _trace_once(fn, list(in_specs), 1, concrete)
        except (Exception, _vars.VariableCreatedInTrace):  # noqa: BLE001 - any failure: not traceable
            return None
    finally:
        unary.exit_peek()
    try:
        return structure.most_specific(spec, other)
    except (TypeError, ValueError):
        return None
