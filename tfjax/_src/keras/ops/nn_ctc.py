"""``keras.ops.nn`` CTC: ``ctc_loss`` and ``ctc_decode`` over tf.nn's CTC kernels, as Keras's TF backend runs
them."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from tfjax._src.tensor import Tensor
from tfjax._src.keras.ops.core import t1, cast

def ctc_loss(target, output, target_length, output_length, mask_index=0):
    """``keras.ops.ctc_loss``: tf.nn.ctc_loss with batch-major logits (Keras's TF backend)."""
    from tfjax._src.ops import ctc_ops  # noqa: PLC0415
    target = cast(t1(target), "int32")
    output = t1(output)
    rd = np.dtype(jnp.result_type(output._value.dtype, jnp.float32))
    cd = np.dtype(np.float32) if rd == np.float64 else rd
    loss = ctc_ops.ctc_loss(labels=target, logits=cast(output, cd), label_length=t1(target_length),
                            logit_length=t1(output_length), blank_index=mask_index, logits_time_major=False)
    return cast(loss, rd)


def ctc_decode(inputs, sequence_lengths, strategy="greedy", beam_width=100, top_paths=1, merge_repeated=True,
               mask_index=0):
    """``keras.ops.ctc_decode``: tf.nn's greedy / beam-search decoders, densified with -1 like Keras's TF backend."""
    from tfjax._src.ops import ctc_ops  # noqa: PLC0415
    from tfjax._src.keras.ops.numpy_shape import transpose, concatenate  # noqa: PLC0415
    inputs = t1(inputs)
    n, steps, ncls = inputs.shape[0], inputs.shape[1], inputs.shape[2]
    x = transpose(inputs, (1, 0, 2))
    x = cast(x, np.dtype(jnp.result_type(x._value.dtype, jnp.float32)))
    lens = t1(sequence_lengths, "int32")
    if strategy == "greedy":
        decoded, scores = ctc_ops.ctc_greedy_decoder(inputs=x, sequence_length=lens, merge_repeated=merge_repeated,
                                                     blank_index=mask_index)
    elif strategy == "beam_search":
        if mask_index is not None:
            from tfjax._src.ops import array_ops  # noqa: PLC0415
            mi = mask_index % ncls
            x = concatenate([array_ops.getitem(x, (Ellipsis, slice(0, mi))),
                             array_ops.getitem(x, (Ellipsis, slice(mi + 1, None))),
                             array_ops.getitem(x, (Ellipsis, slice(mi, mi + 1)))], axis=-1)
        decoded, scores = ctc_ops.ctc_beam_search_decoder(inputs=x, sequence_length=lens, beam_width=beam_width,
                                                          top_paths=top_paths)
    else:
        raise ValueError(f"Invalid strategy {strategy}. Supported values are 'greedy' and 'beam_search'.")
    dense = []
    for st in decoded:
        d = np.full((n, steps), -1, np.int32)
        idx = np.asarray(st.indices)
        if idx.size:
            d[idx[:, 0], idx[:, 1]] = np.asarray(st.values)
        dense.append(d)
    out = np.stack(dense, 0)
    if strategy == "beam_search" and mask_index is not None:
        mi = mask_index % ncls
        out = np.where(out >= mi, out + 1, out)
    return Tensor(jnp.asarray(out.astype(np.int32))), scores
