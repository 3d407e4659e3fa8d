"""Guide: "Performance Tips / tf.function and XLA".

Adapted: compute_loss, model, optimizer and data are defined (small);
typed_train_step is called with three batch sizes to show the single trace;
the jit_compile model is fitted for one epoch.
"""
import numpy as np
import tensorflow as tf


def report(key, value):
    print(f"[report] {key}: {value}", flush=True)


rng = np.random.RandomState(0)
model = tf.keras.Sequential([tf.keras.Input((12,)), tf.keras.layers.Dense(16, activation='relu'),
                             tf.keras.layers.Dense(4)])
optimizer = tf.keras.optimizers.SGD(0.1)
x_data = tf.constant(rng.randn(32, 12).astype(np.float32))
y_data = tf.constant(rng.randint(0, 4, 32).astype(np.int32))


def compute_loss(logits, y):
    return tf.reduce_mean(tf.keras.losses.sparse_categorical_crossentropy(y, logits, from_logits=True))


# Graph compilation — always use on training step
@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        loss = compute_loss(model(x, training=True), y)
    optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables),
                                  model.trainable_variables))
    return loss

losses = [float(train_step(x_data, y_data)) for _ in range(20)]
report("train_loss_decreased", losses[-1] < losses[0])
report("train_step_traces", train_step.experimental_get_tracing_count())

# Prevent retracing by fixing input signatures
@tf.function(input_signature=[
    tf.TensorSpec(shape=[None, 224, 224, 3], dtype=tf.float32),
    tf.TensorSpec(shape=[None], dtype=tf.int32)
])
def typed_train_step(x, y):
    pass  # One trace for all batch sizes

for n in (1, 2, 3):
    result = typed_train_step(tf.zeros((n, 224, 224, 3)), tf.zeros((n,), tf.int32))
report("typed_result", result)
report("typed_traces", typed_train_step.experimental_get_tracing_count())
try:
    typed_train_step(tf.zeros((1, 32, 32, 3)), tf.zeros((1,), tf.int32))
    report("typed_wrong_shape", "accepted")
except (TypeError, ValueError) as e:
    report("typed_wrong_shape", f"exception: {type(e).__name__}")
concrete = typed_train_step.get_concrete_function()
report("concrete_inputs", [tuple(t.shape) for t in concrete.inputs])

# XLA compilation — additional speedup (especially TPU)
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', jit_compile=True)
history = model.fit(x_data, y_data, epochs=1, verbose=0)
report("jit_compile", model.jit_compile)
report("jit_fit_loss_finite", bool(np.isfinite(history.history["loss"][0])))
