"""Guide: "Functional API — DAG of Layers"."""
import tensorflow as tf
from tensorflow.keras import layers


def report(key, value):
    print(f"[report] {key}: {value}", flush=True)


# ─── Single input/output ───
inputs = tf.keras.Input(shape=(224, 224, 3), name='image')
x = layers.Conv2D(32, (3, 3), activation='relu')(inputs)
x = layers.MaxPooling2D((2, 2))(x)
x = layers.Conv2D(64, (3, 3), activation='relu')(x)
x = layers.GlobalAveragePooling2D()(x)
x = layers.Dense(128, activation='relu')(x)
x = layers.Dropout(0.3)(x)
outputs = layers.Dense(10, name='logits')(x)

model = tf.keras.Model(inputs=inputs, outputs=outputs)
report("single_params", model.count_params())
report("single_io", (model.input_shape, model.output_shape))
report("single_layers", len(model.layers))

# ─── Multiple inputs ───
img_input = tf.keras.Input(shape=(224, 224, 3), name='image')
meta_input = tf.keras.Input(shape=(16,), name='metadata')

img_feat = layers.Conv2D(32, (3, 3), activation='relu')(img_input)
img_feat = layers.GlobalAveragePooling2D()(img_feat)

merged = layers.Concatenate()([img_feat, meta_input])
x = layers.Dense(64, activation='relu')(merged)
output = layers.Dense(1, activation='sigmoid')(x)

model = tf.keras.Model(inputs=[img_input, meta_input], outputs=output)
report("multi_params", model.count_params())
report("multi_input_names", [t.name for t in model.inputs])
report("merged_shape", merged.shape)
y = model([tf.zeros((2, 224, 224, 3)), tf.zeros((2, 16))])
report("multi_call", (y.shape, y.dtype))

# ─── Skip connection (ResNet block) ───
def residual_block(x, filters):
    residual = x
    x = layers.Conv2D(filters, (3, 3), padding='same', activation='relu')(x)
    x = layers.BatchNormalization()(x)
    x = layers.Conv2D(filters, (3, 3), padding='same')(x)
    x = layers.BatchNormalization()(x)
    x = layers.Add()([x, residual])      # Skip connection
    return layers.Activation('relu')(x)

block_in = tf.keras.Input(shape=(8, 8, 16))
block = tf.keras.Model(block_in, residual_block(block_in, 16))
report("residual_params", (block.count_params(), len(block.trainable_weights), len(block.non_trainable_weights)))
out = block(tf.ones((1, 8, 8, 16)), training=False)
report("residual_out", (out.shape, bool(tf.reduce_all(out >= 0))))
