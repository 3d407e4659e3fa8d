"""Guide: "Common Pitfalls / Loss / Label Format Mismatch".

Added: each pairing is compiled on a model as the guide says, and each loss
is evaluated on fixed logits so exact values can be compared.
"""
import numpy as np
import tensorflow as tf
from tensorflow.keras import layers


def report(key, value):
    print(f"[report] {key}: {value}", flush=True)


num_classes = 4
logits = tf.constant([[2.0, 1.0, 0.1, -1.0], [0.5, 2.5, 0.3, 0.0], [-1.0, 0.0, 1.0, 3.0]])
int_labels = tf.constant([0, 2, 3])
onehot = tf.one_hot(int_labels, num_classes)
binary_logits = tf.constant([[1.5], [-0.5], [0.2]])
binary_labels = tf.constant([[1.0], [0.0], [0.0]])

# Integer labels [0, 2, 1, 3, ...]
model = tf.keras.Sequential([layers.Dense(num_classes)])  # ← no activation
model.compile(loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
report("sparse", round(float(model.loss(int_labels, logits)), 5))

# One-hot labels [[1,0,0], [0,0,1], ...]
model = tf.keras.Sequential([layers.Dense(num_classes)])  # ← no activation
model.compile(loss=tf.keras.losses.CategoricalCrossentropy(from_logits=True))
report("categorical", round(float(model.loss(onehot, logits)), 5))

# Binary labels {0, 1}
model = tf.keras.Sequential([layers.Dense(1)])            # ← no activation
model.compile(loss=tf.keras.losses.BinaryCrossentropy(from_logits=True))
report("binary", round(float(model.loss(binary_labels, binary_logits)), 5))

# ⚡ Rule: from_logits=True + no output activation = most stable
probs = tf.nn.softmax(logits)
report("softmax_then_ce_matches", round(float(tf.keras.losses.CategoricalCrossentropy()(onehot, probs)), 4))
extreme = tf.constant([[100.0, -100.0]])
report("stable_extreme", round(float(tf.keras.losses.CategoricalCrossentropy(from_logits=True)(
    tf.constant([[0.0, 1.0]]), extreme)), 3))
report("loss_dtype", tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)(int_labels, logits).dtype)
report("per_sample", np.round(tf.keras.losses.sparse_categorical_crossentropy(
    int_labels, logits, from_logits=True).numpy(), 5).tolist())
