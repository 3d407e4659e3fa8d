"""Guide: "Built-in Training — model.fit()".

Adapted: `model`, X_train, y_train are defined (small synthetic data, a
learnable rule); epochs=2 instead of 50. The plotting part runs only when
matplotlib is installed (TensorFlow does not depend on it), with the
non-interactive Agg backend and savefig instead of show.
"""
import os
import tempfile

import numpy as np
import tensorflow as tf


def report(key, value):
    print(f"[report] {key}: {value}", flush=True)


rng = np.random.RandomState(0)
X_train = rng.randn(160, 20).astype(np.float32)
y_train = (X_train[:, 0] > 0).astype(np.int64) + 2 * (X_train[:, 1] > 0)
model = tf.keras.Sequential([tf.keras.Input((20,)), tf.keras.layers.Dense(32, activation='relu'),
                             tf.keras.layers.Dense(4)])

model.compile(
    optimizer=tf.keras.optimizers.Adam(learning_rate=1e-3),
    loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=['accuracy']
)

history = model.fit(
    X_train, y_train,
    epochs=2,
    batch_size=32,
    validation_split=0.2,          # 20% held out for val
    shuffle=True,
    verbose=1
)
report("history_keys", sorted(history.history))
report("history_lengths", sorted({len(v) for v in history.history.values()}))
report("params", {k: history.params[k] for k in ("epochs", "steps", "verbose")})
report("epoch", history.epoch)
report("accuracy_in_range", all(0.0 <= a <= 1.0 for a in history.history["accuracy"]))
report("history_value_type", type(history.history["loss"][0]).__name__)

# ─── Plot training curves ───
try:
    import matplotlib
except ImportError:
    report("matplotlib", "not installed")
else:
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(12, 4))
    for ax, metric in zip(axes, ['loss', 'accuracy']):
        ax.plot(history.history[metric], label='Train')
        ax.plot(history.history[f'val_{metric}'], label='Val')
        ax.set_ylabel(metric.capitalize())
        ax.set_xlabel('Epoch')
        ax.legend()
    plt.tight_layout()
    path = os.path.join(tempfile.mkdtemp(), "curves.png")
    plt.savefig(path)  # plt.show() in the guide
    report("matplotlib", f"plotted {os.path.getsize(path) > 0}")
