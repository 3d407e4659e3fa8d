"""Guide: "Sequential API — Linear Stack"."""
import tensorflow as tf
from tensorflow.keras import layers


def report(key, value):
    print(f"[report] {key}: {value}", flush=True)


# Pass list to constructor
model = tf.keras.Sequential([
    layers.Conv2D(32, (3, 3), activation='relu', input_shape=(28, 28, 1)),
    layers.MaxPooling2D((2, 2)),
    layers.Conv2D(64, (3, 3), activation='relu'),
    layers.MaxPooling2D((2, 2)),
    layers.Flatten(),
    layers.Dense(64, activation='relu'),
    layers.Dropout(0.5),
    layers.Dense(10)  # Logits — no activation here; use from_logits in loss
])

model.summary()
print(f"Parameters: {model.count_params():,}")

report("parameters", f"{model.count_params():,}")
report("layer_output_shapes", [layer.output.shape for layer in model.layers])
report("layer_params", [layer.count_params() for layer in model.layers])
report("built", model.built)
