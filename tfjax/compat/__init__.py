"""``tf.compat``: string/path helpers, forward compatibility, ``v2`` (tfjax itself) and ``v1``
(graph-mode TF1 API: unsupported, apart from the names TF itself shares with TF2; see v1)."""

from tfjax._src.compat import (  # noqa: F401
    as_bytes, as_str, as_str_any, as_text, bytes_or_text_types, complex_types, dimension_at_index,
    dimension_value, forward_compatibility_horizon, forward_compatible, integral_types, path_to_str,
    real_types,
)
from tfjax.compat import v1  # noqa: F401,E402


def __getattr__(name):
    if name == "v2":
        import tfjax  # noqa: PLC0415
        return tfjax
    from tfjax._src.errors import unsupported  # noqa: PLC0415
    raise AttributeError(str(unsupported(f"tf.compat.{name}")))
