"""``tf.strings.to_hash_bucket*``: TF's three string hashes, bit for bit.

* ``to_hash_bucket_fast``: FarmHash Fingerprint64 (the ``pyfarmhash`` C extension).
* ``to_hash_bucket_strong``: SipHash-2-4 keyed by two uint64 words (TF calls highwayhash's SipHash).
* ``to_hash_bucket``: TF's legacy ``Hash64``, MurmurHash64A with seed 0xDECAFCAFFE.

Strings are host-side in tfjax, so these run in Python over the flat array; every
bucket is ``hash % num_buckets`` on the unsigned 64-bit hash, as TF computes it.
"""

from __future__ import annotations

import numpy as np

from tfjax._src import errors

_M64 = (1 << 64) - 1


def fingerprint64(data: bytes) -> int:
    global fingerprint64
    try:
        # Imported on first use (keeps `import tfjax` lean), then this name is rebound to the C function.
        from farmhash import fingerprint64 as _fp  # noqa: PLC0415
    except ImportError as e:
        raise ImportError("FarmHash (tf.strings.to_hash_bucket_fast, keras Hashing and lookup OOV buckets) needs "
                          "the `pyfarmhash` package, a tfjax dependency: pip install pyfarmhash") from e
    fingerprint64 = _fp
    return _fp(data)


def _rotl(x, b):
    return ((x << b) | (x >> (64 - b))) & _M64


def _sip_rounds(v0, v1, v2, v3, n):
    for _ in range(n):
        v0 = (v0 + v1) & _M64
        v1 = _rotl(v1, 13) ^ v0
        v0 = _rotl(v0, 32)
        v2 = (v2 + v3) & _M64
        v3 = _rotl(v3, 16) ^ v2
        v0 = (v0 + v3) & _M64
        v3 = _rotl(v3, 21) ^ v0
        v2 = (v2 + v1) & _M64
        v1 = _rotl(v1, 17) ^ v2
        v2 = _rotl(v2, 32)
    return v0, v1, v2, v3


def siphash24(k0: int, k1: int, data: bytes) -> int:
    """SipHash-2-4 with the key given as two little-endian uint64 words (highwayhash's layout)."""
    v0 = k0 ^ 0x736F6D6570736575
    v1 = k1 ^ 0x646F72616E646F6D
    v2 = k0 ^ 0x6C7967656E657261
    v3 = k1 ^ 0x7465646279746573
    n = len(data)
    end = n - n % 8
    for i in range(0, end, 8):
        m = int.from_bytes(data[i:i + 8], "little")
        v3 ^= m
        v0, v1, v2, v3 = _sip_rounds(v0, v1, v2, v3, 2)
        v0 ^= m
    # The last block carries the message length in its top byte.
    last = ((n & 0xFF) << 56) | int.from_bytes(data[end:], "little")
    v3 ^= last
    v0, v1, v2, v3 = _sip_rounds(v0, v1, v2, v3, 2)
    v0 ^= last
    v2 ^= 0xFF
    v0, v1, v2, v3 = _sip_rounds(v0, v1, v2, v3, 4)
    return v0 ^ v1 ^ v2 ^ v3


def legacy_hash64(data: bytes, seed: int = 0xDECAFCAFFE) -> int:
    """TF's ``Hash64`` (MurmurHash64A); what the deprecated ``to_hash_bucket`` uses."""
    m, r = 0xC6A4A7935BD1E995, 47
    n = len(data)
    h = (seed ^ (n * m)) & _M64
    end = n - n % 8
    for i in range(0, end, 8):
        k = (int.from_bytes(data[i:i + 8], "little") * m) & _M64
        k ^= k >> r
        k = (k * m) & _M64
        h = ((h ^ k) * m) & _M64
    if end < n:
        h = ((h ^ int.from_bytes(data[end:], "little")) * m) & _M64
    h ^= h >> r
    h = (h * m) & _M64
    return h ^ (h >> r)


def _check_buckets(op, num_buckets):
    nb = int(num_buckets)
    if nb < 1:
        raise errors.invalid_argument(op, f"Value for attr 'num_buckets' of {nb} must be at least minimum 1")
    return nb


def hash_buckets(arr: np.ndarray, num_buckets: int, hash_fn) -> np.ndarray:
    """int64 buckets of an object array of ``bytes``; each distinct string is hashed once."""
    out = np.empty(arr.shape, np.int64)
    flat = out.reshape(-1)
    memo = {}
    for i, s in enumerate(arr.reshape(-1).tolist()):
        b = memo.get(s)
        if b is None:
            b = memo[s] = hash_fn(s) % num_buckets
        flat[i] = b
    return out


def strong_key(key):
    if key is None or len(key) != 2:
        raise errors.invalid_argument("StringToHashBucketStrong", "Key must have 2 elements")
    # TF passes the key as an int64 attr list and reinterprets it as uint64.
    return int(key[0]) & _M64, int(key[1]) & _M64


def _op(x, op):
    from tfjax._src.ops import string_ops  # noqa: PLC0415
    return string_ops._strings(x, op)


def _wrap(arr):
    from tfjax._src.io import host  # noqa: PLC0415
    return host.wrap(arr)


def to_hash_bucket_fast(input, num_buckets, name=None):  # noqa: A002
    nb = _check_buckets("StringToHashBucketFast", num_buckets)
    return _wrap(hash_buckets(_op(input, "StringToHashBucketFast"), nb, fingerprint64))


def to_hash_bucket_strong(input, num_buckets, key, name=None):  # noqa: A002
    nb = _check_buckets("StringToHashBucketStrong", num_buckets)
    arr = _op(input, "StringToHashBucketStrong")
    k0, k1 = strong_key(key)
    return _wrap(hash_buckets(arr, nb, lambda s: siphash24(k0, k1, s)))


def to_hash_bucket(input, num_buckets, name=None):  # noqa: A002
    nb = _check_buckets("StringToHashBucket", num_buckets)
    return _wrap(hash_buckets(_op(input, "StringToHashBucket"), nb, legacy_hash64))
