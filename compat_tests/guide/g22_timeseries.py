"""Guide: "Practical Workflows / 3. Time Series Forecasting (CNN-LSTM Hybrid)".

Adapted: the usage (a comment in the guide) is run on a synthetic
one-feature sine series of 150 steps, epochs=2 instead of 50.
"""
import numpy as np
import tensorflow as tf


def report(key, value):
    print(f"[report] {key}: {value}", flush=True)


def create_sequences(data, window_size, forecast_horizon):
    """Sliding window: input=[t-window..t], target=[t+1..t+horizon]."""
    X, y = [], []
    for i in range(len(data) - window_size - forecast_horizon + 1):
        X.append(data[i:i + window_size])
        y.append(data[i + window_size:i + window_size + forecast_horizon])
    return np.array(X), np.array(y)

def build_timeseries_model(window_size, num_features, forecast_horizon):
    """1D-CNN extracts local patterns; LSTM captures temporal order."""
    inputs = tf.keras.Input(shape=(window_size, num_features))

    # Local pattern extraction
    x = tf.keras.layers.Conv1D(64, kernel_size=3, padding='same', activation='relu')(inputs)
    x = tf.keras.layers.Conv1D(32, kernel_size=3, padding='same', activation='relu')(x)

    # Temporal dependencies
    x = tf.keras.layers.LSTM(64, return_sequences=True)(x)
    x = tf.keras.layers.LSTM(32)(x)

    # Forecast head
    x = tf.keras.layers.Dense(64, activation='relu')(x)
    outputs = tf.keras.layers.Dense(forecast_horizon)(x)

    return tf.keras.Model(inputs, outputs)

# ─── Usage ───
t = np.arange(150, dtype=np.float32)
data = np.sin(t / 8.0)[:, None]                    # shape: (n_steps, n_features)
X, y = create_sequences(data, window_size=30, forecast_horizon=7)
report("sequences", (X.shape, y.shape))
# Train/val split
split = int(0.8 * len(X))
model = build_timeseries_model(30, data.shape[1], 7)
report("params", model.count_params())
model.compile(optimizer='adam', loss='mse', metrics=['mae'])
history = model.fit(X[:split], y[:split], validation_data=(X[split:], y[split:]),
                    epochs=2, callbacks=[tf.keras.callbacks.EarlyStopping(patience=5)])
report("history_keys", sorted(history.history))
report("forecast_shape", model.predict(X[:3]).shape)
report("loss_finite", bool(np.all(np.isfinite(history.history["loss"]))))
