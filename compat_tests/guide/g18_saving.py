"""Guide: "Saving and Loading Models".

Adapted to TF 2.21 (Keras 3), keeping every guide line and reporting what it
does: `model.save('my_model')` (no extension) and `save_weights('weights.tf')`
raise ValueError in TF 2.21, so the lines that depend on them use the
formats that do work (noted inline). Files go to a temporary directory;
`model` and `optimizer` are defined with a small trained model.
"""
import os
import tempfile

import numpy as np
import tensorflow as tf


def report(key, value):
    print(f"[report] {key}: {value}", flush=True)


def attempt(key, fn):
    try:
        result = fn()
    except Exception as e:  # the exception type is what we compare
        report(key, f"exception: {type(e).__name__}")
        return None
    report(key, "ok")
    return result


os.chdir(tempfile.mkdtemp())
rng = np.random.RandomState(0)
x = rng.randn(32, 4).astype(np.float32)
y = rng.randn(32, 1).astype(np.float32)
model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(8, activation='relu'),
                             tf.keras.layers.Dense(1)])
optimizer = tf.keras.optimizers.Adam(1e-3)
model.compile(optimizer=optimizer, loss='mse')
model.fit(x, y, epochs=1, verbose=0)
reference = model.predict(x, verbose=0)


def same_predictions(m):
    return bool(np.allclose(m.predict(x, verbose=0), reference, atol=1e-6))


# ─── Full model save (recommended formats) ───
attempt("save_no_extension", lambda: model.save('my_model'))              # SavedModel dir: ValueError in Keras 3
attempt("save_keras", lambda: model.save('my_model.keras'))               # Keras native (.keras)
attempt("save_h5", lambda: model.save('my_model.h5'))                     # HDF5 — legacy, still works

# ─── Full model load ───
attempt("load_no_extension", lambda: tf.keras.models.load_model('my_model'))
loaded = attempt("load_keras", lambda: tf.keras.models.load_model('my_model.keras'))
report("load_keras_same_predictions", same_predictions(loaded))
report("load_keras_optimizer", type(loaded.optimizer).__name__)
loaded_h5 = attempt("load_h5", lambda: tf.keras.models.load_model('my_model.h5', compile=False))
report("load_h5_same_predictions", same_predictions(loaded_h5))

# ─── Weights only ───
attempt("save_weights_tf", lambda: model.save_weights('weights.tf'))      # needs `.weights.h5` in Keras 3
attempt("load_weights_tf", lambda: model.load_weights('weights.tf'))
attempt("save_weights_h5", lambda: model.save_weights('weights.weights.h5'))
fresh = tf.keras.models.clone_model(model)
attempt("load_weights_h5", lambda: fresh.load_weights('weights.weights.h5'))
report("load_weights_same_predictions", same_predictions(fresh))

# ─── Checkpoint (custom training loops) ───
checkpoint = tf.train.Checkpoint(optimizer=optimizer, model=model)
manager   = tf.train.CheckpointManager(checkpoint, './ckpts', max_to_keep=3)

saved_path = manager.save()                            # Save current state
report("checkpoint_path", os.path.relpath(saved_path))
for _ in range(3):
    manager.save()
report("checkpoints_kept", [os.path.relpath(p) for p in manager.checkpoints])
kernel = model.layers[0].kernel
before = kernel.numpy().copy()
kernel.assign(tf.zeros_like(kernel))
status = checkpoint.restore(manager.latest_checkpoint)  # Restore latest
report("restore_status", type(status).__name__)
report("restored_weights", bool(np.array_equal(kernel.numpy(), before)))

# ─── Export for deployment ───
# TF Serving
attempt("saved_model_save", lambda: tf.saved_model.save(model, 'serving_model'))
report("saved_model_files", sorted(f for f in os.listdir('serving_model') if f in ("saved_model.pb", "variables")))
restored = tf.saved_model.load('serving_model')
report("saved_model_signatures", list(restored.signatures.keys()))

# TF Lite (mobile/edge) -- from 'serving_model': 'my_model' was never written (see above)
def to_tflite():
    converter = tf.lite.TFLiteConverter.from_saved_model('serving_model')
    tflite_model = converter.convert()
    with open('model.tflite', 'wb') as f:
        f.write(tflite_model)
    return tflite_model

attempt("tflite_convert", to_tflite)
report("tflite_written", os.path.isfile('model.tflite') and os.path.getsize('model.tflite') > 0)
