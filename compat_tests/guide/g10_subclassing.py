"""Guide: "Model Subclassing — Full Control".

Adapted: X_train/y_train are defined (64 synthetic samples); epochs=2 instead of 10.
"""
import tensorflow as tf
from tensorflow.keras import layers
import numpy as np


def report(key, value):
    print(f"[report] {key}: {value}", flush=True)


rng = np.random.RandomState(0)
X_train = rng.randn(64, 784).astype(np.float32)
y_train = rng.randint(0, 10, 64)


class Classifier(tf.keras.Model):
    def __init__(self, num_classes, hidden_dim=128, **kwargs):
        super().__init__(**kwargs)
        self.dense1   = layers.Dense(hidden_dim, activation='relu')
        self.dropout  = layers.Dropout(0.3)
        self.dense2   = layers.Dense(hidden_dim // 2, activation='relu')
        self.head     = layers.Dense(num_classes)  # Logits

    def call(self, x, training=False):
        x = self.dense1(x)
        x = self.dropout(x, training=training)   # training flag is critical
        x = self.dense2(x)
        return self.head(x)

model = Classifier(num_classes=10)
model.build(input_shape=(None, 784))
model.summary()
# Keras 3 cannot build a subclassed model without a build() of its own: the
# weights are only created on the first call (TF 2.21 reports 0 here).
report("params_after_build", model.count_params())

# Works with compile/fit just like Sequential
model.compile(
    optimizer='adam',
    loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=['accuracy']
)
history = model.fit(X_train, y_train, epochs=2, validation_split=0.2)
report("history_keys", sorted(history.history))
report("epochs", len(history.history["loss"]))
report("params_after_fit", model.count_params())
report("weights", [tuple(w.shape) for w in model.weights])
eval_a = model(X_train[:4], training=False).numpy()
eval_b = model(X_train[:4], training=False).numpy()
report("inference_deterministic", bool(np.array_equal(eval_a, eval_b)))

# ─── Multi-output subclassed model ───
class MultiHead(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.backbone   = layers.Dense(128, activation='relu')
        self.cls_head   = layers.Dense(10, name='classification')
        self.reg_head   = layers.Dense(1, name='regression')

    def call(self, x, training=False):
        shared = self.backbone(x)
        return {
            'classification': self.cls_head(shared),
            'regression':     self.reg_head(shared)
        }

out = MultiHead()(tf.zeros((3, 20)))
report("multihead", sorted((k, tuple(v.shape)) for k, v in out.items()))
