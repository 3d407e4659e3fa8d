"""``keras.callbacks.RemoteMonitor``: not supported (needs network access)."""

from __future__ import annotations

from tfjax._src.keras.callbacks.callback import Callback


class RemoteMonitor(Callback):
    """Not supported (needs network access); kept for API completeness."""

    def __init__(self, root="http://localhost:9000", path="/publish/epoch/end/", field="data", headers=None,
                 send_as_json=False):
        super().__init__()
        raise NotImplementedError("RemoteMonitor is not supported by tfjax.")
