"""Guide: "Anti-Patterns (NEVER)".

Adapted: the block uses names it never defines (compute_loss, model, X, y,
test_data); they are defined here with small sizes. `model` is created before
the predict examples (the guide defines it only at the end of the block).
"""
import tensorflow as tf
import numpy as np


def report(key, value):
    print(f"[report] {key}: {value}", flush=True)


np.random.seed(0)


def compute_loss(x, y):
    return tf.reduce_mean(tf.square(x - y))


X = np.random.randn(200, 10).astype(np.float32)
y = np.random.randn(200, 10).astype(np.float32)
test_data = np.random.randn(4, 10).astype(np.float32)
model = tf.keras.Sequential([tf.keras.Input((10,)), tf.keras.layers.Dense(10)])

# ❌ BAD: Python side-effect inside tf.function (only runs during tracing)
@tf.function
def bad_step(x, y):
    loss = compute_loss(x, y)
    print(f"Loss: {loss}")          # Prints ONCE at trace time, then never again
    return loss

# ✅ GOOD: tf.print executes every call
@tf.function
def good_step(x, y):
    loss = compute_loss(x, y)
    tf.print("Loss:", loss)         # Prints every call
    return loss

for _ in range(3):
    bad = bad_step(X, y)
    good = good_step(X, y)
report("bad_step_traces", bad_step.experimental_get_tracing_count())
report("good_step_traces", good_step.experimental_get_tracing_count())
report("bad_equals_good", float(bad) == float(good))
report("loss_value", round(float(good), 4))

# ❌ BAD: Numpy inside tf.function (breaks graph)
@tf.function
def bad_predict(x):
    result = model(x)
    return np.array(result)         # Fails — numpy not available in graph mode

try:
    bad_predict(test_data)
    report("bad_predict", "no exception")
except Exception as e:  # what TF raises is part of the contract
    report("bad_predict_exception", type(e).__name__)

# ✅ GOOD: Stay in TF ops
@tf.function
def good_predict(x):
    return model(x)

report("good_predict_shape", good_predict(test_data).shape)

# ❌ BAD: No prefetch — CPU blocks GPU
dataset = tf.data.Dataset.from_tensor_slices((X, y))
dataset = dataset.shuffle(100).batch(32)  # GPU starves waiting for CPU

# ✅ GOOD: Prefetch overlaps CPU/GPU work
dataset = (dataset
    .cache()
    .shuffle(1000)
    .batch(32)
    .prefetch(tf.data.AUTOTUNE))
report("dataset_element_spec", dataset.element_spec)
# The GOOD pipeline batches the already-batched dataset again: the 7 batches
# of 32 rows (the last one of 8) cannot be stacked, and TF 2.21 fails at
# iteration time. The report records that behaviour.
try:
    report("dataset_batches", sum(1 for _ in dataset))
except tf.errors.InvalidArgumentError as e:
    report("dataset_iteration_exception", type(e).__name__)

# ❌ BAD: Per-sample prediction loop (massive overhead)
results = []
for sample in test_data:
    pred = model.predict(sample[np.newaxis])  # Kernel launch overhead per sample
    results.append(pred)
report("per_sample_results", [r.shape for r in results])

# ✅ GOOD: Single batched call
results = model.predict(test_data)
report("batched_results_shape", results.shape)

# ✅ GOOD: Enable growth at startup (before any TF ops)
gpus = tf.config.list_physical_devices('GPU')
for gpu in gpus:
    tf.config.set_memory_growth(gpu, True)
report("num_gpus", len(gpus))

# ❌ BAD: softmax + crossentropy (double application, numerical instability)
model = tf.keras.Sequential([
    tf.keras.layers.Dense(10, activation='softmax')  # Applies softmax
])
model.compile(loss='categorical_crossentropy')       # Applies log internally — redundant
report("bad_loss", model.loss)

# ✅ GOOD: Logits output + from_logits (single stable operation)
model = tf.keras.Sequential([
    tf.keras.layers.Dense(10)                         # Raw logits, no activation
])
model.compile(loss=tf.keras.losses.CategoricalCrossentropy(from_logits=True))
report("good_loss", type(model.loss).__name__)
report("good_loss_from_logits", model.loss.get_config()["from_logits"])
