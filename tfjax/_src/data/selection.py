"""Which elements, in what order: shuffle, repeat, take, skip, shard."""

from __future__ import annotations

import numpy as np

from tfjax._src import errors
from tfjax._src.data.dataset import _CHUNK, AUTOTUNE, INFINITE, UNKNOWN, _make_seed, _scalar_int
from tfjax._src.data.unary import _Unary, peeking


# ---------------------------------------------------------------------------
# shuffle / repeat / take / skip / shard
# ---------------------------------------------------------------------------

def _shuffle_stream(items, buffer_size, rng):
    """TF's shuffle: fill a buffer, emit a uniformly chosen slot and refill it."""
    items = iter(items)
    buf = []
    for x in items:
        buf.append(x)
        if len(buf) >= buffer_size:
            break
    n = len(buf)
    if n == buffer_size:
        rand = rng.integers(0, n, size=_CHUNK).tolist()
        k = 0
        for x in items:
            if k == _CHUNK:
                rand = rng.integers(0, n, size=_CHUNK).tolist()
                k = 0
            r = rand[k]
            k += 1
            yield buf[r]
            buf[r] = x
    for r in rng.permutation(len(buf)).tolist():
        yield buf[r]


def _int_stream(chunks):
    for c in chunks:
        yield from (c if isinstance(c, range) else c.tolist())


def _rechunk(ints):
    out = []
    for i in ints:
        out.append(i)
        if len(out) == _CHUNK:
            yield np.array(out, dtype=np.int64)
            out = []
    if out:
        yield np.array(out, dtype=np.int64)


class ShuffleDataset(_Unary):
    _tf_name = "_ShuffleDataset"

    def __init__(self, input_dataset, buffer_size, seed, reshuffle_each_iteration):
        super().__init__(input_dataset)
        b = _scalar_int(buffer_size, "buffer_size")
        if b == AUTOTUNE:
            b = 1024
        if b <= 0:
            raise errors.InvalidArgumentError("buffer_size must be greater than zero.")
        self._b = b
        self._seed = _make_seed(seed)
        self._fixed = self._seed.spawn(1)[0]
        self._reshuffle = True if reshuffle_each_iteration is None else bool(reshuffle_each_iteration)

    def _rng(self):
        if peeking() or not self._reshuffle:
            return np.random.default_rng(self._fixed)
        return np.random.default_rng(self._seed.spawn(1)[0])

    def _iter(self):
        return _shuffle_stream(self._input._elements(), self._b, self._rng())

    def _indexed(self):
        ix = self._input._indexed()
        if ix is None:
            return None
        base, chunks = ix
        n = self._input._card()
        b = self._b

        def shuffled():
            rng = self._rng()
            if 0 <= n <= b:
                allidx = [np.arange(c.start, c.stop, dtype=np.int64) if isinstance(c, range) else c
                          for c in chunks()]
                allidx = np.concatenate(allidx) if allidx else np.zeros(0, np.int64)
                perm = allidx[rng.permutation(len(allidx))]
                for a in range(0, len(perm), _CHUNK):
                    yield perm[a:a + _CHUNK]
                return
            yield from _rechunk(_shuffle_stream(_int_stream(chunks()), b, rng))
        return base, shuffled


class RepeatDataset(_Unary):
    _tf_name = "_RepeatDataset"

    def __init__(self, input_dataset, count):
        super().__init__(input_dataset)
        self._count = -1 if count is None else _scalar_int(count, "count")

    def _card(self):
        n = self._input._card()
        if self._count < 0:  # TF: an endless repeat is infinite unless the input is known empty
            return 0 if n == 0 else INFINITE
        if self._count == 0 or n == 0:
            return 0
        if n in (INFINITE, UNKNOWN):
            return n
        return n * self._count

    def _epochs(self):
        c = self._count
        k = 0
        while c < 0 or k < c:
            yield k
            k += 1

    def _iter(self):
        for _ in self._epochs():
            got = False
            for elem in self._input._elements():
                got = True
                yield elem
            if not got:
                return

    def _indexed(self):
        ix = self._input._indexed()
        if ix is None:
            return None
        base, chunks = ix

        def rep():
            for _ in self._epochs():
                got = False
                for c in chunks():
                    if len(c):
                        got = True
                        yield c
                if not got:
                    return
        return base, rep


def _slice_stream(chunks, start, stop):
    """Positions [start, stop) of an index-chunk stream (stop None: to the end)."""
    pos = 0
    for c in chunks:
        n = len(c)
        a, b = max(start - pos, 0), n if stop is None else min(stop - pos, n)
        if a < b:
            yield c[a:b]
        pos += n
        if stop is not None and pos >= stop:
            return


class TakeDataset(_Unary):
    _tf_name = "_TakeDataset"

    def __init__(self, input_dataset, count):
        super().__init__(input_dataset)
        self._count = _scalar_int(count, "count")

    def _card(self):
        n = self._input._card()
        if n == UNKNOWN:
            return UNKNOWN
        if n == INFINITE:
            return self._count if self._count >= 0 else INFINITE
        return n if self._count < 0 else min(n, self._count)

    def _iter(self):
        c = self._count
        if c == 0:
            return
        k = 0
        for elem in self._input._elements():
            yield elem
            k += 1
            if k == c:
                return

    def _indexed(self):
        ix = self._input._indexed()
        if ix is None:
            return None
        base, chunks = ix
        stop = None if self._count < 0 else self._count
        return base, lambda: _slice_stream(chunks(), 0, stop)


class SkipDataset(_Unary):
    _tf_name = "_SkipDataset"

    def __init__(self, input_dataset, count):
        super().__init__(input_dataset)
        self._count = _scalar_int(count, "count")

    def _card(self):
        n = self._input._card()
        if n in (INFINITE, UNKNOWN):
            return n
        if self._count < 0:
            return 0
        return max(0, n - self._count)

    def _iter(self):
        c = self._count
        it = self._input._elements()
        if c < 0:
            for _ in it:
                pass
            return
        for _ in range(c):
            try:
                next(it)
            except StopIteration:
                return
        yield from it

    def _indexed(self):
        ix = self._input._indexed()
        if ix is None or self._count < 0:
            return None
        base, chunks = ix
        return base, lambda: _slice_stream(chunks(), self._count, None)


class ShardDataset(_Unary):
    _tf_name = "_ShardDataset"

    def __init__(self, input_dataset, num_shards, index):
        super().__init__(input_dataset)
        self._n = _scalar_int(num_shards, "num_shards")
        self._i = _scalar_int(index, "index")
        if self._n <= 0:
            raise errors.InvalidArgumentError("Number of shards must be greater than zero (currently "
                                              f"num_shards = {self._n}).")
        if not 0 <= self._i < self._n:
            raise errors.InvalidArgumentError(f"Index must be between 0 and {self._n - 1} (currently "
                                              f"index = {self._i}).")

    def _card(self):
        n = self._input._card()
        if n in (INFINITE, UNKNOWN):
            return n
        return n // self._n + (1 if self._i < n % self._n else 0)

    def _iter(self):
        for k, elem in enumerate(self._input._elements()):
            if k % self._n == self._i:
                yield elem

    def _indexed(self):
        ix = self._input._indexed()
        if ix is None:
            return None
        base, chunks = ix

        def sharded():
            pos = 0
            for c in chunks():
                arr = np.arange(c.start, c.stop, dtype=np.int64) if isinstance(c, range) else c
                sel = arr[(pos + np.arange(len(arr))) % self._n == self._i]
                pos += len(arr)
                if len(sel):
                    yield sel
        return base, sharded
