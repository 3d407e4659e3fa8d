"""Until ``tfjax/__init__.py`` does ``from tfjax._src.api_ops import *`` (the lead wires it),
expose the ops layer's top-level names on ``tfjax`` for these tests. Names tfjax already
defines are left alone."""

import tfjax
from tfjax._src import api_ops

for _n in api_ops.__all__:
    if _n not in vars(tfjax):
        setattr(tfjax, _n, getattr(api_ops, _n))
