"""``tf.keras.activations``."""

from tfjax._src.keras.activations import (  # noqa: F401
    celu, deserialize, elu, exponential, gelu, get, glu, hard_sigmoid, hard_silu, hard_swish, leaky_relu,
    linear, log_sigmoid, log_softmax, mish, relu, relu6, selu, serialize, sigmoid, silu, softmax, softplus,
    softsign, squareplus, swish, tanh, tanh_shrink, hard_tanh, hard_shrink, soft_shrink, sparse_plus,
    sparse_sigmoid, threshold, sparsemax,
)
