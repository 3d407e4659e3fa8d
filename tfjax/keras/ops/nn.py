"""``tf.keras.ops.nn``."""

from tfjax._src.keras.ops.nn import (  # noqa: F401
    average_pool, batch_normalization, binary_crossentropy, categorical_crossentropy, celu, conv,
    conv_transpose, depthwise_conv, dot_product_attention, elu, gelu, hard_sigmoid, hard_silu, hard_swish,
    leaky_relu, log_sigmoid, log_softmax, max_pool, moments, multi_hot, normalize, one_hot, relu, relu6, selu,
    separable_conv, sigmoid, silu, softmax, softplus, softsign, sparse_categorical_crossentropy, squareplus,
    swish, tanh_shrink, hard_tanh, hard_shrink, soft_shrink, sparse_plus, sparse_sigmoid, threshold,
    sparsemax, glu, psnr, rms_normalization, layer_normalization, polar, space_to_depth, depth_to_space,
    ctc_loss, ctc_decode,
)
