"""Guide: "CNN — Image Classification".

Added: one forward pass on a small (32x32) copy of the model; parameter
counts do not depend on the input size thanks to global average pooling.
"""
import numpy as np
import tensorflow as tf
from tensorflow.keras import layers


def report(key, value):
    print(f"[report] {key}: {value}", flush=True)


def build_cnn(input_shape, num_classes):
    """Standard CNN with BatchNorm and GlobalAvgPool."""
    model = tf.keras.Sequential([
        # Block 1
        layers.Conv2D(32, (3, 3), padding='same', activation='relu', input_shape=input_shape),
        layers.BatchNormalization(),
        layers.Conv2D(32, (3, 3), padding='same', activation='relu'),
        layers.BatchNormalization(),
        layers.MaxPooling2D((2, 2)),
        layers.Dropout(0.25),

        # Block 2
        layers.Conv2D(64, (3, 3), padding='same', activation='relu'),
        layers.BatchNormalization(),
        layers.Conv2D(64, (3, 3), padding='same', activation='relu'),
        layers.BatchNormalization(),
        layers.MaxPooling2D((2, 2)),
        layers.Dropout(0.25),

        # Block 3
        layers.Conv2D(128, (3, 3), padding='same', activation='relu'),
        layers.BatchNormalization(),
        layers.GlobalAveragePooling2D(),   # Replaces Flatten+Dense — far fewer params
        layers.Dropout(0.5),

        # Head
        layers.Dense(256, activation='relu'),
        layers.Dropout(0.3),
        layers.Dense(num_classes)          # Logits
    ])
    return model

model = build_cnn((224, 224, 3), num_classes=10)
model.summary()
report("params", model.count_params())
report("trainable_params", int(sum(np.prod(w.shape) for w in model.trainable_weights)))
report("non_trainable_params", int(sum(np.prod(w.shape) for w in model.non_trainable_weights)))
report("num_layers", len(model.layers))
report("output_shape", model.output_shape)

small = build_cnn((32, 32, 3), num_classes=10)
report("small_params_equal", small.count_params() == model.count_params())
x = np.random.RandomState(0).rand(2, 32, 32, 3).astype(np.float32)
out = small(x, training=False)
report("small_forward", (out.shape, out.dtype))
