"""Guide: "Callbacks — Training Control".

Adapted: model/X_train/y_train are defined (small synthetic data);
epochs=3 instead of 100; files go to a temporary directory.
"""
import os
import tempfile

import numpy as np
import tensorflow as tf


def report(key, value):
    print(f"[report] {key}: {value}", flush=True)


os.chdir(tempfile.mkdtemp())
rng = np.random.RandomState(0)
X_train = rng.randn(100, 8).astype(np.float32)
y_train = (X_train.sum(axis=1) > 0).astype(np.int32)
model = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(16, activation='relu'),
                             tf.keras.layers.Dense(2)])
model.compile(optimizer='adam', loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=['accuracy'])

callbacks = [
    # Stop when val_loss plateaus; restore best weights
    tf.keras.callbacks.EarlyStopping(
        monitor='val_loss', patience=5,
        restore_best_weights=True, verbose=1
    ),
    # Save best model to disk
    tf.keras.callbacks.ModelCheckpoint(
        filepath='best_model.keras',
        monitor='val_accuracy', save_best_only=True,
        mode='max', verbose=1
    ),
    # Reduce LR on plateau
    tf.keras.callbacks.ReduceLROnPlateau(
        monitor='val_loss', factor=0.5,
        patience=3, min_lr=1e-6, verbose=1
    ),
    # TensorBoard: tensorboard --logdir=./logs
    tf.keras.callbacks.TensorBoard(log_dir='./logs', histogram_freq=1)
]

history = model.fit(X_train, y_train, epochs=3,
          validation_split=0.2, callbacks=callbacks)

report("epochs_run", len(history.history["loss"]))
report("history_keys", sorted(history.history))
report("checkpoint_saved", os.path.isfile("best_model.keras"))
report("checkpoint_loadable", type(tf.keras.models.load_model("best_model.keras")).__name__)
report("tensorboard_dirs", sorted(d for d in os.listdir("logs")))
report("tensorboard_event_files", all(any(f.startswith("events.out.tfevents") for f in os.listdir(os.path.join("logs", d)))
                                      for d in os.listdir("logs")))
report("learning_rate_positive", float(model.optimizer.learning_rate.numpy()) > 0)
