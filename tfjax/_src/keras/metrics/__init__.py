"""``keras.metrics``."""

from tfjax._src.keras.metrics import (  # noqa: F401
    accuracy_metrics, base_metric, confusion_metrics, f_score_metrics, iou_metrics, probabilistic_metrics,
    reduction_metrics, regression_metrics,
)
from tfjax._src.keras.metrics.base_metric import Metric
from tfjax._src.keras.metrics.reduction_metrics import Mean, MeanMetricWrapper, Sum  # noqa: F401
from tfjax._src.keras.metrics.accuracy_metrics import (  # noqa: F401
    Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy, TopKCategoricalAccuracy,
    SparseTopKCategoricalAccuracy, accuracy, binary_accuracy, categorical_accuracy, sparse_categorical_accuracy,
    top_k_categorical_accuracy, sparse_top_k_categorical_accuracy,
)
from tfjax._src.keras.metrics.regression_metrics import (  # noqa: F401
    MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredLogarithmicError,
    RootMeanSquaredError, CosineSimilarity, LogCoshError, R2Score,
)
from tfjax._src.keras.metrics.probabilistic_metrics import (  # noqa: F401
    Hinge, SquaredHinge, CategoricalHinge, KLDivergence, Poisson, BinaryCrossentropy, CategoricalCrossentropy,
    SparseCategoricalCrossentropy,
)
from tfjax._src.keras.metrics.confusion_metrics import (  # noqa: F401
    TruePositives, FalsePositives, TrueNegatives, FalseNegatives, Precision, Recall, AUC,
    SensitivityAtSpecificity, SpecificityAtSensitivity, PrecisionAtRecall, RecallAtPrecision,
)
from tfjax._src.keras.metrics.iou_metrics import (  # noqa: F401
    MeanIoU, IoU, BinaryIoU, OneHotIoU, OneHotMeanIoU,
)
from tfjax._src.keras.metrics.f_score_metrics import FBetaScore, F1Score  # noqa: F401
from tfjax._src.keras.losses import losses as _l
from tfjax._src.keras.metrics import correlation_metrics  # noqa: E402
from tfjax._src.keras.metrics.correlation_metrics import (  # noqa: F401,E402
    PearsonCorrelation, ConcordanceCorrelation, pearson_correlation, concordance_correlation,
)
# Keras's metric function forms are the losses' functions.
from tfjax._src.keras.losses.losses import (  # noqa: F401,E402
    binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy, binary_focal_crossentropy,
    categorical_focal_crossentropy, categorical_hinge, hinge, squared_hinge, huber, kl_divergence, log_cosh,
    mean_absolute_error, mean_absolute_percentage_error, mean_squared_error, mean_squared_logarithmic_error,
    poisson,
)

_BY_NAME = {
    "accuracy": Accuracy, "acc": Accuracy, "binary_accuracy": BinaryAccuracy,
    "categorical_accuracy": CategoricalAccuracy, "sparse_categorical_accuracy": SparseCategoricalAccuracy,
    "top_k_categorical_accuracy": TopKCategoricalAccuracy,
    "sparse_top_k_categorical_accuracy": SparseTopKCategoricalAccuracy,
    "mse": MeanSquaredError, "mean_squared_error": MeanSquaredError,
    "mae": MeanAbsoluteError, "mean_absolute_error": MeanAbsoluteError,
    "mape": MeanAbsolutePercentageError, "mean_absolute_percentage_error": MeanAbsolutePercentageError,
    "msle": MeanSquaredLogarithmicError, "mean_squared_logarithmic_error": MeanSquaredLogarithmicError,
    "root_mean_squared_error": RootMeanSquaredError, "cosine_similarity": CosineSimilarity,
    "logcosh": LogCoshError, "log_cosh": LogCoshError, "hinge": Hinge, "squared_hinge": SquaredHinge,
    "categorical_hinge": CategoricalHinge, "kl_divergence": KLDivergence, "kld": KLDivergence,
    "poisson": Poisson, "binary_crossentropy": BinaryCrossentropy,
    "categorical_crossentropy": CategoricalCrossentropy,
    "sparse_categorical_crossentropy": SparseCategoricalCrossentropy,
    "pearson_correlation": PearsonCorrelation, "concordance_correlation": ConcordanceCorrelation, "auc": AUC, "precision": Precision, "recall": Recall, "f1_score": F1Score, "r2_score": R2Score,
}
_CLASSES = {c.__name__: c
            for mod in (base_metric, reduction_metrics, accuracy_metrics, regression_metrics, probabilistic_metrics,
                        confusion_metrics, iou_metrics, f_score_metrics, correlation_metrics)
            for c in vars(mod).values() if isinstance(c, type) and issubclass(c, Metric)}


def get(identifier):
    """``keras.metrics.get``: a name (class instance), a config dict, a Metric or a callable."""
    if identifier is None:
        return None
    if isinstance(identifier, Metric):
        return identifier
    if isinstance(identifier, str):
        cls = _CLASSES.get(identifier) or _BY_NAME.get(identifier.lower() if identifier.islower() else identifier)
        if cls is None:
            raise ValueError(f"Could not interpret metric identifier: {identifier}")
        return cls()
    if isinstance(identifier, dict):
        cls = _CLASSES.get(identifier["class_name"])
        if cls is None:
            raise ValueError(f"Could not interpret metric identifier: {identifier}")
        return cls.from_config(identifier["config"])
    if isinstance(identifier, type) and issubclass(identifier, Metric):
        return identifier()
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret metric identifier: {identifier}")


def serialize(metric):
    return {"module": "keras.metrics", "class_name": type(metric).__name__, "config": metric.get_config(),
            "registered_name": None}


def deserialize(config, custom_objects=None):
    if custom_objects and config.get("class_name") in custom_objects:
        return custom_objects[config["class_name"]].from_config(config["config"])
    return get(config)
