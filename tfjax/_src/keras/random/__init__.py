from tfjax._src.keras.random.random import *  # noqa: F401,F403
from tfjax._src.keras.random.random import SeedGenerator  # noqa: F401
