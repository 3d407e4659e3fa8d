"""Guide: "Basic Pattern — Sequential Classification".

Adapted: 64 samples instead of 1000 and epochs=2 instead of 10, so it runs in seconds.
"""
import tensorflow as tf
from tensorflow.keras import layers
import numpy as np


def report(key, value):
    print(f"[report] {key}: {value}", flush=True)


np.random.seed(0)

# 1. Data
X_train = np.random.randn(64, 28, 28, 1).astype(np.float32)
y_train = np.random.randint(0, 10, 64)

# 2. Model
model = tf.keras.Sequential([
    layers.Conv2D(32, (3, 3), activation='relu', input_shape=(28, 28, 1)),
    layers.MaxPooling2D((2, 2)),
    layers.Flatten(),
    layers.Dense(64, activation='relu'),
    layers.Dropout(0.5),
    layers.Dense(10, activation='softmax')
])

# 3. Compile + Train + Predict
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
history = model.fit(X_train, y_train, epochs=2, validation_split=0.2)
predictions = model.predict(X_train[:5])

report("params", model.count_params())
report("output_shape", model.output_shape)
report("history_keys", sorted(history.history))
report("epochs_run", len(history.history["loss"]))
report("history_params", {k: history.params[k] for k in ("epochs", "steps")})
report("predictions_shape", predictions.shape)
report("predictions_dtype", predictions.dtype)
report("predictions_rowsum", np.round(predictions.sum(axis=1), 4).tolist())
report("loss_finite", bool(np.all(np.isfinite(history.history["loss"]))))
