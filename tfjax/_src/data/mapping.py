"""map, filter, take_while and scan: element-wise dataset functions."""

from __future__ import annotations

import numpy as np

from tfjax._src import errors
from tfjax._src.data import structure
from tfjax._src.data.dataset import AUTOTUNE, UNKNOWN, _scalar_int
from tfjax._src.data import iterator as iterator_lib
from tfjax._src.data import fn_tracing
from tfjax._src.data.unary import _peek_spec, _Unary, fn_spec
from tfjax._src.tensor_spec import TensorSpec


# ---------------------------------------------------------------------------
# map / filter
# ---------------------------------------------------------------------------

def _apply(fn, elem):
    return structure.normalize_fn_output(structure.call_fn(fn, elem))


class _MapIter:
    __slots__ = ("_it", "_fn")

    def __init__(self, it, fn):
        self._it = it
        self._fn = fn

    def __iter__(self):
        return self

    def __next__(self):
        return structure.normalize_fn_output(structure.call_fn(self._fn, next(self._it)))


class MapDataset(_Unary):
    _tf_name = "_MapDataset"

    def __init__(self, input_dataset, map_func):
        super().__init__(input_dataset)
        if not callable(map_func):
            raise TypeError(f"`map_func` must be callable, got {map_func!r}.")
        self._fn = map_func

    def _compute_spec(self):
        return fn_spec(self._input, lambda e: _apply(self._fn, e), self._input.element_spec)

    def _iter(self):
        return _MapIter(self._input._elements(), self._fn)


class ParallelMapDataset(MapDataset):
    _tf_name = "_ParallelMapDataset"

    def __init__(self, input_dataset, map_func, num_parallel_calls, deterministic):
        super().__init__(input_dataset, map_func)
        n = _scalar_int(num_parallel_calls, "num_parallel_calls")
        if n != AUTOTUNE and n <= 0:
            raise errors.InvalidArgumentError("num_parallel_calls must be greater than zero.")
        self._n = n
        self._det = deterministic

    def _iter(self):
        opts = self.options()
        det = self._det
        if det is None:
            det = opts.deterministic if opts.deterministic is not None else True
        n = self._n if self._n != AUTOTUNE else iterator_lib.default_parallelism()
        cap = opts.threading.private_threadpool_size
        if cap:
            n = min(n, cap)
        if n <= 1:
            return _MapIter(self._input._elements(), self._fn)
        fn = self._fn
        if self._n == AUTOTUNE:
            return iterator_lib.AutotuneMapIter(self._input._elements(), lambda e: _apply(fn, e), n, det)
        return iterator_lib.ParallelMapIter(self._input._elements(), lambda e: _apply(fn, e), n, det)


def _as_bool(value, what="predicate"):
    v = structure.host(structure.to_leaf(value))
    if v.dtype != np.bool_ or v.shape != ():
        raise ValueError(f"Invalid `{what}`. `{what}` must return a `tf.bool` scalar tensor, but its "
                         f"return type is {TensorSpec(v.shape, structure.leaf_dtype(v))}.")
    return bool(v)


class _FilterIter:
    __slots__ = ("_it", "_fn")

    def __init__(self, it, fn):
        self._it = it
        self._fn = fn

    def __iter__(self):
        return self

    def __next__(self):
        while True:
            elem = next(self._it)
            if _as_bool(structure.call_fn(self._fn, elem)):
                return elem


class FilterDataset(_Unary):
    _tf_name = "_FilterDataset"

    def __init__(self, input_dataset, predicate):
        super().__init__(input_dataset)
        self._fn = predicate

    def _card(self):
        return UNKNOWN

    def _iter(self):
        return _FilterIter(self._input._elements(), self._fn)


class TakeWhileDataset(_Unary):
    _tf_name = "_TakeWhileDataset"

    def __init__(self, input_dataset, predicate):
        super().__init__(input_dataset)
        self._fn = predicate

    def _card(self):
        return UNKNOWN

    def _iter(self):
        for elem in self._input._elements():
            if not _as_bool(structure.call_fn(self._fn, elem)):
                return
            yield elem


class ScanDataset(_Unary):
    _tf_name = "_ScanDataset"

    def __init__(self, input_dataset, initial_state, scan_func):
        super().__init__(input_dataset)
        self._state = structure.normalize_element(initial_state)
        self._fn = scan_func

    def _step(self, state, elem):
        out = self._fn(structure.to_user(state), structure.to_user(elem))
        if not isinstance(out, (tuple, list)) or len(out) != 2:
            raise TypeError("The scan function must return a pair comprising the new state and the "
                            f"output value. Got {out!r}.")
        new_state = structure.normalize_fn_output(out[0])
        if not structure.same_structure(state, new_state):
            raise TypeError("The element structure of the new state must match the initial state.")
        for a, b in zip(structure.flatten(state), structure.flatten(new_state)):
            if structure.leaf_dtype(a) != structure.leaf_dtype(b):
                raise TypeError(f"The element types for the new state must match the initial state. "
                                f"Expected {structure.spec_of(state)}; got {structure.spec_of(new_state)}.")
        return new_state, structure.normalize_fn_output(out[1])

    def _compute_spec(self):
        in_spec = self._input.element_spec
        state_spec = structure.spec_of(self._state)

        def step_specs(state, elem):
            new_state, out = self._step(state, elem)
            return structure.spec_of(new_state), structure.spec_of(out)
        # As TF: when the new state's shape differs from the state's, relax the state's shape to
        # both and trace again (twice at most: a relaxed shape only loses dimensions).
        for _ in range(3):
            traced = fn_tracing.trace_spec(step_specs, state_spec, in_spec)
            if traced is None:
                break
            new_state_spec, out_spec = traced
            relaxed = structure.most_specific(state_spec, new_state_spec)
            if relaxed == state_spec:
                return out_spec
            state_spec = relaxed
        state = [self._state]

        def step_in_order(elem):  # the peeked elements are consecutive: thread the state
            state[0], out = self._step(state[0], elem)
            return out
        spec = _peek_spec(self, self._input, step_in_order)
        if spec is None:
            spec = fn_tracing.trace_spec(lambda e: structure.spec_of(self._step(self._state, e)[1]),
                                         in_spec, concrete=True)
        return spec if spec is not None else in_spec

    def _iter(self):
        state = self._state
        for elem in self._input._elements():
            state, out = self._step(state, elem)
            yield out
