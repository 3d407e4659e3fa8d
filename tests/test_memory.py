"""Long loops of tf.function calls and eager GradientTape steps leave memory flat.

Each step works on a (4096,) float32 variable, so every step allocates 16 KiB device
buffers (inputs, gradient, new value) plus the Python objects around them (Tensors,
tape nodes, programs). A leak of one buffer per step would grow RSS by >= 160 MiB over
10,000 steps, a leak of only the Python records (~1 KiB/step: a tape node and its
tuples, a Tensor, a cache key) by >= 10 MiB. The bound of 8 MiB sits below both and
well above what we measure for a healthy loop (allocator noise, < 2 MiB), after a
warm-up that has already compiled everything and filled the caches.
"""

import gc
import os
import time

import numpy as np

import tfjax as tf
from tfjax._src import function as function_lib
from tfjax._src import tape as tape_lib

N = 10_000
BOUND_MB = 8.0


def _rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _settled_rss():
    gc.collect()
    return _rss_mb()


def test_function_calls_memory_flat():
    w = tf.Variable(np.ones(4096, np.float32))
    x = tf.constant(np.full(4096, 0.5, np.float32))

    @tf.function
    def step(x):
        with tf.GradientTape() as t:
            loss = tf.reduce_sum(x * w)
        w.assign_sub(0.001 * t.gradient(loss, w))
        return loss

    for _ in range(500):
        step(x)
    before = _settled_rss()
    t0 = time.perf_counter()
    for _ in range(N):
        loss = step(x)
    loss.numpy()
    after = _settled_rss()
    assert len(step._cache) == 1 and step.experimental_get_tracing_count() == 1
    print(f"function calls: RSS {before:.1f} -> {after:.1f} MiB")
    assert after - before < BOUND_MB, f"RSS grew {after - before:.1f} MiB over {N} calls"
    assert time.perf_counter() - t0 < 15


def test_eager_tape_steps_memory_flat():
    w = tf.Variable(np.ones(4096, np.float32))
    x = tf.constant(np.full(4096, 0.5, np.float32))
    lr = tf.constant(0.001)

    def step():
        with tf.GradientTape() as t:
            loss = tf.reduce_sum(x * w)
        g = t.gradient(loss, w)
        w.assign_sub(lr * g)
        return loss

    for _ in range(500):
        step()
    n_cache = len(tape_lib._grad_cache)
    before = _settled_rss()
    for _ in range(N):
        step()
    after = _settled_rss()
    assert len(tape_lib._grad_cache) == n_cache
    assert tape_lib.state.tapes == [] and not tape_lib.state.recording
    print(f"eager steps: RSS {before:.1f} -> {after:.1f} MiB")
    assert after - before < BOUND_MB, f"RSS grew {after - before:.1f} MiB over {N} steps"
