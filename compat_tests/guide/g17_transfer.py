"""Guide: "Transfer Learning".

Adapted: weights=None instead of 'imagenet' (no network here), 96x96 inputs
instead of 224x224, num_classes/train_ds/val_ds defined with a few synthetic
images, epochs=1 per phase. Layer counts and trainability are what the
report checks.
"""
import numpy as np
import tensorflow as tf
from tensorflow.keras import layers


def report(key, value):
    print(f"[report] {key}: {value}", flush=True)


num_classes = 3
rng = np.random.RandomState(0)
images = rng.rand(16, 96, 96, 3).astype(np.float32)
labels = tf.keras.utils.to_categorical(rng.randint(0, num_classes, 16), num_classes)
train_ds = tf.data.Dataset.from_tensor_slices((images[:12], labels[:12])).batch(4)
val_ds = tf.data.Dataset.from_tensor_slices((images[12:], labels[12:])).batch(4)

# ─── Phase 1: Feature Extraction (fast) ───
base = tf.keras.applications.MobileNetV2(
    weights=None, include_top=False, input_shape=(96, 96, 3)
)
base.trainable = False              # Freeze all pretrained weights
report("base_layers", len(base.layers))
report("base_params", base.count_params())
report("base_output_shape", base.output_shape)

inputs  = base.input
x       = base(inputs, training=False)
x       = layers.GlobalAveragePooling2D()(x)
x       = layers.Dense(256, activation='relu')(x)
x       = layers.Dropout(0.3)(x)
outputs = layers.Dense(num_classes, activation='softmax')(x)

model = tf.keras.Model(inputs, outputs)
report("phase1_trainable_weights", len(model.trainable_weights))
report("phase1_non_trainable_weights", len(model.non_trainable_weights))
model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
h1 = model.fit(train_ds, validation_data=val_ds, epochs=1)
report("phase1_history_keys", sorted(h1.history))

# ─── Phase 2: Fine-Tuning (unfreeze top layers) ───
for layer in base.layers[-20:]:     # Unfreeze last 20 layers
    layer.trainable = True
report("phase2_trainable_weights", len(model.trainable_weights))
report("phase2_base_trainable", base.trainable)

# CRITICAL: recompile with much lower LR after unfreezing
model.compile(
    optimizer=tf.keras.optimizers.Adam(learning_rate=1e-5),  # 100x lower than default
    loss='categorical_crossentropy',
    metrics=['accuracy']
)
h2 = model.fit(train_ds, validation_data=val_ds, epochs=1, callbacks=[
    tf.keras.callbacks.EarlyStopping(patience=3, restore_best_weights=True)
])
report("phase2_epochs", len(h2.history["loss"]))
report("predict_shape", model.predict(images[:2]).shape)
