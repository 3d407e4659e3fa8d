"""Guide: "tf.data.Dataset — Efficient Data Pipelines".

Adapted: 200 samples instead of 1000; the names the block leaves undefined
(X_train, y_train, augment_fn, img_bytes, label, data/*.tfrecord) are
defined here; files are written under a temporary directory.
"""
import os
import tempfile

import tensorflow as tf
import numpy as np


def report(key, value):
    print(f"[report] {key}: {value}", flush=True)


os.chdir(tempfile.mkdtemp())
rng = np.random.RandomState(0)

# ─── From numpy arrays ───
X = rng.randn(200, 28, 28, 1).astype(np.float32)
y = rng.randint(0, 10, 200)
dataset = tf.data.Dataset.from_tensor_slices((X, y))
report("from_tensor_slices_spec", dataset.element_spec)
report("cardinality", int(dataset.cardinality()))

X_train, y_train = X, y


def augment_fn(x, y):
    return tf.image.random_flip_left_right(x), y


# ─── Core pipeline (canonical order) ───
# load → cache → shuffle → batch → map(augment) → prefetch
train_dataset = (
    tf.data.Dataset.from_tensor_slices((X_train, y_train))
    .cache()                                                    # Cache after first read
    .shuffle(buffer_size=1000)                                  # Shuffle with buffer
    .batch(32)                                                  # Batch after shuffle
    .map(augment_fn, num_parallel_calls=tf.data.AUTOTUNE)       # Parallel augmentation
    .prefetch(tf.data.AUTOTUNE)                                 # Overlap CPU/GPU
)
report("train_dataset_spec", train_dataset.element_spec)
report("train_batch_sizes", [int(xb.shape[0]) for xb, _ in train_dataset])
report("labels_preserved", sorted(np.concatenate([yb.numpy() for _, yb in train_dataset]).tolist()) == sorted(y.tolist()))

# ─── Map functions ───
def normalize(x, y):
    return x / 255.0, y

def augment(x, y):
    x = tf.image.random_flip_left_right(x)
    x = tf.image.random_brightness(x, max_delta=0.1)
    x = tf.image.random_crop(x, size=tf.shape(x))  # Random crop to same size
    return x, y

dataset = dataset.map(normalize).map(augment)
report("mapped_spec", dataset.element_spec)

# ─── Filter and slice ───
dataset = dataset.filter(lambda x, y: y != 5)     # Remove class 5
first_100 = dataset.take(100)                      # First 100 elements
after_100 = dataset.skip(100)                      # Everything after 100
n_kept = int(np.sum(y != 5))
report("filtered_count", (sum(1 for _ in dataset), n_kept))
report("take_skip_counts", (sum(1 for _ in first_100), sum(1 for _ in after_100)))
report("filtered_labels", [int(lbl) for _, lbl in first_100.take(8)])

# ─── Repeat ───
dataset = dataset.repeat(3)       # 3 epochs
report("repeat3_count", sum(1 for _ in dataset))
dataset = dataset.repeat()        # Infinite — control stopping in training loop
report("infinite_cardinality", int(dataset.cardinality()) == int(tf.data.INFINITE_CARDINALITY))

# ─── Enumerate for inspection ───
for i, (x, y) in dataset.enumerate():
    if i >= 3: break
    print(f"Batch {i}: x={x.shape}, y={y.shape}")
    report(f"enumerate_{int(i)}", f"x={x.shape}, y={y.shape}, i_dtype={i.dtype}")

# ─── TFRecord: Write ───  (also into data/ so the file-pattern example has input)
os.makedirs('data', exist_ok=True)
images = rng.randint(0, 256, size=(6, 32, 32, 3)).astype(np.uint8)
for path in ['data.tfrecord', 'data/part-0.tfrecord', 'data/part-1.tfrecord']:
    writer = tf.io.TFRecordWriter(path)
    for i in range(len(images)):
        img_bytes = tf.io.encode_jpeg(images[i]).numpy()
        label = i % 3
        feature = {
            'image': tf.train.Feature(bytes_list=tf.train.BytesList(value=[img_bytes])),
            'label': tf.train.Feature(int64_list=tf.train.Int64List(value=[label]))
        }
        example = tf.train.Example(features=tf.train.Features(feature=feature))
        writer.write(example.SerializeToString())
    writer.close()

# ─── From file patterns ───
dataset = tf.data.TFRecordDataset(
    tf.data.Dataset.list_files('data/*.tfrecord')
)
report("file_pattern_records", sum(1 for _ in dataset))
report("tfrecord_spec", dataset.element_spec)

# ─── TFRecord: Read + Parse ───
def parse_tfrecord(serialized):
    features = tf.io.parse_single_example(serialized, {
        'image': tf.io.FixedLenFeature([], tf.string),
        'label': tf.io.FixedLenFeature([], tf.int64)
    })
    image = tf.io.decode_jpeg(features['image'], channels=3)
    image = tf.image.resize(image, [224, 224])
    return image, features['label']

dataset = (
    tf.data.TFRecordDataset('data.tfrecord')
    .map(parse_tfrecord, num_parallel_calls=tf.data.AUTOTUNE)
    .cache()
    .shuffle(10000)
    .batch(64)
    .prefetch(tf.data.AUTOTUNE)
)
report("parsed_spec", dataset.element_spec)
batches = list(dataset)
report("parsed_batches", [(tuple(xb.shape), xb.dtype.name, sorted(yb.numpy().tolist())) for xb, yb in batches])
# JPEG is lossy and decoders may differ by a few levels: compare coarsely.
report("decoded_mean_close", bool(abs(float(tf.reduce_mean(batches[0][0])) - images.mean()) < 3.0))
