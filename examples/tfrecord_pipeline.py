"""Write images to TFRecord files, read them back with tf.data, train on the stream.

    python examples/tfrecord_pipeline.py [--out DIR]
    python -m tfjax examples/tfrecord_pipeline.py

Covers tf.train.Example, tf.io.TFRecordWriter, tf.data.Dataset.list_files,
interleave, parse_example, decode_png, cache/shuffle/batch/prefetch and
model.fit on the resulting dataset.
"""

import argparse
import os
import tempfile

import numpy as np
import tensorflow as tf

import synthetic_digits


def write_shards(out_dir, images, labels, shards):
    paths = []
    for s in range(shards):
        path = os.path.join(out_dir, f"digits-{s:02d}-of-{shards:02d}.tfrecord")
        with tf.io.TFRecordWriter(path) as writer:
            for i in range(s, len(images), shards):
                png = tf.io.encode_png(images[i][..., None]).numpy()
                example = tf.train.Example(features=tf.train.Features(feature={
                    "image_png": tf.train.Feature(bytes_list=tf.train.BytesList(value=[png])),
                    "label": tf.train.Feature(int64_list=tf.train.Int64List(value=[int(labels[i])])),
                }))
                writer.write(example.SerializeToString())
        paths.append(path)
    return paths


FEATURES = {
    "image_png": tf.io.FixedLenFeature([], tf.string),
    "label": tf.io.FixedLenFeature([], tf.int64),
}


def decode(serialized_batch):
    parsed = tf.io.parse_example(serialized_batch, FEATURES)
    images = tf.map_fn(lambda png: tf.io.decode_png(png, channels=1), parsed["image_png"],
                       fn_output_signature=tf.TensorSpec((28, 28, 1), tf.uint8))
    return tf.cast(images, tf.float32) / 255.0, parsed["label"]


def make_dataset(pattern, batch_size, training):
    files = tf.data.Dataset.list_files(pattern, shuffle=training, seed=0)
    ds = files.interleave(tf.data.TFRecordDataset, cycle_length=2, num_parallel_calls=tf.data.AUTOTUNE)
    if training:
        ds = ds.cache().shuffle(1000, seed=0)
    return ds.batch(batch_size).map(decode, num_parallel_calls=tf.data.AUTOTUNE).prefetch(tf.data.AUTOTUNE)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=None, help="directory for the .tfrecord files (default: a temp dir)")
    parser.add_argument("--samples", type=int, default=1200)
    parser.add_argument("--epochs", type=int, default=5)
    args = parser.parse_args()

    tf.keras.utils.set_random_seed(0)
    out_dir = args.out or tempfile.mkdtemp(prefix="tfrecords-")
    os.makedirs(out_dir, exist_ok=True)
    (x_train, y_train), (x_test, y_test) = synthetic_digits.load_data(args.samples)
    train_files = write_shards(os.path.join(out_dir), x_train, y_train, shards=4)
    test_dir = os.path.join(out_dir, "test")
    os.makedirs(test_dir, exist_ok=True)
    write_shards(test_dir, x_test, y_test, shards=1)
    sizes = sum(os.path.getsize(p) for p in train_files)
    print(f"wrote {len(train_files)} training shards ({sizes} bytes) to {out_dir}")

    train_ds = make_dataset(os.path.join(out_dir, "digits-*.tfrecord"), 64, training=True)
    test_ds = make_dataset(os.path.join(test_dir, "*.tfrecord"), 256, training=False)
    print(f"element spec: {train_ds.element_spec}")
    n_records = sum(1 for _ in tf.data.TFRecordDataset(train_files))
    print(f"training records: {n_records}")

    model = tf.keras.Sequential([
        tf.keras.Input((28, 28, 1)),
        tf.keras.layers.Conv2D(16, 3, activation="relu"),
        tf.keras.layers.MaxPooling2D(),
        tf.keras.layers.Conv2D(32, 3, activation="relu"),
        tf.keras.layers.MaxPooling2D(),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(10),
    ])
    model.compile(optimizer=tf.keras.optimizers.Adam(3e-3), loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    model.fit(train_ds, epochs=args.epochs, verbose=2)
    loss, accuracy = model.evaluate(test_ds, verbose=0)
    print(f"test accuracy: {accuracy:.4f}")


if __name__ == "__main__":
    main()
