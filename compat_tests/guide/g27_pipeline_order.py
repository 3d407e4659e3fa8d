"""Guide: "Performance Tips / Dataset Pipeline Order".

Adapted: `files`, `parse_fn` and `augment` are defined: two TFRecord files
of 50 serialized tf.train.Examples each, written to a temporary directory.
"""
import os
import tempfile

import numpy as np
import tensorflow as tf


def report(key, value):
    print(f"[report] {key}: {value}", flush=True)


tmp = tempfile.mkdtemp()
rng = np.random.RandomState(0)
files = []
for shard in range(2):
    path = os.path.join(tmp, f"shard-{shard}.tfrecord")
    with tf.io.TFRecordWriter(path) as writer:
        for i in range(50):
            example = tf.train.Example(features=tf.train.Features(feature={
                'x': tf.train.Feature(float_list=tf.train.FloatList(value=rng.randn(8).tolist())),
                'y': tf.train.Feature(int64_list=tf.train.Int64List(value=[shard * 50 + i])),
            }))
            writer.write(example.SerializeToString())
    files.append(path)


def parse_fn(record):
    parsed = tf.io.parse_single_example(record, {
        'x': tf.io.FixedLenFeature([8], tf.float32),
        'y': tf.io.FixedLenFeature([], tf.int64),
    })
    return parsed['x'], parsed['y']


def augment(x, y):
    return x + tf.random.normal(tf.shape(x), stddev=0.01), y


# ✅ Optimal order: load → cache → shuffle → batch → augment → prefetch
dataset = (
    tf.data.TFRecordDataset(files)
    .map(parse_fn, num_parallel_calls=tf.data.AUTOTUNE)   # Parse raw records
    .cache()                                                # Cache parsed tensors in memory
    .shuffle(buffer_size=10000)                             # Shuffle after cache
    .batch(64)                                              # Batch after shuffle
    .map(augment, num_parallel_calls=tf.data.AUTOTUNE)     # Augment per batch (optional)
    .prefetch(tf.data.AUTOTUNE)                             # Overlap with GPU
)
report("element_spec", dataset.element_spec)
for epoch in range(2):  # the second epoch is served from the cache
    batches = list(dataset)
    report(f"epoch{epoch}_batch_shapes", [tuple(xb.shape) for xb, _ in batches])
    report(f"epoch{epoch}_all_labels", sorted(np.concatenate([yb.numpy() for _, yb in batches]).tolist()) == list(range(100)))
