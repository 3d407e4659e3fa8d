"""Guide: "Practical Workflows / 1. Image Classification Pipeline (End-to-End)".

Adapted: the guide only defines build_image_pipeline (its call is a
comment); here it is called on a tiny directory of synthetic PNG images
(5 classes x 4 images per split) with img_size=(64, 64), batch_size=8,
EfficientNetB0 with weights=None (no network) and epochs=2 instead of 30.
image_dataset_from_directory yields integer labels (label_mode='int') while
the guide compiles with categorical_crossentropy: in TF 2.21 that fit raises
a ValueError, which the report records; the pipeline is then run again with
label_mode='categorical' (the minimal fix) so training is exercised.
"""
import os
import tempfile

import numpy as np
import tensorflow as tf
from tensorflow.keras import layers


def report(key, value):
    print(f"[report] {key}: {value}", flush=True)


LABEL_MODE = "int"  # image_dataset_from_directory's default, as in the guide


def build_image_pipeline(train_dir, val_dir, img_size=(224, 224), batch_size=32, num_classes=10):
    """Full pipeline: load → augment → pretrained model → train → checkpoint."""

    # ─── Load from directory ───
    train_ds = tf.keras.utils.image_dataset_from_directory(
        train_dir, image_size=img_size, batch_size=batch_size, seed=42, label_mode=LABEL_MODE
    )
    val_ds = tf.keras.utils.image_dataset_from_directory(
        val_dir, image_size=img_size, batch_size=batch_size, label_mode=LABEL_MODE
    )
    report(f"{LABEL_MODE}_class_names", train_ds.class_names)
    report(f"{LABEL_MODE}_element_spec", train_ds.element_spec)

    # ─── Augmentation (train only) ───
    augmentation = tf.keras.Sequential([
        layers.RandomFlip('horizontal'),
        layers.RandomRotation(0.2),
        layers.RandomZoom(0.2),
        layers.RandomContrast(0.2),
    ])

    def preprocess_train(x, y):
        x = x / 255.0
        x = augmentation(x, training=True)
        return x, y

    def preprocess_val(x, y):
        return x / 255.0, y

    train_ds = train_ds.map(preprocess_train).prefetch(tf.data.AUTOTUNE)
    val_ds   = val_ds.map(preprocess_val).prefetch(tf.data.AUTOTUNE)

    # ─── Model: EfficientNet transfer learning ───
    base = tf.keras.applications.EfficientNetB0(
        weights=None, include_top=False, input_shape=(*img_size, 3)  # weights='imagenet' needs the network
    )
    base.trainable = False

    model = tf.keras.Sequential([
        base,
        layers.GlobalAveragePooling2D(),
        layers.Dense(128, activation='relu'),
        layers.Dropout(0.3),
        layers.Dense(num_classes, activation='softmax')
    ])

    model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])

    # ─── Train with callbacks ───
    history = model.fit(
        train_ds, validation_data=val_ds, epochs=2,
        callbacks=[
            tf.keras.callbacks.EarlyStopping(patience=5, restore_best_weights=True),
            tf.keras.callbacks.ModelCheckpoint('best.keras', save_best_only=True,
                                               monitor='val_accuracy', mode='max')
        ]
    )
    return model, history


os.chdir(tempfile.mkdtemp())
rng = np.random.RandomState(0)
for split in ("train", "val"):
    for c in range(5):
        os.makedirs(f"data/{split}/class_{c}", exist_ok=True)
        for i in range(4):
            img = (rng.rand(48, 40, 3) * 255).astype(np.uint8)
            tf.io.write_file(f"data/{split}/class_{c}/img_{i}.png", tf.io.encode_png(img))

try:
    build_image_pipeline('data/train', 'data/val', img_size=(64, 64), batch_size=8, num_classes=5)
    report("int_labels_fit", "ok")
except ValueError as e:
    report("int_labels_fit", f"exception: {type(e).__name__}")

LABEL_MODE = "categorical"
model, history = build_image_pipeline('data/train', 'data/val', img_size=(64, 64), batch_size=8, num_classes=5)
report("history_keys", sorted(history.history))
report("epochs_run", len(history.history["loss"]))
report("checkpoint_saved", os.path.isfile("best.keras"))
report("output_shape", model.output_shape)
report("trainable_weights", len(model.trainable_weights))
