"""How ``fit`` / ``evaluate`` / ``predict`` run their steps: the compiled step functions, several steps
per program, and the batches of an in-memory epoch.

Each step is a ``tf.function`` over the model's ``train_step`` / ``test_step`` /
``predict_step`` whose closure holds the model, its optimizer and its metrics, so
the compiled program captures and writes back all of their variables. In-memory
arrays are copied to the device once per fit and batches are cut there
(``device_data.py``): a numpy batch's ``device_put`` cost more than the slice.

``steps_per_execution = k > 1`` runs ``k`` steps in one program: the batches are
stacked on a leading axis and ``jax.lax.scan`` runs ``train_step`` over them, with
the variable state carried through the scan by a nested ``StateScope``.

Automatic ``steps_per_execution`` (the default when ``compile`` is not given
one): when the data are in-memory arrays, training runs compiled, and no
callback reads per-batch results (only the progress bar / History / epoch-level
callbacks), fit times compiled single steps 2..6 of the first epoch; if a step
takes less than ``_AUTO_TARGET_S`` (5 ms: the ~0.1-0.2 ms of Python and dispatch around
each call is then more than a few percent of it, and a scanned execution also keeps the
state in place across its steps), the rest of training runs
``k = min(32, ceil(_AUTO_TARGET_S / step_time))`` steps per program. Results are
the same (the same step, scanned); only progress-bar refreshes get coarser.
"""

from __future__ import annotations

import math
import time

import jax
import jax.numpy as jnp
import numpy as np

from tfjax._src import nest
from tfjax._src import variables as _vars
from tfjax._src.tensor import Tensor, to_array
from tfjax._src.variables import Variable

_AUTO_TARGET_S = 5e-3
_AUTO_MAX = 32


class _AutoSPE(int):
    """The default ``steps_per_execution``: reads as 1, lets fit pick a larger value."""

    def __repr__(self):
        return "1"


AUTO_STEPS_PER_EXECUTION = _AutoSPE(1)


class _DiscoveredInScan(Exception):
    pass


def raw_tree(x):
    """Tensors/arrays in a nested structure -> raw arrays (None kept)."""
    if x is None:
        return None
    if isinstance(x, dict):
        return {k: raw_tree(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        vals = [raw_tree(e) for e in x]
        return tuple(vals) if isinstance(x, tuple) else vals
    if isinstance(x, (Tensor, Variable)):
        return to_array(x)
    return x


def tensor_tree(x):
    if x is None:
        return None
    if isinstance(x, dict):
        return {k: tensor_tree(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        vals = [tensor_tree(e) for e in x]
        return tuple(vals) if isinstance(x, tuple) else vals
    if isinstance(x, Tensor):
        return x
    return Tensor(x)


def to_device(x):
    """numpy leaves -> Tensors on the default device (``jax.device_put`` is the cheap transfer path)."""
    if isinstance(x, np.ndarray):
        if x.dtype == object or x.dtype.kind in "SU":
            return x
        return Tensor(jax.device_put(x))
    if isinstance(x, dict):
        return {k: to_device(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        vals = [to_device(e) for e in x]
        return tuple(vals) if isinstance(x, tuple) else vals
    return x


# ------------------------------------------------------------------ compiled step functions
def _state_roots(trainer):
    roots = [trainer]
    if trainer.optimizer is not None:
        roots.append(trainer.optimizer)
    roots.extend(trainer.metrics)
    return roots


def make_step_function(trainer, step_name, multi):
    from tfjax._src.function import Function  # noqa: PLC0415
    roots = _state_roots(trainer)

    def one_step(data):
        _ = roots
        return getattr(trainer, step_name)(data)

    if trainer._run_eagerly:
        return one_step
    if not multi:
        f = Function(one_step)
        f.__name__ = f"{step_name[:-5]}_function"
    else:
        def multi_step(stacked):
            _ = roots
            outs = _scan(trainer, getattr(trainer, step_name), stacked)
            if step_name == "predict_step":
                return outs
            # Train/test logs: the last step's, picked inside the program. Indexing the stacked
            # logs eagerly afterwards would wait for the execution to finish, so the next
            # execution could not be dispatched while this one runs.
            return nest.map_structure(lambda t: Tensor(t._value[-1]) if isinstance(t, Tensor) else t, outs)
        f = Function(multi_step)
        f.__name__ = f"multi_{step_name[:-5]}_function"
    # The step updates the model's, optimizer's and metrics' variables in place (donation.py).
    f._donate_state = True
    return f


def _scan(trainer, step_fn, stacked):
    outer = _vars.current_scope()
    state_vars = list(outer.vars.values())
    ids = {id(v) for v in state_vars}
    init = [outer.read(v) for v in state_vars]
    raw = raw_tree(stacked)

    def body(carry, batch):
        scope = _vars.StateScope(state_vars, carry)
        with _vars.enter_scope(scope):
            out = step_fn(tensor_tree(batch))
        extra = [v for v in scope.written.values() if id(v) not in ids]
        if extra:
            trainer._scan_extra = extra
            raise _DiscoveredInScan()
        new = [jnp.asarray(scope.values[id(v)]).astype(c.dtype) for v, c in zip(state_vars, carry)]
        return new, raw_tree(out)

    final, outs = jax.lax.scan(body, init, raw)
    for v, x in zip(state_vars, final):
        outer.write(v, x)
    return outs


def _call_multi(fn, data, which):
    """``(last step's logs, None)`` for train/test, ``(None, stacked outputs)`` for predict."""
    try:
        out = fn(data)
    except _DiscoveredInScan:
        raise RuntimeError("A variable outside the model, its optimizer and metrics was assigned inside "
                           "train_step; use steps_per_execution=1.") from None
    return (None, out) if which == "predict" else (out, None)


def run_step(trainer, which, kind, data):
    """One execution: ``kind`` "one" is a single batch, "stack" ``k`` batches stacked for the scanned step."""
    strategy = getattr(trainer, "_distribute_strategy", None)
    if strategy is not None and kind != "stack":
        data = strategy.distribute_batch(data)
    else:
        data = to_device(data)
    if kind == "stack":
        multi = {"train": trainer._train_multi, "test": trainer._test_multi, "predict": trainer._predict_multi}[which]
        return _call_multi(multi, data, which)
    fn = {"train": trainer.train_function, "test": trainer.test_function, "predict": trainer.predict_function}[which]
    out = fn(data)
    return out, None


# ------------------------------------------------------------------ batches of an epoch
def epoch_batches(trainer, it, spe_state):
    """Executions of one epoch; the auto steps_per_execution may change between them."""
    from tfjax._src.keras.trainers import data_adapters as da  # noqa: PLC0415
    ad = it.adapter
    if not isinstance(ad, da.ArrayDataAdapter) or it.steps_per_epoch or trainer._run_eagerly:
        yield from it.enumerate_epoch()
        return
    dev = spe_state.get("device_arrays", False)
    if dev is False:
        from tfjax._src.keras.trainers import device_data  # noqa: PLC0415
        struct = ad._struct()
        dev = device_data.DeviceArrays(struct) \
            if getattr(trainer, "_distribute_strategy", None) is None and device_data.eligible(struct) else None
        spe_state["device_arrays"] = dev
    ad.on_epoch_begin()
    n, bs = ad.num_samples, ad.batch_size
    total, nfull = ad.num_batches, n // bs
    step = 0
    while step < total:
        k = spe_state["k"]
        if k > 1 and step + k <= nfull:
            data = ad.stacked(step, k) if dev is None else dev.stacked(ad._order, step, k, bs)
            yield step, step + k - 1, "stack", data
            step += k
        else:
            stop = min((step + 1) * bs, n)
            data = ad.slice(step * bs, stop) if dev is None else dev.batch(ad._order, step * bs, stop)
            yield step, step, "one", data
            step += 1
    ad.on_epoch_end()


def auto_timing(st, logs, t0, step, it):
    # steps 0-1 include compilation; time steps 2..6 (blocking on the result).
    if step < 2:
        return
    jax.block_until_ready([t._value for t in nest.flatten(logs) if isinstance(t, Tensor)])
    st["timing"].append(time.perf_counter() - t0)
    if len(st["timing"]) >= 5:
        t = float(np.median(st["timing"]))
        st["timing"] = None
        if t < _AUTO_TARGET_S:
            k = int(min(_AUTO_MAX, max(2, math.ceil(_AUTO_TARGET_S / max(t, 1e-6)))))
            nb = it.num_batches or k
            st["k"] = max(1, min(k, nb))


def peek(it):
    """The first batch of ``it``'s data, leaving it to be iterated (builds state before the first compiled step)."""
    from tfjax._src.keras.trainers import data_adapters as da  # noqa: PLC0415
    ad = it.adapter
    if isinstance(ad, da.ArrayDataAdapter):
        return ad.slice(0, min(ad.batch_size, ad.num_samples)) if ad.num_samples else None
    if isinstance(ad, da.DatasetAdapter):
        try:
            return next(iter(ad.get_iterator()))
        except StopIteration:
            return None
    if isinstance(ad, da.PyDatasetAdapter):
        try:
            e = ad.ds[0]
            return tuple(e) if isinstance(e, list) else e
        except Exception:  # noqa: BLE001
            return None
    if isinstance(ad, da.GeneratorAdapter):
        gen = ad.generator
        if callable(gen) and not hasattr(gen, "__next__"):
            try:
                return next(iter(gen()))
            except StopIteration:
                return None
        src = iter(gen)
        try:
            first = next(src)
        except StopIteration:
            return None

        def chained():
            yield first
            yield from src
        ad.generator = chained()
        return tuple(first) if isinstance(first, list) else first
    return None
