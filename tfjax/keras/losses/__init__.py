"""``tf.keras.losses``: lazily re-exported from ``tfjax._src.keras.losses``."""

from tfjax.keras._lazy import make_getattr as _mg

_NAMES = (
    'BinaryCrossentropy', 'BinaryFocalCrossentropy', 'CategoricalCrossentropy', 'CategoricalFocalCrossentropy',
    'CategoricalHinge', 'CosineSimilarity', 'Dice', 'Hinge', 'Huber', 'KLD', 'KLDivergence', 'LogCosh', 'Loss',
    'MAE', 'MAPE', 'MSE', 'MSLE', 'MeanAbsoluteError', 'MeanAbsolutePercentageError', 'MeanSquaredError',
    'MeanSquaredLogarithmicError', 'Poisson', 'SparseCategoricalCrossentropy', 'SquaredHinge', 'Tversky',
    'binary_crossentropy', 'binary_focal_crossentropy', 'categorical_crossentropy',
    'categorical_focal_crossentropy', 'categorical_hinge', 'cosine_similarity', 'deserialize', 'dice', 'get',
    'hinge', 'huber', 'kl_divergence', 'kld', 'kullback_leibler_divergence', 'log_cosh', 'logcosh', 'mae',
    'mape', 'mean_absolute_error', 'mean_absolute_percentage_error', 'mean_squared_error',
    'mean_squared_logarithmic_error', 'mse', 'msle', 'poisson', 'serialize', 'sparse_categorical_crossentropy',
    'squared_hinge', 'tversky', 'CTC', 'Circle', 'CategoricalGeneralizedCrossEntropy', 'ctc', 'circle',
    'categorical_generalized_cross_entropy',
)

__getattr__, __dir__ = _mg(__name__, "tfjax._src.keras.losses", _NAMES)
