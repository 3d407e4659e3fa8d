"""``tf.keras.random``."""

from tfjax._src.keras.random.random import (  # noqa: F401
    SeedGenerator, normal, uniform, truncated_normal, randint, dropout, shuffle, categorical, gamma, binomial, beta,
)
