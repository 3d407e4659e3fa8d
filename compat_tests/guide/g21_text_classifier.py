"""Guide: "Practical Workflows / 2. Text Classification with Embeddings".

Adapted: called (the guide leaves the call as a comment) on 120 synthetic
sentences in 3 classes, vocab_size=50, max_length=12, epochs=2 instead of 20.
TF 2.21 still ships the legacy Tokenizer/pad_sequences and accepts
Embedding(input_length=...).
"""
import numpy as np
import tensorflow as tf


def report(key, value):
    print(f"[report] {key}: {value}", flush=True)


def build_text_classifier(texts, labels, vocab_size=20000, max_length=200, num_classes=2):
    """Tokenize → Embed → BiLSTM → Classify."""

    # ─── Tokenize ───
    tokenizer = tf.keras.preprocessing.text.Tokenizer(num_words=vocab_size, oov_token='<OOV>')
    tokenizer.fit_on_texts(texts)
    sequences = tokenizer.texts_to_sequences(texts)
    padded = tf.keras.preprocessing.sequence.pad_sequences(
        sequences, maxlen=max_length, padding='post', truncating='post'
    )
    report("word_index_head", sorted(tokenizer.word_index.items(), key=lambda kv: kv[1])[:6])
    report("first_sequence", sequences[0])
    report("padded", (padded.shape, padded.dtype, padded[0].tolist()))

    # ─── Split ───
    split = int(0.8 * len(padded))
    X_train, X_val = padded[:split], padded[split:]
    y_train, y_val = np.array(labels[:split]), np.array(labels[split:])

    # ─── Model ───
    activation = 'softmax' if num_classes > 2 else 'sigmoid'
    loss       = 'sparse_categorical_crossentropy' if num_classes > 2 else 'binary_crossentropy'

    model = tf.keras.Sequential([
        tf.keras.layers.Embedding(vocab_size, 128, input_length=max_length),
        tf.keras.layers.Bidirectional(tf.keras.layers.LSTM(64)),
        tf.keras.layers.Dense(64, activation='relu'),
        tf.keras.layers.Dropout(0.3),
        tf.keras.layers.Dense(num_classes if num_classes > 2 else 1, activation=activation)
    ])

    model.compile(optimizer='adam', loss=loss, metrics=['accuracy'])
    history = model.fit(
        X_train, y_train, validation_data=(X_val, y_val),
        epochs=2, batch_size=32,
        callbacks=[tf.keras.callbacks.EarlyStopping(patience=3, restore_best_weights=True)]
    )
    return model, tokenizer, history


rng = np.random.RandomState(0)
topics = [["goal", "match", "team", "score"], ["stock", "market", "price", "trade"],
          ["rain", "storm", "cloud", "wind"]]
filler = ["the", "a", "today", "big", "new"]
texts, labels = [], []
for i in range(120):
    c = i % 3
    words = list(rng.choice(topics[c], 4)) + list(rng.choice(filler, 3))
    rng.shuffle(words)
    texts.append(" ".join(words).capitalize() + "!")
    labels.append(c)

model, tokenizer, history = build_text_classifier(texts, labels, vocab_size=50, max_length=12, num_classes=3)
report("history_keys", sorted(history.history))
report("epochs_run", len(history.history["loss"]))
report("params", model.count_params())
report("predict_shape", model.predict(tf.keras.preprocessing.sequence.pad_sequences(
    tokenizer.texts_to_sequences(["goal team", "market price storm"]), maxlen=12, padding='post')).shape)
