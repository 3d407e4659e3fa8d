"""cache, prefetch, options, assert_cardinality, ignore_errors, unique."""

from __future__ import annotations

import os
import sys

from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src.data import structure
from tfjax._src.data.dataset import AUTOTUNE, INFINITE, UNKNOWN, _scalar_int
from tfjax._src.data import iterator as iterator_lib
from tfjax._src.data.unary import _Unary


# ---------------------------------------------------------------------------
# cache / prefetch / options
# ---------------------------------------------------------------------------

class CacheDataset(_Unary):
    _tf_name = "_CacheDataset"

    def __init__(self, input_dataset, filename):
        super().__init__(input_dataset)
        if hasattr(filename, "numpy"):
            filename = filename.numpy()
        if isinstance(filename, bytes):
            filename = filename.decode()
        self._filename = os.fspath(filename) if filename else ""
        self._mem = None
        self._idx = None

    def _iter(self):
        if self._filename:
            return self._iter_file()
        return self._iter_memory()

    def _iter_memory(self):
        if self._mem is not None:
            yield from self._mem
            return
        acc = []
        for elem in self._input._elements():
            acc.append(elem)
            yield elem
        self._mem = acc

    def _iter_file(self):
        # TF's rule: the cache is read iff its .index exists when iteration starts; a pass that
        # stops early discards what it wrote (CacheWriter.abort), so a partial cache is never used.
        from tfjax._src.data import cache_file  # noqa: PLC0415
        if cache_file.is_complete(self._filename):
            yield from cache_file.read(self._filename, self.element_spec)
            return
        n = len(structure.flatten(self.element_spec)) if structure.is_nested(self.element_spec) else 1
        writer = cache_file.CacheWriter(self._filename, n)
        done = False
        try:
            for elem in self._input._elements():
                writer.add(elem)
                yield elem
            writer.finish()
            done = True
        finally:
            if not done:
                writer.abort()

    def _indexed(self):
        if self._filename:
            return None
        ix = self._input._indexed()
        if ix is None:
            return None
        base, chunks = ix

        def cached():
            if self._idx is not None:
                yield from self._idx
                return
            acc = []
            for c in chunks():
                acc.append(c)
                yield c
            self._idx = acc
        return base, cached


class PrefetchDataset(_Unary):
    _tf_name = "_PrefetchDataset"

    def __init__(self, input_dataset, buffer_size):
        super().__init__(input_dataset)
        b = _scalar_int(buffer_size, "buffer_size")
        if b < AUTOTUNE:
            raise errors.InvalidArgumentError("buffer_size must be >= -1 (AUTOTUNE).")
        self._b = b

    def _iter(self):
        if self._b == 0:
            return self._input._elements()
        size = 8 if self._b == AUTOTUNE else self._b
        return iterator_lib.prefetch_iter(self._input._elements, size)


class OptionsDataset(_Unary):
    _tf_name = "_OptionsDataset"

    def __init__(self, input_dataset, options):
        super().__init__(input_dataset)
        self._own_options = options

    def _iter(self):
        return self._input._elements()

    def _indexed(self):
        return self._input._indexed()


class AssertCardinalityDataset(_Unary):
    _tf_name = "_AssertCardinalityDataset"

    def __init__(self, input_dataset, expected):
        super().__init__(input_dataset)
        self._expected = _scalar_int(expected, "expected_cardinality")

    def _card(self):
        return self._expected

    def _iter(self):
        k = 0
        for elem in self._input._elements():
            k += 1
            if self._expected >= 0 and k > self._expected:
                raise errors.FailedPreconditionError(
                    f"Input dataset was expected to contain {self._expected} elements but contained at "
                    f"least {k} elements.")
            yield elem
        if self._expected == INFINITE or k < self._expected:
            raise errors.FailedPreconditionError(
                f"Input dataset was expected to contain {self._expected} elements but contained only "
                f"{k} elements.")


class IgnoreErrorsDataset(_Unary):
    """Skips elements whose computation raised.

    tfjax pipelines are Python iterators: ``map``/``filter`` iterators survive an
    error in the user function, so ``ds.map(f).ignore_errors()`` continues like TF.
    An error raised inside other stages (e.g. between ``map`` and ``ignore_errors``
    sits a ``batch``) ends that stage's input, so iteration stops there.
    """

    _tf_name = "_IgnoreErrorsDataset"

    def __init__(self, input_dataset, log_warning):
        super().__init__(input_dataset)
        self._log = log_warning

    def _card(self):
        return UNKNOWN

    def _iter(self):
        it = self._input._elements()
        while True:
            try:
                elem = next(it)
            except StopIteration:
                return
            except Exception as e:  # noqa: BLE001
                if self._log:
                    print(f"Error raised with error message {e}", file=sys.stderr)
                continue
            yield elem


class UniqueDataset(_Unary):
    _tf_name = "_UniqueDataset"

    def __init__(self, input_dataset):
        super().__init__(input_dataset)
        spec = input_dataset.element_spec
        if structure.is_nested(spec) or spec.dtype not in (dtypes.int32, dtypes.int64, dtypes.string) \
                or (spec.shape.rank is not None and spec.shape.rank > 1):
            raise TypeError("`tf.data.Dataset.unique` does not support type or shape "
                            f"{spec}: only int32, int64 and string scalars/vectors.")

    def _card(self):
        return UNKNOWN

    def _iter(self):
        seen = set()
        for elem in self._input._elements():
            a = structure.host(elem)
            key = a.tobytes() if a.dtype != object else tuple(a.reshape(-1).tolist())
            key = (a.shape, key)
            if key not in seen:
                seen.add(key)
                yield elem
