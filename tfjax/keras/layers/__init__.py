"""``tf.keras.layers``: the layer classes plus ``Input``, ``InputSpec``, ``serialize``, ``deserialize``."""

from tfjax._src.keras.layers import (  # noqa: F401
    Activation, ActivityRegularization, Add, AdditiveAttention, AlphaDropout, Attention, Average,
    AveragePooling1D, AveragePooling2D, AveragePooling3D, AvgPool1D, AvgPool2D, AvgPool3D, BatchNormalization,
    Bidirectional, CategoryEncoding, CenterCrop, Concatenate, Conv1D, Conv1DTranspose, Conv2D, Conv2DTranspose,
    Conv3D, Conv3DTranspose, Convolution1D, Convolution2D, Convolution2DTranspose, Convolution3D,
    Convolution3DTranspose, Cropping1D, Cropping2D, Cropping3D, Dense, DepthwiseConv1D, DepthwiseConv2D,
    Discretization, Dot, Dropout, ELU, EinsumDense, Embedding, Flatten, GRU, GRUCell, GaussianDropout,
    GaussianNoise, GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalAveragePooling3D, GlobalAvgPool1D,
    GlobalAvgPool2D, GlobalAvgPool3D, GlobalMaxPool1D, GlobalMaxPool2D, GlobalMaxPool3D, GlobalMaxPooling1D,
    GlobalMaxPooling2D, GlobalMaxPooling3D, GroupNormalization, Hashing, Identity, Input, InputLayer, InputSpec,
    IntegerLookup, LSTM, LSTMCell, Lambda, Layer, LayerNormalization, LeakyReLU, Masking, MaxPool1D, MaxPool2D,
    MaxPool3D, MaxPooling1D, MaxPooling2D, MaxPooling3D, Maximum, Minimum, MultiHeadAttention, Multiply,
    Normalization, PReLU, Permute, RNN, RandomBrightness, RandomContrast, RandomCrop, RandomFlip,
    RandomRotation, RandomTranslation, RandomZoom, ReLU, RepeatVector, Rescaling, Reshape, Resizing,
    SeparableConv1D, SeparableConv2D, SeparableConvolution1D, SeparableConvolution2D, SimpleRNN, SimpleRNNCell,
    Softmax, SpatialDropout1D, SpatialDropout2D, SpatialDropout3D, StackedRNNCells, StringLookup, Subtract,
    TextVectorization, TimeDistributed, UnitNormalization, UpSampling1D, UpSampling2D, UpSampling3D,
    ZeroPadding1D, ZeroPadding2D, ZeroPadding3D, add, average, concatenate, deserialize, dot, maximum, minimum,
    multiply, serialize, subtract,
)
from tfjax._src.keras import layers as _impl

# Layer classes that implementation modules export later (through their ``__all__``) are public too;
# nothing else of the implementation package (its imports and helpers) is.
globals().update({n: v for n, v in vars(_impl).items()
                  if not n.startswith("_") and isinstance(v, type) and issubclass(v, Layer)})
del _impl

from tfjax.keras.layers import experimental  # noqa: F401,E402
