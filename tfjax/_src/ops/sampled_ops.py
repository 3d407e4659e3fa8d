"""Candidate sampling and sampled losses: ``tf.random.*_candidate_sampler`` (also under ``tf.nn``),
``tf.nn.compute_accidental_hits``, ``tf.nn.sampled_softmax_loss``, ``tf.nn.nce_loss``, and the sparse
embedding lookups.

Samplers draw on the host from tfjax's seeds (TF's distributions and expected-count formulas, not TF's
random stream). The losses are compositions of tfjax ops, so the tape differentiates them.
"""

from __future__ import annotations

import collections

import jax.numpy as jnp
import numpy as np

from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src.ops import convert
from tfjax._src.sparse_tensor import SparseTensor
from tfjax._src.tensor import Tensor


def _tf():
    import tfjax  # noqa: PLC0415
    return tfjax


def _rng(seed):
    from tfjax._src.ops import random_ops  # noqa: PLC0415
    g, s = random_ops.get_seed(seed)
    if g is None and s is None:
        return np.random.default_rng()
    return np.random.default_rng([int(g or 0) & 0xFFFFFFFF, int(s or 0) & 0xFFFFFFFF])


def _true_classes(true_classes, num_true):
    t = convert.tensor(true_classes)
    if t.dtype != dtypes.int64:
        raise TypeError(f"true_classes must be int64, got {t.dtype.name}")
    if t.shape.rank != 2 or t._value.shape[1] != num_true:
        raise errors.InvalidArgumentError(None, None, f"true_classes must be a matrix with num_true={num_true} columns")
    return np.asarray(t._value)


def _expected(p, num_sampled, num_tries):
    p = np.asarray(p, np.float64)
    if num_tries == num_sampled:
        return (p * num_sampled).astype(np.float32)
    return (-np.expm1(num_tries * np.log1p(-p))).astype(np.float32)


def _sample(draw, prob, true, num_sampled, unique, range_max, counts_as_tries=True):
    if unique and num_sampled > range_max:
        raise errors.InvalidArgumentError(None, None, "Sampler's range is too small.")
    if unique:
        seen, out, tries = set(), [], 0
        while len(out) < num_sampled:
            v = int(draw())
            tries += 1
            if v not in seen:
                seen.add(v)
                out.append(v)
    else:
        out = [int(draw()) for _ in range(num_sampled)]
        tries = num_sampled
    if not counts_as_tries:
        tries = num_sampled
    sampled = np.asarray(out, np.int64)
    return (Tensor(jnp.asarray(sampled)),
            Tensor(jnp.asarray(_expected(prob(true), num_sampled, tries))),
            Tensor(jnp.asarray(_expected(prob(sampled), num_sampled, tries))))


_SAMPLED_TYPES = {}


def _named(type_name, values):
    """TF returns a namedtuple named after the op (``UniformCandidateSampler``...)."""
    cls = _SAMPLED_TYPES.get(type_name)
    if cls is None:
        cls = _SAMPLED_TYPES[type_name] = collections.namedtuple(
            type_name, ["sampled_candidates", "true_expected_count", "sampled_expected_count"])
    return cls(*values)


def uniform_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max, seed=None, name=None):
    """``tf.random.uniform_candidate_sampler``."""
    true = _true_classes(true_classes, num_true)
    rng = _rng(seed)
    return _named("UniformCandidateSampler", _sample(
        lambda: rng.integers(range_max), lambda c: np.full(np.shape(c), 1.0 / range_max),
        true, num_sampled, unique, range_max))


def log_uniform_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max, seed=None, name=None):
    """``tf.random.log_uniform_candidate_sampler``: P(k) = log((k+2)/(k+1)) / log(range_max+1)."""
    true = _true_classes(true_classes, num_true)
    rng = _rng(seed)
    log_range = np.log1p(range_max)

    def draw():
        return min(int(np.exp(rng.random() * log_range)) - 1, range_max - 1)

    def prob(c):
        c = np.asarray(c, np.float64)
        return (np.log(c + 2.0) - np.log(c + 1.0)) / log_range
    return _named("LogUniformCandidateSampler", _sample(draw, prob, true, num_sampled, unique, range_max))


def learned_unigram_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max, seed=None,
                                      name=None):
    """``tf.random.learned_unigram_candidate_sampler``. TF's sampler state starts uniform and learns
    from the true classes of earlier calls of the same op; tfjax has no per-op state, so every call
    samples from the initial (uniform) distribution."""
    true = _true_classes(true_classes, num_true)
    rng = _rng(seed)
    return _named("LearnedUnigramCandidateSampler", _sample(
        lambda: rng.integers(range_max), lambda c: np.full(np.shape(c), 1.0 / range_max),
        true, num_sampled, unique, range_max, counts_as_tries=False))


def fixed_unigram_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max, vocab_file="",
                                    distortion=1.0, num_reserved_ids=0, num_shards=1, shard=0, unigrams=(),
                                    seed=None, name=None):
    """``tf.random.fixed_unigram_candidate_sampler``: P(k) proportional to ``unigrams[k] ** distortion``."""
    true = _true_classes(true_classes, num_true)
    if vocab_file:
        from tfjax._src.io import gfile  # noqa: PLC0415
        with gfile.GFile(vocab_file, "r") as f:
            counts = [float(line.strip().split(",")[-1]) for line in f if line.strip()]
    else:
        counts = [float(u) for u in unigrams]
    if not counts:
        raise errors.InvalidArgumentError(None, None, "Must provide either vocab_file or unigrams")
    w = np.zeros(range_max, np.float64)
    full = [0.0] * int(num_reserved_ids) + counts
    if len(full) != range_max:
        raise errors.InvalidArgumentError(
            None, None, f"range_max must equal the vocabulary size plus num_reserved_ids: {range_max} vs {len(full)}")
    for i, c in enumerate(full):
        if i % num_shards == shard:
            w[i] = c ** distortion if c > 0 else 0.0
    p = w / w.sum()
    rng = _rng(seed)
    return _named("FixedUnigramCandidateSampler",
                  _sample(lambda: rng.choice(range_max, p=p), lambda c: p[np.asarray(c, np.int64)],
                          true, num_sampled, unique, range_max))


def all_candidate_sampler(true_classes, num_true, num_sampled, unique, seed=None, name=None):
    """``tf.random.all_candidate_sampler``: the candidates ``0..num_sampled-1``, expected counts 1."""
    true = _true_classes(true_classes, num_true)
    if true.size and (true.min() < 0 or true.max() >= num_sampled):
        bad = int(true.max()) if true.max() >= num_sampled else int(true.min())
        raise errors.InvalidArgumentError(
            None, None, f"`true_candidate` out of range [0, {num_sampled}), received {bad}")
    return _named("AllCandidateSampler", (Tensor(jnp.arange(num_sampled, dtype=jnp.int64)),
                                          Tensor(jnp.ones(true.shape, jnp.float32)),
                                          Tensor(jnp.ones((num_sampled,), jnp.float32))))


_Hits = collections.namedtuple("ComputeAccidentalHits", ["indices", "ids", "weights"])


def compute_accidental_hits(true_classes, sampled_candidates, num_true, seed=None, name=None):
    """``tf.nn.compute_accidental_hits``: (row, position in sampled) of every sampled candidate that is
    one of the row's true classes, with weight -FLT_MAX. A repeated candidate maps to its last position
    (TF's kernel)."""
    true = _true_classes(true_classes, num_true)
    s = convert.tensor(sampled_candidates)
    if s.dtype != dtypes.int64:
        raise TypeError(f"sampled_candidates must be int64, got {s.dtype.name}")
    pos = {}
    for j, v in enumerate(np.asarray(s._value).tolist()):
        pos[v] = j
    idx, ids = [], []
    for i, row in enumerate(true.tolist()):
        for v in row:
            if v in pos:
                idx.append(i)
                ids.append(pos[v])
    return _Hits(Tensor(jnp.asarray(np.asarray(idx, np.int32))), Tensor(jnp.asarray(np.asarray(ids, np.int64))),
                 Tensor(jnp.full((len(idx),), -np.finfo(np.float32).max, jnp.float32)))


# -- sampled losses ----------------------------------------------------------------------------
def _table(weights):
    tf = _tf()
    if isinstance(weights, (list, tuple)):
        return weights[0] if len(weights) == 1 else tf.concat(list(weights), 0)  # "div" partitions
    return weights


def _sampled_logits(weights, biases, labels, inputs, num_sampled, num_classes, num_true, sampled_values,
                    subtract_log_q, remove_accidental_hits, seed):
    tf = _tf()
    labels = tf.cast(labels, tf.int64)
    inputs = convert.tensor(inputs)
    labels_flat = tf.reshape(labels, [-1])
    if sampled_values is None:
        sampled_values = log_uniform_candidate_sampler(labels, num_true, num_sampled, True, num_classes, seed=seed)
    sampled, true_count, sampled_count = (tf.stop_gradient(s) for s in sampled_values)
    sampled = tf.cast(sampled, tf.int64)
    n_true = labels_flat.shape[0]
    all_ids = tf.concat([labels_flat, sampled], 0)
    all_w = tf.nn.embedding_lookup(_table(weights), all_ids)
    if all_w.dtype != inputs.dtype:
        all_w = tf.cast(all_w, inputs.dtype)
    true_w, sampled_w = all_w[:n_true], all_w[n_true:]
    sampled_logits = tf.matmul(inputs, sampled_w, transpose_b=True)
    all_b = tf.nn.embedding_lookup(_table(biases), all_ids)
    if all_b.dtype != inputs.dtype:
        all_b = tf.cast(all_b, inputs.dtype)
    true_b, sampled_b = all_b[:n_true], all_b[n_true:]
    dim = true_w.shape[1]
    dots = tf.expand_dims(inputs, 1) * tf.reshape(true_w, [-1, num_true, dim])
    true_logits = tf.reduce_sum(dots, axis=2) + tf.reshape(true_b, [-1, num_true])
    sampled_logits = sampled_logits + sampled_b
    if remove_accidental_hits:
        hits = compute_accidental_hits(labels, sampled, num_true)
        if hits.indices.shape[0]:
            sp_idx = tf.stack([tf.cast(hits.indices, tf.int64), hits.ids], axis=1)
            mask = tf.scatter_nd(sp_idx, tf.cast(hits.weights, sampled_logits.dtype),
                                 [labels.shape[0], num_sampled])
            sampled_logits = sampled_logits + mask
    if subtract_log_q:
        true_logits = true_logits - tf.math.log(tf.cast(true_count, true_logits.dtype))
        sampled_logits = sampled_logits - tf.math.log(tf.cast(sampled_count, sampled_logits.dtype))
    out_logits = tf.concat([true_logits, sampled_logits], 1)
    out_labels = tf.concat([tf.ones_like(true_logits) / num_true, tf.zeros_like(sampled_logits)], 1)
    return out_logits, out_labels


def nce_loss(weights, biases, labels, inputs, num_sampled, num_classes, num_true=1, sampled_values=None,
             remove_accidental_hits=False, name="nce_loss"):
    """``tf.nn.nce_loss``: per-example noise-contrastive estimation loss, shape ``[batch]``."""
    tf = _tf()
    logits, labels = _sampled_logits(weights, biases, labels, inputs, num_sampled, num_classes, num_true,
                                     sampled_values, True, remove_accidental_hits, None)
    losses = tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)
    return tf.reduce_sum(losses, axis=1)


def sampled_softmax_loss(weights, biases, labels, inputs, num_sampled, num_classes, num_true=1,
                         sampled_values=None, remove_accidental_hits=True, seed=None, name="sampled_softmax_loss"):
    """``tf.nn.sampled_softmax_loss``: per-example sampled softmax loss, shape ``[batch]``."""
    tf = _tf()
    logits, labels = _sampled_logits(weights, biases, labels, inputs, num_sampled, num_classes, num_true,
                                     sampled_values, True, remove_accidental_hits, seed)
    return tf.nn.softmax_cross_entropy_with_logits(labels=tf.stop_gradient(labels), logits=logits)


# -- sparse embedding lookups ------------------------------------------------------------------
def embedding_lookup_sparse(params, sp_ids, sp_weights, combiner=None, max_norm=None, name=None,
                            allow_fast_lookup=False):
    """``tf.nn.embedding_lookup_sparse``: one combined embedding per row of ``sp_ids``; the result has
    ``max(row index) + 1`` rows, as in TF."""
    tf = _tf()
    if combiner is None:
        combiner = "mean"
    if combiner not in ("mean", "sqrtn", "sum"):
        raise ValueError(f"combiner must be one of 'mean', 'sqrtn' or 'sum', got {combiner}")
    if not isinstance(sp_ids, SparseTensor):
        raise TypeError(f"sp_ids must be SparseTensor, got {type(sp_ids)}")
    if sp_weights is not None and not isinstance(sp_weights, SparseTensor):
        raise TypeError(f"sp_weights must be either None or SparseTensor, got {type(sp_weights)}")
    table = _table(params)
    seg = np.asarray(sp_ids.indices._value)[:, 0].astype(np.int32)
    seg_t = Tensor(jnp.asarray(seg))
    nseg = int(seg.max()) + 1 if seg.size else 0
    emb = tf.nn.embedding_lookup(table, sp_ids.values, max_norm=max_norm)
    if sp_weights is None:
        summed = tf.math.unsorted_segment_sum(emb, seg_t, nseg)
        if combiner == "sum":
            return summed
        cnt = tf.math.unsorted_segment_sum(tf.ones_like(emb[:, :1]), seg_t, nseg)
        if combiner == "mean":
            return tf.math.divide_no_nan(summed, cnt)
        return tf.math.divide_no_nan(summed, tf.sqrt(cnt))
    orig = emb.dtype
    if orig in (tf.float16, tf.bfloat16):
        emb = tf.cast(emb, tf.float32)
    w = tf.cast(sp_weights.values, emb.dtype)
    wb = tf.reshape(w, [-1] + [1] * (emb.shape.rank - 1))
    summed = tf.math.unsorted_segment_sum(emb * wb, seg_t, nseg)
    if combiner == "mean":
        out = tf.math.divide_no_nan(summed, tf.math.unsorted_segment_sum(wb, seg_t, nseg))
    elif combiner == "sqrtn":
        out = tf.math.divide_no_nan(summed, tf.sqrt(tf.math.unsorted_segment_sum(wb * wb, seg_t, nseg)))
    else:
        out = summed
    return tf.cast(out, orig) if out.dtype != orig else out


def safe_embedding_lookup_sparse(embedding_weights, sparse_ids, sparse_weights=None, combiner="mean",
                                 default_id=None, max_norm=None, name=None, allow_fast_lookup=False):
    """``tf.nn.safe_embedding_lookup_sparse``: drops invalid ids (< 0) and non-positive weights; empty
    rows get zeros (or ``default_id``'s embedding). Output shape ``dense_shape[:-1] + [dim]``."""
    tf = _tf()
    table = _table(embedding_weights)
    table = convert.tensor(table)
    ids = sparse_ids
    shape = np.asarray(ids.dense_shape._value).astype(np.int64)
    idx = np.asarray(ids.indices._value)
    vals = np.asarray(ids.values._value)
    rows = shape[:-1]
    nrows = int(np.prod(rows)) if rows.size else 1
    flat_row = np.ravel_multi_index(idx[:, :-1].T, rows) if idx.shape[0] and rows.size > 1 else (
        idx[:, 0] if idx.shape[0] else np.zeros((0,), np.int64))
    keep = vals >= 0
    wvals = None
    if sparse_weights is not None:
        wvals_t = sparse_weights.values
        keep &= np.asarray(wvals_t._value) > 0
        wvals = tf.boolean_mask(wvals_t, Tensor(jnp.asarray(keep)))
    kept_rows = flat_row[keep]
    kept_ids = vals[keep]
    empty = np.ones(nrows, bool)
    empty[kept_rows] = False
    # fill empty rows with default_id (or 0) and weight 1, as tf.sparse.fill_empty_rows does
    fill_rows = np.nonzero(empty)[0]
    all_rows = np.concatenate([kept_rows, fill_rows]).astype(np.int64)
    all_ids = np.concatenate([kept_ids, np.full(fill_rows.shape, default_id or 0, kept_ids.dtype)])
    order = np.argsort(all_rows, kind="stable")
    sp_i = SparseTensor(np.stack([all_rows[order], np.zeros_like(all_rows)], 1),
                        Tensor(jnp.asarray(all_ids[order])), [nrows, 1])
    sp_w = None
    if wvals is not None:
        wall = tf.concat([wvals, tf.ones([len(fill_rows)], wvals.dtype)], 0)
        sp_w = SparseTensor(sp_i.indices, tf.gather(wall, Tensor(jnp.asarray(order.astype(np.int32)))), [nrows, 1])
    res = embedding_lookup_sparse(table, sp_i, sp_w, combiner=combiner, max_norm=max_norm)
    if default_id is None:
        res = tf.where(Tensor(jnp.asarray(empty[:, None])), tf.zeros_like(res), res)
    return tf.reshape(res, [int(r) for r in rows] + list(res.shape[1:]))


# -- stateless parameterized truncated normal --------------------------------------------------
def _ptn(seed, means, stddevs, minvals, maxvals, *, shape):
    import jax  # noqa: PLC0415
    from tfjax._src.ops import random_ops  # noqa: PLC0415
    key = random_ops._seed_key(seed)
    dt = means.dtype
    lo = ((minvals - means) / stddevs).astype(jnp.float32 if dt != jnp.float64 else dt)
    hi = ((maxvals - means) / stddevs).astype(lo.dtype)
    z = jax.random.truncated_normal(key, jnp.broadcast_to(lo, shape), jnp.broadcast_to(hi, shape), shape, lo.dtype)
    return (means + stddevs * z.astype(dt)).astype(dt)


def stateless_parameterized_truncated_normal(shape, seed, means=0.0, stddevs=1.0, minvals=-2.0, maxvals=2.0,
                                             name=None):
    """``tf.random.stateless_parameterized_truncated_normal``: normal(means, stddevs) truncated to
    [minvals, maxvals] (broadcast against ``shape``); deterministic in ``seed`` (tfjax's stream)."""
    from tfjax._src import dispatch  # noqa: PLC0415
    from tfjax._src.ops import random_ops  # noqa: PLC0415
    s = random_ops._seed_tensor(seed)
    shp = tuple(convert.static_shape(shape))
    m = convert.tensor(means, dtype_hint=dtypes.float32)
    if not m.dtype.is_floating:
        m = convert.tensor(means, dtype=dtypes.float32)
    parts = [convert.tensor(v, dtype=m.dtype) for v in (stddevs, minvals, maxvals)]
    for p in [m] + parts:
        try:
            np.broadcast_shapes(tuple(p._value.shape), shp)
        except ValueError:
            raise errors.InvalidArgumentError(None, None, f"Cannot broadcast parameter of shape "
                                              f"{list(p._value.shape)} to shape {list(shp)}") from None
    return dispatch.apply_unrecorded(_ptn, s, m, *parts, shape=shp)
