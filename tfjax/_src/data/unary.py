"""The one-input dataset base, and element specs of dataset functions (see fn_tracing.py)."""

from __future__ import annotations

import threading

from tfjax._src.data import structure
from tfjax._src.data.dataset import DatasetV2
from tfjax._src.tensor_spec import TensorSpec


class _Unary(DatasetV2):
    """A dataset with one input that keeps its element_spec unless overridden."""

    def __init__(self, input_dataset):
        if not isinstance(input_dataset, DatasetV2):
            raise TypeError(f"Expected a tf.data.Dataset, got {type(input_dataset).__name__}.")
        super().__init__([input_dataset])
        self._input = input_dataset

    def _compute_spec(self):
        return self._input.element_spec

    def _card(self):
        return self._input._card()


# ---------------------------------------------------------------------------
# element-spec inference for user functions: trace on the input spec, as TF does;
# look at real elements only for functions that cannot be traced
# ---------------------------------------------------------------------------

_PEEK = 4


def fn_spec(in_dataset, elem_fn, default=None):
    """Spec of ``elem_fn`` (internal element -> internal element) over ``in_dataset``'s elements."""
    from tfjax._src.data import fn_tracing  # noqa: PLC0415
    in_spec = in_dataset.element_spec
    spec = fn_tracing.trace_spec(lambda e: structure.spec_of(elem_fn(e)), in_spec)
    if spec is None:
        spec = _peek_spec(None, in_dataset, elem_fn)
    if spec is None:  # no element to look at either
        spec = fn_tracing.trace_spec(lambda e: structure.spec_of(elem_fn(e)), in_spec, concrete=True)
    return default if spec is None else spec


def _peek_spec(dataset, in_dataset, first_element_fn):
    """Output spec from applying the function to the first few input elements.

    The fallback for functions that cannot be traced on the input spec: tfjax runs
    them on up to ``_PEEK`` real elements and keeps the dimensions that agree across
    them. Dimensions equal to the size of an unknown input dimension (e.g. the batch
    dimension after ``batch``) are reported as unknown, as TF's tracing would.
    """
    in_spec = in_dataset.element_spec
    enter_peek()
    try:
        return _peek_spec_impl(in_dataset, in_spec, first_element_fn)
    finally:
        exit_peek()


_PEEKING = threading.local()


def enter_peek():
    _PEEKING.depth = getattr(_PEEKING, "depth", 0) + 1


def exit_peek():
    _PEEKING.depth -= 1


def peeking() -> bool:
    """True while an element_spec is being inferred: random ops must not advance their state."""
    return getattr(_PEEKING, "depth", 0) > 0


def _peek_spec_impl(in_dataset, in_spec, first_element_fn):
    it = in_dataset._elements()
    last_err = None
    spec = None
    got = 0
    for _ in range(_PEEK + 2):
        if got >= _PEEK:
            break
        try:
            elem = next(it)
        except StopIteration:
            break
        except Exception as e:  # noqa: BLE001
            last_err = e
            continue
        try:
            out = first_element_fn(elem)
        except Exception as e:  # noqa: BLE001
            last_err = e
            continue
        got += 1
        in_sizes = set()
        for leaf, s in zip(structure.flatten(elem), structure.flatten(in_spec)):
            if isinstance(s, TensorSpec) and s.shape.rank is not None and hasattr(leaf, "shape"):
                for i, d in enumerate(s.shape):
                    if d is None and i < len(leaf.shape):
                        in_sizes.add(leaf.shape[i])

        def fix(sp):
            if isinstance(sp, TensorSpec) and sp.shape.rank and in_sizes:
                return TensorSpec([None if d in in_sizes else d for d in sp.shape], sp.dtype, sp.name)
            return sp
        one = structure.spec_of(out)
        one = structure.map_structure(fix, one) if structure.is_nested(one) else fix(one)
        if spec is None:
            spec = one
        else:
            try:
                spec = structure.most_specific(spec, one)
            except (TypeError, ValueError):
                raise TypeError(f"The function returned elements of different types: {spec} vs {one}.") from None
    close = getattr(it, "close", None)
    if close is not None:
        close()
    if spec is None and last_err is not None:
        raise last_err
    return spec
