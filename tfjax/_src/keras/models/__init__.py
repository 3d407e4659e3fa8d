from tfjax._src.keras.models.model import Model  # noqa: F401
from tfjax._src.keras.models.functional import Functional  # noqa: F401
from tfjax._src.keras.models.sequential import Sequential  # noqa: F401
