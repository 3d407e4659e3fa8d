"""Guide: "Device Management".

Adapted: a, b, build_model and train_dataset are defined (small); epochs=1.
Run on a CPU-only machine: there are no GPUs, so the GPU-only lines are
no-ops and `/GPU:0` placement falls back to the CPU (soft placement).
"""
import numpy as np
import tensorflow as tf


def report(key, value):
    print(f"[report] {key}: {value}", flush=True)


a = tf.constant([[1.0, 2.0], [3.0, 4.0]])
b = tf.constant([[0.5], [0.25]])


def build_model():
    return tf.keras.Sequential([tf.keras.Input((6,)), tf.keras.layers.Dense(8, activation='relu'),
                                tf.keras.layers.Dense(3)])


rng = np.random.RandomState(0)
train_dataset = tf.data.Dataset.from_tensor_slices(
    (rng.randn(64, 6).astype(np.float32), rng.randint(0, 3, 64))).batch(16)

# ─── Inspect devices ───
print("GPUs:", tf.config.list_physical_devices('GPU'))
print("CPUs:", tf.config.list_physical_devices('CPU'))
report("gpus", tf.config.list_physical_devices('GPU'))
report("cpus", tf.config.list_physical_devices('CPU'))

# ─── Memory growth (run BEFORE any TF ops) ───
gpus = tf.config.list_physical_devices('GPU')
for gpu in gpus:
    tf.config.set_memory_growth(gpu, True)

# ─── Limit GPU memory to N GB ───
if gpus:
    tf.config.set_logical_device_configuration(gpus[0], [
        tf.config.LogicalDeviceConfiguration(memory_limit=4096)  # 4 GB
    ])

# ─── Place ops on specific device ───
with tf.device('/GPU:0'):
    result = tf.matmul(a, b)
report("matmul_on_gpu_scope", result.numpy().tolist())
report("result_device_is_cpu", result.device.endswith("CPU:0"))

# ─── Multi-GPU: MirroredStrategy ───
strategy = tf.distribute.MirroredStrategy()  # Auto-detects all GPUs

with strategy.scope():
    model = build_model()                    # Must create model inside scope
    model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')

history = model.fit(train_dataset, epochs=1)          # Automatically distributed
print(f"Training on {strategy.num_replicas_in_sync} replicas")
report("replicas", strategy.num_replicas_in_sync)
report("fit_epochs", len(history.history["loss"]))
report("strategy_type", type(strategy).__name__)
report("trainable_variable_shapes", [tuple(v.shape) for v in model.trainable_variables])
