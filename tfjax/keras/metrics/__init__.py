"""``tf.keras.metrics``: lazily re-exported from ``tfjax._src.keras.metrics``."""

from tfjax.keras._lazy import make_getattr as _mg

_NAMES = (
    'AUC', 'Accuracy', 'BinaryAccuracy', 'BinaryCrossentropy', 'CategoricalAccuracy', 'CategoricalCrossentropy',
    'CategoricalHinge', 'CosineSimilarity', 'F1Score', 'FBetaScore', 'FalseNegatives', 'FalsePositives',
    'Hinge', 'IoU', 'KLDivergence', 'LogCoshError', 'Mean', 'MeanAbsoluteError', 'MeanAbsolutePercentageError',
    'MeanIoU', 'MeanMetricWrapper', 'MeanSquaredError', 'MeanSquaredLogarithmicError', 'Metric', 'Poisson',
    'Precision', 'R2Score', 'Recall', 'RootMeanSquaredError', 'SparseCategoricalAccuracy',
    'SparseCategoricalCrossentropy', 'SparseTopKCategoricalAccuracy', 'SquaredHinge', 'Sum',
    'TopKCategoricalAccuracy', 'TrueNegatives', 'TruePositives', 'binary_accuracy', 'categorical_accuracy',
    'deserialize', 'get', 'serialize', 'sparse_categorical_accuracy', 'sparse_top_k_categorical_accuracy',
    'top_k_categorical_accuracy',
    'PearsonCorrelation', 'ConcordanceCorrelation', 'pearson_correlation', 'concordance_correlation',
    'binary_crossentropy', 'categorical_crossentropy', 'sparse_categorical_crossentropy',
    'binary_focal_crossentropy', 'categorical_focal_crossentropy', 'categorical_hinge', 'hinge', 'squared_hinge',
    'huber', 'kl_divergence', 'log_cosh', 'mean_absolute_error', 'mean_absolute_percentage_error',
    'mean_squared_error', 'mean_squared_logarithmic_error', 'poisson',
    'BinaryIoU', 'OneHotIoU', 'OneHotMeanIoU', 'SensitivityAtSpecificity', 'SpecificityAtSensitivity',
    'PrecisionAtRecall', 'RecallAtPrecision',
)

__getattr__, __dir__ = _mg(__name__, "tfjax._src.keras.metrics", _NAMES)
