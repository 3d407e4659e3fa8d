"""Explicit Keras signatures for generated callables.

Families of Keras classes and functions (the built-in losses, the
``MeanMetricWrapper`` metrics, their function forms) are generated here from one
table each. ``with_signature`` gives such a generated callable the exact
parameter list of its Keras counterpart (names, positional order, defaults): the
arguments are bound against that signature (so positional calls mean what they
mean in Keras, and unknown or duplicated arguments raise Python's usual
``TypeError``) and ``inspect.signature`` reports it.
"""

from __future__ import annotations

import functools
import inspect

_P = inspect.Parameter
REQUIRED = _P.empty


def make_signature(params, *, leading=("self",), var_kwargs=False):
    """``params``: ``(name, default)`` pairs (``REQUIRED`` for no default), all positional-or-keyword."""
    ps = [_P(n, _P.POSITIONAL_OR_KEYWORD) for n in leading]
    ps += [_P(n, _P.POSITIONAL_OR_KEYWORD, default=d) for n, d in params]
    if var_kwargs:
        ps.append(_P("kwargs", _P.VAR_KEYWORD))
    return inspect.Signature(ps)


def with_signature(params, *, leading=("self",), var_kwargs=False, qualname=None):
    """Decorator: ``impl(*leading, **arguments)`` called through the explicit signature ``params``.

    ``impl`` receives the leading arguments positionally and every parameter of
    ``params`` by keyword, defaults applied; with ``var_kwargs`` the extra keyword
    arguments come as one dict named ``kwargs``.
    """
    sig = make_signature(params, leading=leading, var_kwargs=var_kwargs)
    n_lead = len(leading)

    def deco(impl):
        name = qualname or impl.__qualname__

        @functools.wraps(impl)
        def wrapper(*args, **kwargs):
            try:
                bound = sig.bind(*args, **kwargs)
            except TypeError as e:
                raise TypeError(f"{name}(): {e}") from None
            bound.apply_defaults()
            a = dict(bound.arguments)
            lead = [a.pop(n) for n in list(a)[:n_lead]]
            return impl(*lead, **a)

        del wrapper.__wrapped__   # inspect.signature must report ``sig``, not impl's
        wrapper.__signature__ = sig
        wrapper.__qualname__ = name
        return wrapper

    return deco
