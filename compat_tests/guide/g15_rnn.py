"""Guide: "RNN / LSTM — Sequence Modeling".

Added: the text model is instantiated (small vocabulary) and both models run
one forward pass. `input_length` is still accepted by TF 2.21's Embedding.
"""
import numpy as np
import tensorflow as tf
from tensorflow.keras import layers


def report(key, value):
    print(f"[report] {key}: {value}", flush=True)


# ─── Text classification ───
def build_lstm_text(vocab_size, embed_dim, max_length, num_classes):
    return tf.keras.Sequential([
        layers.Embedding(vocab_size, embed_dim, input_length=max_length),
        layers.Bidirectional(layers.LSTM(128, return_sequences=True)),
        layers.Bidirectional(layers.LSTM(64)),      # return_sequences=False
        layers.Dropout(0.3),
        layers.Dense(64, activation='relu'),
        layers.Dense(num_classes)
    ])

# ─── Time series regression ───
def build_lstm_timeseries(timesteps, num_features, forecast_horizon):
    inputs = tf.keras.Input(shape=(timesteps, num_features))
    x = layers.LSTM(128, return_sequences=True)(inputs)
    x = layers.LSTM(64)(x)
    x = layers.Dense(64, activation='relu')(x)
    outputs = layers.Dense(forecast_horizon)(x)
    return tf.keras.Model(inputs, outputs)

model = build_lstm_timeseries(timesteps=30, num_features=5, forecast_horizon=7)
report("timeseries_params", model.count_params())
report("timeseries_output_shape", model.output_shape)
x = np.random.RandomState(0).randn(4, 30, 5).astype(np.float32)
report("timeseries_forward", model(x).shape)

text_model = build_lstm_text(vocab_size=1000, embed_dim=16, max_length=20, num_classes=3)
report("text_built_before_call", text_model.built)
tokens = np.random.RandomState(1).randint(0, 1000, size=(2, 20))
logits = text_model(tokens)
report("text_forward", (logits.shape, logits.dtype))
report("text_params", text_model.count_params())
report("text_layer_params", [layer.count_params() for layer in text_model.layers])
