"""Guide: "Practical Workflows / 5. Multi-Task Learning".

Added: the commented-out fit is run on 60 synthetic samples with
epochs=1 instead of 30.
"""
import numpy as np
import tensorflow as tf
from tensorflow.keras import layers


def report(key, value):
    print(f"[report] {key}: {value}", flush=True)


def build_multitask(input_shape, tasks):
    """
    Shared backbone + task-specific heads.

    tasks: dict — {'name': (num_outputs, activation, loss, weight)}
    Example:
        tasks = {
            'category':  (10, 'softmax', 'sparse_categorical_crossentropy', 1.0),
            'sentiment': (3,  'softmax', 'sparse_categorical_crossentropy', 0.7),
            'toxicity':  (1,  'sigmoid', 'binary_crossentropy',             0.5),
        }
    """
    inputs = tf.keras.Input(shape=input_shape)

    # Shared trunk
    x = layers.Dense(256, activation='relu')(inputs)
    x = layers.Dropout(0.3)(x)
    shared = layers.Dense(128, activation='relu')(x)

    # Task heads
    outputs, losses, weights = {}, {}, {}
    for name, (n_out, act, loss, w) in tasks.items():
        head = layers.Dense(64, activation='relu')(shared)
        outputs[name] = layers.Dense(n_out, activation=act, name=name)(head)
        losses[name]  = loss
        weights[name] = w

    model = tf.keras.Model(inputs=inputs, outputs=outputs)
    model.compile(optimizer='adam', loss=losses, loss_weights=weights,
                  metrics={name: 'accuracy' for name in tasks})
    return model

# ─── Usage ───
tasks = {
    'category':  (10, 'softmax', 'sparse_categorical_crossentropy', 1.0),
    'sentiment': (3,  'softmax', 'sparse_categorical_crossentropy', 0.7),
    'toxicity':  (1,  'sigmoid', 'binary_crossentropy',             0.5),
}
model = build_multitask(input_shape=(128,), tasks=tasks)
report("params", model.count_params())
report("output_names", model.output_names)
report("output_shapes", sorted((k, tuple(v.shape)) for k, v in model.output.items()))

rng = np.random.RandomState(0)
X_train = rng.randn(60, 128).astype(np.float32)
y_cat = rng.randint(0, 10, 60)
y_sent = rng.randint(0, 3, 60)
y_tox = rng.randint(0, 2, 60).astype(np.float32)

# Train with dict of targets:
history = model.fit(X_train, {
    'category':  y_cat,
    'sentiment': y_sent,
    'toxicity':  y_tox
}, validation_split=0.2, epochs=1)
report("history_keys", sorted(history.history))
pred = model.predict(X_train[:2])
report("predict", sorted((k, v.shape) for k, v in pred.items()))
