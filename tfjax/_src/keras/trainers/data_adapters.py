"""Data adapters for ``fit``/``evaluate``/``predict``: arrays, ``tf.data``, generators, ``PyDataset``.

Every adapter yields batches as nested structures of numpy arrays (or Tensors),
``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)``. The array adapter also hands
out *stacks* of ``k`` equal-size batches (a zero-copy reshape of contiguous
rows), which the trainer runs as one compiled program (``steps_per_execution``).
"""

from __future__ import annotations

import contextlib
import math
import types
import warnings

import jax
import numpy as np

from tfjax._src.tensor import Tensor
from tfjax._src.variables import Variable


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------

def _is_array(x):
    if isinstance(x, (np.ndarray, Tensor, Variable, jax.Array)):
        return True
    mod = type(x).__module__
    return mod.startswith("pandas") or mod.startswith("tensorflow")


def _to_numpy(x):
    if isinstance(x, (Tensor, Variable)):
        a = np.asarray(x)
    elif hasattr(x, "to_numpy"):
        a = x.to_numpy()
    else:
        a = np.asarray(x)
    if a.dtype == np.float64:
        a = a.astype(np.float32)
    return a


def _is_array_structure(x):
    if x is None:
        return True
    if _is_array(x):
        return True
    if isinstance(x, dict):
        return all(_is_array_structure(v) for v in x.values())
    if isinstance(x, (list, tuple)):
        if len(x) and all(isinstance(e, (int, float, bool, np.number)) for e in x):
            return True     # a plain Python list of numbers
        return all(_is_array_structure(e) for e in x)
    return False


def _map(fn, x):
    if x is None:
        return None
    if isinstance(x, dict):
        return {k: _map(fn, v) for k, v in x.items()}
    if isinstance(x, (list, tuple)) and not (len(x) and all(isinstance(e, (int, float, bool, np.number))
                                                           for e in x)):
        return type(x)(_map(fn, e) for e in x) if not hasattr(x, "_fields") else type(x)(*[_map(fn, e) for e in x])
    return fn(x)


def _leaves(x):
    if x is None:
        return []
    if isinstance(x, dict):
        return [l for k in sorted(x) for l in _leaves(x[k])]
    if isinstance(x, (list, tuple)):
        return [l for e in x for l in _leaves(e)]
    return [x]


def unpack_x_y_sample_weight(data):
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if len(data) == 1:
        return data[0], None, None
    if len(data) == 2:
        return data[0], data[1], None
    if len(data) == 3:
        return data[0], data[1], data[2]
    raise ValueError("Data is expected to be in format `x`, `(x,)`, `(x, y)`, or `(x, y, sample_weight)`, "
                     f"found: {data}")


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    if y is None:
        if not isinstance(x, (tuple, list)):
            return x
        return (x,)
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)


def class_weight_to_sample_weights(y, class_weight):
    y = _to_numpy(y)
    if y.ndim > 1 and y.shape[-1] > 1:
        classes = np.argmax(y, axis=-1)
    else:
        classes = np.round(y.reshape(y.shape[0], -1)[:, 0]).astype(np.int64) if y.ndim > 1 else \
            np.round(y).astype(np.int64)
    return np.array([class_weight.get(int(c), 1.0) for c in classes], dtype=np.float32)


def train_validation_split(arrays, validation_split):
    leaves = [l for l in _leaves(arrays)]
    if not leaves:
        return arrays, arrays
    n = int(_to_numpy(leaves[0]).shape[0])
    split_at = int(math.floor(n * (1.0 - validation_split)))
    if split_at == 0 or split_at == n:
        raise ValueError(f"Training data contains {n} samples, which is not sufficient to split it into a "
                         f"validation and training set as specified by `validation_split={validation_split}`. "
                         "Either provide more data, or a different value for the `validation_split` argument.")
    train = _map(lambda a: _to_numpy(a)[:split_at], arrays)
    val = _map(lambda a: _to_numpy(a)[split_at:], arrays)
    return train, val


# ---------------------------------------------------------------------------
# adapters
# ---------------------------------------------------------------------------

class DataAdapter:
    num_batches = None
    batch_size = None
    can_stack = False

    def get_iterator(self):
        raise NotImplementedError

    def on_epoch_begin(self):
        pass

    def on_epoch_end(self):
        pass


class ArrayDataAdapter(DataAdapter):
    can_stack = True

    def __init__(self, x, y=None, sample_weight=None, batch_size=None, steps=None, shuffle=False,
                 class_weight=None):
        if class_weight is not None:
            if sample_weight is not None:
                raise ValueError("You cannot `class_weight` and `sample_weight` at the same time.")
            if isinstance(y, (dict, list, tuple)) and len(_leaves(y)) > 1:
                raise ValueError("`class_weight` is only supported for Models with a single output.")
            sample_weight = class_weight_to_sample_weights(_leaves(y)[0], class_weight)
        self.x = _map(_to_numpy, x)
        self.y = _map(_to_numpy, y)
        self.sw = _map(_to_numpy, sample_weight)
        leaves = _leaves(self.x) + _leaves(self.y) + _leaves(self.sw)
        sizes = {int(a.shape[0]) for a in leaves}
        if len(sizes) > 1:
            raise ValueError(f"Data cardinality is ambiguous. Make sure all arrays contain the same number of "
                             f"samples. Received sizes: {sorted(sizes)}")
        self.num_samples = sizes.pop() if sizes else 0
        if batch_size is None:
            batch_size = 32 if steps is None else int(math.ceil(self.num_samples / steps))
        self.batch_size = int(batch_size)
        self.num_batches = int(math.ceil(self.num_samples / self.batch_size)) if self.num_samples else 0
        self.shuffle = shuffle
        self._order = None

    def _struct(self):
        # As Keras: a batch without targets is ``x`` itself (``(x,)`` only when x is a tuple/list).
        return pack_x_y_sample_weight(self.x, self.y, self.sw)

    def on_epoch_begin(self):
        n, bs = self.num_samples, self.batch_size
        if self.shuffle == "batch":
            nb = self.num_batches
            order = np.arange(n)
            perm = np.random.permutation(n // bs) if n // bs else np.arange(0)
            full = order[: (n // bs) * bs].reshape(-1, bs)[perm].reshape(-1)
            self._order = np.concatenate([full, order[(n // bs) * bs:]])
            del nb
        elif self.shuffle:
            self._order = np.random.permutation(n)
        else:
            self._order = None

    def slice(self, start, stop):
        """Rows ``[start, stop)`` of every array (in this epoch's order)."""
        if self._order is None:
            return _map(lambda a: a[start:stop], self._struct())
        idx = self._order[start:stop]
        return _map(lambda a: a[idx], self._struct())

    def stacked(self, first_step, k):
        """``k`` full batches starting at step ``first_step``, stacked on a new leading axis."""
        bs = self.batch_size
        data = self.slice(first_step * bs, (first_step + k) * bs)
        return _map(lambda a: a.reshape((k, bs) + a.shape[1:]), data)

    def get_iterator(self):
        bs = self.batch_size
        for i in range(self.num_batches):
            yield self.slice(i * bs, min((i + 1) * bs, self.num_samples))


def _is_tfjax_dataset(x):
    try:
        from tfjax._src.data.dataset import DatasetV2  # noqa: PLC0415
    except Exception:  # noqa: BLE001
        return False
    return isinstance(x, DatasetV2)


class DatasetAdapter(DataAdapter):
    def __init__(self, dataset, steps=None):
        self.dataset = dataset
        n = None
        try:
            c = int(dataset._card())
            if c >= 0:
                n = c
        except Exception:  # noqa: BLE001
            n = None
        self.num_batches = n

    def get_iterator(self):
        try:
            it = self.dataset.as_numpy_iterator()
        except Exception:  # noqa: BLE001
            it = iter(self.dataset)
        for e in it:
            yield tuple(e) if isinstance(e, list) else e


class GeneratorAdapter(DataAdapter):
    def __init__(self, generator):
        self.generator = generator
        self.num_batches = None
        self._used = False

    def get_iterator(self):
        gen = self.generator
        if callable(gen) and not hasattr(gen, "__next__"):
            gen = gen()
        for e in gen:
            yield tuple(e) if isinstance(e, list) else e


class PyDatasetAdapter(DataAdapter):
    def __init__(self, ds, shuffle=False):
        self.ds = ds
        self.shuffle = shuffle
        n = getattr(ds, "num_batches", None)
        if n is None:
            try:
                n = len(ds)
            except TypeError:
                n = None
        self.num_batches = n

    def get_iterator(self):
        n = self.num_batches
        if n is None:
            i = 0
            while True:
                try:
                    e = self.ds[i]
                except IndexError:
                    return
                yield tuple(e) if isinstance(e, list) else e
                i += 1
        order = np.random.permutation(n) if self.shuffle else range(n)
        for i in order:
            e = self.ds[int(i)]
            yield tuple(e) if isinstance(e, list) else e

    def on_epoch_end(self):
        f = getattr(self.ds, "on_epoch_end", None)
        if f is not None:
            f()


def _is_py_dataset(x):
    return hasattr(x, "__getitem__") and hasattr(x, "__len__") and not _is_array_structure(x) \
        and not isinstance(x, (dict, list, tuple, str))


def get_data_adapter(x, y=None, sample_weight=None, batch_size=None, steps_per_epoch=None, shuffle=False,
                     class_weight=None):
    if _is_tfjax_dataset(x) or (type(x).__module__.startswith("tensorflow") and hasattr(x, "element_spec")):
        _check_no_y(x, y, sample_weight, "a `tf.data.Dataset`")
        return DatasetAdapter(x, steps_per_epoch)
    if _is_array_structure(x):
        return ArrayDataAdapter(x, y, sample_weight, batch_size=batch_size, steps=steps_per_epoch,
                                shuffle=shuffle, class_weight=class_weight)
    if _is_py_dataset(x):
        _check_no_y(x, y, sample_weight, "a PyDataset")
        return PyDatasetAdapter(x, shuffle=shuffle)
    if isinstance(x, types.GeneratorType) or hasattr(x, "__next__") or hasattr(x, "__iter__"):
        _check_no_y(x, y, sample_weight, "a Python generator")
        return GeneratorAdapter(x)
    raise ValueError(f"Unrecognized data type: x={x} (of type {type(x)})")


def _check_no_y(x, y, sw, kind):
    if y is not None:
        raise ValueError(f"When providing `x` as {kind}, `y` should not be passed. Instead, the targets should "
                         "be included as part of the dataset `x`.")
    if sw is not None:
        raise ValueError(f"When providing `x` as {kind}, `sample_weight` should not be passed. Instead, the "
                         "sample weights should be included as part of the dataset `x`.")


# ---------------------------------------------------------------------------
# epoch iteration
# ---------------------------------------------------------------------------

class EpochIterator:
    """Yields ``(begin_step, end_step, kind, data)`` per execution; ``kind`` is "one" or "stack".

    Mirrors Keras's EpochIterator: with ``steps_per_epoch`` the underlying
    iterator carries over between epochs; running out of data warns and ends
    the epoch.
    """

    def __init__(self, x, y=None, sample_weight=None, batch_size=None, steps_per_epoch=None, shuffle=False,
                 class_weight=None, steps_per_execution=1):
        self.steps_per_epoch = steps_per_epoch
        self.steps_per_execution = max(1, int(steps_per_execution))
        self.adapter = get_data_adapter(x, y, sample_weight, batch_size, steps_per_epoch, shuffle, class_weight)
        self._num_batches = self.adapter.num_batches
        self._current = None
        self._steps_seen = 0
        self.ran_out = False

    @property
    def num_batches(self):
        if self.steps_per_epoch:
            return self.steps_per_epoch
        return self._num_batches

    def reset(self):
        self._current = None
        self._steps_seen = 0
        self._num_batches = self.adapter.num_batches
        self.adapter.on_epoch_end()

    def _warn(self):
        warnings.warn("Your input ran out of data; interrupting training. Make sure that your dataset or "
                      "generator can generate at least `steps_per_epoch * epochs` batches. You may need to "
                      "use the `.repeat()` function when building your dataset.", stacklevel=3)

    def enumerate_epoch(self, spe=None):
        """Executions of this epoch; ``spe`` overrides steps_per_execution (auto mode)."""
        k = self.steps_per_execution if spe is None else max(1, int(spe))
        ad = self.adapter
        ad.on_epoch_begin()
        total = self.steps_per_epoch or self._num_batches or -1
        # Fast path: arrays, fresh pass each epoch, steps stacked k at a time.
        if isinstance(ad, ArrayDataAdapter) and not self.steps_per_epoch:
            nfull = ad.num_samples // ad.batch_size
            step = 0
            while step < total:
                if k > 1 and step + k <= nfull:
                    yield step, step + k - 1, "stack", ad.stacked(step, k)
                    step += k
                else:
                    bs = ad.batch_size
                    yield step, step, "one", ad.slice(step * bs, min((step + 1) * bs, ad.num_samples))
                    step += 1
            ad.on_epoch_end()
            return
        if total > 0:
            if self._current is None or self.steps_per_epoch is None:
                self._current = iter(ad.get_iterator())
                self._steps_seen = 0
            for step in range(0, total):
                if self._num_batches and self._steps_seen >= self._num_batches:
                    if self.steps_per_epoch:
                        self._warn()
                        self.ran_out = True
                    break
                try:
                    data = next(self._current)
                except StopIteration:
                    if self._num_batches is None:
                        self._num_batches = self._steps_seen
                    self._warn()
                    self.ran_out = True
                    self._current = None
                    break
                self._steps_seen += 1
                yield step, step, "one", data
            if self._num_batches and self._steps_seen >= self._num_batches:
                self._current = iter(ad.get_iterator())
                self._steps_seen = 0
        else:
            it = iter(ad.get_iterator())
            step = 0
            for data in it:
                self._steps_seen = step + 1
                yield step, step, "one", data
                step += 1
            if self._num_batches is None:
                self._num_batches = step
        ad.on_epoch_end()

    @contextlib.contextmanager
    def catch_stop_iteration(self):
        yield
