"""Iterators: the user-facing ``OwnedIterator``/``NumpyIterator`` and the background
machinery (prefetch thread with a bounded queue, thread-pool parallel map)."""

from __future__ import annotations

import collections
import concurrent.futures
import os
import queue
import threading
import time

import jax
import numpy as np

from tfjax._src import errors
from tfjax._src.data import structure
from tfjax._src.io import host
from tfjax._src.tensor_spec import TypeSpec

AUTOTUNE = -1


def default_parallelism():
    return max(2, os.cpu_count() or 2)


class OwnedIterator:
    """``iter(dataset)``: yields structures of tfjax Tensors."""

    def __init__(self, dataset):
        self._dataset = dataset
        self._it = dataset._elements()
        self._element_spec = None

    @property
    def element_spec(self):
        return self._dataset.element_spec

    def __iter__(self):
        return self

    def __next__(self):
        return structure.to_user(next(self._it))

    def get_next(self):
        try:
            return structure.to_user(next(self._it))
        except StopIteration:
            raise errors.OutOfRangeError("End of sequence [Op:IteratorGetNext]") from None

    def get_next_as_optional(self):
        try:
            return Optional.from_value(structure.to_user(next(self._it)))
        except StopIteration:
            return Optional.empty(self._dataset.element_spec)

    @property
    def _type_spec(self):
        return IteratorSpec(self._dataset.element_spec)

    def __repr__(self):
        return f"<OwnedIterator element_spec={self._dataset.element_spec!r}>"


class NumpyIterator:
    """``dataset.as_numpy_iterator()``: yields numpy values (bytes for scalar strings)."""

    def __init__(self, dataset):
        self._it = dataset._elements()

    def __iter__(self):
        return self

    def __next__(self):
        return structure.to_numpy(next(self._it))

    def next(self):
        return self.__next__()

    def __repr__(self):
        return "<NumpyIterator>"


class Optional:
    """``tf.experimental.Optional``: a value that may be absent."""

    def __init__(self, value=None, has_value=False, element_spec=None):
        self._value = value
        self._has = has_value
        self._spec = element_spec

    @staticmethod
    def from_value(value):
        return Optional(value, True)

    @staticmethod
    def empty(element_spec):
        return Optional(None, False, element_spec)

    def has_value(self, name=None):
        from tfjax._src import tensor as tensor_lib  # noqa: PLC0415
        return tensor_lib.convert_to_tensor(np.bool_(self._has))

    def get_value(self, name=None):
        if not self._has:
            raise errors.InvalidArgumentError("The optional does not have a value.")
        return self._value

    @property
    def element_spec(self):
        if self._spec is None and self._has:
            self._spec = structure.spec_of(structure.normalize_element(self._value))
        return self._spec


# ---------------------------------------------------------------------------
# prefetch
# ---------------------------------------------------------------------------

_END = object()


class _Failure:
    __slots__ = ("exc",)

    def __init__(self, exc):
        self.exc = exc


def _to_device_leaf(leaf):
    if isinstance(leaf, np.ndarray) and leaf.dtype != object:
        return host.to_device(leaf)  # not jnp.asarray: see there
    return leaf


def to_device(elem):
    if structure.is_nested(elem):
        return structure.map_structure(_to_device_leaf, elem)
    return _to_device_leaf(elem)


def _producer(it, q, stop, convert):
    try:
        while not stop.is_set():
            try:
                item = next(it)
                if convert:
                    item = to_device(item)
            except StopIteration:
                item = _END
            except BaseException as e:  # noqa: BLE001 - forwarded to the consumer
                item = _Failure(e)
            while not stop.is_set():
                try:
                    q.put(item, timeout=0.1)
                    break
                except queue.Full:
                    continue
            if item is _END:
                return
    finally:
        close = getattr(it, "close", None)
        if close is not None:
            try:
                close()
            except Exception:  # noqa: BLE001
                pass


def prefetch_iter(make_it, buffer_size, convert=True):
    """A generator reading ``make_it()`` on a background thread, ``buffer_size`` ahead."""
    q = queue.Queue(maxsize=max(1, buffer_size))
    stop = threading.Event()
    t = threading.Thread(target=_producer, args=(make_it(), q, stop, convert), daemon=True,
                         name="tfjax-data-prefetch")
    t.start()
    try:
        while True:
            item = q.get()
            if item is _END:
                return
            if type(item) is _Failure:
                raise item.exc
            yield item
    finally:
        stop.set()


# ---------------------------------------------------------------------------
# parallel map
# ---------------------------------------------------------------------------

class _Err:
    __slots__ = ("exc",)

    def __init__(self, exc):
        self.exc = exc


def _run_chunk(fn, elems, stats):
    out = []
    t0 = time.perf_counter()
    for e in elems:
        try:
            out.append(fn(e))
        except Exception as ex:  # noqa: BLE001 - surfaced at this element's position
            out.append(_Err(ex))
    stats[0] = 0.8 * stats[0] + 0.2 * (time.perf_counter() - t0) / len(elems)
    return out


class ParallelMapIter:
    """Applies ``fn`` to input elements on a thread pool, at most ``n`` tasks in flight.

    In deterministic mode each task maps a small chunk of consecutive elements
    (amortising the pool's per-task cost) and results come back in input order;
    otherwise one element per task, yielded as tasks finish. An exception from
    ``fn`` surfaces at that element's position and the iterator stays usable
    (for ``ignore_errors``).
    """

    def __init__(self, it, fn, n, deterministic, chunk=None):
        self._it = it
        self._fn = fn
        self._n = n
        self._det = deterministic
        self._adaptive = chunk is None and deterministic
        self._chunk = 1 if chunk is None else chunk
        self._stats = [0.0]  # moving average of seconds per element
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=n,
                                                           thread_name_prefix="tfjax-data-map")
        self._pending = collections.deque()
        self._ready = collections.deque()
        self._exhausted = False

    def __iter__(self):
        return self

    def _fill(self):
        if self._adaptive:
            # cheap functions: several elements per task; expensive ones: one, for parallelism
            per = self._stats[0]
            # (the pool's per-task cost is ~20-50 us of GIL-holding Python on a loaded machine)
            self._chunk = 1 if per > 2e-4 or per == 0.0 else (4 if per > 5e-5 else (8 if per > 2e-5 else 32))
        while not self._exhausted and len(self._pending) < self._n:
            elems = []
            err = None
            while len(elems) < self._chunk:
                try:
                    elems.append(next(self._it))
                except StopIteration:
                    self._exhausted = True
                    break
                except Exception as e:  # noqa: BLE001 - keep order: surface after earlier results
                    err = e
                    break
            if elems:
                self._pending.append(self._pool.submit(_run_chunk, self._fn, elems, self._stats))
            if err is not None:
                f = concurrent.futures.Future()
                f.set_result([_Err(err)])
                self._pending.append(f)

    def __next__(self):
        if not self._ready:
            self._fill()
            if not self._pending:
                self._pool.shutdown(wait=False)
                raise StopIteration
            if self._det:
                f = self._pending.popleft()
            else:
                done, _ = concurrent.futures.wait(self._pending,
                                                  return_when=concurrent.futures.FIRST_COMPLETED)
                f = next(p for p in self._pending if p in done)
                self._pending.remove(f)
            self._ready.extend(f.result())
            self._fill()
        r = self._ready.popleft()
        if type(r) is _Err:
            raise r.exc
        return r

    def close(self):
        for f in self._pending:
            f.cancel()
        self._pool.shutdown(wait=False, cancel_futures=True)

    def __del__(self):
        try:
            self._pool.shutdown(wait=False, cancel_futures=True)
        except Exception:  # noqa: BLE001
            pass


class _Budget:
    """At most ``n`` elements of ``it``, then looks exhausted (the rest stays in ``it``)."""

    __slots__ = ("_it", "left")

    def __init__(self, it, n):
        self._it = it
        self.left = n

    def __iter__(self):
        return self

    def __next__(self):
        if self.left <= 0:
            raise StopIteration
        self.left -= 1
        return next(self._it)


class AutotuneMapIter:
    """``map(num_parallel_calls=AUTOTUNE)``: times the function inline, then on the pool, and
    keeps the faster for the rest of the iteration.

    A pool only pays when the function releases the GIL for longer than a hand-off costs
    (tens of microseconds of GIL-holding Python per task, more when the cores are shared); for
    cheap, vectorised batch-level functions running them inline on the consuming thread was
    measured faster, and which one wins depends on the machine's load. So measure, per iterator.
    Each probe is timed as a wall-clock window over consecutive elements, so the consumer's own
    work between calls (and any GIL contention from pool threads) counts, as it does in use.
    """

    _INLINE_PROBE = 8   # the first is not timed (first calls may compile / fill caches)
    _POOL_PROBE = 24

    def __init__(self, it, fn, n, deterministic):
        self._it = it
        self._fn = fn
        self._n = n
        self._det = deterministic
        self._phase = 0     # 0: inline probe; 1: pool probe; 2: decided
        self._seen = 0
        self._t0 = None
        self._inline_per = 0.0
        self._pool = None
        self._budget = None
        self.chose_pool = None

    def __iter__(self):
        return self

    def __next__(self):
        if self._phase == 2:
            if self._pool is not None:
                return next(self._pool)
            return self._fn(next(self._it))
        if self._phase == 0:
            if self._seen == 1:
                self._t0 = time.perf_counter()
            out = self._fn(next(self._it))
            self._seen += 1
            if self._seen == self._INLINE_PROBE:
                self._inline_per = (time.perf_counter() - self._t0) / (self._seen - 1)
                self._seen = 0
                self._t0 = time.perf_counter()
                self._budget = _Budget(self._it, self._POOL_PROBE)
                self._pool = ParallelMapIter(self._budget, self._fn, self._n, self._det)
                self._phase = 1
            return out
        try:
            out = next(self._pool)
        except StopIteration:
            if self._budget.left > 0:  # the input ended during the probe
                raise
            self._decide()
            return next(self)
        self._seen += 1
        return out

    def _decide(self):
        pool_per = (time.perf_counter() - self._t0) / max(self._seen, 1)
        self._phase = 2
        self.chose_pool = pool_per < self._inline_per
        self._pool.close()
        self._pool = ParallelMapIter(self._it, self._fn, self._n, self._det) if self.chose_pool else None

    def close(self):
        if self._pool is not None:
            self._pool.close()


del jax


class IteratorSpec(TypeSpec):
    """``tf.data.IteratorSpec(element_spec)``: the type of an iterator over ``element_spec``."""

    __slots__ = ("_element_spec",)

    def __init__(self, element_spec):
        self._element_spec = element_spec

    @property
    def element_spec(self):
        return self._element_spec

    @property
    def value_type(self):
        return OwnedIterator

    @staticmethod
    def from_value(value):
        return IteratorSpec(value.element_spec)

    def is_compatible_with(self, spec_or_value):
        other = spec_or_value if isinstance(spec_or_value, IteratorSpec) else IteratorSpec.from_value(spec_or_value)
        try:
            structure.most_specific(self._element_spec, other._element_spec)
        except (TypeError, ValueError):
            return False
        return structure.same_structure(self._element_spec, other._element_spec)

    def __eq__(self, other):
        return type(other) is IteratorSpec and self._element_spec == other._element_spec

    def __hash__(self):
        return hash(repr(self))

    def __repr__(self):
        return f"IteratorSpec({self._element_spec!r},)"
