"""Which strategy is current: scopes, replica contexts (``tf.distribute.get_strategy`` & co)."""

from __future__ import annotations

import threading


class _Ctx(threading.local):
    def __init__(self):
        self.scopes = []        # strategies whose scope() is entered (cross-replica context)
        self.replicas = []      # ReplicaContext objects of strategy.run bodies being traced/run


_ctx = _Ctx()
_global_strategy = [None]      # experimental_set_strategy
_default = [None, None]        # (default strategy, default replica context), created lazily


def default_strategy():
    if _default[0] is None:
        from tfjax._src.distribute.strategy import _DefaultDistributionStrategy, ReplicaContext  # noqa: PLC0415
        s = _DefaultDistributionStrategy()
        _default[0] = s
        _default[1] = ReplicaContext(s, replica_id_in_sync_group=0)
    return _default[0]


def _scope_stack():
    st = _ctx.scopes
    if not st and _global_strategy[0] is not None:
        return [_global_strategy[0]]
    return st


def get_strategy():
    """``tf.distribute.get_strategy``: the current strategy (the default strategy outside any scope)."""
    if _ctx.replicas:
        return _ctx.replicas[-1].strategy
    st = _scope_stack()
    return st[-1] if st else default_strategy()


def current_scope_strategy():
    """The strategy whose scope() is entered (cross-replica or inside run), or None."""
    if _ctx.replicas:
        return _ctx.replicas[-1].strategy
    st = _scope_stack()
    return st[-1] if st else None


def has_strategy():
    return get_strategy() is not default_strategy()


def in_cross_replica_context():
    return not _ctx.replicas and bool(_scope_stack())


def get_replica_context():
    """The ReplicaContext inside ``strategy.run``; None in a strategy's cross-replica
    context (inside ``scope()``); the default replica context otherwise."""
    if _ctx.replicas:
        return _ctx.replicas[-1]
    if _scope_stack():
        return None
    default_strategy()
    return _default[1]


def get_cross_replica_context():
    if _ctx.replicas:
        return None
    st = _scope_stack()
    return st[-1] if st else default_strategy()


def experimental_set_strategy(strategy):
    """``tf.distribute.experimental_set_strategy``: enter ``strategy.scope()`` globally (None to clear)."""
    if _ctx.scopes:
        raise RuntimeError("Must not be called inside a `tf.distribute.Strategy` scope.")
    _global_strategy[0] = strategy


class enter_replica:
    def __init__(self, rctx):
        self._r = rctx

    def __enter__(self):
        _ctx.replicas.append(self._r)
        return self._r

    def __exit__(self, *exc):
        _ctx.replicas.pop()
        return False


class enter_cross_replica:
    """Temporarily leaves replica context (merge_call)."""

    def __init__(self, strategy=None):
        self._strategy = strategy

    def __enter__(self):
        self._saved = _ctx.replicas
        _ctx.replicas = []
        if self._strategy is not None:
            _ctx.scopes.append(self._strategy)
        return None

    def __exit__(self, *exc):
        if self._strategy is not None:
            _ctx.scopes.pop()
        _ctx.replicas = self._saved
        return False
