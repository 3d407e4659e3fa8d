"""CTC: ``tf.nn.ctc_loss`` (dense and sparse labels), the greedy and beam-search decoders,
``collapse_repeated`` and ``ctc_unique_labels``.

The loss is the forward algorithm in log space as one JAX function (``lax.scan`` over time), so its
gradient is JAX's reverse pass over it: ``softmax(logits) - posterior`` for ``t < logit_length`` and
zero after, which is what TF's custom gradient computes. Log-zero is a large finite negative number
inside the scan (keeps the reverse pass free of ``inf - inf``); an infeasible alignment gives
``inf`` as in TF's dense path. The decoders are host-side ports of TF's CPU kernels.
"""

from __future__ import annotations


import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from tfjax._src import dispatch
from tfjax._src import dtypes
from tfjax._src import errors
from tfjax._src.ops import convert
from tfjax._src.sparse_tensor import SparseTensor
from tfjax._src.tensor import Tensor

_NEG = -1e30


def _ctc_nll(logits, labels, label_len, logit_len, *, blank):
    """logits [T, B, C] (time-major), labels [B, U] int32 -> -log p(labels | logits), [B]."""
    dt = logits.dtype
    work = jnp.float32 if dt in (jnp.float16, jnp.bfloat16) else dt
    x = logits.astype(work)
    T, B, _ = x.shape
    U = labels.shape[1]
    S = 2 * U + 1
    logp = jax.nn.log_softmax(x, axis=-1)
    labels = labels.astype(jnp.int32)
    ext = jnp.full((B, S), blank, jnp.int32)
    if U:
        ext = ext.at[:, 1::2].set(labels)
    emit = jnp.take_along_axis(logp, jnp.broadcast_to(ext[None], (T, B, S)), axis=2)  # [T, B, S]
    neg = jnp.asarray(_NEG, work)
    # skip transition s-2 -> s allowed for label states differing from the label two back
    prev2 = jnp.concatenate([jnp.full((B, 2), -1, jnp.int32), ext[:, :-2]], axis=1)
    skip = (ext != blank) & (ext != prev2)
    s_idx = jnp.arange(S)
    label_len = label_len.astype(jnp.int32)
    logit_len = logit_len.astype(jnp.int32)
    init = jnp.where((s_idx[None] == 0) | ((s_idx[None] == 1) & (label_len[:, None] > 0)), 0.0, neg).astype(work)

    def step(alpha, inp):
        t, e = inp
        a1 = jnp.concatenate([jnp.full((B, 1), neg, work), alpha[:, :-1]], axis=1)
        a2 = jnp.concatenate([jnp.full((B, 2), neg, work), alpha[:, :-2]], axis=1)
        a2 = jnp.where(skip, a2, neg)
        m = jnp.maximum(jnp.maximum(alpha, a1), a2)
        lse = m + jnp.log(jnp.exp(alpha - m) + jnp.exp(a1 - m) + jnp.exp(a2 - m))
        new = jnp.where(t == 0, alpha + e, lse + e)
        new = jnp.maximum(new, neg)
        live = (t < logit_len)[:, None]
        return jnp.where(live, new, alpha), None

    alpha, _ = lax.scan(step, init, (jnp.arange(T), emit))
    end = 2 * label_len
    last = jnp.take_along_axis(alpha, end[:, None], axis=1)[:, 0]
    before = jnp.take_along_axis(alpha, jnp.maximum(end - 1, 0)[:, None], axis=1)[:, 0]
    before = jnp.where(label_len > 0, before, neg)
    m = jnp.maximum(last, before)
    ll = m + jnp.log(jnp.exp(last - m) + jnp.exp(before - m))
    loss = jnp.where(ll <= 0.5 * _NEG, jnp.inf, -ll)
    loss = jnp.where(logit_len > 0, loss, jnp.where(label_len > 0, jnp.inf, 0.0))
    return loss.astype(dt)


def _logits_tensor(logits):
    lg = convert.tensor(logits)
    if not lg.dtype.is_floating:
        raise TypeError(f"logits must be a floating point tensor, got {lg.dtype.name}")
    if lg.shape.rank != 3:
        raise ValueError(f"Shape must be rank 3 but is rank {lg.shape.rank} for logits")
    return lg


def ctc_loss(labels, logits, label_length, logit_length, logits_time_major=True, unique=None,
             blank_index=None, name=None):
    """``tf.nn.ctc_loss``: negative log-likelihood of each label sequence, shape ``[batch]``."""
    from tfjax._src.ops import array_ops  # noqa: PLC0415
    lg = _logits_tensor(logits)
    if not logits_time_major:
        lg = array_ops.transpose(lg, [1, 0, 2])
    T, B, C = (int(d) for d in lg._value.shape)
    if isinstance(labels, SparseTensor):
        if blank_index is None:
            raise ValueError("Argument `blank_index` must be provided when `labels` is a `SparseTensor`.")
        if blank_index < 0:
            blank_index += C
        idx = np.asarray(labels.indices._value)
        vals = np.asarray(labels.values._value).astype(np.int64)
        shp = np.asarray(labels.dense_shape._value)
        ll = np.asarray(convert.tensor(logit_length)._value).astype(np.int64)
        if ll.shape != (B,):
            raise errors.InvalidArgumentError(None, None, "len(sequence_length) != batch_size.  "
                                              f"len(sequence_length):  {ll.shape[0] if ll.ndim else 0} batch_size: {B}")
        if int(shp[0]) != B:
            raise errors.InvalidArgumentError(None, None, "labels.dense_shape[0] != batch_size")
        U = int(shp[1]) if shp.size > 1 else 0
        dense = np.zeros((B, max(U, 1)), np.int32)
        lens = np.zeros((B,), np.int32)
        for (b, j), v in zip(idx[:, :2], vals):
            dense[b, lens[b]] = v
            lens[b] += 1
        for b in range(B):
            if ll[b] > T:
                raise errors.InvalidArgumentError(
                    None, None, f"sequence_length({b}) = {ll[b]} > max_time: {T}")
            seq = dense[b, :lens[b]]
            if np.any((seq < 0) | (seq >= C) | (seq == blank_index)):
                raise errors.InvalidArgumentError(
                    None, None, f"Saw a non-null label (index >= num_classes - 1) following a null label, "
                    f"batch: {b} num_classes: {C} labels: {','.join(map(str, seq))}")
            required = lens[b] + int(np.sum(seq[1:] == seq[:-1]))
            if required > ll[b]:
                raise errors.InvalidArgumentError(
                    None, None, f"Not enough time for target transition sequence (required: {required}, "
                    f"available: {ll[b]}){b}You can turn this error into a warning by using the flag "
                    "ignore_longer_outputs_than_inputs")
        lab_t = Tensor(jnp.asarray(dense))
        lab_len_t = Tensor(jnp.asarray(lens))
        logit_len_t = Tensor(jnp.asarray(ll.astype(np.int32)))
    else:
        if blank_index is None:
            blank_index = 0
        if blank_index < 0:
            blank_index += C
        lab_t = convert.tensor(labels)
        if not lab_t.dtype.is_integer:
            raise TypeError(f"labels must be integers, got {lab_t.dtype.name}")
        if lab_t.shape.rank != 2:
            raise ValueError(f"labels must be rank 2 [batch, max_label_length], got shape {lab_t.shape}")
        if label_length is None:
            raise ValueError("label_length is required with dense labels")
        lab_len_t = convert.tensor(label_length)
        logit_len_t = convert.tensor(logit_length)
    return dispatch.apply(_ctc_nll, lg, lab_t, lab_len_t, logit_len_t, blank=int(blank_index))


# -- label utilities ------------------------------------------------------------------------
def collapse_repeated(labels, seq_length, name=None):
    """``tf.nn.collapse_repeated``: merges runs of a repeated label (host-side: the output width is
    data-dependent)."""
    lab = convert.tensor(labels)
    sl = convert.tensor(seq_length)
    if not (convert.is_concrete(lab) and convert.is_concrete(sl)):
        raise convert.data_dependent("tf.nn.collapse_repeated")
    x = np.asarray(lab._value)
    n = np.asarray(sl._value)
    B, L = x.shape
    mask = np.concatenate([np.ones((B, min(L, 1)), bool), x[:, 1:] != x[:, :-1]], axis=1)
    mask &= np.arange(L)[None] < n[:, None]
    new_len = mask.sum(axis=1).astype(np.int32)
    width = int(new_len.max()) if B else 0
    out = np.zeros((B, width), x.dtype)
    for b in range(B):
        out[b, :new_len[b]] = x[b][mask[b]]
    return Tensor(jnp.asarray(out)), Tensor(jnp.asarray(new_len.astype(n.dtype)))


def ctc_unique_labels(labels, name=None):
    """``tf.nn.ctc_unique_labels``: per row, the unique labels (int64, zero-padded) and the index of
    each label in them (int32)."""
    lab = convert.tensor(labels)
    if not convert.is_concrete(lab):
        raise convert.data_dependent("tf.nn.ctc_unique_labels")
    x = np.asarray(lab._value)
    B, L = x.shape
    ys = np.zeros((B, L), np.int64)
    idxs = np.zeros((B, L), np.int32)
    for b in range(B):
        seen = {}
        for j, v in enumerate(x[b].tolist()):
            if v not in seen:
                seen[v] = len(seen)
            idxs[b, j] = seen[v]
        ys[b, :len(seen)] = list(seen)
    return Tensor(jnp.asarray(ys)), Tensor(jnp.asarray(idxs))


# -- decoders ---------------------------------------------------------------------------------
def _decoder_inputs(inputs, sequence_length):
    x = _logits_tensor(inputs)
    sl = convert.tensor(sequence_length)
    if not (convert.is_concrete(x) and convert.is_concrete(sl)):
        raise convert.data_dependent("the CTC decoders", "their output shape depends on the decoded values")
    xv = np.asarray(x._value)
    slv = np.asarray(sl._value)
    T, B, _ = xv.shape
    if slv.shape != (B,):
        raise errors.InvalidArgumentError(None, None, f"len(sequence_length) != batch_size.  "
                                          f"len(sequence_length):  {slv.size} batch_size: {B}")
    for b in range(B):
        if slv[b] > T:
            raise errors.InvalidArgumentError(None, None, f"sequence_length({b}) <= {T}")
    return x, xv, slv


def _to_sparse(paths, B):
    idx = [[b, j] for b, p in enumerate(paths) for j in range(len(p))]
    vals = [v for p in paths for v in p]
    width = max((len(p) for p in paths), default=0)
    return SparseTensor(
        Tensor(jnp.asarray(np.asarray(idx, np.int64).reshape(-1, 2))),
        Tensor(jnp.asarray(np.asarray(vals, np.int64))),
        Tensor(jnp.asarray(np.asarray([B, width], np.int64))))


def ctc_greedy_decoder(inputs, sequence_length, merge_repeated=True, blank_index=None):
    """``tf.nn.ctc_greedy_decoder``: best path; returns ``([SparseTensor], neg_sum_logits [B, 1])``."""
    x, xv, slv = _decoder_inputs(inputs, sequence_length)
    T, B, C = xv.shape
    if blank_index is None:
        blank_index = C - 1
    elif blank_index < 0:
        blank_index += C
    paths, scores = [], np.zeros((B, 1), xv.dtype)
    for b in range(B):
        seq, prev, total = [], -1, 0.0
        for t in range(int(slv[b])):
            row = xv[t, b]
            k = int(np.argmax(row))
            total += row[k]
            if k != blank_index and not (merge_repeated and k == prev):
                seq.append(k)
            prev = k
        paths.append(seq)
        scores[b, 0] = -total
    return [_to_sparse(paths, B)], Tensor(jnp.asarray(scores))


class _Beam:
    __slots__ = ("parent", "label", "children", "old_blank", "old_label", "old_total",
                 "blank", "lab", "total")

    def __init__(self, parent, label):
        self.parent, self.label, self.children = parent, label, {}
        self.old_blank = self.old_label = self.old_total = -np.inf
        self.blank = self.lab = self.total = -np.inf

    def reset_new(self):
        self.blank = self.lab = self.total = -np.inf

    def seq(self):
        out, c = [], self
        while c.parent is not None:
            out.append(c.label)
            c = c.parent
        return out[::-1]


def _lse(a, b):
    if a == -np.inf:
        return b
    if b == -np.inf:
        return a
    m = max(a, b)
    return m + np.log1p(np.exp(-abs(a - b)))


def _beam_decode_one(rows, beam_width):
    """One sequence through TF's CTCBeamSearchDecoder (blank = last class, no label selection)."""
    C = rows.shape[1]
    blank = C - 1
    root = _Beam(None, -1)
    root.total = root.blank = 0.0
    leaves = [root]  # insertion-ordered; "bottom" = lowest total

    def bottom():
        return min(leaves, key=lambda e: e.total)

    for row in rows:
        row = row.astype(np.float32)
        m0 = row.max()
        row = (row - m0 - np.log(np.sum(np.exp(row - m0)))).astype(np.float32)  # the kernel's log-softmax
        mx = 0.0
        branches = sorted(leaves, key=lambda e: -e.total)
        leaves = []
        for b in branches:
            b.old_blank, b.old_label, b.old_total = b.blank, b.lab, b.total
        for b in branches:
            if b.parent is not None:
                if b.parent.total != -np.inf:
                    prev = b.parent.old_blank if b.label == b.parent.label else b.parent.old_total
                    b.lab = _lse(b.lab, prev)
                b.lab = float(np.float32(b.lab + (float(row[b.label]) - mx)))
            b.blank = float(np.float32(b.old_total + (float(row[blank]) - mx)))
            b.total = float(np.float32(_lse(b.blank, b.lab)))
            leaves.append(b)
        for b in branches:
            def cand(total):
                return total > -np.inf and (len(leaves) < beam_width or total > bottom().total)
            if not cand(b.old_total):
                continue
            for lab in range(C - 1):
                c = b.children.get(lab)
                if c is None:
                    c = b.children[lab] = _Beam(b, lab)
                if c.total == -np.inf:
                    c.blank = -np.inf
                    prev = b.old_blank if c.label == b.label else b.old_total
                    c.lab = float(np.float32(float(row[lab]) - mx + prev))
                    c.total = c.lab
                    if cand(c.total):
                        if len(leaves) == beam_width:
                            bt = bottom()
                            bt.reset_new()
                            leaves.remove(bt)
                        leaves.append(c)
                    else:
                        c.old_blank = c.old_label = c.old_total = -np.inf
                        c.reset_new()
    return sorted(leaves, key=lambda e: -e.total)


def ctc_beam_search_decoder(inputs, sequence_length, beam_width=100, top_paths=1):
    """``tf.nn.ctc_beam_search_decoder``: TF's CPU beam search (blank = last class); returns
    ``([SparseTensor] * top_paths, log_probabilities [B, top_paths])``."""
    x, xv, slv = _decoder_inputs(inputs, sequence_length)
    T, B, C = xv.shape
    beam_width, top_paths = int(beam_width), int(top_paths)
    if top_paths > beam_width:
        raise errors.InvalidArgumentError(None, None, "requested more paths than the beam width.")
    paths = [[None] * B for _ in range(top_paths)]
    logp = np.zeros((B, top_paths), xv.dtype)
    for b in range(B):
        ranked = _beam_decode_one(xv[:int(slv[b]), b], beam_width)
        if top_paths > len(ranked):
            raise errors.InvalidArgumentError(None, None, "Less leaves in the beam search than requested.")
        for i in range(top_paths):
            paths[i][b] = ranked[i].seq()
            logp[b, i] = ranked[i].total
    return [_to_sparse(p, B) for p in paths], Tensor(jnp.asarray(logp))


