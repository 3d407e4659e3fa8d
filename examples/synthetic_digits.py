"""Deterministic MNIST-like digits (numpy only), for examples that must run offline.

Each digit is drawn as a seven-segment glyph on a 28x28 canvas with a random
position, size, stroke width and pixel noise, so a small CNN has something
real to learn while nothing has to be downloaded.
"""

import numpy as np

# Segments: a=top, b=top-right, c=bottom-right, d=bottom, e=bottom-left, f=top-left, g=middle
_SEGMENTS = {
    0: "abcdef", 1: "bc", 2: "abged", 3: "abgcd", 4: "fgbc",
    5: "afgcd", 6: "afgedc", 7: "abc", 8: "abcdefg", 9: "abcdfg",
}


def _draw(digit, rng):
    img = np.zeros((28, 28), np.float32)
    h = rng.randint(14, 21)  # glyph height
    w = rng.randint(8, 13)  # glyph width
    t = rng.randint(2, 4)  # stroke width
    top = rng.randint(2, 28 - h - 1)
    left = rng.randint(2, 28 - w - 1)
    mid = top + h // 2
    bottom, right = top + h, left + w
    boxes = {
        "a": (top, top + t, left, right),
        "d": (bottom - t, bottom, left, right),
        "g": (mid - t // 2, mid - t // 2 + t, left, right),
        "f": (top, mid, left, left + t),
        "e": (mid, bottom, left, left + t),
        "b": (top, mid, right - t, right),
        "c": (mid, bottom, right - t, right),
    }
    for seg in _SEGMENTS[digit]:
        r0, r1, c0, c1 = boxes[seg]
        img[r0:r1, c0:c1] = 1.0
    img += rng.normal(0.0, 0.15, img.shape).astype(np.float32)
    return np.clip(img, 0.0, 1.0)


def load_data(samples=6000, test_fraction=1 / 6, seed=0):
    """Same contract as ``tf.keras.datasets.mnist.load_data()``: uint8 images (N, 28, 28), labels (N,)."""
    rng = np.random.RandomState(seed)
    labels = rng.randint(0, 10, samples).astype(np.uint8)
    images = np.stack([_draw(int(d), rng) for d in labels])
    images = (images * 255).astype(np.uint8)
    n_test = max(1, int(samples * test_fraction))
    return (images[n_test:], labels[n_test:]), (images[:n_test], labels[:n_test])
