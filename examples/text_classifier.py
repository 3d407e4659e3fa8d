"""Text classification: TextVectorization -> Embedding -> pooling -> Dense, with model.fit.

    python examples/text_classifier.py
    python -m tfjax examples/text_classifier.py

The corpus is generated: short "headlines" about sport, finance or weather,
built from topic words mixed with shared filler words.
"""

import argparse

import numpy as np
import tensorflow as tf
from tensorflow.keras import layers

TOPICS = {
    "sport": "goal match team score league coach striker referee penalty season",
    "finance": "stock market price trade shares investor bank profit inflation bond",
    "weather": "rain storm cloud wind forecast snow sunny thunder humidity frost",
}
FILLER = "the a today new big after over with report says more first week".split()


def make_corpus(n, seed=0):
    rng = np.random.RandomState(seed)
    names = sorted(TOPICS)
    texts, labels = [], []
    for i in range(n):
        label = rng.randint(len(names))
        words = list(rng.choice(TOPICS[names[label]].split(), 3)) + list(rng.choice(FILLER, 4))
        rng.shuffle(words)
        texts.append(" ".join(words))
        labels.append(label)
    return np.array(texts), np.array(labels, np.int32), names


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=1200)
    parser.add_argument("--epochs", type=int, default=5)
    args = parser.parse_args()

    tf.keras.utils.set_random_seed(0)
    texts, labels, names = make_corpus(args.samples)
    split = int(0.8 * len(texts))

    vectorize = layers.TextVectorization(max_tokens=200, output_sequence_length=12)
    vectorize.adapt(texts[:split])
    print(f"vocabulary size: {vectorize.vocabulary_size()}")
    print(f"first tokens: {[str(t) for t in vectorize.get_vocabulary()[:6]]}")

    train_ds = tf.data.Dataset.from_tensor_slices((texts[:split], labels[:split])).batch(32)
    val_ds = tf.data.Dataset.from_tensor_slices((texts[split:], labels[split:])).batch(32)
    # Vectorize inside the input pipeline: the model itself sees integer ids.
    train_ds = train_ds.map(lambda t, y: (vectorize(t), y)).prefetch(tf.data.AUTOTUNE)
    val_ds = val_ds.map(lambda t, y: (vectorize(t), y)).prefetch(tf.data.AUTOTUNE)

    model = tf.keras.Sequential([
        tf.keras.Input((12,), dtype="int64"),
        layers.Embedding(200, 16),
        layers.GlobalAveragePooling1D(),
        layers.Dense(16, activation="relu"),
        layers.Dense(len(names)),
    ])
    model.compile(optimizer=tf.keras.optimizers.Adam(1e-2),
                  loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    history = model.fit(train_ds, validation_data=val_ds, epochs=args.epochs, verbose=2)
    print(f"final validation accuracy: {history.history['val_accuracy'][-1]:.4f}")

    samples = ["storm and snow over the city", "investor sells shares of the bank", "coach praises striker after goal"]
    logits = model.predict(vectorize(tf.constant(samples)), verbose=0)
    for text, k in zip(samples, np.argmax(logits, axis=1)):
        print(f"{text!r} -> {names[k]}")


if __name__ == "__main__":
    main()
